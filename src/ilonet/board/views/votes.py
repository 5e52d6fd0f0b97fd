"""Voting, proxies, statements and the record of a vote (Art. 7(3), Art. 7(4), Art. 7(8), Art. 8(1))."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_POST

from ilonet import policy
from ilonet.audit.actions import AuditAction
from ilonet.shared import pdf
from ilonet.shared.forms import apply_validation_error
from ilonet.shared.text import attachment

from .. import forms as board_forms
from .. import selectors, services
from .common import A, _csv, board_view
from .motions import _get_motion, _motion_context, _motion_error


@board_view
@require_POST
def motion_vote(request, pk: int):
    """Cast a vote (Art. 7(8)). A secret ballot's receipt is shown in this response only."""
    policy.authorize(request.user, A.VIEW_BOARD)
    motion = _get_motion(request, pk)
    voter = selectors.voter_view(user=request.user, motion=motion)
    form = board_forms.VoteForm(
        request.POST, own_seat=voter.seat if voter.may_vote else None, proxies=voter.proxies
    )
    if form.is_valid():
        seat_id = form.cleaned_data.get("on_behalf_of")
        on_behalf_of = None
        if seat_id:
            on_behalf_of = next((p.grantor_seat for p in voter.proxies if p.grantor_seat_id == seat_id), None)
            if on_behalf_of is None:
                form.add_error("on_behalf_of", _("You hold no proxy for this seat."))
                return _motion_error(request, motion, "vote_form", form)
        try:
            cast = services.cast_vote(
                actor=request.user,
                motion=motion,
                choice=form.cleaned_data["choice"],
                on_behalf_of=on_behalf_of,
            )
        except PermissionDenied as error:
            form.add_error(None, str(error))
            return render(
                request,
                "board/motion_detail.html",
                _motion_context(request, _get_motion(request, pk), vote_form=form),
                status=403,
            )
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            if cast.receipt:
                context = _motion_context(request, _get_motion(request, pk), receipt=cast.receipt)
                context["receipt_fingerprint"] = selectors.receipt_fingerprint(cast.receipt)[:16]
                response = render(request, "board/motion_detail.html", context)
                response["Cache-Control"] = "no-store"
                return response
            messages.success(request, _("Your vote is recorded."))
            return redirect("board:motion_detail", pk=pk)
    return _motion_error(request, motion, "vote_form", form)


@board_view
@require_POST
def motion_proxy(request, pk: int):
    policy.authorize(request.user, A.VIEW_BOARD)
    motion = _get_motion(request, pk)
    form = board_forms.ProxyForm(request.POST)
    if form.is_valid():
        try:
            holder = selectors.user_by_email(form.cleaned_data["email"])
            services.grant_proxy(actor=request.user, motion=motion, holder=holder)
        except PermissionDenied as error:
            form.add_error(None, str(error))
            return render(
                request,
                "board/motion_detail.html",
                _motion_context(request, _get_motion(request, pk), proxy_form=form),
                status=403,
            )
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, _("The proxy is recorded."))
            return redirect("board:motion_detail", pk=pk)
    return _motion_error(request, motion, "proxy_form", form)


@board_view
@require_POST
def motion_comment(request, pk: int):
    """Speak on a motion (Art. 7(3), Art. 7(4))."""
    policy.authorize(request.user, A.VIEW_BOARD)
    motion = _get_motion(request, pk)
    policy.authorize(request.user, A.SPEAK, motion)
    form = board_forms.CommentForm(request.POST)
    if form.is_valid():
        try:
            services.comment(actor=request.user, motion=motion, text=form.cleaned_data["text"])
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, _("Your statement is recorded."))
            return redirect("board:motion_detail", pk=pk)
    return _motion_error(request, motion, "comment_form", form)


def _record_state(request, motion) -> selectors.VoteState:
    """The record (CSV or PDF) shows what the motion page shows (``selectors.vote_state``), and is
    refused, with the reason, where the page offers none."""
    state = selectors.vote_state(user=request.user, motion=motion)
    if not state.record_available:
        raise PermissionDenied(state.record_refusal)
    return state


RECORD_COLUMNS = (
    _lazy("Seat"),
    _lazy("Capacity"),
    _lazy("Cast by"),
    _lazy("On behalf of (proxy)"),
    _lazy("Vote"),
    _lazy("Cast at"),
)


