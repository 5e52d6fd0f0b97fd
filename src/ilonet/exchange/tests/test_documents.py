"""Documents: versions, restore, check-out, move, soft delete, expiry (Art. 9(1)), markings above
what the platform may hold refused (Art. 9(1)), and the personal-data guard at every upload and
new version with its override by a user the board authorised (Art. 9(3))."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from ilonet.audit.models import AuditEvent
from ilonet.exchange import selectors, services
from ilonet.exchange.models import Document, DocumentVersion, GuardOverride
from ilonet.exchange.services.guard import PersonalDataFound
from ilonet.shared.uploads import UploadRefused

from .conftest import csv_file, txt, upload

pytestmark = pytest.mark.django_db
PERSONAL = "Contact the desk officer at jan.devries@example.nl for the figures.\n"


def _stored(tmp_path) -> list:
    return [p for p in (tmp_path / "media").rglob("*") if p.is_file()]


def test_new_versions_keep_the_earlier_ones_and_restore_makes_a_new_version(people):
    document = upload(people.ilo, people.network_space, file=txt("First text.\n"))
    services.upload_version(
        actor=people.facilitator, document=document, file=txt("Second text.\n"), note="Figures"
    )
    versions = list(selectors.versions_of(user=people.ilo, document=document))
    assert [v.number for v in versions] == [2, 1]
    restored = services.restore_version(actor=people.ilo, version=versions[1])
    document.refresh_from_db()
    assert restored.number == 3 and document.current_version == restored and restored.key == versions[1].key
    assert AuditEvent.objects.filter(action="exchange.version_restored").count() == 1


def test_a_checked_out_document_shows_its_holder_and_only_the_holder_changes_it(people):
    document = upload(people.ilo, people.network_space)
    services.check_out(actor=people.ilo, document=document)
    document.refresh_from_db()
    assert document.checked_out_by == people.ilo
    with pytest.raises(ValidationError, match="checked this document out"):
        services.upload_version(actor=people.facilitator, document=document, file=txt())
    with pytest.raises(ValidationError):
        services.check_out(actor=people.facilitator, document=document)
    services.upload_version(actor=people.ilo, document=document, file=txt("New.\n"))
    document.refresh_from_db()
    assert document.checked_out_by is None  # a new version checks the document in


def test_a_manager_breaks_a_check_out_and_a_member_cannot(people):
    document = upload(people.ilo, people.network_space)
    services.check_out(actor=people.ilo, document=document)
    ilo2 = people.ilo
    with pytest.raises(PermissionDenied):
        services.break_check_out(actor=ilo2, document=document)
    services.break_check_out(actor=people.facilitator, document=document)
    document.refresh_from_db()
    assert document.checked_out_by is None
    assert AuditEvent.objects.filter(action="exchange.check_out_broken").exists()


def test_managers_move_delete_and_restore(people):
    space = people.network_space
    folder = services.create_folder(actor=people.facilitator, space=space, name="Routes")
    document = upload(people.ilo, space)
    with pytest.raises(PermissionDenied):
        services.move_document(actor=people.ilo, document=document, folder=folder)
    services.move_document(actor=people.facilitator, document=document, folder=folder)
    services.delete_folder(actor=people.facilitator, folder=folder)
    assert not selectors.readable_documents(user=people.ilo).exists()
    with pytest.raises(ValidationError):
        services.restore_document(actor=people.facilitator, document=document)  # its folder first
    services.restore_folder(actor=people.facilitator, folder=folder)
    assert selectors.readable_documents(user=people.ilo).count() == 1
    services.delete_document(actor=people.facilitator, document=document)
    assert not selectors.readable_documents(user=people.ilo).exists()
    services.restore_document(actor=people.facilitator, document=document)
    assert selectors.readable_documents(user=people.ilo).count() == 1


def test_expired_documents_leave_the_space(people):
    document = upload(people.ilo, people.network_space, expires_on=timezone.localdate() + timedelta(days=3))
    assert services.expire_due_documents(now=timezone.now()) == []
    assert services.expire_due_documents(now=timezone.now() + timedelta(days=4)) == [document.pk]
    assert not selectors.readable_documents(user=people.ilo).exists()
    with pytest.raises(ValidationError):  # a new date in the future, or none
        services.restore_document(
            actor=people.facilitator, document=document, expires_on=timezone.localdate() - timedelta(days=1)
        )
    services.restore_document(actor=people.facilitator, document=document, expires_on=None)
    assert selectors.readable_documents(user=people.ilo).count() == 1


@pytest.mark.parametrize("marking", ["eu_restricted", "law_enforcement"])
def test_markings_above_what_the_platform_holds_are_refused_and_nothing_is_stored(people, tmp_path, marking):
    with pytest.raises(ValidationError) as refused:
        upload(people.ilo, people.network_space, marking=marking)
    assert "Art. 9(1)" in " ".join(refused.value.message_dict["marking"])
    assert not Document.objects.exists() and _stored(tmp_path) == []


def test_personal_data_is_refused_with_a_report_and_nothing_is_stored(people, tmp_path):
    with pytest.raises(PersonalDataFound) as refused:
        upload(people.ilo, people.network_space, file=txt(PERSONAL))
    messages = refused.value.message_dict["file"]
    assert "Art. 9(3)" in messages[0] and "jan.devries@example.nl" not in " ".join(messages)
    assert not Document.objects.exists() and _stored(tmp_path) == []
    event = AuditEvent.objects.get(action="exchange.document_refused")
    assert "jan.devries" not in str(event.details)


def test_new_versions_are_checked_too(people, tmp_path):
    document = upload(people.ilo, people.network_space)
    with pytest.raises(PersonalDataFound):
        services.upload_version(actor=people.ilo, document=document, file=txt(PERSONAL))
    assert DocumentVersion.objects.count() == 1 and len(_stored(tmp_path)) == 1


def test_only_a_user_the_board_authorised_overrides_a_finding_with_a_reason(people, decision):
    with pytest.raises(PersonalDataFound) as refused:
        upload(people.ilo, people.network_space, file=txt(PERSONAL))
    fingerprints = [f.fingerprint for f in refused.value.report.findings]
    with pytest.raises(PermissionDenied):
        upload(
            people.ilo,
            people.network_space,
            file=txt(PERSONAL),
            overrides=fingerprints,
            override_reason="Desk",
        )
    services.authorise_overrides(actor=people.secretariat, user=people.ilo, motion_id=decision.pk)
    with pytest.raises(ValidationError) as no_reason:
        upload(people.ilo, people.network_space, file=txt(PERSONAL), overrides=fingerprints)
    assert "override_reason" in no_reason.value.message_dict
    document = upload(
        people.ilo,
        people.network_space,
        file=txt(PERSONAL),
        overrides=fingerprints,
        override_reason="The functional mailbox of the ministry's desk, not a person.",
    )
    assert document.guard_overridden
    override = GuardOverride.objects.get()
    assert override.fingerprint == fingerprints[0] and override.masked != "jan.devries@example.nl"
    assert AuditEvent.objects.filter(action="exchange.guard_overridden", object_id=str(document.pk)).exists()


def test_refused_files_store_nothing(people, tmp_path):
    with pytest.raises(UploadRefused) as refused:
        upload(people.ilo, people.network_space, file=txt(""))
    assert refused.value.code == "empty" and not Document.objects.exists() and _stored(tmp_path) == []


def test_statistics_are_shown_as_tables(people):
    from ilonet.exchange.tables import tables_of

    document = upload(people.ilo, people.network_space, file=csv_file())
    version = document.current_version
    [table] = tables_of(key=version.key, content_type=version.content_type)
    assert table.header == ["country", "arrivals"] and table.rows == [["MA", "120"], ["TN", "80"]]


def test_extracted_text_for_the_search_index(people):
    document = upload(people.ilo, people.network_space, file=txt("Routes through the Sahel.\n"))
    assert "Routes through the Sahel." in selectors.extracted_text(document=document)


def test_an_upload_is_inspected_and_hashed_once_and_stored_with_its_recorded_hash(
    people, tmp_path, monkeypatch
):
    """The guard's inspection is the one the pipeline stores by (one read and SHA-256 of the file,
    not two); the stored bytes hash to what the version records, for a first upload and a new
    version alike."""
    import hashlib

    from django.core.files.uploadedfile import SimpleUploadedFile

    from ilonet.shared.uploads import inspect as inspection
    from ilonet.shared.uploads import testing as make

    calls = []
    measure = inspection._measure
    monkeypatch.setattr(inspection, "_measure", lambda fp, limit: calls.append(1) or measure(fp, limit))
    texts = [b"BT /F1 12 Tf 72 720 Td (Flows on the central route, quarter %d.) Tj ET" % n for n in (1, 2)]
    files = [make.pdf_bytes(content=text) for text in texts]
    document = upload(
        people.ilo, people.network_space, file=SimpleUploadedFile("q1.pdf", files[0], "application/pdf")
    )
    version = services.upload_version(
        actor=people.ilo, document=document, file=SimpleUploadedFile("q2.pdf", files[1], "application/pdf")
    )
    assert len(calls) == 2  # one per upload
    for stored, data in zip((document.current_version, version), files, strict=True):
        on_disk = (tmp_path / "media" / stored.key).read_bytes()
        assert stored.sha256 == hashlib.sha256(data).hexdigest() == hashlib.sha256(on_disk).hexdigest()
        assert stored.size == len(data) == len(on_disk)
