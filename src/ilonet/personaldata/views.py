"""Pages of the personal data of Art. 10. Thin: the policy first, then selectors (every read of
a personal field is logged there) and services. URLs carry opaque references only; messages
name no person."""

from __future__ import annotations

import json
from datetime import date

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ilonet import policy
from ilonet.shared.exports import csv_response
from ilonet.shared.forms import apply_validation_error
from ilonet.shared.paging import paginate
from ilonet.shared.pdf import render_pdf
from ilonet.shared.text import attachment
from ilonet.shared.uploads import UploadRefused

from . import processing, selectors, services
from .forms import (
    AccessLogFilterForm,
    AssignmentForm,
    HoldForm,
    NameSearchForm,
    RecordFilterForm,
    RecordForm,
    ShareForm,
    TransferForm,
)
from .law import Purpose, TransferBasis
from .models import PurposeAssignment, Share
from .vault import KeyDestroyed

A = policy.Action


def _day(value: str | None):
    return date.fromisoformat(value[:10]) if value else None


def _for_people(report: dict) -> dict:
    """Dates as dates, so that the page and the PDF show them in the EU's order."""
    for entry in report["records"]:
        entry["erase_on"] = _day(entry["erase_on"])
        entry["data"] = _display(entry["data"])
        for share in entry["shares"]:
            share["created_at"] = _day(share["created_at"])
        for transfer in entry["transfers"]:
            transfer["date"] = _day(transfer["date"])
    return report


def _display(data: dict) -> dict:
    return {**data, "birth_date": _day(data.get("birth_date"))}


def _record(request, ref: str, action: A):
    policy.authorize(request.user, action)
    try:
        return selectors.record_for(user=request.user, ref=ref, action=action)
    except ObjectDoesNotExist:
        raise Http404 from None


@login_required
def record_list(request):
    policy.authorize(request.user, A.VIEW_PERSONAL_RECORDS)
    form = RecordFilterForm(request.GET or None)
    search = NameSearchForm(request.POST or None)
    filters = form.filters()
    if request.method == "POST" and search.is_valid():  # a name goes by POST, never in the URL
        policy.authorize(request.user, A.SEARCH_PERSONAL_RECORDS)
        filters["name"] = search.cleaned_data["name"]
    page = paginate(request, selectors.record_list(user=request.user, **filters))
    template = "personaldata/_record_table.html" if request.htmx else "personaldata/record_list.html"
    return render(
        request,
        template,
        {
            "form": form,
            "search": search,
            "page_obj": page,
            "today": timezone.localdate(),
            "may_create": policy.can(request.user, A.MANAGE_PERSONAL_RECORDS),
            "may_assign": policy.can(request.user, A.ASSIGN_PURPOSES),
            "may_register": policy.can(request.user, A.VIEW_TRANSFER_REGISTER),
        },
    )


@login_required
def record_create(request):
    policy.authorize(request.user, A.MANAGE_PERSONAL_RECORDS)
    form = RecordForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            record = services.create_record(
                actor=request.user,
                purpose=form.cleaned_data["purpose"],
                category=form.cleaned_data["category"],
                data=form.payload(),
                biometrics=form.biometrics(),
            )
        except ValidationError as error:
            apply_validation_error(form, _flatten(error))
        except UploadRefused as refused:
            form.add_error(None, str(refused))
        else:
            messages.success(request, _("The record is saved, encrypted with a key of its own."))
            return redirect("personaldata:record_detail", ref=record.ref)
    return render(request, "personaldata/record_form.html", {"form": form})


def _flatten(error: ValidationError) -> ValidationError:
    """Nested field names (``names.0.family``) shown on their form field."""
    if not hasattr(error, "error_dict"):
        return error
    mapping = {
        "names": "family_name",
        "names.0.family": "family_name",
        "names.0.given": "given_names",
        "names.1.family": "family_name_other",
        "names.1.given": "given_names_other",
        "documents.0.number": "document_number",
        "documents.0.country": "document_country",
    }
    flat: dict[str, list[str]] = {}
    for field, messages_ in error.message_dict.items():
        target = mapping.get(field, field.split(".")[0])
        flat.setdefault(target, []).extend(messages_)
    return ValidationError(flat)


