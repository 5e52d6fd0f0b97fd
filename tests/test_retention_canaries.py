"""Retention canaries: after the erasure jobs, nothing of an erased person is left anywhere.

A unique canary string is planted in every personal field of the personal-data records
(``ilonet.personaldata``: names in two scripts, place of birth, document number, passenger list,
the four fields of category (e), the biometric files, a share's justification, a legal hold's
reason, a name searched for) and of the contact list (``ilonet.shared.sealed_fields``: the phone
and e-mail address at the post, their copies in the board's list of deployed ILOs). They go
through the pages, the API, the exports, the notifications and their e-mails, the jobs, the
logs. Then the two erasure jobs run (``personaldata.jobs.erase_expired_personal_data``,
``deployments.jobs.erase_left_officers_contact_details``) and each canary is looked for, case
insensitively and also as JSON writes non-ASCII text, in:

- the database: on SQLite the bytes of the database file and its write-ahead log as they are on
  disk after the jobs (what a thief of the disk or of a file backup gets; no VACUUM by the test);
  on PostgreSQL every text, character, JSON and bytea column of every table, by SQL;
- every file under the data directory (the file store, the key stores, the SQLite files);
- every cache (the database cache table, read through Django's cache API too);
- the e-mail outbox (Django's locmem outbox; the notification tables are in the database scan);
- every log record emitted meanwhile, at DEBUG level, and what was written to stdout and stderr.

Each scan is shown to see data: a marker planted in a clear column, a file, the cache, a mail and
a log record is found by the same scan.
"""

from __future__ import annotations

import io
import json
import logging
import secrets
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.core import mail
from django.core.cache import caches
from django.db import connection
from django.utils import timezone
from PIL import Image
from PIL.PngImagePlugin import PngInfo

from ilonet.accounts.roles import Role
from ilonet.jobs import clock
from ilonet.shared.envelope import name_digests

pytestmark = [pytest.mark.security, pytest.mark.django_db(transaction=True)]
API = "/api/v1"


def canary(label: str) -> str:
    return f"Cnry{label}{secrets.token_hex(5)}"


def _forms(text: str) -> list[bytes]:
    """The byte forms a string takes at rest: UTF-8, and JSON's ASCII escapes for other scripts."""
    forms = {text.lower().encode()}
    escaped = json.dumps(text)[1:-1]
    if escaped != text:
        forms.add(escaped.lower().encode())
    return sorted(forms)


def found_in(haystack: bytes, needles: dict[str, str]) -> list[str]:
    low = haystack.lower()
    return [name for name, text in needles.items() if any(form in low for form in _forms(text))]


def png_with_text(text: str) -> bytes:
    info = PngInfo()
    info.add_text("Comment", text)
    buffer = io.BytesIO()
    Image.new("RGB", (16, 16), "blue").save(buffer, format="PNG", pnginfo=info)
    return buffer.getvalue()


# --- the places looked into ---------------------------------------------------------------------


def database_hits(needles: dict[str, str]) -> list[str]:
    if connection.vendor == "sqlite":
        name = Path(connection.settings_dict["NAME"])
        raw = b"".join(p.read_bytes() for p in (name, Path(f"{name}-wal")) if p.exists())
        return found_in(raw, needles)
    return sorted(set().union(*(_postgres_hits(text, name) for name, text in needles.items())))


TEXT_TYPES = ("text", "character varying", "character", "json", "jsonb", "ARRAY", "USER-DEFINED")


def _postgres_columns() -> list[tuple[str, str, str]]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.table_name, c.column_name, c.data_type FROM information_schema.columns c "
            "JOIN information_schema.tables t USING (table_schema, table_name) "
            "WHERE c.table_schema = current_schema() AND t.table_type = 'BASE TABLE' "
            "AND (c.data_type = 'bytea' OR c.data_type = ANY(%s))",
            [list(TEXT_TYPES)],
        )
        return cursor.fetchall()


