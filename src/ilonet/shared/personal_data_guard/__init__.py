"""The personal-data guard of the information exchange platform (Art. 9(3)).

Apart from the list of steering board members (Art. 9(2)(c)) and the ILO contact list
(Art. 9(2)(d)), the platform holds no personal data and no links through which personal data
is directly or indirectly available (Art. 9(3)). Every upload, every new version and the free
text of every situation report goes through :func:`scan` or :func:`scan_text` first; a report
with findings refuses the document, and nothing is stored.

- ``extract``: the text of PDF, DOCX, XLSX, ODT, CSV and TXT, with its place (page and line,
  sheet and row, header, footer, comment), bounded in size and time; corrupt, encrypted and empty
  files raise :class:`ExtractionError` subclasses with a translated message.
- ``detect``: the detectors (e-mail addresses, phone numbers, machine-readable zones, IBANs,
  national identity numbers, dates of birth, links to personal profiles and shares), each
  validating with a maintained validator or a check digit, never a loose pattern alone.
- ``guard``: :func:`scan` and :func:`scan_text` give a :class:`GuardReport`: findings with a
  masked value and a keyed fingerprint (never the value), a translated summary, and
  ``remaining(overrides)`` for the overrides the exchange app records.

No models: the exchange app owns the overrides and their audit trail.
"""

from ilonet.shared.personal_data_guard.errors import (
    CorruptDocument,
    EmptyDocument,
    EncryptedDocument,
    ExtractionError,
    LimitExceeded,
    NoReadableText,
    UnsupportedType,
)
from ilonet.shared.personal_data_guard.guard import GuardReport, scan, scan_text

__all__ = [
    "CorruptDocument",
    "EmptyDocument",
    "EncryptedDocument",
    "ExtractionError",
    "GuardReport",
    "LimitExceeded",
    "NoReadableText",
    "UnsupportedType",
    "scan",
    "scan_text",
]
