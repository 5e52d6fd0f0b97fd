"""The main workflows in a real browser, in English and in Dutch, driven as a person would: sign
in with the password and the one-time code, follow the links, fill in and send the forms.

- A deploying authority plans the deployment of an officer and starts it; the officer then shows
  among the members of the country's local network (Art. 4(1), Art. 5(1)).
- The chair convenes a meeting of the steering board and puts a motion to the vote; enough
  members sign in and vote for it to reach the absolute majority of all voting members
  (Art. 7(8)); the chair closes the vote, the result reads "adopted", and the record of the vote
  downloads as a PDF that names the decision.
- The European Parliament reader opens what the board sent to the Parliament (Art. 8(2),
  Art. 9(4)) and is refused, with the reason, the personal data of Art. 9(3) and the board's
  own work.

The demo (``seed_demo``) is the data: it is seeded in each test, since the live server's database
is emptied after every test (about five seconds). Every account of the demo has a known TOTP
secret (``accounts.demo.demo_totp_secret``). Pages along the way are also checked with axe-core
for WCAG 2.1 AA. Selectors rely on addresses, form fields and the site's own labels in the
active language, not on English wording.
"""

from __future__ import annotations

import io
import re
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.core.management import call_command
from django.utils import timezone, translation
from pdfminer.high_level import extract_text
from playwright.sync_api import Page, expect

from ilonet.accounts.demo import DEMO_DOMAIN, DEMO_PASSWORD, INVITEE_EMAIL, demo_totp_secret
from ilonet.board.models import Motion, Outcome, WorkProgramme
from ilonet.deployments.models import Deployment
from ilonet.directory.services import ensure_reference_organisations

from .signin import sign_in as sign_in_through_pages
from .test_accessibility import _violations

LANGUAGES = ["en", "nl"]
OTHER = {"en": "nl", "nl": "en"}

# Members of voting seats of the demo board (Art. 7(2)); the chair holds a Commission seat.
VOTERS = ["board.nl", "board.com", "board.frontex", "board.europol", "board.euaa"] + [
    f"boardmember.{code}"
    for code in ("de", "fr", "be", "it", "es", "pt", "at", "se", "fi", "ie", "pl", "cz", "gr", "lu", "si")
]


@pytest.fixture
def demo(live_server):
    ensure_reference_organisations()  # the live server's database was emptied after the last test
    call_command("seed_demo", allow_production=True, stdout=io.StringIO())


@pytest.fixture
def sign_in(chromium_browser, live_server, demo):
    """sign_in(local part, language) -> a page signed in as that demo account, in its own
    browser context, with the language chosen before signing in."""
    contexts = []

    def open_session(local: str, language: str) -> Page:
        context = chromium_browser.new_context(locale="en-GB", base_url=live_server.url)
        contexts.append(context)
        context.add_cookies([{"name": "django_language", "value": language, "url": live_server.url}])
        page = context.new_page()
        email = f"{local}@{DEMO_DOMAIN}"
        sign_in_through_pages(page, email, DEMO_PASSWORD, demo_totp_secret(email))
        expect(page.locator("html")).to_have_attribute("lang", language)
        return page

    yield open_session
    for context in contexts:
        context.close()


def switch_language(page: Page, language: str) -> None:
    """Choose the language with the site's language switcher."""
    page.select_option("select[name=language]", language)
    with page.expect_navigation():
        page.locator("form:has(select[name=language]) [type=submit]").first.click()
    expect(page.locator("html")).to_have_attribute("lang", language)


def follow(page: Page, href: str) -> None:
    """Click the first visible link to ``href`` and land on that page."""
    path = urlsplit(href).path
    with page.expect_navigation(url=lambda url: urlsplit(url).path == path) as navigation:
        page.locator(f'a[href="{href}"]:visible').first.click()
    assert navigation.value.status == 200, page.locator("main").inner_text()[:1500]