def _postgres_hits(text: str, name: str) -> set[str]:
    """Every text, JSON and bytea column of every table (row-level security applies to the
    application's role: the canaries' tables have none)."""
    hits = set()
    with connection.cursor() as cursor:
        for table, column, data_type in _postgres_columns():
            table_q, column_q = connection.ops.quote_name(table), connection.ops.quote_name(column)
            if data_type == "bytea":  # the bytes as they are, and ASCII in any case
                condition = (
                    f"position(convert_to(%s, 'UTF8') in {column_q}) > 0 "
                    f"OR strpos(lower(encode({column_q}, 'escape')), lower(%s)) > 0"
                )
                params = [text, text]
            else:
                condition = (
                    f"strpos(lower({column_q}::text), lower(%s)) > 0 "
                    f"OR strpos(lower({column_q}::text), lower(%s)) > 0"
                )
                params = [text, json.dumps(text)[1:-1]]
            cursor.execute(f"SELECT 1 FROM {table_q} WHERE {condition} LIMIT 1", params)  # noqa: S608
            if cursor.fetchone():
                hits.add(f"{name} in {table}.{column}")
    return hits


def file_hits(needles: dict[str, str], *roots: Path) -> list[str]:
    hits = set()
    for root in roots:
        for path in Path(root).rglob("*"):
            if path.is_file():
                hits.update(f"{name} in {path}" for name in found_in(path.read_bytes(), needles))
    return sorted(hits)


def cache_hits(needles: dict[str, str]) -> list[str]:
    hits = set()
    for alias in settings.CACHES:
        cache = caches[alias]
        if hasattr(cache, "_table"):  # the database cache: its rows, opened by the cache itself
            with connection.cursor() as cursor:
                cursor.execute(f"SELECT cache_key FROM {connection.ops.quote_name(cache._table)}")  # noqa: S608
                keys = [key.split(":", 2)[-1] for (key,) in cursor.fetchall()]
            values = cache.get_many(keys)
            blob = repr(sorted(values.items(), key=str)).encode() + repr(keys).encode()
        else:  # a local-memory cache
            blob = repr(getattr(cache, "_cache", {})).encode()
        hits.update(f"{name} in cache {alias}" for name in found_in(blob, needles))
    return sorted(hits)


def outbox_hits(needles: dict[str, str]) -> list[str]:
    blob = b""
    for message in mail.outbox:
        blob += message.message().as_bytes()
        blob += (
            f"{message.subject} {message.body} {message.to} {getattr(message, 'alternatives', '')}".encode()
        )
    return found_in(blob, needles)


def log_hits(needles: dict[str, str], records: list[logging.LogRecord], streams: str) -> list[str]:
    lines = []
    for record in records:
        lines.append(record.getMessage())
        lines.append(repr(record.args))
        lines.append(repr({k: v for k, v in vars(record).items() if k not in ("args", "msg")}))
    return found_in(("\n".join(lines) + streams).encode(), needles)


# --- the world ----------------------------------------------------------------------------------


@pytest.fixture
def world(transactional_db, make_user):
    from ilonet.directory import demo as directory_demo
    from ilonet.directory.services import ensure_reference_organisations

    ensure_reference_organisations()  # a transactional test starts from a flushed database
    directory_demo.ensure_authorities()
    from ilonet.personaldata.law import Purpose
    from ilonet.personaldata.tests.conftest import give_purposes

    officer = make_user(Role.ILO)
    give_purposes(officer, *Purpose.values)
    return {
        "officer": officer,
        "authority": make_user(Role.DEPLOYING_AUTHORITY),
        "dpo": make_user(Role.DATA_PROTECTION_OFFICER),
        "recipient": make_user(Role.RETURN_OFFICER),
        "chair": make_user(Role.CHAIR, organisation="com"),
    }


