"""Pages of the local and regional networks (Art. 5) and of the steering board's list of
deployed ILOs (Art. 8(2)(d)). Thin: policy, selectors, services, render."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_POST

from ilonet import policy
from ilonet.deployments import services as deployment_services
from ilonet.deployments.validators import display_phone
from ilonet.directory import selectors as directory
from ilonet.shared.exports import csv_response
from ilonet.shared.forms import apply_validation_error
from ilonet.shared.paging import PreparedPages, paginate
from ilonet.shared.pdf import render_pdf
from ilonet.shared.urls import url_for_id

from . import selectors, services
from .forms import (
    ActivityFilterForm,
    ActivityForm,
    AgreementForm,
    AssociateForm,
    EntryFilterForm,
    FacilitatorNotificationFilterForm,
    NetworkFilterForm,
    NetworkForm,
    OfficerListForm,
)
from .models import Associate, FacilitatorBasis, Network, NetworkKind


def _network(request, pk: int) -> Network:
    policy.authorize(request.user, policy.Action.VIEW_NETWORKS)
    try:
        return selectors.network_detail(user=request.user, pk=pk)
    except ObjectDoesNotExist:
        raise Http404 from None


# --- networks (Art. 5(1), Art. 5(2), Art. 5(3)) -------------------------------------------------------------


def _network_rows(networks: list[dict], codes: dict, summaries: dict) -> list[dict]:
    """What a row of the networks table shows, as plain values for its row template
    (``networks/_network_row.html``; ilonet.shared.rowtemplate): the template language per
    cell was most of the table's time (issue 9, rendering cost). ``networks``: plain rows with
    their ``id``, ``name`` and ``kind``."""
    detail_url = url_for_id("networks:network_detail")
    bases = {value: str(label) for value, label in FacilitatorBasis.choices}  # translated once
    kinds = {value: str(label) for value, label in NetworkKind.choices}  # as get_kind_display()
    rows = []
    country_name = directory.country_namer()
    for network in networks:
        pk, name, kind = network["id"], network["name"], network["kind"]
        decision = summaries[pk].decision
        facilitator = decision.facilitator
        rows.append(
            {
                "url": detail_url(pk),
                "name": name,
                "kind": kinds.get(kind, kind),
                "countries": ", ".join(country_name(code) for code in codes[pk]),
                "member_count": summaries[pk].member_count,
                "facilitator": facilitator.name if facilitator else "",
                "facilitator_authority": facilitator.authority_name if facilitator else "",
                "basis": bases[decision.basis],  # decision.basis_label, without a lazy label per row
            }
        )
    return rows


@login_required
def network_list(request):
    policy.authorize(request.user, policy.Action.VIEW_NETWORKS)
    form = NetworkFilterForm(request.GET or None)
    filters = form.filters()
    # Without a search or "mine", through the API list's SQL compiled once per shape (the rows
    # as plain dicts): the same page as the queryset's.
    prepared = None if filters.get("mine") else selectors.NETWORKS.bind(user=request.user, **filters)
    networks_found = (
        PreparedPages(prepared)
        if prepared is not None
        else selectors.network_list(user=request.user, **filters)
        .prefetch_related(None)
        .values("id", "name", "kind")  # plain rows on both paths
    )
    page = paginate(request, networks_found)
    networks = list(page.object_list)
    ids = [network["id"] for network in networks]
    codes = selectors.country_codes_by_network(ids)
    summaries = selectors.network_summaries_by_id(ids, codes)
    rows = _network_rows(networks, codes, summaries)
    template = "networks/_network_table.html" if request.htmx else "networks/network_list.html"
    return render(
        request,
        template,
        {
            "form": form,
            "page_obj": page,
            "rows": rows,
            "may_manage": policy.can(request.user, policy.Action.MANAGE_NETWORKS),
        },
    )


def _detail_context(request, network: Network, **forms) -> dict:
    members = selectors.members_by_network([network])[network.pk]
    decision = selectors.facilitators_for([network], {network.pk: members})[network.pk]
    may_contribute = policy.can(request.user, policy.Action.CONTRIBUTE_TO_NETWORK, network)
    today = timezone.localdate()
    associates = list(network.associates.all())
    return {
        "network": network,
        "members": members,
        "decision": decision,
        "associates": associates,
        "agreements": selectors.agreement_history(network=network, limit=5),
        "notifications": list(
            selectors.facilitator_notification_list(user=request.user, network=network.pk)[:10]
        ),
        "activities": list(selectors.activity_list(user=request.user, network=network.pk)[:10]),
        "may_contribute": may_contribute,
        "may_manage": policy.can(request.user, policy.Action.MANAGE_NETWORKS, network),
        "agreement_form": forms.get("agreement_form")
        or AgreementForm(members=members, initial={"agreed_on": today}),
        "associate_form": forms.get("associate_form") or AssociateForm(initial={"joined_on": today}),
        "today": today,
    }


@login_required
def network_detail(request, pk: int):
    network = _network(request, pk)
    return render(request, "networks/network_detail.html", _detail_context(request, network))


@login_required
def network_create(request):
    policy.authorize(request.user, policy.Action.MANAGE_NETWORKS)
    form = NetworkForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            network = services.create_network(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, _("Network created."))
            return redirect("networks:network_detail", pk=network.pk)
    return render(
        request,
        "networks/network_form.html",
        {"form": form, "title": _("New network")},
        status=422 if form.errors else 200,
    )


@login_required
def network_edit(request, pk: int):
    network = _network(request, pk)
    policy.authorize(request.user, policy.Action.MANAGE_NETWORKS, network)
    initial = {
        "name": network.name,
        "kind": network.kind,
        "description": network.description,
        "countries": [c.country.code for c in network.countries.all()],
    }
    form = NetworkForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_network(actor=request.user, network=network, **form.cleaned_data)
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, _("Network saved."))
            return redirect("networks:network_detail", pk=network.pk)
    return render(
        request,
        "networks/network_form.html",
        {"form": form, "network": network, "title": _("Change the network")},
        status=422 if form.errors else 200,
    )


@login_required
@require_POST
def agreement_create(request, pk: int):
    """Record the members' agreement on a facilitator (Art. 5(2), third sentence)."""
    network = _network(request, pk)
    policy.authorize(request.user, policy.Action.CONTRIBUTE_TO_NETWORK, network)
    members = selectors.members_by_network([network])[network.pk]
    form = AgreementForm(request.POST, members=members)
    if form.is_valid():
        try:
            services.record_facilitator_agreement(
                actor=request.user,
                network=network,
                officer_id=form.cleaned_data["officer"],
                agreed_on=form.cleaned_data["agreed_on"],
                note=form.cleaned_data["note"],
            )
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(
                request, _("Agreement recorded; the facilitator is reviewed (Art. 5(2), Art. 5(3)).")
            )
            return redirect("networks:network_detail", pk=network.pk)
    context = _detail_context(request, network, agreement_form=form)
    return render(request, "networks/network_detail.html", context, status=422)


