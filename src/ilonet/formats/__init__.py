"""How ILOnet writes dates and times, in every language: the day-month-year order of the EU's
Interinstitutional Style Guide (its rules on dates), never the US month-first order.

``FORMAT_MODULE_PATH = "ilonet.formats"`` (settings) makes Django's ``|date`` filter, ``{{ day }}``
in a template and ``django.utils.formats.date_format`` use these formats; what a module leaves
out falls back to Django's own locale formats. ``common`` holds the one rule, each language
module takes it over: English and Dutch differ only in the month names.

- long form, running text and description lists: ``2 December 2025``, ``2 december 2025``;
- short form, tables: ``02.12.2025`` (day.month.year with leading zeros, so a column lines up);
- times on the 24-hour clock: ``2 December 2025, 14:30``, ``02.12.2025 14:30``.

Date inputs keep the ISO value the browser's date picker needs (``ilonet.shared.widgets``), the
API and the CSV exports keep ISO 8601 (``2025-12-02``): they are read by machines and
spreadsheets, which parse ISO the same in every locale.
"""
