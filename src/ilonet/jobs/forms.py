from django import forms
from django.utils.translation import gettext_lazy as _

from ilonet.shared.forms import SingleLineField

from .models import JobState


class JobFilterForm(forms.Form):
    state = forms.ChoiceField(
        label=_("State"), required=False, choices=[("", _("Any state")), *JobState.choices]
    )
    name = SingleLineField(
        label=_("Job"), required=False, max_length=100, help_text=_("Part of the name, e.g. board or audit")
    )
