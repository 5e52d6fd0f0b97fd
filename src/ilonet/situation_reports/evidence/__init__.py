"""The evidence pack for the report of the Commission on the application of the regulation
(Art. 12(1), Art. 12(2)): figures generated from the platform for any period, as a page, a PDF
and CSV files. Counts and the board's own titles only: no names, no contact details, no free
text of reports (Art. 9(3))."""

from .build import EvidencePack, build

__all__ = ["EvidencePack", "build"]
