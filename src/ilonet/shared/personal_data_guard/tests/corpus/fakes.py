"""Made-up personal data with correct check digits, and look-alikes with wrong ones, for the
guard's tests and benchmark. Every value comes from a seeded ``random.Random``: the same seed
gives the same corpus. Names and numbers are invented; any likeness is chance."""

from __future__ import annotations

import random
import unicodedata
from datetime import date

import phonenumbers
from stdnum import iban
from stdnum.be import nn as be_nn
from stdnum.de import idnr as de_idnr
from stdnum.es import dni as es_dni
from stdnum.es import nie as es_nie
from stdnum.fr import nir as fr_nir
from stdnum.it import codicefiscale as it_cf
from stdnum.nl import bsn as nl_bsn
from stdnum.pl import pesel as pl_pesel

from ilonet.shared.personal_data_guard.mrz import check_digit

FIRST = {
    "en": ["Oliver", "Amelia", "Harry", "Isla", "George", "Emily", "Jack", "Grace"],
    "nl": ["Willeke", "Pieter", "Sanne", "Joris", "Femke", "Bram", "Lieke", "Daan"],
    "fr": ["Camille", "Louis", "Chloé", "Hugo", "Manon", "Théo", "Léa", "Julien"],
    "de": ["Lukas", "Anna", "Jonas", "Lea", "Felix", "Marie", "Paul", "Sophie"],
}
LAST = {
    "en": ["Hartley", "Whitmore", "Ashdown", "Pembroke", "Thornton", "Caldwell"],
    "nl": ["de Bruijn", "van der Meer", "Visser", "Bakker", "van Dijk", "Smit"],
    "fr": ["Dubois", "Lefèvre", "Moreau", "Girard", "Fontaine", "Rousseau"],
    "de": ["Brandt", "Schäfer", "Krüger", "Hoffmann", "Wagner", "Neumann"],
}
MAIL_DOMAINS = [
    "gmail.com",
    "outlook.com",
    "example-mail.eu",
    "post.example.nl",
    "mail.example.fr",
    "web.example.de",
]
PHONE_REGIONS = {"en": ["GB", "IE"], "nl": ["NL", "BE"], "fr": ["FR", "BE"], "de": ["DE", "AT"]}
THIRD_COUNTRIES = ["MA", "TR", "NG", "SN", "TN", "PK", "UA", "GE"]
IBAN_FORMATS = {
    "NL": "AAAA##########",
    "DE": "##################",
    "BE": "############",
    "FR": "#######################",
    "AT": "################",
    "ES": "####################",
    "IT": "A######################",
}


