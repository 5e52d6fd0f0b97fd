"""Dutch dates: ``2 december 2025``, ``02.12.2025`` (the same order as English)."""

from ilonet.formats.common import *  # noqa: F403  (the one rule, see ilonet.formats)
