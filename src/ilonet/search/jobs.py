"""The indexing job (``ilonet.jobs``): owning apps queue it with ``services.schedule_index``
inside the transaction of their change; it reads the object when it runs."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from ilonet.jobs.registry import job

from . import services


@job(label=_("Index an object for search"), timeout=300, backoff=10)
def index_object(*, kind: str, object_id: int) -> dict[str, Any]:
    return {"kind": kind, "object_id": object_id, "indexed": services.index(kind=kind, object_id=object_id)}
