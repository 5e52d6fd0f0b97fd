"""Return case management for member-state return officers (RS 2(a), RS 2(b), RS 2(c)).

See docs/returns.md. Layout by seam: ``models/`` (cases, timeline events, approvals, flags,
obstacles, worklist), ``events.py`` (the registry of event kinds), ``machine.py`` (one state
machine per case type), ``services/`` (writes), ``selectors/`` (reads), ``policies.py`` (who),
``rls.py`` (row-level security on PostgreSQL), ``jobs.py`` (hand-over, reminders, erasure).
"""
