"""Deployment gap analysis (Art. 8(2)(e)) against the priority countries set by the board or the
EU return coordinator (RS 1): per third country, the officers and member states covering it, a
world map with one CSS class per coverage level, and a table with the same data."""

import re

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from ilonet.accounts import testing as account_tokens
from ilonet.accounts.roles import Role
from ilonet.deployments import selectors, services
from ilonet.directory import selectors as directory
from ilonet.directory import services as directory_services
from ilonet.directory.models import PriorityCountry

from .helpers import days, deploy, desk, officer

pytestmark = pytest.mark.django_db


@pytest.fixture
def situation(make_user):
    nl = desk(make_user)
    deploy(
        nl,
        officer(make_user, first_name="Secret", last_name="Name"),
        country="SN",
        region=["GM"],
        represented=[("be", "")],
    )
    deploy(
        desk(make_user, "com"),
        officer(make_user, "com"),
        authority="com",
        country="MA",
        place_kind="eu_delegation",
    )
    old = deploy(nl, officer(make_user), country="TN", start=days(-800), end=days(100))
    services.end_deployment(actor=nl, deployment=old, end_date=days(-300))
    chair, coordinator = (
        make_user(Role.CHAIR, organisation="com"),
        make_user(Role.RETURN_COORDINATOR, organisation="com"),
    )
    for code in ("MA", "MR"):
        directory_services.set_priority_country(
            actor=chair, country=code, period_start=days(-30), set_by="steering_board"
        )
    directory_services.set_priority_country(
        actor=coordinator,
        country="GM",
        period_start=days(-10),
        period_end=days(80),
        set_by="return_coordinator",
    )
    return {"chair": chair, "coordinator": coordinator}


def _rows(user, **filters):
    return {row.country: row for row in selectors.gap_analysis(user=user, **filters)}


def test_each_third_country_gets_its_coverage_level(make_user, situation):
    rows = _rows(situation["coordinator"])
    assert rows["MR"].level == "priority_gap" and rows["MR"].officers == 0
    assert rows["MA"].level == "priority_covered" and rows["MA"].eu_bodies == ["EC"]
    assert rows["GM"].level == "priority_covered" and rows["GM"].priority_by == ["return_coordinator"]
    assert rows["SN"].level == "covered"
    assert (rows["SN"].officers, rows["SN"].resident_officers) == (1, 1)
    assert (rows["GM"].officers, rows["GM"].resident_officers) == (1, 0)  # covered through the region
    assert rows["SN"].member_states == ["BE", "NL"]  # the joint deployment covers Belgium too
    assert rows["TN"].level == "not_covered"  # its officer left
    assert "FR" not in rows and "NO" not in rows  # only third countries
    assert set(rows) == set(directory.deployable_third_countries())


def test_the_analysis_can_look_at_a_past_day(make_user, situation):
    rows = _rows(situation["chair"], on=days(-400))
    assert rows["TN"].level == "covered" and rows["TN"].officers == 1  # its officer was there then
    assert rows["MR"].level == "not_covered"  # not yet a priority then


def test_filters_by_region_priority_and_level(make_user, situation):
    user = situation["chair"]
    africa = _rows(user, continent="AF")
    assert "SN" in africa and "AF" not in africa and "CN" not in africa
    assert set(_rows(user, priority=True)) == {"MA", "MR", "GM"}
    assert "MA" not in _rows(user, priority=False)
    assert set(_rows(user, level="priority_gap")) == {"MR"}
    assert set(_rows(user, search="mauri")) == {"MR", "MU"} and set(_rows(user, search="SN")) == {"SN", "BA"}
    ordered = [row.level for row in selectors.gap_analysis(user=user)]
    assert ordered == sorted(
        ordered, key=["priority_gap", "priority_covered", "covered", "not_covered"].index
    )


def test_the_map_shows_levels_as_css_classes_and_has_a_table_with_the_same_data(make_user, login, situation):
    body = login(situation["coordinator"]).get("/deployments/gaps/").content.decode()

    def css(code):
        return re.search(rf'class="ilonet-map__country ([\w-]+)" data-country="{code}"', body).group(1)

    assert css("MR") == "ilonet-map--priority-gap"
    assert css("MA") == "ilonet-map--priority-covered"
    assert css("SN") == "ilonet-map--covered"
    assert css("TN") == "ilonet-map--not-covered"
    assert css("FR") == "ilonet-map--other"
    assert " style=" not in body  # CSP style-src 'self': colours come from deployments.css
    assert "ilonet/css/deployments.css" in body
    assert "<table" in body and "Mauritania" in body and "Priority, no officer (gap)" in body
    assert "CC BY 4.0" in body


def test_the_return_coordinator_sees_gaps_but_no_officer_names(make_user, login, situation):
    client = login(situation["coordinator"])
    body = client.get("/deployments/gaps/").content.decode()
    assert "Secret Name" not in body
    assert client.get("/deployments/").status_code == 403
    assert client.get("/deployments/contacts/").status_code == 403


