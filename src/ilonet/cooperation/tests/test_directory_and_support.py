"""The directory of referral and reintegration opportunities (RS 2(b)): search by country and
need, no personal data, staleness on a fixed clock; peer support and who followed it."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from ilonet.cooperation import selectors
from ilonet.cooperation.models import Opportunity, SupportItem, Uptake
from ilonet.cooperation.services import opportunities, support

from .conftest import days

pytestmark = pytest.mark.django_db


def _entry(actor, **overrides):
    values = {
        "entered_by_state": "NL",
        "country": "GE",
        "provider_kind": "international",
        "organisation": "IOM Georgia",
        "title": "Reintegration grants",
        "offers": "In-kind grants for a small business.",
        "eligibility": "Adults returning voluntarily.",
        "needs": ["business", "employment"],
        "valid_from": days(-30),
        "contact": "georgia@iom.example",
    }
    values.update(overrides)
    return opportunities.record_opportunity(actor=actor, **values)


def test_search_by_country_need_and_words(officer):
    nl = officer("nl")
    grants = _entry(nl)
    housing = _entry(
        nl,
        title="Temporary housing",
        needs=["housing", "arrival"],
        organisation="Caritas Georgia",
        provider_kind="local",
        offers="Two weeks in a shelter.",
    )
    _entry(nl, country="MA", title="Medical referral", needs=["medical"], offers="Referral to a clinic.")
    assert list(selectors.opportunities(country="GE")) == [housing, grants]
    assert list(selectors.opportunities(need="housing")) == [housing]
    assert list(selectors.opportunities(need="medical", country="GE")) == []
    assert list(selectors.opportunities(text="grants")) == [grants]


def test_stale_entries_are_flagged_on_a_fixed_clock(officer):
    nl = officer("nl")
    today = days(0)
    fresh = _entry(nl, valid_until=days(100))
    expired = _entry(nl, valid_from=days(-200), valid_until=days(-1), title="Ended project")
    Opportunity.objects.filter(pk=fresh.pk).update(reviewed_on=today - timedelta(days=365))
    fresh.refresh_from_db()
    assert list(selectors.stale_opportunities(today=today)) == [expired]
    later = today + timedelta(days=1)  # a year and a day since the review
    assert set(selectors.stale_opportunities(today=later)) == {fresh, expired}
    assert selectors.is_stale(fresh, today=later) and not selectors.is_stale(fresh, today=today)
    reviewed = opportunities.review_opportunity(actor=nl, opportunity=expired, valid_until=days(60))
    assert not selectors.is_stale(reviewed, today=today)


def test_personal_data_of_returnees_is_refused(officer):
    with pytest.raises(ValidationError) as error:
        _entry(officer("nl"), offers="Ask for Mr Dadiani, +995 599 12 34 56, who returned last week.")
    assert "offers" in error.value.message_dict
    assert Opportunity.objects.count() == 0


def test_an_entry_is_for_a_third_country(officer):
    with pytest.raises(ValidationError, match="EU member state"):
        _entry(officer("nl"), country="FR")


def test_peer_support_and_who_followed_it(officer, coordinator):
    nl, de = officer("nl"), officer("de")
    offer = support.record_item(
        actor=nl,
        kind="offer",
        topic="counselling",
        title="Setting up return counselling",
        description="Two study visits to our counselling desks.",
        provider="NL",
    )
    training = support.record_item(
        actor=coordinator,
        kind="training",
        topic="fundamental_rights",
        title="Fundamental rights in return",
        description="Online course.",
        provider="frontex",
    )
    assert training.fundamental_rights
    support.record_uptake(actor=de, item=training, participant="DE", taken_on=days(-3))
    support.record_uptake(actor=coordinator, item=training, participant="frontex", taken_on=days(-2))
    assert {i.pk: i.followed for i in selectors.support_items()} == {offer.pk: 0, training.pk: 2}
    with pytest.raises(PermissionDenied):
        support.record_uptake(actor=de, item=training, participant="NL", taken_on=days(-1))
    with pytest.raises(ValidationError, match="not a person"):
        support.record_uptake(actor=coordinator, item=training, participant="Jan Jansen", taken_on=days(-1))
    with pytest.raises(ValidationError, match="future"):
        support.record_uptake(actor=de, item=training, participant="DE", taken_on=days(1))
    assert Uptake.objects.count() == 2
    assert SupportItem.objects.count() == 2
