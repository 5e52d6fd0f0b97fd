"""The search page and the search API (issue 11 item 6): hits only from what the user may open,
escaped snippets, bounded pages, and bad input answered 4xx, never 500."""

import pytest
from django.urls import reverse

from ilonet.exchange.models import Marking
from ilonet.jobs.testing import run_queued_jobs

from .conftest import txt, upload
from .test_api import BASE, _api

pytestmark = pytest.mark.django_db


@pytest.fixture
def indexed(people, decision):
    from ilonet.exchange import services

    space = people.board_space
    folder = services.create_folder(actor=people.secretariat, space=space, name="For the Parliament")
    upload(people.chair, space, txt("Readmission figures.\n"), folder=folder, title="Annual report")
    upload(people.chair, space, txt("Readmission internal.\n"), title="Internal note")
    upload(
        people.chair, space, txt("Readmission analysis.\n"), folder=folder, title="Sensitive analysis",
        marking=Marking.SENSITIVE,
    )  # fmt: skip
    upload(people.ilo, people.network_space, txt("Readmission in Morocco.\n"), title="Morocco note")
    services.open_to_parliament(actor=people.chair, motion_id=decision.pk, folder=folder)
    run_queued_jobs()
    return people


def test_the_search_page_shows_only_what_the_reader_may_open(indexed, login):
    url = reverse("exchange:search")
    response = login(indexed.ep_reader).get(url, {"q": "readmission"})
    assert response.status_code == 200
    body = response.content.decode()
    assert "Annual report" in body and "<mark>Readmission</mark> figures" in body
    for hidden in ("Internal note", "Sensitive analysis", "Morocco note", "internal", "analysis"):
        assert hidden not in body
    assert "1 document found" in body
    member = login(indexed.ilo).get(url, {"q": "readmission"}).content.decode()
    assert "Morocco note" in member and "Annual report" not in member


def test_the_search_page_is_linked_from_the_exchange_pages(indexed, login):
    body = login(indexed.ilo).get(reverse("exchange:space_list")).content.decode()
    assert reverse("exchange:search") in body


@pytest.mark.parametrize(
    "params",
    [
        {"q": "x" * 201},
        {"q": "readmission", "page": "abc"},
        {"q": "readmission", "page": "51"},
        {"q": "readmission", "page": "0"},
        {"q": "readmission", "space": "999999"},
        {"q": "readmission", "topic": "zz"},
        {"q": "readmission", "language": "xx"},
        {"q": "readmission", "date_from": "2026-13-01"},
        {"q": "readmission", "date_from": "2026-05-02", "date_to": "2026-05-01"},
    ],
)
def test_bad_input_on_the_page_is_a_400_with_the_form(indexed, login, params):
    response = login(indexed.ilo).get(reverse("exchange:search"), params)
    assert response.status_code == 400


def test_a_space_the_user_does_not_read_is_not_a_choice(indexed, login):
    other = indexed.other_space.pk
    response = login(indexed.ilo).get(reverse("exchange:search"), {"q": "readmission", "space": other})
    assert response.status_code == 400


def test_the_api_finds_only_what_the_caller_may_open(indexed):
    body = _api(indexed.ep_reader, scope="read").get(f"{BASE}/search", {"q": "readmission"}).json()
    assert body["count"] == 1 and not body["count_capped"]
    assert [hit["title"] for hit in body["results"]] == ["Annual report"]
    assert "<mark>Readmission</mark>" in body["results"][0]["snippet"]
    body = _api(indexed.outsider, scope="read").get(f"{BASE}/search", {"q": "readmission"})
    assert body.status_code == 403 or body.json()["count"] == 0


@pytest.mark.parametrize(
    "params",
    [
        {},
        {"q": ""},
        {"q": " "},
        {"q": "x" * 201},
        {"q": "readmission", "page": "abc"},
        {"q": "readmission", "page": "51"},
        {"q": "readmission", "per_page": "500"},
        {"q": "readmission", "topic": "zz"},
        {"q": "readmission", "language": "es"},
        {"q": "readmission", "date_from": "20260101"},
        {"q": "readmission", "date_from": "2026-05-02", "date_to": "2026-05-01"},
        {"q": "readmission", "space_id": "-1"},
    ],
)
def test_bad_input_in_the_api_is_a_4xx(indexed, params):
    response = _api(indexed.ilo, scope="read").get(f"{BASE}/search", params)
    assert 400 <= response.status_code < 500, response.content
