"""The list of board members' personal fields (Art. 9(2)(c)) are sealed with a data key per
person, like the contact list's (Art. 9(2)(d)): no clear name or e-mail of the list in the raw
database outside the accounts (the sign-in credential), the name searched through a blind index,
every read of the list audited, the existing memberships sealed by the migration, and the
person's key destroyed once they left the board (an earlier backup can no longer be read)."""

from __future__ import annotations

import sqlite3
from datetime import timedelta
from importlib import import_module
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test import Client
from django.urls import reverse

from ilonet.accounts import testing as account_tokens
from ilonet.accounts.roles import Role
from ilonet.audit.models import AuditEvent
from ilonet.board import erasure, selectors, services
from ilonet.board.models import BOARD_MEMBER_KEY_STORE, Capacity, Membership, MembershipNameDigest
from ilonet.shared.sealed_fields import is_sealed, key_store, open_text
from ilonet.shared.testing import TEST_PASSWORD

FIRST, LAST, MAIL = "Zoë", "Canarywick", "zoe.canarywick@minbuza.example.nl"
# The account's own tables: the sign-in credential (and allauth's copy of its address), not the list.
ACCOUNT_TABLES = ("accounts_user", "account_emailaddress")


def _database_copy_without_accounts(path: Path) -> bytes:
    """The database as a backup holds it, without the account tables: on SQLite the file's every
    page (backup API) after dropping them and rebuilding the file (VACUUM, so no page of theirs is
    left); on PostgreSQL every row of every other table as COPY writes it."""
    connection.ensure_connection()
    if connection.vendor == "sqlite":
        target = sqlite3.connect(path)
        connection.connection.backup(target)
        target.execute("PRAGMA foreign_keys = OFF")
        for table in ACCOUNT_TABLES:
            target.execute(f'DROP TABLE "{table}"')
        target.commit()
        target.execute("VACUUM")
        target.close()
        return path.read_bytes()
    with path.open("wb") as out, connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            if table in ACCOUNT_TABLES:
                continue
            with cursor.copy(f'COPY "{table}" TO STDOUT') as copy:  # psycopg 3
                for chunk in copy:
                    out.write(bytes(chunk))
    return path.read_bytes()


def _signs_in(email: str, password: str):
    """The account the sign-in looks up by its e-mail (``USERNAME_FIELD``), if the password fits."""
    user = get_user_model()._default_manager.get_by_natural_key(email)
    return user if user.check_password(password) else None


