from typing import cast

from django import forms

from . import kinds
from .models import Delivery


class PreferencesForm(forms.Form):
    """One choice per kind of notification, labelled with the kind and its article."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for name, kind in kinds.KINDS.items():
            self.fields[name] = forms.ChoiceField(
                label=cast(str, kind.label), help_text=kind.article, choices=Delivery.choices,
                widget=forms.RadioSelect, required=True,
            )  # fmt: skip

    def choices(self) -> dict[str, str]:
        return {name: self.cleaned_data[name] for name in kinds.KINDS}
