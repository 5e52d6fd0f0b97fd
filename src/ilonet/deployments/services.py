"""Write-side functions of the deployment registry.

Every function runs in one transaction that also writes the notification to the steering board
(Art. 4(1), Art. 4(2)) and the audit event, and tells the networks app (``hooks``) so that network
facilitators are reviewed (Art. 5(3)). A refused or invalid write changes nothing.
"""

from collections.abc import Iterable, Sequence
from datetime import date
from typing import Any, cast

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ilonet import policy
from ilonet.accounts import services as account_services
from ilonet.audit import services as audit
from ilonet.audit.actions import AuditAction
from ilonet.directory.models import Organisation
from ilonet.policy.markers import system_operation
from ilonet.shared.dates import DateReview, long_date

from . import dates, hooks, notices
from .models import (
    Deployment,
    DeploymentNotification,
    DeploymentStatus,
    NotificationKind,
    PlaceKind,
    RegionCountry,
    Representation,
)
from .places import clean_region as _clean_region
from .places import clean_representations as _clean_representations
from .selectors import CONTACT_FIELDS, as_notified, country_problem, officer_refused, officer_serves
from .validators import normalise_email, normalise_phone

TEXT_LIMITS = {"place_name": 200, "city": 100, "task_summary": 4000, "eu_funding_reference": 100}
EDITABLE_FIELDS = frozenset(
    {
        "country",
        "place_kind",
        "place_name",
        "city",
        "task_summary",
        "start_date",
        "planned_end_date",
        "region",
        "phone",
        "email",
        "represented",
        "eu_funding_reference",
    }
)
# A deployment that happened (or is happening) blocks the officer's calendar; a cancelled
# plan does not.
OCCUPYING = (DeploymentStatus.PLANNED, DeploymentStatus.ACTIVE, DeploymentStatus.ENDED)


def _check_overlap(*, officer, start: date, end: date, exclude_pk: int | None) -> None:
    """One officer, one deployment at a time: periods (start to actual or planned end) of
    the same officer's deployments must not overlap (Art. 4(1) duration)."""
    others = Deployment.objects.filter(
        officer=officer, status__in=OCCUPYING, start_date__lte=end
    ).select_related("deploying_authority")
    if exclude_pk is not None:
        others = others.exclude(pk=exclude_pk)
    for other in others:
        if other.effective_end >= start:
            raise ValidationError(
                {
                    "start_date": _(
                        "This officer is already deployed in %(country)s from %(start)s to %(end)s; "
                        "deployments of the same officer cannot overlap."
                    )
                    % {
                        "country": other.country.name,
                        "start": long_date(other.start_date),
                        "end": long_date(other.effective_end),
                    }
                }
            )


