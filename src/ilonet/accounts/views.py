from allauth.account.internal.flows.login import record_authentication
from allauth.account.utils import perform_login
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import SetPasswordForm
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from ilonet import policy
from ilonet.policy.markers import page_for_every_signed_in_user, public_page
from ilonet.shared.forms import apply_validation_error
from ilonet.shared.paging import paginate

from . import selectors, services, step_up, throttle
from .forms import ApiTokenForm, RoleAssignmentForm, UserCreateForm, UserFilterForm, UserUpdateForm
from .middleware import SETUP_URL_NAME
from .models import ApiToken, Invitation, InvitationStatus, RoleAssignment, RoleStatus, User


@page_for_every_signed_in_user
@login_required
@require_GET
def email_address(request):
    """The person's own e-mail page (in place of allauth's, which would let anyone add an
    address and make it their sign-in identity, unverified and unaudited): it shows the address;
    an administrator changes it (``services.update_user``, audited)."""
    return render(request, "accounts/email_address.html")


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
        values = dict(form.cleaned_data)
        invite = values.pop("send_invitation")
        try:
            if invite:
                user = services.invite_user(actor=request.user, **values)
            else:
                user = services.create_user(actor=request.user, **values)
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            if invite:
                messages.success(
                    request,
                    _("Account created for %(email)s; an invitation is sent.") % {"email": user.email},
                )
            else:
                messages.success(request, _("Account created for %(email)s.") % {"email": user.email})
            return redirect("accounts:user_detail", user_id=user.pk)
    status = 422 if form.errors else 200
    return render(
        request,
        "accounts/user_form.html",
        {"form": form, "invitation_days": settings.INVITATION_DAYS},
        status=status,
    )


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
            "invitation": selectors.latest_invitation(user=user),
            "may_invite": policy.can(request.user, policy.Action.INVITE_USERS, user),
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


# --- invitations ------------------------------------------------------------------------------

INVITATION_SESSION_KEY = "ilonet_invitation_secret"


def _invitation_refused(request, status: str, invitation=None):
    """One page for every link that opens nothing: it names no account (no enumeration)."""
    throttle.note_failure(request)
    if invitation is not None:
        services.note_refused_invitation(invitation=invitation, status=status)
    request.session.pop(INVITATION_SESSION_KEY, None)
    return render(request, "accounts/invitation_invalid.html", {"status": status})


@public_page
def invitation_open(request, secret: str):
    """The link in the mail. The secret goes into the session and the page continues at an
    address without it, so it cannot leak through the Referer header or a shared screen."""
    if throttle.is_blocked(request):
        return render(request, "accounts/invitation_invalid.html", {"status": "throttled"}, status=429)
    status, invitation = selectors.invitation_by_secret(secret)
    if status != InvitationStatus.PENDING:
        return _invitation_refused(request, status, invitation)
    request.session[INVITATION_SESSION_KEY] = secret
    return redirect("accounts:invitation_accept")


@public_page
@never_cache
def invitation_accept(request):
    """Set a password (Django's password rules); then sign in and add a second factor, the only
    page open until one is added (``RequireSecondFactorMiddleware``)."""
    if throttle.is_blocked(request):
        return render(request, "accounts/invitation_invalid.html", {"status": "throttled"}, status=429)
    secret = request.session.get(INVITATION_SESSION_KEY, "")
    status, invitation = selectors.invitation_by_secret(secret)
    if invitation is None or status != InvitationStatus.PENDING:
        return _invitation_refused(request, status, invitation)
    invitee = invitation.user
    if request.user.is_authenticated and request.user.pk != invitee.pk:
        return render(request, "accounts/invitation_signed_in.html", {"signed_in_as": request.user})
    form = SetPasswordForm(invitee, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = services.accept_invitation(secret=secret, password=form.cleaned_data["new_password1"])
        except ValidationError as error:
            if getattr(error, "code", None) == "invalid_invitation":
                return _invitation_refused(request, InvitationStatus.ACCEPTED)
            apply_validation_error(form, error)
        else:
            request.session.pop(INVITATION_SESSION_KEY, None)
            record_authentication(request, user, method="password", email=user.email)
            return perform_login(request, user, redirect_url=reverse(SETUP_URL_NAME))
    return render(
        request,
        "accounts/invitation_accept.html",
        {"form": form, "invitee": invitee, "expires_at": invitation.expires_at},
        status=422 if form.errors else 200,
    )


@login_required
@require_POST
def invitation_resend(request, user_id: int):
    """Send a new invitation (the earlier links stop working)."""
    policy.authorize(request.user, policy.Action.INVITE_USERS)  # before any lookup: audited
    user = get_object_or_404(User, pk=user_id)
    try:
        services.resend_invitation(actor=request.user, user=user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("A new invitation was sent to %(email)s.") % {"email": user.email})
    return redirect("accounts:user_detail", user_id=user.pk)


@login_required
@require_POST
def invitation_revoke(request, user_id: int, invitation_id: int):
    policy.authorize(request.user, policy.Action.INVITE_USERS)  # before any lookup: audited
    invitation = get_object_or_404(
        Invitation.objects.select_related("user"), pk=invitation_id, user_id=user_id
    )
    try:
        services.revoke_invitation(actor=request.user, invitation=invitation)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Invitation revoked: its link no longer works."))
    return redirect("accounts:user_detail", user_id=user_id)
