"""Validation of contact details (Art. 9(2)(d)): phone numbers with the maintained
``phonenumbers`` library (stored as E.164), e-mail addresses with Django's validator."""

import phonenumbers
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _


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


def display_phone(e164: str) -> str:
    """E.164 as an international number for reading (``+212 5 37 12 34 56``)."""
    if not e164:
        return ""
    try:
        number = phonenumbers.parse(e164, None)
    except phonenumbers.NumberParseException:
        return e164
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)
