"""Form helpers shared by the pages of every app."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from .dates import CONFIRM_FIELD


def apply_validation_error(form: forms.Form, error: ValidationError) -> None:
    """Show a service's ValidationError on the form: per field where the field is on the form,
    otherwise at the top of the form. A request to confirm unusual dates shows the checkbox."""
    if hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            if field == CONFIRM_FIELD and isinstance(form, ConfirmUnusualDates):
                form.ask_to_confirm_dates()
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)


class ConfirmUnusualDates(forms.Form):
    """A form whose dates the services may find unusual but possible (``shared.dates.DateReview``):
    its ``confirm_unusual_dates`` checkbox appears, last, only once the service has asked for it
    (or when it was ticked), and goes to the service with the other values."""

    confirm_unusual_dates = forms.BooleanField(
        label=_("These dates are right"),
        required=False,
        widget=forms.HiddenInput,
        help_text=_("Unusual dates are accepted once you confirm them."),
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields[CONFIRM_FIELD] = self.fields.pop(CONFIRM_FIELD)
        if self.is_bound and str(self.data.get(self.add_prefix(CONFIRM_FIELD), "")).lower() in (
            "on",
            "true",
            "1",
        ):
            self.ask_to_confirm_dates()

    def ask_to_confirm_dates(self) -> None:
        self.fields[CONFIRM_FIELD].widget = forms.CheckboxInput()


class SingleLineField(forms.CharField):
    """One line of plain text (titles, names, places): no line breaks, control or
    text-direction characters (``ilonet.shared.text``)."""

    def __init__(self, **kwargs):
        from .text import validate_single_line

        super().__init__(**kwargs)
        self.validators.append(validate_single_line)
