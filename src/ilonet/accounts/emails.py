"""The invitation mail (issue 8). One function sends it, ``send_invitation_email``, and it takes
only the invitation's id: today it runs once the inviting transaction commits
(``transaction.on_commit``); it can move to a job queue as it is, with no secret in the queue.
The link's secret is made here, its digest stored, and the secret exists only in the mail."""

import logging
from datetime import datetime

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from .models import Invitation

logger = logging.getLogger(__name__)


def invitation_link(secret: str) -> str:
    """The absolute address of an invitation link (``ILONET_SITE_URL``)."""
    return settings.SITE_URL + reverse("accounts:invitation_open", args=[secret])


def set_secret(invitation: Invitation, secret: str, *, now: datetime | None = None) -> bool:
    """Store the digest of the link's secret on a pending invitation; False when it is no longer
    pending (revoked, replaced or accepted since)."""
    return bool(
        Invitation.objects.filter(pk=invitation.pk, accepted_at__isnull=True, revoked_at__isnull=True).update(
            digest=Invitation.digest_of(secret), sent_at=now or timezone.now()
        )
    )


def invitation_message(invitation: Invitation, secret: str) -> EmailMultiAlternatives:
    """The mail, plain text and HTML, in the invitation's language (the invitee's preferred
    language, else the inviter's)."""
    inviter = invitation.invited_by
    with translation.override(invitation.language):
        context = {
            "invitee": invitation.user,
            "inviter": inviter,
            "inviter_organisation": inviter.organisation.name if inviter else "",
            "link": invitation_link(secret),
            "expires_at": timezone.localtime(invitation.expires_at),
            "days": settings.INVITATION_DAYS,
            "site_url": settings.SITE_URL,
        }
        subject = " ".join(render_to_string("accounts/email/invitation_subject.txt", context).split())
        text = render_to_string("accounts/email/invitation.txt", context)
        html = render_to_string("accounts/email/invitation.html", context)
    message = EmailMultiAlternatives(
        subject=subject, body=text, from_email=settings.DEFAULT_FROM_EMAIL, to=[invitation.user.email]
    )
    message.attach_alternative(html, "text/html")
    return message


def send_invitation_email(invitation_id: int) -> bool:
    """Make the link's secret, store its digest and mail the link. Sends nothing when the
    invitation is no longer pending; a mail server that fails is logged, not raised (the
    invitation stays unsent: the administrator sees it and sends a new one)."""
    invitation = (
        Invitation.objects.select_related("user", "invited_by__organisation").filter(pk=invitation_id).first()
    )
    if invitation is None:
        return False
    secret = Invitation.new_secret()
    with transaction.atomic():
        if not set_secret(invitation, secret):
            return False
    try:
        invitation_message(invitation, secret).send()
    except OSError:  # smtplib.SMTPException is an OSError
        logger.exception("The invitation mail %s could not be sent.", invitation_id)
        Invitation.objects.filter(pk=invitation_id).update(sent_at=None)
        return False
    return True
