"""Form helpers shared by the pages of every app."""

from django import forms
from django.core.exceptions import ValidationError


def apply_validation_error(form: forms.Form, error: ValidationError) -> None:
    """Show a service's ValidationError on the form: per field where the field is on the form,
    otherwise at the top of the form."""
    if hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)


class SingleLineField(forms.CharField):
    """One line of plain text (titles, names, places): no line breaks, control or
    text-direction characters (``ilonet.shared.text``)."""

    def __init__(self, **kwargs):
        from .text import validate_single_line

        super().__init__(**kwargs)
        self.validators.append(validate_single_line)
