"""Plausible dates of the networks (issue 8): each function returns the refusals, by field, with
the reason, for the services to raise with their other errors (pages and API share them)."""

from __future__ import annotations

from datetime import date

from django.utils import timezone
from django.utils.translation import gettext as _

from ilonet.shared.dates import REGULATION_IN_FORCE, long_date

from .facilitation import Member


def _before_the_regulation(day: date, what: str) -> str:
    return _(
        "%(what)s: %(day)s is before Regulation (EU) 2019/1240 entered into force on %(since)s (Art. 14)."
    ) % {"what": what, "day": long_date(day), "since": long_date(REGULATION_IN_FORCE)}


def agreement_problems(day: date, member: Member | None) -> dict[str, str]:
    """The members agree on a facilitator (Art. 5(2), third sentence): not in the future, not
    before the Regulation created facilitators, not before the officer was deployed there."""
    if day > timezone.localdate():
        return {"agreed_on": _("An agreement cannot be dated in the future.")}
    if day < REGULATION_IN_FORCE:
        return {"agreed_on": _before_the_regulation(day, _("Facilitators (Art. 5(2))"))}
    if member is not None and day < member.start_date:
        return {
            "agreed_on": _(
                "%(name)s is deployed here since %(start)s: the members cannot have agreed on the "
                "officer before, on %(day)s."
            )
            % {"name": member.name, "start": long_date(member.start_date), "day": long_date(day)}
        }
    return {}


def activity_problems(day: date) -> dict[str, str]:
    """A network activity (Art. 5(1)) is recorded under the Regulation, at most a year ahead."""
    if day < REGULATION_IN_FORCE:
        return {"date": _before_the_regulation(day, _("Network activities (Art. 5(1))"))}
    return {}


def association_problems(day: date) -> dict[str, str]:
    """An associate (Art. 5(1), first sentence) is associated since a day that has come."""
    if day > timezone.localdate():
        return {"joined_on": _("An association is recorded once it began (today or earlier).")}
    if day < REGULATION_IN_FORCE:
        return {"joined_on": _before_the_regulation(day, _("Associates (Art. 5(1))"))}
    return {}


def officer_list_problems(activities_since: date) -> dict[str, str]:
    """The list of deployed ILOs (Art. 8(2)(d)) covers activities since a past day under the
    Regulation (usually the previous list)."""
    if activities_since > timezone.localdate():
        return {"activities_since": _("Choose a day in the past.")}
    if activities_since < REGULATION_IN_FORCE:
        return {"activities_since": _before_the_regulation(activities_since, _("The list of deployed ILOs"))}
    return {}