@pytest.mark.parametrize("role", [Role.EP_READER, Role.OBSERVER, Role.RETURN_OFFICER, Role.PLATFORM_ADMIN])
def test_roles_outside_the_network_do_not_see_the_gap_analysis(make_user, login, role):
    assert login(make_user(role)).get("/deployments/gaps/").status_code == 403
    assert selectors.gap_analysis(user=make_user(role)) == []


def test_the_gap_api_lists_countries_with_their_level(client, situation):
    _t, secret = account_tokens.issue_api_token(actor=situation["coordinator"], name="t")
    body = client.get("/api/v1/deployments/gaps?priority=true", HTTP_AUTHORIZATION=f"Bearer {secret}").json()
    assert body["count"] == 3
    assert body["items"][0] == {
        "country": "MR",
        "name": "Mauritania",
        "continent": "AF",
        "officers": 0,
        "resident_officers": 0,
        "member_states": [],
        "eu_bodies": [],
        "priority_by": ["steering_board"],
        "level": "priority_gap",
    }


def test_the_gap_page_has_a_constant_number_of_queries(
    make_user, login, situation, django_assert_max_num_queries
):
    client = login(situation["chair"])
    with django_assert_max_num_queries(10):
        client.get("/deployments/gaps/")
    actor = desk(make_user)
    for code in ("DZ", "EG", "LY", "NE", "ML", "NG", "GH"):
        deploy(actor, officer(make_user), country=code, region=["TD", "CF"], represented=[("be", "")])
    with django_assert_max_num_queries(10):
        client.get("/deployments/gaps/?continent=AF")


# --- priority countries ----------------------------------------------------------------


def test_the_board_and_the_return_coordinator_each_set_priorities_in_their_own_name(make_user):
    chair, coordinator = make_user(Role.SECRETARIAT), make_user(Role.RETURN_COORDINATOR)
    directory_services.set_priority_country(
        actor=chair, country="PK", period_start=days(0), set_by="steering_board"
    )
    directory_services.set_priority_country(
        actor=coordinator, country="PK", period_start=days(0), set_by="return_coordinator"
    )
    with pytest.raises(PermissionDenied):
        directory_services.set_priority_country(
            actor=coordinator, country="BD", period_start=days(0), set_by="steering_board"
        )
    with pytest.raises(PermissionDenied):
        directory_services.set_priority_country(
            actor=make_user(Role.ILO), country="BD", period_start=days(0), set_by="steering_board"
        )
    assert PriorityCountry.objects.count() == 2
    assert directory.priorities_on(on=days(1)) == {"PK": ["return_coordinator", "steering_board"]}


@pytest.mark.parametrize(
    ("values", "field", "words"),
    [
        ({"country": "DE"}, "country", "not a third country"),
        ({"country": "ZZ"}, "country", "Unknown country code"),
        ({"period_end": days(-5)}, "period_end", "cannot be before its start"),
        ({"country": "PK"}, "period_start", "already a priority"),
    ],
)
def test_bad_priorities_are_refused(make_user, values, field, words):
    chair = make_user(Role.CHAIR, organisation="com")
    directory_services.set_priority_country(
        actor=chair, country="PK", period_start=days(-100), set_by="steering_board"
    )
    with pytest.raises(ValidationError) as error:
        directory_services.set_priority_country(
            actor=chair, **{"country": "BD", "period_start": days(0), "set_by": "steering_board", **values}
        )
    assert words in error.value.message_dict[field][0]
    assert PriorityCountry.objects.count() == 1


def test_a_priority_ends_and_no_longer_counts(make_user):
    chair = make_user(Role.CHAIR, organisation="com")
    priority = directory_services.set_priority_country(
        actor=chair, country="PK", period_start=days(-100), set_by="steering_board"
    )
    directory_services.end_priority_country(actor=chair, priority=priority, period_end=days(-1))
    assert directory.priorities_on(on=days(0)) == {}
    assert directory.priorities_on(on=days(-2)) == {"PK": ["steering_board"]}


def test_priority_countries_page_lets_the_coordinator_add_one(make_user, login):
    coordinator = make_user(Role.RETURN_COORDINATOR)
    client = login(coordinator)
    page = client.get("/deployments/priorities/").content.decode()
    form = page.split('<form method="post" class="ilonet-form"')[-1]
    assert 'value="return_coordinator"' in form and 'value="steering_board"' not in form
    response = client.post(
        "/deployments/priorities/",
        {"country": "IQ", "set_by": "return_coordinator", "period_start": days(0), "period_end": days(90)},
    )
    assert response.status_code == 302
    assert PriorityCountry.objects.get().country.code == "IQ"
    bad = client.post(
        "/deployments/priorities/", {"country": "IT", "set_by": "return_coordinator", "period_start": days(0)}
    )
    assert bad.status_code == 422 and "not a third country" in bad.content.decode()
