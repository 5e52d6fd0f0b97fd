"""API of the personal data of Art. 10. Lists and the register give references, never personal
fields; every operation that returns personal fields goes through the logging selectors.
Names are searched by POST (``/records/search``): a name never travels in a URL."""

from datetime import date, datetime
from typing import Any

from django.core.exceptions import ObjectDoesNotExist
from django.http import Http404
from ninja import Schema, Status
from ninja.pagination import paginate

from ilonet import policy
from ilonet.api.pagination import BoundedPagination
from ilonet.api.routing import PolicyRouter
from ilonet.api.schemas import SingleLine, StrictDate, StrictSchema

from . import selectors, services
from .law import Category, Purpose, TransferBasis
from .models import Record, Share
from .vault import KeyDestroyed

router = PolicyRouter(tags=["personal data"])
A = policy.Action
PAGE = 50


class RecordOut(Schema):
    ref: str
    purpose: Purpose
    category: Category
    erase_on: date
    hold_until: date | None


class NameIn(Schema):
    script: str = "latin"
    family: SingleLine = ""
    given: SingleLine = ""


class DocumentIn(Schema):
    kind: str = "passport"
    number: SingleLine
    country: str = ""


class PassengerIn(Schema):
    name: SingleLine
    document: SingleLine = ""


class RecordIn(StrictSchema):
    purpose: Purpose
    category: Category
    names: list[NameIn] = []
    birth_date: StrictDate | None = None
    birth_place: SingleLine = ""
    nationality: str = ""
    documents: list[DocumentIn] = []
    passengers: list[PassengerIn] = []
    modus_operandi: str = ""
    transport: str = ""
    intermediaries: str = ""
    financial_flows: str = ""


class RecordDetailOut(RecordOut):
    fields: list[str]
    data: dict[str, Any]
    biometric_files: list[str]


class SearchIn(StrictSchema):
    name: SingleLine


class ShareIn(StrictSchema):
    recipient_id: int
    purpose: Purpose
    fields: list[str]
    justification: str
    days: int


class ShareOut(Schema):
    ref: str
    record: str
    purpose: Purpose
    fields: list[str]
    expires_at: datetime
    withdrawn_at: datetime | None


class SharedOut(ShareOut):
    justification: str
    data: dict[str, Any]


class TransferIn(StrictSchema):
    recipient: SingleLine
    country: str = ""
    international_organisation: bool = False
    basis: str = ""
    basis_detail: SingleLine = ""
    fields: list[str]
    transferred_on: StrictDate


class TransferOut(Schema):
    ref: str
    recipient: str
    country: str
    international_organisation: bool
    basis: TransferBasis
    basis_detail: str
    fields: list[str]
    transferred_on: date


class HoldIn(StrictSchema):
    reason: SingleLine
    until: StrictDate


class AccessEventOut(Schema):
    occurred_at: datetime
    actor_label: str
    action: str
    details: dict[str, Any]


def _detail(view: selectors.RecordView) -> dict[str, Any]:
    r = view.record
    return {
        "ref": r.ref,
        "purpose": r.purpose,
        "category": r.category,
        "erase_on": r.erase_on,
        "hold_until": r.hold_until,
        "fields": view.fields,
        "data": view.data,
        "biometric_files": view.files,
    }


def _share(share: Share) -> dict[str, Any]:
    return {
        "ref": share.ref,
        "record": share.record.ref,
        "purpose": share.purpose,
        "fields": share.fields,
        "expires_at": share.expires_at,
        "withdrawn_at": share.withdrawn_at,
    }


def _transfer(t) -> dict[str, Any]:
    return {
        "ref": t.ref,
        "recipient": t.recipient,
        "country": t.country.code if t.country else "",
        "international_organisation": t.international_organisation,
        "basis": t.basis,
        "basis_detail": t.basis_detail,
        "fields": t.fields,
        "transferred_on": t.transferred_on,
    }


def _found(fn, *args, **kwargs):
    try:
        return fn(*args, **kwargs)
    except (ObjectDoesNotExist, KeyDestroyed):
        raise Http404 from None


def _record(request, ref: str, action: A) -> Record:
    return _found(selectors.record_for, user=request.user, ref=ref, action=action)


