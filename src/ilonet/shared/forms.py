"""Form helpers shared by the pages of every app."""

from collections import OrderedDict

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.safestring import SafeString
from django.utils.translation import get_language
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


_RENDERED_LIMIT = 256
_rendered: "OrderedDict[tuple, SafeString]" = OrderedDict()


def _choices_key(field: forms.Field) -> tuple:
    widget = field.widget
    raw = getattr(widget, "_raw_choices", None)  # FastSelect: the choices as given
    choices = raw() if raw is not None else getattr(field, "choices", ())
    # The ~250 countries are text already: str() only for the others (lazy labels, numbers).
    return tuple(
        (value if value.__class__ is str else str(value), label if label.__class__ is str else str(label))
        for value, label in choices
    )


class FilterForm(forms.Form):
    """A list page's filter form. Unbound (the page opened without filters: most requests),
    its HTML depends only on the form's class, the language, its initial values and its
    choices, and is rendered once per process for each (a fifth of a list page's time, with a
    template per field); bound, it is rendered as usual. Nothing per user or per request is in
    it (GET forms carry no CSRF token). Not cached with DEBUG, so template edits show."""

    def render(self, template_name=None, context=None, renderer=None):
        if self.is_bound or template_name or context or renderer or settings.DEBUG:
            return super().render(template_name, context, renderer)
        key = (
            type(self).__module__,
            type(self).__qualname__,
            get_language(),
            self.prefix,
            self.auto_id,
            repr(sorted(self.initial.items())),
            tuple((name, str(field.label), _choices_key(field)) for name, field in self.fields.items()),
        )
        html = _rendered.get(key)
        if html is None:
            html = super().render()
            _rendered[key] = html
            while len(_rendered) > _RENDERED_LIMIT:
                _rendered.popitem(last=False)
        return html

    # Django binds these to its own render(): ``{{ form }}`` goes through them.
    __str__ = render
    __html__ = render
