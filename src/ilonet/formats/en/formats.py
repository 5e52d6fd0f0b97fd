"""English dates in the EU's day-month-year order: ``2 December 2025``, ``02.12.2025``."""

from ilonet.formats.common import *  # noqa: F403  (the one rule, see ilonet.formats)
