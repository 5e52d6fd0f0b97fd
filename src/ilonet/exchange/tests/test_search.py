"""Search over exchange documents (issue 11 item 6): results only ever hold what the user may
open (Art. 9(3), Art. 9(4)), and the index follows versions, deletion, expiry and folders."""

from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from ilonet import policy
from ilonet.deployments import services as deployment_services
from ilonet.deployments.models import Deployment
from ilonet.exchange import indexing, selectors, services
from ilonet.exchange.models import Document, Marking
from ilonet.jobs.testing import run_queued_jobs
from ilonet.search.models import Entry

from .conftest import txt, upload

pytestmark = pytest.mark.django_db


def found(user, query, **filters) -> dict[str, str]:
    """Title -> snippet of every hit the user gets."""
    policy.forget_roles(user)
    page, documents = selectors.search_documents(user=user, query=query, **filters)
    assert set(documents) == {hit.object_id for hit in page.hits}
    return {documents[hit.object_id].title: str(hit.snippet) for hit in page.hits}


def count(user, query) -> int:
    policy.forget_roles(user)
    return selectors.search_documents(user=user, query=query)[0].count


def test_an_upload_is_indexed_by_its_job_with_title_and_extracted_text(people):
    upload(people.ilo, people.network_space, txt("Readmission agreements with third countries.\n"))
    assert found(people.ilo, "readmission") == {}  # before the job runs
    assert run_queued_jobs() >= 1
    hits = found(people.ilo, "readmission")
    assert list(hits) == ["Quarterly flows"]
    assert "<mark>Readmission</mark>" in hits["Quarterly flows"]
    assert list(found(people.ilo, "quarterly")) == ["Quarterly flows"]  # the title


def test_only_members_of_the_space_find_a_document(people):
    upload(people.ilo, people.network_space, txt("Readmission in Morocco.\n"), title="Morocco note")
    upload(people.other_ilo, people.other_space, txt("Readmission in Tunisia.\n"), title="Tunisia note")
    upload(people.chair, people.board_space, txt("Readmission policy of the board.\n"), title="Board note")
    run_queued_jobs()
    assert set(found(people.ilo, "readmission")) == {"Morocco note"}
    assert set(found(people.facilitator, "readmission")) == {"Morocco note"}
    assert set(found(people.other_ilo, "readmission")) == {"Tunisia note"}
    assert set(found(people.board_member, "readmission")) == {"Board note"}
    for user in (people.outsider, people.ep_reader):
        assert found(user, "readmission") == {} and count(user, "readmission") == 0


def test_the_parliament_reader_finds_only_what_the_board_opened(people, decision):
    space = people.board_space
    folder = services.create_folder(actor=people.secretariat, space=space, name="For the Parliament")
    upload(people.chair, space, txt("Readmission figures.\n"), folder=folder, title="Annual report")
    upload(people.chair, space, txt("Readmission internal.\n"), title="Internal note")
    secret = upload(
        people.chair, space, txt("Readmission analysis.\n"), folder=folder, title="Sensitive analysis",
        marking=Marking.SENSITIVE,
    )  # fmt: skip
    run_queued_jobs()
    assert found(people.ep_reader, "readmission") == {}
    opening = services.open_to_parliament(actor=people.chair, motion_id=decision.pk, folder=folder)
    hits = found(people.ep_reader, "readmission")
    assert set(hits) == {"Annual report"}  # never the internal note, nor the sensitive one
    assert count(people.ep_reader, "readmission") == 1
    assert all("internal" not in s and "analysis" not in s for s in hits.values())
    # The sensitive document only when the board opens that very document (Art. 9(4)).
    services.open_to_parliament(actor=people.chair, motion_id=decision.pk, document=secret)
    assert set(found(people.ep_reader, "readmission")) == {"Annual report", "Sensitive analysis"}
    services.withdraw_opening(actor=people.chair, opening=opening)
    assert set(found(people.ep_reader, "readmission")) == {"Sensitive analysis"}


def test_sensitive_documents_are_found_by_those_who_may_open_them(people):
    upload(
        people.ilo, people.network_space, txt("Smuggling routes.\n"), title="Risk", marking=Marking.SENSITIVE
    )
    run_queued_jobs()
    assert set(found(people.ilo, "smuggling")) == {"Risk"}
    assert found(people.other_ilo, "smuggling") == {}


def test_an_officer_whose_deployment_ended_finds_nothing_at_once(people):
    upload(people.ilo, people.network_space, txt("Readmission in Morocco.\n"), title="Morocco note")
    run_queued_jobs()
    assert set(found(people.ilo, "readmission")) == {"Morocco note"}
    deployment = Deployment.objects.get(officer=people.ilo)
    deployment_services.end_deployment(actor=people.authority, deployment=deployment)
    officer = get_user_model().objects.get(pk=people.ilo.pk)  # a new request
    assert found(officer, "readmission") == {} and count(officer, "readmission") == 0


def test_a_new_version_and_a_restored_one_replace_the_indexed_text(people):
    document = upload(people.ilo, people.network_space, txt("Readmission first draft.\n"))
    run_queued_jobs()
    first = document.current_version
    services.upload_version(actor=people.ilo, document=document, file=txt("Detention conditions now.\n"))
    run_queued_jobs()
    assert found(people.ilo, "readmission") == {}
    assert set(found(people.ilo, "detention")) == {"Quarterly flows"}
    services.restore_version(actor=people.ilo, version=first)
    run_queued_jobs()
    assert set(found(people.ilo, "readmission")) == {"Quarterly flows"}
    assert found(people.ilo, "detention") == {}


