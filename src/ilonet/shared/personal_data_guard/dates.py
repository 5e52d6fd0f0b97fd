"""Dates of birth: a real calendar date after a birth label in English, Dutch, French or German
("date of birth", "born on", "geboren op", "geboortedatum", "geb.", "né(e) le", "date de
naissance", "Geburtsdatum", "geboren am", "DOB", "°", "*"), or right after a person's name
("Jan de Vries (12-03-1980)", "Anna Schmidt, 3 May 1985").

A date next to a name counts only as a birth date a person could have (between 14 and 100
years ago), and the name must look like one (two to four capitalised words, particles such as
"van der" or "de" allowed, no word of an institution, a treaty or a meeting), so that "the
Schengen Agreement (14 June 1985)" or "Meeting of 12 March 2024" pass."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date

from django.utils import timezone

from ilonet.shared.personal_data_guard.base import Match

MONTHS = {
    1: "january jan januari janvier janv januar jänner jän",
    2: "february feb febr februari février fevrier févr fevr februar",
    3: "march mar maart mrt mars märz maerz mär mrz",
    4: "april apr avril avr",
    5: "may mei mai",
    6: "june jun juni juin",
    7: "july jul juli juillet juil",
    8: "august aug augustus août aout",
    9: "september sep sept septembre",
    10: "october oct oktober okt octobre",
    11: "november nov novembre",
    12: "december dec décembre decembre déc dezember dez",
}
MONTH_OF = {name: number for number, names in MONTHS.items() for name in names.split()}
MONTH_RE = "|".join(sorted(map(re.escape, MONTH_OF), key=len, reverse=True))
DATE = re.compile(
    rf"(?i)(?<![\d\w])(?:"
    rf"(?P<d>\d{{1,2}})[./-](?P<m>\d{{1,2}})[./-](?P<y>\d{{4}}|\d{{2}})"
    rf"|(?P<Y>\d{{4}})-(?P<M>\d{{1,2}})-(?P<D>\d{{1,2}})"
    rf"|(?P<td>\d{{1,2}})(?:st|nd|rd|th|er|e|\.)?\s+(?P<tm>{MONTH_RE})\.?,?\s+(?P<ty>\d{{4}})"
    rf"|(?P<tm2>{MONTH_RE})\.?\s+(?P<td2>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<ty2>\d{{4}})"
    rf")(?![\d\w])"
)
BIRTH_LABEL = re.compile(
    r"(?i)(?<![\w])(?:date of birth|birth ?date|d\.?o\.?b\.?|born|"
    r"geboortedatum|geboren|geb\.(?:-?datum)?|"
    r"date de naissance|né(?:e|\(e\))?|"
    r"geburtsdatum|geburtstag)(?![\w])|[°*]"
)
# Filler allowed between a label and its date: words and punctuation, no digits, no sentence end.
FILLER = re.compile(r"[^\d.!?\n]{0,40}?|[^\d]{0,6}")
PARTICLES = "van|von|der|den|de|del|della|di|da|du|des|le|la|ten|ter|zu|zum|dos|das|el|al|bin|ben|ibn|mc|o'"
NAME_WORD = (
    r"(?:[A-ZÀ-ÖØ-Þ][a-zß-öø-ÿ'’]+(?:-[A-ZÀ-ÖØ-Þ][a-zß-öø-ÿ'’]+)?|[A-ZÀ-ÖØ-Þ]{2,}(?:-[A-ZÀ-ÖØ-Þ]{2,})?)"
)
NAME_THEN_DATE = re.compile(
    rf"(?P<name>{NAME_WORD}(?:\s+(?:(?:{PARTICLES})\s+){{0,3}}{NAME_WORD}){{1,3}})"
    rf"\s*(?:,|\(|\*|°|–|-)\s*(?:(?:born|geb\.|geboren|née?|n[ée]e?)\s+)?$"
)
NAME_STOPWORDS = (
    "european union council commission parliament court regulation directive treaty agreement",
    "convention decision board meeting report article annex protocol republic kingdom state states",
    "ministry office agency embassy consulate network conference summit group committee strategy",
    "programme program plan europol frontex euaa eu un unhcr iom schengen dublin rome lisbon",
    "maastricht amsterdam nice brussels luxembourg strasbourg january february march april may june",
    "july august september october november december monday tuesday wednesday thursday friday",
    "saturday sunday the of and for on in at van het de des du la le der die das verordening",
    "richtlijn raad commissie parlement hof verdrag overeenkomst besluit vergadering verslag artikel",
    "bijlage ministerie ambassade règlement directive conseil cour traité accord décision réunion",
    "rapport annexe ministère ambassade verordnung richtlinie rat kommission gerichtshof vertrag",
    "abkommen beschluss sitzung bericht artikel anhang ministerium botschaft statistics statistiek",
    "statistique statistik total totaal police politie polizei national nationale federal federale",
    "bundes royal koninklijke marechaussee schengener übereinkommen konvention akkoord pacte pact",
    "charter charta handvest charte declaration erklärung verklaring déclaration protokoll gipfel",
    "top sommet act law wet loi gesetz code wetboek geneva genève genf vienna wenen wien hague haag",
    "paris parijs berlin berlijn madrid warsaw warschau",
)
NOT_NAMES = {word for line in NAME_STOPWORDS for word in line.split()}


def parse_date(match: re.Match[str]) -> date | None:
    group = match.groupdict()
    try:
        if group["d"]:
            day, month, year = int(group["d"]), int(group["m"]), group["y"]
            if month > 12 >= day:  # 03/25/1980, the American order
                day, month = month, day
        elif group["Y"]:
            day, month, year = int(group["D"]), int(group["M"]), group["Y"]
        elif group["td"]:
            day, month, year = int(group["td"]), MONTH_OF[group["tm"].lower()], group["ty"]
        else:
            day, month, year = int(group["td2"]), MONTH_OF[group["tm2"].lower()], group["ty2"]
        full = int(year)
        if len(year) == 2:
            full += 1900 if full > timezone.localdate().year % 100 else 2000
        return date(full, month, day)
    except (ValueError, KeyError, TypeError):
        return None


def _plausible(born: date, *, youngest: int, oldest: int = 110) -> bool:
    today = timezone.localdate()
    age = today.year - born.year - ((today.month, today.day) < (born.month, born.day))
    return youngest <= age <= oldest


def _looks_like_name(name: str) -> bool:
    words = [w.strip("'’").lower() for w in re.split(r"[\s-]+", name) if w]
    capitalised = [w for w in words if w not in PARTICLES.split("|")]
    return len(capitalised) >= 2 and not any(w in NOT_NAMES for w in capitalised)


def find_dates_of_birth(text: str) -> Iterator[Match]:
    taken: list[tuple[int, int]] = []
    for label in BIRTH_LABEL.finditer(text):
        symbol = label.group(0) in "°*"
        gap = 2 if symbol else 40
        window = text[label.end() : label.end() + gap + 32]
        found = DATE.search(window)
        if not found or not FILLER.fullmatch(window[: found.start()]) or found.start() > gap:
            continue
        born = parse_date(found)
        if born and _plausible(born, youngest=14 if symbol else 0):
            start, end = label.end() + found.start(), label.end() + found.end()
            taken.append((start, end))
            yield Match("date_of_birth", label.start(), end, born.isoformat(), "label")
    for found in DATE.finditer(text):
        if any(s <= found.start() < e for s, e in taken):
            continue
        head = NAME_THEN_DATE.search(text[max(0, found.start() - 80) : found.start()])
        born = parse_date(found)
        if (
            head
            and born
            and _plausible(born, youngest=14, oldest=100)
            and _looks_like_name(head.group("name"))
        ):
            start = found.start() - (len(text[max(0, found.start() - 80) : found.start()]) - head.start())
            yield Match("date_of_birth", start, found.end(), born.isoformat(), "name")
