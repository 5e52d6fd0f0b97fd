"""The demo's return cases: a few hundred, in several member states, every case type, the stages
and statuses the pages show (on hold, pending travel document, departed, closed, a voluntary case
handed over to enforced return, approvals pending), consistent with the state machines."""

import pytest

from ilonet.accounts import demo as accounts_demo
from ilonet.directory import demo as directory_demo
from ilonet.returns import demo, rls
from ilonet.returns.machine import Ev, replay
from ilonet.returns.models import Approval, CaseEvent, ReturnCase, WorklistEntry

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _the_tests_own_reads_see_every_state():
    """The test's own reads of the tables (``refresh_from_db``, counts) run under the system
    scope: on PostgreSQL row-level security shows nothing without one. The pages and the API
    set their own member-state scope inside it (``rls.member_state_scope`` nests)."""
    with rls.system_scope():
        yield


def test_the_demo_covers_the_states_types_stages_and_statuses_and_replays():
    accounts_demo.seed_accounts(directory_demo.ensure_authorities())
    created = demo.seed_return_cases()
    assert 250 <= created <= 400
    assert demo.seed_return_cases() == 0  # once
    cases = ReturnCase.objects.all()
    assert set(cases.values_list("member_state", flat=True)) == {"NL", "BE", "DE"}
    assert set(cases.values_list("case_type", flat=True)) == {"voluntary", "enforced", "own_means"}
    statuses = set(cases.values_list("status", flat=True))
    assert {"on_hold", "pending_travel_document", "departed", "closed", "awaiting_approval"} <= statuses
    assert CaseEvent.objects.filter(kind="handed_over_to_enforced_return").exists()
    assert Approval.objects.filter(status="requested").exists()
    assert WorklistEntry.objects.filter(member_state="NL").exists()
    sample = cases.order_by("id")[:40]
    for case in sample:  # the cached columns are what the timeline makes
        rows = CaseEvent.objects.filter(case=case).order_by("seq")
        evs = [
            Ev(
                e.seq,
                e.kind,
                e.occurred_on,
                e.fields,
                e.supersedes_seq,
                effective=not e.needs_approval or e.approval.status == "approved",
            )
            for e in rows
        ]
        derived = replay(evs)
        assert (derived.stage, derived.status) == (case.stage, case.status), case.reference