@pytest.fixture
def captured_logs():
    """Every log record of every logger, from DEBUG up, while the test runs."""
    records: list[logging.LogRecord] = []

    class Keep(logging.Handler):
        def emit(self, record):
            records.append(record)

    root, handler = logging.getLogger(), Keep(logging.DEBUG)
    level = root.level
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)
    yield records
    root.removeHandler(handler)
    root.setLevel(level)


def _json(client, method, url, body=None):
    data = json.dumps(body) if body is not None else None
    return getattr(client, method)(API + url, data, content_type="application/json")


def _plant_personal_data(world, login, canaries) -> list[str]:
    """Records of three categories with a canary in every personal field, used through the pages
    and the API; returns their references."""
    from ilonet.personaldata import services

    officer, authority, dpo, recipient = (world[k] for k in ("officer", "authority", "dpo", "recipient"))
    client = login(officer)
    subject = {
        "purpose": "return",
        "category": "a",
        "names": [
            {"script": "latin", "family": canaries["family"], "given": canaries["given"]},
            {"script": "arabic", "family": canaries["arabic_family"], "given": canaries["arabic_given"]},
        ],
        "birth_date": "1990-04-12",
        "birth_place": canaries["birth_place"],
        "nationality": "MA",
        "documents": [{"kind": "passport", "number": canaries["document"], "country": "MA"}],
    }
    created = _json(client, "post", "/personal-data/records", subject)
    assert created.status_code == 201, created.content
    refs = [created.json()["ref"]]
    refused = _json(
        client,
        "post",
        "/personal-data/records",
        {**subject, "birth_date": "2999-01-01", "birth_place": canaries["refused"]},
    )
    assert refused.status_code == 422  # refused input: never stored, never logged
    passengers = _json(
        client,
        "post",
        "/personal-data/records",
        {
            "purpose": "return",
            "category": "b",
            "passengers": [{"name": canaries["passenger"], "document": canaries["passenger_document"]}],
        },
    )
    assert passengers.status_code == 201, passengers.content
    refs.append(passengers.json()["ref"])
    smuggling = services.create_record(
        actor=officer,
        purpose="exchange",
        category="e",
        data={
            "names": [{"family": canaries["smuggler"], "given": "X"}],
            "modus_operandi": canaries["modus_operandi"],
            "transport": canaries["transport"],
            "intermediaries": canaries["intermediaries"],
            "financial_flows": canaries["financial_flows"],
        },
    )
    with_files = services.create_record(
        actor=officer,
        purpose="return",
        category="a",
        data={"names": [{"family": canaries["family_with_files"], "given": "Y"}]},
        biometrics={
            "facial_image": io.BytesIO(png_with_text(canaries["facial_image"])),
            "fingerprints": io.BytesIO(png_with_text(canaries["fingerprints"])),
        },
    )
    refs += [smuggling.ref, with_files.ref]

    # reads through every door: page, API, file, search by name (page and API), reports
    for ref in refs:
        assert client.get(f"/personal-data/r/{ref}/").status_code == 200
        assert _json(client, "get", f"/personal-data/records/{ref}").status_code == 200
    assert client.get(f"/personal-data/r/{with_files.ref}/files/facial_image.img").status_code == 200
    assert client.post("/personal-data/", {"name": canaries["family"]}).status_code == 200
    assert client.post("/personal-data/", {"name": canaries["searched"]}).status_code == 200
    found = _json(client, "post", "/personal-data/records/search", {"name": canaries["family"]})
    assert [r["ref"] for r in found.json()] == [refs[0]]
    dpo_client = login(dpo)
    assert dpo_client.get(f"/personal-data/r/{refs[0]}/access-report.json").status_code == 200
    assert dpo_client.get(f"/personal-data/r/{refs[0]}/access-report.pdf").status_code == 200
    assert dpo_client.get("/personal-data/data-protection/access-log.csv").status_code == 200

    # a share with a justification, opened by its recipient; a legal hold placed and lifted
    client = login(officer)  # one test client: each login replaces the session
    share = _json(
        client,
        "post",
        f"/personal-data/records/{refs[0]}/shares",
        {
            "recipient_id": recipient.pk,
            "purpose": "return",
            "fields": ["names", "documents"],
            "justification": canaries["justification"],
            "days": 10,
        },
    )
    assert share.status_code == 201, share.content
    shared = login(recipient)
    assert shared.get(f"/personal-data/shared-with-me/{share.json()['ref']}/").status_code == 200
    record = services.Record.objects.get(ref=refs[3])
    services.place_hold(
        actor=authority,
        record=record,
        reason=canaries["hold_reason"],
        until=timezone.localdate() + timedelta(days=9),
    )
    services.lift_hold(actor=authority, record=services.Record.objects.get(ref=refs[3]))
    client = login(officer)
    transfer = _json(
        client,
        "post",
        f"/personal-data/records/{refs[0]}/transfers",
        {
            "recipient": canaries["register_marker"],
            "country": "MA",
            "basis": "49_1_d",
            "fields": ["names"],
            "transferred_on": "2026-01-02",
        },
    )
    assert transfer.status_code == 201, transfer.content
    return refs


