from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from ilonet import policy
from ilonet.shared.forms import apply_validation_error
from ilonet.shared.paging import paginate

from . import selectors, services
from .forms import AuthorityCreateForm, OrganisationEditForm, OrganisationFilterForm
from .models import Organisation, OrganisationKind


@login_required
def organisation_list(request):
    policy.authorize(request.user, policy.Action.VIEW_DIRECTORY)
    form = OrganisationFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    organisations = selectors.organisation_list(
        user=request.user, kind=filters.get("kind") or None, search=filters.get("search")
    )
    # By name in the active language: ISO codes sort Czechia, Germany, Denmark.
    page = paginate(request, selectors.sorted_by_name(organisations, by_kind=True))
    template = "directory/_organisation_table.html" if request.htmx else "directory/organisation_list.html"
    return render(request, template, {"form": form, "page_obj": page})


@login_required
def organisation_detail(request, code: str):
    policy.authorize(request.user, policy.Action.VIEW_DIRECTORY)  # refused, not an empty 404
    qs = policy.scope(request.user, policy.Action.VIEW_DIRECTORY, Organisation.objects.all())
    organisation = get_object_or_404(selectors.with_participation(qs.select_related("parent")), code=code)
    children = selectors.sorted_by_name(qs.filter(parent=organisation))
    return render(
        request,
        "directory/organisation_detail.html",
        {
            "organisation": organisation,
            "children": children,
            "participation_changes": selectors.participation_changes(organisation).exclude(
                effective_from__year=1
            ),
            "may_manage": policy.can(request.user, policy.Action.MANAGE_DIRECTORY, organisation),
        },
    )


@login_required
def organisation_edit(request, code: str):
    policy.authorize(request.user, policy.Action.MANAGE_DIRECTORY)  # before any lookup: audited
    organisation = get_object_or_404(Organisation, code=code)
    policy.authorize(request.user, policy.Action.MANAGE_DIRECTORY, organisation)
    initial = {name: getattr(organisation, name) for name in OrganisationEditForm.base_fields}
    form = OrganisationEditForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_organisation(actor=request.user, organisation=organisation, **form.cleaned_data)
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, _("Organisation saved."))
            return redirect("directory:organisation_detail", code=organisation.code)
    return render(request, "directory/organisation_form.html",
                  {"form": form, "organisation": organisation},
                  status=422 if form.errors else 200)  # fmt: skip


@login_required
def authority_create(request, code: str):
    """Add a national authority under a member state (Art. 1(2): deploying authorities)."""
    policy.authorize(request.user, policy.Action.MANAGE_DIRECTORY)  # before any lookup: audited
    state = get_object_or_404(
        Organisation, code=code,
        kind__in=[OrganisationKind.MEMBER_STATE, OrganisationKind.SCHENGEN_ASSOCIATED],
    )  # fmt: skip
    policy.authorize(request.user, policy.Action.MANAGE_DIRECTORY, state)
    form = AuthorityCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            authority = services.create_organisation(
                actor=request.user, kind=OrganisationKind.NATIONAL_AUTHORITY, parent=state,
                country=state.country, takes_part_in_ilo_regulation=state.takes_part_in_ilo_regulation,
                **form.cleaned_data,
            )  # fmt: skip
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, _("Authority added."))
            return redirect("directory:organisation_detail", code=authority.code)
    return render(request, "directory/organisation_form.html",
                  {"form": form, "organisation": state, "creating": True},
                  status=422 if form.errors else 200)  # fmt: skip