@login_required
def record_detail(request, ref: str):
    policy.authorize(request.user, A.VIEW_PERSONAL_RECORDS)
    try:
        view = selectors.open_record(user=request.user, ref=ref, via="page")
    except (ObjectDoesNotExist, KeyDestroyed):
        raise Http404 from None
    record = view.record
    return render(
        request,
        "personaldata/record_detail.html",
        {
            "view": view,
            "record": record,
            "data": _display(view.data),
            "today": timezone.localdate(),
            "shares": selectors.shares_of(user=request.user, record=record),
            "transfers": selectors.transfers_of(record=record),
            "may_share": policy.can(request.user, A.SHARE_PERSONAL_RECORDS, record),
            "may_transfer": policy.can(request.user, A.TRANSFER_PERSONAL_DATA, record),
            "may_hold": policy.can(request.user, A.MANAGE_LEGAL_HOLDS, record),
        },
    )


@login_required
def record_file(request, ref: str, kind: str):
    policy.authorize(request.user, A.VIEW_PERSONAL_RECORDS)
    return _file_response(request, ref=ref, kind=kind)


def _file_response(request, *, ref: str, kind: str, share_ref: str = ""):
    try:
        row, content = selectors.open_biometric(
            user=request.user, ref=ref, kind=kind, via="page", share_ref=share_ref
        )
    except (ObjectDoesNotExist, KeyDestroyed):
        raise Http404 from None
    response = HttpResponse(content, content_type=row.content_type)
    response["Content-Disposition"] = attachment(f"{kind}.{row.content_type.split('/')[-1]}").replace(
        "attachment", "inline"
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
def record_share(request, ref: str):
    record = _record(request, ref, A.SHARE_PERSONAL_RECORDS)
    form = ShareForm(request.POST or None, initial={"purpose": record.purpose})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        recipient = get_user_model().objects.filter(email__iexact=data["recipient"], is_active=True).first()
        try:
            services.share_record(
                actor=request.user,
                record=record,
                recipient=recipient,
                purpose=data["purpose"],
                fields=data["fields"],
                justification=data["justification"],
                days=data["days"],
            )
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(
                request, _("The record is shared: the recipient sees only the fields you chose.")
            )
            return redirect("personaldata:record_detail", ref=record.ref)
    return render(
        request,
        "personaldata/action_form.html",
        {
            "form": form,
            "record": record,
            "title": _("Share strictly necessary fields"),
            "intro": _(
                "Any exchange is limited to what is strictly necessary (Art. 10(4)). "
                "Choose the fields one by one."
            ),
        },
    )


@login_required
@require_POST
def share_withdraw(request, ref: str):
    policy.authorize(request.user, A.SHARE_PERSONAL_RECORDS)
    try:
        share = Share.objects.select_related("record").get(ref=ref)
    except Share.DoesNotExist:
        raise Http404 from None
    services.withdraw_share(actor=request.user, share=share)
    messages.success(request, _("The share is withdrawn."))
    return redirect("personaldata:record_detail", ref=share.record.ref)


@login_required
def record_transfer(request, ref: str):
    record = _record(request, ref, A.TRANSFER_PERSONAL_DATA)
    form = TransferForm(request.POST or None, initial={"transferred_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.record_transfer(
                actor=request.user,
                record=record,
                recipient=data["recipient"],
                country=data["country"],
                basis=data["basis"],
                fields=data["fields"],
                transferred_on=data["transferred_on"],
                basis_detail=data["basis_detail"],
                international_organisation=data["international_organisation"],
            )
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, _("The transfer is recorded in the register."))
            return redirect("personaldata:record_detail", ref=record.ref)
    return render(
        request,
        "personaldata/action_form.html",
        {
            "form": form,
            "record": record,
            "title": _("Record a transfer to a third country"),
            "intro": _(
                "Transfers follow chapter V of the GDPR (Art. 10(5)); for return, often the derogation of "
                "Art. 49(1)(d) (recitals 24 and 25). A transfer without a legal basis is refused."
            ),
        },
    )


@login_required
def record_hold(request, ref: str):
    record = _record(request, ref, A.MANAGE_LEGAL_HOLDS)
    form = HoldForm(request.POST or None)
    if request.method == "POST" and request.POST.get("lift"):
        services.lift_hold(actor=request.user, record=record)
        messages.success(request, _("The legal hold is lifted: the record is erased on its date."))
        return redirect("personaldata:hold_list")
    if request.method == "POST" and form.is_valid():
        try:
            services.place_hold(actor=request.user, record=record, **form.cleaned_data)
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, _("The legal hold is placed: the erasure waits until its end."))
            return redirect("personaldata:hold_list")
    return render(request, "personaldata/hold_form.html", {"form": form, "record": record})


