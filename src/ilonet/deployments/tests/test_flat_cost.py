"""The cost of a page stays flat as its tables grow: the registry, the contact list, the networks
(members and facilitator, Art. 5(1), Art. 5(2)) and the gap analysis (Art. 8(2)(e)) read the
same number of rows, in the same number of queries, with ten times the deployments.

The rows counted are those handed from the database to Python (``fetched_rows``): a page that
reads every member of every network, or every region row of every deployment, reads ten times
more of them here."""

from itertools import cycle

import pytest

from ilonet.accounts.models import User
from ilonet.accounts.roles import Role
from ilonet.deployments.models import Deployment, RegionCountry
from ilonet.deployments.tests.helpers import days
from ilonet.directory.models import Organisation
from ilonet.networks import services as network_services
from ilonet.shared.testing import fetched_rows

pytestmark = pytest.mark.django_db

COUNTRIES = ("MA", "TN", "DZ")
AUTHORITIES = ("nl-auth", "de-auth", "com", "frontex")

PAGES = [
    "/deployments/",
    "/deployments/contacts/",
    "/deployments/gaps/",
    "/networks/",
    "/api/v1/deployments",
    "/api/v1/deployments/contacts",
    "/api/v1/deployments/gaps",
    "/api/v1/networks",
]


def _grow(n: int) -> None:
    """``n`` more active deployments, over the same countries and authorities."""
    authorities = cycle(Organisation.objects.filter(code__in=AUTHORITIES).order_by("code"))
    countries = cycle(COUNTRIES)
    start = User.objects.count()
    home = Organisation.objects.get(code="nl")
    officers = User.objects.bulk_create(
        [
            User(
                email=f"flat{start + i}@example.eu",
                first_name="F",
                last_name=f"O{start + i}",
                organisation=home,
                password="!",
            )
            for i in range(n)
        ]
    )
    deployments = Deployment.objects.bulk_create(
        [
            Deployment(
                deploying_authority=next(authorities),
                officer=person,
                country=next(countries),
                place_kind="ms_mission",
                place_name="Post",
                city="City",
                task_summary="Tasks",
                start_date=days(-30 - i),
                planned_end_date=days(700),
                status="active",
                phone="+212537123456",
            )
            for i, person in enumerate(officers)
        ]
    )
    RegionCountry.objects.bulk_create(
        [RegionCountry(deployment=d, country=c) for d in deployments for c in {d.country.code, "LY"}]
    )


@pytest.fixture
def reader(make_user, login):
    user = make_user(Role.SECRETARIAT, organisation="com")
    for code in COUNTRIES:
        network_services.create_network(actor=user, name=f"Network {code}", kind="local", countries=[code])
    network_services.create_network(actor=user, name="Maghreb", kind="regional", countries=list(COUNTRIES))
    return user


def _cost(client, url: str) -> tuple[int, int]:
    assert client.get(url).status_code == 200  # warm-up: first-use writes (token touch)
    with fetched_rows() as fetched:
        assert client.get(url).status_code == 200
    return fetched.queries, fetched.rows


@pytest.mark.parametrize("url", PAGES)
def test_a_page_reads_the_same_rows_with_ten_times_the_deployments(client, login, reader, url):
    if url.startswith("/api/"):
        from ilonet.accounts import testing as account_tokens

        _token, secret = account_tokens.issue_api_token(actor=reader, name="t", scope="read")
        client.defaults["HTTP_AUTHORIZATION"] = f"Bearer {secret}"
    else:
        login(reader)
    _grow(60)
    small = _cost(client, url)
    _grow(540)
    large = _cost(client, url)
    assert large == small, f"{url}: (queries, rows) {small} with 60 deployments, {large} with 600"
