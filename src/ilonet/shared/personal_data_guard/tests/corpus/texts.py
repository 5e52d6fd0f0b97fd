"""Sentences, labels and look-alikes in English, Dutch, French and German for the corpus: the
prose of situation reports, minutes and statistics on the exchange platform (Art. 9(2)(a),
Art. 9(2)(b)), none of it personal."""

from __future__ import annotations

PROSE = {
    "en": [
        "The local network met in Rabat to compare arrivals on the Western Mediterranean route.",
        "Arrivals by sea rose by 12% compared with the previous quarter, mainly in September.",
        "Officers noted more forged residence permits at the airport during the summer season.",
        "The working group agreed to share its risk analysis with the steering board in spring.",
        "Return flights resumed after the authorities confirmed the readmission procedure.",
        "Smuggling networks shifted towards smaller boats leaving from the southern coast.",
        "The report covers border management, document fraud and legal migration channels.",
        "Training on document security was given to airline staff in three airports.",
    ],
    "nl": [
        "Het lokale netwerk kwam in Rabat bijeen om de aankomsten op de westelijke Middellandse-Zeeroute te vergelijken.",
        "Het aantal aankomsten over zee steeg met 12% ten opzichte van het vorige kwartaal.",
        "De verbindingsfunctionarissen zagen meer vervalste verblijfsvergunningen op de luchthaven.",
        "De werkgroep besloot haar risicoanalyse in het voorjaar met de stuurgroep te delen.",
        "Terugkeervluchten werden hervat nadat de autoriteiten de overnameprocedure bevestigden.",
        "Smokkelnetwerken stapten over op kleinere boten die vanaf de zuidkust vertrekken.",
        "Het verslag behandelt grensbeheer, documentfraude en legale migratiekanalen.",
        "Luchtvaartpersoneel op drie luchthavens kreeg een training over documentbeveiliging.",
    ],
    "fr": [
        "Le réseau local s'est réuni à Rabat pour comparer les arrivées sur la route de la Méditerranée occidentale.",
        "Les arrivées par la mer ont augmenté de 12 % par rapport au trimestre précédent.",
        "Les officiers ont constaté davantage de titres de séjour falsifiés à l'aéroport.",
        "Le groupe de travail a convenu de partager son analyse de risques avec le comité directeur.",
        "Les vols de retour ont repris après la confirmation de la procédure de réadmission.",
        "Les réseaux de passeurs utilisent désormais de plus petites embarcations.",
        "Le rapport couvre la gestion des frontières, la fraude documentaire et les voies légales de migration.",
        "Une formation sur la sécurité des documents a été donnée au personnel de trois aéroports.",
    ],
    "de": [
        "Das lokale Netz traf sich in Rabat, um die Ankünfte auf der westlichen Mittelmeerroute zu vergleichen.",
        "Die Ankünfte über das Meer stiegen gegenüber dem Vorquartal um 12 %.",
        "Die Verbindungsbeamten stellten mehr gefälschte Aufenthaltstitel am Flughafen fest.",
        "Die Arbeitsgruppe vereinbarte, ihre Risikoanalyse im Frühjahr mit dem Lenkungsausschuss zu teilen.",
        "Rückführungsflüge wurden wieder aufgenommen, nachdem die Behörden das Rückübernahmeverfahren bestätigten.",
        "Schleusernetze wichen auf kleinere Boote aus, die von der Südküste ablegen.",
        "Der Bericht behandelt Grenzmanagement, Dokumentenbetrug und legale Migrationswege.",
        "Das Personal von drei Flughäfen wurde in Dokumentensicherheit geschult.",
    ],
}

TITLES = {
    "en": ["Situation report", "Quarterly statistics", "Minutes of the network meeting", "Activity report"],
    "nl": ["Situatieverslag", "Kwartaalstatistieken", "Verslag van de netwerkvergadering", "Activiteitenverslag"],
    "fr": ["Rapport de situation", "Statistiques trimestrielles", "Procès-verbal de la réunion du réseau", "Rapport d'activité"],
    "de": ["Lagebericht", "Quartalsstatistik", "Protokoll der Netzsitzung", "Tätigkeitsbericht"],
}

LABELS = {
    "en": {"email": "E-mail", "phone": "Phone", "dob": "Date of birth", "born": "born on", "iban": "Account", "id": "ID number", "passport": "Passport", "profile": "Profile", "name": "Name", "contact": "Contact"},
    "nl": {"email": "E-mail", "phone": "Telefoon", "dob": "Geboortedatum", "born": "geboren op", "iban": "Rekening", "id": "Identiteitsnummer", "passport": "Paspoort", "profile": "Profiel", "name": "Naam", "contact": "Contact"},
    "fr": {"email": "Courriel", "phone": "Téléphone", "dob": "Date de naissance", "born": "né le", "iban": "Compte", "id": "Numéro d'identité", "passport": "Passeport", "profile": "Profil", "name": "Nom", "contact": "Contact"},
    "de": {"email": "E-Mail", "phone": "Telefon", "dob": "Geburtsdatum", "born": "geboren am", "iban": "Konto", "id": "Ausweisnummer", "passport": "Reisepass", "profile": "Profil", "name": "Name", "contact": "Kontakt"},
}
ID_LABELS = {"nl.bsn": "BSN", "be.nn": "Rijksregisternummer", "fr.nir": "NIR", "de.idnr": "Steuer-ID", "it.codicefiscale": "Codice fiscale", "es.dni": "DNI", "es.nie": "NIE", "pl.pesel": "PESEL"}

