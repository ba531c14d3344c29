"""Danish and English labels for the extract format's category values."""

CATEGORY_LABELS = {
    "forebyggende": {"da": "Forebyggende", "en": "Preventive"},
    "anbringelse_netvaerk": {"da": "Netværksanbringelse", "en": "Network placement"},
    "anbringelse_plejefamilie": {"da": "Plejefamilie", "en": "Foster family"},
    "anbringelse_opholdssted": {"da": "Opholdssted", "en": "Residential home"},
    "anbringelse_doegninstitution": {"da": "Døgninstitution", "en": "Residential institution"},
    "anbringelse_eget_vaerelse": {"da": "Eget værelse", "en": "Own room"},
}
REPORTER_LABELS = {
    "professional": {"da": "Fagperson", "en": "Professional"},
    "private": {"da": "Privatperson", "en": "Private person"},
    "anonymous": {"da": "Anonym", "en": "Anonymous"},
    "others": {"da": "Borger eller anonym", "en": "Citizen or anonymous"},  # private and anonymous, folded
}
PLACEMENT_TYPE_LABELS = {  # the placement categories folded by where the child lives (and account function)
    "family": {"da": "Plejefamilie eller netværk", "en": "Foster or network family"},
    "residential": {"da": "Opholdssted eller eget værelse", "en": "Residential home or own room"},
    "institution": {"da": "Døgninstitution", "en": "Residential institution"},
    "residential_care": {"da": "Opholdssted, eget værelse eller døgninstitution",
                         "en": "Residential home, own room or institution"},
}
FUNCTION_LABELS = {
    "5.28.20": {"da": "5.28.20 Opholdssteder mv.", "en": "5.28.20 Residential homes etc."},
    "5.28.21": {"da": "5.28.21 Forebyggende foranstaltninger", "en": "5.28.21 Preventive measures"},
    "5.28.22": {"da": "5.28.22 Plejefamilier", "en": "5.28.22 Foster families"},
    "5.28.23": {"da": "5.28.23 Døgninstitutioner", "en": "5.28.23 Residential institutions"},
    "5.28.24": {"da": "5.28.24 Sikrede døgninstitutioner", "en": "5.28.24 Secure institutions"},
    "5.28.25": {"da": "5.28.25 Særlige dagtilbud og klubber", "en": "5.28.25 Special day care and clubs"},
}
