"""Authentication events go to the audit trail (signals carry no business rules here)."""

from allauth.mfa import signals as mfa_signals
from axes.signals import user_locked_out
from django.contrib.auth import signals as auth_signals
from django.dispatch import receiver

from ilonet.audit import services as audit
from ilonet.audit.actions import AuditAction
from ilonet.audit.models import Outcome

from .adapters import axes_username


@receiver(auth_signals.user_logged_in)
def _logged_in(sender, request, user, **kwargs):
    audit.record(action=AuditAction.AUTH_LOGGED_IN, actor=user, obj=user)


@receiver(auth_signals.user_logged_out)
def _logged_out(sender, request, user, **kwargs):
    if user is not None:
        audit.record(action=AuditAction.AUTH_LOGGED_OUT, actor=user, obj=user)


@receiver(auth_signals.user_login_failed)
def _login_failed(sender, credentials, request=None, **kwargs):
    label = axes_username(request, credentials) if request is not None else ""
    audit.record(action=AuditAction.AUTH_LOGIN_FAILED, actor_label=label, outcome=Outcome.FAILURE)


@receiver(user_locked_out)
def _locked_out(sender, request, username, ip_address, **kwargs):
    audit.record(action=AuditAction.AUTH_LOCKED_OUT, actor_label=username or "", outcome=Outcome.DENIED)


@receiver(mfa_signals.authenticator_added)
def _mfa_added(sender, request, user, authenticator, **kwargs):
    audit.record(action=AuditAction.MFA_ADDED, actor=user, obj=user, details={"type": authenticator.type})


@receiver(mfa_signals.authenticator_removed)
def _mfa_removed(sender, request, user, authenticator, **kwargs):
    audit.record(action=AuditAction.MFA_REMOVED, actor=user, obj=user, details={"type": authenticator.type})


@receiver(mfa_signals.authenticator_reset)
def _mfa_reset(sender, request, user, authenticator, **kwargs):
    audit.record(action=AuditAction.MFA_RESET, actor=user, obj=user, details={"type": authenticator.type})


@receiver(mfa_signals.authentication_failed)
def _mfa_failed(sender, request, user, authenticator=None, **kwargs):
    audit.record(
        action=AuditAction.MFA_FAILED,
        actor_label=getattr(user, "email", ""),
        outcome=Outcome.FAILURE,
        details={"type": getattr(authenticator, "type", "")},
    )
