"""What the home page reads from the registry for a deploying authority (Art. 4(1)): its own
deployments ending soon, its plans past their start date, its deployments past their planned
end; never another authority's."""

import pytest

from ilonet.deployments import selectors, services

from .helpers import days, deploy, desk, officer

pytestmark = pytest.mark.django_db


def test_a_desk_sees_only_its_own_authoritys_deployments_ending(make_user):
    nl_desk, de_desk = desk(make_user, "nl-auth"), desk(make_user, "de-auth")
    dutch = deploy(nl_desk, officer(make_user, "nl-auth"), end=days(30))
    german = deploy(de_desk, officer(make_user, "de-auth"), authority="de-auth", end=days(30))
    assert list(selectors.deployments_ending(user=nl_desk)) == [dutch]
    assert list(selectors.deployments_ending(user=de_desk)) == [german]
    for reader in (officer(make_user, "nl-auth"), make_user("chair", organisation="com")):
        assert list(selectors.deployments_ending(user=reader)) == []  # they notify nothing (Art. 4(1))


def test_ending_means_active_with_a_planned_end_within_sixty_days_soonest_first(make_user):
    actor = desk(make_user)
    later = deploy(actor, officer(make_user), end=days(60))
    sooner = deploy(actor, officer(make_user), end=days(0))
    farther = deploy(actor, officer(make_user), end=days(61))
    deploy(actor, officer(make_user), status="planned", start=days(10), end=days(20))
    ended = deploy(actor, officer(make_user), end=days(20))
    services.end_deployment(actor=actor, deployment=ended, end_date=days(-1))
    assert list(selectors.deployments_ending(user=actor)) == [sooner, later]
    assert list(selectors.deployments_ending(user=actor, within_days=90)) == [sooner, later, farther]


def test_notifications_due_plans_past_their_start_and_deployments_past_their_end(make_user):
    nl_desk, de_desk = desk(make_user, "nl-auth"), desk(make_user, "de-auth")
    plan = deploy(nl_desk, officer(make_user), status="planned", start=days(-3), end=days(700))
    deploy(nl_desk, officer(make_user), status="planned", start=days(3), end=days(700))
    overdue = deploy(nl_desk, officer(make_user), start=days(-400), end=days(-2))
    deploy(
        de_desk,
        officer(make_user, "de-auth"),
        authority="de-auth",
        status="planned",
        start=days(-3),
        end=days(700),
    )
    deploy(de_desk, officer(make_user, "de-auth"), authority="de-auth", start=days(-400), end=days(-2))
    assert list(selectors.plans_past_start(user=nl_desk)) == [plan]
    assert list(selectors.ends_past_due(user=nl_desk)) == [overdue]
    services.start_deployment(actor=nl_desk, deployment=plan)  # the actual deployment is notified
    services.end_deployment(actor=nl_desk, deployment=overdue, end_date=days(-2))
    assert list(selectors.plans_past_start(user=nl_desk)) == []
    assert list(selectors.ends_past_due(user=nl_desk)) == []
    assert len(selectors.plans_past_start(user=de_desk)) == len(selectors.ends_past_due(user=de_desk)) == 1