def send(page: Page, form: str) -> None:
    """Send the form matched by ``form`` with its submit button; it must succeed."""
    with page.expect_navigation() as navigation:
        page.locator(form).locator("[type=submit]").first.click()
    problem = page.locator("main").inner_text()[:1500]
    assert navigation.value.status == 200, problem  # a form with errors answers 422
    assert page.locator("[role=alert]").count() == 0, problem  # an error message after a redirect


def choose(page: Page, radio: str) -> None:
    """Tick a radio button or checkbox by its label, as a person does (ECL styles the label)."""
    box = page.locator(radio)
    page.locator(f"label[for='{box.get_attribute('id')}']").click()
    expect(box).to_be_checked()


def path_id(page: Page, pattern: str) -> int:
    match = re.fullmatch(pattern, urlsplit(page.url).path)
    assert match, f"{page.url} is not {pattern}"
    return int(match[1])


def no_wcag_violations(page: Page) -> None:
    assert _violations(page) == [], page.url


def local_now():
    return timezone.localtime().replace(second=0, microsecond=0)


# --- a deployment is planned, starts, and the officer joins the local network (Art. 4(1), Art. 5(1)) ---


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_deployment_is_planned_started_and_shown_in_its_network(sign_in, language):
    page = sign_in("deploying", OTHER[language])
    switch_language(page, language)
    today = timezone.localdate()

    follow(page, "/deployments/")
    follow(page, "/deployments/new/")
    no_wcag_violations(page)
    page.fill("input[name=officer_email]", INVITEE_EMAIL)  # a Dutch officer not yet deployed
    choose(page, "input[name=status][value=planned]")
    page.select_option("select[name=country]", "MA")
    page.select_option("select[name=place_kind]", "ms_mission")
    page.fill("input[name=place_name]", "Embassy of the Netherlands in Rabat")
    page.fill("input[name=city]", "Rabat")
    page.fill("textarea[name=task_summary]", "Liaison with the border police; document fraud.")
    page.fill("input[name=start_date]", today.isoformat())
    page.fill("input[name=planned_end_date]", today.replace(year=today.year + 3).isoformat())
    send(page, "form:has([name=officer_email])")

    deployment_id = path_id(page, r"/deployments/(\d+)/")
    assert Deployment.objects.get(pk=deployment_id).status == "planned"
    assert page.locator(f"form[action='/deployments/{deployment_id}/start/']").count() == 1
    no_wcag_violations(page)
    send(page, f"form[action='/deployments/{deployment_id}/start/']")  # the actual start: today
    assert Deployment.objects.get(pk=deployment_id).status == "active"
    expect(page.locator(f"form[action='/deployments/{deployment_id}/end/']")).to_have_count(1)

    follow(page, "/networks/")
    page.select_option("select[name=country]", "MA")
    page.locator("form:has(select[name=country]) [type=submit]").first.click()
    page.wait_for_url("**/networks/?*country=MA*")  # the filtered list (htmx pushes its address)
    networks = page.locator("#results a[href^='/networks/']")
    expect(networks).to_have_count(1)  # Morocco's local network
    follow(page, networks.first.get_attribute("href"))
    member = page.locator(f"a[href='/deployments/{deployment_id}/']")
    expect(member).to_have_text("Noor El Amrani")
    no_wcag_violations(page)


