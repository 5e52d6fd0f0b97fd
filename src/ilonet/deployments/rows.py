"""What a row of the deployment tables shows, as a plain dict of strings and dates.

A table of fifty deployments looked each value up through the template language (model
attributes behind dictionary lookups that fail first, filters, a ``reverse()`` per link),
translated each label again per row and made three model instances per row: most of the
registry page's time (measured with cProfile, bench/http_bench.py). The rows here are built
once per page from the plain rows of ``selectors.for_list`` and ``attach_list_extras``; the
markup stays in the templates. Dates stay dates, for the templates to format.
"""

from collections.abc import Iterable
from typing import Any

from ilonet.directory import selectors as directory
from ilonet.directory.models import organisation_name
from ilonet.shared.urls import url_for_id

from .models import DeploymentStatus, PlaceKind
from .validators import display_phone


def _labels(choices) -> dict[str, str]:
    return {value: str(label) for value, label in choices}


def officer_name(row: dict) -> str:
    """The officer as ``str(User)`` names them: the full name, else the e-mail address."""
    return f"{row['officer__first_name']} {row['officer__last_name']}".strip() or row["officer__email"]


def _organisation(row: dict, prefix: str) -> str:
    return organisation_name(
        code=row[f"{prefix}code"],
        name_en=row[f"{prefix}name_en"],
        name_nl=row[f"{prefix}name_nl"],
        country=row[f"{prefix}country"] or "",
    )


def _authority(row: dict) -> tuple[str, str]:
    """The deploying authority as the lists name it, and its member state's code (if any)."""
    name = row["deploying_authority__acronym"] or _organisation(row, "deploying_authority__")
    parent = row["deploying_authority__parent__code"]
    return name, directory.display_code(parent) if parent else ""


def registry_rows(deployments: Iterable[dict]) -> list[dict[str, Any]]:
    """The registry's rows (Art. 4(2)): officer, joint representation (Art. 6(1)), authority,
    place, region of responsibility, period and status."""
    detail_url = url_for_id("deployments:deployment_detail")
    statuses, places = _labels(DeploymentStatus.choices), _labels(PlaceKind.choices)
    country_name = directory.country_namer()
    result = []
    for d in deployments:
        authority, state = _authority(d)
        result.append(
            {
                "url": detail_url(d["id"]),
                "officer": officer_name(d),
                "also_for": ", ".join(directory.display_code(r["code"]) for r in d["represented"]),
                "authority": authority,
                "authority_state": state,
                "country": country_name(d["country"]),
                "city": d["city"],
                "place_kind": places.get(d["place_kind"], d["place_kind"]),
                "place_name": d["place_name"],
                "region": directory.countries_text(d["region_codes"]),
                "start_date": d["start_date"],
                "end_date": d["end_date"],
                "planned_end_date": d["planned_end_date"],
                "status": d["status"],
                "status_label": statuses.get(d["status"], d["status"]),
            }
        )
    return result


def joint_rows(deployments: Iterable[dict]) -> list[dict[str, Any]]:
    """The joint deployments' rows (Art. 6(1), Art. 6(2), Art. 6(3))."""
    detail_url = url_for_id("deployments:deployment_detail")
    statuses = _labels(DeploymentStatus.choices)
    result = []
    for d in deployments:
        state = (
            _organisation(d, "deploying_authority__parent__")
            if d["deploying_authority__parent__code"]
            else _organisation(d, "deploying_authority__")
        )
        result.append(
            {
                "url": detail_url(d["id"]),
                "officer": officer_name(d),
                "status": d["status"],
                "status_label": statuses.get(d["status"], d["status"]),
                "member_state": state,
                "represented": d["represented"],
                "country": directory.country_name(d["country"]),
                "city": d["city"],
                "start_date": d["start_date"],
                "end_date": d["end_date"] or d["planned_end_date"],
                "eu_funding_reference": d["eu_funding_reference"],
            }
        )
    return result


def contact_rows(deployments: Iterable[dict]) -> list[dict[str, Any]]:
    """The contact list's rows (Art. 9(2)(d)): name, authority, place, region, phone, e-mail."""
    country_name = directory.country_namer()
    result = []
    for d in deployments:
        authority, _state = _authority(d)
        result.append(
            {
                "officer": officer_name(d),
                "authority": authority,
                "city": d["city"],
                "country": country_name(d["country"]),
                "place_name": d["place_name"],
                "region": directory.countries_text(d["region_codes"]),
                "phone": d["phone"],
                "phone_display": display_phone(d["phone"]) if d["phone"] else "",
                "email": d["email"] or d["officer__email"],
            }
        )
    return result
