"""Move the board's meeting documents into the steering board's space (one document store, not
two; issue 11 item 1). Each meeting that has documents gets a folder in the board's space
(``Folder.meeting``); each ``board.MeetingDocument`` becomes a document there (Art. 9(2)(e),
marking *limited*, its agenda item kept) with one version pointing to the same stored file: the
files stay where they are in storage (stored names are keys, not paths anyone sees), so nothing
is copied and nothing is lost. In batches of 500 rows.

Reversible: going back copies the current version of every document in a meeting folder back
into ``board.MeetingDocument`` and removes those documents, their versions and the meeting
folders. Earlier versions uploaded after the move are not kept on the way back (their files
stay in storage; ``sweep_orphans`` clears them).

After migrating, rebuild the search index of the moved documents:
``manage.py search_reindex --kind exchange.document``.
"""

from django.db import migrations

BATCH = 500


def _board_space(Space):
    space = Space.objects.filter(kind="board").first()
    return space or Space.objects.create(kind="board", name="Steering board")


def _folder_name(meeting) -> str:
    return f"{meeting.starts_at:%Y-%m-%d} {meeting.title}"[:200]


def forwards(apps, schema_editor):
    MeetingDocument = apps.get_model("board", "MeetingDocument")
    Meeting = apps.get_model("board", "Meeting")
    Space = apps.get_model("exchange", "Space")
    Folder = apps.get_model("exchange", "Folder")
    Document = apps.get_model("exchange", "Document")
    DocumentVersion = apps.get_model("exchange", "DocumentVersion")
    if not MeetingDocument.objects.exists():
        return
    space = _board_space(Space)
    folders = {f.meeting_id: f for f in Folder.objects.filter(meeting__isnull=False)}
    meeting_ids = set(MeetingDocument.objects.values_list("meeting_id", flat=True).distinct())
    for meeting in Meeting.objects.filter(pk__in=meeting_ids - set(folders)).order_by("pk"):
        folders[meeting.pk] = Folder.objects.create(space=space, name=_folder_name(meeting), meeting=meeting)
    last = 0
    while True:
        batch = list(MeetingDocument.objects.filter(pk__gt=last).order_by("pk")[:BATCH])
        if not batch:
            break
        last = batch[-1].pk
        for old in batch:
            document = Document.objects.create(
                space=space,
                folder=folders[old.meeting_id],
                agenda_item_id=old.agenda_item_id,
                title=old.title[:200],
                language="en",
                category="e",
                marking="limited",
                created_by_id=old.uploaded_by_id,
            )
            version = DocumentVersion.objects.create(
                document=document,
                number=1,
                key=old.file.name,
                original_name=old.original_name[:200],
                content_type=old.content_type,
                extension=old.extension,
                size=old.size,
                sha256=old.sha256,
                uploaded_by_id=old.uploaded_by_id,
            )
            # Keep the dates of the original upload (auto_now_add set them to now).
            DocumentVersion.objects.filter(pk=version.pk).update(uploaded_at=old.uploaded_at)
            Document.objects.filter(pk=document.pk).update(
                current_version=version, created_at=old.uploaded_at, updated_at=old.uploaded_at
            )
    moved = Document.objects.filter(folder__meeting__isnull=False).count()
    if moved < MeetingDocument.objects.count():  # nothing lost, or nothing at all
        raise RuntimeError("Not every meeting document was moved into the board's space.")


def backwards(apps, schema_editor):
    MeetingDocument = apps.get_model("board", "MeetingDocument")
    Folder = apps.get_model("exchange", "Folder")
    Document = apps.get_model("exchange", "Document")
    DocumentVersion = apps.get_model("exchange", "DocumentVersion")
    documents = Document.objects.filter(folder__meeting__isnull=False, current_version__isnull=False)
    last = 0
    while True:
        batch = list(
            documents.filter(pk__gt=last).select_related("folder", "current_version").order_by("pk")[:BATCH]
        )
        if not batch:
            break
        last = batch[-1].pk
        for document in batch:
            version = document.current_version
            old = MeetingDocument(
                meeting_id=document.folder.meeting_id,
                agenda_item_id=document.agenda_item_id,
                title=document.title,
                original_name=version.original_name,
                content_type=version.content_type,
                extension=version.extension,
                size=version.size,
                sha256=version.sha256,
                uploaded_by_id=version.uploaded_by_id,
            )
            old.file.name = version.key
            old.save()
            MeetingDocument.objects.filter(pk=old.pk).update(uploaded_at=version.uploaded_at)
    moved = Document.objects.filter(folder__meeting__isnull=False)
    Document.objects.filter(pk__in=moved.values("pk")).update(current_version=None)
    DocumentVersion.objects.filter(document__folder__meeting__isnull=False).delete()
    apps.get_model("exchange", "DocumentTopic").objects.filter(document__folder__meeting__isnull=False).delete()
    moved.delete()
    Folder.objects.filter(meeting__isnull=False).delete()


class Migration(migrations.Migration):
    dependencies = [("exchange", "0004_meeting_documents"), ("board", "0005_reminder")]

    operations = [migrations.RunPython(forwards, backwards)]
