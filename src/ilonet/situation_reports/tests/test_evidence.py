"""The evidence pack for the report of the Commission (Art. 12(2)): what it holds, that it names no
one, and that the PDF and the CSV files are produced."""

import io
import zipfile
from datetime import UTC, date, datetime, timedelta

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone
from pdfminer.high_level import extract_text

from ilonet.board.models import Meeting, Motion
from ilonet.situation_reports import evidence
from ilonet.situation_reports.evidence import export

pytestmark = pytest.mark.django_db
PERIOD = (date(2025, 1, 1), date(2025, 12, 31))


@pytest.fixture
def pack(world, write):
    w = world
    write(w["member"], period=(date(2025, 1, 1), date(2025, 3, 31)), submit=True)  # b, f
    write(
        w["member"],
        network=w["morocco"],
        period=(date(2025, 4, 1), date(2025, 6, 30)),
        submit=True,
        sections={"b": {"text": "Flows up."}, "i": {"text": "Returns resumed."}},
    )
    write(w["colleague"], period=(date(2025, 1, 1), date(2025, 3, 31)))  # a draft: not in the pack
    write(w["outsider"], period=(date(2024, 1, 1), date(2024, 3, 31)), submit=True)  # before the period
    # the board's record, as its services leave it (tests may set up rows directly)
    held = datetime(2025, 3, 12, 9, tzinfo=UTC)
    Meeting.objects.create(
        title="Board meeting 2025/1",
        starts_at=held,
        ends_at=held + timedelta(hours=6),
        location="Brussels",
        status="held",
    )
    Meeting.objects.create(
        title="Board meeting 2024/2",
        starts_at=held - timedelta(days=200),
        ends_at=held - timedelta(days=199),
        location="Brussels",
        status="held",
    )
    Motion.objects.create(
        title="Work programme 2025-2026 adopted",
        text="The board adopts.",
        procedure="written",
        status="closed",
        closes_at=held,
        closed_at=held,
        opened_at=held - timedelta(days=7),
        outcome="adopted",
        votes_for=20,
        votes_against=2,
        abstentions=1,
    )
    return evidence.build(period_start=PERIOD[0], period_end=PERIOD[1])


def test_the_pack_counts_reports_by_topic_and_country(pack):
    reports = pack.reports
    assert (reports["reports"], reports["officer_reports"], reports["network_reports"]) == (2, 1, 1)
    by_topic = {t["code"]: t["count"] for t in reports["by_topic"]}
    assert by_topic["b"] == 2 and by_topic["f"] == 1 and by_topic["i"] == 1 and by_topic["a"] == 0
    assert reports["by_country"] == [{"code": "MA", "count": 2}]


def test_the_pack_counts_deployments_by_country_and_authority_and_the_networks(pack):
    # in 2025 only the first Moroccan officer was deployed (400 days ago); the others came later
    rows = {(r["country"], r["authority"]): r["deployments"] for r in pack.deployment_rows}
    assert rows == {("MA", "NL"): 1}
    today = timezone.localdate()
    year = evidence.build(period_start=today - timedelta(days=365), period_end=today)
    rows = {(r["country"], r["authority"]): (r["deployments"], r["joint"]) for r in year.deployment_rows}
    assert rows == {("MA", "NL"): (2, 0), ("TN", "FR"): (1, 0)}
    assert year.deployments["officers"] == 3
    assert pack.networks["networks"] == 2 and pack.networks["by_kind"] == {"local": 2}


def test_the_pack_lists_the_boards_meetings_and_decisions_of_the_period(pack):
    assert [m["title"] for m in pack.meetings] == ["Board meeting 2025/1"]
    assert [(d["title"], d["outcome"], d["for"]) for d in pack.decisions] == [
        ("Work programme 2025-2026 adopted", "adopted", 20)
    ]


def test_the_pack_counts_the_use_of_the_platform_from_the_audit_trail(world, write):
    write(world["member"], submit=True)
    today = timezone.localdate()
    current = evidence.build(period_start=date(today.year, 1, 1), period_end=today)
    assert current.use["situation_reports_submitted"] == 1
    assert current.actions["situation_report.created"] == 1


def _names() -> list[str]:
    return [n for u in get_user_model().objects.all() for n in (u.first_name, u.last_name, u.email) if n]


def test_neither_the_csv_files_nor_the_pdf_name_anyone(pack):
    archive = zipfile.ZipFile(io.BytesIO(export.zip_bytes(pack)))
    assert "figures.csv" in archive.namelist() and "situation_reports_by_topic.csv" in archive.namelist()
    text = "\n".join(archive.read(name).decode("utf-8") for name in archive.namelist())
    assert "deployments.joint" in text and "Art. 3(4)(b)" in text
    pdf = export.pdf_bytes(pack)
    assert pdf.startswith(b"%PDF")
    pdf_text = extract_text(io.BytesIO(pdf))
    assert "Art. 12(2)" in pdf_text and "Morocco" in pdf_text and "Board meeting 2025/1" in pdf_text
    names = _names()
    assert "Zwanenburg" in names
    for name in names:
        assert name not in text, name
        assert name not in pdf_text, name
