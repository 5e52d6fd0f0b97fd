"""Meetings (Art. 7(4), Art. 7(5), Art. 7(6), Art. 7(7)): invitations as iCalendar (RFC 5545),
documents (kept in the board's space on the exchange platform; type by content, size limit,
nothing left behind on failure), minutes, and the chair's warnings (Art. 7(7),
Art. 8(1), Art. 8(2)(d))."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from ilonet.board import ical, selectors, services
from ilonet.board.models import MeetingKind, MeetingStatus
from ilonet.exchange.models import Document, DocumentVersion
from ilonet.shared.uploads import testing as make

pytestmark = pytest.mark.django_db

PDF = make.pdf_bytes()


def _odt() -> bytes:
    """A real ODT (odfpy): the personal-data guard reads its text (Art. 9(3))."""
    import io

    from odf.opendocument import OpenDocumentText
    from odf.text import P

    document = OpenDocumentText()
    document.text.addElement(P(text="Agenda of the steering board"))
    buffer = io.BytesIO()
    document.write(buffer)
    return buffer.getvalue()


ODT = _odt()
ODS = make.ods_bytes()


def _docx() -> bytes:
    import io

    import docx

    document = docx.Document()
    document.add_paragraph("Agenda of the steering board")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


DOCX = _docx()
PLAIN_ZIP = make.zip_bytes({"readme.txt": b"hello"})


def _stored_files(top: str = "exchange") -> set[str]:
    try:
        dirs, files = default_storage.listdir(top)
    except FileNotFoundError:
        return set()
    found = {f"{top}/{f}" for f in files}
    for directory in dirs:
        found |= _stored_files(f"{top}/{directory}")
    return found


@pytest.mark.parametrize(
    ("content", "content_type"),
    [
        (PDF, "application/pdf"),
        (ODT, "application/vnd.oasis.opendocument.text"),
        (DOCX, "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    ],
)
def test_documents_are_typed_by_content_not_by_name(board, content, content_type):
    meeting = board.meeting()
    upload = SimpleUploadedFile("agenda.exe", content, content_type="application/x-msdownload")
    link = services.upload_document(actor=board.chair, meeting=meeting, title="Agenda", file=upload)
    version = DocumentVersion.objects.get(document_id=link.id)
    assert version.content_type == content_type
    assert version.key.endswith(version.extension) and "agenda" not in version.key
    with default_storage.open(version.key) as stored:
        assert stored.read() == content
    # One document store: the board's space, in the meeting's folder, listed on the meeting.
    document = version.document
    assert document.space.kind == "board" and document.folder.meeting_id == meeting.pk
    assert [d.id for d in selectors.meeting_documents(user=board.chair, meeting=meeting)] == [document.pk]


@pytest.mark.parametrize("content", [b"MZ\x90\x00 executable", ODS, PLAIN_ZIP, b"", b"%PDX not a pdf"])
def test_a_refused_upload_leaves_no_row_and_no_file(board, content):
    meeting = board.meeting()
    before = _stored_files()
    with pytest.raises(ValidationError) as error:
        services.upload_document(
            actor=board.chair, meeting=meeting, title="Doc", file=SimpleUploadedFile("minutes.pdf", content)
        )
    assert "file" in error.value.message_dict
    assert not Document.objects.exists() and _stored_files() == before


def test_an_upload_over_the_size_limit_is_refused(board, settings):
    settings.ILONET_BOARD_MAX_UPLOAD_BYTES = 100
    meeting = board.meeting()
    with pytest.raises(ValidationError) as error:
        services.upload_document(
            actor=board.chair,
            meeting=meeting,
            title="Big",
            file=SimpleUploadedFile("big.pdf", PDF + b" " * 200),
        )
    assert "larger" in error.value.message_dict["file"][0]
    assert not Document.objects.exists()


def test_a_failure_after_the_file_is_stored_removes_the_file(board):
    """The title's length is checked by the model after the file reached the storage: the
    transaction rolls back and the stored file is deleted."""
    meeting = board.meeting()
    before = _stored_files()
    with pytest.raises(ValidationError) as error:
        services.upload_document(
            actor=board.chair, meeting=meeting, title="x" * 300, file=SimpleUploadedFile("late.pdf", PDF)
        )
    assert "title" in error.value.message_dict
    assert not Document.objects.exists() and _stored_files() == before


def test_ical_invitation_follows_rfc_5545(board):
    meeting = board.meeting(
        title="Réunion; du comité, avec un très long titre " + "é" * 60,
        location="Brussels, Berlaymont; room 1",
    )
    services.add_agenda_item(actor=board.chair, meeting=meeting, title="Opening")
    services.add_agenda_item(actor=board.chair, meeting=meeting, title="Closing")
    meeting = selectors.meeting_detail(user=board.chair, pk=meeting.pk)
    text = ical.meeting_invitation(
        meeting, url="https://ilonet.example.eu/board/meetings/1/", host="example.eu"
    )
    assert text.startswith("BEGIN:VCALENDAR\r\n") and text.endswith("END:VCALENDAR\r\n")
    assert "\n" not in text.replace("\r\n", "")
    lines = text.split("\r\n")[:-1]
    assert all(len(line.encode("utf-8")) <= 75 for line in lines)
    unfolded = text.replace("\r\n ", "")
    assert f"UID:{meeting.uid}@example.eu" in unfolded
    assert "DTSTAMP:" in unfolded and "DTSTART:" in unfolded and unfolded.count("Z\r\n") >= 3
    assert "SUMMARY:Réunion\\; du comité\\, avec un très long titre" in unfolded
    assert "LOCATION:Brussels\\, Berlaymont\\; room 1" in unfolded
    assert "1. Opening\\n2. Closing" in unfolded  # line breaks of the description escaped
    unfolded.encode("utf-8").decode("utf-8")  # folding never splits a character


def test_a_changed_meeting_gets_a_higher_sequence_and_a_cancelled_one_is_cancelled(board):
    meeting = board.meeting(starts_in=timedelta(days=10))
    meeting = services.update_meeting(actor=board.chair, meeting=meeting, location="Video conference")
    assert meeting.sequence == 1
    meeting = services.cancel_meeting(actor=board.chair, meeting=meeting)
    text = ical.meeting_invitation(meeting)
    assert "SEQUENCE:2" in text and "STATUS:CANCELLED" in text and "METHOD:CANCEL" in text


def test_a_joint_meeting_names_the_other_networks(board):
    with pytest.raises(ValidationError) as error:
        board.meeting(kind=MeetingKind.JOINT)
    assert "joint_with" in error.value.message_dict
    meeting = board.meeting(kind=MeetingKind.JOINT, joint_with="European Migration Network")
    assert meeting.joint_with == "European Migration Network"


def test_minutes_mark_the_meeting_held_but_not_before_it_starts(board):
    future = board.meeting(starts_in=timedelta(days=3))
    with pytest.raises(ValidationError):
        services.record_minutes(actor=board.chair, meeting=future, minutes="Too early.")
    held = services.record_minutes(actor=board.chair, meeting=board.meeting(), minutes="Decisions taken.")
    assert held.status == MeetingStatus.HELD


def test_meeting_times_are_checked(board):
    now = timezone.now()
    with pytest.raises(ValidationError) as error:
        services.create_meeting(
            actor=board.chair, title="x", starts_at=now, ends_at=now - timedelta(hours=1), location="Brussels"
        )
    assert "ends_at" in error.value.message_dict


# --- warnings for the chair -----------------------------------------------------------------------


def _codes(board):
    return {w.code for w in selectors.chair_warnings(user=board.chair)}


def test_warning_when_fewer_than_two_meetings_this_year(board):
    assert "meetings_per_year" in _codes(board)
    today = timezone.localdate()
    start_of_year = timezone.make_aware(timezone.datetime(today.year, 1, 1, 10))
    for days in (0, 1):
        board.meeting(
            title=f"m{days}",
            starts_at=start_of_year + timedelta(days=days),
            ends_at=start_of_year + timedelta(days=days, hours=4),
        )
    assert "meetings_per_year" not in _codes(board)


def test_every_past_year_since_the_first_meeting_with_fewer_than_two_meetings_is_flagged(board):
    """Art. 7(7): the board meets at least twice a year, every year, not only the current one."""
    year = timezone.localdate().year
    for past, count in ((year - 3, 2), (year - 1, 1), (year, 2)):
        for i in range(count):
            start = timezone.make_aware(timezone.datetime(past, 1, 10 + i, 10))
            board.meeting(title=f"{past}-{i}", starts_at=start, ends_at=start + timedelta(hours=4))
    flagged = [w.message for w in selectors.chair_warnings(user=board.chair) if w.code == "meetings_per_year"]
    assert len(flagged) == 2
    assert str(year - 2) in flagged[0] and str(year - 1) in flagged[1]  # oldest first; year - 2 had none


def test_cancelled_meetings_do_not_count_towards_two_a_year(board):
    next_year = timezone.localdate().year + 1
    start = timezone.make_aware(timezone.datetime(next_year, 3, 1, 10))
    meetings = [
        services.create_meeting(
            actor=board.chair,
            title=f"m{i}",
            starts_at=start + timedelta(days=i),
            ends_at=start + timedelta(days=i, hours=4),
            location="Brussels",
        )
        for i in (0, 30)
    ]
    assert selectors.meetings_in_year(year=next_year) == 2
    services.cancel_meeting(actor=board.chair, meeting=meetings[0])
    assert selectors.meetings_in_year(year=next_year) == 1


def test_warning_when_the_list_of_deployed_ilos_is_older_than_the_last_meeting(board):
    assert "officer_list_outdated" not in _codes(board)  # no meeting yet: nothing to compare
    board.meeting()
    assert "officer_list_outdated" in _codes(board)


def test_rules_of_procedure_deadline_is_three_months_after_the_first_meeting(board):
    first = board.meeting(starts_in=timedelta(days=-100))
    deadline = selectors.rules_deadline()
    assert deadline.first_meeting == first
    assert deadline.deadline == selectors.add_months(timezone.localdate(first.starts_at), 3)
    warning = next(w for w in selectors.chair_warnings(user=board.chair) if w.code == "rules_deadline")
    assert warning.level == "warning" and "Art. 8(1)" in warning.message
    board.rules()
    deadline = selectors.rules_deadline()
    assert deadline.adopted is not None and deadline.adopted_in_time is False
    assert "rules_deadline" not in _codes(board)


def test_rules_of_procedure_deadline_is_information_while_time_remains(board):
    board.meeting(starts_in=timedelta(days=-10))
    warning = next(w for w in selectors.chair_warnings(user=board.chair) if w.code == "rules_deadline")
    assert warning.level == "info"


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [("2024-01-31", 1, "2024-02-29"), ("2023-11-30", 3, "2024-02-29"), ("2025-03-15", 3, "2025-06-15")],
)
def test_three_months_later_handles_short_months(day, months, expected):
    from datetime import date

    assert selectors.add_months(date.fromisoformat(day), months) == date.fromisoformat(expected)


def test_vacant_voting_seats_are_reported(board):
    warning = next(w for w in selectors.chair_warnings(user=board.chair) if w.code == "vacant_seats")
    assert warning.message.startswith("31")


def test_warning_for_adopted_decisions_not_yet_passed_on(board):
    from ilonet.board.models import Choice, DecisionDispatch, Procedure
    from ilonet.directory import demo as directory_demo

    directory_demo.ensure_authorities()
    voters = board.members(16)
    motion = board.motion(procedure=Procedure.MEETING)
    for user in voters:
        services.cast_vote(actor=user, motion=motion, choice=Choice.FOR)
    services.close_motion(actor=board.chair, motion=motion)
    warning = next(
        w for w in selectors.chair_warnings(user=board.chair) if w.code == "decisions_not_passed_on"
    )
    assert warning.message.startswith("1 adopted decision")
    DecisionDispatch.objects.update(passed_on_at=timezone.now())
    assert "decisions_not_passed_on" not in _codes(board)
