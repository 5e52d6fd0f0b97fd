"""Pages of the spaces and folders (Art. 9(1)): lists, filters, folders, ZIP downloads, the bin,
working groups and their members."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ilonet import policy
from ilonet.accounts import selectors as accounts
from ilonet.shared.forms import apply_validation_error
from ilonet.shared.paging import paginate
from ilonet.shared.uploads import zip_response

from .. import access, selectors, services
from ..forms import FilterForm, FolderForm, MemberForm, WorkingGroupForm
from ..models import SpaceKind
from .common import A, exchange_view, found, space_context


@exchange_view
def space_list(request):
    user = request.user
    spaces = list(selectors.spaces_for(user=user))
    counts = selectors.document_counts(user=user, space_ids=[s.pk for s in spaces])
    rows = [(s, counts.get(s.pk, 0)) for s in spaces]
    openings = selectors.openings_for(user=user) if selectors.parliament_reader(user) else []
    return render(
        request,
        "exchange/space_list.html",
        {
            "rows": rows,
            "openings": openings,
            "may_create": policy.can(user, A.MANAGE_SPACES),
            "may_open": policy.can(user, A.OPEN_TO_PARLIAMENT),
            "may_authorise": policy.can(user, A.AUTHORISE_GUARD_OVERRIDES),
            "is_reader": selectors.parliament_reader(user),
        },
    )


def _contents(request, space, folder):
    form = FilterForm(request.GET or None)
    folders, documents = selectors.folder_contents(
        user=request.user, space=space, folder=folder, filters=form.filters()
    )
    page = paginate(request, documents)
    context = {
        **space_context(request, space),
        "folder": folder,
        "path": selectors.folder_path(user=request.user, folder=folder),
        "folders": folders,
        "page_obj": page,
        "form": form,
        "folder_form": FolderForm(),
        "following": selectors.is_following(
            user=request.user, space=None if folder else space, folder=folder
        ),
    }
    template = "exchange/_documents.html" if request.htmx else "exchange/space_detail.html"
    return render(request, template, context)


@exchange_view
def space_detail(request, pk: int):
    space = found(selectors.space_detail, user=request.user, pk=pk)
    return _contents(request, space, None)


@exchange_view
def folder_detail(request, pk: int):
    folder = found(selectors.folder_detail, user=request.user, pk=pk)
    return _contents(request, folder.space, folder)


def _zip(request, space, folder):
    entries, ids = selectors.zip_entries(user=request.user, space=space, folder=folder)
    services.record_folder_download(actor=request.user, space=space, folder=folder, documents=ids)
    name = folder.name if folder else space.name
    return zip_response(
        check=lambda: policy.authorize(request.user, A.VIEW_EXCHANGE, folder or space),
        entries=entries,
        filename=f"{name[:80]}.zip",
    )


@exchange_view
def space_zip(request, pk: int):
    space = found(selectors.space_detail, user=request.user, pk=pk)
    return _zip(request, space, None)


@exchange_view
def folder_zip(request, pk: int):
    folder = found(selectors.folder_detail, user=request.user, pk=pk)
    return _zip(request, folder.space, folder)


@require_POST  # a form's target: a GET answers 405 before any policy question
@exchange_view
def folder_create(request, pk: int):
    space = found(selectors.space_detail, user=request.user, pk=pk)
    policy.authorize(request.user, A.MANAGE_SPACE, space)
    parent_id = request.POST.get("parent") or None
    parent = (
        found(selectors.folder_detail, user=request.user, pk=int(parent_id))
        if parent_id and parent_id.isdigit()
        else None
    )
    form = FolderForm(request.POST)
    if form.is_valid():
        try:
            folder = services.create_folder(
                actor=request.user, space=space, parent=parent, name=form.cleaned_data["name"]
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Folder created."))
            return redirect("exchange:folder_detail", pk=folder.pk)
    else:
        messages.error(request, " ".join(e for errs in form.errors.values() for e in errs))
    return (
        redirect("exchange:folder_detail", pk=parent.pk)
        if parent
        else redirect("exchange:space_detail", pk=space.pk)
    )


@require_POST  # a form's target: a GET answers 405 before any policy question
@exchange_view
def folder_delete(request, pk: int):
    folder = found(selectors.managed_folder, user=request.user, pk=pk)
    services.delete_folder(actor=request.user, folder=folder)
    messages.success(
        request, _("The folder and what it holds were deleted; you can restore them from the bin.")
    )
    return redirect("exchange:space_detail", pk=folder.space_id)


@require_POST  # a form's target: a GET answers 405 before any policy question
@exchange_view
def folder_restore(request, pk: int):
    folder = found(selectors.managed_folder, user=request.user, pk=pk)
    try:
        services.restore_folder(actor=request.user, folder=folder)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Folder restored."))
    return redirect("exchange:space_bin", pk=folder.space_id)


@exchange_view
def space_bin(request, pk: int):
    space = found(selectors.space_detail, user=request.user, pk=pk)
    policy.authorize(request.user, A.MANAGE_SPACE, space)
    folders, documents = selectors.deleted_in(user=request.user, space=space)
    return render(
        request,
        "exchange/space_bin.html",
        {
            **space_context(request, space),
            "deleted_folders": folders,
            "deleted_documents": documents,
        },
    )


@exchange_view
def working_group_create(request):
    policy.authorize(request.user, A.MANAGE_SPACES)
    form = WorkingGroupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            space = services.create_working_group(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, _("Working group created: add its members."))
            return redirect("exchange:space_members", pk=space.pk)
    status = 422 if form.is_bound else 200
    return render(
        request, "exchange/form.html", {"form": form, "title": _("New working group")}, status=status
    )


def _member_candidates():
    return accounts.active_users_with_roles(roles=access.EXCHANGE_ROLES)


@exchange_view
def space_members(request, pk: int):
    space = found(selectors.space_detail, user=request.user, pk=pk)
    policy.authorize(request.user, A.MANAGE_SPACE, space)
    if space.kind != SpaceKind.WORKING_GROUP:
        return redirect("exchange:space_detail", pk=pk)
    form = MemberForm(request.POST or None, users=_member_candidates())
    if request.method == "POST":
        if request.POST.get("remove"):
            user = (
                found(_member_candidates().get, pk=request.POST["remove"])
                if request.POST["remove"].isdigit()
                else None
            )
            if user is not None:
                services.remove_member(actor=request.user, space=space, user=user)
                messages.success(request, _("Member removed."))
            return redirect("exchange:space_members", pk=pk)
        if form.is_valid():
            try:
                services.add_member(actor=request.user, space=space, **form.cleaned_data)
            except ValidationError as error:
                apply_validation_error(form, error)
            else:
                messages.success(request, _("Member added."))
                return redirect("exchange:space_members", pk=pk)
    members = space.members.select_related("user").order_by("user__last_name")
    status = 422 if form.is_bound and form.errors else 200
    return render(
        request,
        "exchange/space_members.html",
        {**space_context(request, space), "form": form, "members": members},
        status=status,
    )
