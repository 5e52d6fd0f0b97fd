"""A tour of the site as each demo role, for the layout and accessibility tests (``test_layout.py``).

Each demo login of ``seed_demo`` signs in as a person does (password, then the TOTP code), then
follows the links of every page it can open, starting from the home page: one page per URL name
(the first link found), so a page linked from anywhere a role can go is found the day it is
written, with no list to keep. Each page is fetched; a page whose main content is the same as one
already measured (another role saw the very same markup) is not measured again, every other page
is opened in Chromium at 1280 px, measured, checked with axe-core, then measured again at 390 px.
"""

from __future__ import annotations

import hashlib
import io
import re
import time
from collections import deque
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin, urlsplit

from django.core.management import call_command
from django.urls import Resolver404, URLPattern, URLResolver, get_resolver, resolve

from ilonet.accounts import demo as accounts_demo
from ilonet.accounts.models import User

from . import signin

AXE = Path(__file__).parent / "vendor" / "axe-core-4.14.1" / "axe.min.js"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
WIDTHS = (1280, 390)
HEIGHT = 900
MAX_FETCHES_PER_ROLE = 300  # a guard against a crawl that never ends; a role reaches about 60
MAX_OTHERS = 40  # further links kept per URL name, for the second look
MAX_FURTHER = 60  # fetches per role for the second look
SETTLE_MS = 300  # after a resize: ECL's menu waits 200 ms before it lays itself out again
TIMEOUT_MS = 60_000  # two cores shared with other work: generous
# A path ending in a file extension names a file (export.csv, minutes.pdf): not a page, not
# fetched (a PDF takes seconds to make).
FILE = re.compile(r"\.[a-z0-9]{2,4}$")
# Not pages of the site: the API and its documentation, static files, the language switch, the
# machines' endpoints (health, readiness, metrics).
NOT_PAGES = ("/api/", "/static/", "/i18n/", "/healthz", "/readyz", "/metrics")
# The tour's one walk without signing in: ``ILONET_TOUR_ROLES=visitor`` selects it.
VISITOR = "visitor"

# Measures the page in the browser: is the document wider than the window, and which visible
# sibling boxes overlap. A box's extent includes content that spills out of its inline end
# (scrollWidth counts it while overflow is visible), so a table drawn over the next column makes
# its column's extent cross into that column; heights are the boxes' own (scrollHeight also counts
# the glyph overflow of headings, which is no fault). Boxes that clip or scroll their content (a
# table in an `.ecl-table-responsive` wrapper) end at their border. Positioned and floating boxes
# (menus, the skip link, dialogs) are placed over others on purpose and are left out, as are
# inline boxes (a link that wraps has a bounding box over its neighbours' lines).
MEASURE_JS = """
async () => {
  await document.fonts.ready;
  await new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)));
  const TOLERANCE = 2;
  const name = el => {
    let s = el.tagName.toLowerCase();
    if (el.id) s += '#' + el.id;
    const cls = [...el.classList].slice(0, 2).join('.');
    if (cls) s += '.' + cls;
    return s;
  };
  const path = el => {
    const parts = [];
    for (let e = el; e && e !== document.body && parts.length < 4; e = e.parentElement) {
      parts.unshift(name(e));
    }
    return parts.join(' > ');
  };
  const boxes = el => {
    const out = [];
    for (const child of el.children) {
      const cs = getComputedStyle(child);
      if (cs.display === 'none' || cs.display === 'contents' || cs.display === 'inline') continue;
      if (cs.visibility !== 'visible' || cs.position === 'absolute' || cs.position === 'fixed') continue;
      if (cs.float !== 'none') continue;
      const r = child.getBoundingClientRect();
      if (r.width < 1 || r.height < 1) continue;
      let right = r.right;
      if (cs.overflowX === 'visible') right = Math.max(right, r.left + child.scrollWidth);
      out.push({el: child, left: r.left, top: r.top, right, bottom: r.bottom});
    }
    return out;
  };
  const overlaps = [];
  for (const parent of document.body.querySelectorAll('*')) {
    if (parent.children.length < 2) continue;
    const cs = getComputedStyle(parent);
    if (cs.display === 'none' || cs.visibility !== 'visible') continue;
    const list = boxes(parent);
    for (let i = 0; i < list.length; i++) {
      for (let j = i + 1; j < list.length; j++) {
        const a = list[i], b = list[j];
        const w = Math.min(a.right, b.right) - Math.max(a.left, b.left);
        const h = Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top);
        if (w > TOLERANCE && h > TOLERANCE) {
          overlaps.push(`${path(a.el)} and ${name(b.el)} (${Math.round(w)}x${Math.round(h)} px)`);
        }
      }
    }
  }
  const doc = document.scrollingElement;
  const wide = [];
  if (doc.scrollWidth > window.innerWidth) {
    // The innermost boxes that reach past the window: where to look.
    for (const el of document.body.querySelectorAll('*')) {
      if (wide.length >= 3) break;
      const r = el.getBoundingClientRect();
      if (r.width === 0 || r.right <= window.innerWidth + 1) continue;
      if ([...el.children].some(c => c.getBoundingClientRect().right > window.innerWidth + 1)) continue;
      wide.push(`${path(el)} ends at ${Math.round(r.right)} px`);
    }
  }
  return {scrollWidth: doc.scrollWidth, innerWidth: window.innerWidth, wide, overlaps: overlaps.slice(0, 5)};
}
"""