@login_required
@require_POST
def associate_create(request, pk: int):
    """Associate a liaison officer of a non-EU country (Art. 5(1))."""
    network = _network(request, pk)
    policy.authorize(request.user, policy.Action.CONTRIBUTE_TO_NETWORK, network)
    form = AssociateForm(request.POST)
    if form.is_valid():
        try:
            services.add_associate(actor=request.user, network=network, **form.cleaned_data)
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, _("Associate added."))
            return redirect("networks:network_detail", pk=network.pk)
    context = _detail_context(request, network, associate_form=form)
    return render(request, "networks/network_detail.html", context, status=422)


@login_required
@require_POST
def associate_end(request, pk: int, associate_id: int):
    network = _network(request, pk)
    associate = get_object_or_404(Associate, pk=associate_id, network=network)
    try:
        services.end_association(actor=request.user, associate=associate)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The association has ended."))
    return redirect("networks:network_detail", pk=network.pk)


@login_required
def facilitator_notification_list(request):
    """Notifications to the board of facilitators appointed or changed, or none (Art. 5(3))."""
    policy.authorize(request.user, policy.Action.VIEW_NETWORKS)
    form = FacilitatorNotificationFilterForm(request.GET or None)
    page = paginate(request, selectors.facilitator_notification_list(user=request.user, **form.filters()))
    template = (
        "networks/_facilitator_notification_table.html"
        if request.htmx
        else ("networks/facilitator_notification_list.html")
    )
    return render(request, template, {"form": form, "page_obj": page})


