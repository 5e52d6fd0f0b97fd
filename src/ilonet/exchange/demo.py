"""Demo data for the exchange (deterministic): the board's space with folders and papers, part of it
opened to the European Parliament by the board's adopted decision (Art. 9(4)); spaces of several
networks with situation notes and statistics tables (CSV, XLSX) on the topics of Art. 3(4); a board
meeting's annotated agenda (offered on the meeting's page); a sensitive analysis; a checked-out
document; a deleted one; a working group (Art. 8(3)(a)); and a user authorised to override the
personal-data guard (Art. 9(3)).

Written through the services, in the name of the demo users, so every upload passes the same checks
and guard as a real one."""

from __future__ import annotations

import io
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from ilonet import policy
from ilonet.accounts.demo import DEMO_DOMAIN
from ilonet.board import selectors as board
from ilonet.board.models import Meeting, MeetingStatus
from ilonet.networks import selectors as networks
from ilonet.networks.models import Network

from . import services
from .models import Category, Marking, Space
from .services import meetings as meeting_services

NOTE = (
    "{title}\n\nSituation in {place}. Arrivals along the route changed compared with the previous quarter; "
    "the network notes new departure points and a shift in the routes used by smuggling networks. "
    "Forged residence permits of good quality were detected at the airport. The authorities asked for "
    "support to train border guards. No personal data is included (Art. 9(3)).\n"
)


def _user(local: str):
    return get_user_model().objects.get(email=f"{local}@{DEMO_DOMAIN}")


