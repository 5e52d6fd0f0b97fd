"""Pages of the deployment registry. Thin: ask the policy, call a selector or a service,
render. Every list is paginated, filterable and searchable."""

from collections import Counter

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.http import Http404, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST
from django_countries import countries

from ilonet import policy
from ilonet.api.prepared import BoundList, PreparedList
from ilonet.directory import selectors as directory
from ilonet.directory import services as directory_services
from ilonet.directory.models import PriorityCountry, PrioritySetter
from ilonet.shared.exports import csv_response
from ilonet.shared.forms import apply_validation_error
from ilonet.shared.paging import keyset_paginate, paginate
from ilonet.shared.urls import url_for_id

from . import history, selectors, services, worldmap
from . import rows as table_rows
from .forms import (
    ContactFilterForm,
    DeploymentCreateForm,
    DeploymentFilterForm,
    DeploymentUpdateForm,
    EndForm,
    GapFilterForm,
    NotificationFilterForm,
    PriorityCountryForm,
    StartForm,
)
from .geo import Continent
from .models import Deployment
from .policies import contact_scope_is_same_for_every_reader
from .selectors import Coverage
from .validators import display_phone

MAP_CLASS = {
    Coverage.COVERED: "ilonet-map--covered",
    Coverage.PRIORITY_COVERED: "ilonet-map--priority-covered",
    Coverage.PRIORITY_GAP: "ilonet-map--priority-gap",
    Coverage.NOT_COVERED: "ilonet-map--not-covered",
}


def coverage_labels() -> dict[str, str]:
    return {
        Coverage.PRIORITY_GAP: _("Priority, no officer (gap)"),
        Coverage.PRIORITY_COVERED: _("Priority, covered"),
        Coverage.COVERED: _("Covered"),
        Coverage.NOT_COVERED: _("Not covered"),
    }


def _csv_response(rows, header, filename: str) -> StreamingHttpResponse:
    stamp = timezone.now().strftime("%Y%m%d")
    return csv_response(rows, header=header, filename=f"{filename}-{stamp}.csv")


# --- registry (Art. 2, 4, 6) -----------------------------------------------------------------


def _lean_page(request, deployments, *, represented: bool = True, contact_details: bool = False):
    """A keyset page of deployments with the columns a table shows (``selectors.for_list``)
    and its regions and representations read as plain rows (``attach_list_extras``).
    ``deployments`` may be a list prepared from such a queryset (``ilonet.api.prepared``)."""
    rows = (
        deployments
        if isinstance(deployments, BoundList)
        else selectors.for_list(deployments, contact_details=contact_details)
    )
    page = keyset_paginate(request, rows)
    selectors.attach_list_extras(page.object_list, represented=represented)
    return page


@login_required
def deployment_list(request):
    policy.authorize(request.user, policy.Action.VIEW_DEPLOYMENTS)
    form = DeploymentFilterForm(request.GET or None, authorities=selectors.deploying_authority_choices())
    filters = form.filters()
    page = _lean_page(
        request,
        selectors.REGISTRY.bind(user=request.user, **filters)
        or selectors.deployment_list(user=request.user, **filters),
    )
    template = "deployments/_deployment_table.html" if request.htmx else "deployments/deployment_list.html"
    return render(
        request,
        template,
        {
            "form": form,
            "page_obj": page,
            "rows": table_rows.registry_rows(page),
            "may_manage": policy.can(request.user, policy.Action.MANAGE_DEPLOYMENTS),
        },
    )


def _detail_context(request, deployment: Deployment, **forms) -> dict:
    may_manage = policy.can(request.user, policy.Action.MANAGE_DEPLOYMENTS, deployment)
    today = timezone.localdate()
    contact = selectors.read_contact_details(actor=request.user, deployment=deployment)
    return {
        "deployment": deployment,
        "contact": contact and {**contact, "phone": display_phone(contact["phone"])},
        "notifications": history.with_readable_changes(deployment.notifications.all()),
        "may_manage": may_manage,
        "start_form": forms.get("start_form")
        or StartForm(initial={"start_date": min(deployment.start_date, today)}),
        "end_form": forms.get("end_form") or EndForm(initial={"end_date": today}),
    }


