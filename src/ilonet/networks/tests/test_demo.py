"""The demo data shows the registry with history, networks with facilitators of all three
kinds, a world map with gaps, and a list of deployed ILOs."""

import pytest
from django.contrib.auth import get_user_model

from ilonet.accounts import demo as accounts_demo
from ilonet.deployments import demo as deployments_demo
from ilonet.deployments import selectors as deployment_selectors
from ilonet.deployments.models import Deployment
from ilonet.directory import demo as directory_demo
from ilonet.networks import demo as networks_demo
from ilonet.networks import selectors
from ilonet.networks.models import FacilitatorNotification, Network, NetworkActivity, OfficerList

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo():
    accounts_demo.seed_accounts(directory_demo.ensure_authorities())
    deployments_demo.seed_deployments()
    networks_demo.seed_networks()


def _user(local):
    return get_user_model().objects.get(email=f"{local}@demo.ilonet.eu")


def test_the_demo_has_a_registry_with_history_plans_and_joint_deployments(demo):
    statuses = set(Deployment.objects.values_list("status", flat=True))
    assert statuses == {"planned", "active", "ended"}
    assert Deployment.objects.filter(status="active").count() >= 150
    assert Deployment.objects.filter(representations__isnull=False).distinct().count() >= 5
    oldest = Deployment.objects.order_by("start_date").first().start_date
    assert oldest.year <= Deployment.objects.order_by("-start_date").first().start_date.year - 10
    ilo = _user("ilo")
    assert ilo.deployments.get(status="active").country.code == "MA"  # the registry says where the officer is


def test_the_demo_networks_have_facilitators_of_all_three_kinds(demo):
    networks = list(Network.objects.all())
    decisions = selectors.facilitators_for(networks)
    bases = {d.basis for d in decisions.values()}
    assert {"commission", "agency", "agreement", "none"} <= bases
    morocco = Network.objects.get(name="Local ILO network Morocco")
    assert decisions[morocco.pk].facilitator.name == str(_user("facilitator"))
    assert FacilitatorNotification.objects.count() >= len(networks)
    assert NetworkActivity.objects.filter(kind="meeting").exists()
    assert Network.objects.filter(associates__isnull=False).exists()


def test_the_demo_map_has_gaps_and_a_list_of_deployed_ilos(demo, login):
    rows = deployment_selectors.gap_analysis(user=_user("coordinator"))
    levels = {row.level for row in rows}
    assert levels == {"priority_gap", "priority_covered", "covered", "not_covered"}
    assert {row.country for row in rows if row.level == "priority_gap"} >= {"SS", "YE", "SL"}
    officer_list = OfficerList.objects.get()
    assert officer_list.officer_count == Deployment.objects.filter(status="active").count()
    body = login(_user("ilo")).get("/deployments/gaps/").content.decode()
    assert "ilonet-map--priority-gap" in body
