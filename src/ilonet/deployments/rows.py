"""What a row of the deployment tables shows, as a plain dict of strings and dates.

A table of fifty deployments looked each value up through the template language (model
attributes behind dictionary lookups that fail first, filters, a ``reverse()`` per link) and
translated each label again per row: most of the registry page's time (measured with cProfile,
bench/http_bench.py). The rows here are built once per page from the columns the list read
(``selectors.for_list``, ``selectors.attach_list_extras``); the markup stays in the templates.
Dates stay dates, for the templates to format.
"""

from collections.abc import Iterable
from typing import Any

from ilonet.directory import selectors as directory
from ilonet.shared.urls import url_for_id

from .models import Deployment, DeploymentStatus, PlaceKind
from .validators import display_phone


def _labels(choices) -> dict[str, str]:
    return {value: str(label) for value, label in choices}


def _authority(deployment: Deployment) -> tuple[str, str]:
    """The deploying authority as the lists name it, and its member state's code (if any)."""
    authority = deployment.deploying_authority
    parent = authority.parent
    return authority.acronym or authority.name, directory.display_code(parent.code) if parent else ""


def _common(deployments: Iterable[Deployment]) -> tuple[list[Deployment], Any, dict, dict]:
    rows = list(deployments)
    return (
        rows,
        url_for_id("deployments:deployment_detail"),
        _labels(DeploymentStatus.choices),
        _labels(PlaceKind.choices),
    )


def registry_rows(deployments: Iterable[Deployment]) -> list[dict[str, Any]]:
    """The registry's rows (Art. 4(2)): officer, joint representation (Art. 6(1)), authority,
    place, region of responsibility, period and status."""
    items, detail_url, statuses, places = _common(deployments)
    result = []
    for d in items:
        authority, state = _authority(d)
        result.append(
            {
                "url": detail_url(d.pk),
                "officer": str(d.officer),
                "also_for": ", ".join(directory.display_code(r.member_state.code) for r in d.represented),
                "authority": authority,
                "authority_state": state,
                "country": directory.country_name(d.country.code),
                "city": d.city,
                "place_kind": places.get(d.place_kind, d.place_kind),
                "place_name": d.place_name,
                "region": ", ".join(directory.country_names(d.region_codes)),
                "start_date": d.start_date,
                "end_date": d.end_date,
                "planned_end_date": d.planned_end_date,
                "status": d.status,
                "status_label": statuses.get(d.status, d.status),
            }
        )
    return result


def joint_rows(deployments: Iterable[Deployment]) -> list[dict[str, Any]]:
    """The joint deployments' rows (Art. 6(1), Art. 6(2), Art. 6(3))."""
    items, detail_url, statuses, _places = _common(deployments)
    result = []
    for d in items:
        authority = d.deploying_authority
        result.append(
            {
                "url": detail_url(d.pk),
                "officer": str(d.officer),
                "status": d.status,
                "status_label": statuses.get(d.status, d.status),
                "member_state": authority.parent.name if authority.parent else authority.name,
                "represented": [{"name": r.member_state.name, "tasks": r.tasks} for r in d.represented],
                "country": directory.country_name(d.country.code),
                "city": d.city,
                "start_date": d.start_date,
                "end_date": d.end_date or d.planned_end_date,
                "eu_funding_reference": d.eu_funding_reference,
            }
        )
    return result


def contact_rows(deployments: Iterable[Deployment]) -> list[dict[str, Any]]:
    """The contact list's rows (Art. 9(2)(d)): name, authority, place, region, phone, e-mail."""
    result = []
    for d in deployments:
        authority, _state = _authority(d)
        result.append(
            {
                "officer": str(d.officer),
                "authority": authority,
                "city": d.city,
                "country": directory.country_name(d.country.code),
                "place_name": d.place_name,
                "region": ", ".join(directory.country_names(d.region_codes)),
                "phone": d.phone,
                "phone_display": display_phone(d.phone) if d.phone else "",
                "email": d.email or d.officer.email,
            }
        )
    return result