def _clean(
    *,
    authority: Organisation,
    officer,
    values: dict[str, Any],
    status: str,
    exclude_pk: int | None,
    start_changed: bool = True,
    end_changed: bool = True,
    confirmed: bool = False,
) -> dict[str, Any]:
    """Validate and normalise the fields of a deployment; raise one ``ValidationError`` with
    every problem (Art. 2(2), Art. 4(1), 6, 9(2)(d)). Unusual dates (``dates``) are asked to be
    confirmed last, once nothing else is wrong; a change is reviewed for the dates it changes
    (the start alone, or the duration)."""
    errors: dict[str, str] = {}
    data = dict(values)
    if not authority.is_deploying_authority or not authority.is_active:
        errors["deploying_authority"] = _("%(org)s is not a deploying authority (Art. 1(2), Art. 4).") % {
            "org": authority.name
        }
    if officer is None or not officer.is_active:
        errors["officer_email"] = _("The officer needs an active ILOnet account.")
    elif not officer_serves(authority=authority, officer=officer):
        errors["officer_email"] = officer_refused().message_dict["officer_email"][0]
    country = str(data.get("country") or "").strip().upper()
    data["country"] = country
    problem = country_problem(country, what=_("The country of deployment")) if country else None
    if not country:
        errors["country"] = _("Choose the country of deployment.")
    elif problem:
        errors["country"] = problem
    if data.get("place_kind") not in PlaceKind.values:
        errors["place_kind"] = _(
            "Choose a place of deployment of Art. 2(2): a member state's mission, the "
            "third country's authorities, an international organisation or an EU delegation."
        )
    for name, limit in TEXT_LIMITS.items():
        text = str(data.get(name) or "").strip()
        data[name] = text
        if len(text) > limit:
            errors[name] = _("At most %(max)d characters.") % {"max": limit}
    for name in ("place_name", "city", "task_summary"):
        if not data[name]:
            errors[name] = _("This field is required.")
    start, planned_end = data.get("start_date"), data.get("planned_end_date")
    if not isinstance(start, date):
        errors["start_date"] = _("Enter the start date.")
    if not isinstance(planned_end, date):
        errors["planned_end_date"] = _("Enter the planned end date (Art. 4(1): the duration).")
    if isinstance(start, date) and isinstance(planned_end, date) and planned_end < start:
        errors["planned_end_date"] = _("The planned end cannot be before the start.")
    if status == DeploymentStatus.ACTIVE and isinstance(start, date) and start > timezone.localdate():
        errors["start_date"] = _(
            "An actual deployment has started: its start cannot be in the future. "
            "Notify it as a plan instead."
        )
    for name, normalise in (("phone", normalise_phone), ("email", normalise_email)):
        try:
            data[name] = normalise(str(data.get(name) or ""))
        except ValidationError as error:
            errors[name] = error.messages[0]
    data["region"] = _clean_region(country, data.get("region") or (), errors)
    data["represented"] = _clean_representations(authority, data.get("represented") or (), errors)
    review = DateReview()
    if isinstance(start, date) and isinstance(planned_end, date) and "start_date" not in errors:
        dates.review_period(
            review,
            start=start,
            planned_end=planned_end,
            today=timezone.localdate(),
        )
        review.keep(start_date=start_changed, planned_end_date=start_changed or end_changed)
        for name, messages in review.refused.items():
            errors.setdefault(name, messages[0])
    if errors:
        raise ValidationError(errors)
    end = data.get("end_date") or planned_end
    # Both are dates here: a missing or malformed one raised above.
    _check_overlap(officer=officer, start=cast(date, start), end=cast(date, end), exclude_pk=exclude_pk)
    review.check(confirmed=confirmed)
    return data


def _lock_officer(officer) -> None:
    """Serialise writes for one officer, so two concurrent notifications cannot overlap."""
    get_user_model().objects.select_for_update().filter(pk=officer.pk).first()


def _contact_values(deployment: Deployment) -> dict[str, str]:
    return {name: getattr(deployment, name) for name in CONTACT_FIELDS}


def _snapshot(deployment: Deployment) -> dict[str, Any]:
    """What a change is measured against: the notified version and the contact details."""
    return {**as_notified(deployment), **_contact_values(deployment)}


# The audit action of each kind of notification to the steering board (Art. 4(1)).
NOTIFICATION_AUDIT_ACTIONS: dict[str, AuditAction] = {
    NotificationKind.PLANNED: AuditAction.DEPLOYMENT_PLANNED,
    NotificationKind.STARTED: AuditAction.DEPLOYMENT_STARTED,
    NotificationKind.CHANGED: AuditAction.DEPLOYMENT_CHANGED,
    NotificationKind.ENDED: AuditAction.DEPLOYMENT_ENDED,
    NotificationKind.CANCELLED: AuditAction.DEPLOYMENT_CANCELLED,
}


def _notify(
    *, actor, deployment: Deployment, kind: str, before: dict[str, Any] | None, label: str = ""
) -> DeploymentNotification:
    """Record the notification to the steering board (Art. 4(1)), visible on the platform
    (Art. 4(2)), and audit it in the same transaction. A changed contact detail is noted by
    its name only; the audit event holds references and the names of the changed fields, no
    personal data (Art. 9(2)(d), Art. 9(3))."""
    data = as_notified(deployment)
    changes: dict[str, Any] = {}
    if before is not None:
        changes = {key: [before.get(key), value] for key, value in data.items() if before.get(key) != value}
        for name, value in _contact_values(deployment).items():
            if before.get(name) != value:
                changes[name] = "changed"
    deployment.version += 1
    Deployment.objects.filter(pk=deployment.pk).update(version=deployment.version)
    notification = DeploymentNotification.objects.create(
        deployment=deployment,
        version=deployment.version,
        kind=kind,
        notified_at=timezone.now(),
        notified_by=actor if getattr(actor, "pk", None) else None,
        notified_by_label=label or getattr(actor, "email", "") or "",
        data=data,
        changes=changes,
    )
    audit.record(
        action=NOTIFICATION_AUDIT_ACTIONS[kind],
        actor=actor,
        actor_label=label,
        obj=deployment,
        details={"changes": {
            "version": deployment.version,
            "status": deployment.status,
            "deploying_authority": deployment.deploying_authority.code,
            "officer_id": deployment.officer_id,
            "fields": sorted(changes) if before is not None else sorted(data),
        }},
    )  # fmt: skip
    notices.notified_to_the_board(deployment=deployment, kind=kind, notification_id=notification.pk)
    return notification


