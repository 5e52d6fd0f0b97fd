"""Who reads, adds to and manages which space (Art. 9(1)), and the European Parliament's reader
sees only what the board opened by a recorded decision (Art. 9(4))."""

import pytest
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError

from ilonet import policy
from ilonet.audit.models import AuditEvent
from ilonet.exchange import selectors, services
from ilonet.exchange.models import Marking, Space, SpaceKind

from .conftest import upload

pytestmark = pytest.mark.django_db
A = policy.Action


def _titles(user) -> set[str]:
    policy.forget_roles(user)
    return set(selectors.readable_documents(user=user).values_list("title", flat=True))


def test_a_network_gets_its_space_when_it_is_created(people):
    assert Space.objects.filter(kind=SpaceKind.NETWORK, network=people.network).count() == 1
    assert AuditEvent.objects.filter(
        action="exchange.space_created", object_id=str(people.network_space.pk)
    ).exists()


def test_network_space_is_for_its_officers_and_facilitator(people):
    upload(people.ilo, people.network_space, title="Morocco routes")
    assert _titles(people.ilo) == {"Morocco routes"}
    assert _titles(people.facilitator) == {"Morocco routes"}
    for user in (people.other_ilo, people.board_member, people.ep_reader, people.outsider, people.chair):
        assert _titles(user) == set()
    with pytest.raises(PermissionDenied):
        upload(people.other_ilo, people.network_space)


def test_board_space_is_for_the_board_and_its_secretariat(people):
    upload(people.board_member, people.board_space, title="Board paper")
    for user in (people.chair, people.secretariat, people.board_member):
        assert _titles(user) == {"Board paper"}
    for user in (people.ilo, people.facilitator, people.ep_reader, people.outsider):
        assert _titles(user) == set()


def test_working_group_members_are_chosen_by_the_board_office(people):
    group = services.create_working_group(actor=people.secretariat, name="Document fraud")
    with pytest.raises(PermissionDenied):
        services.create_working_group(actor=people.ilo, name="Own group")
    services.add_member(actor=people.secretariat, space=group, user=people.ilo)
    upload(people.ilo, group, title="Fraud methods")
    assert _titles(people.ilo) == {"Fraud methods"}
    assert _titles(people.other_ilo) == set()
    services.remove_member(actor=people.secretariat, space=group, user=people.ilo)
    assert _titles(people.ilo) == set()


def test_parliament_reader_sees_only_what_the_board_opened(people, decision):
    space = people.board_space
    folder = services.create_folder(actor=people.secretariat, space=space, name="For the Parliament")
    sub = services.create_folder(actor=people.secretariat, space=space, parent=folder, name="Annexes")
    upload(people.chair, space, title="Internal note")
    upload(people.chair, space, folder=folder, title="Annual report")
    upload(people.chair, space, folder=sub, title="Annex")
    upload(people.chair, space, folder=folder, title="Sensitive analysis", marking=Marking.SENSITIVE)
    loose = upload(people.chair, space, title="Single paper")
    assert _titles(people.ep_reader) == set()
    services.open_to_parliament(actor=people.chair, motion_id=decision.pk, folder=folder)
    assert _titles(people.ep_reader) == {"Annual report", "Annex"}  # subfolders too, never sensitive
    opening = services.open_to_parliament(actor=people.secretariat, motion_id=decision.pk, document=loose)
    assert _titles(people.ep_reader) == {"Annual report", "Annex", "Single paper"}
    with pytest.raises(ObjectDoesNotExist):  # a guessed id is "does not exist"
        selectors.document_detail(
            user=people.ep_reader, pk=Space.objects.get(kind="board").documents.get(title="Internal note").pk
        )
    services.withdraw_opening(actor=people.chair, opening=opening)
    assert "Single paper" not in _titles(people.ep_reader)
    assert AuditEvent.objects.filter(action="exchange.parliament_opened").count() == 2
    assert AuditEvent.objects.filter(action="exchange.parliament_withdrawn").count() == 1