@board_view
def motion_export(request, pk: int):
    """The record of the vote as CSV: result, who voted how (open votes), proxies, changes."""
    policy.authorize(request.user, A.VIEW_BOARD)
    policy.authorize(request.user, A.VIEW_BOARD_MEMBERS)  # names of members, Art. 9(3)
    motion = _get_motion(request, pk)
    state = _record_state(request, motion)
    count = state.tally

    def rows():
        yield [_("Motion"), motion.title]
        yield [_("Status"), motion.get_status_display()]
        yield [_("Procedure"), motion.get_procedure_display()]
        yield [_("Secret ballot"), _("yes") if motion.secret else _("no")]
        if motion.vote_day:
            yield [_("Day of the vote"), motion.vote_day]
            yield [_("Voting members"), motion.electorate]
            yield [_("Absolute majority"), motion.threshold]
            yield [_("Quorum"), motion.quorum or 0]
        if count is not None:
            if not state.record_final:
                yield [_("Votes so far"), state.results_note]
            yield [_("For"), count.votes_for]
            yield [_("Against"), count.votes_against]
            yield [_("Abstentions"), count.abstentions]
            if state.record_final:
                yield [_("Outcome"), motion.get_outcome_display(), state.results_note]
        yield []
        yield [str(c) for c in RECORD_COLUMNS]
        for p in selectors.vote_record(motion=motion):
            yield [
                str(p.seat),
                p.get_capacity_display(),
                str(p.cast_by),
                str(p.proxy.grantor_seat) if p.proxy else "",
                p.get_choice_display() if state.votes_by_seat_visible else _("secret"),
                timezone.localtime(p.cast_at).isoformat(),
            ]
        if state.receipts_published:
            yield []
            yield [_("Receipt fingerprint"), _("Vote")]
            for b in selectors.published_receipts(motion=motion):
                yield [b.receipt_fingerprint[:16], b.get_choice_display()]
        yield []
        yield [_("Proxy for"), _("Holder"), _("Granted by"), _("Granted at")]
        for p in selectors.proxies_of(motion=motion):
            yield [
                str(p.grantor_seat),
                str(p.holder),
                str(p.granted_by),
                timezone.localtime(p.created_at).isoformat(),
            ]
        yield []
        yield [_("Change"), _("At"), _("By"), _("Details")]
        for c in selectors.changes_of(user=request.user, motion=motion):
            yield [
                c.kind_label,
                timezone.localtime(c.at).isoformat(),
                c.who,
                "; ".join(f"{k}={v}" for k, v in c.details.items()),
            ]

    audit_details = {"motion": motion.pk, "format": "csv"}
    from ilonet.audit import services as audit

    audit.record(
        action=AuditAction.BOARD_VOTE_RECORD_EXPORTED, actor=request.user, obj=motion, details=audit_details
    )
    return _csv(rows(), f"ilonet-board-vote-{motion.pk}.csv")


@board_view
def motion_pdf(request, pk: int):
    """The record of the vote as PDF minutes."""
    policy.authorize(request.user, A.VIEW_BOARD)
    policy.authorize(request.user, A.VIEW_BOARD_MEMBERS)  # names of members, Art. 9(3)
    motion = _get_motion(request, pk)
    state = _record_state(request, motion)
    body = pdf.render_pdf(
        "board/pdf/vote_record.html",
        {
            "motion": motion,
            "state": state,
            "record": list(selectors.vote_record(motion=motion)),
            "proxies": list(selectors.proxies_of(motion=motion)),
            "changes": selectors.changes_of(user=request.user, motion=motion),
            "receipts": list(selectors.published_receipts(motion=motion)) if state.receipts_published else [],
            "generated_at": timezone.now(),
        },
        request,
    )
    from ilonet.audit import services as audit

    audit.record(
        action=AuditAction.BOARD_VOTE_RECORD_EXPORTED,
        actor=request.user,
        obj=motion,
        details={"motion": motion.pk, "format": "pdf"},
    )
    response = HttpResponse(body, content_type="application/pdf")
    response["Content-Disposition"] = attachment(f"ilonet-board-vote-{motion.pk}.pdf")
    return response