def _save_region(deployment: Deployment, region: list[str]) -> None:
    existing = set(deployment.region.values_list("country", flat=True))
    wanted = set(region)
    if existing - wanted:
        deployment.region.filter(country__in=existing - wanted).delete()
    RegionCountry.objects.bulk_create(
        [RegionCountry(deployment=deployment, country=code) for code in region if code not in existing]
    )


def _save_representations(deployment: Deployment, represented: list[tuple[Organisation, str]]) -> None:
    deployment.representations.all().delete()
    Representation.objects.bulk_create(
        [
            Representation(deployment=deployment, member_state=state, tasks=tasks)
            for state, tasks in represented
        ]
    )


def notify_deployment(
    *,
    actor: Any,
    deploying_authority: Organisation,
    officer,
    country: str,
    place_kind: str,
    place_name: str,
    city: str,
    task_summary: str,
    start_date: date,
    planned_end_date: date,
    status: str = DeploymentStatus.PLANNED,
    region: Iterable[str] = (),
    phone: str = "",
    email: str = "",
    represented: Sequence[tuple[str, str]] = (),
    eu_funding_reference: str = "",
    confirm_unusual_dates: bool = False,
) -> Deployment:
    """A deploying authority notifies the steering board of a planned or an actual deployment,
    with its tasks and duration (Art. 4(1)); the notification is on the platform (Art. 4(2)).
    Place of deployment: Art. 2(2); joint deployment: Art. 6; contact details: Art. 9(2)(d).
    """
    policy.authorize(actor, policy.Action.MANAGE_DEPLOYMENTS, deploying_authority)
    with transaction.atomic():
        if status not in (DeploymentStatus.PLANNED, DeploymentStatus.ACTIVE):
            raise ValidationError({"status": _("Notify a deployment as planned or as actual (active).")})
        if officer is not None:
            _lock_officer(officer)
        data = _clean(
            authority=deploying_authority,
            officer=officer,
            values={
                "country": country,
                "place_kind": place_kind,
                "place_name": place_name,
                "city": city,
                "task_summary": task_summary,
                "start_date": start_date,
                "planned_end_date": planned_end_date,
                "region": region,
                "phone": phone,
                "email": email,
                "represented": represented,
                "eu_funding_reference": eu_funding_reference,
            },
            status=status,
            exclude_pk=None,
            confirmed=confirm_unusual_dates,
        )
        deployment = Deployment(
            deploying_authority=deploying_authority,
            officer=officer,
            status=status,
            **{k: v for k, v in data.items() if k not in ("region", "represented")},
        )
        deployment.full_clean()
        deployment.save()
        _save_region(deployment, data["region"])
        _save_representations(deployment, data["represented"])
        kind = NotificationKind.STARTED if status == DeploymentStatus.ACTIVE else NotificationKind.PLANNED
        _notify(actor=actor, deployment=deployment, kind=kind, before=None)
        hooks.deployments_changed(actor=actor, countries=[deployment.country.code])
        return deployment


def notify_deployment_of_new_officer(
    *, actor: Any, deploying_authority: Organisation, officer_email: str, officer_first_name: str,
    officer_last_name: str, **fields: Any,
) -> Deployment:  # fmt: skip
    """``notify_deployment`` for an officer who has no account yet (Art. 4(1)): the account and
    its invitation (``accounts.services.invite_user``) are made in the same transaction, so a
    refused or invalid notification invites nobody. An authority invites only its own officers."""
    policy.authorize(actor, policy.Action.MANAGE_DEPLOYMENTS, deploying_authority)
    policy.authorize(actor, policy.Action.INVITE_USERS, deploying_authority)
    with transaction.atomic():
        try:
            officer = account_services.invite_user(
                actor=actor, email=officer_email, organisation=deploying_authority,
                first_name=officer_first_name, last_name=officer_last_name,
            )  # fmt: skip
        except ValidationError as error:
            raise ValidationError({"officer_email": error.messages}) from error
        return notify_deployment(
            actor=actor, deploying_authority=deploying_authority, officer=officer, **fields
        )


