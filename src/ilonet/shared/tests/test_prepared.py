"""A query compiled once (``ilonet.shared.prepared.PreparedQuery``) reads what the ORM's own
queryset reads, for every value and list length, converters included, and is one query."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.db.models import Q
from django.utils import timezone

from ilonet.accounts.models import RoleAssignment, RoleStatus
from ilonet.accounts.selectors import _current_roles, current_role_tuples
from ilonet.directory.models import Organisation
from ilonet.shared.prepared import PreparedQuery

pytestmark = pytest.mark.django_db


def _assignments(user_ids: list[int], since: date):
    return (
        RoleAssignment.objects.filter(user_id__in=user_ids, valid_from__gte=since)
        .order_by("user_id", "role")
        .values_list("user_id", "role", "valid_from", "valid_until")
    )


def test_a_prepared_query_reads_what_the_orm_reads(make_user):
    today = timezone.localdate()
    users = [make_user(role) for role in ("ilo", "secretariat", "chair", "observer")]
    RoleAssignment.objects.filter(user=users[0]).update(valid_until=today + timedelta(days=3))
    RoleAssignment.objects.filter(user=users[1]).update(valid_from=today - timedelta(days=400))
    prepared = PreparedQuery(_assignments, user_ids=[-424242], since=date(1901, 2, 3))
    ids = [u.pk for u in users]
    for chosen in (ids, ids[:1], ids[1:3], [ids[2], ids[2], None, ids[0]], [ids[3], -5]):
        for since in (today - timedelta(days=10), today - timedelta(days=1000)):
            rows = prepared.rows(user_ids=chosen, since=since)
            assert rows == list(_assignments(chosen, since)), (chosen, since)
    assert any(isinstance(row[2], date) for row in rows)  # dates converted as the ORM does


def test_the_roles_read_once_compiled_are_the_orms(make_user):
    today = timezone.localdate()
    user = make_user("ilo")
    RoleAssignment.objects.create(
        user=user,
        role="observer",
        valid_from=today - timedelta(days=9),
        valid_until=today - timedelta(days=1),
    )
    RoleAssignment.objects.create(user=user, role="chair", valid_from=today + timedelta(days=1))
    RoleAssignment.objects.create(user=user, role="secretariat", status=RoleStatus.PENDING)
    RoleAssignment.objects.create(user=user, role="ep_reader", valid_until=today)
    expected = list(_current_roles(user.pk, today))
    assert sorted(current_role_tuples(user)) == sorted(expected)
    assert {role for role, _org, _ref in expected} == {"ilo", "ep_reader"}


def test_a_prepared_query_is_one_query(django_assert_num_queries, make_user):
    user = make_user("ilo")
    current_role_tuples(user)
    with django_assert_num_queries(1):
        current_role_tuples(user)


def test_a_sentinel_that_is_not_a_parameter_is_refused():
    def by_code(code: str):
        return Organisation.objects.filter(Q(code="nl") | Q(code="be")).values_list("code")

    with pytest.raises(ImproperlyConfigured):
        PreparedQuery(by_code, code="\x00never").rows(code="nl")


def test_an_empty_list_is_the_callers_to_answer():
    prepared = PreparedQuery(_assignments, user_ids=[-424242], since=date(1901, 2, 3))
    with pytest.raises(ValueError):
        prepared.rows(user_ids=[], since=timezone.localdate())