AXE_JS = """
tags => axe.run(document, {runOnly: {type: 'tag', values: tags}}).then(result =>
  result.violations.map(v => `${v.id} (${v.impact}): ${v.help} -> ` +
    JSON.stringify(v.nodes.slice(0, 3).map(n => n.target))))
"""


@dataclass
class Check:
    """A page measured in the browser; ``roles`` saw this very page (the same main content)."""

    url: str
    url_name: str
    roles: list[str]
    too_wide: dict[int, str] = field(default_factory=dict)  # width -> where
    overlaps: dict[int, list[str]] = field(default_factory=dict)  # width -> which boxes
    wcag: list[str] = field(default_factory=list)

    def where(self) -> str:
        return f"{self.url} ({self.url_name}; {', '.join(self.roles)})"


@dataclass
class Tour:
    checks: list[Check] = field(default_factory=list)
    pages: dict[str, set[str]] = field(default_factory=dict)  # role -> url names opened
    downloads: set[str] = field(default_factory=set)  # url names answered with a file
    refused: dict[str, str] = field(default_factory=dict)  # link -> "role: status, linked from"
    get_status: dict[str, int] = field(default_factory=dict)  # url name -> status (unreached)
    seconds: float = 0.0

    def reached(self) -> set[str]:
        return set().union(*self.pages.values()) | self.downloads


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        href = dict(attrs).get("href")
        if tag == "a" and href:
            self.hrefs.append(href)


def links(html: str, base: str) -> list[str]:
    """The site's own links of a page, as paths with their query."""
    parser = _Links()
    parser.feed(html)
    origin = urlsplit(base)
    out = []
    for href in parser.hrefs:
        parts = urlsplit(urljoin(base, href))
        if parts.scheme in ("http", "https") and parts.netloc == origin.netloc:
            out.append(parts.path + (f"?{parts.query}" if parts.query else ""))
    return out


def url_name(path: str) -> str | None:
    """The URL name of a path of the site, or None when it is not one of its pages."""
    if path.startswith(NOT_PAGES):
        return None
    try:
        match = resolve(path)
    except Resolver404:
        return None
    return match.view_name if match.url_name else None


def main_content(html: str) -> str:
    """The page's <main>, without the per-request CSRF token: equal for equal pages."""
    start, end = html.find("<main"), html.rfind("</main>")
    main = html[start:end] if start >= 0 else html
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", main)


def seed_demo() -> list[accounts_demo.DemoLogin]:
    """The demo data, through the command a developer runs (``make demo``)."""
    call_command("seed_demo", allow_production=True, stdout=io.StringIO())
    return accounts_demo.demo_logins()


def sign_in(page, login: accounts_demo.DemoLogin) -> None:
    """As a person does: password, then the code of the account's authenticator app."""
    signin.sign_in(page, login.email, accounts_demo.DEMO_PASSWORD, login.totp_secret)


