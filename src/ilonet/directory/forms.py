from django import forms
from django.utils.translation import gettext_lazy as _

from ilonet.shared.forms import SingleLineField

from .models import OrganisationKind


class OrganisationFilterForm(forms.Form):
    search = SingleLineField(label=_("Search"), required=False, max_length=100)
    kind = forms.ChoiceField(
        label=_("Kind"),
        required=False,
        choices=[("", _("All kinds")), *OrganisationKind.choices],
    )


class OrganisationEditForm(forms.Form):
    """What an administrator may change; codes, kinds and countries stay as loaded."""

    name_en = SingleLineField(label=_("Name (English)"), max_length=200, required=False)
    name_nl = SingleLineField(label=_("Name (Dutch)"), max_length=200, required=False)
    acronym = SingleLineField(label=_("Acronym"), max_length=20, required=False)
    takes_part_in_ilo_regulation = forms.BooleanField(
        label=_("Takes part in Regulation (EU) 2019/1240"), required=False,
        help_text=_("Denmark takes no part unless it opts in (recital 31)."),
    )  # fmt: skip
    is_deploying_authority = forms.BooleanField(
        label=_("Deploying authority"), required=False,
        help_text=_("May deploy immigration liaison officers (Art. 1(2), Art. 4)."),
    )  # fmt: skip
    is_active = forms.BooleanField(label=_("Active"), required=False)


class AuthorityCreateForm(forms.Form):
    """A national authority of a member state (e.g. a deploying authority, Art. 1(2))."""

    code = forms.SlugField(label=_("Code"), max_length=40, help_text=_("Short unique code, e.g. nl-ind."))
    name_en = SingleLineField(label=_("Name (English)"), max_length=200)
    name_nl = SingleLineField(label=_("Name (Dutch)"), max_length=200, required=False)
    acronym = SingleLineField(label=_("Acronym"), max_length=20, required=False)
    is_deploying_authority = forms.BooleanField(label=_("Deploying authority"), required=False)

    def clean_code(self) -> str:
        from .models import Organisation

        code = self.cleaned_data["code"].lower()
        if Organisation.objects.filter(code=code).exists():
            raise forms.ValidationError(_("This code is already used."))
        return code
