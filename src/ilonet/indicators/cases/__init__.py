"""Indicators from return-case data (issue 14): per-case facts folded from the timelines of
``ilonet.returns`` (``measures``), the counters and figures kept fresh by a job every minute and
rebuilt from scratch on demand (``fold``), aggregates submitted by member states that keep their
own systems (``submitted``), and the reconciliation with Eurostat (``reconcile``)."""
