"""The labelled corpus of the personal-data guard: 120 documents, 30 in each of English, Dutch,
French and German, 20 in each of PDF, DOCX, XLSX, ODT, CSV and TXT; half hold personal data
(in the body, a table, a header, a footer, a comment, a footnote, a hidden or very hidden
sheet, a two-column page, a link target, the document properties), half are hard negatives
(statistics tables, article and case numbers, numbers and IBANs with wrong check digits,
dates of meetings and treaties, institutional links, the Regulation's own text).

Built from a seed, the same on every run: ``build(folder)`` writes the files and returns the
labels; ``manifest.json`` beside this file holds the labels, and a test checks that the
builder still gives them. Run ``python -m ilonet.shared.personal_data_guard.tests.corpus.build
FOLDER`` to look at the files."""

from __future__ import annotations

import json
import random
import sys
from collections.abc import Callable
from pathlib import Path

from stdnum import iban as std_iban
from stdnum.es import dni as es_dni
from stdnum.fr import nir as fr_nir
from stdnum.it import codicefiscale as it_cf
from stdnum.nl import bsn as nl_bsn
from stdnum.pl import pesel as pl_pesel

from ilonet.shared.personal_data_guard.tests.corpus.fakes import PHONE_REGIONS, THIRD_COUNTRIES, Fakes
from ilonet.shared.personal_data_guard.tests.corpus.render import Spec, render
from ilonet.shared.personal_data_guard.tests.corpus.texts import (
    COUNTRIES,
    ID_LABELS,
    LABELS,
    LOOKALIKES,
    MONTHS,
    PROSE,
    STATS_HEADER,
    TITLES,
)

SEED = 20190620  # the day Regulation (EU) 2019/1240 was signed
HERE = Path(__file__).resolve().parent
MANIFEST = HERE / "manifest.json"
REGULATION = HERE / "regulation-2019-1240-nl.txt"
LANGUAGES = ("en", "nl", "fr", "de")
FORMATS = ("pdf", "docx", "xlsx", "odt", "csv", "txt")
PER_CELL = 5
ID_KINDS = {
    "en": ["it.codicefiscale", "es.dni", "es.nie", "pl.pesel"],
    "nl": ["nl.bsn", "be.nn"],
    "fr": ["fr.nir", "be.nn"],
    "de": ["de.idnr", "pl.pesel"],
}
CONTENT_MIME = {
    "pdf": "application/pdf",
    "docx": "docx",
    "xlsx": "xlsx",
    "odt": "odt",
    "csv": "text/csv",
    "txt": "text/plain",
}