class Fakes:
    def __init__(self, seed: int) -> None:
        self.rnd = random.Random(seed)  # noqa: S311  (seeded test data, not secrets)

    # people -------------------------------------------------------------------------------
    def name(self, lang: str) -> tuple[str, str]:
        return self.rnd.choice(FIRST[lang]), self.rnd.choice(LAST[lang])

    def birth_date(self) -> date:
        return date(self.rnd.randint(1955, 2001), self.rnd.randint(1, 12), self.rnd.randint(1, 28))

    def email(self, lang: str, style: str = "plain") -> str:
        first, last = self.name(lang)
        local = (
            f"{first}.{last}".lower()
            .replace(" ", "")
            .replace("é", "e")
            .replace("è", "e")
            .replace("ä", "ae")
            .replace("ü", "ue")
            .replace("ö", "oe")
        )
        domain = self.rnd.choice(MAIL_DOMAINS)
        if style == "brackets":
            return f"{local} [at] {domain.replace('.', ' [dot] ')}"
        if style == "parens":
            return f"{local}(at){domain}"
        if style == "words":
            return f"{local} at {domain.replace('.', ' dot ')}"
        return f"{local}@{domain}"

    def phone(self, region: str, international: bool = True) -> str:
        kind = self.rnd.choice([phonenumbers.PhoneNumberType.MOBILE, phonenumbers.PhoneNumberType.FIXED_LINE])
        example = phonenumbers.example_number_for_type(region, kind) or phonenumbers.example_number(region)
        digits = str(example.national_number)
        for _ in range(1000):
            tail = "".join(self.rnd.choice("0123456789") for _ in range(4))
            number = phonenumbers.parse(f"+{example.country_code}{digits[:-4]}{tail}")
            if phonenumbers.is_valid_number(number):
                fmt = (
                    phonenumbers.PhoneNumberFormat.INTERNATIONAL
                    if international
                    else phonenumbers.PhoneNumberFormat.NATIONAL
                )
                return phonenumbers.format_number(number, fmt)
        raise AssertionError(region)

    # numbers with check digits -----------------------------------------------------------------
    def _digits(self, count: int) -> str:
        return "".join(self.rnd.choice("0123456789") for _ in range(count))

    def iban(self, country: str) -> str:
        for _ in range(10_000):
            bban = "".join(
                self.rnd.choice("ABCDEFGHIJKLMNOPQRSTUVWXYZ") if c == "A" else self.rnd.choice("0123456789")
                for c in IBAN_FORMATS[country]
            )
            number = country + iban.calc_check_digits(country + "00" + bban) + bban
            if iban.is_valid(number):
                return iban.format(number)
        raise AssertionError(country)

    def bsn(self) -> str:
        while True:
            number = str(self.rnd.randint(100000000, 999999999))
            if nl_bsn.is_valid(number):
                return number

    def be_nn(self) -> str:
        born = self.birth_date()
        while True:
            base = born.strftime("%y%m%d") + self._digits(3)
            number = base + f"{97 - int(base) % 97:02d}"
            if be_nn.is_valid(number):
                return f"{number[0:2]}.{number[2:4]}.{number[4:6]}-{number[6:9]}.{number[9:11]}"

    def fr_nir(self) -> str:
        born = self.birth_date()
        department = f"{self.rnd.randint(1, 95):02d}"
        base = f"{self.rnd.choice('12')}{born:%y%m}{department}{self._digits(3)}{self._digits(3)}"
        number = base + fr_nir.calc_check_digits(base)
        assert fr_nir.is_valid(number)
        return fr_nir.format(number)

    def de_idnr(self) -> str:
        while True:
            number = str(self.rnd.randint(10_000_000_000, 99_999_999_999))
            if de_idnr.is_valid(number):
                return number

    def it_cf(self) -> str:
        born = self.birth_date()
        letters = "".join(self.rnd.choice("BCDFGLMNPRSTVZ") for _ in range(6))
        month = "ABCDEHLMPRST"[born.month - 1]
        day = born.day + (40 if self.rnd.random() < 0.5 else 0)
        base = f"{letters}{born:%y}{month}{day:02d}{self.rnd.choice('ABCDEFGHL')}{self._digits(3)}"
        number = base + it_cf.calc_check_digit(base)
        assert it_cf.is_valid(number)
        return number

    def es_dni(self) -> str:
        base = self._digits(8)
        return base + es_dni.calc_check_digit(base)

    def es_nie(self) -> str:
        base = self.rnd.choice("XYZ") + self._digits(7)
        return base + es_nie.calc_check_digit(base)

    def pesel(self) -> str:
        born = self.birth_date()
        base = f"{born:%y%m%d}{self._digits(4)}"
        number = base + pl_pesel.calc_check_digit(base)
        assert pl_pesel.is_valid(number)
        return number

    def national_id(self, kind: str) -> str:
        return {
            "nl.bsn": self.bsn,
            "be.nn": self.be_nn,
            "fr.nir": self.fr_nir,
            "de.idnr": self.de_idnr,
            "it.codicefiscale": self.it_cf,
            "es.dni": self.es_dni,
            "es.nie": self.es_nie,
            "pl.pesel": self.pesel,
        }[kind]()

    # machine-readable zones ----------------------------------------------------------------
    def _mrz_name(self, lang: str, width: int) -> str:
        first, last = self.name(lang)

        def clean(value: str) -> str:
            value = value.upper().replace("Ä", "AE").replace("Ö", "OE").replace("Ü", "UE").replace(" ", "<")
            value = unicodedata.normalize("NFKD", value)
            return "".join(c for c in value if ("A" <= c <= "Z") or c == "<")

        return (clean(last) + "<<" + clean(first)).ljust(width, "<")[:width]

    def _doc_fields(self) -> tuple[str, str, str]:
        number = "".join(self.rnd.choice("ABCDEFGHJKLMNPRSTUVWXYZ0123456789") for _ in range(9))
        born = self.birth_date().strftime("%y%m%d")
        expiry = date(
            self.rnd.randint(2027, 2034), self.rnd.randint(1, 12), self.rnd.randint(1, 28)
        ).strftime("%y%m%d")
        return number, born, expiry

    def mrz_td3(self, lang: str, state: str = "NLD") -> list[str]:
        number, born, expiry = self._doc_fields()
        sex = self.rnd.choice("MF")
        personal = "<" * 14
        line2 = (
            number
            + check_digit(number)
            + state
            + born
            + check_digit(born)
            + sex
            + expiry
            + check_digit(expiry)
            + personal
            + "<"
        )
        composite = line2[0:10] + line2[13:20] + line2[21:43]
        return [("P<" + state + self._mrz_name(lang, 39)), line2 + check_digit(composite)]

    def mrz_td1(self, lang: str, state: str = "BEL") -> list[str]:
        number, born, expiry = self._doc_fields()
        line1 = ("ID" + state + number + check_digit(number)).ljust(30, "<")
        line2 = born + check_digit(born) + self.rnd.choice("MF") + expiry + check_digit(expiry) + state
        line2 = line2.ljust(29, "<")
        composite = line1[5:30] + line2[0:7] + line2[8:15] + line2[18:29]
        return [line1, line2 + check_digit(composite), self._mrz_name(lang, 30)]

    def mrz_td2(self, lang: str, state: str = "FRA") -> list[str]:
        number, born, expiry = self._doc_fields()
        line2 = (
            number
            + check_digit(number)
            + state
            + born
            + check_digit(born)
            + self.rnd.choice("MF")
            + expiry
            + check_digit(expiry)
            + "<" * 7
        )
        composite = line2[0:10] + line2[13:20] + line2[21:35]
        return ["I<" + state + self._mrz_name(lang, 31), line2 + check_digit(composite)]

    # look-alikes with a wrong check digit ------------------------------------------------------
    @staticmethod
    def spoil(value: str, is_valid) -> str:
        """``value`` with its last digit changed so that ``is_valid`` fails."""
        chars = list(value)
        for index in range(len(chars) - 1, -1, -1):
            if chars[index].isdigit():
                for digit in "0123456789":
                    chars[index] = digit
                    if not is_valid("".join(chars)):
                        return "".join(chars)
        raise AssertionError(value)

    def spoiled_mrz_td3(self, lang: str) -> list[str]:
        """A TD3 second line whose check digits do not hold (an example in a manual), alone."""
        line2 = self.mrz_td3(lang)[1]
        return [
            line2[:9]
            + str((int(line2[9]) + 3) % 10)
            + line2[10:19]
            + str((int(line2[19]) + 5) % 10)
            + line2[20:]
        ]