def _get_deployment(request, pk: int) -> Deployment:
    try:
        return selectors.deployment_detail(user=request.user, pk=pk)
    except ObjectDoesNotExist:
        raise Http404 from None


@login_required
def deployment_detail(request, pk: int):
    policy.authorize(request.user, policy.Action.VIEW_DEPLOYMENTS)
    deployment = _get_deployment(request, pk)
    return render(request, "deployments/deployment_detail.html", _detail_context(request, deployment))


@login_required
def deployment_create(request):
    """Notify a planned or actual deployment to the steering board (Art. 4(1))."""
    policy.authorize(request.user, policy.Action.MANAGE_DEPLOYMENTS)
    authorities = selectors.authorities_for(user=request.user)
    form = DeploymentCreateForm(
        request.POST or None, authorities=authorities, initial={"deploying_authority": authorities.first()}
    )
    if request.method == "POST" and form.is_valid():
        values = form.service_values()
        invitee = {name: values.pop(name) for name in ("officer_first_name", "officer_last_name")}
        invited = values.pop("invite_officer")
        try:
            if invited:
                deployment = services.notify_deployment_of_new_officer(
                    actor=request.user, **invitee, **values
                )
            else:
                officer = selectors.officer_by_email(
                    values.pop("officer_email"), authority=values["deploying_authority"]
                )
                deployment = services.notify_deployment(actor=request.user, officer=officer, **values)
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, _("The deployment is notified to the steering board."))
            if invited:
                messages.info(request, _("The officer is invited by e-mail to set up an ILOnet account."))
            return redirect("deployments:deployment_detail", pk=deployment.pk)
    return render(
        request,
        "deployments/deployment_form.html",
        {"form": form, "title": _("Notify a deployment")},
        status=422 if form.errors else 200,
    )


@login_required
def deployment_edit(request, pk: int):
    """Change a deployment; the change is notified and the history kept (Art. 4(1))."""
    policy.authorize(request.user, policy.Action.VIEW_DEPLOYMENTS)
    deployment = _get_deployment(request, pk)
    policy.authorize(request.user, policy.Action.MANAGE_DEPLOYMENTS, deployment)
    initial = {
        "country": deployment.country.code,
        "place_kind": deployment.place_kind,
        "place_name": deployment.place_name,
        "city": deployment.city,
        "task_summary": deployment.task_summary,
        "start_date": deployment.start_date,
        "planned_end_date": deployment.planned_end_date,
        "region": [
            r.country.code for r in deployment.region.all() if r.country.code != deployment.country.code
        ],
        "phone": deployment.phone,
        "email": deployment.email,
        "represented": [r.member_state.code for r in deployment.representations.all()],
        "representation_tasks": next((r.tasks for r in deployment.representations.all()), ""),
        "eu_funding_reference": deployment.eu_funding_reference,
    }
    form = DeploymentUpdateForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_deployment(actor=request.user, deployment=deployment, **form.service_values())
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, _("The change is notified to the steering board."))
            return redirect("deployments:deployment_detail", pk=deployment.pk)
    return render(
        request,
        "deployments/deployment_form.html",
        {"form": form, "deployment": deployment, "title": _("Change the deployment")},
        status=422 if form.errors else 200,
    )


def _transition(request, pk: int, action: str):
    policy.authorize(request.user, policy.Action.VIEW_DEPLOYMENTS)
    deployment = _get_deployment(request, pk)
    policy.authorize(request.user, policy.Action.MANAGE_DEPLOYMENTS, deployment)
    form_class = {"start": StartForm, "end": EndForm}.get(action)
    form = form_class(request.POST) if form_class else None
    if form is None or form.is_valid():
        try:
            if action == "start":
                services.start_deployment(actor=request.user, deployment=deployment, **form.cleaned_data)
                messages.success(request, _("The actual deployment is notified to the steering board."))
            elif action == "end":
                services.end_deployment(actor=request.user, deployment=deployment, **form.cleaned_data)
                messages.success(request, _("The end of the deployment is notified to the steering board."))
            else:
                services.cancel_deployment(actor=request.user, deployment=deployment)
                messages.success(request, _("The plan is cancelled; the steering board is notified."))
        except ValidationError as error:
            if form is None:
                messages.error(request, " ".join(error.messages))
                return redirect("deployments:deployment_detail", pk=pk)
            apply_validation_error(form, error)
        else:
            return redirect("deployments:deployment_detail", pk=pk)
    deployment = _get_deployment(request, pk)
    context = _detail_context(request, deployment, **{f"{action}_form": form})
    return render(request, "deployments/deployment_detail.html", context, status=422)


