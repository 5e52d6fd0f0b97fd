"""Rules of procedure (Art. 8(1))."""

from datetime import date

from django.shortcuts import get_object_or_404
from ninja import Field, Schema, Status
from ninja.pagination import paginate

from ilonet import policy
from ilonet.api.pagination import PageNumberPagination

from .. import selectors, services
from ..models import (
    RulesStatus,
    SecretBallot,
)
from .common import PAGE, A, BoardIn, router

# --- rules, work programmes, activity reports (Art. 8(1), Art. 8(2)) -----------------------------------


class RulesOut(Schema):
    id: int
    version: int
    title: str
    text: str
    status: RulesStatus
    adopted_on: date | None
    proxies_allowed: bool
    max_proxies_per_holder: int
    quorum_percent: int
    secret_ballot: SecretBallot
    written_procedure_allowed: bool
    written_procedure_min_days: int


@router.get("/rules", action=(A.VIEW_BOARD, A.VIEW_DECISIONS), response=list[RulesOut])
@paginate(PageNumberPagination, page_size=PAGE)
def list_rules(request):
    if not policy.can(request.user, A.VIEW_BOARD):
        policy.authorize(request.user, A.VIEW_DECISIONS)
    return selectors.rules_list(user=request.user)


class RulesIn(BoardIn):
    title: str = Field(..., max_length=200)
    text: str = Field(..., max_length=100000)
    proxies_allowed: bool = False
    max_proxies_per_holder: int = Field(1, ge=1, le=5)
    quorum_percent: int = Field(0, ge=0, le=100)
    secret_ballot: SecretBallot = SecretBallot.NEVER
    written_procedure_allowed: bool = True
    written_procedure_min_days: int = Field(5, ge=1, le=60)


@router.post("/rules", action=A.PROPOSE_RULES, response={201: RulesOut})
def propose_rules(request, payload: RulesIn):
    """A new version of the rules of procedure, on the chair's proposal (Art. 8(1))."""
    return Status(201, services.propose_rules(actor=request.user, **payload.dict()))


class RulesUpdateIn(BoardIn):
    title: str | None = Field(None, max_length=200)
    text: str | None = Field(None, max_length=100000)
    proxies_allowed: bool | None = None
    max_proxies_per_holder: int | None = Field(None, ge=1, le=5)
    quorum_percent: int | None = Field(None, ge=0, le=100)
    secret_ballot: SecretBallot | None = None
    written_procedure_allowed: bool | None = None
    written_procedure_min_days: int | None = Field(None, ge=1, le=60)


@router.patch("/rules/{int:rules_id}", action=A.PROPOSE_RULES, response=RulesOut)
def update_rules(request, rules_id: int, payload: RulesUpdateIn):
    """Change a draft version of the rules of procedure, on the chair's proposal (Art. 8(1))."""
    rules = get_object_or_404(selectors.rules_list(user=request.user), pk=rules_id)
    return services.update_rules(actor=request.user, rules=rules, **payload.dict(exclude_unset=True))
