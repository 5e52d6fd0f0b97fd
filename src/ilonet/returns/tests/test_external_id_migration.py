"""Migration returns 0007: the external ids of imported rows move from their own table
(``ExternalKey``) onto the events (a case's onto its opening event), with the run and line they
came from; nothing lost, the timeline's append-only guard back on afterwards; and back. A key
without its event stops the migration with nothing changed."""

from datetime import date

import pytest
from django.db import DatabaseError, connection, transaction

from ilonet.returns import rls
from ilonet.shared.testing import migrate_to, migrate_to_newest

BEFORE = [("returns", "0006_row_refusal_codes")]
AFTER = [("returns", "0007_external_id_on_event")]


@pytest.fixture(autouse=True)
def _newest_schema_and_guards_after():
    """The guards on during the test, as in production (no row in ``audit_maintenance``); after
    it, the newest schema of every app and the suite's row back (the flush between transactional
    tests empties the append-only tables)."""
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_maintenance")
    yield
    migrate_to_newest()
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_maintenance")
        cursor.execute("INSERT INTO audit_maintenance (reason) VALUES ('test suite flushes')")


def _held_before(apps, *, orphan: bool = False):
    """An imported case (its key and one event's), a case made on the platform (no key), and with
    ``orphan`` a key naming an event its case does not have."""
    ImportRun = apps.get_model("returns", "ImportRun")
    ReturnCase = apps.get_model("returns", "ReturnCase")
    CaseEvent = apps.get_model("returns", "CaseEvent")
    ExternalKey = apps.get_model("returns", "ExternalKey")
    with rls.system_scope():
        run = ImportRun.objects.create(member_state="NL", file_name="nl.jsonl", file_digest="0" * 64)
        cases = []
        for reference in ("NL:2024-001", "NL-2024-000002"):
            case = ReturnCase.objects.create(
                reference=reference,
                member_state="NL",
                case_type="own_means",
                third_country="MA",
                state="open",
                stage="pre_return",
                status="open",
                opened_on=date(2024, 3, 1),
                last_seq=2,
            )
            CaseEvent.objects.create(
                case=case, member_state="NL", seq=1, kind="case_opened", occurred_on=date(2024, 3, 1)
            )
            CaseEvent.objects.create(
                case=case,
                member_state="NL",
                seq=2,
                kind="legal_stay_ended",
                occurred_on=date(2024, 3, 2),
                fields={"reason": "negative_asylum_decision"},
            )
            cases.append(case)
        imported = cases[0]
        ExternalKey.objects.create(
            member_state="NL", external_id="2024-001", case=imported, seq=None, run=run, line=1
        )
        ExternalKey.objects.create(
            member_state="NL", external_id="2024-001-1", case=imported, seq=2, run=run, line=2
        )
        if orphan:
            ExternalKey.objects.create(
                member_state="NL", external_id="2024-001-9", case=imported, seq=9, run=run, line=3
            )
        keys = set(
            ExternalKey.objects.values_list("member_state", "external_id", "case_id", "seq", "run_id", "line")
        )
    return run, cases, keys


@pytest.mark.django_db(transaction=True)
def test_external_ids_move_onto_their_events_and_back():
    run, (imported, platform), keys = _held_before(migrate_to(BEFORE))

    apps = migrate_to(AFTER)
    CaseEvent = apps.get_model("returns", "CaseEvent")
    with rls.system_scope():
        moved = set(
            CaseEvent.objects.values_list("case_id", "seq", "external_id", "import_run_id", "import_line")
        )
    assert moved == {
        (imported.pk, 1, "2024-001", run.pk, 1),  # the case's own id, on its opening event
        (imported.pk, 2, "2024-001-1", run.pk, 2),
        (platform.pk, 1, None, None, None),
        (platform.pk, 2, None, None, None),
    }
    assert "returns_externalkey" not in connection.introspection.table_names()
    with (  # the append-only guard, lifted for the move only, is on again
        pytest.raises(DatabaseError),
        transaction.atomic(),
        rls.system_scope(),
        connection.cursor() as cursor,
    ):
        cursor.execute("UPDATE returns_caseevent SET external_id = 'x'")

    apps = migrate_to(BEFORE)
    with rls.system_scope():
        back = set(
            apps.get_model("returns", "ExternalKey").objects.values_list(
                "member_state", "external_id", "case_id", "seq", "run_id", "line"
            )
        )
    assert back == keys


@pytest.mark.django_db(transaction=True)
def test_a_key_without_its_event_stops_the_move_with_nothing_changed():
    _run, _cases, keys = _held_before(migrate_to(BEFORE), orphan=True)
    with pytest.raises(RuntimeError, match="1 of 3 external ids have no event"):
        migrate_to(AFTER)
    apps = migrate_to(BEFORE)  # still there, and whole (the migration's transaction rolled back)
    ExternalKey = apps.get_model("returns", "ExternalKey")
    with rls.system_scope():
        held = set(
            ExternalKey.objects.values_list("member_state", "external_id", "case_id", "seq", "run_id", "line")
        )
    assert held == keys
    with connection.cursor() as cursor:
        columns = {
            c.name for c in connection.introspection.get_table_description(cursor, "returns_caseevent")
        }
    assert "external_id" not in columns
    with rls.system_scope():  # the newest schema again after the test (the fixture), without the orphan
        ExternalKey.objects.filter(external_id="2024-001-9").delete()
