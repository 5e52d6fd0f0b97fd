"""IBANs and national identity numbers, each validated by python-stdnum (check digits, and
the embedded birth date where the number has one).

Strong numbers count on their own: an IBAN (ISO 13616, mod 97, the country's BBAN format), the
French NIR (15 digits, key mod 97), the Belgian national register number (birth date and mod
97), the Italian codice fiscale (16 characters in a fixed letter-digit pattern, check letter),
the Spanish DNI and NIE (check letter), and a BSN written the usual way (``1234.56.782``).

Weak numbers, where one random number in ten or eleven passes the check (the Dutch BSN's
"11-test", the Polish PESEL, the German tax id), count only next to a label ("BSN",
"PESEL", "Steuer-ID", "ID number", …) within a few words before them, or under such a column
header, since a statistics table is full of nine- and eleven-digit figures."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator

from stdnum import iban
from stdnum.be import nn as be_nn
from stdnum.de import idnr as de_idnr
from stdnum.es import dni as es_dni
from stdnum.es import nie as es_nie
from stdnum.fr import nir as fr_nir
from stdnum.it import codicefiscale as it_cf
from stdnum.nl import bsn as nl_bsn
from stdnum.pl import pesel as pl_pesel

from ilonet.shared.personal_data_guard.base import Match, before, standalone

LABEL_WINDOW = 48

# --- IBAN -------------------------------------------------------------------------------

IBAN_START = re.compile(r"(?<![A-Za-z0-9])[A-Za-z]{2}[0-9]{2}(?:[ \u00a0-]?[A-Za-z0-9]){11,34}")


def find_iban(text: str) -> Iterator[Match]:
    pos = 0
    while (match := IBAN_START.search(text, pos)) is not None:
        raw = match.group(0)
        offsets = [i for i, ch in enumerate(raw) if ch.isalnum()]
        compact = "".join(raw[i] for i in offsets).upper()
        found = None
        for length in range(min(len(compact), 34), 14, -1):
            candidate = compact[:length]
            end = match.start() + offsets[length - 1] + 1
            if end < len(text) and text[end].isalnum() and length == len(compact):
                continue
            if iban.is_valid(candidate):
                found = Match("iban", match.start(), end, candidate, candidate[:2])
                break
        if found:
            yield found
            pos = found.end
        else:
            pos = match.start() + 1


# --- national identity numbers ------------------------------------------------------------

GENERIC_LABELS = (
    r"id(?:entity|entification)?[ -]?(?:number|no\.?|nr\.?|card)|national id|personal (?:id|number|code)|"
    r"identiteitsnummer|identificatienummer|persoonsnummer|persoonsgebonden nummer|"
    r"num[ée]ro d'identit[ée]|num[ée]ro personnel|"
    r"ausweisnummer|personalausweis|identifikationsnummer|personenkennzahl|"
    r"social security|sozialversicherungsnummer|sofinummer|sofi-nummer"
)
LABELS = {
    "nl.bsn": r"bsn|burgerservicenummer|burger service nummer|citizen service number",
    "be.nn": r"rijksregister(?:nummer)?|insz|niss|num[ée]ro (?:de )?registre national|num[ée]ro national|"
    r"national (?:register|registry) number|nationalregisternummer",
    "fr.nir": r"nir|num[ée]ro de s[ée]curit[ée] sociale|n° de s[ée]curit[ée] sociale|n° ss|insee",
    "de.idnr": r"steuer-?id(?:nr)?|steuer-identifikationsnummer|steueridentifikationsnummer|"
    r"steuerliche identifikationsnummer|idnr|tax id(?:entification number)?|tin",
    "pl.pesel": r"pesel",
    "es.dni": r"dni|nif|documento nacional",
    "es.nie": r"nie",
    "it.codicefiscale": r"codice fiscale|c\.f\.|cf",
}
LABEL_RE = {
    key: re.compile(rf"(?i)(?<![\w])(?:{pattern}|{GENERIC_LABELS})(?![\w])")
    for key, pattern in LABELS.items()
}


def labelled(text: str, start: int, kind: str) -> bool:
    return LABEL_RE[kind].search(before(text, start, LABEL_WINDOW)) is not None


Validator = Callable[[str], bool]
# (type, candidate pattern, validator, needs a label)
NATIONAL_IDS: list[tuple[str, re.Pattern[str], Validator, bool]] = [
    (
        "it.codicefiscale",
        standalone(
            r"[A-Za-z]{6}[0-9LMNPQRSTUV]{2}[A-Za-z][0-9LMNPQRSTUV]{2}[A-Za-z][0-9LMNPQRSTUV]{3}[A-Za-z]"
        ),
        it_cf.is_valid,
        False,
    ),
    ("es.nie", standalone(r"[XYZxyz][- ]?[0-9]{7}[- ]?[A-Za-z]"), es_nie.is_valid, False),
    ("es.dni", standalone(r"[0-9]{8}[- ]?[A-Za-z]"), es_dni.is_valid, False),
    (
        "fr.nir",
        standalone(
            r"[1-478][ ]?[0-9]{2}[ ]?[0-9]{2}[ ]?(?:[0-9]{2}|2[AaBb])[ ]?[0-9]{3}[ ]?[0-9]{3}[ ]?[0-9]{2}"
        ),
        fr_nir.is_valid,
        False,
    ),
    ("be.nn", standalone(r"[0-9]{2}\.[0-9]{2}\.[0-9]{2}[-. ][0-9]{3}[-. ][0-9]{2}"), be_nn.is_valid, False),
    ("be.nn", standalone(r"[0-9]{11}"), be_nn.is_valid, False),
    ("nl.bsn", standalone(r"[0-9]{4}\.[0-9]{2}\.[0-9]{3}"), nl_bsn.is_valid, False),
    (
        "nl.bsn",
        standalone(r"[0-9]{9}|[0-9]{3} [0-9]{3} [0-9]{3}|[0-9]{4} [0-9]{2} [0-9]{3}"),
        nl_bsn.is_valid,
        True,
    ),
    ("pl.pesel", standalone(r"[0-9]{11}"), pl_pesel.is_valid, True),
    ("de.idnr", standalone(r"[1-9][0-9]{10}|[1-9][0-9] [0-9]{3} [0-9]{3} [0-9]{3}"), de_idnr.is_valid, True),
]


def find_national_ids(text: str) -> Iterator[Match]:
    taken: list[tuple[int, int]] = []
    for kind, pattern, is_valid, needs_label in NATIONAL_IDS:
        for match in pattern.finditer(text):
            start, end = match.span()
            if any(s < end and start < e for s, e in taken):
                continue
            value = re.sub(r"[\s.\-]", "", match.group(0)).upper()
            if needs_label and not labelled(text, start, kind):
                continue
            if is_valid(value):
                taken.append((start, end))
                yield Match("national_id", start, end, value, kind)
