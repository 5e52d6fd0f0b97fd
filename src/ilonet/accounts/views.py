from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ilonet import policy
from ilonet.policy.markers import page_for_every_signed_in_user
from ilonet.shared.forms import apply_validation_error
from ilonet.shared.paging import paginate

from . import selectors, services, step_up
from .forms import ApiTokenForm, RoleAssignmentForm, UserCreateForm, UserFilterForm, UserUpdateForm
from .models import ApiToken, RoleAssignment, RoleStatus, User


@page_for_every_signed_in_user
@login_required
def profile(request):
    """My account: organisation, roles, second factors and personal API tokens."""
    if request.method == "POST" and step_up.needs_step_up(request):
        return step_up.reauthenticate(request)
    user = selectors.user_detail(user_id=request.user.pk)
    token_form = ApiTokenForm(request.POST or None)
    new_secret = None
    if request.method == "POST" and token_form.is_valid():
        try:
            _token, new_secret = services.issue_api_token(actor=request.user, **token_form.cleaned_data)
        except ValidationError as error:
            apply_validation_error(token_form, error)
        else:
            messages.success(request, _("Token created. Copy it now: it will not be shown again."))
            token_form = ApiTokenForm()
    return render(
        request,
        "accounts/profile.html",
        {
            "profile_user": user,
            "tokens": selectors.user_tokens(user=request.user),
            "token_form": token_form,
            "new_secret": new_secret,
            "may_use_tokens": policy.can(request.user, policy.Action.USE_API_TOKENS),
            "today": timezone.localdate(),
            "step_up_minutes": settings.SECOND_FACTOR_MAX_AGE_MINUTES,
        },
        status=422 if request.method == "POST" and token_form.errors else 200,
    )


@page_for_every_signed_in_user
@login_required
@require_POST
def token_revoke(request, token_id: int):
    """Revoke one of my tokens; like issuing one, it needs a recent second factor."""
    if step_up.needs_step_up(request):
        return step_up.reauthenticate(request)
    token = get_object_or_404(ApiToken, pk=token_id, user=request.user)
    services.revoke_api_token(actor=request.user, token=token)
    messages.success(request, _("Token revoked."))
    return redirect("account_profile")


@login_required
def user_list(request):
    policy.authorize(request.user, policy.Action.VIEW_USERS)
    form = UserFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    users = selectors.user_list(
        actor=request.user, search=filters.get("search"), role=filters.get("role") or None
    )
    template = "accounts/_user_table.html" if request.htmx else "accounts/user_list.html"
    return render(
        request,
        template,
        {
            "form": form,
            "page_obj": paginate(request, users),
            "may_manage": policy.can(request.user, policy.Action.MANAGE_USERS),
        },
    )


@login_required
def user_create(request):
    policy.authorize(request.user, policy.Action.MANAGE_USERS)
    form = UserCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = services.create_user(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, _("Account created for %(email)s.") % {"email": user.email})
            return redirect("accounts:user_detail", user_id=user.pk)
    status = 422 if form.errors else 200
    return render(request, "accounts/user_form.html", {"form": form}, status=status)


@login_required
def user_detail(request, user_id: int):
    policy.authorize(request.user, policy.Action.VIEW_USERS)  # before any lookup: audited
    users = policy.scope(request.user, policy.Action.VIEW_USERS, User.objects.all())
    user = get_object_or_404(users, pk=user_id)
    may_manage = policy.can(request.user, policy.Action.MANAGE_USERS, user)
    edit_form = UserUpdateForm(
        request.POST if request.method == "POST" and "save_user" in request.POST else None,
        initial={name: getattr(user, name) for name in UserUpdateForm.base_fields},
    )
    role_form = RoleAssignmentForm(
        request.POST if request.method == "POST" and "add_role" in request.POST else None,
        initial={"valid_from": timezone.localdate(), "role": request.GET.get("role", "")},
        actor=request.user,
    )
    if request.method == "POST":
        form, action = (edit_form, "save") if "save_user" in request.POST else (role_form, "role")
        if form.is_valid():
            try:
                if action == "save":
                    services.update_user(actor=request.user, user=user, **form.cleaned_data)
                    messages.success(request, _("Account saved."))
                else:
                    grant = services.assign_role(actor=request.user, user=user, **form.cleaned_data)
                    if grant.status == RoleStatus.PENDING:
                        messages.success(
                            request, _("Role grant recorded: another administrator must confirm it.")
                        )
                    else:
                        messages.success(request, _("Role granted."))
            except ValidationError as error:
                apply_validation_error(form, error)
            else:
                return redirect("accounts:user_detail", user_id=user.pk)
    user = selectors.user_detail(user_id=user.pk)
    return render(
        request,
        "accounts/user_detail.html",
        {
            "subject": user,
            "edit_form": edit_form,
            "role_form": role_form,
            "may_manage": may_manage,
            "today": timezone.localdate(),
        },
        status=422 if request.method == "POST" else 200,
    )


@login_required
@require_POST
def role_revoke(request, user_id: int, assignment_id: int):
    policy.authorize(request.user, policy.Action.MANAGE_ROLES)  # before any lookup: audited
    assignment = get_object_or_404(RoleAssignment, pk=assignment_id, user_id=user_id)
    services.revoke_role(actor=request.user, assignment=assignment)
    messages.success(request, _("Role revoked."))
    return redirect("accounts:user_detail", user_id=user_id)


@login_required
@require_POST
def role_confirm(request, user_id: int, assignment_id: int):
    """A second administrator confirms a grant of a role that opens personal data."""
    policy.authorize(request.user, policy.Action.MANAGE_ROLES)
    assignment = get_object_or_404(RoleAssignment, pk=assignment_id, user_id=user_id)
    try:
        services.confirm_role(actor=request.user, assignment=assignment)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Role grant confirmed."))
    return redirect("accounts:user_detail", user_id=user_id)


@login_required
def pending_roles(request):
    """Grants waiting for a second administrator."""
    policy.authorize(request.user, policy.Action.MANAGE_ROLES)
    grants = selectors.pending_role_grants(actor=request.user)
    return render(request, "accounts/pending_roles.html", {"page_obj": paginate(request, grants)})