@login_required
@require_POST
def deployment_start(request, pk: int):
    return _transition(request, pk, "start")


@login_required
@require_POST
def deployment_end(request, pk: int):
    return _transition(request, pk, "end")


@login_required
@require_POST
def deployment_cancel(request, pk: int):
    return _transition(request, pk, "cancel")


@login_required
def notification_list(request):
    """Notifications of plans and deployments, available on the platform (Art. 4(2))."""
    policy.authorize(request.user, policy.Action.VIEW_DEPLOYMENTS)
    form = NotificationFilterForm(request.GET or None)
    page = keyset_paginate(request, selectors.notification_list(user=request.user, **form.filters()))
    detail_url = url_for_id("deployments:deployment_detail")
    for notification in page.object_list:
        notification.detail_url = detail_url(notification.deployment_id)
    template = (
        "deployments/_notification_table.html" if request.htmx else "deployments/notification_list.html"
    )
    return render(request, template, {"form": form, "page_obj": page})


# --- joint deployments (Art. 6) ------------------------------------------------------------

JOINT_COLUMNS = (
    _lazy("Deployment"),
    _lazy("Status"),
    _lazy("Deploying authority"),
    _lazy("Deploying member state"),
    _lazy("Also represents"),
    _lazy("Tasks divided (Art. 6(2))"),
    _lazy("Officer"),
    _lazy("Country"),
    _lazy("City"),
    _lazy("Start"),
    _lazy("Planned end"),
    _lazy("Actual end"),
    _lazy("EU funding reference (Art. 6(3))"),
)


@login_required
def joint_list(request):
    """Joint deployments (Art. 6(1), Art. 6(2)), reportable for EU funding (Art. 6(3))."""
    policy.authorize(request.user, policy.Action.VIEW_DEPLOYMENTS)
    form = DeploymentFilterForm(request.GET or None, authorities=selectors.deploying_authority_choices())
    filters = form.filters()
    filters.pop("joint", None)
    page = _lean_page(request, selectors.joint_deployment_list(user=request.user, **filters))
    template = "deployments/_joint_table.html" if request.htmx else "deployments/joint_list.html"
    return render(request, template, {"form": form, "page_obj": page, "rows": table_rows.joint_rows(page)})


@login_required
def joint_export(request):
    policy.authorize(request.user, policy.Action.VIEW_DEPLOYMENTS)
    form = DeploymentFilterForm(request.GET or None, authorities=selectors.deploying_authority_choices())
    filters = form.filters()
    filters.pop("joint", None)
    deployments = selectors.joint_deployment_list(user=request.user, **filters)
    services.record_personal_data_read(
        actor=request.user, list_name="joint_deployments", fmt="csv", filters=dict(request.GET.items())
    )

    def rows():
        for d in deployments.iterator(chunk_size=500):
            reps = list(d.representations.all())
            state = d.deploying_authority.member_state
            yield (
                d.pk,
                d.get_status_display(),
                d.deploying_authority.name,
                directory.display_code(state.code) if state else "",
                ", ".join(directory.display_code(r.member_state.code) for r in reps),
                " | ".join(
                    f"{directory.display_code(r.member_state.code)}: {r.tasks}" for r in reps if r.tasks
                ),
                str(d.officer),
                d.country.code,
                d.city,
                d.start_date,
                d.planned_end_date,
                d.end_date or "",
                d.eu_funding_reference,
            )

    return _csv_response(rows(), [str(c) for c in JOINT_COLUMNS], "ilonet-joint-deployments")