@login_required
def hold_list(request):
    """The deploying authority's records by erasure date, with their holds (no personal field)."""
    policy.authorize(request.user, A.MANAGE_LEGAL_HOLDS)
    from .models import Record

    qs = policy.scope(request.user, A.MANAGE_LEGAL_HOLDS, Record.objects.all()).order_by("erase_on", "pk")
    return render(
        request,
        "personaldata/hold_list.html",
        {"page_obj": paginate(request, qs), "today": timezone.localdate()},
    )


@login_required
def shared_list(request):
    policy.authorize(request.user, A.VIEW_SHARED_RECORDS)
    shares = selectors.received_shares(user=request.user)
    return render(request, "personaldata/shared_list.html", {"page_obj": paginate(request, shares)})


@login_required
def shared_detail(request, ref: str):
    policy.authorize(request.user, A.VIEW_SHARED_RECORDS)
    try:
        share, view = selectors.open_share(user=request.user, ref=ref, via="share")
    except (ObjectDoesNotExist, KeyDestroyed):
        raise Http404 from None
    return render(
        request,
        "personaldata/shared_detail.html",
        {"share": share, "view": view, "data": _display(view.data)},
    )


@login_required
def shared_file(request, ref: str, kind: str):
    policy.authorize(request.user, A.VIEW_SHARED_RECORDS)
    try:
        share = Share.objects.select_related("record").get(ref=ref)
    except Share.DoesNotExist:
        raise Http404 from None
    return _file_response(request, ref=share.record.ref, kind=kind, share_ref=ref)


@login_required
def purpose_list(request):
    policy.authorize(request.user, A.ASSIGN_PURPOSES)
    users = selectors.assignable_users(user=request.user)
    form = AssignmentForm(request.POST or None, users=users)
    if request.method == "POST" and form.is_valid():
        person = next(u for u in users if str(u.pk) == form.cleaned_data["user"])
        try:
            services.assign_purpose(
                actor=request.user,
                user=person,
                purpose=form.cleaned_data["purpose"],
                valid_until=form.cleaned_data["valid_until"],
            )
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, _("The purpose is assigned."))
            return redirect("personaldata:purpose_list")
    return render(
        request,
        "personaldata/purpose_list.html",
        {"form": form, "assignments": selectors.assignments(user=request.user)},
    )


@login_required
@require_POST
def purpose_revoke(request, pk: int):
    policy.authorize(request.user, A.ASSIGN_PURPOSES)
    try:
        assignment = selectors.assignments(user=request.user).get(pk=pk)
    except PurposeAssignment.DoesNotExist:
        raise Http404 from None
    services.revoke_purpose(actor=request.user, assignment=assignment)
    messages.success(request, _("The purpose is revoked."))
    return redirect("personaldata:purpose_list")


def _register_filters(request) -> dict[str, str]:
    return {"country": request.GET.get("country", "")[:2], "basis": request.GET.get("basis", "")[:20]}


