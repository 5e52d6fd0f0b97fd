"""Data the fault tests need, written inside a Django process (``harness.run_python``): an
officer deployed in Morocco, member of the Morocco network and its exchange space, holding a
read-and-write API token with a known secret."""

from __future__ import annotations

from datetime import timedelta

UPLOADER_TOKEN = "ilo_faults-uploader-token-0123456789abcdefghijklmnop"
UPLOADER_EMAIL = "uploader@faults.example.eu"


def seed_uploader() -> int:
    """Creates the uploader and returns the id of the space it may upload to."""
    from allauth.account.models import EmailAddress
    from django.utils import timezone

    from ilonet.accounts.models import ApiToken, ApiTokenScope, RoleAssignment, User
    from ilonet.deployments import services as deployment_services
    from ilonet.directory import demo as directory_demo
    from ilonet.directory.models import Organisation
    from ilonet.exchange.models import Space
    from ilonet.networks import services as network_services

    directory_demo.ensure_authorities()

    def user(email: str, role: str, organisation: str, scope: str | None = None) -> User:
        person = User.objects.create_user(
            email,
            "faults-password-0123",
            organisation=Organisation.objects.get(code=organisation),
            first_name="Fault",
            last_name=role,
        )
        EmailAddress.objects.create(user=person, email=email, verified=True, primary=True)
        scope_org = Organisation.objects.get(code=scope) if scope else None
        RoleAssignment.objects.create(user=person, role=role, organisation=scope_org)
        return person

    secretariat = user("secretariat@faults.example.eu", "secretariat", "com")
    authority = user("desk@faults.example.eu", "deploying_authority", "nl-auth", scope="nl-auth")
    uploader = user(UPLOADER_EMAIL, "ilo", "nl-auth")
    today = timezone.localdate()
    deployment_services.notify_deployment(
        actor=authority,
        deploying_authority=Organisation.objects.get(code="nl-auth"),
        officer=uploader,
        country="MA",
        status="active",
        start_date=today - timedelta(days=30),
        planned_end_date=today + timedelta(days=700),
        place_kind="ms_mission",
        place_name="Embassy in the capital",
        city="Capital",
        task_summary="Liaison with border police.",
        region=[],
        phone="+212537123456",
        email="",
    )
    network = network_services.create_network(
        actor=secretariat, name="Morocco", kind="local", countries=["MA"]
    )
    ApiToken.objects.create(
        user=uploader,
        name="faults",
        scope=ApiTokenScope.WRITE,
        digest=ApiToken.digest_of(UPLOADER_TOKEN),
        hint=UPLOADER_TOKEN[:10],
        expires_at=timezone.now() + timedelta(days=30),
    )
    return Space.objects.get(network=network).pk
