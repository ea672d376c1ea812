"""The place of a signal read as a Dutch address: real-world spellings meet, false friends do
not (intake/addresses.py)."""

import pytest

from schakel.intake.addresses import address_keys, agree, parse_place, postcode_key, town_key

# (as typed, as normalised)
VARIANTS = [
    ("Kerkstraat 12", "kerkstraat 12"),
    ("Kerkstraat 12, Brakelveen", "kerkstraat 12, brakelveen"),
    ("Kerkstraat 12,Brakelveen", "kerkstraat 12, brakelveen"),
    ("Kerkstraat 12 te Brakelveen", "kerkstraat 12, brakelveen"),
    ("Kerkstraat 12 in Brakelveen", "kerkstraat 12, brakelveen"),
    ("KERKSTRAAT 12 BRAKELVEEN", "kerkstraat 12, brakelveen"),
    ("kerkstraat 12", "kerkstraat 12"),
    ("Kerkstr. 12", "kerkstraat 12"),
    ("Kerk straat 12", "kerkstraat 12"),
    ("Kerkstraat 012", "kerkstraat 12"),
    ("Kerkstraat 12-A", "kerkstraat 12-a"),
    ("Kerkstraat 12a", "kerkstraat 12-a"),
    ("Kerkstraat 12 A", "kerkstraat 12-a"),
    ("Kerkstraat 12 a, Brakelveen", "kerkstraat 12-a, brakelveen"),
    ("Kerkstraat 12 bis", "kerkstraat 12-bis"),
    ("Kerkstraat 12-bis", "kerkstraat 12-bis"),
    ("Kerkstraat 12 huis", "kerkstraat 12-hs"),
    ("Kerkstraat 12-hs", "kerkstraat 12-hs"),
    ("Kerkstraat 12/2", "kerkstraat 12-2"),
    ("Kerkstraat 12-2", "kerkstraat 12-2"),
    ("Kerkstraat 12, 5211 AB Brakelveen", "kerkstraat 12, 5211ab, brakelveen"),
    ("Kerkstraat 12 5211ab Brakelveen", "kerkstraat 12, 5211ab, brakelveen"),
    ("5211 ab Kerkstraat 12", "kerkstraat 12, 5211ab"),
    ("Stationsplein 4 (hotel)", "stationsplein 4"),
    ("Hotel De Zilveren Reiger, Stationsplein 4, Brakelveen", "stationsplein 4, brakelveen"),
    ("Burg. de Grootlaan 3", "burgemeesterdegrootlaan 3"),
    ("Burgemeester de Grootlaan 3", "burgemeesterdegrootlaan 3"),
    ("Van Gogh-straat 7", "vangoghstraat 7"),
    ("'s-Gravenweg 5", "sgravenweg 5"),
    ("2e Jan Steenstraat 10", "2ejansteenstraat 10"),
    ("Dorpsstraat 1 Ăccent", "dorpsstraat 1, accent"),
    ("Hoofdstraat 3, Oirschot", "hoofdstraat 3, oirschot"),
    # Disguises: full-width characters, a zero-width space, a no-break space.
    ("Ｋｅｒｋｓｔｒａａｔ １２", "kerkstraat 12"),
    ("Kerk\u200bstraat 12", "kerkstraat 12"),
    ("Kerkstraat\u00a012", "kerkstraat 12"),
    ("Kérkstraat 12", "kerkstraat 12"),
]

NOT_ADDRESSES = [
    "",
    "   ",
    "Parkeerplaats achter het station",
    "Hotel De Zilveren Reiger, Stationsplein",
    "Stationsplein",
    "Wijk De Heikant",
    "tegenover Kerkstraat 12",
    "bij Kerkstraat 12",
    "naast Kerkstraat 12",
    "12",
    "A2 richting Eindhoven",
]


@pytest.mark.parametrize(("place", "label"), VARIANTS)
def test_a_place_written_as_people_write_it_reads_as_one_address(place, label):
    address = parse_place(place)
    assert address is not None, place
    assert address.label == label


@pytest.mark.parametrize("place", NOT_ADDRESSES)
def test_free_text_places_stay_free_text(place):
    assert parse_place(place) is None


def same(one: str, other: str) -> bool:
    a, b = parse_place(one), parse_place(other)
    assert a is not None and b is not None
    return (
        bool(set(address_keys(a)) & set(address_keys(b)))
        and agree(town_key(a), town_key(b))
        and agree(postcode_key(a), postcode_key(b))
    )


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ("Kerkstraat 12", "Kerkstraat 12, Brakelveen"),
        ("Kerkstraat 12, Brakelveen", "kerkstraat 12 te brakelveen"),
        ("Kerkstraat 12-A", "Kerkstraat 12 a"),
        ("Kerkstr. 12", "Kerkstraat 12"),
        ("Stationsplein 4 (hotel)", "Hotel De Zilveren Reiger, Stationsplein 4"),
        # The same postcode and number is the same address, whatever the street is called.
        ("Kerkstraat 12, 5211 AB", "Kerkweg 12, 5211AB"),
    ],
)
def test_spellings_of_one_address_meet(one, other):
    assert same(one, other)


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ("Kerkstraat 12", "Kerkstraat 120"),
        ("Kerkstraat 12", "Kerkstraat 1"),
        ("Kerkstraat 12", "Kerkstraat 12a"),
        ("Kerkstraat 12-a", "Kerkstraat 12-b"),
        ("Kerkstraat 12", "Kerkweg 12"),
        ("Kerkstraat 12", "Kerkstraat 21"),
        # One municipality can have a Kerkstraat in two villages.
        ("Kerkstraat 12, Brakelveen", "Kerkstraat 12 te Oudewater"),
        ("Kerkstraat 12, 5211 AB", "Kerkstraat 12, 5211 AC"),
    ],
)
def test_false_friends_do_not_meet(one, other):
    assert not same(one, other)


def test_the_index_holds_keyed_hashes_not_the_address():
    address = parse_place("Kerkstraat 12, 5211 AB Brakelveen")
    assert address is not None
    keys = address_keys(address)
    assert len(keys) == 2
    for key in keys:
        assert len(key) == 64
        assert "kerk" not in key and "5211" not in key
    assert "brakelveen" not in town_key(address)
