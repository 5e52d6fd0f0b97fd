"""Dates are shown the EU way, day-month-year, in English and Dutch alike (issue 8): the account
page showed "Dec. 2, 2025", board warnings "04/15/2026", most pages "2026-04-15". The rule lives
in the format modules (``ilonet/formats``), the template filters (``ilonet/shared/date_tags.py``)
and the helpers for messages (``ilonet/shared/dates.py``).

Three proofs: the formats themselves; every page and PDF of the demo, found by following links
as several demo users in both languages, shows no date in another order; and no source file
writes a date by hand in a non-EU pattern (a new page is covered the day it is written)."""

import re
from collections import Counter, deque
from datetime import date, datetime
from pathlib import Path
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

import pytest
from django import forms
from django.template import Context, Template
from django.test import Client
from django.utils import translation
from django.utils.formats import date_format

from ilonet.shared import dates

SRC = Path(__file__).resolve().parent.parent / "src" / "ilonet"
DAY = date(2025, 12, 2)
MOMENT = datetime(2025, 12, 2, 14, 30, tzinfo=ZoneInfo("Europe/Brussels"))

# --- the formats -----------------------------------------------------------------------------------

EXPECTED = {
    "en": ("2 December 2025", "02.12.2025", "2 December 2025, 14:30", "02.12.2025 14:30"),
    "nl": ("2 december 2025", "02.12.2025", "2 december 2025, 14:30", "02.12.2025 14:30"),
}


@pytest.mark.parametrize("language", ["en", "nl"])
def test_the_formats_are_day_month_year_in_every_language(language):
    long, short, long_time, short_time = EXPECTED[language]
    with translation.override(language):
        assert date_format(DAY) == long
        assert date_format(DAY, "SHORT_DATE_FORMAT") == short
        assert date_format(MOMENT, "DATETIME_FORMAT") == long_time
        assert date_format(MOMENT, "SHORT_DATETIME_FORMAT") == short_time
        assert dates.long_date(DAY) == long and dates.short_date(DAY) == short
        assert dates.long_datetime(MOMENT) == long_time and dates.short_datetime(MOMENT) == short_time
        # A date printed without a format, and the |date filter without one, follow the rule too.
        rendered = Template("{{ day }}|{{ day|date }}|{{ moment|date:'SHORT_DATE_FORMAT' }}").render(
            Context({"day": DAY, "moment": MOMENT})
        )
        assert rendered == f"{long}|{long}|{short}"


@pytest.mark.parametrize("language", ["en", "nl"])
def test_the_filters_wrap_the_date_in_a_time_element_with_its_iso_value(language):
    long, short, long_time, _short_time = EXPECTED[language]
    with translation.override(language):
        html = Template(
            "{{ day|long_date }} {{ iso|short_date }} {{ moment|long_datetime }} "
            "{{ none|long_date|default:'–' }}"
        ).render(Context({"day": DAY, "iso": "2025-12-02", "moment": MOMENT, "none": None}))
    assert html == (
        f'<time datetime="2025-12-02">{long}</time> <time datetime="2025-12-02">{short}</time> '
        f'<time datetime="2025-12-02T14:30+01:00">{long_time}</time> –'
    )


def test_a_typed_date_is_read_day_first_in_english_too():
    """Only a browser without a date picker sends typed text; 02/12/2025 is 2 December."""
    field = forms.DateField()
    with translation.override("en"):
        assert field.clean("02/12/2025") == DAY
        assert field.clean("02.12.2025") == DAY
        assert field.clean("2025-12-02") == DAY


# --- every page and PDF of the demo -----------------------------------------------------------------

MONTHS = (
    "January|February|March|April|May|June|July|August|September|October|November|December|"
    "Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec"
)
WRONG = {
    "month first (US)": re.compile(rf"\b(?:{MONTHS})\.? \d{{1,2}}, \d{{4}}\b"),
    "numbers with slashes (04/15/2026)": re.compile(r"\b\d{1,2}/\d{1,2}/\d{2,4}\b"),
    "numbers with dashes, day first (2-12-2025)": re.compile(r"\b\d{1,2}-\d{1,2}-\d{4}\b"),
    "bare ISO (2026-04-15)": re.compile(r"\b\d{4}-\d{2}-\d{2}\b"),
    "12-hour clock": re.compile(r"\b\d{1,2}(?::\d{2})? ?[ap]\.m\.", re.IGNORECASE),
}
TAG = re.compile(r"<[^>]*>")
INVISIBLE = re.compile(r"<(script|style|template|textarea)\b.*?</\1>", re.DOTALL | re.IGNORECASE)
LINK = re.compile(r'href="(/[^"]*)"')
SKIP = ("/api/", "/static/", "/i18n/", "/accounts/logout", "/accounts/password", "/healthz")
# The demo users whose pages are read: together they open every page of the site.
USERS = ("chair", "deploying", "facilitator", "admin", "coordinator", "ep")
PER_SHAPE = 2  # pages of one URL shape (/board/meetings/N/) read: a planned and a held meeting


