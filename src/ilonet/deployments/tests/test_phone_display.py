"""The contact list shows a stored E.164 phone number as ``phonenumbers`` formats what its
``parse`` reads (``display_phone``'s shorter path for stored values, issue 9): the same text for
every region's example numbers of every type, for the non-geographic ones, and for random
values that are or are not numbers."""

import random

import phonenumbers
from phonenumbers import PhoneNumberFormat, PhoneNumberType

from ilonet.deployments.validators import display_phone


def _by_parse(e164: str) -> str:
    try:
        number = phonenumbers.parse(e164, None)
    except phonenumbers.NumberParseException:
        return e164
    return phonenumbers.format_number(number, PhoneNumberFormat.INTERNATIONAL)


def _examples() -> list[str]:
    found = set()
    types = [value for name, value in vars(PhoneNumberType).items() if name.isupper()]
    for region in phonenumbers.SUPPORTED_REGIONS:
        for kind in types:
            number = phonenumbers.example_number_for_type(region, kind)
            if number is not None:
                found.add(phonenumbers.format_number(number, PhoneNumberFormat.E164))
    for code in phonenumbers.COUNTRY_CODES_FOR_NON_GEO_REGIONS:
        number = phonenumbers.example_number_for_non_geo_entity(code)
        if number is not None:
            found.add(phonenumbers.format_number(number, PhoneNumberFormat.E164))
    return sorted(found)


def test_every_example_number_is_shown_as_parse_and_format_show_it():
    examples = _examples()
    assert len(examples) > 1000
    assert [display_phone(e) for e in examples] == [_by_parse(e) for e in examples]


def test_random_values_are_shown_as_parse_and_format_show_them():
    rng = random.Random(9)  # noqa: S311  (test data)
    codes = sorted(phonenumbers.COUNTRY_CODE_TO_REGION_CODE)
    values = []
    for _ in range(4000):
        code = str(rng.choice(codes))
        digits = "".join(rng.choice("0123456789") for _ in range(rng.randint(0, 18)))
        values.append(f"+{code}{digits}")
    values += ["+", "+0", "+1", "+12", "+00123456789", "+999123456789", "0612345678", "+31 6 1234 5678"]
    values += ["+" + "9" * n for n in range(1, 30)]
    assert [display_phone(v) for v in values] == [_by_parse(v) for v in values]


def test_an_empty_number_is_shown_empty():
    assert display_phone("") == ""


def test_stored_numbers_read_as_people_write_them():
    assert display_phone("+212537123456") == "+212 5 37 12 34 56"
    assert display_phone("+390612345678") == "+39 06 1234 5678"
