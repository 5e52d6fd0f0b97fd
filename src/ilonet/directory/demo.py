"""Demo data for the directory: one deploying authority per participating state."""

from django.utils import translation

from .models import Organisation, OrganisationKind
from .selectors import participating_member_states

# A few real authority names; other states get a generic ministry of the interior.
KNOWN_AUTHORITIES = {
    "nl": ("Royal Netherlands Marechaussee", "Koninklijke Marechaussee"),
    "de": ("Federal Police", "Federale Politie (Bundespolizei)"),
    "be": ("Immigration Office", "Dienst Vreemdelingenzaken"),
    "fr": ("Directorate General for Foreign Nationals", "Directoraat-generaal Vreemdelingen"),
}


def _country_name(country, language: str) -> str:
    with translation.override(language):
        return str(country.name)


def ensure_authorities() -> list[Organisation]:
    """One national deploying authority per participating member state (Art. 1(2))."""
    authorities = []
    for state in participating_member_states():
        code = f"{state.code}-auth"
        en, nl = KNOWN_AUTHORITIES.get(
            state.code,
            (
                f"Ministry of the Interior of {_country_name(state.country, 'en')}",
                f"Ministerie van Binnenlandse Zaken van {_country_name(state.country, 'nl')}",
            ),
        )
        authority, _ = Organisation.objects.get_or_create(
            code=code,
            defaults={
                "kind": OrganisationKind.NATIONAL_AUTHORITY,
                "parent": state,
                "country": state.country,
                "name_en": en,
                "name_nl": nl,
                "takes_part_in_ilo_regulation": True,
                "is_deploying_authority": True,
            },
        )
        authorities.append(authority)
    return authorities