@router.get("/records", action=A.VIEW_PERSONAL_RECORDS, response=list[RecordOut])
@paginate(BoundedPagination, page_size=PAGE)
def list_records(request, purpose: Purpose | None = None, category: Category | None = None):
    return selectors.record_list(user=request.user, purpose=purpose or "", category=category or "")


@router.post("/records/search", action=A.SEARCH_PERSONAL_RECORDS, response=list[RecordOut])
def search_records(request, payload: SearchIn):
    return list(selectors.record_list(user=request.user, name=payload.name)[:PAGE])


@router.post("/records", action=A.MANAGE_PERSONAL_RECORDS, response={201: RecordOut})
def create_record(request, payload: RecordIn):
    data = payload.dict()
    purpose, category = data.pop("purpose"), data.pop("category")
    record = services.create_record(actor=request.user, purpose=purpose, category=category, data=data)
    return Status(201, record)


@router.get("/records/{ref}", action=A.VIEW_PERSONAL_RECORDS, response=RecordDetailOut)
def get_record(request, ref: str):
    return _detail(_found(selectors.open_record, user=request.user, ref=ref, via="api"))


@router.post("/records/{ref}/shares", action=A.SHARE_PERSONAL_RECORDS, response={201: ShareOut})
def share_record(request, ref: str, payload: ShareIn):
    from django.contrib.auth import get_user_model

    record = _record(request, ref, A.SHARE_PERSONAL_RECORDS)
    recipient = get_user_model().objects.filter(pk=payload.recipient_id, is_active=True).first()
    data = payload.dict()
    data.pop("recipient_id")
    share = services.share_record(actor=request.user, record=record, recipient=recipient, **data)
    return Status(201, _share(share))


@router.post("/shares/{ref}/withdraw", action=A.SHARE_PERSONAL_RECORDS, response=ShareOut)
def withdraw_share(request, ref: str):
    share = _found(Share.objects.select_related("record").get, ref=ref)
    return _share(services.withdraw_share(actor=request.user, share=share))


@router.get("/shared-with-me", action=A.VIEW_SHARED_RECORDS, response=list[ShareOut])
@paginate(BoundedPagination, page_size=PAGE)
def list_received_shares(request):
    return [_share(s) for s in selectors.received_shares(user=request.user)]


@router.get("/shared-with-me/{ref}", action=A.VIEW_SHARED_RECORDS, response=SharedOut)
def get_shared(request, ref: str):
    share, view = _found(selectors.open_share, user=request.user, ref=ref, via="api")
    return {**_share(share), "justification": share.justification, "data": view.data}


@router.post("/records/{ref}/transfers", action=A.TRANSFER_PERSONAL_DATA, response={201: TransferOut})
def record_transfer(request, ref: str, payload: TransferIn):
    record = _record(request, ref, A.TRANSFER_PERSONAL_DATA)
    transfer = services.record_transfer(actor=request.user, record=record, **payload.dict())
    return Status(201, _transfer(transfer))


@router.get("/transfers", action=A.VIEW_TRANSFER_REGISTER, response=list[TransferOut])
@paginate(BoundedPagination, page_size=PAGE)
def transfer_register(request, country: str = "", basis: str = ""):
    return [
        _transfer(t)
        for t in selectors.transfer_register(user=request.user, country=country[:2], basis=basis[:20])
    ]


@router.post("/records/{ref}/hold", action=A.MANAGE_LEGAL_HOLDS, response=RecordOut)
def place_hold(request, ref: str, payload: HoldIn):
    record = _record(request, ref, A.MANAGE_LEGAL_HOLDS)
    return services.place_hold(actor=request.user, record=record, reason=payload.reason, until=payload.until)


@router.delete("/records/{ref}/hold", action=A.MANAGE_LEGAL_HOLDS, response=RecordOut)
def lift_hold(request, ref: str):
    return services.lift_hold(actor=request.user, record=_record(request, ref, A.MANAGE_LEGAL_HOLDS))


@router.get("/access-log", action=A.OVERSEE_PERSONAL_DATA, response=list[AccessEventOut])
@paginate(BoundedPagination, page_size=PAGE)
def access_log(request, record: str = ""):
    return selectors.access_log(user=request.user, record=record[:24])


@router.get("/records/{ref}/access-report", action=A.OVERSEE_PERSONAL_DATA, response=dict[str, Any])
def access_report(request, ref: str):
    return _found(selectors.access_report, user=request.user, ref=ref, via="api")
