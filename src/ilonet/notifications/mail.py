"""Sending the outbox: each ``OutboxMail`` reaches the SMTP server once.

``send_outbox(ids)`` (run by the job ``jobs.send_mail``, never in a request):

1. A mail is **claimed** before it is handed to the SMTP server (``pending`` → ``sending``,
   an atomic conditional update: two workers never both get it) and **marked sent** once the
   server accepted it, in the same commit as the next claims. Mails go out over
   ``NOTIFICATION_SMTP_CONNECTIONS`` connections at once (threads that only talk SMTP; the
   database work stays in the job's thread), a round of one mail per connection at a time.
   A job retried after a failure sends only what is still pending.
2. **The SMTP server is down or refuses for now** (connection refused, timeout, a 4xx reply):
   the mail goes back to ``pending`` and the job fails, so the queue retries it with backoff
   (``ilonet.jobs``); nothing is lost, nothing already sent is sent again.
3. **The server refuses for good** (a 5xx reply for that recipient): that mail is ``failed``
   with the server's answer, and the others go on.
4. **A worker killed between handing a mail over and marking it sent** leaves it ``sending``:
   the server may have it, so it is not sent again. After ``STALE_SECONDS`` the sweep
   (``jobs.sweep_outbox``) marks it ``failed`` with that explanation (at most two rounds of
   mails per killed worker; the notification itself is on the site). Each mail carries a Message-ID made
   from its key, so a mail server or client can recognise a duplicate too.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import smtplib
import uuid
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import timedelta
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.core.mail.backends.smtp import EmailBackend as SMTPBackend
from django.core.mail.message import sanitize_address
from django.db import transaction
from django.db.models import F
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from . import kinds
from .models import MailState, Notification, OutboxMail

STALE_SECONDS = 900
INTERRUPTED = (
    "Interrupted while it was handed to the mail server: it may have been delivered, so it is not "
    "sent again (the notification is on the site)."
)


class MailServerUnavailable(RuntimeError):
    """The SMTP server is down or refused for now: the job is retried with backoff."""


@dataclass(frozen=True)
class Rendered:
    subject: str
    text: str
    html: str


def _absolute(path: str) -> str:
    return settings.SITE_URL + path if path.startswith("/") else path


def _message_id(key: str) -> str:
    host = urlsplit(settings.SITE_URL).hostname or "ilonet"
    return f"<ilonet.{hashlib.sha256(key.encode()).hexdigest()[:40]}@{host}>"


def _common() -> dict[str, Any]:
    return {
        "site_url": settings.SITE_URL,
        "centre_url": _absolute(reverse("notifications:list")),
        "preferences_url": _absolute(reverse("notifications:preferences")),
    }


def render_notification(notification: Notification, language: str) -> Rendered:
    """One notification's mail in ``language``: the same for everyone who gets it in that
    language (it names nobody, the recipient included)."""
    with translation.override(language):
        context = {
            **_common(),
            "label": kinds.label(notification.kind),
            "text": kinds.render(notification.kind, notification.params),
            "link": _absolute(notification.link) if notification.link else "",
        }
        return Rendered(
            subject=" ".join(render_to_string("notifications/email/subject.txt", context).split()),
            text=render_to_string("notifications/email/notification.txt", context),
            html=render_to_string("notifications/email/notification.html", context),
        )


def render_digest(notifications: list[Notification], language: str, day) -> Rendered:
    with translation.override(language):
        items = [
            {
                "label": kinds.label(n.kind),
                "text": kinds.render(n.kind, n.params),
                "link": _absolute(n.link) if n.link else "",
                "created_at": n.created_at,
            }
            for n in notifications
        ]
        context = {**_common(), "items": items, "count": len(items), "day": day}
        return Rendered(
            subject=" ".join(render_to_string("notifications/email/digest_subject.txt", context).split()),
            text=render_to_string("notifications/email/digest.txt", context),
            html=render_to_string("notifications/email/digest.html", context),
        )


def _language(user) -> str:
    wanted = getattr(user, "preferred_language", "") or settings.LANGUAGE_CODE
    return wanted if wanted in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE


PLACEHOLDER_TO = "recipient@placeholder.invalid"
PLACEHOLDER_ID = "<placeholder@placeholder.invalid>"


class _Renderer:
    """Renders each (notification content, language) once per job: a fan-out of one event to
    thousands of people renders two mails, English and Dutch. For Django's SMTP backend the
    MIME text is made once too, and only its To and Message-ID differ per recipient."""

    def __init__(self) -> None:
        self.cache: dict[tuple, Rendered] = {}
        self.raw: dict[tuple, bytes] = {}

    def _rendered(self, mail: OutboxMail) -> tuple[tuple, Rendered]:
        language = _language(mail.recipient)
        if mail.is_digest:
            digested = list(Notification.objects.filter(digest=mail).order_by("created_at", "pk"))
            return ("digest", mail.pk), render_digest(digested, language, mail.digest_day)
        n = mail.notification
        assert n is not None
        key = (n.kind, json.dumps(n.params, sort_keys=True, default=str), n.link, language)
        if key not in self.cache:
            self.cache[key] = render_notification(n, language)
        return key, self.cache[key]

    @staticmethod
    def _build(rendered: Rendered, to: str, message_id: str) -> EmailMultiAlternatives:
        message = EmailMultiAlternatives(
            subject=rendered.subject, body=rendered.text, from_email=settings.DEFAULT_FROM_EMAIL,
            to=[to], headers={"Message-ID": message_id},
        )  # fmt: skip
        message.attach_alternative(rendered.html, "text/html")
        return message

    def message(self, mail: OutboxMail) -> EmailMultiAlternatives:
        return self._build(self._rendered(mail)[1], mail.recipient.email, _message_id(mail.key))

    def prepare(self, connection, mail: OutboxMail) -> Callable[[], Any]:
        """Everything but the network, here (templates, the database): the returned function
        only hands the mail to the connection, and may run in another thread. Django's
        ``send_messages``, or, on Django's SMTP backend with an ASCII address, the same bytes
        ``send_messages`` would send (made once per content and language) through the
        backend's open SMTP connection."""
        address = mail.recipient.email
        smtp = getattr(connection, "connection", None)
        if (
            not isinstance(connection, SMTPBackend)
            or smtp is None
            or not address.isascii()
            or "\n" in address
        ):
            message = self.message(mail)
            return lambda: connection.send_messages([message])
        key, rendered = self._rendered(mail)
        if key not in self.raw:
            self.raw[key] = (
                self._build(rendered, PLACEHOLDER_TO, PLACEHOLDER_ID).message().as_bytes(linesep="\r\n")
            )
        data = self.raw[key].replace(PLACEHOLDER_TO.encode(), address.encode(), 1)
        data = data.replace(PLACEHOLDER_ID.encode(), _message_id(mail.key).encode(), 1)
        encoding = settings.DEFAULT_CHARSET
        sender, recipient = (
            sanitize_address(settings.DEFAULT_FROM_EMAIL, encoding),
            sanitize_address(address, encoding),
        )
        return lambda: smtp.sendmail(sender, [recipient], data)


