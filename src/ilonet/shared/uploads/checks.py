"""``manage.py check --deploy``: a deployment scans uploads for malware and stores them privately."""

from __future__ import annotations

from django.core import checks
from django.core.files.storage import storages

from .scan import scanner_configured
from .storage import PrivateFileSystemStorage


@checks.register(checks.Tags.security, deploy=True)
def uploads_are_scanned_and_private(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    errors: list[checks.CheckMessage] = []
    if not scanner_configured():
        errors.append(
            checks.Error(
                "Uploads are not scanned for malware.",
                hint="Set ILONET_CLAMAV_SOCKET (or ILONET_CLAMAV_HOST and ILONET_CLAMAV_PORT).",
                id="ilonet.E101",
            )
        )
    storage = storages["default"]
    private = isinstance(storage, PrivateFileSystemStorage) or type(storage).__name__ == "PrivateS3Storage"
    if not private:
        errors.append(
            checks.Error(
                "The default storage is not one of ILOnet's private storages: uploads could get a URL.",
                hint="Keep STORAGES['default'] as set by ILONET_STORAGE (local or s3).",
                id="ilonet.E102",
            )
        )
    return errors