class Maker:
    def __init__(self, rnd: random.Random, fakes: Fakes) -> None:
        self.rnd = rnd
        self.f = fakes

    def date_text(self, lang: str, born) -> str:
        style = self.rnd.choice(["long", "numeric", "iso"])
        if style == "iso":
            return born.isoformat()
        if style == "numeric":
            sep = {"en": "/", "nl": "-", "fr": "/", "de": "."}[lang]
            return f"{born.day:02d}{sep}{born.month:02d}{sep}{born.year}"
        month = MONTHS[lang][born.month - 1]
        return (
            f"{month} {born.day}, {born.year}"
            if lang == "en" and self.rnd.random() < 0.5
            else f"{born.day}{'.' if lang == 'de' else ''} {month} {born.year}"
        )

    def stats(self, lang: str, rows: int = 6, *, tricky: bool = False) -> tuple[list[str], list[list[str]]]:
        header = list(STATS_HEADER[lang])
        out = []
        for _ in range(rows):
            quarter = self.rnd.randint(1, 4)
            year = self.rnd.randint(2019, 2025)
            end_month = quarter * 3
            day = {3: 31, 6: 30, 9: 30, 12: 31}[end_month]
            row = [
                self.rnd.choice(COUNTRIES),
                f"Q{quarter} {year}",
                str(self.rnd.randint(120, 98000)),
                str(self.rnd.randint(10, 9000)),
                f"{self.rnd.choice('+-')}{self.rnd.randint(0, 60)}.{self.rnd.randint(0, 9)}%",
                f"{year}-{end_month:02d}-{day}",
            ]
            out.append(row)
        if tricky:
            header.append("Budget (EUR)")
            for row in out:
                # Nine-digit figures, a tenth of which pass the Dutch 11-test by chance.
                row.append(
                    self.f.bsn() if self.rnd.random() < 0.5 else str(self.rnd.randint(100000000, 999999999))
                )
        return header, out

    def personal_item(self, lang: str, kind: str) -> tuple[str, str]:
        """(text holding one personal datum of ``kind``, the kind actually expected)."""
        label = LABELS[lang]
        f = self.f
        if kind == "email":
            style = self.rnd.choice(["plain", "plain", "brackets", "parens", "words"])
            return f"{label['contact']}: {f.email(lang, style)}", "email"
        if kind == "phone":
            if self.rnd.random() < 0.5:
                return (
                    f"{label['phone']}: {f.phone(self.rnd.choice(PHONE_REGIONS[lang]), international=False)}",
                    "phone",
                )
            return (
                f"{label['phone']}: {f.phone(self.rnd.choice(PHONE_REGIONS[lang] + THIRD_COUNTRIES))}",
                "phone",
            )
        if kind == "iban":
            return (
                f"{label['iban']}: {f.iban(self.rnd.choice(['NL', 'DE', 'BE', 'FR', 'AT', 'ES', 'IT']))}",
                "iban",
            )
        if kind == "national_id":
            id_kind = self.rnd.choice(ID_KINDS[lang])
            return f"{ID_LABELS[id_kind]}: {f.national_id(id_kind)}", "national_id"
        if kind == "mrz":
            lines = self.rnd.choice([f.mrz_td3, f.mrz_td1, f.mrz_td2])(lang)
            return "\n".join(lines), "mrz"
        if kind == "date_of_birth":
            first, last = f.name(lang)
            born = f.birth_date()
            if self.rnd.random() < 0.5:
                return (
                    f"{label['name']}: {first} {last}, {label['dob']}: {self.date_text(lang, born)}",
                    "date_of_birth",
                )
            return (
                f"{first} {last} ({self.date_text(lang, born)}) {label['born'].split()[0]}",
                "date_of_birth",
            )
        if kind == "personal_link":
            first, last = f.name(lang)
            slug = (
                f"{first}-{last}".lower()
                .replace(" ", "-")
                .replace("é", "e")
                .replace("ä", "a")
                .replace("ü", "u")
                .replace("ö", "o")
                .replace("è", "e")
            )
            url = self.rnd.choice(
                [
                    f"https://www.linkedin.com/in/{slug}-{self.rnd.randint(10, 999)}",
                    f"https://www.facebook.com/{slug.replace('-', '.')}",
                    f"https://x.com/{slug.replace('-', '_')}",
                    f"https://t.me/{slug.replace('-', '')}",
                    f"https://drive.google.com/file/d/1{self.rnd.randint(10**20, 10**21)}/view",
                    f"https://contoso-my.sharepoint.com/personal/{slug.replace('-', '_')}_contoso_eu/"
                    "Documents/list.xlsx",
                ]
            )
            return f"{label['profile']}: {url}", "personal_link"
        raise ValueError(kind)


POSITIVE_KINDS = ("email", "phone", "iban", "national_id", "mrz", "date_of_birth", "personal_link")
# Where a positive document hides its datum, by format.
PLACES = {
    "pdf": ["body", "two_columns", "header", "footer", "comment", "link", "table", "body"],
    "docx": ["body", "table", "header", "footer", "comment", "link", "properties", "body"],
    "xlsx": ["table", "hidden", "very_hidden", "comment", "header", "link", "column", "body"],
    "odt": ["body", "table", "header", "footer", "comment", "footnote", "link", "body"],
    "csv": ["table", "body", "column", "table"],
    "txt": ["body", "body", "table", "body"],
}
NEGATIVE_SCENARIOS = ("stats", "lookalikes", "spoiled", "regulation", "links", "dates", "places")


