"""Does this timeline entry take a big decision? Asked of every entry, whatever its label.

Partners keep their professional autonomy, but some decisions are taken in the case meeting and
never by one partner alone (DOMAIN.md §4: in the study's case a youth worker had the victim
withdraw her police report). Choosing such a decision always makes a proposal; an entry whose
words read like one (in Dutch or English) is held back with a warning until its author says it
is a proposal or that it is not a big decision. The municipality adds decisions of its own
(organisations.BigDecision) with their keywords.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from schakel.core.text import clean_text
from schakel.organisations.models import BigDecision

from .choices import DecisionKind


def _patterns(*expressions: str) -> tuple[re.Pattern[str], ...]:
    return tuple(re.compile(expression) for expression in expressions)


# Over text that is cleaned, lower case and without accents (see `normalise`).
NEAR = r"\b.{0,60}?\b"
KEYWORDS: dict[DecisionKind, tuple[re.Pattern[str], ...]] = {
    DecisionKind.WITHDRAW_POLICE_REPORT: _patterns(
        rf"\baangifte\w*{NEAR}(in ?trek\w*|ingetrokken|trok\w*{NEAR}in|terug ?trek\w*|"
        rf"teruggetrokken|trekt{NEAR}(in|terug))\b",
        rf"\b(intrek\w*|ingetrokken|terug ?trek\w*|teruggetrokken){NEAR}aangifte",
        rf"\b(trek\w*|trok\w*){NEAR}aangifte\w*{NEAR}(in|terug)\b",
        rf"\bwithdr[ae]w\w*{NEAR}(police )?(report|complaint|statement|charges?)\b",
        rf"\b(report|complaint|charges?){NEAR}withdr[ae]w\w*",
        r"\bdrop\w*\b.{0,20}\bcharges?\b",
    ),
    DecisionKind.MOVE_VICTIM: _patterns(
        r"\b(verhuiz\w*|verhuist|verplaats\w*|overplaats\w*|overgeplaatst|herplaats\w*)\b",
        r"\bnaar (een )?(andere|nieuwe) (opvang|woning|plek|stad|gemeente)\b",
        rf"\b(mov(e|es|ed|ing)|relocat\w*|transfer\w*){NEAR}(victim|shelter|safe ?house|"
        r"another (city|town|place|address))\b",
        rf"\b(victim|she|he){NEAR}(mov(e|es|ed|ing)|relocat\w*)\b",
    ),
    DecisionKind.END_SHELTER: _patterns(
        rf"\bopvang{NEAR}(beeindig\w*|stop\w*|op te zeggen|opzeg\w*|afgelopen|ophoud\w*)",
        rf"\b(beeindig\w*|stop\w*|opzeg\w*|einde){NEAR}opvang\b",
        r"\buit de opvang\b",
        rf"\b(end\w*|stop\w*|terminat\w*){NEAR}(shelter|safe ?house)\b",
        rf"\b(leave|leaves|leaving|left){NEAR}(the )?(shelter|safe ?house)\b",
    ),
    DecisionKind.CONFRONT_SUSPECT: _patterns(
        r"\b(ge)?confront\w*",
        rf"\b(aanspreken|aangesproken|benader\w*|gesprek met|praten met){NEAR}"
        r"(verdachte|dader|pooier|uitbuiter|werkgever)\b",
        rf"\b(verdachte|dader|pooier|uitbuiter){NEAR}(aanspreken|aangesproken|benader\w*)\b",
        rf"\b(talk\w* to|approach\w*|interview\w*){NEAR}(the )?(suspect|perpetrator|pimp)\b",
    ),
}


def normalise(text: str) -> str:
    """Cleaned, accents removed, lower case, one space between words: so that full-width or
    accented spellings and invisible characters do not hide a word."""
    plain = unicodedata.normalize("NFKD", clean_text(text))
    plain = "".join(char for char in plain if not unicodedata.combining(char))
    return " ".join(plain.casefold().split())


@dataclass(frozen=True)
class Suspected:
    """What an entry seems to decide: a kind, or the municipality's own decision."""

    kind: DecisionKind
    municipal: BigDecision | None = None

    @property
    def code(self) -> str:
        """The value of the form's decision field for this decision."""
        return f"municipal:{self.municipal.pk}" if self.municipal else str(self.kind)

    @property
    def label(self) -> str:
        return self.municipal.name if self.municipal else str(self.kind.label)


def big_decision_in(text: str, municipality_id: int) -> Suspected | None:
    """The first big decision the text reads like, or None."""
    plain = normalise(text)
    for kind, patterns in KEYWORDS.items():
        if any(pattern.search(plain) for pattern in patterns):
            return Suspected(kind)
    for decision in BigDecision.objects.filter(municipality_id=municipality_id):
        if any(normalise(word) in plain for word in decision.keyword_list()):
            return Suspected(DecisionKind.MUNICIPAL, decision)
    return None


def decision_from_code(code: str, municipality_id: int) -> Suspected | None:
    """The decision the form's field names: a kind, or 'municipal:<id>' of this municipality."""
    if code.startswith("municipal:"):
        pk = code.removeprefix("municipal:")
        decision = (
            BigDecision.objects.filter(pk=int(pk), municipality_id=municipality_id).first()
            if pk.isdecimal()
            else None
        )
        return Suspected(DecisionKind.MUNICIPAL, decision) if decision else None
    if code in DecisionKind.values and code != DecisionKind.MUNICIPAL:
        return Suspected(DecisionKind(code))
    return None


def decision_choices(municipality_id: int) -> list[tuple[str, str]]:
    """The decisions a proposal can be for in this municipality."""
    built_in = [(str(k), str(k.label)) for k in DecisionKind if k != DecisionKind.MUNICIPAL]
    own = [
        (f"municipal:{d.pk}", d.name)
        for d in BigDecision.objects.filter(municipality_id=municipality_id)
    ]
    return built_in + own
