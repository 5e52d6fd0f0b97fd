"""The demo shows the exchange to every role: the board's space with a folder opened to the
European Parliament, network spaces with notes and statistics, a working group."""

import pytest
from django.contrib.auth import get_user_model

from ilonet.accounts import demo as accounts_demo
from ilonet.board import demo as board_demo
from ilonet.board import hooks
from ilonet.board.models import Meeting, MeetingStatus
from ilonet.deployments import demo as deployments_demo
from ilonet.directory import demo as directory_demo
from ilonet.exchange import demo, selectors
from ilonet.exchange.models import Document, ParliamentOpening, SpaceKind
from ilonet.networks import demo as networks_demo
from ilonet.notifications.models import Notification

pytestmark = pytest.mark.django_db


def _user(local):
    return get_user_model().objects.get(email=f"{local}@demo.ilonet.eu")


def test_the_demo_has_spaces_with_documents_for_every_role():
    accounts_demo.seed_accounts(directory_demo.ensure_authorities())
    deployments_demo.seed_deployments()
    networks_demo.seed_networks()
    board_demo.seed_board()
    demo.seed_exchange()
    spaces = {s.kind for s in selectors.spaces_for(user=_user("ilo"))}
    assert spaces == {SpaceKind.NETWORK, SpaceKind.WORKING_GROUP}
    assert Document.objects.values("space").distinct().count() >= 5
    assert ParliamentOpening.objects.count() == 1
    ep = set(selectors.readable_documents(user=_user("ep")).values_list("title", flat=True))
    assert ep == {"Summary of the network's results", "Return statistics by quarter"}
    assert (
        selectors.readable_documents(user=_user("facilitator")).filter(checked_out_by__isnull=False).exists()
    )
    assert selectors.readable_documents(user=_user("chair")).filter(space__kind=SpaceKind.BOARD).count() == 6
    # The board's next meeting offers its annotated agenda on its page (the tour downloads it).
    meeting = Meeting.objects.get(status=MeetingStatus.PLANNED)
    (link,) = hooks.meeting_documents().listed(user=_user("chair"), meeting=meeting)
    assert link.title == "Annotated agenda"
    followed = {f.kind for f in selectors.follows_of(user=_user("ilo"))}
    assert followed == {"space", "topic"}
    told = Notification.objects.filter(recipient=_user("chair"), kind="exchange.document_added")
    assert told.filter(params__title="Return statistics by quarter").exists()


def test_the_demo_documents_are_found_by_search_after_seeding():
    from django.core.management import call_command

    call_command("seed_demo", allow_production=True, stdout=__import__("io").StringIO())
    page, documents = selectors.search_documents(user=_user("ilo"), query="forged")
    titles = {documents[hit.object_id].title for hit in page.hits}
    assert "Forged documents seen in 2026" in titles
    ep_page, ep_documents = selectors.search_documents(user=_user("ep"), query="network")
    readable = set(selectors.readable_documents(user=_user("ep")).values_list("pk", flat=True))
    assert ep_page.count >= 1 and set(ep_documents) <= readable and ep_page.count <= len(readable)
    forged = selectors.search_documents(user=_user("ep"), query="forged")[1]
    assert set(forged) <= readable and "Forged documents seen in 2026" not in {
        d.title for d in forged.values()
    }
