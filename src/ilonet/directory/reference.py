"""Reference data for the directory: which countries are what.

Only ISO 3166 codes are listed here; every name comes from django-countries / pycountry
(English and Dutch), never typed by hand.
"""

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