# --- activities (Art. 5(1)) ----------------------------------------------------------


@login_required
def activity_list(request, pk: int | None = None):
    network = _network(request, pk) if pk is not None else None
    policy.authorize(request.user, policy.Action.VIEW_NETWORKS)
    form = ActivityFilterForm(request.GET or None)
    page = paginate(
        request,
        selectors.activity_list(user=request.user, network=network.pk if network else None, **form.filters()),
    )
    template = "networks/_activity_table.html" if request.htmx else "networks/activity_list.html"
    return render(
        request,
        template,
        {
            "form": form,
            "page_obj": page,
            "network": network,
            "may_contribute": network is not None
            and policy.can(request.user, policy.Action.CONTRIBUTE_TO_NETWORK, network),
        },
    )


@login_required
def activity_create(request, pk: int):
    network = _network(request, pk)
    policy.authorize(request.user, policy.Action.CONTRIBUTE_TO_NETWORK, network)
    members = selectors.members_by_network([network])[network.pk]
    associates = [a for a in network.associates.all() if a.left_on is None]
    form = ActivityForm(
        request.POST or None, members=members, associates=associates, initial={"date": timezone.localdate()}
    )
    if request.method == "POST" and form.is_valid():
        try:
            activity = services.record_activity(actor=request.user, network=network, **form.cleaned_data)
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, _("Activity recorded."))
            return redirect("networks:activity_detail", pk=activity.pk)
    return render(
        request,
        "networks/activity_form.html",
        {"form": form, "network": network},
        status=422 if form.errors else 200,
    )


@login_required
def activity_detail(request, pk: int):
    policy.authorize(request.user, policy.Action.VIEW_NETWORKS)
    try:
        activity = selectors.activity_detail(user=request.user, pk=pk)
    except ObjectDoesNotExist:
        raise Http404 from None
    return render(request, "networks/activity_detail.html", {"activity": activity})


# --- the list of deployed ILOs (Art. 8(2)(d), recital 14) ------------------------------------


@login_required
def officer_list_list(request):
    policy.authorize(request.user, policy.Action.VIEW_OFFICER_LISTS)
    may_update = policy.can(request.user, policy.Action.UPDATE_OFFICER_LIST)
    form = OfficerListForm(request.POST or None) if may_update else None
    if request.method == "POST":
        policy.authorize(request.user, policy.Action.UPDATE_OFFICER_LIST)
        if form.is_valid():
            try:
                officer_list = services.update_officer_list(actor=request.user, **form.cleaned_data)
            except ValidationError as error:
                apply_validation_error(form, error)
            else:
                messages.success(request, _("The list of deployed liaison officers is updated."))
                return redirect("networks:officer_list_detail", pk=officer_list.pk)
    search = (request.GET.get("search") or "").strip()[:100]
    page = paginate(request, selectors.officer_list_list(user=request.user, search=search or None))
    return render(
        request,
        "networks/officer_list_list.html",
        {"form": form, "page_obj": page, "search": search},
        status=422 if form is not None and form.errors else 200,
    )


def _officer_list(request, pk: int):
    policy.authorize(request.user, policy.Action.VIEW_OFFICER_LISTS)
    try:
        return selectors.officer_list_detail(user=request.user, pk=pk)
    except ObjectDoesNotExist:
        raise Http404 from None


