"""Demo data of the personal data of Art. 10: a few dozen invented records of the Dutch
liaison officer in several purposes, one on legal hold, one due for erasure today and one next
week, a passenger list, two records of category (e), a share with the return officer and
transfers to a third country. Every name is invented."""

from __future__ import annotations

import io
import random
from datetime import date, timedelta

from django.contrib.auth import get_user_model
from django.utils import timezone

from . import services
from .law import Purpose, retention_days
from .models import PurposeAssignment, Record

SEED = 20191240
FAMILY = (
    "Benali",
    "Haddou",
    "Ouali",
    "Kone",
    "Diallo",
    "Traore",
    "Mensah",
    "Okafor",
    "Abebe",
    "Tesfaye",
    "Rahimi",
    "Karimi",
    "Hussaini",
    "Nazari",
    "Siddiqui",
    "Chowdhury",
    "Nguyen",
    "Tran",
    "Sahin",
    "Aydin",
)
GIVEN = (
    "Youssef",
    "Amina",
    "Karim",
    "Fatou",
    "Moussa",
    "Awa",
    "Kwame",
    "Chinedu",
    "Selam",
    "Dawit",
    "Farid",
    "Zahra",
    "Omid",
    "Soraya",
    "Imran",
    "Nusrat",
    "Linh",
    "Minh",
    "Emre",
    "Elif",
)
NATIONALITIES = ("MA", "DZ", "SN", "ML", "GH", "NG", "ET", "ER", "AF", "PK", "BD", "VN", "TR")
DOMAIN = "demo.ilonet.eu"


def _user(local: str):
    return get_user_model().objects.get(email=f"{local}@{DOMAIN}")


def _png(rng: random.Random) -> io.BytesIO:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (48, 60), tuple(rng.randrange(256) for _ in range(3))).save(buffer, format="PNG")
    buffer.seek(0)
    return buffer


def _subject(rng: random.Random) -> dict:
    family, given, nationality = rng.choice(FAMILY), rng.choice(GIVEN), rng.choice(NATIONALITIES)
    born = date(1960, 1, 1) + timedelta(days=rng.randrange(16000))
    return {
        "names": [{"script": "latin", "family": family, "given": given}],
        "birth_date": born,
        "birth_place": "",
        "nationality": nationality,
        "documents": [
            {
                "kind": rng.choice(["passport", "identity_card"]),
                "country": nationality,
                "number": f"{rng.choice('ABCDEFGH')}{rng.randrange(10**7, 10**8)}",
            }
        ],
    }


def seed_personal_data() -> None:
    if Record.objects.exists():
        return
    rng = random.Random(SEED)  # noqa: S311  (deterministic demo data, not security)
    officer, authority, recipient = _user("ilo"), _user("deploying"), _user("return.nl")
    for purpose in Purpose.values:
        if not PurposeAssignment.objects.filter(user=officer, purpose=purpose).exists():
            services.assign_purpose(actor=authority, user=officer, purpose=purpose)
    today = timezone.localdate()
    plan = (
        [(Purpose.RETURN, "a")] * 14
        + [(Purpose.LEGAL_MIGRATION, "c")] * 6
        + [(Purpose.RESETTLEMENT, "d")] * 6
    )
    records = []
    for index, (purpose, category) in enumerate(plan):
        created = today - timedelta(days=rng.randrange(5, 150))
        extra = {"biometrics": {"facial_image": _png(rng)}} if index % 7 == 0 else {}
        records.append(
            services.create_record(
                actor=officer, purpose=purpose, category=category, data=_subject(rng), today=created, **extra
            )
        )
    for index in range(2):
        data = {
            **_subject(rng),
            "modus_operandi": "Forged visas sold through a travel agency.",
            "transport": "Small boats from the coast.",
            "intermediaries": "A local facilitator.",
            "financial_flows": "Cash payments through informal transfers.",
        }
        records.append(
            services.create_record(
                actor=officer,
                purpose=Purpose.EXCHANGE,
                category="e",
                data=data,
                today=today - timedelta(days=30 + index),
            )
        )
    passengers = [
        {"name": f"{rng.choice(GIVEN)} {rng.choice(FAMILY)}", "document": f"P{rng.randrange(10**6, 10**7)}"}
        for _ in range(8)
    ]
    services.create_record(
        actor=officer,
        purpose=Purpose.RETURN,
        category="b",
        data={"passengers": passengers},
        today=today - timedelta(days=20),
    )
    retention = retention_days(Purpose.RETURN)
    held = services.create_record(
        actor=officer,
        purpose=Purpose.RETURN,
        category="a",
        data=_subject(rng),
        today=today - timedelta(days=retention + 10),
    )
    services.place_hold(
        actor=authority,
        record=held,
        reason="Appeal before the Council of State pending",
        until=today + timedelta(days=120),
    )
    for days in (0, 7):  # due for erasure today (the nightly job erases it) and next week
        services.create_record(
            actor=officer,
            purpose=Purpose.RETURN,
            category="a",
            data=_subject(rng),
            today=today - timedelta(days=retention - days),
        )
    services.share_record(
        actor=officer,
        record=records[0],
        recipient=recipient,
        purpose=Purpose.RETURN,
        fields=["names", "documents", "facial_image"],
        days=30,
        justification="The escort checks identity and travel document at boarding.",
    )
    for record, country, basis, detail in (
        (records[1], "MA", "49_1_d", "Return of a national (recital 25)"),
        (records[2], "CH", "adequacy", ""),
        (records[3], "SN", "49_1_d", "Identification by the consulate"),
    ):
        services.record_transfer(
            actor=officer,
            record=record,
            recipient="Consular authority",
            country=country,
            basis=basis,
            basis_detail=detail,
            fields=["names", "documents"],
            transferred_on=today - timedelta(days=3),
        )