# --- a vote of the steering board, by the absolute majority of its voting members (Art. 7(8)) ---


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_board_votes_by_absolute_majority_and_the_decision_pdf_downloads(sign_in, language):
    chair = sign_in("chair", OTHER[language])
    switch_language(chair, language)
    starts = local_now()

    follow(chair, "/board/")
    follow(chair, "/board/meetings/new/")
    no_wcag_violations(chair)
    chair.fill("input[name=title]", f"Extraordinary meeting ({language})")
    chair.fill("input[name=starts_at]", starts.strftime("%Y-%m-%dT%H:%M"))
    chair.fill("input[name=ends_at]", (starts + timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"))
    chair.fill("input[name=location]", "Brussels, Berlaymont")
    send(chair, "form:has(input[name=location])")
    meeting_id = path_id(chair, r"/board/meetings/(\d+)/")

    title = f"Joint training on document fraud ({language})"
    follow(chair, "/board/motions/")
    follow(chair, "/board/motions/new/")
    chair.fill("input[name=title]", title)
    chair.fill("textarea[name=text]", "The networks organise a joint training on document fraud (Art. 5(1)).")
    choose(chair, "input[name=procedure][value=meeting]")
    chair.select_option("select[name=meeting]", str(meeting_id))
    send(chair, "form:has(textarea[name=text])")
    motion_id = path_id(chair, r"/board/motions/(\d+)/")
    motion_url = f"/board/motions/{motion_id}/"

    send(chair, f"form[action='{motion_url}open/']")
    motion = Motion.objects.get(pk=motion_id)
    assert motion.status == "open" and motion.threshold == motion.electorate // 2 + 1
    no_wcag_violations(chair)
    choose(chair, f"form[action='{motion_url}vote/'] input[name=choice][value=for]")
    send(chair, f"form[action='{motion_url}vote/']")

    for local in VOTERS[: motion.threshold - 1]:  # the chair's vote and these reach the majority
        member = sign_in(local, language)
        follow(member, "/board/")
        follow(member, motion_url)  # "open votes awaiting your seat"
        choose(member, f"form[action='{motion_url}vote/'] input[name=choice][value=for]")
        send(member, f"form[action='{motion_url}vote/']")
        member.context.close()
    assert Motion.objects.get(pk=motion_id).participations.count() == motion.threshold

    chair.reload()
    send(chair, f"form[action='{motion_url}close/']")
    assert Motion.objects.get(pk=motion_id).outcome == Outcome.ADOPTED
    with translation.override(language):
        adopted = str(Outcome.ADOPTED.label)
    expect(chair.get_by_text(adopted, exact=True).first).to_be_visible()
    no_wcag_violations(chair)

    pdf_link = chair.locator(f"a[href='{motion_url}record.pdf']")
    with chair.expect_response(re.compile(r"/record\.pdf$")) as response, chair.expect_download() as download:
        pdf_link.click()
    assert response.value.status == 200
    assert response.value.headers["content-type"] == "application/pdf"
    body = Path(download.value.path()).read_bytes()
    assert body.startswith(b"%PDF-")
    assert " ".join(title.split()) in " ".join(extract_text(io.BytesIO(body)).split())  # lines may wrap


# --- the European Parliament reader: what the board sent, nothing else (Art. 8(2), Art. 9(3), Art. 9(4)) ---

# Refused pages, with the article the reason cites: personal data (Art. 9(3)), or what the board
# did not open to the Parliament (Art. 9(4)).
REFUSED = {
    "/deployments/contacts/": "9(3)",
    "/board/members/": "9(3)",
    "/deployments/": "9(3)",
    "/networks/": "9(3)",
    "/board/meetings/": "9(4)",
    "/board/decisions/": "9(4)",
}
ARTICLE = {"en": "Art. {n}({p})", "nl": "art. {n}, lid {p}"}


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_parliament_reader_reads_what_was_sent_and_is_refused_the_rest(sign_in, language):
    reader = sign_in("ep", OTHER[language])
    switch_language(reader, language)
    for refused in REFUSED:
        assert reader.locator(f"nav a[href='{refused}']:visible").count() == 0, refused

    follow(reader, "/board/")
    follow(reader, "/board/programmes/")
    programme = WorkProgramme.objects.get(sent_to_ep_on__isnull=False)
    follow(reader, f"/board/programmes/{programme.pk}/")
    expect(reader.locator("h1")).to_contain_text(programme.title)
    follow(reader, "/board/reports/")
    follow(reader, "/directory/")

    for path, article in REFUSED.items():
        response = reader.goto(path)
        assert response.status == 403, path
        expect(reader.locator("html")).to_have_attribute("lang", language)
        number, paragraph = article.rstrip(")").split("(")
        reason = ARTICLE[language].format(n=number, p=paragraph)
        assert reason in reader.locator("main").inner_text(), f"{path}: the refusal does not cite {reason}"
