"""The personal-data check reads the text as a person reads it: a number or an address hidden
behind invisible characters, other digits or spelled-out signs is still found, and ordinary text
that merely looks like such a trick is not refused."""

import pytest

from schakel.intake.pii import PersonalData, find_personal_data, mentions_a_name, normalise

ZWSP, ZWJ, WJ, SHY, BOM, NBSP, NNBSP = (
    "\u200b",
    "\u200d",
    "\u2060",
    "\u00ad",
    "\ufeff",
    "\xa0",
    "\u202f",
)
RLO, PDF = "\u202e", "\u202c"


def digits_in(script_zero: int, number: str = "0612345678") -> str:
    """`number` written in the decimal digits of another script (its zero's code point)."""
    return "".join(chr(script_zero + int(d)) for d in number)


OBFUSCATED_PHONES = {
    "zero-width space inside": f"06{ZWSP}1234{ZWSP}5678",
    "zero-width joiner and word joiner": f"0{ZWJ}6{WJ}12345678",
    "soft hyphen and BOM": f"06{SHY}1234{BOM}5678",
    "bidi controls": f"{RLO}06{PDF}12345678",
    "full-width digits": "０６－１２３４５６７８",
    "Arabic-Indic digits": digits_in(0x0660),
    "Extended Arabic-Indic digits": digits_in(0x06F0),
    "Devanagari digits": digits_in(0x0966),
    "NBSP between groups": f"06{NBSP}12{NBSP}34{NBSP}56{NBSP}78",
    "narrow NBSP and figure space": f"06{NNBSP}1234\u20075678",
    "double spaces": "06  12  34  56  78",
    "spaced digits": "0 6 1 2 3 4 5 6 7 8",
    "dotted digits": "06.12.34.56.78",
    "dashed and spaced": "06-12 34 56 78",
    "slashed": "06/12/34/56/78",
    "en dash": "06\u201312345678",
    "NUL byte inside": "0612\x00345678",
    "tab between groups": "06\t12345678",
    "international with (0)": "+31 (0)6 12 34 56 78",
    "full-width plus": "＋31 6 12345678",
}


@pytest.mark.parametrize("text", OBFUSCATED_PHONES.values(), ids=OBFUSCATED_PHONES.keys())
def test_an_obfuscated_phone_number_is_found(text):
    assert find_personal_data(f"Hij gaf een nummer: {text}, bel hem.") == PersonalData.PHONE


OBFUSCATED_ADDRESSES = {
    "name(at)domain": "jan(at)example",
    "name(at)domain.nl": "jan(at)example.nl",
    "name [at] domain [dot] nl": "jan [at] example [dot] nl",
    "{at} and (punt)": "jan{at}example(punt)nl",
    "<at> and [.]": "jan <AT> example [.] nl",
    "(apenstaartje)": "jan (apenstaartje) example.nl",
    "(@)": "jan(@)example.nl",
    "spaces around @": "jan @ example.nl",
    "full-width @": "jan＠example.nl",
    "zero-width space in it": f"jan{ZWSP}@{ZWSP}example.nl",
    "bare at with a domain": "jan.devries at example.nl",
    "bare at, spelled dot": "jan at gmail dot com",
    "apenstaartje, punt": "jan apenstaartje hotmail punt nl",
    "@ and spelled dot": "jan@example punt nl",
}


@pytest.mark.parametrize("text", OBFUSCATED_ADDRESSES.values(), ids=OBFUSCATED_ADDRESSES.keys())
def test_an_obfuscated_email_address_is_found(text):
    assert find_personal_data(f"Mail naar {text} voor meer.") == PersonalData.EMAIL


