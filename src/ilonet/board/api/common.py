"""The board's router and what its endpoints share."""

from django.utils.translation import gettext as _
from pydantic import field_validator

from ilonet import policy
from ilonet.api.routing import PolicyRouter
from ilonet.api.schemas import StrictSchema

router = PolicyRouter(tags=["board"])


class BoardIn(StrictSchema):
    """Request bodies of the board: unknown fields refused (``StrictSchema``), and no NUL
    character in any text (PostgreSQL cannot store it: it would be a server error, not a 422)."""

    @field_validator("*", mode="after")
    @classmethod
    def _no_nul(cls, value):
        if isinstance(value, str) and "\x00" in value:
            raise ValueError(_("Text must not contain NUL characters."))
        return value


A = policy.Action
PAGE = 50