def _plant_contact_details(world, login, make_user, canaries):
    """An officer on the contact list with a canary phone and e-mail at the post, changed once,
    listed in the board's list of deployed ILOs, read through the list, its export and the API,
    then leaving."""
    from ilonet.deployments import services
    from ilonet.deployments.tests.helpers import days, deploy, desk, officer
    from ilonet.networks import services as network_services

    actor = desk(make_user)
    person = officer(make_user)
    deployment = deploy(
        actor,
        person,
        country="SN",
        phone=canaries["phone_first"],
        email=canaries["mail_first"],
        start=days(-300),
        end=days(10),
    )
    services.update_deployment(
        actor=actor, deployment=deployment, phone=canaries["phone"], email=canaries["mail"]
    )
    snapshot = network_services.update_officer_list(actor=world["chair"], title="Before the meeting")
    reader = login(world["officer"])
    assert canaries["mail"] in reader.get("/deployments/contacts/").content.decode()
    assert (
        canaries["mail"]
        in b"".join(reader.get("/deployments/contacts/export.csv").streaming_content).decode()
    )
    assert canaries["mail"] in _json(reader, "get", "/deployments/contacts").content.decode()
    chair = login(world["chair"])  # the same test client, signed in as the chair
    assert chair.get(f"/networks/officer-lists/{snapshot.pk}/export.csv").status_code == 200
    services.end_deployment(actor=actor, deployment=deployment, end_date=days(-1))
    return deployment


