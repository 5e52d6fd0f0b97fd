"""Meeting invitations as iCalendar (RFC 5545), written by hand: a handful of properties,
CRLF line ends, TEXT escaping (section 3.3.11), UTC times, and lines folded at 75 octets
without splitting a UTF-8 character (section 3.1)."""

from __future__ import annotations

from datetime import UTC, datetime

from django.utils import timezone

from .models import Meeting, MeetingStatus

PRODID = "-//European Commission//ILOnet steering board//EN"


def escape_text(value: str) -> str:
    """RFC 5545 3.3.11: backslash, semicolon, comma and newline are escaped."""
    value = value.replace("\r\n", "\n").replace("\r", "\n")
    return value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def fold(line: str) -> str:
    """RFC 5545 3.1: lines longer than 75 octets are folded with CRLF and one space; a
    multi-octet UTF-8 character is never split."""
    out: list[str] = []
    current, size, limit = [], 0, 75
    for ch in line:
        width = len(ch.encode("utf-8"))
        if size + width > limit:
            out.append("".join(current))
            current, size, limit = [], 0, 74  # continuation lines start with a space
        current.append(ch)
        size += width
    out.append("".join(current))
    return "\r\n ".join(out)


def utc(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def meeting_invitation(meeting: Meeting, *, url: str = "", host: str = "ilonet", now=None) -> str:
    """A VCALENDAR with one VEVENT for the meeting. The UID is stable and SEQUENCE grows with
    every change, so a calendar replaces the earlier invitation; a cancelled meeting is sent
    with STATUS:CANCELLED."""
    agenda = "\n".join(f"{item.position}. {item.title}" for item in meeting.agenda_items.all())
    description = meeting.title + ("\n\n" + agenda if agenda else "") + (f"\n\n{url}" if url else "")
    cancelled = meeting.status == MeetingStatus.CANCELLED
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{PRODID}",
        "CALSCALE:GREGORIAN",
        f"METHOD:{'CANCEL' if cancelled else 'PUBLISH'}",
        "BEGIN:VEVENT",
        f"UID:{meeting.uid}@{host}",
        f"DTSTAMP:{utc(now or timezone.now())}",
        f"DTSTART:{utc(meeting.starts_at)}",
        f"DTEND:{utc(meeting.ends_at)}",
        f"SEQUENCE:{meeting.sequence}",
        f"SUMMARY:{escape_text(meeting.title)}",
        f"LOCATION:{escape_text(meeting.location)}",
        f"DESCRIPTION:{escape_text(description)}",
        f"STATUS:{'CANCELLED' if cancelled else 'CONFIRMED'}",
    ]
    if url:
        lines.append(f"URL:{url}")
    lines += ["END:VEVENT", "END:VCALENDAR"]
    return "".join(fold(line) + "\r\n" for line in lines)