def test_an_opening_needs_an_adopted_board_decision(people, decision):
    decision.outcome = "rejected"
    decision.save()
    with pytest.raises(ValidationError) as refused:
        services.open_to_parliament(actor=people.chair, motion_id=decision.pk, space=people.board_space)
    assert "motion" in refused.value.message_dict
    with pytest.raises(PermissionDenied):
        services.open_to_parliament(
            actor=people.board_member, motion_id=decision.pk, space=people.board_space
        )


def test_parliament_reader_never_writes(people, decision):
    services.open_to_parliament(actor=people.chair, motion_id=decision.pk, space=people.board_space)
    assert not policy.can(people.ep_reader, A.CONTRIBUTE_TO_EXCHANGE, people.board_space)
    with pytest.raises(PermissionDenied):
        upload(people.ep_reader, people.board_space)


def test_counts_only_count_what_the_user_may_open(people, decision):
    upload(people.chair, people.board_space, title="One")
    upload(people.chair, people.board_space, title="Two", marking=Marking.SENSITIVE)
    services.open_to_parliament(actor=people.chair, motion_id=decision.pk, space=people.board_space)
    space = people.board_space
    assert selectors.document_counts(user=people.chair, space_ids=[space.pk]) == {space.pk: 2}
    assert selectors.document_counts(user=people.ep_reader, space_ids=[space.pk]) == {space.pk: 1}
    assert selectors.document_counts(user=people.ilo, space_ids=[space.pk]) == {}


def test_counts_leave_out_deleted_expired_and_deleted_folders_documents(people):
    """The count per space (the list of spaces) is the scope's: a deleted or expired document,
    or one lying in a deleted folder, is not counted, and comes back with its restoration."""
    from django.utils import timezone

    from ilonet.exchange.models import Folder

    space = people.network_space
    folder = services.create_folder(actor=people.facilitator, space=space, name="Routes")
    kept = upload(people.ilo, space, title="Kept")
    deleted = upload(people.ilo, space, title="Deleted")
    in_folder = upload(people.ilo, space, title="In the folder", folder=folder)
    services.delete_document(actor=people.facilitator, document=deleted)

    def counted() -> int:
        policy.forget_roles(people.ilo)
        counts = selectors.document_counts(user=people.ilo, space_ids=[space.pk])
        assert counts.get(space.pk, 0) == selectors.readable_documents(user=people.ilo).count()
        return counts.get(space.pk, 0)

    assert counted() == 2
    services.delete_folder(actor=people.facilitator, folder=folder)
    assert counted() == 1
    services.restore_folder(actor=people.facilitator, folder=folder)
    assert counted() == 2
    # A live document whose folder is marked deleted (the folder's rule, not the document's).
    Folder.objects.filter(pk=folder.pk).update(deleted_at=timezone.now())
    assert counted() == 1
    Folder.objects.filter(pk=folder.pk).update(deleted_at=None)
    services.restore_document(actor=people.facilitator, document=deleted)
    assert counted() == 3
    assert {kept.pk, deleted.pk, in_folder.pk} == set(
        selectors.readable_documents(user=people.ilo).values_list("pk", flat=True)
    )