def _deliver(send: Callable[[], Any]) -> BaseException | None:
    try:
        send()
    except Exception as error:  # noqa: BLE001  (judged by the caller: for now, or for good)
        return error
    return None


def _temporary(error: BaseException) -> bool:
    """A refusal for now (4xx) or a server that cannot be reached; 5xx refusals are final."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        return any(code < 500 for code, _msg in error.recipients.values())
    if isinstance(error, smtplib.SMTPResponseException):
        return error.smtp_code < 500
    return True  # SMTPServerDisconnected, connection refused, timeouts: try again later


def _claim(mails: list[OutboxMail]) -> list[OutboxMail]:
    """The mails of ``mails`` this job now holds (``pending`` → ``sending``, in one update
    marked with a token of this claim); inside a transaction."""
    token = f"claimed {uuid.uuid4().hex}"
    pks = [mail.pk for mail in mails]
    taken = OutboxMail.objects.filter(pk__in=pks, state=MailState.PENDING).update(
        state=MailState.SENDING, attempts=F("attempts") + 1, sent_at=timezone.now(), error=token
    )
    if taken == len(mails):
        return list(mails)
    ours = set(OutboxMail.objects.filter(pk__in=pks, error=token).values_list("pk", flat=True))
    return [mail for mail in mails if mail.pk in ours]  # another job took the others meanwhile


def _mark_sent(pks: list[int]) -> int:
    if not pks:
        return 0
    return OutboxMail.objects.filter(pk__in=pks).update(
        state=MailState.SENT, sent_at=timezone.now(), error=""
    )


def _close(connections) -> None:
    for connection in connections:
        with contextlib.suppress(Exception):  # a server that went away while closing
            connection.close()


def send_outbox(ids: list[int]) -> dict[str, int]:
    """Send the pending mails among ``ids`` (see the module's docstring); counts per outcome.
    Raises ``MailServerUnavailable`` when the server is down or refuses for now."""
    counts = {"sent": 0, "failed": 0, "skipped": 0}
    mails = list(
        OutboxMail.objects.filter(pk__in=ids, state=MailState.PENDING)
        .select_related("recipient", "notification")
        .order_by("pk")
    )
    counts["skipped"] = len(ids) - len(mails)
    if not mails:
        return counts
    renderer = _Renderer()
    connections = [get_connection(fail_silently=False)]
    if isinstance(connections[0], SMTPBackend):
        connections += [
            get_connection(fail_silently=False)
            for _ in range(max(settings.NOTIFICATION_SMTP_CONNECTIONS, 1) - 1)
        ]
    try:
        for connection in connections:
            connection.open()
    except Exception as error:  # the server is down: nothing was claimed
        _close(connections)
        raise MailServerUnavailable(f"{type(error).__name__}: {error}") from error
    pool = ThreadPoolExecutor(len(connections)) if len(connections) > 1 else None
    handed_over: list[int] = []  # taken by the server, marked sent with the next claims
    for_now: BaseException | None = None
    try:
        for start in range(0, len(mails), len(connections)):
            chunk = mails[start : start + len(connections)]
            with transaction.atomic():  # one commit per round: the last ones sent, these claimed
                counts["sent"] += _mark_sent(handed_over)
                handed_over = []
                claimed = _claim(chunk)
            counts["skipped"] += len(chunk) - len(claimed)  # taken by another job meanwhile
            pairs = zip(connections, claimed, strict=False)
            sends = [renderer.prepare(connection, mail) for connection, mail in pairs]
            outcomes = list(pool.map(_deliver, sends) if pool else map(_deliver, sends))
            for mail, failure in zip(claimed, outcomes, strict=True):
                if failure is None:
                    handed_over.append(mail.pk)
                    continue
                text = f"{type(failure).__name__}: {failure}"[:2000]
                if _temporary(failure):
                    OutboxMail.objects.filter(pk=mail.pk).update(
                        state=MailState.PENDING, error=text, sent_at=None
                    )
                    for_now = failure
                else:
                    OutboxMail.objects.filter(pk=mail.pk).update(
                        state=MailState.FAILED, error=text, sent_at=None
                    )
                    counts["failed"] += 1
            if for_now is not None:
                break
        counts["sent"] += _mark_sent(handed_over)
        handed_over = []
    finally:
        if pool is not None:
            pool.shutdown()
        _close(connections)
    if for_now is not None:
        raise MailServerUnavailable(f"{type(for_now).__name__}: {for_now}") from for_now
    return counts


def fail_interrupted(*, now=None) -> int:
    """Mails left ``sending`` longer than ``STALE_SECONDS`` (their worker died between handing
    them over and recording it): ``failed``, never sent again."""
    cutoff = (now or timezone.now()) - timedelta(seconds=STALE_SECONDS)
    return OutboxMail.objects.filter(state=MailState.SENDING, sent_at__lt=cutoff).update(
        state=MailState.FAILED, error=INTERRUPTED, sent_at=None
    )
