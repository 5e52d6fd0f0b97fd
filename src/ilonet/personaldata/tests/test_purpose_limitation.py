"""Art. 10(3): each category only for the purpose its words name; category (e) solely for the
exchange of Art. 3(6)(d). Checked at creation (every pair) and at read time (assigned purposes)."""

from __future__ import annotations

import itertools

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from ilonet.accounts.roles import Role
from ilonet.personaldata import selectors, vault
from ilonet.personaldata.law import Category, Purpose
from ilonet.personaldata.models import Record

from .conftest import SUBJECT, give_purposes, make_record

pytestmark = pytest.mark.django_db

ALLOWED = {
    ("return", "a"),
    ("return", "b"),
    ("legal_migration", "c"),
    ("resettlement", "d"),
    ("exchange", "e"),
}
EXTRA = {
    "b": {"passengers": [{"name": "Youssef Zarqaoui", "document": "XQ7781234"}]},
    "e": {"modus_operandi": "Forged visas sold through a travel agency."},
}


@pytest.mark.parametrize(("purpose", "category"), list(itertools.product(Purpose.values, Category.values)))
def test_every_purpose_and_category_pair_is_allowed_only_as_article_10_3_says(
    officer, key_store, purpose, category
):
    data = {**SUBJECT, **EXTRA.get(category, {})}
    if (purpose, category) in ALLOWED:
        record = make_record(officer, purpose=purpose, category=category, data=data)
        assert record.pk and Record.objects.count() == 1
        return
    with pytest.raises(ValidationError) as refused:
        make_record(officer, purpose=purpose, category=category, data=data)
    reason = refused.value.message_dict["category"][0]
    assert "Art. 10(3)" in reason
    if category == "e":
        assert "Art. 3(6)(d)" in reason
    assert Record.objects.count() == 0
    assert vault.key_count() == 0  # nothing stored


def test_a_user_creates_records_only_for_a_purpose_assigned_to_them(make_user):
    user = make_user(Role.ILO)
    give_purposes(user, Purpose.RETURN)
    make_record(user, purpose=Purpose.RETURN, category="a")
    with pytest.raises(PermissionDenied) as refused:
        make_record(user, purpose=Purpose.EXCHANGE, category="e", data={**SUBJECT, **EXTRA["e"]})
    assert "Art. 3(6)" in str(refused.value)


def test_at_read_time_a_user_sees_a_record_only_for_a_purpose_they_work_on(officer, make_user, login):
    record = make_record(officer, purpose=Purpose.EXCHANGE, category="e", data={**SUBJECT, **EXTRA["e"]})
    colleague = make_user(Role.ILO)
    give_purposes(colleague, Purpose.RETURN)
    assert not selectors.record_list(user=colleague).exists()
    client = login(colleague)
    response = client.get(reverse("personaldata:record_detail", args=[record.ref]))
    assert response.status_code == 403
    assert "Art. 3(6)" in response.content.decode()
    assert "Zarqaoui" not in response.content.decode()


def test_another_member_states_officer_does_not_see_the_record(officer, make_user, login):
    record = make_record(officer)
    foreign = make_user(Role.ILO, organisation="de")
    give_purposes(foreign, *Purpose.values)
    assert not selectors.record_list(user=foreign).exists()
    assert login(foreign).get(reverse("personaldata:record_detail", args=[record.ref])).status_code == 403


def test_purposes_are_assigned_by_the_deploying_authority_never_to_itself(make_user):
    from ilonet.personaldata import services

    authority = make_user(Role.DEPLOYING_AUTHORITY)
    officer = make_user(Role.ILO)
    services.assign_purpose(actor=authority, user=officer, purpose=Purpose.RETURN)
    assert selectors.record_list(user=officer).model is Record
    with pytest.raises(ValidationError):
        services.assign_purpose(actor=authority, user=authority, purpose=Purpose.RETURN)
    with pytest.raises(PermissionDenied):
        services.assign_purpose(actor=officer, user=officer, purpose=Purpose.EXCHANGE)
