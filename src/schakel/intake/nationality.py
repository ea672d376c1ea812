"""A person's nationality as a country code, its group for the figures (Dutch / other EU /
outside the EU / unknown), and the reading of the free text recorded before the country was a
choice ("Pools", "Poolse", "Romanian", "spreekt Russisch").

Reading free text is deliberately shy: a text that names no nationality, or more than one,
gives "" (unknown). Unknown is the honest answer when unsure; a wrong country would skew the
figures and could mislead a colleague about a person.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django_countries import countries


class NationalityGroup(models.TextChoices):
    DUTCH = "nl", _("Dutch")
    EU = "eu", _("Other EU country")
    NON_EU = "non_eu", _("Outside the EU")
    UNKNOWN = "unknown", _("Unknown")


# The 27 member states of the European Union (ISO 3166-1 alpha-2; Greece is "GR", not "EL").
EU_MEMBERS: frozenset[str] = frozenset(
    {
        "AT", "BE", "BG", "CY", "CZ", "DE", "DK", "EE", "ES", "FI", "FR", "GR", "HR", "HU",
        "IE", "IT", "LT", "LU", "LV", "MT", "NL", "PL", "PT", "RO", "SE", "SI", "SK",
    }
)  # fmt: skip


def group_of(code: str) -> NationalityGroup:
    """The nationality group of an ISO alpha-2 code; "" (or a code that is no country) is
    unknown."""
    code = (code or "").strip().upper()
    if not code or code not in dict(countries):
        return NationalityGroup.UNKNOWN
    if code == "NL":
        return NationalityGroup.DUTCH
    if code in EU_MEMBERS:
        return NationalityGroup.EU
    return NationalityGroup.NON_EU


# Adjectives and other names people write for a nationality, in Dutch and English, already in
# the matching form (casefolded, without accents). Country names come from django_countries.
ADJECTIVES: dict[str, tuple[str, ...]] = {
    # European Union
    "AT": ("oostenrijks", "oostenrijkse", "oostenrijker", "austrian"),
    "BE": ("belgisch", "belgische", "belg", "belgian"),
    "BG": ("bulgaars", "bulgaarse", "bulgaar", "bulgarian"),
    "CY": ("cypriotisch", "cypriotische", "cyprioot", "cypriot"),
    "CZ": ("tsjechisch", "tsjechische", "tsjech", "czech", "tsjechie", "czechia"),
    "DE": ("duits", "duitse", "duitser", "german"),
    "DK": ("deens", "deense", "deen", "danish", "dane"),
    "EE": ("ests", "estse", "estlands", "estlandse", "estlander", "estonian"),
    "ES": ("spaans", "spaanse", "spanjaard", "spanish", "spaniard"),
    "FI": ("fins", "finse", "finnish", "finn"),
    "FR": ("frans", "franse", "fransman", "french"),
    "GR": ("grieks", "griekse", "griek", "greek"),
    "HR": ("kroatisch", "kroatische", "kroaat", "croatian", "croat"),
    "HU": ("hongaars", "hongaarse", "hongaar", "hungarian"),
    "IE": ("iers", "ierse", "ier", "irish"),
    "IT": ("italiaans", "italiaanse", "italiaan", "italian"),
    "LT": ("litouws", "litouwse", "litouwer", "lithuanian"),
    "LU": ("luxemburgs", "luxemburgse", "luxemburger", "luxembourgish"),
    "LV": ("lets", "letse", "letlands", "letlandse", "latvian"),
    "MT": ("maltees", "maltese"),
    "NL": ("nederlands", "nederlandse", "nederlander", "hollands", "hollandse", "dutch", "nl"),
    "PL": ("pools", "poolse", "polish", "polen", "pool", "pole"),
    "PT": ("portugees", "portugese", "portuguese"),
    "RO": ("roemeens", "roemeense", "roemeen", "romanian", "roemenie"),
    "SE": ("zweeds", "zweedse", "zweed", "swedish", "swede"),
    "SI": ("sloveens", "sloveense", "sloveen", "slovenian", "slovene"),
    "SK": ("slowaaks", "slowaakse", "slowaak", "slovak", "slovakian"),
    # Outside the EU, the nationalities most seen in Dutch trafficking cases
    "UA": ("oekraiens", "oekraiense", "oekraiener", "ukrainian", "oekraine"),
    "NG": ("nigeriaans", "nigeriaanse", "nigeriaan", "nigerian"),
    "MA": ("marokkaans", "marokkaanse", "marokkaan", "moroccan"),
    "TR": ("turks", "turkse", "turk", "turkish", "turkije"),
    "CN": ("chinees", "chinese"),
    "VN": ("vietnamees", "vietnamese"),
    "TH": ("thais", "thaise", "thai"),
    "PH": ("filipijns", "filipijnse", "filipijn", "filipino", "filipina", "philippine"),
    "BR": ("braziliaans", "braziliaanse", "braziliaan", "brazilian"),
    "CO": ("colombiaans", "colombiaanse", "colombiaan", "colombian"),
    "ER": ("eritrees", "eritrese", "eritreeer", "eritrean"),
    "SY": ("syrisch", "syrische", "syrier", "syrian"),
    "AF": ("afghaans", "afghaanse", "afghaan", "afghan"),
    "IN": ("indiaas", "indiase", "indier", "indian"),
    "GH": ("ghanees", "ghanese", "ghanian", "ghanaian"),
    "GN": ("guinees", "guinese", "guinean"),
    "UG": ("oegandees", "oegandese", "ugandan"),
    "RU": ("russisch", "russische", "rus", "russian"),
    "BY": ("wit-russisch", "wit-russische", "wit-rus", "belarussisch", "belarussische",
           "belarusian", "wit-rusland"),
    "MD": ("moldavisch", "moldavische", "moldaviër", "moldovan", "moldavie"),
    "AL": ("albanees", "albanese", "albanian"),
    "RS": ("servisch", "servische", "serviër", "serviers", "serbian", "serb"),
    "BA": ("bosnisch", "bosnische", "bosniër", "bosnian", "bosnie", "bosnia"),
    "SR": ("surinaams", "surinaamse", "surinamer", "surinamese"),
    "DO": ("dominicaans", "dominicaanse", "dominicaan", "dominican"),
    "VE": ("venezolaans", "venezolaanse", "venezolaan", "venezuelan"),
    "ID": ("indonesisch", "indonesische", "indonesiër", "indonesian"),
    "PK": ("pakistaans", "pakistaanse", "pakistaan", "pakistani"),
    "IQ": ("iraaks", "iraakse", "irakees", "irakese", "iraqi"),
    "IR": ("iraans", "iraanse", "iraniër", "iranian", "perzisch", "persian"),
    "SO": ("somalisch", "somalische", "somaliër", "somali"),
    "ET": ("ethiopisch", "ethiopische", "ethiopiër", "ethiopian"),
    "SL": ("sierra leoons", "sierra leoonse", "sierra leonean"),
    "CM": ("kameroens", "kameroense", "kameroener", "cameroonian"),
    "EG": ("egyptisch", "egyptische", "egyptenaar", "egyptian"),
    "DZ": ("algerijns", "algerijnse", "algerijn", "algerian"),
    "TN": ("tunesisch", "tunesische", "tunesiër", "tunisian"),
    "GB": ("brits", "britse", "brit", "british", "engelse", "english", "uk",
           "verenigd koninkrijk", "engeland", "england", "groot-brittannie"),
    "US": ("amerikaans", "amerikaanse", "amerikaan", "american", "usa", "vs", "verenigde staten",
           "united states"),
    "MK": ("macedonisch", "macedonische", "macedonian", "noord-macedonie"),
    "XK": ("kosovaars", "kosovaarse", "kosovaar", "kosovar", "kosovo"),
    "GE": ("georgisch", "georgische", "georgian"),
    "AM": ("armeens", "armeense", "armenian"),
    "KE": ("keniaans", "keniaanse", "kenyan"),
    "SD": ("soedanees", "soedanese", "sudanese"),
    "LY": ("libisch", "libische", "libyan"),
    "BD": ("bengaals", "bengaalse", "bangladeshi"),
    "LK": ("srilankaans", "srilankaanse", "sri lankaans", "sri lankaanse", "sri lankan"),
    "NP": ("nepalees", "nepalese"),
    "MN": ("mongools", "mongoolse", "mongolian"),
    "CV": ("kaapverdisch", "kaapverdische", "cape verdean"),
    "AO": ("angolees", "angolese", "angolan"),
    "CD": ("congolees", "congolese"),
}  # fmt: skip

# Words that name a language rather than a nationality: a text that only says what someone
# speaks stays unknown ("spreekt Russisch" is also said of Ukrainians, Moldovans, Latvians).
LANGUAGE_MARKERS = ("spreekt", "speaks", "taal", "language", "sprekend", "speaking")

# Names shared by several countries or too vague to decide on their own.
AMBIGUOUS = frozenset({"guinee", "guinea", "congo", "korea", "sudan"})

_INVISIBLE = {"Cf", "Cc"}


def normalise(text: str) -> str:
    """NFKC, without zero-width and control characters, casefolded, without accents, and with
    runs of spaces and punctuation (except the hyphen) made one space."""
    text = unicodedata.normalize("NFKC", text or "")
    text = "".join(" " if ch in "\t\n\r" else ch for ch in text)
    text = "".join(ch for ch in text if unicodedata.category(ch) not in _INVISIBLE)
    text = unicodedata.normalize("NFKD", text.casefold())
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = re.sub(r"[^\w\-]+", " ", text)
    return " ".join(text.split())


@lru_cache(maxsize=1)
def _table() -> dict[str, str]:
    """Every known phrase (normalised) → its ISO code."""
    table: dict[str, str] = {}
    for language in ("en", "nl"):
        with translation.override(language):
            for code, name in countries:
                phrase = normalise(str(name))
                if phrase and phrase not in AMBIGUOUS:
                    table.setdefault(phrase, code)
    for code, phrases in ADJECTIVES.items():
        for phrase in phrases:
            table[normalise(phrase)] = code
    return table


def _codes_in(text: str) -> set[str]:
    table = _table()
    words = text.split()
    found: set[str] = set()
    longest = max(len(phrase.split()) for phrase in table)
    i = 0
    while i < len(words):
        for size in range(min(longest, len(words) - i), 0, -1):
            phrase = " ".join(words[i : i + size])
            code = table.get(phrase)
            if code is not None:
                found.add(code)
                i += size
                break
        else:
            i += 1
    return found


def country_from_text(text: str) -> str:
    """The ISO alpha-2 code a free text names as nationality ("Poolse", "Romanian", "NL",
    "Oekraïne"), or "" when it names none, more than one, or only a language."""
    normal = normalise(text)
    if not normal:
        return ""
    table = _table()
    if normal in table:
        return table[normal]
    if len(normal) == 2 and normal.upper() in dict(countries):
        return normal.upper()
    # Parts that say what someone speaks are left out ("Vietnamees, spreekt weinig Engels").
    parts = [normalise(part) for part in re.split(r"[,;/()|+]| - ", text or "")]
    kept = [p for p in parts if p and not any(m in p.split() for m in LANGUAGE_MARKERS)]
    codes: set[str] = set()
    for part in kept:
        codes |= _codes_in(part)
    return codes.pop() if len(codes) == 1 else ""


def nationality_code(country: str | None, text: str = "") -> str:
    """The code a service stores: the chosen country, checked; or, from a caller that only has
    the free text (an import, an older caller: `country` None), the country read from it."""
    if country is None:
        return country_from_text(text)
    code = country.strip().upper()
    if code and code not in dict(countries):
        raise ValidationError(
            gettext("Choose the nationality from the list of countries, or leave it unknown.")
        )
    return code


def _country_choices() -> list[tuple[str, str]]:
    return [("", gettext("Unknown")), *((code, str(name)) for code, name in countries)]


def nationality_field() -> forms.ChoiceField:
    """The country select of a person form: every country by name, in the reader's language,
    after an empty "Unknown"."""
    return forms.ChoiceField(label=_("Nationality"), choices=_country_choices, required=False)


def details_field() -> forms.CharField:
    """The free text that was the nationality before it was a choice: now the rest."""
    return forms.CharField(
        label=_("Language or other details"),
        required=False,
        max_length=80,
        help_text=_("For example the language someone speaks. The nationality is chosen above."),
    )


def nationality_shown(country: object, details: str) -> str:
    """How a person's nationality reads where it is shown: the country by name, then the
    language or other details ("Polen (spreekt Duits)"); "" when nothing is known."""
    name = str(getattr(country, "name", "") or "")
    if name and details:
        return f"{name} ({details})"
    return name or details