def test_the_kept_counts_equal_the_scope_for_every_reader_after_random_changes(people, decision):
    """Seeded: uploads, moves, deletions, restorations, expiry, folders deleted and restored,
    bulk updates and deletes that bypass the services, and openings to the Parliament; after
    each step every reader's count per space is the number of documents their scope opens."""
    import random
    from datetime import timedelta

    from django.utils import timezone

    from ilonet.exchange.models import Document, Folder

    rng = random.Random(20261203)  # noqa: S311 - seeded test data
    spaces = [people.network_space, people.board_space]
    managers = {people.network_space.pk: people.facilitator, people.board_space.pk: people.chair}
    uploaders = {people.network_space.pk: people.ilo, people.board_space.pk: people.chair}
    folders = {
        s.pk: [services.create_folder(actor=managers[s.pk], space=s, name=f"F{n}") for n in range(2)]
        for s in spaces
    }
    readers = [
        people.ilo, people.facilitator, people.chair, people.secretariat, people.ep_reader, people.outsider,
    ]  # fmt: skip
    opened = folders[people.board_space.pk][0]
    services.open_to_parliament(actor=people.chair, motion_id=decision.pk, folder=opened)

    def check(step: str) -> None:
        for reader in readers:
            policy.forget_roles(reader)
            visible = [s.pk for s in selectors.spaces_for(user=reader)]
            expected = {}
            for pk in visible:
                n = selectors.readable_documents(user=reader).filter(space_id=pk).count()
                if n:
                    expected[pk] = n
            assert selectors.document_counts(user=reader, space_ids=visible) == expected, (step, reader)

    for step in range(40):
        space = rng.choice(spaces)
        live = list(Document.objects.filter(space=space, deleted_at__isnull=True))
        gone = list(Document.objects.filter(space=space, deleted_at__isnull=False))
        action = rng.choice(["upload", "upload", "move", "delete", "restore", "folder", "expire", "bulk"])
        manager = managers[space.pk]
        if action == "upload" or not live:
            folder = rng.choice([None, *[f for f in folders[space.pk] if f.deleted_at is None]])
            marking = rng.choice([Marking.NORMAL, Marking.SENSITIVE])
            upload(uploaders[space.pk], space, title=f"Doc {step}", folder=folder, marking=marking)
        elif action == "move":
            target = rng.choice([None, *Folder.objects.filter(space=space, deleted_at__isnull=True)])
            services.move_document(actor=manager, document=rng.choice(live), folder=target)
        elif action == "delete":
            services.delete_document(actor=manager, document=rng.choice(live))
        elif action == "restore" and gone:
            document = rng.choice(gone)
            if document.folder is None or document.folder.deleted_at is None:
                services.restore_document(actor=manager, document=document, expires_on=None)
        elif action == "folder":
            folder = Folder.objects.get(pk=rng.choice(folders[space.pk]).pk)
            if folder.deleted_at is None:
                services.delete_folder(actor=manager, folder=folder)
            else:
                services.restore_folder(actor=manager, folder=folder)
            for f in folders[space.pk]:
                f.refresh_from_db()
        elif action == "expire":
            document = rng.choice(live)
            Document.objects.filter(pk=document.pk).update(expires_on=timezone.localdate())
            services.expire_due_documents(now=timezone.now() + timedelta(days=1))
        elif action == "bulk":  # past the services: an update and a delete of several rows
            ids = [d.pk for d in rng.sample(live, min(2, len(live)))]
            Document.objects.filter(pk__in=ids).update(deleted_at=timezone.now())
            if gone:
                Document.objects.filter(pk=rng.choice(gone).pk).delete()
        check(f"step {step}: {action}")
    # A live document whose folder is marked deleted without it (the scope's folder rule).
    folder = folders[people.network_space.pk][1]
    upload(people.ilo, people.network_space, title="Left behind", folder=Folder.objects.get(pk=folder.pk))
    Folder.objects.filter(pk=folder.pk).update(deleted_at=timezone.now())
    check("a live document in a deleted folder")


def test_the_count_triggers_survive_every_migration():
    """The counts per space are kept by three triggers on ``exchange_document`` (migration
    0006). On SQLite, a later migration that alters the table rebuilds it (a new table copied,
    the old one dropped) and its triggers go with it: such a migration must create them again."""
    from django.db import connection

    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(
                "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'exchange_document'"
            )
        else:
            cursor.execute(
                "SELECT tgname FROM pg_trigger "
                "WHERE tgrelid = 'exchange_document'::regclass AND NOT tgisinternal"
            )
        names = {row[0] for row in cursor.fetchall()}
    assert {"exchange_count_inserted", "exchange_count_updated", "exchange_count_deleted"} <= names
