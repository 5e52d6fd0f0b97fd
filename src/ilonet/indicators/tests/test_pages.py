"""The pages of return coordination: each renders for the roles that may see it and is refused
for the others; the upload page shows a refused file's problems with line and column; the
charts' tables download as CSV; the charts are inline SVG that fetch nothing from outside."""

import csv
import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from ilonet.accounts.roles import Role
from ilonet.indicators import demo
from ilonet.indicators.models import EurostatLoad, EurostatObservation, Obstacle, QuarterPriority

from .samples import BASE_DIMS, tsv

pytestmark = pytest.mark.django_db

READERS = (Role.RETURN_COORDINATOR, Role.RETURN_OFFICER, Role.CHAIR, Role.SECRETARIAT)
OUTSIDERS = (Role.BOARD_MEMBER, Role.FACILITATOR, Role.OBSERVER, Role.EP_READER)


@pytest.fixture
def seeded():
    demo.seed_indicators()


@pytest.fixture
def as_role(make_user, login):
    def sign_in(role):
        scope = "nl" if role in (Role.RETURN_OFFICER, Role.BOARD_MEMBER) else None
        return login(make_user(role, scope=scope))

    return sign_in


def _reading_pages() -> list[str]:
    return [
        reverse("indicators:dashboard"),
        reverse("indicators:dashboard") + "?indicator=return_rate&period=2023-Q4",
        reverse("indicators:eurostat"),
        reverse("indicators:register"),
        reverse("indicators:priorities"),
        reverse("indicators:obstacles"),
        reverse("indicators:reports"),
        reverse("indicators:export", args=["trend"]) + "?indicator=return_rate",
    ]


@pytest.mark.parametrize("role", READERS)
def test_readers_see_every_reading_page(seeded, as_role, role):
    client = as_role(role)
    for url in _reading_pages():
        assert client.get(url).status_code == 200, url


@pytest.mark.parametrize("role", OUTSIDERS)
def test_other_roles_are_refused_every_page(as_role, role):
    client = as_role(role)
    for url in [
        *_reading_pages(),
        reverse("indicators:priority_new"),
        reverse("indicators:meeting_new"),
        reverse("indicators:obstacle_new"),
    ]:
        assert client.get(url).status_code == 403, url


def test_signed_out_visitors_are_sent_to_sign_in(client):
    response = client.get(reverse("indicators:dashboard"))
    assert response.status_code == 302 and "login" in response.url


def test_coordination_pages_are_the_coordinators_only(seeded, as_role):
    priority = QuarterPriority.objects.first()
    obstacle = Obstacle.objects.first()
    urls = [
        reverse("indicators:priority_new"),
        reverse("indicators:meeting_new"),
        reverse("indicators:joint_action_new", args=[priority.pk]),
        reverse("indicators:obstacle_edit", args=[obstacle.pk]),
        reverse("indicators:target_edit", args=["jrs_all_member_states"]),
    ]
    coordinator = as_role(Role.RETURN_COORDINATOR)
    for url in urls:
        assert coordinator.get(url).status_code == 200, url
    for role in (Role.RETURN_OFFICER, Role.CHAIR):
        client = as_role(role)
        for url in urls:
            assert client.get(url).status_code == 403, (role, url)


def test_a_return_officer_may_report_an_obstacle_but_not_load_eurostat(as_role):
    officer = as_role(Role.RETURN_OFFICER)
    assert officer.get(reverse("indicators:obstacle_new")).status_code == 200
    page = officer.get(reverse("indicators:eurostat"))
    assert page.status_code == 200 and not page.context["may_load"]
    upload = SimpleUploadedFile("x.tsv", b"a\n", content_type="text/plain")
    response = officer.post(reverse("indicators:eurostat"), {"dataset": "migr_eirtn", "file": upload})
    assert response.status_code == 403


def _upload(client, data: bytes, dataset="migr_eirtn", name="estat_migr_eirtn.tsv"):
    upload = SimpleUploadedFile(name, data, content_type="text/tab-separated-values")
    return client.post(reverse("indicators:eurostat"), {"dataset": dataset, "file": upload}, follow=True)


def test_the_upload_page_loads_a_good_file(as_role):
    client = as_role(Role.RETURN_COORDINATOR)
    good = tsv(BASE_DIMS, ["2023"], [("A,TOTAL,TOTAL,T,PER,AT", ["5"])]).getvalue()
    response = _upload(client, good)
    assert response.status_code == 200
    assert "Loaded 1 figures of migr_eirtn." in response.content.decode()
    assert EurostatObservation.objects.get(geo="AT").value == 5
    again = _upload(client, good)
    assert "loaded before; nothing changed" in again.content.decode()
    assert EurostatLoad.objects.count() == 1