def _spoiled(maker: Maker, lang: str) -> list[str]:
    f = maker.f
    return [
        f"BSN: {f.spoil(f.bsn(), nl_bsn.is_valid)}",
        f"IBAN {f.spoil(f.iban('NL').replace(' ', ''), std_iban.is_valid)}",
        f"NIR {f.spoil(f.fr_nir().replace(' ', ''), fr_nir.is_valid)}",
        f"Codice fiscale {_spoil_letter(f.it_cf(), it_cf.is_valid)}",
        f"DNI {_spoil_letter(f.es_dni(), es_dni.is_valid)}",
        f"PESEL: {f.spoil(f.pesel(), pl_pesel.is_valid)}",
        *f.spoiled_mrz_td3(lang),
    ]


def _spoil_letter(value: str, is_valid) -> str:
    """``value`` with its check letter replaced by one that does not hold."""
    for letter in "ABCDEFGHJKLMNPQRSTVWXYZ":
        if not is_valid(value[:-1] + letter):
            return value[:-1] + letter
    raise AssertionError(value)


def _regulation_excerpt(rnd: random.Random) -> list[str]:
    lines = [line.strip() for line in REGULATION.read_text(encoding="utf-8").splitlines() if line.strip()]
    start = rnd.randint(0, len(lines) - 40)
    text = " ".join(lines[start : start + 40])
    return [text[i : i + 600] for i in range(0, len(text), 600)]