def _current_values(deployment: Deployment) -> dict[str, Any]:
    return {
        "country": deployment.country.code,
        "place_kind": deployment.place_kind,
        "place_name": deployment.place_name,
        "city": deployment.city,
        "task_summary": deployment.task_summary,
        "start_date": deployment.start_date,
        "planned_end_date": deployment.planned_end_date,
        "end_date": deployment.end_date,
        "region": [r.country.code for r in deployment.region.all()],
        "phone": deployment.phone,
        "email": deployment.email,
        "represented": [
            (r.member_state.code, r.tasks) for r in deployment.representations.select_related("member_state")
        ],
        "eu_funding_reference": deployment.eu_funding_reference,
    }


def _locked(deployment: Deployment) -> Deployment:
    return (
        Deployment.objects.select_for_update(of=("self",))
        .select_related("deploying_authority", "deploying_authority__parent", "officer")
        .get(pk=deployment.pk)
    )


def update_deployment(
    *, actor: Any, deployment: Deployment, confirm_unusual_dates: bool = False, **fields: Any
) -> Deployment:
    """Change a notified deployment; the steering board is notified of the change (Art. 4(1))
    and the previous versions stay in the history. Officer and deploying authority cannot
    change: notify a new deployment instead. Changed dates are checked as new ones (``dates``)."""
    policy.authorize(actor, policy.Action.MANAGE_DEPLOYMENTS, deployment)
    with transaction.atomic():
        unknown = set(fields) - EDITABLE_FIELDS
        if unknown:
            raise ValidationError(
                {
                    name: _("This field cannot be changed; notify a new deployment instead.")
                    for name in unknown
                }
            )
        deployment = _locked(deployment)
        if deployment.status in (DeploymentStatus.ENDED, DeploymentStatus.CANCELLED):
            raise ValidationError(_("An ended or cancelled deployment cannot be changed."))
        _lock_officer(deployment.officer)
        before = _snapshot(deployment)
        old_country = deployment.country.code
        values = {**_current_values(deployment), **fields}
        data = _clean(
            authority=deployment.deploying_authority,
            officer=deployment.officer,
            values=values,
            status=deployment.status,
            exclude_pk=deployment.pk,
            start_changed=values["start_date"] != deployment.start_date,
            end_changed=values["planned_end_date"] != deployment.planned_end_date,
            confirmed=confirm_unusual_dates,
        )
        for name in (
            "country",
            "place_kind",
            "place_name",
            "city",
            "task_summary",
            "start_date",
            "planned_end_date",
            "phone",
            "email",
            "eu_funding_reference",
        ):
            setattr(deployment, name, data[name])
        deployment.full_clean()
        deployment.save()
        _save_region(deployment, data["region"])
        if "represented" in fields:
            _save_representations(deployment, data["represented"])
        if _snapshot(deployment) == before:
            return deployment
        _notify(actor=actor, deployment=deployment, kind=NotificationKind.CHANGED, before=before)
        if deployment.status == DeploymentStatus.ACTIVE:
            hooks.deployments_changed(actor=actor, countries=[old_country, deployment.country.code])
        return deployment


def start_deployment(
    *, actor: Any, deployment: Deployment, start_date: date | None = None, confirm_unusual_dates: bool = False
) -> Deployment:
    """A planned deployment becomes actual: the authority notifies the steering board
    (Art. 4(1)). The officer joins the network of the country (Art. 5(1)). An actual start much
    earlier than the planned start notified is refused or asked to be confirmed (``dates``)."""
    policy.authorize(actor, policy.Action.MANAGE_DEPLOYMENTS, deployment)
    with transaction.atomic():
        deployment = _locked(deployment)
        if deployment.status != DeploymentStatus.PLANNED:
            raise ValidationError(_("Only a planned deployment can start."))
        start = start_date or deployment.start_date
        if start > timezone.localdate():
            raise ValidationError({"start_date": _("A deployment cannot start in the future.")})
        if deployment.planned_end_date < start:
            raise ValidationError({"start_date": _("The start cannot be after the planned end.")})
        review = DateReview()
        dates.review_actual_start(review, actual=start, planned=deployment.start_date)
        if start != deployment.start_date:
            dates.review_period(
                review,
                start=start,
                planned_end=deployment.planned_end_date,
                today=timezone.localdate(),
            )
        if review.refused:
            review.check()
        _lock_officer(deployment.officer)
        _check_overlap(
            officer=deployment.officer, start=start, end=deployment.planned_end_date, exclude_pk=deployment.pk
        )
        review.check(confirmed=confirm_unusual_dates)
        before = _snapshot(deployment)
        deployment.start_date, deployment.status = start, DeploymentStatus.ACTIVE
        deployment.save(update_fields=["start_date", "status", "updated_at"])
        _notify(actor=actor, deployment=deployment, kind=NotificationKind.STARTED, before=before)
        hooks.deployments_changed(actor=actor, countries=[deployment.country.code])
        return deployment


