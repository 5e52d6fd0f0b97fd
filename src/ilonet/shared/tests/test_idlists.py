"""A list of ids as one parameter (``ilonet.shared.idlists``) selects exactly those rows."""

import pytest
from django.contrib.auth.models import Group

from ilonet.shared.idlists import ids_in

pytestmark = pytest.mark.django_db


def test_ids_in_selects_exactly_the_rows_with_those_ids_and_none_for_no_ids():
    groups = [Group.objects.create(name=f"g{n}") for n in range(5)]
    wanted = {groups[0].pk, groups[3].pk, 10**9}
    assert sorted(Group.objects.filter(ids_in("pk", wanted)).values_list("pk", flat=True)) == sorted(
        [groups[0].pk, groups[3].pk]
    )
    assert not Group.objects.filter(ids_in("pk", [])).exists()
    # In an OR, as the policy's scopes combine it, and with other conditions.
    either = Group.objects.filter(ids_in("pk", [groups[1].pk]) | ~ids_in("pk", [g.pk for g in groups]))
    assert list(either.values_list("pk", flat=True)) == [groups[1].pk]
    assert not Group.objects.filter(ids_in("pk", [groups[1].pk]), name="g0").exists()
