"""Forms of the personal data pages. They only shape input: the rules are the services'."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from ilonet.shared.forms import SingleLineField
from ilonet.shared.widgets import FastSelect, IsoDateInput, country_choices

from .law import Category, Field, Purpose, TransferBasis
from .payload import SCRIPTS

SCRIPT_CHOICES = [(s, s.capitalize()) for s in SCRIPTS]
DOCUMENT_CHOICES = [
    ("passport", _("Passport")),
    ("identity_card", _("Identity card")),
    ("birth_certificate", _("Birth certificate")),
    ("travel_document", _("Travel document")),
    ("other", _("Other")),
]


def _countries(label) -> list[tuple[str, str]]:
    return [("", str(label)), *country_choices()]


class NameSearchForm(forms.Form):
    """Sent by POST: a name never goes into a URL (server logs, browser history)."""

    name = SingleLineField(
        label=_("Name"),
        max_length=100,
        help_text=_("Found through keyed digests: the whole name or one of its words."),
    )


class RecordFilterForm(forms.Form):
    purpose = forms.ChoiceField(
        label=_("Purpose"), required=False, choices=[("", _("Any purpose")), *Purpose.choices]
    )
    category = forms.ChoiceField(
        label=_("Category"), required=False, choices=[("", _("Any category")), *Category.choices]
    )

    def filters(self) -> dict[str, str]:
        return {k: v for k, v in self.cleaned_data.items() if v} if self.is_valid() else {}


class RecordForm(forms.Form):
    purpose = forms.ChoiceField(label=_("Purpose (Art. 3(6))"), choices=Purpose.choices)
    category = forms.ChoiceField(label=_("Category (Art. 10(3))"), choices=Category.choices)
    family_name = SingleLineField(label=_("Family name"), required=False, max_length=200)
    given_names = SingleLineField(label=_("Given names"), required=False, max_length=200)
    other_script = forms.ChoiceField(
        label=_("Other script"), required=False, choices=[("", "—"), *SCRIPT_CHOICES]
    )
    family_name_other = SingleLineField(label=_("Family name in that script"), required=False, max_length=200)
    given_names_other = SingleLineField(label=_("Given names in that script"), required=False, max_length=200)
    birth_date = forms.DateField(label=_("Date of birth"), required=False, widget=IsoDateInput)
    birth_place = SingleLineField(label=_("Place of birth"), required=False, max_length=200)
    nationality = forms.ChoiceField(
        label=_("Nationality"), required=False, choices=lambda: _countries(_("Unknown")), widget=FastSelect
    )
    document_kind = forms.ChoiceField(label=_("Document"), required=False, choices=DOCUMENT_CHOICES)
    document_number = SingleLineField(label=_("Document number"), required=False, max_length=60)
    document_country = forms.ChoiceField(
        label=_("Issued by"), required=False, choices=lambda: _countries(_("Unknown")), widget=FastSelect
    )
    passengers = forms.CharField(
        label=_("Passengers (category (b))"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("One passenger a line: name; document number."),
    )
    modus_operandi = forms.CharField(
        label=_("Modus operandi (category (e))"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    transport = forms.CharField(
        label=_("Means of transport (category (e))"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    intermediaries = forms.CharField(
        label=_("Intermediaries (category (e))"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    financial_flows = forms.CharField(
        label=_("Financial flows (category (e))"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    facial_image = forms.FileField(
        label=_("Facial image"), required=False, help_text=_("JPEG or PNG, stored encrypted.")
    )
    fingerprints = forms.FileField(
        label=_("Fingerprints"), required=False, help_text=_("JPEG or PNG, stored encrypted.")
    )

    def payload(self) -> dict[str, Any]:
        d = self.cleaned_data
        names = [{"script": "latin", "family": d["family_name"], "given": d["given_names"]}]
        if d.get("family_name_other") or d.get("given_names_other"):
            names.append(
                {
                    "script": d.get("other_script") or "other",
                    "family": d["family_name_other"],
                    "given": d["given_names_other"],
                }
            )
        passengers = []
        for line in (d.get("passengers") or "").splitlines():
            name, _sep, document = line.partition(";")
            if name.strip():
                passengers.append({"name": name.strip(), "document": document.strip()})
        return {
            "names": names,
            "birth_date": d.get("birth_date"),
            "birth_place": d["birth_place"],
            "nationality": d.get("nationality"),
            "passengers": passengers,
            "documents": [
                {
                    "kind": d.get("document_kind"),
                    "number": d["document_number"],
                    "country": d.get("document_country"),
                }
            ]
            if d.get("document_number")
            else [],
            **{f: d.get(f, "") for f in ("modus_operandi", "transport", "intermediaries", "financial_flows")},
        }

    def biometrics(self) -> dict[str, Any]:
        return {
            k: self.cleaned_data.get(k) for k in ("facial_image", "fingerprints") if self.cleaned_data.get(k)
        }


class ShareForm(forms.Form):
    recipient = forms.EmailField(label=_("Recipient (e-mail address of their ILOnet account)"))
    purpose = forms.ChoiceField(label=_("Purpose of the exchange"), choices=Purpose.choices)
    fields = forms.MultipleChoiceField(
        label=_("Fields shared (only what is strictly necessary)"),
        choices=Field.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    justification = forms.CharField(
        label=_("Justification"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Why each field is strictly necessary (Art. 10(4)). No personal data."),
    )
    days = forms.IntegerField(label=_("Open for (days)"), min_value=1, max_value=90, initial=14)

    def __init__(self, *args, available: list[str] | None = None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if available is not None:
            self.fields["fields"].choices = [(k, v) for k, v in Field.choices if k in available]


class TransferForm(forms.Form):
    recipient = SingleLineField(label=_("Receiving authority or organisation"), max_length=200)
    international_organisation = forms.BooleanField(label=_("An international organisation"), required=False)
    country = forms.ChoiceField(
        label=_("Third country"),
        required=False,
        choices=lambda: _countries(_("None (international organisation)")),
        widget=FastSelect,
    )
    basis = forms.ChoiceField(
        label=_("Legal basis (chapter V of the GDPR)"),
        required=False,
        choices=[("", _("None")), *TransferBasis.choices],
    )
    basis_detail = SingleLineField(label=_("Instrument or reason"), required=False, max_length=300)
    fields = forms.MultipleChoiceField(
        label=_("Data sent"), choices=Field.choices, widget=forms.CheckboxSelectMultiple
    )
    transferred_on = forms.DateField(label=_("Date of the transfer"), widget=IsoDateInput)


class HoldForm(forms.Form):
    reason = SingleLineField(label=_("Reason (no personal data)"), max_length=300)
    until = forms.DateField(label=_("Until"), widget=IsoDateInput)


class AssignmentForm(forms.Form):
    user = forms.ChoiceField(label=_("Person"))
    purpose = forms.ChoiceField(label=_("Purpose (Art. 3(6))"), choices=Purpose.choices)
    valid_until = forms.DateField(label=_("Until (optional)"), required=False, widget=IsoDateInput)

    def __init__(self, *args, users: list[Any], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["user"].choices = [(str(u.pk), u.email) for u in users]


class AccessLogFilterForm(forms.Form):
    record = SingleLineField(label=_("Record reference"), required=False, max_length=24)
    reader = SingleLineField(label=_("Reader"), required=False, max_length=100)
