"""The evidence pack's rows in the reader's language, for the page and the PDF."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from django_countries import countries

from ilonet.networks.models import ActivityKind, FacilitatorBasis, FacilitatorNotificationKind, NetworkKind

from .build import EvidencePack


def _use_labels() -> dict[str, str]:
    return {
        "sign_ins": _("Sign-ins"),
        "failed_sign_ins": _("Failed or locked sign-ins"),
        "deployment_notifications": _("Notifications of deployments to the board (Art. 4(1))"),
        "network_work": _("Facilitator notifications and agreements in the networks (Art. 5(2), Art. 5(3))"),
        "board_work": _("Steering board actions (meetings, agenda, motions, votes, reports)"),
        "votes_cast": _("Votes cast in the board (Art. 7(8))"),
        "situation_reports_submitted": _("Situation reports submitted (Art. 3(4))"),
        "personal_data_refused": _("Saves refused by the personal-data guard (Art. 9(3))"),
        "personal_data_reads": _("Reads of the contact list and the member list (Art. 9(3))"),
        "refusals": _("Refused requests (access policy)"),
    }


def _label(choices: Any, code: str) -> str:
    try:
        return str(choices(code).label)
    except ValueError:
        return code


def context(pack: EvidencePack) -> dict[str, Any]:
    n = pack.networks
    networks_rows: list[tuple[str, int]] = []
    for code, count in sorted(n["by_kind"].items()):
        networks_rows.append((_label(NetworkKind, code), count))
    for code, count in sorted(n["facilitators_by_basis"].items()):
        networks_rows.append(
            (_("Facilitated now: %(basis)s") % {"basis": _label(FacilitatorBasis, code)}, count)
        )
    for code, count in sorted(n["notifications_by_kind"].items()):
        networks_rows.append(
            (
                _("Notified to the board in the period: %(kind)s")
                % {"kind": _label(FacilitatorNotificationKind, code)},
                count,
            )
        )
    for code, count in sorted(n["activities_by_kind"].items()):
        networks_rows.append(
            (_("Activities in the period: %(kind)s") % {"kind": _label(ActivityKind, code)}, count)
        )
    labels = _use_labels()
    return {
        "pack": pack,
        "deployment_rows": [
            {**row, "name": str(countries.name(row["country"]))} for row in pack.deployment_rows
        ],
        "networks_rows": networks_rows,
        "use_rows": [(labels[key], count) for key, count in pack.use.items()],
    }