def make_spec(maker: Maker, name: str, fmt: str, lang: str, positive: bool, turn: int) -> Spec:
    rnd = maker.rnd
    spec = Spec(
        name=name, fmt=fmt, lang=lang, positive=positive, kinds=(), where="", title=rnd.choice(TITLES[lang])
    )
    spec.paragraphs = rnd.sample(PROSE[lang], 3)
    if positive:
        kind = POSITIVE_KINDS[turn % len(POSITIVE_KINDS)]
        place = PLACES[fmt][(turn // len(POSITIVE_KINDS) + turn) % len(PLACES[fmt])]
        if kind == "mrz" and place in ("header", "footer", "link", "properties", "column"):
            place = "body"
        if kind != "personal_link" and place == "link":
            kind = "personal_link"
        text, expected = maker.personal_item(lang, kind)
        spec.kinds, spec.where = (expected,), place
        if rnd.random() < 0.5 or place == "table":
            spec.table = maker.stats(lang)
        if place in ("body", "two_columns"):
            spec.paragraphs.insert(
                rnd.randint(0, len(spec.paragraphs)), text.replace("\n", "\n" if fmt != "pdf" else "\n")
            )
            spec.two_columns = place == "two_columns"
            if spec.two_columns:
                spec.paragraphs += rnd.sample(PROSE[lang], 4)
        elif place == "table":
            header, rows = spec.table
            rows.insert(rnd.randint(0, len(rows)), [text] + [""] * (len(header) - 1))
        elif place == "column":
            if kind not in ("national_id", "date_of_birth", "phone", "email"):
                kind = rnd.choice(["national_id", "date_of_birth", "phone"])
            spec.table = _column_table(maker, lang, kind)
            spec.kinds = (kind,)
        elif place in ("header", "footer", "comment", "footnote"):
            setattr(spec, place, text)
        elif place in ("hidden", "very_hidden"):
            spec.hidden = (
                "hidden" if place == "hidden" else "veryHidden",
                [[line] for line in text.split("\n")],
            )
        elif place == "link":
            spec.link = (LABELS[lang]["profile"], text.split(": ", 1)[1])
        elif place == "properties":
            spec.author = maker.f.email(lang)
            spec.kinds = ("email",)
        return spec
    scenario = NEGATIVE_SCENARIOS[turn % len(NEGATIVE_SCENARIOS)]
    spec.where = scenario
    if scenario == "stats":
        spec.table = maker.stats(lang, rows=12, tricky=True)
    elif scenario == "lookalikes":
        spec.paragraphs += LOOKALIKES[lang]
    elif scenario == "spoiled":
        spec.paragraphs += _spoiled(maker, lang)
    elif scenario == "regulation":
        spec.paragraphs += _regulation_excerpt(rnd)
    elif scenario == "links":
        spec.paragraphs += [line for line in LOOKALIKES[lang] if "http" in line]
        spec.paragraphs.append("https://eur-lex.europa.eu/legal-content/NL/TXT/?uri=CELEX:32019R1240")
        spec.link = ("EUR-Lex", "https://eur-lex.europa.eu/eli/reg/2019/1240/oj")
    elif scenario == "dates":
        spec.paragraphs += [line for line in LOOKALIKES[lang] if any(m in line for m in MONTHS[lang])]
        spec.table = maker.stats(lang)
    else:  # harmless text in the places a positive hides its datum
        spec.header = {
            "en": "Restricted – ILO network",
            "nl": "Beperkt – ILO-netwerk",
            "fr": "Diffusion restreinte – réseau ILO",
            "de": "Eingeschränkt – ILO-Netz",
        }[lang]
        spec.footer = "Page 1 / 2 – 2024-03-31 – v2.3.1"
        spec.comment = {
            "en": "Please check the Q3 figures (see Art. 8(2)(e)).",
            "nl": "Cijfers Q3 nakijken (zie art. 8, lid 2).",
            "fr": "Vérifier les chiffres du T3.",
            "de": "Bitte Zahlen Q3 prüfen.",
        }[lang]
        spec.hidden = ("veryHidden", [row for row in maker.stats(lang)[1]])
        spec.table = maker.stats(lang)
    return spec


def _column_table(maker: Maker, lang: str, kind: str) -> tuple[list[str], list[list[str]]]:
    """A register-like table: a header names the column, the rows hold the values alone."""
    label = LABELS[lang]
    f = maker.f
    if kind == "national_id":
        id_kind = maker.rnd.choice(ID_KINDS[lang])
        return [label["name"], ID_LABELS[id_kind]], [
            [" ".join(f.name(lang)), f.national_id(id_kind)] for _ in range(3)
        ]
    if kind == "date_of_birth":
        return [label["name"], label["dob"]], [
            [" ".join(f.name(lang)), f.birth_date().isoformat()] for _ in range(3)
        ]
    if kind == "phone":
        return [label["name"], label["phone"]], [
            [" ".join(f.name(lang)), f.phone(maker.rnd.choice(PHONE_REGIONS[lang]))] for _ in range(3)
        ]
    if kind == "email":
        return [label["name"], label["email"]], [[" ".join(f.name(lang)), f.email(lang)] for _ in range(3)]
    raise ValueError(kind)


def specs(seed: int = SEED) -> list[Spec]:
    rnd = random.Random(seed)  # noqa: S311  (seeded test data, not secrets)
    maker = Maker(rnd, Fakes(seed))
    out = []
    turn = {True: 0, False: 0}
    counter = 0
    for lang in LANGUAGES:
        for fmt in FORMATS:
            for index in range(PER_CELL):
                positive = counter % 2 == 0
                counter += 1
                name = f"{lang}-{fmt}-{index + 1}-{'pos' if positive else 'neg'}.{fmt}"
                out.append(make_spec(maker, name, fmt, lang, positive, turn[positive]))
                turn[positive] += 1
    return out


def labels(all_specs: list[Spec]) -> list[dict]:
    return [
        {
            "name": s.name,
            "format": s.fmt,
            "language": s.lang,
            "personal_data": s.positive,
            "kinds": list(s.kinds),
            "where": s.where,
        }
        for s in all_specs
    ]


def build(folder: Path, seed: int = SEED, only: Callable[[Spec], bool] | None = None) -> list[dict]:
    """Write the corpus into ``folder``; the labels, in the order of the files."""
    folder.mkdir(parents=True, exist_ok=True)
    all_specs = specs(seed)
    for spec in all_specs:
        if only is None or only(spec):
            (folder / spec.name).write_bytes(render(spec))
    return labels(all_specs)


if __name__ == "__main__":
    import django

    django.setup()
    target = Path(sys.argv[1] if len(sys.argv) > 1 else "corpus-out")
    result = build(target)
    if "--manifest" in sys.argv:
        MANIFEST.write_text(json.dumps(result, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"{len(result)} documents in {target}")
