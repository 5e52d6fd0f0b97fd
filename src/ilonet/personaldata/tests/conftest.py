"""Fixtures of the personal data tests: a key store of each test's own, officers with purposes."""

from __future__ import annotations

import io
from datetime import date

import pytest
from PIL import Image

from ilonet.accounts.roles import Role
from ilonet.personaldata import services
from ilonet.personaldata.law import Purpose
from ilonet.personaldata.models import PurposeAssignment


@pytest.fixture(autouse=True)
def key_store(settings, tmp_path):
    settings.PERSONAL_DATA_KEY_DIR = tmp_path / "keys"
    return settings.PERSONAL_DATA_KEY_DIR


def give_purposes(user, *purposes: str) -> None:
    from ilonet import policy
    from ilonet.personaldata.access import controller_id

    for purpose in purposes:
        PurposeAssignment.objects.create(user=user, purpose=purpose, controller_id=controller_id(user))
    policy.forget_roles(user)


@pytest.fixture
def officer(make_user):
    """A liaison officer of the Netherlands working on every purpose."""
    user = make_user(Role.ILO)
    give_purposes(user, *Purpose.values)
    return user


SUBJECT = {
    "names": [
        {"script": "latin", "family": "Zarqaoui", "given": "Youssef"},
        {"script": "arabic", "family": "الزرقاوي", "given": "يوسف"},
    ],
    "birth_date": date(1990, 4, 12),
    "birth_place": "Oujda",
    "nationality": "MA",
    "documents": [{"kind": "passport", "number": "XQ7781234", "country": "MA"}],
}


def png_bytes(colour: str = "red") -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), colour).save(buffer, format="PNG")
    return buffer.getvalue()


def make_record(actor, *, purpose=Purpose.RETURN, category="a", data=None, **kwargs):
    return services.create_record(
        actor=actor, purpose=purpose, category=category, data=data or SUBJECT, **kwargs
    )