@pytest.mark.parametrize(
    ("kind", "text"),
    [
        (PersonalData.BSN, f"123{NBSP}456{NBSP}782"),
        (PersonalData.BSN, digits_in(0x0660, "123456782")),
        (PersonalData.IBAN, f"NL91{ZWSP}ABNA{NBSP}0417{NBSP}1643{NBSP}00"),
        (PersonalData.IBAN, "ＮＬ９１ＡＢＮＡ０４１７１６４３００"),
    ],
    ids=["BSN with NBSP", "BSN in Arabic-Indic digits", "IBAN with ZWSP and NBSP", "full-width"],
)
def test_an_obfuscated_bsn_or_iban_is_found(kind, text):
    assert find_personal_data(f"Het nummer is {text}.") == kind


FALSE_FRIENDS = [
    "om 10 at 11",
    "Kerkstraat 12 at the back",
    "Kerkstraat 12 at the back. Then they left",
    "I saw him at the station. Then he left",
    "we meet at noon punt uit",
    "het punt is dat niemand iets zei",
    "punt 3 at 4",
    "het pand (at the corner) staat leeg",
    "12 (punt) 5",
    f"op 12{NBSP}maart om 14:30",
    f"Kerkstraat{NBSP}12, 1234{NBSP}AB",
    "\u0661\u0662-\u0660\u0663-\u0662\u0660\u0662\u0666 om \u0661\u0660:\u0663\u0660",  # a date
    "０１－０３－２０２６ １０：３０",
    f"€{NNBSP}1.500 per maand",
    "€ 1\u2009500,00",
    "4 mannen, 2 vrouwen, 1 begeleider",
    f"bel{ZWSP} 112",
    "huisnummers 12\u201318",
    "tussen 22.00 en 06.00 uur",
]


@pytest.mark.parametrize("text", FALSE_FRIENDS)
def test_ordinary_text_that_looks_like_a_trick_is_accepted(text):
    assert find_personal_data(text) is None


def test_normalising_keeps_what_a_reader_sees():
    assert normalise(f"06{ZWSP}12\x00 34{NBSP}{NBSP}56") == "0612 34 56"
    assert normalise("jan [at] example (dot) nl") == "jan@example.nl"
    assert normalise("regel één\nregel twee") == "regel één\nregel twee"


@pytest.mark.parametrize(
    "allowed",
    [("012 345 6789", "meldpunt@gm0001.example"), ("+31 12 3456789", "MELDPUNT@gm0001.example")],
)
def test_allowed_contact_details_are_not_refused_but_others_are(allowed):
    text = "Vragen? Bel 012-345 67 89 of mail meldpunt@gm0001.example."
    assert find_personal_data(text) == PersonalData.EMAIL
    assert find_personal_data(text, allowed=allowed) is None
    assert find_personal_data(f"{text} Of 06 12345678.", allowed=allowed) == PersonalData.PHONE
    assert find_personal_data(f"{text} Of jan@example.nl.", allowed=allowed) == PersonalData.EMAIL


NAMES = ["Ana-Maria Popescu", "Jan de Vries", "Élodie"]


@pytest.mark.parametrize(
    "text",
    [
        "Popescu is gesproken.",
        "POPESCU is gesproken.",
        "Ana-Maria is gesproken.",
        "Anamaria is gesproken.",
        "We spraken met de heer De Vries.",
        "We spraken met jan de vries.",
        "Elodie is veilig.",
        f"Élo{ZWSP}die is veilig.",
        "Ｐｏｐｅｓｃｕ is gesproken.",
        f"Pope{SHY}scu is gesproken.",
    ],
)
def test_a_name_is_found_however_it_is_written(text):
    assert mentions_a_name(text, NAMES)


@pytest.mark.parametrize(
    "text",
    [
        "De melding is opgepakt; de politie is ingelicht.",
        "Er is een vervolggesprek gepland.",
        "Het pand van de verhuurder is bezocht.",  # "van", "de": particles, not names
        "Popescuweg 4 is bezocht.",  # a name as part of a longer word is not that name
        "Janssen is een andere persoon.",
    ],
)
def test_a_name_is_not_found_in_other_words(text):
    assert not mentions_a_name(text, NAMES)


def test_no_names_no_finding():
    assert not mentions_a_name("Jan de Vries", [])
    assert not mentions_a_name("Jan de Vries", ["", "Al"])  # too short to tell from a word