MONTHS = {
    "en": ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"],
    "nl": ["januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september", "oktober", "november", "december"],
    "fr": ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre", "novembre", "décembre"],
    "de": ["Januar", "Februar", "März", "April", "Mai", "Juni", "Juli", "August", "September", "Oktober", "November", "Dezember"],
}

STATS_HEADER = {
    "en": ["Country", "Quarter", "Arrivals", "Returns", "Change", "Reference date"],
    "nl": ["Land", "Kwartaal", "Aankomsten", "Terugkeer", "Verandering", "Peildatum"],
    "fr": ["Pays", "Trimestre", "Arrivées", "Retours", "Évolution", "Date de référence"],
    "de": ["Land", "Quartal", "Ankünfte", "Rückführungen", "Veränderung", "Stichtag"],
}
COUNTRIES = ["Morocco", "Tunisia", "Senegal", "Türkiye", "Pakistan", "Nigeria", "Georgia", "Egypt"]

# Citations, case numbers, dates and institutional links: everyday text that must pass.
LOOKALIKES = {
    "en": [
        "Under Art. 9(2)(d) of Regulation (EU) 2019/1240 the contact list is kept apart; see also Art. 10(3)(e).",
        "The Court ruled in Case C-311/18 (ECLI:EU:C:2020:559) and in Joined Cases C-924/19 PPU and C-925/19 PPU.",
        "The meeting of 12 March 2024 adopted the work programme for 2024-2025 (document 15234/24).",
        "The Schengen Agreement (14 June 1985) and the Dublin Convention (15 June 1990) preceded the Regulation.",
        "See https://home-affairs.ec.europa.eu/policies/migration-and-asylum_en and https://www.linkedin.com/company/frontex for background.",
        "Population of the Union: 447 706 209 (1 January 2023); GDP growth 0.4%; index 2015 = 100.",
    ],
    "nl": [
        "Op grond van artikel 9, lid 2, onder d), van Verordening (EU) 2019/1240 wordt de contactlijst apart bijgehouden.",
        "Zaaknummer 200.123.456/01, ECLI:NL:RVS:2021:1234; het beroep werd op 3 juni 2021 ongegrond verklaard.",
        "De vergadering van 12 maart 2024 stelde het werkprogramma 2024-2025 vast (stuk 15234/24).",
        "Het Verdrag van Schengen (14 juni 1985) ging aan de verordening vooraf.",
        "Zie https://www.ind.nl/nl/over-ons en https://eur-lex.europa.eu/eli/reg/2019/1240/oj voor achtergrond.",
        "Bevolking van de Unie: 447 706 209 (1 januari 2023); groei 0,4%; index 2015 = 100.",
    ],
    "fr": [
        "En vertu de l'article 9, paragraphe 2, point d), du règlement (UE) 2019/1240, la liste des contacts est tenue à part.",
        "Affaire C-311/18, arrêt du 16 juillet 2020 ; RG n° 21/04567 ; pourvoi n° 20-12.345.",
        "La réunion du 12 mars 2024 a adopté le programme de travail 2024-2025 (document 15234/24).",
        "L'accord de Schengen (14 juin 1985) a précédé le règlement.",
        "Voir https://www.frontex.europa.eu/ et https://www.linkedin.com/company/europol pour le contexte.",
        "Population de l'Union : 447 706 209 (1er janvier 2023) ; croissance 0,4 % ; indice 2015 = 100.",
    ],
    "de": [
        "Nach Art. 9 Abs. 2 Buchst. d der Verordnung (EU) 2019/1240 wird die Kontaktliste getrennt geführt.",
        "Az. 1 BvR 2345/19; Urteil vom 16. Juli 2020, Rs. C-311/18; BVerwG 1 C 12.20.",
        "Die Sitzung vom 12. März 2024 beschloss das Arbeitsprogramm 2024-2025 (Dokument 15234/24).",
        "Das Schengener Übereinkommen (14. Juni 1985) ging der Verordnung voraus.",
        "Siehe https://www.bamf.de/DE/Startseite/startseite_node.html und https://twitter.com/search?q=frontex zum Hintergrund.",
        "Bevölkerung der Union: 447 706 209 (1. Januar 2023); Wachstum 0,4 %; Index 2015 = 100.",
    ],
}
