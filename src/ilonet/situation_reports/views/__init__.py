"""Pages of the situation reports (Art. 3(4)) and of the evidence pack (Art. 12). Thin."""

from .figures import coverage_map, evidence, evidence_csv, evidence_pdf, overview
from .reports import report_create, report_detail, report_edit, report_list, report_return, report_submit

__all__ = [
    "coverage_map",
    "evidence",
    "evidence_csv",
    "evidence_pdf",
    "overview",
    "report_create",
    "report_detail",
    "report_edit",
    "report_list",
    "report_return",
    "report_submit",
]