def visible_text(html: str) -> str:
    """The words a reader sees: no tags, attributes (input values, ``<time datetime>``),
    scripts or text areas (what a user typed)."""
    return TAG.sub(" ", INVISIBLE.sub(" ", html))


def wrong_dates(text: str) -> list[str]:
    return [f"{name}: {m.group(0)!r}" for name, pattern in WRONG.items() for m in pattern.finditer(text)]


def test_the_checker_finds_every_wrong_order():
    for text in ("Dec. 2, 2025", "December 2, 2025", "04/15/2026", "2-12-2025", "2026-04-15", "3:04 p.m."):
        assert wrong_dates(visible_text(f"<p>{text}</p>")), text
    page = (
        '<p><time datetime="2025-12-02">2 December 2025</time> 02.12.2025 14:30</p><input value="2025-12-02">'
    )
    assert wrong_dates(visible_text(page)) == []
    assert wrong_dates("Regulation (EU) 2019/1240, ISF-2024-ILO-123") == []


def _shape(path: str) -> str:
    """/board/meetings/12/ and /directory/nl/ are pages of one template: /board/meetings/N/."""
    return re.sub(r"^/directory/[a-z][a-z0-9-]*/", "/directory/N/", re.sub(r"\d+", "N", path))


class _CapturedPdf:
    """Stands in for WeasyPrint: keeps the HTML of each PDF, so its text can be read."""

    documents: list[str] = []

    def __init__(self, string: str, **_kwargs) -> None:
        self.documents.append(string)

    def write_pdf(self) -> bytes:
        return b"%PDF-1.7 captured"


def _seed_demo() -> None:
    from ilonet.accounts import demo as accounts_demo
    from ilonet.board import demo as board_demo
    from ilonet.deployments import demo as deployments_demo
    from ilonet.directory import demo as directory_demo
    from ilonet.networks import demo as networks_demo

    accounts_demo.seed_accounts(directory_demo.ensure_authorities())
    deployments_demo.seed_deployments()
    networks_demo.seed_networks()
    board_demo.seed_board()


def _user(local: str):
    from ilonet.accounts.demo import DEMO_DOMAIN
    from ilonet.accounts.models import User

    return User.objects.get(email=f"{local}@{DEMO_DOMAIN}")


def _client_for(local: str, language: str) -> Client:
    from ilonet.accounts.testing import record_second_factor

    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    user = _user(local)
    client.force_login(user, backend="allauth.account.auth_backends.AuthenticationBackend")
    record_second_factor(client, user)
    return client


def _own_deployments(local: str) -> list[str]:
    """Deployments the user manages (their pages have the forms to change them), as a start."""
    from ilonet import policy
    from ilonet.deployments.models import Deployment

    user = _user(local)
    own = (
        d for d in Deployment.objects.order_by("pk") if policy.can(user, policy.Action.MANAGE_DEPLOYMENTS, d)
    )
    return [f"/deployments/{d.pk}/" for d in list(own)[:2]]


def _crawl(
    client: Client, language: str, seen: Counter, problems: list, pages: set, who: str = "", start=()
) -> None:
    """Follow the links from the home page, reading two pages per URL shape; ``who`` keys the
    shapes per user (every user reads their own pages) or not (two pages of a shape for all)."""
    queue = deque(["/", *start])
    visited: set[str] = set()
    while queue:
        path = queue.popleft()
        key = (language, who, _shape(path))
        if path in visited or (seen[key] >= PER_SHAPE and path != "/" and path not in start):
            continue
        visited.add(path)
        seen[key] += 1
        before = len(_CapturedPdf.documents)
        response = client.get(path)
        if response.status_code != 200:
            continue
        kind = response.get("Content-Type", "")
        if kind.startswith("application/pdf"):
            html = "".join(_CapturedPdf.documents[before:])
        elif kind.startswith("text/html"):
            html = response.content.decode()
            assert f'lang="{language}"' in html, path
        else:
            continue  # CSV and iCalendar are for machines: ISO 8601 (docs/architecture.md)
        pages.add(f"{language} {_shape(path)}{' (PDF)' if kind.startswith('application/pdf') else ''}")
        problems += [f"{language} {path}: {p}" for p in wrong_dates(visible_text(html))]
        for link in LINK.findall(html):
            target = urlsplit(link.replace("&amp;", "&")).path
            if not target.startswith(SKIP) and seen[(language, who, _shape(target))] < PER_SHAPE:
                queue.append(target)


