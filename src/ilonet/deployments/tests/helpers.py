"""Test helpers shared by the deployments and networks tests: real services, real database."""

from datetime import date, timedelta

from django.utils import timezone

from ilonet.deployments import services
from ilonet.directory.models import Organisation

TODAY = timezone.localdate


def days(n: int) -> date:
    return timezone.localdate() + timedelta(days=n)


def desk(make_user, authority: str = "nl-auth"):
    """A deploying-authority officer who notifies for ``authority`` (Art. 4(1))."""
    org = Organisation.objects.get(code=authority)
    return make_user("deploying_authority", organisation=authority, scope=org.code)


def officer(make_user, authority: str = "nl-auth", role: str = "ilo", **fields):
    return make_user(role, organisation=authority, **fields)


def deploy(
    actor,
    person,
    *,
    authority: str = "nl-auth",
    country: str = "MA",
    status: str = "active",
    start: date | None = None,
    end: date | None = None,
    **fields,
):
    """Notify a deployment through the service (the way the pages and API do)."""
    values = {
        "place_kind": "ms_mission",
        "place_name": "Embassy in the capital",
        "city": "Capital",
        "task_summary": "Liaison with border police; document fraud; return cooperation.",
        "region": [],
        "phone": "+212537123456",
        "email": "",
    }
    values.update(fields)
    return services.notify_deployment(
        actor=actor,
        deploying_authority=Organisation.objects.get(code=authority),
        officer=person,
        country=country,
        status=status,
        start_date=start or days(-30),
        planned_end_date=end or days(700),
        **values,
    )
