"""django-allauth and django-axes integration: no self sign-up; accounts come from admins."""

from allauth.account.adapter import DefaultAccountAdapter
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter


class AccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request) -> bool:
        return False


class SocialAccountAdapter(DefaultSocialAccountAdapter):
    """Single sign-on (OIDC) logs in existing accounts only, matched by verified e-mail."""

    def is_open_for_signup(self, request, sociallogin) -> bool:
        return False


def axes_username(request, credentials: dict | None) -> str:
    """The login name as typed, for per-account throttling (allauth passes ``email``)."""
    credentials = credentials or {}
    value = (
        credentials.get("email")
        or credentials.get("username")
        or request.POST.get("login", "")
    )
    return str(value).strip().lower()
