"""Writing return cases (RS 2(a), RS 2(b), RS 2(c)): the public service API.

Every function takes ``actor`` and authorises before its transaction (or is a marked system
operation for jobs); every change writes its audit event in the same transaction, under the row
scope of ``rls.py``. Refusals are ``ValidationError`` with translated messages on the field they
concern (``kind``, ``occurred_on``, ``version``, ``approval``, ...); a refused transition carries
``.rule``; a stale ``version`` raises ``derive.StaleVersion`` naming the other change.

- ``cases.open_case(actor, case_type, third_country, person, member_state="", opened_on=None, reference="")``
- ``cases.update_identity(actor, case, person, version=None)`` (automatic hold)
- ``timeline.record_event(actor, case, kind, fields=None, occurred_on=None, version=None, supersedes=None)``
- ``timeline.retract_event(actor, case, seq, version=None)``
- ``approvals.approve_step(actor, approval, version=None)``,
  ``approvals.refuse_step(actor, approval, reason, ...)``,
  ``approvals.revoke_approval(actor, approval, reason, version=None)``
- ``flags.set_flag(actor, case, kind, version=None)``, ``flags.clear_flag(...)``
- ``flags.flag_obstacle(actor, kind, case=None, third_country="", member_state="")``,
  ``flags.resolve_obstacle(...)``
- system (jobs): ``timeline.hand_over_expired_departures(today)``, ``cases.erase_due_cases(today)``,
  ``reminders.remind_detention_reviews(today)``

``case`` is a ``ReturnCase`` or its reference; ``approval`` an ``Approval`` or its id.
"""
