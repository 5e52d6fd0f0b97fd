"""Forms of return cooperation. Countries come from ISO 3166 (any code: the services give the
rule's reason for one that is not a third country); a member state is chosen among the ones
the return officer acts for."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from ilonet.shared.forms import FilterForm, SingleLineField
from ilonet.shared.widgets import FastSelect, FastSelectMultiple, IsoDateInput, country_choices

from .models import MissionKind, MissionStatus, Need, ProviderKind, SpecialNeed, SupportKind, Topic


class CountryField(forms.ChoiceField):
    def __init__(self, *args, blank_label=None, **kwargs):
        kwargs.setdefault("widget", FastSelect)
        blank = str(blank_label or _("Choose a country"))
        super().__init__(*args, choices=lambda: [("", blank), *country_choices()], **kwargs)


class CountriesField(forms.MultipleChoiceField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", FastSelectMultiple)
        super().__init__(*args, choices=lambda: country_choices(), **kwargs)


class StateForm(forms.Form):
    """A form whose first field is the member state the officer acts for."""

    state_field = "member_state"

    def __init__(self, *args, states=(), **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields[self.state_field]
        field.choices = [(s, s) for s in sorted(states)]
        if len(field.choices) == 1:
            field.initial = field.choices[0][0]


class OfferForm(StateForm):
    member_state = forms.ChoiceField(label=_("Offering member state"))
    programme = SingleLineField(label=_("Programme"), max_length=200)
    third_countries = CountriesField(label=_("Third countries"))
    places = forms.IntegerField(label=_("Places"), min_value=1, max_value=10000)
    period_start = forms.DateField(label=_("From"), widget=IsoDateInput())
    period_end = forms.DateField(label=_("Until"), widget=IsoDateInput())
    request_deadline = forms.DateField(label=_("Requests until"), widget=IsoDateInput())
    package = forms.CharField(
        label=_("What the package contains"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )
    conditions = forms.CharField(
        label=_("Conditions"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )


class PlaceRequestForm(StateForm):
    member_state = forms.ChoiceField(label=_("Requesting member state"))
    third_country = forms.ChoiceField(label=_("Third country"))
    places = forms.IntegerField(
        label=_("Places"),
        min_value=1,
        max_value=10000,
        help_text=_("A number of places: no persons until both states agree."),
    )
    note = SingleLineField(label=_("Note"), required=False, max_length=500)

    def __init__(self, *args, countries=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["third_country"].choices = [(c, c) for c in countries]


class AnswerForm(forms.Form):
    accept = forms.TypedChoiceField(
        label=_("Answer"), choices=[("yes", _("Accept")), ("no", _("Decline"))], coerce=lambda v: v == "yes"
    )
    note = SingleLineField(label=_("Note"), required=False, max_length=500)


class PlaceUseForm(forms.Form):
    case_reference = SingleLineField(
        label=_("Case reference of your member state"),
        max_length=64,
        help_text=_("Your return case management's reference, never a name."),
    )
    persons = forms.IntegerField(label=_("Persons"), min_value=1, max_value=20, initial=1)
    planned_departure = forms.DateField(label=_("Planned departure"), required=False, widget=IsoDateInput())
    special_needs = forms.MultipleChoiceField(
        label=_("Special needs the programme must know of"),
        required=False,
        choices=SpecialNeed.choices,
        widget=forms.CheckboxSelectMultiple,
    )


class FlightForm(StateForm):
    state_field = "organiser"
    organiser = forms.ChoiceField(label=_("Organising member state"))
    frontex_coordinated = forms.BooleanField(label=_("Coordinated by Frontex"), required=False)
    third_country = CountryField(label=_("Third country"))
    departure_on = forms.DateField(label=_("Departure"), widget=IsoDateInput())
    seats = forms.IntegerField(label=_("Seats for other member states"), min_value=1, max_value=1000)
    request_deadline = forms.DateField(label=_("Requests until"), widget=IsoDateInput())
    note = SingleLineField(label=_("Note"), required=False, max_length=500)


class SeatsForm(StateForm):
    member_state = forms.ChoiceField(label=_("Requesting member state"))
    seats = forms.IntegerField(label=_("Seats"), min_value=1, max_value=1000)


class CountForm(forms.Form):
    seats = forms.IntegerField(label=_("Seats"), min_value=0, max_value=1000)


class CasesForm(forms.Form):
    case_references = forms.CharField(
        label=_("Case references of your member state"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One per line, never a name."),
    )


class MissionForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=MissionKind.choices)
    host = forms.ChoiceField(label=_("Host"))
    third_country = CountryField(label=_("Third country"))
    starts_on = forms.DateField(label=_("From"), widget=IsoDateInput())
    ends_on = forms.DateField(label=_("Until"), widget=IsoDateInput())
    joining_states = forms.CharField(
        label=_("Member states joining"),
        required=False,
        max_length=200,
        help_text=_("ISO codes separated by commas, e.g. BE, DE."),
    )
    with_eeas = forms.BooleanField(label=_("With the European External Action Service"), required=False)
    persons_to_present = forms.IntegerField(
        label=_("Persons to present"), min_value=0, max_value=10000, initial=0
    )
    note = SingleLineField(label=_("Note"), required=False, max_length=1000)

    def __init__(self, *args, hosts=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["host"].choices = [(h, _("The Commission") if h == "EU" else h) for h in hosts]


class OutcomeForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=MissionStatus.choices)
    identified = forms.IntegerField(label=_("Persons identified"), min_value=0, initial=0)
    documents_promised = forms.IntegerField(label=_("Travel documents promised"), min_value=0, initial=0)
    documents_issued = forms.IntegerField(label=_("Travel documents issued"), min_value=0, initial=0)
    note = SingleLineField(label=_("Note"), required=False, max_length=1000)


class OpportunityForm(forms.Form):
    country = CountryField(label=_("Country of return"))
    provider_kind = forms.ChoiceField(label=_("Kind of provider"), choices=ProviderKind.choices)
    organisation = SingleLineField(label=_("Organisation"), max_length=200)
    title = SingleLineField(label=_("Title"), max_length=200)
    offers = forms.CharField(
        label=_("What it offers"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )
    eligibility = forms.CharField(
        label=_("For whom"), max_length=1000, widget=forms.Textarea(attrs={"rows": 2})
    )
    needs = forms.MultipleChoiceField(
        label=_("Needs covered"), choices=Need.choices, widget=forms.CheckboxSelectMultiple
    )
    website = forms.URLField(label=_("Website"), required=False, max_length=200, assume_scheme="https")
    contact = SingleLineField(
        label=_("Contact of the organisation"),
        required=False,
        max_length=200,
        help_text=_("A functional mailbox or switchboard, not a person."),
    )
    valid_from = forms.DateField(label=_("Valid from"), widget=IsoDateInput())
    valid_until = forms.DateField(label=_("Valid until"), required=False, widget=IsoDateInput())


class OpportunitySearchForm(FilterForm):
    country = CountryField(label=_("Country of return"), required=False, blank_label=_("Every country"))
    need = forms.ChoiceField(label=_("Need"), required=False, choices=[("", _("Every need")), *Need.choices])
    text = forms.CharField(label=_("Words"), required=False, max_length=100)
    stale = forms.BooleanField(label=_("Only entries due for review"), required=False)


class SupportForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=SupportKind.choices)
    topic = forms.ChoiceField(label=_("Topic"), choices=Topic.choices)
    title = SingleLineField(label=_("Title"), max_length=200)
    description = forms.CharField(
        label=_("Description"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )
    provider = SingleLineField(
        label=_("Member state or organisation"),
        max_length=32,
        help_text=_("A member state's ISO code (NL) or an organisation's code (frontex)."),
    )
    fundamental_rights = forms.BooleanField(label=_("Covers fundamental rights"), required=False)


class UptakeForm(forms.Form):
    participant = SingleLineField(
        label=_("Member state or organisation"),
        max_length=32,
        help_text=_("Who followed it: a member state or an organisation, never a person."),
    )
    taken_on = forms.DateField(label=_("On"), widget=IsoDateInput())


class QuarterForm(FilterForm):
    quarter = forms.RegexField(
        label=_("Quarter"),
        required=False,
        regex=r"^\d{4}-Q[1-4]$",
        max_length=7,
        help_text=_("For example 2026-Q4."),
    )