def _raw_columns(pk: int) -> tuple[str, str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT listed_name, listed_email FROM board_membership WHERE id = %s", [pk])
        return cursor.fetchone()


def _member(board, make_user, code="nl", **names):
    names = {"first_name": FIRST, "last_name": LAST, "email": MAIL, **names}
    user = make_user(Role.BOARD_MEMBER, organisation=code, **names)
    board.appoint(code, user=user)
    return user, Membership.objects.defer(None).get(user=user)


@pytest.fixture
def reference(transactional_db):
    from ilonet.directory import demo as directory_demo
    from ilonet.directory.services import ensure_reference_organisations

    ensure_reference_organisations()  # a transactional test starts from a flushed database
    directory_demo.ensure_authorities()


@pytest.mark.django_db(transaction=True)
def test_no_name_or_email_of_the_list_is_in_the_raw_database_and_the_scan_would_see_it(
    reference, chair, make_user, tmp_path
):
    from .conftest import Board

    board = Board(chair, make_user)
    user, membership = _member(board, make_user, job_title="Canary-title-4711")
    raw = _database_copy_without_accounts(tmp_path / "copy.sqlite3")
    assert b"Canary-title-4711" not in raw  # the account's own columns are left out of the scan
    assert str(membership.seat).encode() in raw  # a clear column is found: the scan sees the data
    for secret in (LAST, FIRST, MAIL, "zoe.canarywick", "Canarywick".lower()):
        assert secret.encode() not in raw, secret
    assert all(is_sealed(value) for value in _raw_columns(membership.pk))
    assert (membership.listed_name, membership.listed_email) == (f"{FIRST} {LAST}", MAIL)
    # The account keeps its own clear sign-in address: login goes on.
    assert _signs_in(MAIL, TEST_PASSWORD) == user


@pytest.mark.django_db
def test_a_sealed_value_opens_only_for_its_person_and_column(board, make_user):
    _user, membership = _member(board, make_user)
    name, email = _raw_columns(membership.pk)
    store = key_store(BOARD_MEMBER_KEY_STORE)
    assert open_text(store, email, context="board_membership.listed_email") == MAIL
    assert open_text(store, email, context="board_membership.listed_name") == ""  # moved column
    other = board.appoint("be")
    forged = name.replace(name.split(":")[1], f"member-{other.pk}")
    assert open_text(store, forged, context="board_membership.listed_name") == ""


@pytest.mark.django_db
def test_the_composition_and_the_policy_never_open_the_list_fields(board, make_user):
    user, _membership = _member(board, make_user)
    (position,) = selectors.positions_of(user=user, day=board.today)
    assert {"listed_name", "listed_email"} <= position.get_deferred_fields()
    row = next(
        r for r in selectors.composition(day=board.today).rows if r.member and r.member.user_id == user.pk
    )
    assert {"listed_name", "listed_email"} <= row.member.get_deferred_fields()


@pytest.mark.django_db
def test_the_list_is_searched_by_whole_name_words_through_the_blind_index(board, make_user):
    _user, membership = _member(board, make_user)
    board.appoint("be")
    found = lambda search: list(selectors.member_list(user=board.chair, search=search))  # noqa: E731
    assert found("zoe") == [membership]  # case and accents do not matter
    assert found("CANARYWICK Zoë") == [membership]
    assert found("Canary") == []  # a part of a word is not a word of the name: the index is exact
    assert membership in found("NL")  # the organisation is searched as before (by its code)
    digests = MembershipNameDigest.objects.filter(membership=membership).values_list("digest", flat=True)
    assert len(digests) == 3 and not any("canary" in d.lower() for d in digests)


@pytest.mark.django_db
def test_every_read_of_the_list_shows_the_sealed_copy_and_is_audited(board, make_user, login):
    _member(board, make_user)
    reader = make_user(Role.ILO)
    client = login(reader)
    page = client.get(reverse("board:member_list"))
    assert page.status_code == 200 and MAIL in page.content.decode() and LAST in page.content.decode()
    export = b"".join(client.get(reverse("board:member_export")).streaming_content).decode()
    assert MAIL in export and f"{FIRST} {LAST}" in export
    _token, secret = account_tokens.issue_api_token(actor=reader, name="test", scope="read")
    body = Client(HTTP_AUTHORIZATION=f"Bearer {secret}").get("/api/v1/board/members").json()
    assert any(item["email"] == MAIL and item["name"] == f"{FIRST} {LAST}" for item in body["items"])
    reads = AuditEvent.objects.filter(action="personal_data.read", actor=reader)
    assert sorted(e.details["format"] for e in reads) == ["api", "csv", "html"]
    assert all(e.details["list"] == "board_members" for e in reads)
    assert not AuditEvent.objects.filter(object_repr__icontains=LAST).exists()  # no name in the trail


@pytest.mark.django_db
def test_the_migration_fills_the_list_from_the_accounts_and_seals_it(board, make_user):
    migration = import_module("ilonet.board.migrations.0007_member_list_sealed")
    _user, membership = _member(board, make_user)
    with connection.cursor() as cursor:  # a membership as it was before the list had columns
        cursor.execute(
            "UPDATE board_membership SET listed_name = '', listed_email = '' WHERE id = %s", [membership.pk]
        )
    MembershipNameDigest.objects.filter(membership=membership).delete()
    editor = SimpleNamespace(connection=connection)
    assert migration.seal_existing(None, editor) >= 1
    assert all(is_sealed(value) for value in _raw_columns(membership.pk))
    assert Membership.objects.defer(None).values_list("listed_name", "listed_email").get(
        pk=membership.pk
    ) == (
        f"{FIRST} {LAST}",
        MAIL,
    )
    assert list(selectors.member_list(user=board.chair, search="Canarywick")) == [membership]
    assert migration.seal_existing(None, editor) == 0  # sealed rows are left as they are


@pytest.mark.django_db
def test_a_person_who_left_the_board_loses_their_key_after_the_retention(board, make_user, settings):
    settings.BOARD_MEMBER_DETAILS_RETENTION_DAYS = 30
    user, membership = _member(board, make_user)
    services.end_membership(actor=board.chair, membership=membership, valid_until=board.today)
    before_erasure = _raw_columns(membership.pk)  # what a backup taken now holds
    serving_user, serving = _member(
        board, make_user, code="be", first_name="Ann", last_name="Peeters", email="ann@ibz.example.be"
    )
    store = key_store(BOARD_MEMBER_KEY_STORE)

    assert erasure.erase_member_details(today=board.today + timedelta(days=20)) == 0  # retention runs
    assert erasure.erase_member_details(today=board.today + timedelta(days=40)) == 1
    assert not store.key_exists(f"member-{user.pk}")
    assert _raw_columns(membership.pk) == ("", "")
    assert not MembershipNameDigest.objects.filter(membership=membership).exists()
    assert (
        open_text(store, before_erasure[1], context="board_membership.listed_email") == ""
    )  # the old backup
    assert Membership.objects.filter(pk=membership.pk).exists()  # the composition of the past stays
    assert store.key_exists(f"member-{serving_user.pk}")
    assert Membership.objects.defer(None).get(pk=serving.pk).listed_email == "ann@ibz.example.be"
    event = AuditEvent.objects.get(action="board.member_details_erased")
    assert (
        event.details["memberships"] == [membership.pk]
        and LAST not in str(event.details)
        and MAIL not in str(event.details)
    )
    assert erasure.erase_member_details(today=board.today + timedelta(days=41)) == 0
    user.refresh_from_db()  # the account is not the list: it still signs in
    assert user.email == MAIL and _signs_in(MAIL, TEST_PASSWORD) == user


@pytest.mark.django_db
def test_a_person_appointed_again_keeps_the_key_and_one_appointed_after_erasure_gets_a_new_one(
    board, make_user, settings
):
    settings.BOARD_MEMBER_DETAILS_RETENTION_DAYS = 0
    user, membership = _member(board, make_user)
    services.end_membership(actor=board.chair, membership=membership, valid_until=board.today)
    later = board.today + timedelta(days=5)
    assert erasure.erase_member_details(today=later) == 1
    services.appoint(
        actor=board.chair, seat=board.seat("nl"), user=user, capacity=Capacity.MEMBER, valid_from=later
    )
    again = Membership.objects.defer(None).get(user=user, valid_from=later)
    assert (again.listed_name, again.listed_email) == (f"{FIRST} {LAST}", MAIL)
    assert key_store(BOARD_MEMBER_KEY_STORE).key_exists(f"member-{user.pk}")
    assert erasure.erase_member_details(today=later + timedelta(days=1)) == 0  # serving again: kept


@pytest.mark.django_db
def test_the_list_follows_a_change_of_the_account_name_sealed_indexed_and_audited(board, make_user, login):
    from ilonet.accounts import services as accounts

    user, membership = _member(board, make_user)
    admin = make_user(Role.PLATFORM_ADMIN)
    accounts.update_user(actor=admin, user=user, last_name="Brightwater")

    membership = Membership.objects.defer(None).get(pk=membership.pk)
    assert membership.listed_name == f"{FIRST} Brightwater" and membership.listed_email == MAIL
    assert all(is_sealed(value) for value in _raw_columns(membership.pk))
    found = lambda search: list(selectors.member_list(user=board.chair, search=search))  # noqa: E731
    assert found("brightwater") == [membership] and found("Canarywick") == []
    page = login(make_user(Role.ILO)).get(reverse("board:member_list")).content.decode()
    assert "Brightwater" in page and LAST not in page
    event = AuditEvent.objects.get(action="board.member_list_name_updated")
    assert event.actor_id == admin.pk and event.details["memberships"] == [membership.pk]
    assert "Brightwater" not in str(event.details) + event.object_repr  # no name in the trail
    accounts.update_user(actor=admin, user=user, job_title="Counsellor")  # not the name: no event
    assert AuditEvent.objects.filter(action="board.member_list_name_updated").count() == 1


@pytest.mark.django_db
def test_a_name_change_whose_list_copy_fails_is_not_made_and_an_erased_list_stays_erased(
    board, make_user, monkeypatch, settings
):
    from ilonet.accounts import services as accounts

    admin = make_user(Role.PLATFORM_ADMIN)
    user, membership = _member(board, make_user)

    def broken(*args, **kwargs):
        raise RuntimeError("the index is unavailable")

    with monkeypatch.context() as patch:  # the copy fails: the account's change rolls back with it
        patch.setattr(MembershipNameDigest.objects, "bulk_create", broken)
        with pytest.raises(RuntimeError):
            accounts.update_user(actor=admin, user=user, last_name="Brightwater")
    user.refresh_from_db()
    assert user.last_name == LAST
    assert Membership.objects.defer(None).get(pk=membership.pk).listed_name == f"{FIRST} {LAST}"

    settings.BOARD_MEMBER_DETAILS_RETENTION_DAYS = 0
    services.end_membership(actor=board.chair, membership=membership, valid_until=board.today)
    assert erasure.erase_member_details(today=board.today + timedelta(days=1)) == 1
    accounts.update_user(actor=admin, user=user, last_name="Brightwater")
    assert _raw_columns(membership.pk) == ("", "")  # the person left: nothing is written back
    assert not MembershipNameDigest.objects.filter(membership=membership).exists()
    assert not key_store(BOARD_MEMBER_KEY_STORE).key_exists(f"member-{user.pk}")


@pytest.mark.django_db
def test_the_list_follows_a_change_of_the_sign_in_address_sealed_and_audited(board, make_user):
    from ilonet.accounts import services as accounts

    user, membership = _member(board, make_user)
    admin = make_user(Role.PLATFORM_ADMIN)
    accounts.update_user(actor=admin, user=user, email="moved.member@example.eu")

    membership = Membership.objects.defer(None).get(pk=membership.pk)
    assert (membership.listed_name, membership.listed_email) == (f"{FIRST} {LAST}", "moved.member@example.eu")
    assert all(is_sealed(value) for value in _raw_columns(membership.pk))
    event = AuditEvent.objects.get(action="board.member_list_name_updated")
    assert event.details["fields"] == ["listed_email"]
    assert "moved.member" not in str(event.details) + event.object_repr
