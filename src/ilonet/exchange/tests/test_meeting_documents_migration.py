"""The move of the board's meeting documents into the board's space (migration exchange 0005):
every row becomes a document with its file, agenda item and dates, nothing lost; and back."""

from datetime import timedelta

import pytest
from django.utils import timezone

from ilonet.shared.testing import migrate_to, migrate_to_newest

BEFORE = [("exchange", "0004_meeting_documents"), ("board", "0005_reminder")]
AFTER = [
    ("exchange", "0005_move_board_meeting_documents"),
    ("board", "0006_meeting_documents_moved_to_exchange"),
]


@pytest.fixture(autouse=True)
def _newest_schema_after():
    """Back to the newest schema of every app, whatever happens (not only to AFTER: later
    migrations exist, and the tests after this one need their columns)."""
    yield
    migrate_to_newest()


@pytest.mark.django_db(transaction=True)
def test_meeting_documents_move_into_the_board_space_and_back():
    apps = migrate_to(BEFORE)
    Meeting = apps.get_model("board", "Meeting")
    AgendaItem = apps.get_model("board", "AgendaItem")
    MeetingDocument = apps.get_model("board", "MeetingDocument")
    start = timezone.now() - timedelta(days=3)
    meeting = Meeting.objects.create(
        title="Spring meeting", starts_at=start, ends_at=start + timedelta(hours=4), location="Brussels"
    )
    item = AgendaItem.objects.create(meeting=meeting, position=1, title="Budget")
    uploaded = timezone.now() - timedelta(days=10)
    for n in range(3):
        old = MeetingDocument(
            meeting=meeting,
            agenda_item=item if n == 0 else None,
            title=f"Paper {n}",
            original_name=f"paper{n}.pdf",
            content_type="application/pdf",
            extension=".pdf",
            size=100 + n,
            sha256=f"{n:064d}",
        )
        old.file.name = f"board/meetings/{meeting.pk}/{n:032x}.pdf"
        old.save()
    MeetingDocument.objects.update(uploaded_at=uploaded)

    apps = migrate_to(AFTER)
    Document = apps.get_model("exchange", "Document")
    moved = list(Document.objects.select_related("folder", "space", "current_version").order_by("title"))
    assert [d.title for d in moved] == ["Paper 0", "Paper 1", "Paper 2"]
    assert {d.space.kind for d in moved} == {"board"} and {d.folder.meeting_id for d in moved} == {meeting.pk}
    assert moved[0].agenda_item_id == item.pk and moved[1].agenda_item_id is None
    assert moved[2].current_version.key == f"board/meetings/{meeting.pk}/{2:032x}.pdf"
    assert moved[2].current_version.size == 102 and moved[2].current_version.original_name == "paper2.pdf"
    assert moved[0].current_version.uploaded_at == uploaded and moved[0].created_at == uploaded

    apps = migrate_to(BEFORE)
    back = apps.get_model("board", "MeetingDocument").objects.order_by("title")
    assert [(d.title, d.file.name, d.agenda_item_id) for d in back] == [
        (f"Paper {n}", f"board/meetings/{meeting.pk}/{n:032x}.pdf", item.pk if n == 0 else None)
        for n in range(3)
    ]
    assert not apps.get_model("exchange", "Document").objects.exists()
