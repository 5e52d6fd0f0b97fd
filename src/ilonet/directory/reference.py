"""Reference data for the directory: which countries are what.

Only ISO 3166 codes are listed here; every name comes from django-countries / pycountry
(English and Dutch), never typed by hand; Kosovo's name comes from the COUNTRIES_OVERRIDE setting.
"""

from django.utils.translation import gettext_lazy as _

# EU member states (ISO 3166-1 alpha-2). Participation in Reg. 2019/1240 is recorded per
# organisation: Denmark does not take part (recital 31), Ireland does (recital 33).
EU_MEMBER_STATES: tuple[str, ...] = (
    "AT", "BE", "BG", "HR", "CY", "CZ", "DK", "EE", "FI", "FR", "DE", "GR", "HU", "IE",
    "IT", "LV", "LT", "LU", "MT", "NL", "PL", "PT", "RO", "SK", "SI", "ES", "SE",
)  # fmt: skip
NOT_TAKING_PART: frozenset[str] = frozenset({"DK"})  # recital 31
# Schengen-associated countries: non-voting steering board members (Art. 7(3)).
SCHENGEN_ASSOCIATED: tuple[str, ...] = ("IS", "LI", "NO", "CH")

# EU bodies named in the regulation: the Commission deploys ILOs and chairs the board
# (Art. 7(6)); Frontex, Europol and EUAA (formerly EASO) deploy liaison officers and sit on
# the board (Art. 7(2)); the European Parliament reads parts of the platform (Art. 9(4)).
EU_BODIES: tuple[dict, ...] = (
    {"code": "com", "kind": "eu_institution", "acronym": "EC", "deploys": True,
     "name_en": "European Commission", "name_nl": "Europese Commissie"},
    {"code": "ep", "kind": "eu_institution", "acronym": "EP", "deploys": False,
     "name_en": "European Parliament", "name_nl": "Europees Parlement"},
    {"code": "frontex", "kind": "eu_agency", "acronym": "Frontex", "deploys": True,
     "name_en": "European Border and Coast Guard Agency",
     "name_nl": "Europees Grens- en kustwachtagentschap"},
    {"code": "europol", "kind": "eu_agency", "acronym": "Europol", "deploys": True,
     "name_en": "European Union Agency for Law Enforcement Cooperation",
     "name_nl": "Agentschap van de Europese Unie voor samenwerking op het gebied van rechtshandhaving"},
    {"code": "euaa", "kind": "eu_agency", "acronym": "EUAA", "deploys": True,
     "name_en": "European Union Agency for Asylum",
     "name_nl": "Asielagentschap van de Europese Unie"},
)  # fmt: skip

# International organisations where ILOs may be posted (Art. 2(2)(c)).
INTERNATIONAL_ORGANISATIONS: tuple[dict, ...] = (
    {"code": "iom", "acronym": "IOM", "name_en": "International Organization for Migration",
     "name_nl": "Internationale Organisatie voor Migratie"},
    {"code": "unhcr", "acronym": "UNHCR", "name_en": "United Nations High Commissioner for Refugees",
     "name_nl": "Hoge Commissaris van de Verenigde Naties voor de Vluchtelingen"},
    {"code": "icao", "acronym": "ICAO", "name_en": "International Civil Aviation Organization",
     "name_nl": "Internationale Burgerluchtvaartorganisatie"},
    {"code": "interpol", "acronym": "INTERPOL",
     "name_en": "International Criminal Police Organization",
     "name_nl": "Internationale Criminele Politieorganisatie"},
)  # fmt: skip

# ISO codes that are not countries a liaison officer can be deployed to (uninhabited or
# without own authorities); they are still valid ISO codes and stay selectable for data.
NON_DEPLOYABLE: frozenset[str] = frozenset({"AQ", "BV", "HM", "TF", "UM", "GS"})

# Kosovo: the user-assigned code XK, named through the COUNTRIES_OVERRIDE setting. EU documents
# write "Kosovo*" with this footnote.
KOSOVO = "XK"
KOSOVO_FOOTNOTE = _(
    "*This designation is without prejudice to positions on status, and is in line with UNSCR "
    "1244/1999 and the ICJ Opinion on the Kosovo declaration of independence."
)

# Territories with an ISO code of their own that are part of a member state and of the Union,
# so never a third country: the outermost regions (Art. 349 TFEU, Art. 355(1) TFEU) and the
# Åland Islands (Art. 355(4) TFEU). The Canary Islands, the Azores, Madeira, Ceuta and Melilla
# have no ISO code of their own (they are ES and PT). Overseas countries and territories (Annex
# II TFEU: e.g. NC, PF, AW, CW, GL, BL) and the Faroe Islands (Art. 355(5)(a) TFEU) are not
# part of the Union and stay third countries. See docs/deployments.md.
OUTERMOST_REGIONS: dict[str, str] = {
    "GF": "FR", "GP": "FR", "MQ": "FR", "RE": "FR", "YT": "FR", "MF": "FR",
}  # fmt: skip
PARTS_OF_MEMBER_STATES: dict[str, str] = {**OUTERMOST_REGIONS, "AX": "FI"}

# The EU's interinstitutional style guide writes EL for Greece (ISO: GR); shown to users only,
# stored data keeps the ISO code.
EU_DISPLAY_CODES: dict[str, str] = {"GR": "EL"}


def display_code(code: str) -> str:
    """The country code as EU documents show it (EL for Greece), upper case."""
    upper = (code or "").upper()
    return EU_DISPLAY_CODES.get(upper, upper)