def test_the_upload_page_refuses_a_bad_file_with_line_and_column(as_role):
    client = as_role(Role.RETURN_COORDINATOR)
    bad = tsv(
        BASE_DIMS,
        ["2022", "2023"],
        [("A,TOTAL,TOTAL,T,PER,AT", ["5", "6"]), ("A,TOTAL,TOTAL,T,PER,ZZ", ["7", "8 q"])],
    ).getvalue()
    response = _upload(client, bad)
    assert response.status_code == 422
    text = response.content.decode()
    assert "The file was refused; nothing of it was loaded." in text
    assert re.search(r"Line 3, column \d+:", text)
    assert EurostatObservation.objects.count() == 0 and EurostatLoad.objects.count() == 0


def test_the_upload_page_refuses_a_file_that_is_not_text(as_role):
    client = as_role(Role.RETURN_COORDINATOR)
    response = _upload(client, b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n", name="table.tsv")
    assert response.status_code == 422
    assert EurostatLoad.objects.count() == 0


def test_the_csv_downloads_hold_the_charts_figures_with_flags(seeded, as_role):
    client = as_role(Role.SECRETARIAT)
    period = client.get(reverse("indicators:dashboard")).context["period"]
    for key, query in (
        ("trend", "indicator=return_rate"),
        ("trend", "indicator=return_rate&quarterly=1"),
        ("comparison", f"indicator=return_rate&period={period}"),
        ("map", f"indicator=return_rate&period={period}"),
        ("register", "quarterly=1"),
    ):
        response = client.get(reverse("indicators:export", args=[key]) + "?" + query)
        assert response.status_code == 200 and response["Content-Type"].startswith("text/csv"), key
        body = b"".join(response.streaming_content) if response.streaming else response.content
        rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
        assert len(rows) > 1, key
    trend = client.get(reverse("indicators:export", args=["trend"]) + "?indicator=return_rate")
    body = b"".join(trend.streaming_content) if trend.streaming else trend.content
    header, *rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    assert header[-1] == "Flags" and all(r[1] == "EU27_2020" for r in rows)


@pytest.mark.parametrize(
    "query",
    ["indicator=nonsense", "indicator=return_rate&period=20x3", "", "indicator=return_rate&period=2023-Q9"],
)
def test_a_bad_csv_request_is_not_found_never_an_error(as_role, query):
    client = as_role(Role.RETURN_COORDINATOR)
    for key in ("comparison", "map", "unknown"):
        url = reverse("indicators:export", args=[key]) + "?" + query
        assert client.get(url).status_code == 404, url


def test_a_bad_dashboard_filter_falls_back_never_an_error(seeded, as_role):
    client = as_role(Role.RETURN_COORDINATOR)
    for query in ("indicator=nonsense", "period=2023-Q9", "period=" + "9" * 50):
        assert client.get(reverse("indicators:dashboard") + "?" + query).status_code == 200


def test_the_dashboard_charts_are_inline_svg_fetching_nothing_from_outside(seeded, as_role):
    page = as_role(Role.RETURN_COORDINATOR).get(reverse("indicators:dashboard")).content.decode()
    svgs = re.findall(r'<figure class="ilonet-chart"[^>]*>\s*(<svg\b.*?</svg>)', page, flags=re.S)
    assert len(svgs) >= 4
    for svg in svgs:
        assert "<script" not in svg and "<image" not in svg and "style=" not in svg
        # the only URLs are XML namespace names, which are never fetched
        urls = set(re.findall(r"https?://[^\s\"')<>]+", svg))
        assert urls <= {"http://www.w3.org/2000/svg", "http://www.w3.org/1999/xlink"}, urls
        assert not re.search(r"(?:href|src)=\"(?!#)", svg)
        assert "url(http" not in svg and "@import" not in svg
    # each chart has its table and its CSV link beside it
    assert page.count("Download as CSV") == page.count('<section class="ilonet-panel"') >= 4


def test_a_return_officer_sees_only_their_own_member_states_obstacles(seeded, as_role):
    page = as_role(Role.RETURN_OFFICER).get(reverse("indicators:obstacles"))
    assert {o.member_state for o in page.context["obstacles"]} == {"NL"}
    page = as_role(Role.CHAIR).get(reverse("indicators:obstacles"))
    assert {o.member_state for o in page.context["obstacles"]} == {"NL", "BE"}
