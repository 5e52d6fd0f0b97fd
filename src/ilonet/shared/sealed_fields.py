"""A text column sealed with its data subject's own data key (envelope encryption,
``ilonet.shared.envelope``), for the personal fields of the contact list (Art. 9(2)(d)).

``SealedTextField(subject="officer_id", prefix="officer", key_store="contact-keys.sqlite3")``
stores ``env1:<subject ref>:<base64 nonce+ciphertext>``: the value is encrypted (AES-256-GCM)
with the data key of ``<prefix>-<instance.officer_id>``, the associated data binds it to the
subject, the table and the column. The instance keeps the plain value; the column never sees it.

- Reading (``from_db_value``, also for ``values()``) opens the value with the subject's key; once
  the key is destroyed (erasure) the value reads as empty: the ciphertext in the database and its
  backups can no longer be opened.
- Writing goes through ``Model.save()``/``bulk_create`` (``pre_save`` knows the instance, hence
  the subject). ``QuerySet.update()`` and ``bulk_update`` with a plain value are refused: they do
  not know the subject. Empty values stay empty (nothing to protect). The column cannot be
  filtered on or sorted by (it is ciphertext): search and sort by other columns.
- A value written before the column was sealed (plain text, no ``env1:`` prefix) is read as it
  is, so reads go on while the data migration seals the existing rows in batches.
"""

from __future__ import annotations

import base64
import os
from functools import cache
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.core import validators
from django.db import models

from .envelope import KeyDestroyed, KeyStore

PREFIX = "env1"
# The key store of the officers' data keys (the contact list, Art. 9(2)(d), and the lists of
# deployed ILOs that copy it), under PERSONAL_DATA_KEY_DIR.
CONTACT_KEY_STORE = "contact-keys.sqlite3"


@cache
def key_store(filename: str) -> KeyStore:
    """One ``KeyStore`` per file (its connections are per thread)."""
    return KeyStore(filename, label=filename.removesuffix(".sqlite3"))


def seal_text(store: KeyStore, ref: str, value: str, *, context: str) -> str:
    """``value`` sealed with the data key of ``ref`` (created if the subject has none)."""
    data_key = store.ensure_key(ref)
    nonce = os.urandom(12)
    sealed = AESGCM(data_key).encrypt(nonce, value.encode(), f"{ref}:{context}".encode())
    return f"{PREFIX}:{ref}:{base64.b64encode(nonce + sealed).decode()}"


def open_text(store: KeyStore, token: str, *, context: str) -> str:
    """The plain value of a sealed token; empty when the subject's key is destroyed. A value
    without the prefix is a plain one from before the column was sealed."""
    if not token or not token.startswith(f"{PREFIX}:"):
        return token
    _, ref, payload = token.split(":", 2)
    try:
        data_key = store.load_key(ref)
        blob = base64.b64decode(payload)
        return AESGCM(data_key).decrypt(blob[:12], blob[12:], f"{ref}:{context}".encode()).decode()
    except (KeyDestroyed, InvalidTag):
        return ""


def is_sealed(value: Any) -> bool:
    return isinstance(value, str) and value.startswith(f"{PREFIX}:")


class SealedTextField(models.TextField):
    """See the module: a text column sealed with the data key of the row's data subject."""

    def __init__(
        self,
        *args: Any,
        subject: str = "",
        prefix: str = "",
        key_store: str = "",
        plain_max_length: int | None = None,
        **kwargs: Any,
    ) -> None:
        self.subject, self.prefix, self.key_store_file = subject, prefix, key_store
        self.plain_max_length = plain_max_length
        super().__init__(*args, **kwargs)
        if plain_max_length:
            self.validators.append(validators.MaxLengthValidator(plain_max_length))

    def deconstruct(self) -> Any:
        name, path, args, kwargs = super().deconstruct()
        kwargs.update(subject=self.subject, prefix=self.prefix, key_store=self.key_store_file)
        if self.plain_max_length:
            kwargs["plain_max_length"] = self.plain_max_length
        return name, path, args, kwargs

    def store(self) -> KeyStore:
        return key_store(self.key_store_file)

    def context(self) -> str:
        return f"{self.model._meta.db_table}.{self.column}"

    def subject_ref(self, instance: models.Model) -> str:
        return f"{self.prefix}-{getattr(instance, self.subject)}"

    def from_db_value(self, value: Any, expression: Any, connection: Any) -> Any:
        if not value:
            return value
        return open_text(self.store(), value, context=self.context())

    def pre_save(self, model_instance: models.Model, add: bool) -> Any:
        value = getattr(model_instance, self.attname)
        if not value or is_sealed(value):
            return value
        return seal_text(self.store(), self.subject_ref(model_instance), str(value), context=self.context())

    def get_prep_value(self, value: Any) -> Any:
        value = super().get_prep_value(value)
        if value and not is_sealed(value):
            raise TypeError(
                f"{self.model.__name__}.{self.name} is sealed per data subject: write it through save(), "
                "not update() or a lookup."
            )
        return value


def reseal_table(
    schema_editor: Any,
    *,
    table: str,
    subject_column: str,
    prefix: str,
    store_file: str,
    columns: tuple[str, ...],
    open_instead: bool = False,
    batch: int = 1000,
) -> int:
    """For a data migration: seal the plain values of ``columns`` in place (or, ``open_instead``,
    open them back, for the reverse migration), in batches by primary key, each batch its own
    short transaction (run it from a non-atomic migration: reads go on meanwhile, a value not yet
    sealed reads as it is). Returns how many rows changed."""
    from django.db import transaction

    connection, quote = schema_editor.connection, schema_editor.quote_name
    store, changed, after = key_store(store_file), 0, 0
    listed = ", ".join(quote(c) for c in columns)
    assignments = ", ".join(f"{quote(c)} = %s" for c in columns)

    def change(ref: str, column: str, value: str | None) -> str | None:
        context = f"{table}.{column}"
        if not value:
            return value
        if open_instead:
            return open_text(store, value, context=context)
        return value if is_sealed(value) else seal_text(store, ref, value, context=context)

    while True:
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT id, {quote(subject_column)}, {listed} FROM {quote(table)} "  # noqa: S608
                "WHERE id > %s ORDER BY id LIMIT %s",
                [after, batch],
            )
            rows = cursor.fetchall()
        if not rows:
            return changed
        after = rows[-1][0]
        with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
            for pk, subject, *values in rows:
                if subject is None:
                    continue
                new = [change(f"{prefix}-{subject}", c, v) for c, v in zip(columns, values, strict=True)]
                if new != list(values):
                    cursor.execute(
                        f"UPDATE {quote(table)} SET {assignments} WHERE id = %s",  # noqa: S608
                        [*new, pk],
                    )
                    changed += 1
