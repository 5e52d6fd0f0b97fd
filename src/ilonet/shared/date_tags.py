"""Template filters that write a date the EU way (``ilonet.formats``) inside an HTML ``<time>``
element that carries the ISO value for machines (screen readers, browsers, search):

- ``{{ day|long_date }}``: ``<time datetime="2025-12-02">2 December 2025</time>``, for text;
- ``{{ day|short_date }}``: ``<time datetime="2025-12-02">02.12.2025</time>``, for tables;
- ``{{ moment|long_datetime }}``, ``{{ moment|short_datetime }}``: the same with the time, in
  the platform's time zone.

They take dates, datetimes and ISO strings (the snapshots of notifications and lists), and give
"" for an empty value, so ``|default:"–"`` still works. A built-in of the template engine
(settings ``TEMPLATES``): no ``{% load %}`` needed. ``{{ value|iso_or_text }}`` shows an ISO
date string as a short date and any other value as it is (the "what changed" columns)."""

from html import escape

from django import template
from django.utils.safestring import SafeString

from . import dates

register = template.Library()


def _time(iso: str, text: str) -> str:
    # format_html's lazy machinery cost a tenth of a table of dates (issue 9): the same escaping
    # (an ISO value and a formatted date), written out.
    return SafeString(f'<time datetime="{escape(iso)}">{escape(text)}</time>') if text else ""


@register.filter
def long_date(value) -> str:
    day = dates.as_date(value)
    return _time(day.isoformat(), dates.long_date(day)) if day else ""


@register.filter
def short_date(value) -> str:
    day = dates.as_date(value)
    return _time(day.isoformat(), dates.short_date(day)) if day else ""


@register.filter
def long_datetime(value) -> str:
    moment = dates.as_local_datetime(value)
    return _time(moment.isoformat(timespec="minutes"), dates.long_datetime(moment)) if moment else ""


@register.filter
def short_datetime(value) -> str:
    moment = dates.as_local_datetime(value)
    return _time(moment.isoformat(timespec="minutes"), dates.short_datetime(moment)) if moment else ""


@register.filter
def iso_or_text(value):
    """A value of a notified change: an ISO date (``2025-12-02``) is shown as a date."""
    if isinstance(value, str) and len(value) == 10 and dates.as_date(value):
        return short_date(value)
    return value