def end_deployment(*, actor: Any, deployment: Deployment, end_date: date | None = None) -> Deployment:
    """The deployment ends (Art. 4(1) duration); the officer leaves the network (Art. 5(1)),
    which may change its facilitator (Art. 5(2), Art. 5(3))."""
    policy.authorize(actor, policy.Action.MANAGE_DEPLOYMENTS, deployment)
    with transaction.atomic():
        deployment = _locked(deployment)
        if deployment.status != DeploymentStatus.ACTIVE:
            raise ValidationError(_("Only an active deployment can end."))
        end = end_date or timezone.localdate()
        if end < deployment.start_date:
            raise ValidationError({"end_date": _("The end cannot be before the start.")})
        if end > timezone.localdate():
            raise ValidationError(
                {"end_date": _("A deployment cannot end in the future; change its planned end instead.")}
            )
        before = _snapshot(deployment)
        deployment.end_date, deployment.status = end, DeploymentStatus.ENDED
        deployment.save(update_fields=["end_date", "status", "updated_at"])
        _notify(actor=actor, deployment=deployment, kind=NotificationKind.ENDED, before=before)
        hooks.deployments_changed(actor=actor, countries=[deployment.country.code])
        return deployment


@system_operation
def end_due_deployments(*, today: date | None = None) -> list[Deployment]:
    """End, on their planned end, the active deployments whose planned end has passed (the
    daily job, ``deployments.jobs``): notified to the steering board (Art. 4(1)) by "ILOnet",
    the officer leaves the network (Art. 5(1)). Each ends in its own transaction, once."""
    today = today or timezone.localdate()
    ended = []
    due = Deployment.objects.filter(status=DeploymentStatus.ACTIVE, planned_end_date__lt=today)
    for pk in list(due.values_list("pk", flat=True)):
        with transaction.atomic():
            deployment = _locked(Deployment(pk=pk))
            if deployment.status == DeploymentStatus.ACTIVE and deployment.planned_end_date < today:
                before = _snapshot(deployment)
                deployment.end_date, deployment.status = deployment.planned_end_date, DeploymentStatus.ENDED
                deployment.save(update_fields=["end_date", "status", "updated_at"])
                _notify(actor=None, deployment=deployment, kind=NotificationKind.ENDED, before=before,
                        label="ILOnet (planned end)")  # fmt: skip
                hooks.deployments_changed(actor=None, countries=[deployment.country.code])
                ended.append(deployment)
    return ended


def cancel_deployment(*, actor: Any, deployment: Deployment) -> Deployment:
    """A plan that will not happen is withdrawn; the steering board is told (Art. 4(1))."""
    policy.authorize(actor, policy.Action.MANAGE_DEPLOYMENTS, deployment)
    with transaction.atomic():
        deployment = _locked(deployment)
        if deployment.status != DeploymentStatus.PLANNED:
            raise ValidationError(_("Only a planned deployment can be cancelled; end an active one."))
        before = _snapshot(deployment)
        deployment.status = DeploymentStatus.CANCELLED
        deployment.save(update_fields=["status", "updated_at"])
        _notify(actor=actor, deployment=deployment, kind=NotificationKind.CANCELLED, before=before)
        return deployment


@system_operation
def record_personal_data_read(
    *,
    actor: Any,
    list_name: str,
    fmt: str = "html",
    page: int | None = None,
    cursor: dict[str, str] | None = None,
    rows: int | None = None,
    filters: dict[str, Any] | None = None,
) -> None:
    """Audit one read of a list of personal data (Art. 9(2)(c), Art. 9(2)(d), Art. 9(3)): one event per page
    or export, not per row, naming the list, the page (its number, or the cursor of a keyset
    page: none for the first page) and the filters."""
    details = {"list": list_name, "format": fmt, "page": page, "rows": rows, "filters": filters or {}}
    if cursor:
        details["cursor"] = cursor
    audit.record(action=AuditAction.PERSONAL_DATA_READ, actor=actor, details=details)