def _text(title: str, place: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(
        f"{title}.txt", NOTE.format(title=title, place=place).encode(), content_type="text/plain"
    )


def _csv(place: str, seed: int) -> SimpleUploadedFile:
    rows = ["month,arrivals,returns,document fraud cases"]
    for month in range(1, 7):
        arrivals, returns = 100 + (seed * 37 + month * 13) % 90, 20 + (seed + month * 7) % 15
        rows.append(f"2026-{month:02d},{arrivals},{returns},{(seed + month) % 6}")
    return SimpleUploadedFile(
        f"Statistics {place}.csv", ("\n".join(rows) + "\n").encode(), content_type="text/csv"
    )


def _xlsx(place: str) -> SimpleUploadedFile:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "Returns"
    sheet.append(["quarter", "return decisions", "effective returns"])
    for quarter, decisions, returns in (("2026-Q1", 410, 122), ("2026-Q2", 388, 131), ("2026-Q3", 402, 140)):
        sheet.append([quarter, decisions, returns])
    buffer = io.BytesIO()
    book.save(buffer)
    return SimpleUploadedFile(
        f"Returns {place}.xlsx",
        buffer.getvalue(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )


def _docx(title: str, place: str) -> SimpleUploadedFile:
    """A meeting document: the board's meeting documents are PDF, ODT or DOCX."""
    import docx

    document = docx.Document()
    document.add_heading(title, level=1)
    for paragraph in NOTE.format(title=title, place=place).split("\n\n")[1:]:
        document.add_paragraph(paragraph.strip())
    buffer = io.BytesIO()
    document.save(buffer)
    return SimpleUploadedFile(
        f"{title}.docx",
        buffer.getvalue(),
        content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    )


def _upload(
    actor,
    space,
    file,
    title,
    *,
    folder=None,
    topics=(),
    category=Category.OTHER,
    marking=Marking.NORMAL,
    **extra,
):
    return services.upload_document(
        actor=actor,
        space=space,
        folder=folder,
        file=file,
        name=file.name,
        title=title,
        category=category,
        marking=marking,
        topics=topics,
        authors=extra.pop("authors", "ILO network"),
        **extra,
    )


def seed_exchange() -> None:
    chair, secretariat = _user("chair"), _user("secretariat")
    services.ensure_network_spaces()
    board_space = services.ensure_board_space(actor=secretariat)

    # Follows (Art. 9(1)): the demo officer follows the spaces of their networks and two topics
    # of Art. 3(4), the chair the topic of return; what follows tells them (on the site only).
    officer = _user("ilo")
    for network_id in networks.networks_of_officer(officer=officer).values_list("pk", flat=True):
        services.follow(actor=officer, space=Space.objects.get(network_id=network_id))
    for topic in ("c", "f"):
        services.follow(actor=officer, topic=topic)
    services.follow(actor=chair, topic="i")

    # The board's space (Art. 9(2)(a), Art. 9(2)(b), Art. 9(2)(e)).
    meetings = services.create_folder(actor=secretariat, space=board_space, name="Meeting papers")
    analyses = services.create_folder(actor=secretariat, space=board_space, name="Analytical products")
    for_ep = services.create_folder(actor=secretariat, space=board_space, name="For the European Parliament")
    _upload(
        secretariat,
        board_space,
        _text("Background note for the next meeting", "the network"),
        "Background note for the next meeting",
        folder=meetings,
        category=Category.BOARD_ACTIVITIES,
        topics=["a", "i"],
        authors="Secretariat of the steering board",
    )
    _upload(
        chair,
        board_space,
        _text("Annual risk analysis", "the regions of deployment"),
        "Annual risk analysis",
        folder=analyses,
        category=Category.AGREED_PRODUCTS,
        topics=["b", "c", "d"],
        marking=Marking.LIMITED,
    )
    _upload(
        chair,
        board_space,
        _text("Assessment of smuggling networks", "the Sahel"),
        "Assessment of smuggling networks",
        folder=analyses,
        category=Category.AGREED_PRODUCTS,
        topics=["d"],
        marking=Marking.SENSITIVE,
    )
    _upload(
        secretariat,
        board_space,
        _text("Summary of the network's results", "the network"),
        "Summary of the network's results",
        folder=for_ep,
        category=Category.PROGRAMMES_AND_RESULTS,
        topics=["b", "i", "k"],
    )
    _upload(
        secretariat, board_space, _xlsx("EU"), "Return statistics by quarter", folder=for_ep, topics=["i"]
    )

    # A meeting document (Art. 7(6), Art. 9(2)(a)): the annotated agenda of the board's next
    # meeting, in that meeting's folder of the board's space, offered on the meeting's page.
    meeting = Meeting.objects.filter(status=MeetingStatus.PLANNED).order_by("starts_at").first()
    if meeting is not None:
        meeting_services.upload_meeting_document(
            actor=secretariat,
            meeting=meeting,
            title="Annotated agenda",
            file=_docx("Annotated agenda", "the network"),
            marking=Marking.NORMAL,
        )

    decision = board.decision_list(user=chair).first()
    if decision is not None:
        services.open_to_parliament(actor=chair, motion_id=decision.pk, folder=for_ep)
        services.authorise_overrides(actor=secretariat, user=_user("facilitator"), motion_id=decision.pk)

    # Network spaces (Art. 5(1), Art. 9(1)): notes and statistics from their members.
    today = timezone.localdate()
    made = 0
    mine = set(networks.networks_of_officer(officer=_user("ilo")).values_list("pk", flat=True))
    for network in sorted(Network.objects.order_by("name"), key=lambda n: n.pk not in mine):
        members = networks.members_by_network([network])[network.pk]
        if not members or made >= 6:
            continue
        space = Space.objects.get(network=network)
        author = get_user_model().objects.get(pk=members[0].officer_id)
        place = network.name
        situation = (
            services.create_folder(actor=author, space=space, name="Situation reports")
            if policy.can(author, policy.Action.MANAGE_SPACE, space)
            else None
        )
        stats = services.create_folder(actor=author, space=space, name="Statistics") if situation else None
        _upload(
            author,
            space,
            _text(f"Monthly situation note {place}", place),
            f"Monthly situation note – {place}",
            folder=situation,
            topics=["b", "c", "e"],
        )
        _upload(
            author,
            space,
            _csv(place, made),
            f"Arrivals and returns – {place}",
            folder=stats,
            topics=["b", "i"],
        )
        note = _upload(
            author,
            space,
            _text(f"Document fraud alert {place}", place),
            f"Document fraud alert – {place}",
            folder=situation,
            topics=["f"],
            marking=Marking.LIMITED,
            expires_on=today + timedelta(days=90),
        )
        if made == 0:
            services.check_out(actor=author, document=note)
            old = _upload(
                author,
                space,
                _text(f"Outdated contact procedure {place}", place),
                "Outdated procedure",
                topics=["h"],
            )
            if policy.can(author, policy.Action.MANAGE_SPACE, space):
                services.delete_document(actor=author, document=old)
        made += 1

    # A working group (Art. 8(3)(a)).
    group = services.create_working_group(
        actor=secretariat,
        name="Working group on document fraud",
        description="Ad-hoc action agreed by the board.",
    )
    for local, manager in (("ilo", True), ("facilitator", False)):
        services.add_member(actor=secretariat, space=group, user=_user(local), is_manager=manager)
    _upload(
        _user("ilo"),
        group,
        _text("Forged documents seen in 2026", "several countries"),
        "Forged documents seen in 2026",
        topics=["f"],
        category=Category.OTHER,
    )


def index_documents() -> dict:
    """Index the demo's documents now, so search finds them as soon as the demo is seeded (the
    jobs their uploads queued find them indexed already)."""
    from ilonet.search import services as search

    from .indexing import KIND

    return search.reindex(kind=KIND)
