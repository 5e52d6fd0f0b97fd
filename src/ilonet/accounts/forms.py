from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from ilonet.directory.models import Organisation
from ilonet.shared.forms import SingleLineField
from ilonet.shared.widgets import IsoDateInput

from . import scopes
from .models import ApiTokenScope, User
from .roles import Role


class UserFilterForm(forms.Form):
    search = SingleLineField(label=_("Search"), required=False, max_length=100)
    role = forms.ChoiceField(label=_("Role"), required=False, choices=[("", _("All roles")), *Role.choices])


class UserCreateForm(forms.Form):
    email = forms.EmailField(label=_("E-mail address"))
    first_name = SingleLineField(label=_("First name"), max_length=150)
    last_name = SingleLineField(label=_("Last name"), max_length=150)
    job_title = SingleLineField(label=_("Job title"), max_length=200, required=False)
    organisation = forms.ModelChoiceField(
        label=_("Organisation"), queryset=Organisation.objects.filter(is_active=True)
    )
    preferred_language = forms.ChoiceField(label=_("Preferred language"), choices=settings.LANGUAGES)
    send_invitation = forms.BooleanField(
        label=_("Send an invitation by e-mail"),
        required=False,
        initial=True,
        help_text=_("A single-use link to set a password and then a second factor."),
    )

    def clean_email(self) -> str:
        email = self.cleaned_data["email"].lower()
        if User.objects.filter(email__iexact=email).exists():
            raise forms.ValidationError(_("A user with this e-mail address already exists."))
        return email


class UserUpdateForm(forms.Form):
    email = forms.EmailField(
        label=_("E-mail address"),
        help_text=_("The address the person signs in with; changing it is recorded in the audit trail."),
    )
    first_name = SingleLineField(label=_("First name"), max_length=150)
    last_name = SingleLineField(label=_("Last name"), max_length=150)
    job_title = SingleLineField(label=_("Job title"), max_length=200, required=False)
    organisation = forms.ModelChoiceField(
        label=_("Organisation"), queryset=Organisation.objects.filter(is_active=True)
    )
    preferred_language = forms.ChoiceField(label=_("Preferred language"), choices=settings.LANGUAGES)
    is_active = forms.BooleanField(label=_("Account active"), required=False)


class RoleAssignmentForm(forms.Form):
    """Grant a role. The scope is picked from a list of names, of the kind the role implies and
    among what the administrator may grant (``scopes``); nobody types ``network:12``."""

    role = forms.ChoiceField(label=_("Role"), choices=[("", _("Choose a role")), *Role.choices])
    scope = forms.ChoiceField(label=_("Scope"), required=False, choices=[])
    valid_from = forms.DateField(label=_("Valid from"), widget=IsoDateInput())
    valid_until = forms.DateField(label=_("Valid until"), required=False, widget=IsoDateInput())

    def __init__(self, *args, actor, **kwargs):
        super().__init__(*args, **kwargs)
        self.actor = actor
        role = self.data.get("role") if self.is_bound else self.initial.get("role")
        role = role if role in Role.values else None
        self.fields["scope"].choices = scopes.choices_for(actor=actor, role=role)
        self.fields["scope"].help_text = scopes.help_text(role) or _("Choose a role first.")

    def clean(self):
        data = super().clean()
        start, end = data.get("valid_from"), data.get("valid_until")
        if start and end and end < start:
            self.add_error("valid_until", _("The end date cannot be before the start date."))
        role = data.get("role")
        if role and "scope" in data:
            try:
                data["organisation"], data["scope_ref"] = scopes.from_picker(
                    actor=self.actor, role=role, value=data.pop("scope")
                )
            except ValidationError as error:
                self.add_error(None, error)
        return data


class ApiTokenForm(forms.Form):
    name = SingleLineField(
        label=_("Name"), max_length=100, help_text=_("What the token is for, e.g. 'statistics export'.")
    )
    scope = forms.ChoiceField(label=_("Scope"), choices=ApiTokenScope.choices)
    days = forms.IntegerField(
        label=_("Valid for (days)"), min_value=1, max_value=settings.API_TOKEN_MAX_DAYS, initial=90
    )
