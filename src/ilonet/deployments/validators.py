"""Validation of contact details (Art. 9(2)(d)): phone numbers with the maintained
``phonenumbers`` library (stored as E.164), e-mail addresses with Django's validator."""

import re

import phonenumbers
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _
from phonenumbers import phonenumberutil


def normalise_phone(value: str) -> str:
    """An international phone number as E.164 (``+212537123456``); empty stays empty.

    Art. 9(2)(d): the contact list holds the officer's phone number.
    """
    value = (value or "").strip()
    if not value:
        return ""
    try:
        number = phonenumbers.parse(value, None)
    except phonenumbers.NumberParseException:
        number = None
    if number is None or not phonenumbers.is_valid_number(number):
        raise ValidationError(
            _(
                "Enter a valid international phone number starting with + and the country code, "
                "for example +212 5 37 12 34 56."
            ),  # fmt: skip
            code="invalid_phone",
        )
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def normalise_email(value: str) -> str:
    """A valid e-mail address in lower case; empty stays empty (Art. 9(2)(d))."""
    value = (value or "").strip()
    if not value:
        return ""
    try:
        validate_email(value)
    except ValidationError as error:
        raise ValidationError(_("Enter a valid e-mail address."), code="invalid_email") from error
    return value.lower()


_E164 = re.compile(r"\+[1-9][0-9]*")
_NOT_KEPT = (
    phonenumberutil.ValidationResult.TOO_SHORT,
    phonenumberutil.ValidationResult.IS_POSSIBLE_LOCAL_ONLY,
    phonenumberutil.ValidationResult.INVALID_LENGTH,
)


def _stored_number(e164: str) -> phonenumbers.PhoneNumber | None:
    """What ``phonenumbers.parse(e164, None)`` reads from a stored E.164 value (``+`` and
    digits, as ``normalise_phone`` writes them), by the same steps without parse's search for
    a number in free text (which was most of the contact list's formatting, a tenth of the
    page: issue 9): the country calling code, then the national prefix stripped where parse
    strips it. None where this path does not apply: ``parse`` then reads the value.
    ``deployments/tests/test_phone_display.py`` compares both on every region's example
    numbers and on random ones."""
    if not _E164.fullmatch(e164) or len(e164) - 1 <= phonenumberutil._MIN_LENGTH_FOR_NSN:
        return None
    country_code, national = phonenumberutil._extract_country_code(e164[1:])
    if country_code == 0 or len(national) < phonenumberutil._MIN_LENGTH_FOR_NSN:
        return None
    region = phonenumbers.region_code_for_country_code(country_code)
    metadata = phonenumbers.PhoneMetadata.metadata_for_region_or_calling_code(country_code, region)
    if metadata is None:
        return None
    _carrier, stripped, _ = phonenumberutil._maybe_strip_national_prefix_carrier_code(national, metadata)
    if phonenumberutil._test_number_length(stripped, metadata) not in _NOT_KEPT:
        national = stripped
    if not phonenumberutil._MIN_LENGTH_FOR_NSN <= len(national) <= phonenumberutil._MAX_LENGTH_FOR_NSN:
        return None
    number = phonenumbers.PhoneNumber(country_code=country_code)
    phonenumberutil._set_italian_leading_zeros_for_phone_number(national, number)
    number.national_number = int(national)
    return number


def display_phone(e164: str) -> str:
    """E.164 as an international number for reading (``+212 5 37 12 34 56``)."""
    if not e164:
        return ""
    number = _stored_number(e164)
    if number is None:
        try:
            number = phonenumbers.parse(e164, None)
        except phonenumbers.NumberParseException:
            return e164
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)