def measure(page, check: Check) -> None:
    """Both widths, and axe-core at the first; the page is left at the first width."""
    for width in WIDTHS:
        if width != WIDTHS[0]:
            page.set_viewport_size({"width": width, "height": HEIGHT})
            page.wait_for_timeout(SETTLE_MS)  # ECL's menu lays itself out again 200 ms after
        found = page.evaluate(MEASURE_JS)
        if found["scrollWidth"] > found["innerWidth"]:
            check.too_wide[width] = f"{found['scrollWidth']} px wide: " + "; ".join(found["wide"])
        if found["overlaps"]:
            check.overlaps[width] = found["overlaps"]
        if width == WIDTHS[0]:
            check.wcag = page.evaluate(AXE_JS, WCAG_TAGS)
    page.set_viewport_size({"width": WIDTHS[0], "height": HEIGHT})


class RoleTour:
    """One demo role's walk, in its own browser context (signed in once)."""

    def __init__(self, context, login: accounts_demo.DemoLogin, tour: Tour, measured: dict) -> None:
        self.context, self.login, self.tour, self.measured = context, login, tour, measured
        # the login names the walk: two demo logins may hold the same role in two member states
        self.role = f"{login.role} ({login.email.split('@')[0]})"
        self.opened = tour.pages.setdefault(self.role, set())
        self.queued: set[str] = set()
        self.others: dict[str, list[tuple[str, str]]] = {}  # url name -> (link, where), not followed
        self.fetches = 0
        self.page = context.new_page()
        sign_in(self.page, login)
        user = User.objects.get(email=login.email)
        # Who is signed in shows on some pages (their name, e-mail address): not a new page.
        self.identity = [text for text in (login.email, user.get_full_name(), str(user)) if text]

    def walk(self, start: str = "/") -> None:
        queue: deque[tuple[str, str]] = deque([(start, "")])
        self.queued.add(url_name(start) or start)
        while queue and self.fetches < MAX_FETCHES_PER_ROLE:
            url, source = queue.popleft()
            for link in self.open(url, source=source):
                name = url_name(urlsplit(link).path)
                if not name:
                    continue
                if name not in self.queued:
                    self.queued.add(name)
                    queue.append((link, url))
                else:
                    seen = self.others.setdefault(name, [])
                    if len(seen) < MAX_OTHERS and all(link != other for other, _where in seen):
                        seen.append((link, url))

    def open(self, url: str, *, source: str = "", check: bool = True) -> list[str]:
        """Fetch one page; measure it in the browser if no role saw the same (and ``check``);
        return its links."""
        name = url_name(urlsplit(url).path)
        if FILE.search(urlsplit(url).path):  # export.csv, minutes.pdf: a file, not a page
            self.tour.downloads.add(name)
            return []
        self.fetches += 1
        response = self.context.request.get(url, timeout=TIMEOUT_MS)  # with the role's cookies
        if response.status != 200:
            self.tour.refused[url] = f"{self.role}: {response.status}, linked from {source}"
            return []
        name = url_name(urlsplit(response.url).path)
        if name is None:
            return []
        if "text/html" not in response.headers.get("content-type", ""):
            self.tour.downloads.add(name)
            return []
        html = response.text()
        self.opened.add(name)
        requested = url_name(urlsplit(url).path)
        if requested and requested != name:  # it answered by sending the browser on
            self.opened.add(requested)
        main = main_content(html)
        for text in self.identity:
            main = main.replace(text, "")
        # The home page carries the role's own menu and name: measured for every role.
        key = (name, hashlib.sha256(main.encode()).hexdigest(), name == "home" and self.role)
        if key in self.measured:
            self.measured[key].roles.append(self.role)
        elif check:
            check = self.measured[key] = Check(url=url, url_name=name, roles=[self.role])
            self.tour.checks.append(check)
            # The browser gets the page just fetched (no second rendering on the server).
            target = response.url
            self.page.route(lambda u: u == target, lambda route: route.fulfill(response=response), times=1)
            self.page.goto(target, timeout=TIMEOUT_MS)
            measure(self.page, check)
        return links(html, response.url)

    def look_further(self, parent: str) -> None:
        """Open the other objects of a kind (``parent``) one after the other, following what
        they link to, until a page nobody reached yet is found or the role's budget is spent."""
        for url, where in self.others.get(parent, []):
            if self.fetches >= MAX_FETCHES_PER_ROLE + MAX_FURTHER:
                return
            before = self.tour.reached()
            for link in self.open(url, source=where, check=False):  # a kind already measured
                name = url_name(urlsplit(link).path)
                if name and name not in before and name not in self.opened:
                    self.queued.add(name)
                    self.open(link, source=url)
            if self.tour.reached() - before:
                return

    def close(self) -> None:
        self.context.close()


