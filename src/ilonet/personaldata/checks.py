"""``manage.py check --deploy``: the blind index of names has a key of its own (issue 12 item 3).
Derived from ``SECRET_KEY`` (the development default), a leaked or rotated secret key would
expose or break the name index; production sets ``ILONET_PERSONAL_DATA_INDEX_KEY``."""

from __future__ import annotations

import base64
import binascii

from django.conf import settings
from django.core import checks


@checks.register(checks.Tags.security, deploy=True)
def name_index_has_its_own_key(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    configured = getattr(settings, "PERSONAL_DATA_INDEX_KEY", "")
    hint = (
        "Set ILONET_PERSONAL_DATA_INDEX_KEY to 32 random bytes in URL-safe base64, e.g. "
        "python -c 'import secrets; print(secrets.token_urlsafe(32))'."
    )
    if not configured:
        return [
            checks.Error(
                "The name index of personal data has no key of its own.", hint=hint, id="ilonet.E201"
            )
        ]
    try:
        key = base64.urlsafe_b64decode(configured + "=" * (-len(configured) % 4))
    except (binascii.Error, ValueError):
        key = b""
    if len(key) != 32:
        return [
            checks.Error(
                "ILONET_PERSONAL_DATA_INDEX_KEY is not 32 bytes of key.", hint=hint, id="ilonet.E202"
            )
        ]
    return []
