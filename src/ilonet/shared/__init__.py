"""Shared building blocks: encryption at rest, exports, form rendering, paging, PDF, text
cleaning, widgets, client address, response rules. They know no domain app and no site page;
every app may use them (import-linter holds this in ``make test``)."""
