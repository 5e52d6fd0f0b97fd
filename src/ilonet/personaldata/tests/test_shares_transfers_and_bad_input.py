"""Strictly necessary exchange (Art. 10(4)), transfers under chapter V of the GDPR (Art. 10(5)), and bad
input refused with the reason and nothing stored."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from ilonet import policy
from ilonet.accounts.roles import Role
from ilonet.audit.models import AuditEvent
from ilonet.personaldata import selectors, services, vault
from ilonet.personaldata.law import Purpose
from ilonet.personaldata.models import Record, Share, Transfer
from ilonet.shared.uploads import UploadRefused

from .conftest import SUBJECT, make_record, png_bytes

pytestmark = pytest.mark.django_db


def _share(officer, record, recipient, **overrides):
    arguments = {
        "purpose": Purpose.RETURN,
        "fields": ["names"],
        "justification": "Escort needs the name.",
        "days": 5,
    }
    return services.share_record(
        actor=officer, record=record, recipient=recipient, **{**arguments, **overrides}
    )


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"purpose": ""}, "purpose"),
        ({"justification": " "}, "justification"),
        ({"fields": []}, "fields"),
        ({"fields": ["names", "shoe_size"]}, "fields"),
        ({"days": 0}, "days"),
        ({"days": 91}, "days"),
        ({"purpose": Purpose.LEGAL_MIGRATION}, "purpose"),
    ],
)
def test_a_share_without_purpose_justification_or_chosen_fields_is_refused(
    officer, make_user, overrides, field
):
    record = make_record(officer)
    with pytest.raises(ValidationError) as refused:
        _share(officer, record, make_user(Role.RETURN_OFFICER), **overrides)
    assert field in refused.value.message_dict
    assert not Share.objects.exists()


def test_smuggling_data_is_shared_only_for_the_exchange_of_article_3_6_d(officer, make_user):
    record = make_record(
        officer, purpose=Purpose.EXCHANGE, category="e", data={**SUBJECT, "intermediaries": "A travel agent."}
    )
    with pytest.raises(ValidationError):
        _share(officer, record, make_user(Role.RETURN_OFFICER), purpose=Purpose.RETURN)
    assert _share(officer, record, make_user(Role.RETURN_OFFICER), purpose=Purpose.EXCHANGE).pk


def test_a_withdrawn_or_expired_share_opens_nothing(officer, make_user):
    recipient = make_user(Role.RETURN_OFFICER)
    record = make_record(officer)
    share = _share(officer, record, recipient)
    assert selectors.open_share(user=recipient, ref=share.ref, via="page")[1].data.keys() == {"names"}
    services.withdraw_share(actor=officer, share=share)
    policy.forget_roles(recipient)
    with pytest.raises(PermissionDenied):
        selectors.open_share(user=recipient, ref=share.ref, via="page")
    later = _share(officer, record, recipient)
    Share.objects.filter(pk=later.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    with pytest.raises(PermissionDenied):
        selectors.open_share(user=recipient, ref=later.ref, via="page")
    assert AuditEvent.objects.filter(action="personaldata.share_withdrawn").count() == 1


def tomorrow():
    return timezone.localdate() + timedelta(days=1)


def resolved(values: dict) -> dict:
    """The parameters with their days read when the test runs, not when the module is collected
    (minutes before: across midnight "tomorrow" had become today)."""
    return {name: value() if callable(value) else value for name, value in values.items()}


def _transfer(officer, record, **overrides):
    arguments = {
        "recipient": "Direction générale de la sûreté",
        "country": "MA",
        "basis": "49_1_d",
        "fields": ["names", "documents"],
        "transferred_on": timezone.localdate(),
    }
    return services.record_transfer(actor=officer, record=record, **{**arguments, **overrides})


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"basis": ""}, "basis"),
        ({"basis": "adequacy"}, "basis"),
        ({"basis": "safeguards"}, "basis_detail"),
        ({"country": "XX"}, "country"),
        ({"fields": []}, "fields"),
        ({"transferred_on": tomorrow}, "transferred_on"),
    ],
)
def test_a_transfer_without_a_legal_basis_is_refused_and_the_refusal_audited(officer, overrides, field):
    record = make_record(officer)
    with pytest.raises(ValidationError) as refused:
        _transfer(officer, record, **resolved(overrides))
    assert field in refused.value.message_dict
    assert not Transfer.objects.exists()
    event = AuditEvent.objects.get(action="personaldata.transfer_refused")
    assert field in event.details["problems"] and "Zarqaoui" not in str(event.details)


def test_the_register_of_transfers_counts_per_country_and_basis_and_survives_the_erasure(
    officer, make_user, login
):
    record = make_record(officer, today=timezone.localdate() - timedelta(days=400))
    _transfer(officer, record)
    _transfer(officer, record, country="CH", basis="adequacy")
    services.erase_due_records()
    authority = make_user(Role.DEPLOYING_AUTHORITY)
    totals = {
        (row["country"], row["basis"]): row["count"] for row in selectors.transfer_totals(user=authority)
    }
    assert totals == {("CH", "adequacy"): 1, ("MA", "49_1_d"): 1}
    csv_text = b"".join(login(authority).get("/personal-data/transfers.csv").streaming_content).decode()
    assert "49_1_d" in csv_text and "Zarqaoui" not in csv_text and not Record.objects.exists()


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"birth_date": tomorrow}, "birth_date"),
        ({"nationality": "QQ"}, "nationality"),
        ({"names": [{"family": "", "given": "X"}]}, "names"),
        ({"birth_place": "Oujda\u202e"}, "birth_place"),
        ({"modus_operandi": "Boats."}, "modus_operandi"),
        ({"passengers": [{"name": "A B"}]}, "passengers"),
    ],
)
def test_bad_personal_fields_are_refused_with_the_reason_and_nothing_stored(officer, key_store, data, field):
    with pytest.raises(ValidationError) as refused:
        make_record(officer, data={**SUBJECT, **resolved(data)})
    assert field in refused.value.message_dict
    assert not Record.objects.exists() and vault.key_count() == 0


@pytest.mark.parametrize(
    "content", [b"%PDF-1.7\n" + b"x" * 200, b"GIF89a" + b"\0" * 100, b"not an image at all"]
)
def test_a_biometric_file_that_is_not_a_jpeg_or_png_image_is_refused(officer, key_store, content):
    with pytest.raises(UploadRefused):
        make_record(officer, biometrics={"facial_image": io.BytesIO(content)})
    assert not Record.objects.exists() and vault.key_count() == 0


def test_an_oversized_biometric_file_is_refused(officer, settings):
    settings.PERSONAL_DATA_MAX_BIOMETRIC_BYTES = 50
    with pytest.raises(UploadRefused):
        make_record(officer, biometrics={"fingerprints": io.BytesIO(png_bytes())})
    assert not Record.objects.exists()


def test_a_page_refusal_names_no_person_and_the_form_shows_the_reason(officer, login):
    client = login(officer)
    response = client.post(
        "/personal-data/new/",
        {"purpose": "return", "category": "e", "family_name": "Zarqaoui", "modus_operandi": "Boats."},
    )
    page = response.content.decode()
    assert response.status_code == 200 and "Art. 10(3)" in page
    assert not Record.objects.exists()
    assert "Zarqaoui" not in str(list(AuditEvent.objects.values_list("details", flat=True)))
