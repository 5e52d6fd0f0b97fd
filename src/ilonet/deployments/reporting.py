"""Aggregate reads of the deployment registry for the steering board's reporting.

The activity report includes an overview of the deployment of liaison officers (Art. 4(1),
second subparagraph; Art. 8(2)(c)). The report goes to the European Parliament (Art. 8(2),
last paragraph), so the overview holds counts only: no names, contact details or any other
personal data (Art. 9(3)). Unscoped on purpose: the caller (the board) authorises its own use;
the result can be shown to anyone who may read the report.
"""

from __future__ import annotations

from collections import Counter
from datetime import date
from typing import Any

from django.db.models import Exists, OuterRef, Q

from ilonet.directory.models import OrganisationKind

from .models import Deployment, DeploymentStatus, Representation


def _under_way(period_start: date, period_end: date):
    """Deployments that were under way at some point of the period: started by its end and
    not ended before its start (planned and cancelled plans excluded)."""
    return Deployment.objects.filter(
        status__in=(DeploymentStatus.ACTIVE, DeploymentStatus.ENDED), start_date__lte=period_end
    ).filter(Q(end_date__isnull=True) | Q(end_date__gte=period_start))


def _deployer(kind: str, acronym: str, code: str, parent_code: str | None) -> str:
    if kind == OrganisationKind.NATIONAL_AUTHORITY and parent_code:
        return parent_code.upper()
    return acronym or code.upper()


def deployment_overview(*, period_start: date, period_end: date, top_countries: int = 15) -> dict[str, Any]:
    """The overview of deployments for an activity report (Art. 4(1), Art. 8(2)(c)): officers
    deployed during the period, by deploying member state or EU body, by place of deployment
    (Art. 2(2)) and by country, joint deployments (Art. 6), and the deployments that
    started and ended in the period, with the plans notified for later. Counts only.

    JSON-ready (stored with the draft report, so the adopted report keeps the figures it was
    adopted with). Four queries."""
    under_way = _under_way(period_start, period_end)
    rows = list(
        under_way.annotate(
            is_joint=Exists(Representation.objects.filter(deployment=OuterRef("pk")))
        ).values_list(
            "officer_id",
            "country",
            "place_kind",
            "start_date",
            "end_date",
            "is_joint",
            "deploying_authority__kind",
            "deploying_authority__acronym",
            "deploying_authority__code",
            "deploying_authority__parent__code",
        )
    )
    by_deployer: Counter[str] = Counter()
    by_place: Counter[str] = Counter()
    by_country: Counter[str] = Counter()
    started = ended = joint = 0
    for _officer, country, place, start, end, is_joint, kind, acronym, code, parent in rows:
        by_deployer[_deployer(kind, acronym, code, parent)] += 1
        by_place[place] += 1
        by_country[country] += 1
        started += period_start <= start <= period_end
        ended += bool(end and period_start <= end <= period_end)
        joint += bool(is_joint)
    planned = Deployment.objects.filter(status=DeploymentStatus.PLANNED).count()
    represented = Counter(
        Representation.objects.filter(deployment__in=under_way).values_list("member_state__code", flat=True)
    )
    return {
        "period_start": period_start.isoformat(),
        "period_end": period_end.isoformat(),
        "deployments": len(rows),
        "officers": len({r[0] for r in rows}),  # an officer may have had two deployments
        "countries": len(by_country),
        "started_in_period": started,
        "ended_in_period": ended,
        "joint_deployments": joint,
        "planned_now": planned,
        "by_deployer": [
            {"code": k, "count": v} for k, v in sorted(by_deployer.items(), key=lambda i: (-i[1], i[0]))
        ],
        # Codes of Art. 2(2) (``PlaceKind``), labelled in the reader's language when shown.
        "by_place": [
            {"code": k, "count": v} for k, v in sorted(by_place.items(), key=lambda i: (-i[1], i[0]))
        ],
        "by_country": [
            {"code": k, "count": v}
            for k, v in sorted(by_country.items(), key=lambda i: (-i[1], i[0]))[:top_countries]
        ],
        "represented_states": [
            {"code": k.upper(), "count": v}
            for k, v in sorted(represented.items(), key=lambda i: (-i[1], i[0]))
        ],
    }


def deployments_by_country_and_authority(*, period_start: date, period_end: date) -> list[dict[str, Any]]:
    """Deployments under way in the period per (country of deployment, deploying member state
    or EU body), with how many of them were joint deployments (Art. 6): for the Commission's
    report on the regulation (Art. 12(2)). Counts only; one query."""
    rows = (
        _under_way(period_start, period_end)
        .annotate(is_joint=Exists(Representation.objects.filter(deployment=OuterRef("pk"))))
        .values_list(
            "country",
            "is_joint",
            "deploying_authority__kind",
            "deploying_authority__acronym",
            "deploying_authority__code",
            "deploying_authority__parent__code",
        )
    )
    deployments: Counter[tuple[str, str]] = Counter()
    joint: Counter[tuple[str, str]] = Counter()
    for country, is_joint, kind, acronym, code, parent in rows:
        key = (country, _deployer(kind, acronym, code, parent))
        deployments[key] += 1
        joint[key] += bool(is_joint)
    return [
        {
            "country": country,
            "authority": authority,
            "deployments": count,
            "joint": joint[(country, authority)],
        }
        for (country, authority), count in sorted(deployments.items())
    ]