def test_delete_restore_expiry_and_folders_take_documents_out_and_back(people):
    space = people.network_space
    folder = services.create_folder(actor=people.facilitator, space=space, name="Routes")
    document = upload(people.ilo, space, txt("Readmission note.\n"), folder=folder)
    run_queued_jobs()
    services.delete_document(actor=people.facilitator, document=document)
    run_queued_jobs()
    assert not Entry.objects.filter(kind=indexing.KIND, object_id=document.pk).exists()
    services.restore_document(actor=people.facilitator, document=document)
    run_queued_jobs()
    assert set(found(people.ilo, "readmission")) == {"Quarterly flows"}
    services.delete_folder(actor=people.facilitator, folder=folder)
    run_queued_jobs()
    assert not Entry.objects.filter(kind=indexing.KIND, object_id=document.pk).exists()
    services.restore_folder(actor=people.facilitator, folder=Document.objects.get(pk=document.pk).folder)
    run_queued_jobs()
    assert Entry.objects.filter(kind=indexing.KIND, object_id=document.pk).exists()
    Document.objects.filter(pk=document.pk).update(expires_on=timezone.localdate())
    assert services.expire_due_documents() == [document.pk]
    run_queued_jobs()
    assert not Entry.objects.filter(kind=indexing.KIND, object_id=document.pk).exists()
    assert found(people.ilo, "readmission") == {}


def test_metadata_changes_and_moves_are_reindexed(people):
    space = people.network_space
    folder = services.create_folder(actor=people.facilitator, space=space, name="Routes")
    document = upload(people.ilo, space, txt("Readmission note.\n"), topics=["a"])
    run_queued_jobs()
    services.update_document(actor=people.ilo, document=document, title="Return routes", topics=["h"])
    services.move_document(actor=people.facilitator, document=document, folder=folder)
    run_queued_jobs()
    assert set(found(people.ilo, "readmission", topic="h")) == {"Return routes"}
    assert found(people.ilo, "readmission", topic="a") == {}


def test_filters_narrow_the_results(people):
    space = people.network_space
    upload(people.ilo, space, txt("Readmission statistics.\n"), title="Dutch", language="nl", category="a")
    upload(people.ilo, space, txt("Readmission statistics.\n"), title="English", category="other")
    run_queued_jobs()
    assert set(found(people.ilo, "readmission", category="a")) == {"Dutch"}
    assert set(found(people.ilo, "readmission", language="en")) == {"English"}
    assert set(found(people.ilo, "readmission", space=space.pk)) == {"Dutch", "English"}
    assert found(people.ilo, "readmission", space=people.other_space.pk) == {}
    tomorrow = timezone.localdate() + timedelta(days=1)
    assert found(people.ilo, "readmission", date_from=tomorrow) == {}


def test_snippets_are_escaped(people):
    upload(people.ilo, people.network_space, txt('Readmission rose: 3 < 5 & 7 > 2 in "Q3".\n'))
    run_queued_jobs()
    (snippet,) = found(people.ilo, "readmission").values()
    assert "3 &lt; 5 &amp; 7 &gt; 2" in snippet and "<mark>Readmission</mark>" in snippet


def test_a_document_that_left_before_its_job_ran_is_never_found_by_its_old_keys(people):
    """The index holds the document's space key until its job runs; every hit is confirmed
    against the policy scope, so a deletion counts at once (Art. 9(3))."""
    document = upload(people.ilo, people.network_space, txt("Readmission note.\n"), title="Gone")
    upload(people.ilo, people.network_space, txt("Readmission figures.\n"), title="Kept")
    run_queued_jobs()
    services.delete_document(actor=people.facilitator, document=document)
    assert Entry.objects.filter(kind=indexing.KIND, object_id=document.pk).exists()  # job not run yet
    hits = found(people.ilo, "readmission")
    assert set(hits) == {"Kept"} and count(people.ilo, "readmission") == 1
    assert all("note" not in snippet for snippet in hits.values())


def test_a_sensitive_document_of_an_opened_space_is_neither_found_nor_counted_by_the_parliament(
    people, decision
):
    """The Parliament's reader holds the space's key, which the sensitive document also carries:
    the scope drops it before the count (Art. 9(1), Art. 9(4))."""
    space = people.board_space
    upload(people.chair, space, txt("Readmission figures.\n"), title="Annual report")
    upload(people.chair, space, txt("Readmission analysis.\n"), title="Sensitive analysis",
           marking=Marking.SENSITIVE)  # fmt: skip
    run_queued_jobs()
    services.open_to_parliament(actor=people.chair, motion_id=decision.pk, space=space)
    hits = found(people.ep_reader, "readmission")
    assert set(hits) == {"Annual report"} and count(people.ep_reader, "readmission") == 1
    assert found(people.ep_reader, "analysis") == {} and count(people.ep_reader, "analysis") == 0


def test_the_search_keys_are_the_spaces_and_the_documents_opened_one_by_one(people, decision):
    space = people.board_space
    folder = services.create_folder(actor=people.secretariat, space=space, name="For the Parliament")
    inside = upload(people.chair, space, txt("Readmission figures.\n"), folder=folder, title="Inside")
    alone = upload(people.chair, space, txt("Readmission note.\n"), title="Alone")
    upload(people.chair, space, txt("Readmission internal.\n"), title="Internal")
    assert indexing.search_keys(people.ep_reader) == []
    services.open_to_parliament(actor=people.chair, motion_id=decision.pk, folder=folder)
    services.open_to_parliament(actor=people.chair, motion_id=decision.pk, document=alone)
    policy.forget_roles(people.ep_reader)
    assert indexing.search_keys(people.ep_reader) == sorted(
        [indexing.document_key(inside.pk), indexing.document_key(alone.pk)]
    )
    policy.forget_roles(people.ilo)
    assert indexing.search_keys(people.ilo) == [indexing.space_key(people.network_space.pk)]
