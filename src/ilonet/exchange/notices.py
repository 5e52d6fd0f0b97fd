"""Followers are told (through ``ilonet.jobs.notify``, in the transaction of the change) of a new
document or a new version in a space, folder or topic they follow (Art. 9(1)), and of a
situation report submitted on a topic of Art. 3(4) they follow. The notifier tells only those who
may open it; a document marked sensitive (Art. 9(1)) is listed on the site, never mailed, at
once or in a digest."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from ilonet import policy
from ilonet.jobs.notify import Audience, notify

from . import selectors
from .models import Document, DocumentVersion, Marking

A = policy.Action


def document_added(*, actor: Any, document: Document, version: DocumentVersion) -> None:
    """A new document (version 1) or a new version, told to the followers but its uploader."""
    followers = selectors.followers_of_document(document) - {actor.pk}
    if not followers:
        return
    facts = {
        "key": f"exchange.version:{version.pk}",
        "obj": document,
        "audience_action": A.VIEW_EXCHANGE,
        "recipients": Audience(user_ids=tuple(sorted(followers))),
        "context": {"title": document.title, "space": document.space.name, "version": version.number},
        "link": reverse("exchange:document_detail", args=[document.pk]),
        "site_only": document.marking == Marking.SENSITIVE,
    }
    if version.number == 1:
        notify("exchange.document_added", **facts)
    else:
        notify("exchange.version_added", **facts)


def report_submitted(*, actor: Any, report: Any) -> None:
    """A situation report submitted (Art. 3(4), Art. 5(1)(b)), told to the followers of its
    topics; the hook of ``ilonet.situation_reports.hooks``."""
    topics = sorted(report.sections.values_list("topic", flat=True))
    followers = selectors.followers_of_topics(topics) - {actor.pk}
    if not followers:
        return
    notify(
        "situation_report.submitted",
        key=f"situation_report.submitted:{report.pk}:{report.submitted_at.isoformat()}",
        obj=report,
        audience_action=A.VIEW_SITUATION_REPORTS,
        recipients=Audience(user_ids=tuple(sorted(followers))),
        context={
            "start_on": report.period_start.isoformat(),
            "end_on": report.period_end.isoformat(),
            "topics": ", ".join(f"Art. 3(4)({code})" for code in topics),
        },
        link=reverse("situation_reports:report_detail", args=[report.pk]),
    )