# --- ILO contact list (Art. 9(2)(d), Art. 9(3)) --------------------------------------------------

CONTACT_COLUMNS = (
    _lazy("Name"),
    _lazy("Deploying authority"),
    _lazy("Country of deployment"),
    _lazy("City"),
    _lazy("Place of deployment"),
    _lazy("Post"),
    _lazy("Region of responsibility"),
    _lazy("Phone"),
    _lazy("E-mail address"),
)


def _contact_rows(user, **filters):
    return selectors.for_list(selectors.contact_list(user=user, **filters), contact_details=True)


# The contact list's page without a search (the most common request) through SQL compiled once
# per shape of the request (ilonet.api.prepared): building its query, its keyset page and its
# capped count through the ORM was a sixth of the page (issue 9, rendering cost). Its scope is
# the same for every reader allowed by Art. 9(3) (the officers deployed now); should it come to
# depend on the reader, every request goes through the ORM.
_CONTACTS = PreparedList(
    _contact_rows,
    Deployment,
    sentinels={
        "country": ("~COUNTRY~", lambda value: value.strip().upper()),
        "authority": ("~authority~", lambda value: value.strip().lower()),
        "covers": ("~COVERS~", lambda value: value.strip().upper()),
    },
    shape=("continent",),
    every_row=contact_scope_is_same_for_every_reader,
)


@login_required
def contact_list(request):
    """The ILO contact list (Art. 9(2)(d)); only for ILOs, board members and duly authorised
    staff (Art. 9(3)). Each page read is audited."""
    policy.authorize(request.user, policy.Action.VIEW_CONTACT_LIST)
    form = ContactFilterForm(request.GET or None)
    filters = form.filters()
    page = _lean_page(
        request,
        _CONTACTS.bind(user=request.user, **filters) or selectors.contact_list(user=request.user, **filters),
        represented=False,
        contact_details=True,
    )
    services.record_personal_data_read(
        actor=request.user,
        list_name="ilo_contacts",
        page=None if page.cursor else 1,
        cursor=page.cursor,
        rows=len(page.object_list),
        filters={k: v for k, v in request.GET.items() if k not in ("after", "before")},
    )
    template = "deployments/_contact_table.html" if request.htmx else "deployments/contact_list.html"
    return render(request, template, {"form": form, "page_obj": page, "rows": table_rows.contact_rows(page)})


@login_required
def contact_export(request):
    policy.authorize(request.user, policy.Action.VIEW_CONTACT_LIST)
    form = ContactFilterForm(request.GET or None)
    deployments = selectors.contact_list(user=request.user, **form.filters())
    services.record_personal_data_read(
        actor=request.user, list_name="ilo_contacts", fmt="csv", filters=dict(request.GET.items())
    )

    def rows():
        for d in deployments.iterator(chunk_size=500):
            yield (
                str(d.officer),
                d.deploying_authority.name,
                d.country.name,
                d.city,
                d.get_place_kind_display(),
                d.place_name,
                ", ".join(str(r.country.name) for r in d.region.all()),
                display_phone(d.phone),
                d.email or d.officer.email,
            )

    return _csv_response(rows(), [str(c) for c in CONTACT_COLUMNS], "ilonet-ilo-contacts")


# --- gap analysis (Art. 8(2)(e)) ------------------------------------------------------------


def _map_label(row, labels: dict[str, str]) -> str:
    parts = [f"{row.name}: {labels[row.level]}"]
    if row.officers:
        parts.append(
            ngettext("%(count)d officer", "%(count)d officers", row.officers) % {"count": row.officers}
        )
    if row.member_states or row.eu_bodies:
        parts.append(", ".join([directory.display_code(c) for c in row.member_states] + row.eu_bodies))
    return " – ".join(parts)