@login_required
def transfer_register(request):
    policy.authorize(request.user, A.VIEW_TRANSFER_REGISTER)
    filters = _register_filters(request)
    return render(
        request,
        "personaldata/transfer_register.html",
        {
            "page_obj": paginate(request, selectors.transfer_register(user=request.user, **filters)),
            "totals": selectors.transfer_totals(user=request.user),
            "filters": filters,
            "bases": TransferBasis.choices,
        },
    )


@login_required
def transfer_register_csv(request):
    policy.authorize(request.user, A.VIEW_TRANSFER_REGISTER)
    rows = (
        (
            t.ref,
            t.transferred_on.isoformat(),
            t.country.code if t.country else "",
            t.international_organisation,
            t.recipient,
            t.basis,
            t.basis_detail,
            " ".join(t.fields),
            t.record.ref if t.record else "",
        )
        for t in selectors.transfer_register(user=request.user, **_register_filters(request)).select_related(
            "record"
        )
    )
    header = [
        "transfer",
        "date",
        "country",
        "international_organisation",
        "recipient",
        "basis",
        "basis_detail",
        "data_sent",
        "record",
    ]
    return csv_response(rows, filename="transfer-register.csv", header=header)


@login_required
def dpo_overview(request):
    policy.authorize(request.user, A.OVERSEE_PERSONAL_DATA)
    overview = selectors.dpo_overview(user=request.user)
    return render(
        request,
        "personaldata/dpo_overview.html",
        {"overview": overview, "today": timezone.localdate(), "purposes": dict(Purpose.choices)},
    )


@login_required
def access_log(request):
    policy.authorize(request.user, A.OVERSEE_PERSONAL_DATA)
    form = AccessLogFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    page = paginate(request, selectors.access_log(user=request.user, **filters))
    return render(request, "personaldata/access_log.html", {"form": form, "page_obj": page})


@login_required
def access_log_csv(request):
    policy.authorize(request.user, A.OVERSEE_PERSONAL_DATA)
    form = AccessLogFilterForm(request.GET or None)
    events = selectors.access_log(user=request.user, **(form.cleaned_data if form.is_valid() else {}))
    services.note_access_log_export(actor=request.user)
    rows = (
        (
            e.occurred_at.isoformat(),
            e.actor_label,
            e.action,
            e.details.get("record", ""),
            " ".join(e.details.get("fields", [])),
            e.details.get("purpose", ""),
            e.details.get("via", ""),
        )
        for e in events.iterator()
    )
    return csv_response(
        rows,
        filename="personal-data-access-log.csv",
        header=["when", "who", "what", "record", "fields", "purpose", "via"],
    )


@login_required
def processing_record(request):
    policy.authorize(request.user, A.OVERSEE_PERSONAL_DATA)
    return render(
        request, "personaldata/processing.html", {"activities": processing.activities(), "p": processing}
    )


@login_required
def access_report_json(request, ref: str):
    policy.authorize(request.user, A.OVERSEE_PERSONAL_DATA)
    try:
        report = selectors.access_report(user=request.user, ref=ref, via="export")
    except (ObjectDoesNotExist, KeyDestroyed):
        raise Http404 from None
    response = HttpResponse(json.dumps(report, ensure_ascii=False, indent=2), content_type="application/json")
    response["Content-Disposition"] = attachment(f"access-report-{ref}.json")
    return response


@login_required
def access_report_pdf(request, ref: str):
    policy.authorize(request.user, A.OVERSEE_PERSONAL_DATA)
    try:
        report = selectors.access_report(user=request.user, ref=ref, via="export")
    except (ObjectDoesNotExist, KeyDestroyed):
        raise Http404 from None
    pdf = render_pdf(
        "personaldata/access_report_pdf.html",
        {"report": _for_people(report), "generated_at": timezone.now(), "purposes": dict(Purpose.choices)},
        request,
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = attachment(f"access-report-{ref}.pdf")
    return response
