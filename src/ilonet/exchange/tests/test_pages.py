"""The pages: the European Parliament's reader sees nothing it was not opened (lists, folders,
documents, downloads, ZIPs: 404 for a guessed id), upload refusals answer with their status and a
translated reason and store nothing, and a user who lost access cannot follow an old link."""

import io
import zipfile

import pytest
from django.urls import reverse

from ilonet.exchange import services
from ilonet.exchange.models import Document, Marking
from ilonet.shared.uploads.testing import eicar

from .conftest import csv_file, txt, upload

pytestmark = pytest.mark.django_db
PERSONAL = "Call +31 70 123 4567 or write to jan.devries@example.nl.\n"


@pytest.fixture
def board_papers(people, decision):
    space = people.board_space
    opened = services.create_folder(actor=people.chair, space=space, name="Opened folder")
    closed = services.create_folder(actor=people.chair, space=space, name="Closed folder")
    papers = {
        "opened": upload(people.chair, space, folder=opened, title="Opened paper"),
        "sensitive": upload(
            people.chair, space, folder=opened, title="Sensitive paper", marking=Marking.SENSITIVE
        ),
        "closed": upload(people.chair, space, folder=closed, title="Closed paper"),
        "top": upload(people.chair, space, title="Top paper"),
    }
    services.open_to_parliament(actor=people.chair, motion_id=decision.pk, folder=opened)
    return space, opened, closed, papers


def _zip_names(response) -> list[str]:
    return zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content))).namelist()


def test_parliament_reader_sees_only_the_opened_folder_on_every_page(people, login, board_papers):
    space, opened, closed, papers = board_papers
    client = login(people.ep_reader)
    listing = client.get(reverse("exchange:space_list")).content.decode()
    assert "Opened folder" in listing and "Closed paper" not in listing and "Top paper" not in listing
    page = client.get(reverse("exchange:folder_detail", args=[opened.pk])).content.decode()
    assert "Opened paper" in page and "Sensitive paper" not in page
    opened_page = client.get(reverse("exchange:document_detail", args=[papers["opened"].pk]))
    assert opened_page.status_code == 200  # and links nothing the reader cannot open
    assert reverse("exchange:space_detail", args=[space.pk]) not in opened_page.content.decode()
    for hidden in ("closed", "top", "sensitive"):
        for name in ("exchange:document_detail", "exchange:document_download"):
            assert client.get(reverse(name, args=[papers[hidden].pk])).status_code == 404
    for name, pk in (
        ("exchange:space_detail", space.pk),
        ("exchange:folder_detail", closed.pk),
        ("exchange:space_zip", space.pk),
        ("exchange:folder_zip", closed.pk),
    ):
        assert client.get(reverse(name, args=[pk])).status_code == 404
    assert _zip_names(client.get(reverse("exchange:folder_zip", args=[opened.pk]))) == ["Opened paper.txt"]


def test_the_zip_leaves_out_sensitive_documents_for_members_too(people, login, board_papers):
    space, _opened, _closed, _papers = board_papers
    names = _zip_names(login(people.board_member).get(reverse("exchange:space_zip", args=[space.pk])))
    assert sorted(names) == [
        "Closed folder/Closed paper.txt",
        "Opened folder/Opened paper.txt",
        "Top paper.txt",
    ]


def test_a_folders_zip_keeps_the_folder_structure_below_it_with_safe_names(people, login):
    """Paths inside the ZIP are the folders' names, cleaned: no traversal, separators or
    text-direction characters reach the archive."""
    space = people.board_space
    top = services.create_folder(actor=people.chair, space=space, name="Meetings")
    sub = services.create_folder(actor=people.chair, space=space, name="2026/../spring", parent=top)
    deeper = services.create_folder(actor=people.chair, space=space, name="..", parent=sub)
    upload(people.chair, space, folder=top, title="Calendar")
    upload(people.chair, space, folder=sub, title="Agenda")
    upload(people.chair, space, folder=sub, title="Agenda")
    upload(people.chair, space, folder=deeper, title="Minutes")
    names = _zip_names(login(people.board_member).get(reverse("exchange:folder_zip", args=[top.pk])))
    assert sorted(names) == [
        "2026_.._spring/Agenda (2).txt",
        "2026_.._spring/Agenda.txt",
        "2026_.._spring/folder/Minutes.txt",
        "Calendar.txt",
    ]
    assert not any(part in ("..", ".", "") for name in names for part in name.split("/"))


