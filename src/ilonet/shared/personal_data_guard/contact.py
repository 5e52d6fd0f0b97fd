"""E-mail addresses, phone numbers and links to personal profiles or shared documents.

- E-mail: the plain form and the usual disguises ("name [at] domain [dot] eu",
  "name(at)domain.eu", "name at domain dot eu"), the address then checked by Django's
  ``EmailValidator``.
- Phone: Google's libphonenumber (``phonenumbers``), leniency VALID (the number exists in its
  country's plan). International numbers (``+``, ``00``) count anywhere; national numbers with
  a trunk prefix ("020 123 4567", "06 12 34 56 78") are tried in the countries that use one;
  numbers without a trunk prefix (Spain, Poland, Morocco, …) only after a label ("Tel.",
  "GSM", "Handy", …), since such digit runs are everywhere in statistics.
- Links: profiles on social networks (LinkedIn ``/in/``, Facebook, X/Twitter, Instagram, VK,
  Telegram, TikTok, Threads), personal cloud shares (Google Drive and Docs, Dropbox, OneDrive,
  personal SharePoint sites and sharing links, WeTransfer, iCloud, Box, MEGA) and ``mailto:``
  links. An institution's own page on a social network is flagged too: the override covers it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from urllib.parse import urlsplit

import phonenumbers
from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator

from ilonet.shared.personal_data_guard.base import Match

# --- e-mail -------------------------------------------------------------------------------

_OPEN, _CLOSE = r"[\[\(\{<]", r"[\]\)\}>]"
AT = rf"(?:\s?@\s?|\s?{_OPEN}\s?(?:at|AT|At|@|arobase|ät)\s?{_CLOSE}\s?)"
DOT = rf"(?:\.|\s?{_OPEN}\s?(?:dot|DOT|Dot|punt|point|punkt|\.)\s?{_CLOSE}\s?|\s(?:dot|DOT)\s)"
BARE_AT = r"\s(?:at|AT)\s"
BARE_DOT = rf"(?:\s?{_OPEN}\s?(?:dot|DOT|punt|point|punkt)\s?{_CLOSE}\s?|\s(?:dot|DOT)\s)"
# Letters outside ASCII are allowed in both parts (RFC 6531, IDNA): "amélie.dupont@exemple.fr".
LOCAL = r"[^\W_][\w.%+'-]{0,63}"
LABEL = r"[^\W_](?:[\w-]{0,61}[^\W_])?"
EMAIL = re.compile(rf"(?<![\w.%+'-])({LOCAL})({AT})({LABEL}(?:{DOT}{LABEL})*{DOT}[A-Za-z]{{2,24}})(?![\w-])")
EMAIL_BARE = re.compile(
    rf"(?<![\w.%+'-])({LOCAL}){BARE_AT}({LABEL}(?:{BARE_DOT}{LABEL})*{BARE_DOT}[A-Za-z]{{2,24}})(?![\w-])"
)
DOT_NORMAL = re.compile(DOT)
FILE_SUFFIXES = {"png", "jpg", "jpeg", "gif", "svg", "webp", "pdf", "css", "js", "docx", "xlsx"}
_validate_email = EmailValidator()


def _email(local: str, domain: str) -> str | None:
    domain = DOT_NORMAL.sub(".", domain).lower()
    address = f"{local}@{domain}"
    if domain.rsplit(".", 1)[-1] in FILE_SUFFIXES:
        return None
    # Django's validator knows ASCII local parts only; a letter beyond ASCII stands for one.
    ascii_local = "".join(ch if ch.isascii() else "x" for ch in local)
    try:
        _validate_email(f"{ascii_local}@{domain}")
    except ValidationError:
        return None
    return address.lower()


def find_emails(text: str) -> Iterator[Match]:
    spans: list[tuple[int, int]] = []
    for match in EMAIL.finditer(text):
        if text[max(0, match.start() - 7) : match.start()].lower() == "mailto:":
            continue  # reported as a mailto: link
        address = _email(match.group(1), match.group(3))
        if address:
            obfuscated = "@" not in match.group(2) or not match.group(3).count(".")
            spans.append(match.span())
            yield Match("email", match.start(), match.end(), address, "obfuscated" if obfuscated else "")
    for match in EMAIL_BARE.finditer(text):
        if any(s < match.end() and match.start() < e for s, e in spans):
            continue
        address = _email(match.group(1), match.group(2))
        if address:
            yield Match("email", match.start(), match.end(), address, "obfuscated")


# --- phone numbers ------------------------------------------------------------------------

# Countries whose national numbers start with a trunk prefix 0 (or keep a leading 0).
TRUNK_REGIONS = (
    "NL",
    "BE",
    "FR",
    "DE",
    "AT",
    "CH",
    "GB",
    "IE",
    "IT",
    "SE",
    "FI",
    "HU",
    "SI",
    "HR",
    "BG",
    "RO",
    "LT",
    "TR",
    "MA",
    "DZ",
    "TN",
    "EG",
    "NG",
    "UA",
    "RU",
    "PK",
    "AF",
    "IQ",
    "SY",
    "IR",
)
# After a label, any EU, EFTA or common third country.
LABEL_REGIONS = TRUNK_REGIONS + (
    "ES",
    "PT",
    "PL",
    "GR",
    "CY",
    "MT",
    "LU",
    "DK",
    "NO",
    "IS",
    "CZ",
    "SK",
    "EE",
    "LV",
    "LI",
    "SN",
    "ML",
    "NE",
    "CI",
    "GH",
    "CM",
    "CD",
    "ET",
    "ER",
    "SD",
    "LY",
    "GE",
    "AM",
    "AZ",
    "AL",
    "RS",
    "BA",
    "ME",
    "MK",
    "XK",
    "MD",
    "BY",
    "CN",
    "IN",
    "BD",
    "LK",
    "VN",
    "PH",
    "US",
    "CA",
    "BR",
    "CO",
    "VE",
)
PHONE_LABEL = re.compile(
    r"(?i)(?<![\w])(?:tel(?:ephone|efoon|efon|éphone)?|phone|mobile?|mobiel|mob|gsm|cell(?:phone)?|portable|"
    r"handy|fax|t[ée]l[ée]copie|whatsapp|signal|☎|📞)\.?\s*(?:nr\.?|no\.?|number|nummer)?\s*[:.]?\s*"
)
INTERNATIONAL = re.compile(r"(?:\+|\b00)\s?\(?\d")
NATIONAL = re.compile(r"(?<![\d+])\(?0\d[\d\s\-./()]{6,}")
_LENIENCY = phonenumbers.Leniency.VALID
IBAN_SHAPE = re.compile(
    r"(?<![A-Za-z0-9])[A-Z]{2}[0-9]{2}(?:[ ]?[A-Z0-9]{4}){2,7}(?:[ ]?[A-Z0-9]{1,4})?(?![A-Za-z0-9])"
)
# The digits of a decimal fraction, or a part of a reference written with slashes
# ("file 2026/0417/164300": "0417/164300" is a valid French number).
DECIMAL_BEFORE = re.compile(r"\d[.,/]$")
DECIMAL_AFTER = re.compile(r"[.,/]\d")
# A date is no phone number, though "04-05-1975" is a valid German one.
DATE_LIKE = re.compile(r"\(?\d{1,4}([-./])\d{1,2}\1\d{2,4}\)?")


def _matches(text: str, region: str, offset: int = 0) -> Iterator[tuple[int, int, str, str]]:
    for found in phonenumbers.PhoneNumberMatcher(text, region, leniency=_LENIENCY, max_tries=200):
        number = found.number
        e164 = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
        country = phonenumbers.region_code_for_number(number) or region
        yield offset + found.start, offset + found.end, e164, country


def find_phones(text: str) -> Iterator[Match]:
    """Each phone number once; a national number valid in several countries ("06 12 34 56 78"
    in the Netherlands and France) names them all in its detail, the first one's E.164 form as
    its value."""
    found: dict[tuple[int, int], list[tuple[str, str]]] = {}
    # Digits inside an account number (an IBAN with a wrong check digit too) are not a phone.
    accounts = [m.span() for m in IBAN_SHAPE.finditer(text)]

    def add(start: int, end: int, e164: str, country: str) -> None:
        if DATE_LIKE.fullmatch(text[start:end].strip()):
            return
        if any(s <= start and end <= e for s, e in accounts):
            return
        if DECIMAL_BEFORE.search(text, 0, start) or DECIMAL_AFTER.match(text, end):
            return  # a decimal fraction ("ratio 0.0612345678") or a reference ("2026/0417/164300")
        if (start, end) in found:
            if country not in [c for _, c in found[(start, end)]]:
                found[(start, end)].append((e164, country))
        elif not any(s < end and start < e for s, e in found):
            found[(start, end)] = [(e164, country)]

    if INTERNATIONAL.search(text):
        for start, end, e164, country in _matches(text, "NL"):
            if text[start:end].lstrip("( ").startswith(("+", "00")):
                add(start, end, e164, country)
    if NATIONAL.search(text):
        for region in TRUNK_REGIONS:
            for start, end, e164, country in _matches(text, region):
                if text[start:end].lstrip("( ").startswith("0") and not text[start:end].startswith("00"):
                    add(start, end, e164, country)
    for label in PHONE_LABEL.finditer(text):
        window = text[label.end() : label.end() + 32]
        for region in LABEL_REGIONS:
            hits = list(_matches(window, region, label.end()))
            for hit in hits:
                add(*hit)
            if hits:
                break
    for (start, end), numbers in sorted(found.items()):
        countries = [country for _, country in numbers]
        detail = ", ".join(countries[:3]) + (", …" if len(countries) > 3 else "")
        yield Match("phone", start, end, numbers[0][0], detail)


# --- links --------------------------------------------------------------------------------

URL = re.compile(
    r"(?i)(?<![\w@.-])(?:https?://|www\.)?(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,24}"
    r"(?::\d{1,5})?(?:/[^\s<>\"'|\]\[()]*)?"
)
MAILTO = re.compile(r"(?i)mailto:[^\s<>\"'|]+")
SOCIAL = {
    "linkedin.com": ("linkedin", None),
    "facebook.com": (
        "facebook",
        {
            "",
            "sharer",
            "sharer.php",
            "share",
            "share.php",
            "policies",
            "privacy",
            "help",
            "legal",
            "business",
            "watch",
            "hashtag",
            "login",
            "login.php",
            "marketplace",
            "gaming",
            "events",
            "groups",
            "pages",
            "dialog",
            "plugins",
            "tr",
        },
    ),
    "fb.com": ("facebook", {""}),
    "x.com": (
        "x",
        {
            "",
            "home",
            "search",
            "intent",
            "share",
            "hashtag",
            "i",
            "explore",
            "settings",
            "login",
            "tos",
            "privacy",
        },
    ),
    "twitter.com": (
        "x",
        {
            "",
            "home",
            "search",
            "intent",
            "share",
            "hashtag",
            "i",
            "explore",
            "settings",
            "login",
            "tos",
            "privacy",
        },
    ),
    "instagram.com": (
        "instagram",
        {"", "p", "reel", "reels", "explore", "accounts", "about", "developer", "legal"},
    ),
    "vk.com": ("vk", {"", "feed", "search", "about", "terms", "privacy"}),
    "t.me": ("telegram", {"", "share"}),
    "telegram.me": ("telegram", {"", "share"}),
    "tiktok.com": ("tiktok", None),
    "threads.net": ("threads", None),
}
SHARES = (
    (re.compile(r"^drive\.google\.com$"), re.compile(r"^/(?:file|drive|open|uc)\b")),
    (re.compile(r"^docs\.google\.com$"), re.compile(r"^/(?:document|spreadsheets|presentation|forms)/")),
    (re.compile(r"^(?:www\.)?dropbox\.com$"), re.compile(r"^/(?:s|sh|scl|l)/")),
    (re.compile(r"^dl\.dropboxusercontent\.com$"), re.compile(r"^/")),
    (re.compile(r"^1drv\.ms$"), re.compile(r"^/.")),
    (re.compile(r"^onedrive\.live\.com$"), re.compile(r"^/.")),
    (re.compile(r"^[a-z0-9-]+-my\.sharepoint\.com$"), re.compile(r"^/.")),
    (re.compile(r"^[a-z0-9-]+\.sharepoint\.com$"), re.compile(r"^/:[a-z]:/|^/personal/")),
    (re.compile(r"^(?:www\.)?wetransfer\.com$"), re.compile(r"^/downloads/")),
    (re.compile(r"^we\.tl$"), re.compile(r"^/.")),
    (re.compile(r"^(?:www\.)?icloud\.com$"), re.compile(r"^/(?:iclouddrive|share|photos|attachment)/")),
    (re.compile(r"^(?:app\.)?box\.com$"), re.compile(r"^/s/")),
    (re.compile(r"^mega\.nz$"), re.compile(r"^/(?:file|folder)/")),
)


def classify_link(url: str) -> str | None:
    """The kind of personal link ``url`` is ("linkedin", "cloud share", …), or None."""
    parts = urlsplit(url if "//" in url else "https://" + url)
    host = (parts.hostname or "").lower()
    path = parts.path or "/"
    bare = host.removeprefix("www.").removeprefix("m.").removeprefix("mobile.").removeprefix("web.")
    for domain, (name, excluded) in SOCIAL.items():
        if bare == domain or bare.endswith("." + domain):
            first = path.strip("/").split("/", 1)[0].lower()
            if name == "linkedin":
                return name if re.match(r"^/(?:in|pub)/[^/]+", path) else None
            if name in ("tiktok", "threads"):
                return name if first.startswith("@") and len(first) > 1 else None
            if name == "facebook" and first == "profile.php":
                return name if "id=" in parts.query else None
            return name if excluded is not None and first not in excluded else None
    for host_re, path_re in SHARES:
        if host_re.match(host) and path_re.match(path):
            return "cloud share"
    return None


def find_links(text: str) -> Iterator[Match]:
    mailto_spans = []
    for match in MAILTO.finditer(text):
        mailto_spans.append(match.span())
        address = match.group(0)[7:].split("?", 1)[0].rstrip(".,;:").lower()
        if "@" in address:
            yield Match("personal_link", match.start(), match.end(), "mailto:" + address, "mailto")
    for match in URL.finditer(text):
        if any(s <= match.start() < e for s, e in mailto_spans):
            continue
        url = match.group(0).rstrip(".,;:!?")
        kind = classify_link(url)
        if kind:
            normal = re.sub(r"^(?:https?://)?(?:www\.)?", "", url.lower()).rstrip("/")
            yield Match("personal_link", match.start(), match.start() + len(url), normal, kind)