class VisitorTour(RoleTour):
    """Nobody signed in, holding the demo's invitation link: the pages an invitation e-mail
    opens (the link, then the page that sets the password) and the public pages they link to."""

    def __init__(self, context, tour: Tour, measured: dict) -> None:  # no sign-in
        self.context, self.login, self.tour, self.measured = context, None, tour, measured
        self.role = VISITOR
        self.opened = tour.pages.setdefault(self.role, set())
        self.queued: set[str] = set()
        self.others: dict[str, list[tuple[str, str]]] = {}
        self.fetches = 0
        self.page = context.new_page()
        self.identity: list[str] = []


def parents(name: str, routes: dict[str, str]) -> list[str]:
    """The pages whose address starts the page's own (deployments:deployment_detail for
    deployments:deployment_edit): where a link to it would be, for another object."""
    route = routes[name]
    return sorted(
        (other for other, r in routes.items() if other != name and "1" in r and route.startswith(r)),
        key=lambda other: -len(routes[other]),
    )


def run_tour(browser, base_url: str, routes: dict[str, str], only: set[str] | None = None) -> Tour:
    """Sign in as each demo role (one browser context each) and walk the site from the home
    page, and, signed in as nobody, from the demo's invitation link. Then, for each page of the
    site no role reached, each role opens other objects of the
    page's parent kind (the first link to a deployment was not one the role may change, the next
    may be), within a budget. Last, what a GET answers for the pages still not reached."""
    started = time.monotonic()
    tour, measured, walks, visitors = Tour(), {}, [], []
    try:
        for login in seed_demo():
            if only and login.email.split("@")[0] not in only:
                continue
            context = browser.new_context(
                locale="en-GB", base_url=base_url, viewport={"width": WIDTHS[0], "height": HEIGHT}
            )
            context.add_init_script(path=str(AXE))  # by the debugger protocol: the CSP stays strict
            walk = RoleTour(context, login, tour, measured)
            walks.append(walk)
            walk.walk()
        invitation = accounts_demo.demo_invitation()
        if invitation is not None and (not only or VISITOR in only):
            context = browser.new_context(
                locale="en-GB", base_url=base_url, viewport={"width": WIDTHS[0], "height": HEIGHT}
            )
            context.add_init_script(path=str(AXE))
            visitor = VisitorTour(context, tour, measured)
            visitors.append(visitor)
            visitor.walk(urlsplit(invitation.link).path)
        admin = next((w for w in walks if w.login.email.startswith("admin@")), None)
        unreached = [n for n in routes if n not in tour.reached() and not FILE.search(routes[n])]
        if admin is not None:  # a form's target (405) is reached by no link: not a page
            status = {n: admin.context.request.get(routes[n], max_redirects=0).status for n in unreached}
            unreached = [n for n in unreached if status[n] != 405]
        for name in unreached:
            for parent in parents(name, routes):
                for walk in walks:
                    if name not in tour.reached():
                        walk.look_further(parent)
        if admin is not None:
            for name in unreached:
                if name not in tour.reached():
                    tour.get_status[name] = status[name]
    finally:
        for walk in walks + visitors:
            walk.close()
    tour.seconds = time.monotonic() - started
    return tour


def site_pages() -> dict[str, str]:
    """Every named page of ILOnet's own views (not the API), each path parameter set to 1."""

    def walk(patterns, prefix: str = "", namespace: str = ""):
        for entry in patterns:
            if isinstance(entry, URLResolver):
                inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
                yield from walk(entry.url_patterns, prefix + str(entry.pattern), inner)
            elif isinstance(entry, URLPattern) and entry.name:
                yield f"{namespace}{entry.name}", prefix + str(entry.pattern), entry.callback

    return {
        name: "/" + re.sub(r"<[^>]*>", "1", route)
        for name, route, view in walk(get_resolver().url_patterns)
        if getattr(view, "__module__", "").startswith("ilonet.") and not ("/" + route).startswith(NOT_PAGES)
    }
