"""API of the information exchange platform (Art. 9): spaces, folders, documents, versions,
check-out, ZIP downloads, the board's openings to the European Parliament (Art. 9(4)) and the
personal-data overrides it authorised (Art. 9(3)). Thin: the policy, selectors and services do
the work; an id the caller may not open answers 404, as if it did not exist."""

from . import access, documents, follows, search, spaces  # noqa: F401 - they register their operations
from .common import router

__all__ = ["router"]
