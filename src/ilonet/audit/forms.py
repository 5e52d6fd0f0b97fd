from django import forms
from django.utils.translation import gettext_lazy as _

from ilonet.shared.widgets import IsoDateTimeInput

from .models import Outcome


class AuditFilterForm(forms.Form):
    action = forms.CharField(
        label=_("Event"), required=False, max_length=64,
        help_text=_("Prefix, e.g. auth. or record.update"),
    )  # fmt: skip
    actor = forms.CharField(label=_("Who"), required=False, max_length=254)
    object_type = forms.CharField(label=_("Object type"), required=False, max_length=64)
    outcome = forms.ChoiceField(
        label=_("Outcome"), required=False, choices=[("", _("Any outcome")), *Outcome.choices]
    )
    since = forms.DateTimeField(
        label=_("From"), required=False,
        widget=IsoDateTimeInput(),
    )  # fmt: skip
    until = forms.DateTimeField(
        label=_("Until"), required=False,
        widget=IsoDateTimeInput(),
    )  # fmt: skip

    def clean(self):
        data = super().clean()
        if data.get("since") and data.get("until") and data["until"] < data["since"]:
            self.add_error("until", _("'Until' cannot be before 'From'."))
        return data
