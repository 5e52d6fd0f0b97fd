"""S3-compatible object storage (django-storages), private: no URLs, streamed reads.

Chosen with ``ILONET_STORAGE=s3`` (settings in README.md, "Configuration"). The bucket stays
private (no ACL is set on objects); ``url()`` refuses, so that no presigned or public URL ever
leaves the platform: downloads are streamed by the web process after the policy check, straight
from the object's body (``open_stream``), never copied whole into memory or onto disk.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from typing import IO

from boto3.s3.transfer import TransferConfig
from storages.backends.s3 import S3Storage
from storages.utils import clean_name, get_available_overwrite_name

from .storage import NoDirectURL


class PrivateS3Storage(S3Storage):
    def get_default_settings(self) -> dict:
        defaults = super().get_default_settings()
        defaults.update(
            default_acl=None,  # the bucket's own (private) policy
            file_overwrite=False,
            querystring_auth=True,
            max_memory_size=1024 * 1024,  # S3File reads spill to disk past 1 MiB
            # Multipart uploads in 8 MiB parts, two at a time: about 16 MiB of buffers per upload.
            transfer_config=TransferConfig(multipart_chunksize=8 * 1024 * 1024, max_concurrency=2),
        )
        return defaults

    def get_available_name(self, name, max_length=None):
        """Stored names are ``storage.new_key``'s, 128 random bits each: django-storages' way of
        keeping a name free (a HEAD request before every upload) would never find one taken, so
        the name is only cut to ``max_length`` as Django asks."""
        return get_available_overwrite_name(clean_name(name), max_length)

    def _save(self, name, content):
        """A file below the multipart threshold (8 MiB) in one PutObject, streamed from the file:
        boto3's managed transfer would start a pool of threads and build a resource object for
        it (about 5 ms of CPU for a 5 MB upload). Larger files keep the managed multipart upload."""
        size = getattr(content, "size", None)
        if not isinstance(size, int) or size >= self.transfer_config.multipart_threshold or self.gzip:
            return super()._save(name, content)
        cleaned = clean_name(name)
        key = self._normalize_name(cleaned)
        params = self._get_write_parameters(key, content)
        content.seek(0)
        self.connection.meta.client.put_object(Bucket=self.bucket_name, Key=key, Body=content, **params)
        return cleaned

    def url(self, name, parameters=None, expire=None, http_method=None) -> str:
        raise NoDirectURL("Uploaded files have no URL; stream them through a checked view.")

    def _key(self, name: str) -> str:
        return self._normalize_name(clean_name(name))

    def open_stream(self, name: str) -> IO[bytes]:
        response = self.connection.meta.client.get_object(Bucket=self.bucket_name, Key=self._key(name))
        return response["Body"]

    def iter_objects(self, prefix: str) -> Iterator[tuple[str, datetime]]:
        root = self._key(prefix) if prefix else self._normalize_name("")
        if root and not root.endswith("/"):
            root += "/"
        location = self._normalize_name("").rstrip("/")
        strip = len(location) + 1 if location else 0
        paginator = self.connection.meta.client.get_paginator("list_objects_v2")
        for page in paginator.paginate(Bucket=self.bucket_name, Prefix=root):
            for entry in page.get("Contents", ()):
                yield entry["Key"][strip:], entry["LastModified"]
