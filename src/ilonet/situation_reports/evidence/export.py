"""The evidence pack as CSV files in one ZIP (one file per table, UTF-8, formula-safe cells) and
as a PDF in the EU look (WeasyPrint, ``shared.pdf``). Country and place names in the reader's
language; column names in English, stable for the Commission's own processing."""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Iterable, Sequence
from typing import Any

from django_countries import countries

from ilonet.shared.exports import safe_cell
from ilonet.shared.pdf import render_pdf

from .build import EvidencePack


def _csv(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    for row in rows:
        writer.writerow([safe_cell(value) for value in row])
    return buffer.getvalue().encode("utf-8")


def _pairs(values: dict[str, Any], prefix: str) -> list[tuple[str, Any]]:
    return [(f"{prefix}.{key}", value) for key, value in sorted(values.items())]


def tables(pack: EvidencePack) -> dict[str, bytes]:
    """File name -> CSV content."""
    d, n, r = pack.deployments, pack.networks, pack.reports
    figures: list[tuple[str, Any]] = [
        ("period.start", pack.period_start.isoformat()),
        ("period.end", pack.period_end.isoformat()),
        ("deployments.under_way", d["deployments"]),
        ("deployments.officers", d["officers"]),
        ("deployments.countries", d["countries"]),
        ("deployments.joint", d["joint_deployments"]),
        ("deployments.started_in_period", d["started_in_period"]),
        ("deployments.ended_in_period", d["ended_in_period"]),
        ("networks.total", n["networks"]),
        ("networks.countries", n["countries"]),
        *_pairs(n["by_kind"], "networks.kind"),
        *_pairs(n["facilitators_by_basis"], "networks.facilitator_basis"),
        *_pairs(n["notifications_by_kind"], "networks.facilitator_notifications"),
        *_pairs(n["activities_by_kind"], "networks.activities"),
        ("board.meetings", len(pack.meetings)),
        ("board.decisions", len(pack.decisions)),
        ("situation_reports.submitted", r["reports"]),
        ("situation_reports.officer_reports", r["officer_reports"]),
        ("situation_reports.network_reports", r["network_reports"]),
        ("situation_reports.officers_reporting", r["officers_reporting"]),
        ("situation_reports.networks_reporting", r["networks_reporting"]),
        ("platform.active_accounts", pack.active_accounts),
        *_pairs(pack.use, "platform.use"),
    ]
    return {
        "figures.csv": _csv(("figure", "value"), figures),
        "deployments_by_country_and_authority.csv": _csv(
            ("country_code", "country", "deploying_authority", "deployments", "joint_deployments"),
            (
                (
                    row["country"],
                    countries.name(row["country"]),
                    row["authority"],
                    row["deployments"],
                    row["joint"],
                )
                for row in pack.deployment_rows
            ),
        ),
        "board_meetings.csv": _csv(
            ("date", "meeting", "status"),
            ((m["date"].isoformat(), m["title"], m["status"]) for m in pack.meetings),
        ),
        "board_decisions.csv": _csv(
            ("date", "decision", "outcome", "for", "against", "abstentions"),
            (
                (m["date"].isoformat(), m["title"], m["outcome"], m["for"], m["against"], m["abstentions"])
                for m in pack.decisions
            ),
        ),
        "situation_reports_by_topic.csv": _csv(
            ("letter", "article", "topic", "reports"),
            ((t["code"], t["article"], t["label"], t["count"]) for t in r["by_topic"]),
        ),
        "situation_reports_by_country.csv": _csv(
            ("country_code", "country", "reports"),
            ((c["code"], countries.name(c["code"]), c["count"]) for c in r["by_country"]),
        ),
        "platform_actions.csv": _csv(("audit_action", "events"), sorted(pack.actions.items())),
    }


def zip_bytes(pack: EvidencePack) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, content in tables(pack).items():
            archive.writestr(name, content)
    return buffer.getvalue()


def pdf_bytes(pack: EvidencePack, request: Any = None) -> bytes:
    from .present import context

    return render_pdf(
        "situation_reports/pdf/evidence_pack.html",
        {**context(pack), "generated_at": pack.generated_at},
        request,
    )


def filename(pack: EvidencePack, extension: str) -> str:
    return f"ilonet-art12-evidence-{pack.period_start.isoformat()}-{pack.period_end.isoformat()}.{extension}"
