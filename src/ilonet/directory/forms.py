from django import forms
from django.utils.translation import gettext_lazy as _

from .models import OrganisationKind


class OrganisationFilterForm(forms.Form):
    search = forms.CharField(label=_("Search"), required=False, max_length=100)
    kind = forms.ChoiceField(
        label=_("Kind"),
        required=False,
        choices=[("", _("All kinds")), *OrganisationKind.choices],
    )
