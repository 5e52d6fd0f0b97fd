"""The building blocks of plausible dates (issue 8): a review refuses impossible dates, asks to
confirm unusual ones and accepts them once confirmed; a form shows the confirmation checkbox only
once a service asks for it."""

from datetime import date, datetime

import pytest
from django import forms
from django.core.exceptions import ValidationError

from ilonet.shared.dates import CONFIRM_FIELD, DateReview, add_years, as_date
from ilonet.shared.forms import ConfirmUnusualDates, apply_validation_error


def test_a_refusal_wins_over_a_confirmation():
    review = DateReview()
    review.refuse("start_date", "Impossible.")
    review.flag("planned_end_date", "Unusual.")
    with pytest.raises(ValidationError) as error:
        review.check(confirmed=True)
    assert error.value.message_dict == {"start_date": ["Impossible."]}


def test_unusual_dates_are_asked_to_be_confirmed_and_then_accepted():
    review = DateReview()
    review.flag("start_date", "Unusual.")
    with pytest.raises(ValidationError) as error:
        review.check()
    assert set(error.value.message_dict) == {"start_date", CONFIRM_FIELD}
    review.check(confirmed=True)
    review.keep(start_date=False)
    review.check()


def test_years_are_added_within_the_calendar():
    assert add_years(date(2024, 2, 29), 1) == date(2025, 2, 28)
    assert add_years(date(9995, 1, 1), 10) == date.max
    assert add_years(date(2025, 12, 2), 2) == date(2027, 12, 2)


def test_a_day_is_read_from_dates_datetimes_and_iso_strings():
    assert as_date("2025-12-02") == as_date(datetime(2025, 12, 2, 9)) == as_date(date(2025, 12, 2))
    assert as_date("2 December") is None and as_date(None) is None


class _Form(ConfirmUnusualDates):
    start_date = forms.DateField()


def test_the_checkbox_appears_only_once_a_service_asks_for_it():
    form = _Form({"start_date": "2030-01-01"})
    assert form.is_valid() and form.cleaned_data[CONFIRM_FIELD] is False
    assert 'type="hidden" name="confirm_unusual_dates"' in str(form)
    apply_validation_error(form, ValidationError({"start_date": "Unusual.", CONFIRM_FIELD: "Confirm them."}))
    html = str(form)
    assert 'type="checkbox" name="confirm_unusual_dates"' in html and "Confirm them." in html
    ticked = _Form({"start_date": "2030-01-01", CONFIRM_FIELD: "on"})
    assert ticked.is_valid() and ticked.cleaned_data[CONFIRM_FIELD] is True
    assert 'type="checkbox" name="confirm_unusual_dates"' in str(ticked)