@login_required
def officer_list_detail(request, pk: int):
    """One list: its officers (location, contacts, tasks); each page read is audited."""
    officer_list = _officer_list(request, pk)
    form = EntryFilterForm(request.GET or None)
    page = paginate(
        request,
        selectors.officer_list_entries(user=request.user, officer_list=officer_list, **form.filters()),
    )
    deployment_services.record_personal_data_read(
        actor=request.user,
        list_name=f"officer_list:{officer_list.pk}",
        page=page.number,
        rows=len(page.object_list),
        filters={k: v for k, v in request.GET.items() if k != "page"},
    )
    rows = [(e, display_phone(e.phone)) for e in page.object_list]
    return render(
        request,
        "networks/officer_list_detail.html",
        {"officer_list": officer_list, "form": form, "page_obj": page, "rows": rows},
    )


@login_required
def officer_list_networks(request, pk: int):
    """One list: its networks (composition, facilitator, activities)."""
    officer_list = _officer_list(request, pk)
    search = (request.GET.get("search") or "").strip()[:100]
    page = paginate(
        request,
        selectors.officer_list_networks(user=request.user, officer_list=officer_list, search=search or None),
        per_page=20,
    )
    deployment_services.record_personal_data_read(
        actor=request.user,
        list_name=f"officer_list_networks:{officer_list.pk}",
        page=page.number,
        rows=len(page.object_list),
        filters={"search": search} if search else {},
    )
    return render(
        request,
        "networks/officer_list_networks.html",
        {"officer_list": officer_list, "page_obj": page, "search": search},
    )


ENTRY_COLUMNS = (
    _lazy("Name"),
    _lazy("Deploying authority"),
    _lazy("Also represents"),
    _lazy("Country"),
    _lazy("City"),
    _lazy("Place of deployment"),
    _lazy("Post"),
    _lazy("Region of responsibility"),
    _lazy("Phone"),
    _lazy("E-mail address"),
    _lazy("Task summary"),
    _lazy("Networks"),
    _lazy("Start"),
    _lazy("Planned end"),
)


@login_required
def officer_list_csv(request, pk: int):
    officer_list = _officer_list(request, pk)
    entries = selectors.officer_list_entries(user=request.user, officer_list=officer_list)
    deployment_services.record_personal_data_read(
        actor=request.user, list_name=f"officer_list:{officer_list.pk}", fmt="csv"
    )

    def rows():
        for e in entries.iterator(chunk_size=500):
            yield (
                [
                    e.officer_name,
                    e.deploying_authority,
                    e.represented_states,
                    e.country.name,
                    e.city,
                    e.place_kind,
                    e.place_name,
                    e.region,
                    display_phone(e.phone),
                    e.email,
                    e.task_summary,
                    e.networks,
                    e.start_date,
                    e.planned_end_date,
                ]
            )

    return csv_response(
        rows(), header=ENTRY_COLUMNS, filename=f"ilonet-deployed-ilos-{officer_list.taken_on}.csv"
    )


@login_required
def officer_list_pdf(request, pk: int):
    """The list as a PDF for the board meeting, in the one PDF layout (``ilonet.shared.pdf``)."""
    officer_list = _officer_list(request, pk)
    entries = selectors.officer_list_entries(user=request.user, officer_list=officer_list)
    networks = selectors.officer_list_networks(user=request.user, officer_list=officer_list)
    deployment_services.record_personal_data_read(
        actor=request.user, list_name=f"officer_list:{officer_list.pk}", fmt="pdf"
    )
    context = {
        "officer_list": officer_list,
        "entries": [(e, display_phone(e.phone)) for e in entries],
        "networks": networks,
        "generated_at": timezone.now(),
    }
    pdf = render_pdf("networks/officer_list_pdf.html", context, request=request)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = (
        f'attachment; filename="ilonet-deployed-ilos-{officer_list.taken_on}.pdf"'
    )
    return response
