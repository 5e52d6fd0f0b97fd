"""Every page each demo role can reach fits the window and meets WCAG 2.1 AA.

The pages are found, not listed: ``site_tour`` signs in as each demo role of ``seed_demo`` and
follows the links from the home page (one page per URL name). Each page is opened in Chromium at
1280 px and at 390 px (a phone), where:

- the document is no wider than the window (``scrollWidth <= innerWidth``): a wide table scrolls
  in its own ``.ecl-table-responsive`` box or stacks its cells (ECL's responsive table), the page
  itself never scrolls sideways;
- no two visible sibling blocks overlap (main column and side column, cards, a table and the
  column beside it), content spilling out of a block included;
- axe-core finds no WCAG 2.1 AA violation (at 1280 px).

The tour runs once (about 450 pages fetched, 180 of them measured: 8 to 10 minutes on two
cores that were shared with other work) and the tests below read its findings.
``ILONET_TOUR_ROLES=chair,ilo`` limits it to some demo logins while working on a page.
"""

import os

import pytest

from .site_tour import MEASURE_JS, VISITOR, Tour, run_tour, site_pages

_TOUR: dict[str, object] = {}


@pytest.fixture
def tour(chromium_browser, live_server) -> Tour:
    """The tour, run by the first test that needs it (the database is flushed after each test,
    so the tour cannot be a module fixture of its own)."""
    if not _TOUR:
        only = {r for r in os.environ.get("ILONET_TOUR_ROLES", "").split(",") if r} or None
        try:
            _TOUR["tour"] = run_tour(chromium_browser, live_server.url, site_pages(), only)
        except Exception as exc:
            _TOUR["failed"] = exc  # the other tests say so, rather than tour again
            raise
    if "failed" in _TOUR:
        pytest.fail(f"The tour of the site failed: {_TOUR['failed']!r}", pytrace=False)
    return _TOUR["tour"]


# Pages the demo data gives no role a way to: there is no draft motion, no
# draft rules of procedure and no built progress report in it. Each name here must still be a
# page no role reached.
NOT_IN_THE_DEMO = {
    "board:motion_amend": "the demo has no motion in draft",
    "board:rules_edit": "the demo has no rules of procedure in draft",
    "indicators:report_download": "the demo builds no progress report (a job makes the PDF on request)",
    "returns:import_detail": "the demo's cases are not imported from a file: it has no import run",
    "returns:import_progress": "the demo has no import run",
}


def _report(found: dict[str, object]) -> str:
    return "\n" + "\n".join(f"{where}: {what}" for where, what in found.items())


def test_no_page_is_wider_than_the_window(tour):
    found = {f"{c.where()} at {w} px": why for c in tour.checks for w, why in c.too_wide.items()}
    assert not found, _report(found)


def test_no_two_blocks_of_a_page_overlap(tour):
    found = {f"{c.where()} at {w} px": boxes for c in tour.checks for w, boxes in c.overlaps.items()}
    assert not found, _report(found)


def test_every_page_meets_wcag_2_1_aa(tour):
    found = {c.where(): c.wcag for c in tour.checks if c.wcag}
    assert not found, _report(found)


def test_the_tour_reaches_every_page_of_the_site(tour):
    """A page no role reaches by a link is a page the tour cannot check: link it, or make the demo
    data show it. Only a form's target (405 to a GET) is reached by no link."""
    unreached = {name: f"GET answers {status}" for name, status in tour.get_status.items()}
    for name in NOT_IN_THE_DEMO:
        assert unreached.pop(name, None), f"{name} is reached now: take it off NOT_IN_THE_DEMO"
    assert not unreached, _report(unreached)
    signed_in = {role: names for role, names in tour.pages.items() if role != VISITOR}
    assert len(signed_in) == 15, "every demo login signs in"
    assert all({"home", "account_profile"} <= names for names in signed_in.values())
    assert {"accounts:invitation_open", "accounts:invitation_accept"} <= tour.pages[VISITOR]


def test_every_link_a_role_is_shown_opens(tour):
    """A link to a page the role may not open (403) or cannot see (404) is a wrong promise."""
    assert not tour.refused, _report(tour.refused)


def test_the_measure_catches_a_page_too_wide_and_a_table_over_the_next_column(page):
    """Guards the guard: a table wider than its grid column, in a page wider than the window."""
    page.set_viewport_size({"width": 390, "height": 600})
    page.set_content(
        '<html><body style="margin:0">'
        '<div style="display:grid;grid-template-columns:repeat(2,minmax(0,1fr))">'
        '<section><table><tr><td style="min-width:300px">wide</td></tr></table></section>'
        '<section>side</section></div><p style="width:500px">a long line</p></body></html>'
    )
    found = page.evaluate(MEASURE_JS)
    assert found["scrollWidth"] > found["innerWidth"]
    assert any("p ends at 500 px" in where for where in found["wide"])
    assert any("section and section" in overlap for overlap in found["overlaps"])


def test_the_measure_accepts_a_wide_table_in_its_own_scrolling_box(page):
    page.set_viewport_size({"width": 390, "height": 600})
    page.set_content(
        '<html><body style="margin:0">'
        '<div style="display:grid;grid-template-columns:repeat(2,minmax(0,1fr))">'
        '<section style="overflow-x:auto"><table><tr><td style="min-width:300px">wide</td></tr>'
        "</table></section><section>side</section></div></body></html>"
    )
    found = page.evaluate(MEASURE_JS)
    assert found["scrollWidth"] <= found["innerWidth"]
    assert found["overlaps"] == []