def test_no_canary_survives_the_erasure_jobs_anywhere(
    world, login, make_user, captured_logs, capfd, settings
):
    from ilonet.deployments.jobs import erase_left_officers_contact_details
    from ilonet.jobs.testing import run_queued_jobs
    from ilonet.personaldata.jobs import erase_expired_personal_data
    from ilonet.personaldata.models import Record

    settings.CONTACT_DETAILS_RETENTION_DAYS = 30
    personal = {
        name: canary(name.title().replace("_", ""))
        for name in (
            "family", "given", "birth_place", "document", "refused", "passenger", "passenger_document",
            "smuggler", "modus_operandi", "transport", "intermediaries", "financial_flows",
            "family_with_files", "facial_image", "fingerprints", "searched", "justification", "hold_reason",
        )
    }  # fmt: skip
    token = secrets.token_hex(4)
    personal["arabic_family"] = f"الكناري{token}"
    personal["arabic_given"] = f"كناري{token}"
    contact = {
        "phone_first": f"+22177{secrets.randbelow(10**7):07d}",
        "phone": f"+22178{secrets.randbelow(10**7):07d}",
        "mail_first": f"{canary('first').lower()}@post.example.eu",
        "mail": f"{canary('mail').lower()}@post.example.eu",
    }
    # the phone as other forms write it: without "+", as local digits
    contact["phone_digits"] = contact["phone"][1:]
    contact["phone_local"] = contact["phone"][4:]
    contact["phone_first_local"] = contact["phone_first"][4:]
    register_marker = canary("RegisterMarker")

    refs = _plant_personal_data(world, login, {**personal, "register_marker": register_marker})
    _plant_contact_details(world, login, make_user, contact)
    run_queued_jobs()  # the notifications' e-mails (the board hears of the deployment)
    caches["default"].set("retention-canary-marker", {"value": register_marker}, 600)
    logging.getLogger("ilonet").info("retention marker %s", register_marker)
    mail.send_mail("marker", f"body {register_marker}", "from@example.eu", ["to@example.eu"])
    marker_file = Path(settings.DATA_DIR) / "media" / f"marker-{register_marker}.txt"
    marker_file.parent.mkdir(parents=True, exist_ok=True)
    marker_file.write_text(register_marker)

    # before the erasure the person can be found (the canaries went in), also through the search
    # index: the blind index's rows of every name planted are in the database
    assert Record.objects.filter(ref__in=refs).count() == 4
    names = ("family", "given", "arabic_family", "arabic_given", "passenger", "smuggler", "family_with_files")
    index_rows = {
        f"index row of {name} #{number}": digest
        for name in names
        for number, digest in enumerate(sorted(name_digests(personal[name])))
    }
    assert {hit.split(" in ")[0] for hit in database_hits(index_rows)} == set(index_rows)
    Record.objects.filter(ref__in=refs).update(erase_on=timezone.localdate() - timedelta(days=1))
    if connection.vendor == "sqlite":  # the data has lived a while: its pages are in the file itself
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            # deleted values are zeroed in their pages whatever the build's default (Debian's
            # SQLite has it on; others do not): the settings turn it on for every connection
            cursor.execute("PRAGMA secure_delete")
            assert cursor.fetchone()[0] == 1
    later = timezone.now() + timedelta(days=40)
    assert erase_expired_personal_data() == {"erased": 4}
    with clock.frozen(later if timezone.is_aware(later) else timezone.make_aware(later)):
        assert erase_left_officers_contact_details() == {"officers": 1}

    canaries = {**personal, **contact, **index_rows}
    marker = {"marker": register_marker}
    out, err = capfd.readouterr()
    streams = out + err
    data_roots = (Path(settings.DATA_DIR), Path(settings.PERSONAL_DATA_KEY_DIR))

    # every scan sees a clear marker where one is
    assert database_hits(marker) == ["marker"] if connection.vendor == "sqlite" else database_hits(marker)
    assert file_hits(marker, *data_roots)
    assert cache_hits(marker) and outbox_hits(marker) and log_hits(marker, captured_logs, streams)
    marker_file.unlink()

    assert database_hits(canaries) == []
    assert file_hits(canaries, *data_roots) == []
    assert cache_hits(canaries) == []
    assert outbox_hits(canaries) == []
    assert log_hits(canaries, captured_logs, streams) == []
    assert len(mail.outbox) >= 2 and len(captured_logs) > 0  # mail was sent and logs were written


def test_the_scans_find_a_canary_left_in_any_place(world):
    """The scans fail when a canary is still there: in a clear column, a file, the cache."""
    from ilonet.personaldata.models import Transfer

    text = canary("Left")
    Transfer.objects.create(
        controller=world["officer"].organisation,
        recipient=text,
        basis="49_1_d",
        fields=[],
        transferred_on=datetime(2026, 1, 1).date(),
    )
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    assert database_hits({"left": text}) != []
    caches["default"].set("left", text.upper(), 60)
    assert cache_hits({"left": text}) != []
    arabic = f"كناري{secrets.token_hex(3)}"
    assert found_in(json.dumps({"n": arabic}).encode(), {"arabic": arabic}) == ["arabic"]
    assert found_in(arabic.encode(), {"arabic": arabic}) == ["arabic"]