@login_required
def gap_analysis(request):
    """Deployment gaps (Art. 8(2)(e)): coverage of every third country against the priority
    countries, on a world map and in a table with the same data."""
    policy.authorize(request.user, policy.Action.VIEW_DEPLOYMENT_GAPS)
    labels = coverage_labels()
    form = GapFilterForm(request.GET or None, levels=list(labels.items()))
    filters = form.filters()
    rows = selectors.gap_analysis(user=request.user, **filters)
    counts = Counter(row.level for row in rows)
    levels = {row.country: MAP_CLASS[row.level] for row in rows}
    map_labels = {row.country: _map_label(row, labels) for row in rows}
    for code in worldmap.country_paths():
        if code not in map_labels:
            name = countries.name(code) or code
            map_labels[code] = (
                _("%(country)s: not a third country") % {"country": name}
                if not directory.is_third_country(code)
                else str(name)
            )
    svg = worldmap.render(levels=levels, labels=map_labels, title=_("World map of deployment coverage"))
    page = paginate(request, rows)
    continent_names = dict(Continent.choices)
    setter_names = dict(PrioritySetter.choices)
    table = [
        {
            "row": r,
            "level_label": labels[r.level],
            "level_class": MAP_CLASS[r.level],
            "continent": continent_names.get(r.continent, ""),
            "priority_by": [setter_names.get(s, s) for s in r.priority_by],
        }
        for r in page.object_list
    ]
    legend = [
        {"level": lvl, "label": labels[lvl], "css": MAP_CLASS[lvl], "count": counts.get(lvl, 0)}
        for lvl in Coverage.ALL
    ]
    return render(
        request,
        "deployments/gap_analysis.html",
        {
            "form": form,
            "map": svg,
            "page_obj": page,
            "table": table,
            "legend": legend,
            "day": filters.get("on") or timezone.localdate(),
            "may_see_deployments": policy.can(request.user, policy.Action.VIEW_DEPLOYMENTS),
            "may_see_priorities": policy.can(request.user, policy.Action.VIEW_PRIORITY_COUNTRIES),
        },
    )


@login_required
def priority_list(request):
    """Priority third countries set by the board (Art. 8(2)(e)) or the EU return coordinator
    (RS 1)."""
    policy.authorize(request.user, policy.Action.VIEW_PRIORITY_COUNTRIES)
    may_manage = policy.can(request.user, policy.Action.MANAGE_PRIORITY_COUNTRIES)
    setters = [
        s
        for s in PrioritySetter.values
        if policy.can(request.user, policy.Action.MANAGE_PRIORITY_COUNTRIES, s)
    ]
    form = None
    if may_manage:
        form = PriorityCountryForm(
            request.POST or None, setters=setters, initial={"period_start": timezone.localdate()}
        )
        if request.method == "POST" and form.is_valid():
            try:
                directory_services.set_priority_country(actor=request.user, **form.cleaned_data)
            except ValidationError as error:
                apply_validation_error(form, error)
            else:
                messages.success(request, _("Priority country recorded."))
                return redirect("deployments:priority_list")
    elif request.method == "POST":
        policy.authorize(request.user, policy.Action.MANAGE_PRIORITY_COUNTRIES)
    only_current = request.GET.get("current") == "1"
    priorities = directory.priority_country_list(
        user=request.user,
        on=timezone.localdate() if only_current else None,
        set_by=request.GET.get("set_by") or None,
        country=request.GET.get("country") or None,
    )
    page = paginate(request, priorities)
    rows = [
        (p, policy.can(request.user, policy.Action.MANAGE_PRIORITY_COUNTRIES, p)) for p in page.object_list
    ]
    return render(
        request,
        "deployments/priority_list.html",
        {
            "form": form,
            "page_obj": page,
            "rows": rows,
            "setters": PrioritySetter.choices,
            "today": timezone.localdate(),
        },
        status=422 if form is not None and form.errors else 200,
    )


@login_required
@require_POST
def priority_end(request, pk: int):
    policy.authorize(request.user, policy.Action.VIEW_PRIORITY_COUNTRIES)
    qs = directory.priority_country_list(user=request.user)
    priority: PriorityCountry = get_object_or_404(qs, pk=pk)
    form = EndForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Enter a valid end date."))
        return redirect("deployments:priority_list")
    try:
        directory_services.end_priority_country(
            actor=request.user, priority=priority, period_end=form.cleaned_data["end_date"]
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Priority ended."))
    return redirect("deployments:priority_list")
