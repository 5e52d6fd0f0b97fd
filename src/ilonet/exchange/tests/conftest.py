"""Fixtures of the exchange tests: the people of Art. 9 (board, secretariat, officers of a
network, its facilitator, the European Parliament's reader), an adopted board decision, files."""

from dataclasses import dataclass

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from ilonet.accounts.models import RoleAssignment
from ilonet.accounts.roles import Role
from ilonet.board.models import Motion
from ilonet.deployments.tests.helpers import deploy, desk, officer
from ilonet.directory import demo as directory_demo
from ilonet.exchange import services
from ilonet.exchange.models import Category, Marking, Space
from ilonet.networks import services as network_services
from ilonet.shared.uploads.tests.conftest import clamd, clamd_socket  # noqa: F401 - the private ClamAV daemon


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "ilonet.shared.uploads.storage.PrivateFileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "media")},
        },
    }


@pytest.fixture(autouse=True)
def authorities(db):
    return directory_demo.ensure_authorities()


def txt(
    text: str = "Migration flows on the central route rose in the third quarter.\n", name: str = "note.txt"
):
    return SimpleUploadedFile(name, text.encode(), content_type="text/plain")


def csv_file(text: str = "country,arrivals\nMA,120\nTN,80\n", name: str = "stats.csv"):
    return SimpleUploadedFile(name, text.encode(), content_type="text/csv")


@dataclass
class People:
    chair: object
    secretariat: object
    board_member: object
    ilo: object
    other_ilo: object
    facilitator: object
    ep_reader: object
    outsider: object
    network: object
    other_network: object
    authority: object = None

    @property
    def network_space(self) -> Space:
        return Space.objects.get(network=self.network)

    @property
    def other_space(self) -> Space:
        return Space.objects.get(network=self.other_network)

    @property
    def board_space(self) -> Space:
        return services.ensure_board_space()


@pytest.fixture
def people(make_user) -> People:
    chair = make_user(Role.CHAIR, organisation="com")
    secretariat = make_user(Role.SECRETARIAT, organisation="com")
    board_member = make_user(Role.BOARD_MEMBER, organisation="nl")
    network = network_services.create_network(
        actor=secretariat, name="Morocco", kind="local", countries=["MA"]
    )
    other = network_services.create_network(actor=secretariat, name="Tunisia", kind="local", countries=["TN"])
    authority = desk(make_user)
    ilo = officer(make_user, first_name="In", last_name="Morocco")
    deploy(authority, ilo, country="MA")
    other_ilo = officer(make_user, first_name="In", last_name="Tunisia")
    deploy(authority, other_ilo, country="TN")
    facilitator = make_user(Role.FACILITATOR, organisation="com")
    RoleAssignment.objects.filter(user=facilitator).update(scope_ref=f"network:{network.pk}")
    return People(
        chair=chair,
        secretariat=secretariat,
        board_member=board_member,
        ilo=ilo,
        other_ilo=other_ilo,
        facilitator=facilitator,
        ep_reader=make_user(Role.EP_READER, organisation="ep"),
        outsider=make_user(Role.DEPLOYING_AUTHORITY, organisation="nl-auth"),
        network=network,
        other_network=other,
        authority=authority,
    )


@pytest.fixture
def decision(db):
    """An adopted decision of the steering board (Art. 7(8))."""
    return Motion.objects.create(
        title="Opening the annual risk analysis to the European Parliament",
        text="The board decides.",
        procedure="written",
        status="closed",
        outcome="adopted",
        closes_at=timezone.now(),
        closed_at=timezone.now(),
    )


def upload(actor, space, file=None, **fields):
    values = {"title": "Quarterly flows", "category": Category.OTHER, "marking": Marking.NORMAL, **fields}
    return services.upload_document(actor=actor, space=space, file=file or txt(), **values)
