"""The hourly sweep of the exchange's stored files: a file no document version refers to (left
by a web worker killed between storing it and committing its row) is deleted once old enough;
the files of documents, and files still in flight (younger), are kept. The kill itself is
tests/faults/test_upload_kills.py."""

import io
from datetime import timedelta

import pytest
from django.utils import timezone

from ilonet.exchange import services
from ilonet.exchange.jobs import sweep_orphaned_files
from ilonet.shared.uploads import get_storage

from .conftest import upload

pytestmark = pytest.mark.django_db


@pytest.mark.wall_clock  # the files' times are the file system's
def test_the_sweep_deletes_old_files_without_a_row_and_keeps_the_rest(people):
    space = people.network_space
    document = upload(people.ilo, space)
    storage = get_storage()
    orphan = storage.save(f"exchange/spaces/{space.pk}/orphan.txt", io.BytesIO(b"left by a killed worker"))

    assert services.sweep_orphaned_files() == 0  # younger than six hours: maybe still in flight
    assert storage.exists(orphan)
    later = timezone.now() + timedelta(hours=7)
    assert services.sweep_orphaned_files(now=later) == 1
    assert not storage.exists(orphan)
    assert storage.exists(document.current_version.key)


def test_the_sweep_is_a_scheduled_job():
    assert sweep_orphaned_files.schedule is not None
