"""Notifications (one row per recipient and event), the outbox of mail to send, and each user's
preference per kind of notification."""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _


class Delivery(models.TextChoices):
    """How a user wants a kind of notification by e-mail (it is listed on the site either way)."""

    IMMEDIATE = "immediate", _("At once")
    DIGEST = "digest", _("In a daily digest")
    OFF = "off", _("Not by e-mail")


class MailPlan(models.TextChoices):
    """What was decided for one notification's e-mail when it was made."""

    IMMEDIATE = "immediate", _("At once")
    DIGEST = "digest", _("In the daily digest")
    NONE = "none", _("No e-mail")


class Notification(models.Model):
    """One event told to one recipient. It keeps a reference to its subject and the parameters
    of its text (ids, codes, dates), never rendered text: the text is made in the reader's
    language when shown or mailed (``kinds.render``)."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recipient"), on_delete=models.CASCADE,
        related_name="notifications",
    )  # fmt: skip
    kind = models.CharField(_("kind"), max_length=64)
    key = models.CharField(_("event key"), max_length=200)
    subject_type = models.ForeignKey(
        ContentType, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    subject_id = models.PositiveBigIntegerField(null=True, blank=True)
    link = models.CharField(_("link"), max_length=300, blank=True)
    params = models.JSONField(_("parameters"), default=dict, blank=True)
    created_at = models.DateTimeField(_("created at"))
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)
    mail = models.CharField(_("e-mail"), max_length=10, choices=MailPlan.choices, default=MailPlan.NONE)
    digest = models.ForeignKey(
        "OutboxMail", on_delete=models.SET_NULL, null=True, blank=True, related_name="digested"
    )

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["key", "recipient"], name="notification_once_per_recipient")
        ]
        indexes = [
            models.Index(fields=["recipient", "read_at"], name="notification_unread"),
            models.Index(fields=["recipient", "-created_at"], name="notification_recent"),
            models.Index(fields=["mail", "digest"], name="notification_digest_due"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} → {self.recipient_id}"


class MailState(models.TextChoices):
    PENDING = "pending", _("Waiting to be sent")
    SENDING = "sending", _("Being sent")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")


class OutboxMail(models.Model):
    """One e-mail to send, once: its ``key`` is unique (the event's key and the recipient, or
    the digest's day and the recipient), and it is claimed (``sending``) before the SMTP
    server gets it and marked ``sent`` right after (``mail.send_outbox``)."""

    key = models.CharField(_("key"), max_length=255, unique=True)
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recipient"), on_delete=models.CASCADE, related_name="+"
    )
    notification = models.ForeignKey(
        Notification, on_delete=models.CASCADE, null=True, blank=True, related_name="mails"
    )
    is_digest = models.BooleanField(_("digest"), default=False)
    digest_day = models.DateField(_("digest of"), null=True, blank=True)
    state = models.CharField(_("state"), max_length=10, choices=MailState.choices, default=MailState.PENDING)
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    error = models.TextField(_("error"), blank=True)
    created_at = models.DateTimeField(_("created at"))
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)

    class Meta:
        verbose_name = _("outgoing e-mail")
        verbose_name_plural = _("outgoing e-mails")
        indexes = [models.Index(fields=["state", "created_at"], name="outbox_state")]

    def __str__(self) -> str:
        return self.key


class Preference(models.Model):
    """A user's choice for one kind; without a row, the kind's default (at once)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preferences"
    )
    kind = models.CharField(_("kind"), max_length=64)
    delivery = models.CharField(_("by e-mail"), max_length=10, choices=Delivery.choices)

    class Meta:
        verbose_name = _("notification preference")
        verbose_name_plural = _("notification preferences")
        constraints = [models.UniqueConstraint(fields=["user", "kind"], name="preference_once_per_kind")]

    def __str__(self) -> str:
        return f"{self.user_id} {self.kind}: {self.delivery}"
