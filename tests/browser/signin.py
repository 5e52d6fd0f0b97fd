"""Signing in through the real login pages, as a person with an authenticator app does.

allauth accepts a TOTP code only in its own 30-second period (``MFA_TOTP_TOLERANCE`` is 0)
and only once per account (it marks a used code in the cache for a period). A test that
types a code a moment before its period ends, or types the same account's code twice in
one period, is refused exactly as a person would be. So the code entered here is one
with time to spare and not entered before in this test; the browser conftest clears the
used-code marks between tests, because they live in the database cache, which the flush
after each live-server test does not empty, and on SQLite a flushed table gives its ids
out again (the same demo account gets the same id and secret in the next test).
"""

from __future__ import annotations

import time
from collections.abc import Callable

from allauth.mfa import app_settings as mfa_settings

from ilonet.shared.testing import totp_code

# Seconds a code must still be valid for when it is typed: the POST may wait for the
# server on a busy machine, and a code that expires on the way is refused.
MARGIN_SECONDS = 6

_entered: set[tuple[str, int]] = set()  # (account, TOTP period) entered in this test


def forget_entered_codes() -> None:
    _entered.clear()


def fresh_totp_code(account: str, secret: str) -> str:
    """A code of ``secret`` valid for at least ``MARGIN_SECONDS`` more and not yet entered
    for ``account`` in this test; waits for the next period when needed."""
    period = mfa_settings.TOTP_PERIOD
    while True:
        now = time.time()
        counter = int(now) // period
        remaining = (counter + 1) * period - now
        if remaining >= MARGIN_SECONDS and (account, counter) not in _entered:
            _entered.add((account, counter))
            return totp_code(secret)
        time.sleep(remaining + 0.05)


def not_on_account_pages(url: str) -> bool:
    return "/accounts/" not in url


def submit_password(page, email: str, password: str) -> None:
    """The first step: e-mail address and password, up to the second-factor page."""
    page.goto("/accounts/login/")
    page.fill("input[name=login]", email)
    page.fill("input[name=password]", password)
    page.locator("form:has(input[name=password]) [type=submit]").first.click()
    page.wait_for_url("**/accounts/2fa/authenticate/**")


def submit_totp(page, email: str, secret: str, arrived: Callable[[str], bool] = not_on_account_pages) -> None:
    """The second step: the authenticator app's code, until the page ``arrived`` at."""
    page.fill("input[name=code]", fresh_totp_code(email, secret))
    page.locator("form:has(input[name=code]) [type=submit]").first.click()
    page.wait_for_url(arrived)


def sign_in(
    page,
    email: str,
    password: str,
    secret: str,
    arrived: Callable[[str], bool] = not_on_account_pages,
) -> None:
    """Both steps."""
    submit_password(page, email, password)
    submit_totp(page, email, secret, arrived)