def test_a_user_outside_the_platform_is_refused_with_the_reason(people, login):
    response = login(people.outsider).get(reverse("exchange:space_list"))
    assert response.status_code == 403 and "Art. 9(1)" in response.content.decode()


def test_an_officer_who_left_the_network_cannot_follow_an_old_link(people, login):
    from ilonet.deployments import services as deployment_services
    from ilonet.deployments.models import Deployment

    document = upload(people.ilo, people.network_space)
    client = login(people.ilo)
    url = reverse("exchange:document_download", args=[document.pk])
    assert client.get(url).status_code == 200
    deployment = Deployment.objects.get(officer=people.ilo)
    deployment_services.end_deployment(actor=people.authority, deployment=deployment)
    assert client.get(url).status_code == 404


def _post(client, space, file, **fields):
    data = {
        "title": "Report",
        "category": "other",
        "marking": "normal",
        "language": "en",
        "file": file,
        **fields,
    }
    return client.post(reverse("exchange:document_upload", args=[space.pk]), data)


@pytest.mark.parametrize(
    ("file", "status", "words"),
    [
        (txt(""), 422, "empty"),
        (txt(PERSONAL), 422, "Art. 9(3)"),
        (txt("Plain text of a report.\n", name="../../etc/passwd"), 200, None),  # Django drops the path
        (txt("MZ\x90\x00binary", name="report.pdf"), 415, None),
    ],
)
def test_upload_refusals_have_a_reason_and_status_and_store_nothing(
    people, login, file, status, words, tmp_path, settings
):
    settings.LANGUAGE_CODE = "en"
    response = _post(login(people.ilo), people.network_space, file)
    if status == 200:
        assert response.status_code == 302
        return
    assert response.status_code == status, response.content.decode()[:2000]
    if words:
        assert words in response.content.decode()
    assert not Document.objects.exists()
    assert not [p for p in (tmp_path / "media").rglob("*") if p.is_file()]


def test_a_refused_marking_is_explained_in_dutch(people, login):
    client = login(people.ilo)
    response = client.post(
        reverse("exchange:document_upload", args=[people.network_space.pk]),
        {"title": "R", "category": "other", "marking": "law_enforcement", "language": "en", "file": txt()},
        HTTP_ACCEPT_LANGUAGE="nl",
    )
    assert response.status_code == 422 and "Art. 9(1)" in response.content.decode()
    assert not Document.objects.exists()


def test_statistics_show_as_a_table_and_check_out_shows_the_holder(people, login):
    document = upload(people.ilo, people.network_space, file=csv_file())
    services.check_out(actor=people.ilo, document=document)
    page = (
        login(people.facilitator)
        .get(reverse("exchange:document_detail", args=[document.pk]))
        .content.decode()
    )
    assert '<td class="ecl-table__cell">MA</td>' in page and "In Morocco" in page
    assert "Break the check-out" in page


def test_the_override_is_offered_to_an_authorised_user_after_a_refusal(people, login, decision):
    services.authorise_overrides(actor=people.chair, user=people.ilo, motion_id=decision.pk)
    client = login(people.ilo)
    response = _post(client, people.network_space, txt(PERSONAL))
    assert response.status_code == 422 and 'name="overrides"' in response.content.decode()
    fingerprints = [c[0] for c in response.context["form"].fields["overrides"].choices]
    response = _post(
        client, people.network_space, txt(PERSONAL), overrides=fingerprints, override_reason="Switchboard"
    )
    assert response.status_code == 302 and Document.objects.get().guard_overridden


def test_malware_is_refused_and_nothing_is_stored(people, login, clamd, tmp_path):
    response = _post(login(people.ilo), people.network_space, txt("Report.\n" + eicar().decode() + "\n"))
    assert response.status_code == 422 and "ILOnet.Test.EICAR" in response.content.decode()
    assert not Document.objects.exists() and not [p for p in (tmp_path / "media").rglob("*") if p.is_file()]