@pytest.mark.django_db
def test_every_page_and_pdf_of_the_demo_shows_dates_the_eu_way(monkeypatch):
    import weasyprint

    monkeypatch.setattr(weasyprint, "HTML", _CapturedPdf)
    _seed_demo()
    problems: list[str] = []
    pages: set[str] = set()
    seen: Counter = Counter()
    for local in USERS:  # in English every user reads each of their pages
        start = _own_deployments(local) if local == "deploying" else ()
        _crawl(_client_for(local, "en"), "en", seen, problems, pages, who=local, start=start)
    for local in USERS:  # in Dutch one page of each kind (the formats differ only in month names)
        _crawl(_client_for(local, "nl"), "nl", seen, problems, pages)
    # The crawl reaches every app, their detail pages and their PDFs.
    for expected in (
        "/accounts/profile/",
        "/board/meetings/N/",
        "/board/motions/N/",
        "/deployments/N/",
        "/networks/N/",
        "/audit/",
        "/directory/N/",
        "/deployments/N/edit/",
        "/board/meetings/N/minutes.pdf (PDF)",
    ):
        assert any(page.endswith(f" {expected}") for page in pages), (expected, sorted(pages))
    assert sum(page.endswith("(PDF)") for page in pages) >= 8, sorted(pages)
    assert len(pages) > 110, len(pages)
    assert problems == []


# --- no date written by hand in another pattern -------------------------------------------------------

# The patterns of |date:"…" a template may use: the named EU formats, or explicit day-first ones;
# ISO only as a machine's value (an input's value, a <time datetime>).
EU_PATTERNS = {"DATE_FORMAT", "SHORT_DATE_FORMAT", "DATETIME_FORMAT", "SHORT_DATETIME_FORMAT", "d.m.Y H:i:s"}
DATE_FILTER = re.compile(r"""\|date:(["'])([^"']*)\1""")
MACHINE_CONTEXT = re.compile(r"""(value|datetime)=["'][^"']*$""")
# Python code that formats a date by hand, and why each place may (machines only).
STRFTIME = re.compile(r"""strftime\(|:%[YmdHMbBy][^}"']*\}|format=["']%""")
MACHINE_FORMATS = {
    "board/ical.py": "iCalendar (RFC 5545) times",
    "returns/facts.py": "SQLite's strftime in the raw SQL check of the case indicators",
    "indicators/cases/bulk.py": "SQLite's strftime in the SQL counting of the case indicators",
    "audit/views.py": "the name of the export file",
    "deployments/views.py": "the name of the export file",
    "board/views/composition.py": "the name of the export file",
    "shared/widgets.py": "the ISO value a date picker needs",
    "jobs/scheduler.py": "the unique key of a scheduled run (UTC)",
    "board/selectors/reminders.py": "the key that issues each reminder once",
    "jobs/schedules.py": "the schedule's name in the code and the operations list (24-hour clock)",
}


def test_templates_format_dates_only_the_eu_way():
    found = []
    for path in (SRC / "templates").rglob("*.html"):
        for number, line in enumerate(path.read_text().splitlines(), 1):
            for m in DATE_FILTER.finditer(line):
                machine = MACHINE_CONTEXT.search(line[: m.start()]) and m.group(2) in ("Y-m-d", "c")
                if m.group(2) not in EU_PATTERNS and not machine:
                    found.append(
                        f"{path.relative_to(SRC)}:{number}: |date:{m.group(1)}{m.group(2)}{m.group(1)}"
                    )
    assert found == [], "use |long_date, |short_date, |long_datetime or |short_datetime"


def test_python_formats_dates_by_hand_only_for_machines():
    found = []
    for path in SRC.rglob("*.py"):
        relative = path.relative_to(SRC).as_posix()
        if "/tests/" in f"/{relative}" or "/migrations/" in relative or relative.startswith("formats/"):
            continue
        for number, line in enumerate(path.read_text().splitlines(), 1):
            if STRFTIME.search(line) and relative not in MACHINE_FORMATS:
                found.append(f"{relative}:{number}: {line.strip()}")
    assert found == [], "use ilonet.shared.dates (long_date, short_date, …) for people"
    for relative in MACHINE_FORMATS:
        assert STRFTIME.search((SRC / relative).read_text()), f"{relative}: no longer formats by hand"
