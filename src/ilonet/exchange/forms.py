"""Forms of the exchange's pages. The services validate again; these only parse and label."""

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from ilonet.shared.forms import SingleLineField
from ilonet.shared.widgets import IsoDateInput

from .models import REFUSED_MARKINGS, Category, Language, Marking, Topic

EMPTY = [("", _("Any"))]


def _marking_choices():
    return [*Marking.choices, *REFUSED_MARKINGS.items()]


class GuardOverrideFields(forms.Form):
    """Shown after the guard refused a file, to a user the board authorised (Art. 9(3))."""

    overrides = forms.MultipleChoiceField(
        label=_("Findings that are not personal data"), required=False, widget=forms.CheckboxSelectMultiple
    )
    override_reason = forms.CharField(
        label=_("Why these findings are not personal data"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, findings=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.offer(findings)
        if self.is_bound and not findings and hasattr(self.data, "getlist"):
            # What the user ticked after a refusal; the service checks it against the new report.
            sent = [v for v in self.data.getlist(self.add_prefix("overrides")) if 0 < len(v) <= 128][:200]
            self.fields["overrides"].choices = [(v, v) for v in sent]

    def offer(self, findings) -> None:
        choices = [(f.fingerprint, f.describe()) for f in findings]
        self.fields["overrides"].choices = choices
        if not choices:
            self.fields["overrides"].widget = forms.MultipleHiddenInput()
            self.fields["override_reason"].widget = forms.HiddenInput()
        else:
            self.fields["overrides"].widget = forms.CheckboxSelectMultiple(choices=choices)
            self.fields["override_reason"].widget = forms.Textarea(attrs={"rows": 3})


class MetadataForm(forms.Form):
    title = SingleLineField(label=_("Title"), max_length=200)
    description = forms.CharField(
        label=_("Description"), required=False, max_length=4000, widget=forms.Textarea(attrs={"rows": 3})
    )
    authors = SingleLineField(
        label=_("Authors"),
        required=False,
        max_length=300,
        help_text=_("Organisations or units, not persons (Art. 9(3))."),
    )
    language = forms.ChoiceField(label=_("Language"), choices=Language.choices)
    tags = SingleLineField(
        label=_("Tags"), required=False, max_length=300, help_text=_("Separated by commas.")
    )
    category = forms.ChoiceField(label=_("What it is (Art. 9(2))"), choices=Category.choices)
    marking = forms.ChoiceField(
        label=_("Sensitivity marking (Art. 9(1))"),
        choices=_marking_choices,
        initial=Marking.NORMAL,
        help_text=_(
            "Sensitive documents are never included in bulk downloads. Classified and highly confidential "
            "operational law-enforcement information is not exchanged here."
        ),
    )
    topics = forms.MultipleChoiceField(
        label=_("Topics (Art. 3(4))"),
        choices=Topic.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    expires_on = forms.DateField(
        label=_("Leaves the space on"),
        required=False,
        widget=IsoDateInput(),
        help_text=_("Optional: on that day the document leaves the space (its managers can restore it)."),
    )


class UploadForm(MetadataForm, GuardOverrideFields):
    file = forms.FileField(
        label=_("File"),
        help_text=_(
            "PDF, DOCX, XLSX, ODT, ODS, CSV, TXT, PNG or JPEG, recognised by content. "
            "No personal data (Art. 9(3))."
        ),
    )
    folder = forms.TypedChoiceField(label=_("Folder"), coerce=int, required=False, empty_value=None)

    field_order = ["file", "title", "folder"]

    def __init__(self, *args, folders=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["folder"].choices = [("", _("The top of the space")), *folders]


class VersionForm(GuardOverrideFields):
    file = forms.FileField(label=_("File"))
    note = SingleLineField(label=_("What changed"), required=False, max_length=500)
    field_order = ["file", "note"]


class FolderForm(forms.Form):
    name = SingleLineField(label=_("Name"), max_length=200)


class MoveForm(forms.Form):
    folder = forms.TypedChoiceField(label=_("Move to"), coerce=int, required=False, empty_value=None)

    def __init__(self, *args, folders=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["folder"].choices = [("", _("The top of the space")), *folders]


class RestoreForm(forms.Form):
    expires_on = forms.DateField(label=_("Leaves the space on"), required=False, widget=IsoDateInput())


class WorkingGroupForm(forms.Form):
    name = SingleLineField(label=_("Name"), max_length=200)
    description = forms.CharField(
        label=_("Description"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )


class MemberForm(forms.Form):
    user = forms.ModelChoiceField(label=_("User"), queryset=get_user_model().objects.none())
    is_manager = forms.BooleanField(label=_("Manages the space"), required=False)

    def __init__(self, *args, users=None, **kwargs):
        super().__init__(*args, **kwargs)
        if users is not None:
            self.fields["user"].queryset = users


class DecisionForm(forms.Form):
    motion = forms.TypedChoiceField(label=_("Board decision"), coerce=int)

    def __init__(self, *args, decisions=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["motion"].choices = [("", _("Choose the adopted decision")), *decisions]


class AuthorisationForm(DecisionForm, MemberForm):
    field_order = ["user", "motion"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields.pop("is_manager")


class FilterForm(forms.Form):
    search = forms.CharField(label=_("Title or description"), required=False, max_length=200)
    topic = forms.ChoiceField(label=_("Topic"), choices=EMPTY + list(Topic.choices), required=False)
    category = forms.ChoiceField(label=_("Category"), choices=EMPTY + list(Category.choices), required=False)
    language = forms.ChoiceField(label=_("Language"), choices=EMPTY + list(Language.choices), required=False)
    marking = forms.ChoiceField(label=_("Marking"), choices=EMPTY + list(Marking.choices), required=False)
    tag = forms.CharField(label=_("Tag"), required=False, max_length=40)

    def filters(self):
        from .selectors import Filters

        if not self.is_valid():
            return Filters()
        return Filters(**{k: (v or "").strip() for k, v in self.cleaned_data.items()})


SEARCH_LANGUAGES = [("en", _("English")), ("nl", _("Dutch")), ("fr", _("French")), ("de", _("German"))]
MAX_SEARCH_PAGE = 50  # 20 a page: the search counts and ranks at most 1,000 hits


class SearchForm(forms.Form):
    """The search page's GET form (issue 11 item 6). The spaces offered are those the user reads."""

    q = forms.CharField(label=_("Search for"), required=False, max_length=200)
    space = forms.TypedChoiceField(label=_("Space"), required=False, coerce=int, empty_value=None)
    topic = forms.ChoiceField(label=_("Topic"), choices=EMPTY + list(Topic.choices), required=False)
    category = forms.ChoiceField(label=_("Category"), choices=EMPTY + list(Category.choices), required=False)
    language = forms.ChoiceField(label=_("Language"), choices=EMPTY + SEARCH_LANGUAGES, required=False)
    date_from = forms.DateField(label=_("From"), required=False, widget=IsoDateInput())
    date_to = forms.DateField(label=_("Until"), required=False, widget=IsoDateInput())
    page = forms.IntegerField(
        required=False, min_value=1, max_value=MAX_SEARCH_PAGE, widget=forms.HiddenInput()
    )

    def __init__(self, *args, spaces=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["space"].choices = EMPTY + [(s.pk, s.name) for s in spaces]

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", _("The end date cannot be before the start date."))
        return cleaned
