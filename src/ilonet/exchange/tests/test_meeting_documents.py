"""The board's meeting documents are kept in the steering board's space (one document store, not
two; Art. 9(2)(a), Art. 9(2)(e)): the meeting page uploads through the exchange's path (the
personal-data guard of Art. 9(3), the marking of Art. 9(1), versions), lists the meeting's
folder, lets an invited observer open them (Art. 7(4)); the European Parliament's reader sees
one only when the board opened it by decision (Art. 9(4))."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from ilonet.accounts.roles import Role
from ilonet.audit.models import AuditEvent
from ilonet.board import selectors as board_selectors
from ilonet.board import services as board_services
from ilonet.exchange import selectors, services
from ilonet.exchange.models import Document, DocumentVersion, Folder
from ilonet.shared.uploads import testing as make

pytestmark = pytest.mark.django_db


def _meeting(chair, title="Board meeting"):
    start = timezone.now() + timedelta(days=20)
    return board_services.create_meeting(
        actor=chair, title=title, starts_at=start, ends_at=start + timedelta(hours=4), location="Brussels"
    )


def _pdf(name="agenda.pdf", text=b"Agenda of the steering board"):
    return SimpleUploadedFile(name, make.pdf_bytes(content=b"BT /F1 12 Tf 72 720 Td (" + text + b") Tj ET"))


def _docx(text: str, name="contacts.docx"):
    import io

    import docx

    document = docx.Document()
    document.add_paragraph(text)
    buffer = io.BytesIO()
    document.save(buffer)
    return SimpleUploadedFile(name, buffer.getvalue())


def _add(people, meeting, title="Agenda", file=None, **fields):
    return board_services.upload_document(
        actor=people.chair, meeting=meeting, title=title, file=file or _pdf(), **fields
    )


def test_a_meeting_document_is_a_document_of_the_board_space_in_the_meetings_folder(people):
    meeting = _meeting(people.chair)
    item = board_services.add_agenda_item(actor=people.chair, meeting=meeting, title="Budget")
    first = _add(people, meeting)
    second = _add(people, meeting, title="Budget paper", agenda_item=item, marking="sensitive")
    documents = Document.objects.filter(pk__in=[first.id, second.id]).select_related("folder")
    assert {d.space_id for d in documents} == {people.board_space.pk}
    assert {d.folder.meeting_id for d in documents} == {meeting.pk}
    assert Folder.objects.filter(meeting=meeting).count() == 1  # one folder per meeting
    budget = Document.objects.get(pk=second.id)
    assert budget.agenda_item_id == item.pk and budget.marking == "sensitive" and budget.category == "e"
    listed = board_selectors.meeting_documents(user=people.chair, meeting=meeting)
    assert [d.title for d in listed] == ["Agenda", "Budget paper"]
    assert listed[1].agenda_position == item.position
    assert board_selectors.with_document_counts([meeting])[0].document_count == 2
    # The board's members find it in their space; a network's officer does not.
    assert selectors.readable_documents(user=people.board_member).filter(pk=first.id).exists()
    assert not selectors.readable_documents(user=people.ilo).filter(pk=first.id).exists()
    # Audited as an upload of the exchange and as the meeting's document.
    assert AuditEvent.objects.filter(action="exchange.document_uploaded", object_id=str(first.id)).exists()
    assert AuditEvent.objects.filter(action="board.document_uploaded", object_id=str(meeting.pk)).count() == 2


def test_a_meeting_document_has_versions_like_any_other(people):
    meeting = _meeting(people.chair)
    link = _add(people, meeting)
    document = Document.objects.get(pk=link.id)
    services.upload_version(actor=people.chair, document=document, file=_pdf(text=b"Revised agenda"))
    assert list(DocumentVersion.objects.filter(document=document).values_list("number", flat=True)) == [2, 1]
    assert board_selectors.meeting_documents(user=people.chair, meeting=meeting)[0].id == document.pk


def test_personal_data_and_markings_above_the_platform_are_refused_with_nothing_stored(people):
    meeting = _meeting(people.chair)
    with pytest.raises(ValidationError) as error:
        _add(people, meeting, file=_docx("Contact jan.jansen@minbuza.nl for the agenda"))
    assert "file" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        _add(people, meeting, marking="law_enforcement")
    assert "marking" in error.value.message_dict
    assert not Document.objects.exists() and not DocumentVersion.objects.exists()


def test_a_cancelled_meeting_takes_no_documents(people):
    meeting = _meeting(people.chair)
    board_services.cancel_meeting(actor=people.chair, meeting=meeting)
    with pytest.raises(ValidationError):
        _add(people, meeting)
    assert not Document.objects.exists()


def test_the_meeting_page_lists_and_serves_them_to_the_board_and_invited_observers_only(
    people, make_user, login
):
    meeting = _meeting(people.chair)
    other_meeting = _meeting(people.chair, title="Other meeting")
    link = _add(people, meeting)
    observer = make_user(Role.OBSERVER, organisation="iom")
    board_services.invite(actor=people.chair, meeting=meeting, user=observer, role="observer")
    stranger = make_user(Role.OBSERVER, organisation="iom")
    board_services.invite(actor=people.chair, meeting=other_meeting, user=stranger, role="observer")
    download = reverse("board:document_download", args=[meeting.pk, link.id])

    page = login(people.board_member).get(reverse("board:meeting_detail", args=[meeting.pk]))
    assert download in page.content.decode()
    assert reverse("exchange:document_detail", args=[link.id]) in page.content.decode()
    response = login(observer).get(download)
    assert response.status_code == 200 and b"".join(response.streaming_content).startswith(b"%PDF-")
    # The observer opens it from its meeting only, not in the board's space.
    observer_page = login(observer).get(reverse("board:meeting_detail", args=[meeting.pk])).content.decode()
    assert download in observer_page
    assert reverse("exchange:document_detail", args=[link.id]) not in observer_page
    assert login(observer).get(reverse("exchange:document_download", args=[link.id])).status_code in (
        403,
        404,
    )
    assert login(stranger).get(download).status_code == 404
    # A document of another meeting is not reached through this meeting's address.
    other = _add(people, other_meeting, title="Other")
    assert (
        login(observer).get(reverse("board:document_download", args=[meeting.pk, other.id])).status_code
        == 404
    )
    # A document deleted in the space leaves the meeting too.
    services.delete_document(actor=people.chair, document=Document.objects.get(pk=link.id))
    assert login(people.board_member).get(download).status_code == 404
    assert not board_selectors.meeting_documents(user=people.chair, meeting=meeting)


def test_the_parliament_reads_a_meeting_document_only_once_the_board_opened_it(people, decision, login):
    meeting = _meeting(people.chair)
    link = _add(people, meeting)
    folder = Folder.objects.get(meeting=meeting)
    url = reverse("exchange:document_download", args=[link.id])
    assert login(people.ep_reader).get(url).status_code == 404
    assert login(people.ep_reader).get(
        reverse("board:document_download", args=[meeting.pk, link.id])
    ).status_code in (
        403,
        404,
    )
    services.open_to_parliament(actor=people.chair, motion_id=decision.pk, folder=folder)
    assert login(people.ep_reader).get(url).status_code == 200


def test_the_meeting_page_uploads_through_the_exchange(people, login):
    meeting = _meeting(people.chair)
    response = login(people.chair).post(
        reverse("board:document_upload", args=[meeting.pk]),
        {"title": "Agenda", "file": _pdf(), "marking": "public"},
    )
    assert response.status_code == 302
    document = Document.objects.get()
    assert document.marking == "public" and document.folder.meeting_id == meeting.pk
    response = login(people.chair).post(
        reverse("board:document_upload", args=[meeting.pk]),
        {"title": "Contacts", "file": _docx("Write to jan.jansen@minbuza.nl")},
    )
    assert response.status_code == 422 and Document.objects.count() == 1
