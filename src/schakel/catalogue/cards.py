"""Signal cards (signaalkaarten): per sector a one-page list of the main indicators plus where to
report (DOMAIN.md §6).

This module is the one place that says which sectors have a card and which indicators each card
shows. The HTML card, the PDF card and the checklist in the intake forms all read it:

- `CARD_SECTORS`: the stable sector codes (slugs used in URLs): brp, inspection, school, care,
  hospitality, housing, public.
- `card_for(sector_code) -> SignalCard`: the card of a sector; `KeyError` for an unknown code.
- `card_indicators(card) -> list[Indicator]`: the indicators the card shows, in the order shown.
- `checklist_for(sector_code) -> list[Indicator]`: the same indicators, for the checklist beside
  an intake form ("the same card drives the checklist"). Render `indicator.text` (the active
  language) and mark `indicator.strength == "hard"`; `card_groups()` groups them as the card does.
- `full_checklist(card)` / `checklist_by_form(card)`: every indicator the card's rule lets in,
  without its one-page limits, grouped by exploitation form and strength: the checklist of an
  inspection's findings (the inspection card says what is left out, and why).

The selection rule of a card, applied to the active indicators of the catalogue:

1. keep the indicators in the card's categories (and, when the card names them, of its kinds,
   subjects and exploitation forms; an indicator qualifies when it shares one form with the card),
   except the few the card leaves out by code (`exclude`, each with its reason);
2. rank them: hard before soft, then by the card's order of categories, then the indicators that
   hold for more of the card's forms first (the catalogue has a variant per form of some
   indicators; a sector card wants the general one), then by catalogue position;
3. take them in that rank, at most `per_category` from one category and at most `maximum` in all,
   so the card fits one A4 page;
4. show them grouped by category in the card's order (questions to ask, then facts found, then
   signs to notice), hard ones first within a group, then by catalogue position.

An indicator that records the same fact as a broader one (`counts_as`) replaces it on a card that
admits both: the card asks for each fact once. The questions are guidance for the conversation;
an intake checklist shows them without a box to tick (`Indicator.is_recorded`): what their answers
bring to light is ticked as a fact or a sign.

Cards hold reference data only: no personal data, so they are public and meant to be printed.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from itertools import groupby

from django.db.models import QuerySet
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from .choices import (
    INDICATOR_FORM_CODES,
    ExploitationFormCode,
    IndicatorCategory,
    IndicatorKind,
    IndicatorStrength,
)
from .models import Indicator
from .selectors import indicators_for

StrOrPromise = str | Promise

# Organ removal is rare in the Netherlands and noticed abroad or in hospitals: left off the cards.
MAIN_FORMS: tuple[str, ...] = (
    ExploitationFormCode.SEXUAL,
    ExploitationFormCode.LABOUR,
    ExploitationFormCode.CRIMINAL,
)
SIGNS_ONLY: tuple[str, ...] = (IndicatorKind.SIGNAL,)

# A hand-out read without training must not invite profiling people by their origin.
SOURCE_COUNTRY = "sexual-physical-source-country"
# "Is under eighteen" is a strong sign in the context of sex work (hotels, inspections); on a
# general card it reads as if every minor were a sign.
MINOR_IN_SEX_WORK = "sexual-physical-minor"


@dataclass(frozen=True)
class SignalCard:
    """One sector's card: what it says, and which indicators of the catalogue it shows."""

    code: str
    title: StrOrPromise
    intro: StrOrPromise
    file_slug: str  # the card's part of the PDF's file name (Dutch, not translated)
    categories: tuple[str, ...]
    forms: tuple[str, ...] | None = MAIN_FORMS
    kinds: tuple[str, ...] | None = SIGNS_ONLY
    subjects: tuple[str, ...] | None = None
    exclude: tuple[str, ...] = (SOURCE_COUNTRY,)
    per_category: int | None = None
    maximum: int = 20
    # Secondary partners send a situation sketch without personal data (DOMAIN.md §7).
    situation_only: bool = True
    note: StrOrPromise = ""


CARDS: tuple[SignalCard, ...] = (
    SignalCard(
        code="brp",
        title=_("BRP desk"),
        intro=_(
            "For staff registering people in the municipal personal records database (BRP). "
            "Registration in person is a moment to notice exploitation: ask these questions "
            "and watch the person registering and whoever comes with them."
        ),
        file_slug="brp-balie",
        categories=(IndicatorCategory.BRP_DESK, IndicatorCategory.IDENTITY),
        kinds=None,
        maximum=18,
        situation_only=False,
    ),
    SignalCard(
        code="inspection",
        title=_("Enforcement and inspection"),
        intro=_(
            "For enforcement officers and inspectors. During an inspection you see the "
            "workplace and the housing, and also the people: how they look and how they behave."
        ),
        file_slug="toezicht-handhaving",
        categories=(
            IndicatorCategory.WORK,
            IndicatorCategory.HOUSING,
            IndicatorCategory.PHYSICAL,
            IndicatorCategory.SOCIAL,
        ),
        per_category=6,
        maximum=22,
        situation_only=False,
    ),
    SignalCard(
        code="school",
        title=_("School"),
        intro=_(
            "For teachers, mentors and care coordinators at schools. Pupils are recruited "
            "for sexual and criminal exploitation, often by someone they trust."
        ),
        file_slug="school",
        categories=(IndicatorCategory.SCHOOL, IndicatorCategory.SOCIAL),
        forms=(ExploitationFormCode.SEXUAL, ExploitationFormCode.CRIMINAL),
        per_category=9,
        maximum=18,
        note=_(
            "Is the pupil a minor? Also follow your school's reporting code for domestic "
            "violence and child abuse (Meldcode) and consult Veilig Thuis: 0800 2000."
        ),
    ),
    SignalCard(
        code="care",
        title=_("Care and health care"),
        intro=_(
            "For GPs, hospital staff, social workers and other care professionals. Victims "
            "rarely ask for help themselves; they may come to you with complaints that seem "
            "to have another cause."
        ),
        file_slug="zorg",
        categories=(
            IndicatorCategory.PHYSICAL,
            IndicatorCategory.SOCIAL,
            IndicatorCategory.FINANCIAL,
        ),
        exclude=(SOURCE_COUNTRY, MINOR_IN_SEX_WORK),
        per_category=7,
        maximum=20,
        note=_(
            "Care professionals also follow their Meldcode: consult the zorgcoördinator "
            "mensenhandel or Veilig Thuis (0800 2000)."
        ),
    ),
    SignalCard(
        code="hospitality",
        title=_("Hotel and hospitality"),
        intro=_(
            "For reception, housekeeping and bar staff. Hotel rooms are used for prostitution "
            "arranged through online advertisements; watch the guests, their visitors and who "
            "is in control."
        ),
        file_slug="hotel",
        categories=(
            IndicatorCategory.SOCIAL,
            IndicatorCategory.PHYSICAL,
            IndicatorCategory.HOUSING,
            IndicatorCategory.ONLINE_ADVERTISEMENT,
            IndicatorCategory.WORK,
        ),
        forms=(ExploitationFormCode.SEXUAL,),
        per_category=4,
        maximum=20,
    ),
    SignalCard(
        code="housing",
        title=_("Housing corporation"),
        intro=_(
            "For housing consultants, caretakers and neighbourhood staff. You see who lives in "
            "a home, how many people live there and who pays the rent."
        ),
        file_slug="woningcorporatie",
        categories=(IndicatorCategory.HOUSING, IndicatorCategory.FINANCIAL),
        per_category=9,
        maximum=18,
    ),
    SignalCard(
        code="public",
        title=_("General public"),
        intro=_(
            "For everyone. Human trafficking happens close by: in homes, at work, in the "
            "street. You do not have to be sure; a worrying feeling is enough to report."
        ),
        file_slug="publiek",
        # What neighbours and passers-by see first: the house, people driven to work.
        categories=(
            IndicatorCategory.HOUSING,
            IndicatorCategory.WORK,
            IndicatorCategory.SOCIAL,
            IndicatorCategory.PHYSICAL,
        ),
        exclude=(SOURCE_COUNTRY, MINOR_IN_SEX_WORK),
        per_category=4,
        maximum=16,
    ),
)

CARD_SECTORS: list[str] = [card.code for card in CARDS]
_CARDS_BY_CODE: dict[str, SignalCard] = {card.code: card for card in CARDS}


def card_for(sector_code: str) -> SignalCard:
    """The card of a sector; KeyError for a code that has no card."""
    try:
        return _CARDS_BY_CODE[sector_code]
    except KeyError:
        raise KeyError(f"No signal card for sector {sector_code!r}") from None


def _admitted(card: SignalCard, *, categories: Iterable[str] | None) -> QuerySet[Indicator]:
    """The active indicators the card's rule lets in (step 1 of the module docstring), without
    the broader indicator of a fact the card already asks for more precisely."""
    queryset = indicators_for(forms=card.forms, categories=categories)
    if card.kinds is not None:
        queryset = queryset.filter(kind__in=card.kinds)
    if card.subjects is not None:
        queryset = queryset.filter(subject__in=card.subjects)
    if card.exclude:
        queryset = queryset.exclude(code__in=card.exclude)
    narrower = queryset.filter(counts_as__isnull=False).values("counts_as")
    return queryset.exclude(pk__in=narrower)


def card_indicators(card: SignalCard) -> list[Indicator]:
    """The active indicators the card shows, in the order shown (see the module docstring)."""
    queryset = _admitted(card, categories=card.categories)
    rank = {category: index for index, category in enumerate(card.categories)}
    ranked = sorted(
        queryset,
        key=lambda i: (
            not _is_hard(i),
            rank[i.category],
            -_breadth(i, card),
            i.position,
            i.code,
        ),
    )
    chosen: list[Indicator] = []
    per_category: Counter[str] = Counter()
    for indicator in ranked:
        if len(chosen) >= card.maximum:
            break
        if card.per_category is not None and per_category[indicator.category] >= card.per_category:
            continue
        chosen.append(indicator)
        per_category[indicator.category] += 1
    return sorted(chosen, key=lambda i: (*_group_key(i, rank), not _is_hard(i), i.position))


def checklist_for(sector_code: str) -> list[Indicator]:
    """The checklist for an intake form: exactly the indicators of the sector's card."""
    return card_indicators(card_for(sector_code))


@dataclass(frozen=True)
class CardGroup:
    """Indicators of one category (and kind) as the card shows them under one heading."""

    category: str
    kind: str
    indicators: tuple[Indicator, ...]

    @property
    def heading(self) -> StrOrPromise:
        if self.kind == IndicatorKind.QUESTION:
            return _("Questions to ask")
        if self.kind == IndicatorKind.FACT:
            return _("What the questions may bring to light")
        return IndicatorCategory(self.category).label

    @property
    def is_questions(self) -> bool:
        return self.kind == IndicatorKind.QUESTION


def card_groups(indicators: Iterable[Indicator]) -> list[CardGroup]:
    """Consecutive indicators of the same category and kind, as produced by card_indicators."""
    return [
        CardGroup(category=category, kind=kind, indicators=tuple(members))
        for (category, kind), members in groupby(indicators, key=lambda i: (i.category, i.kind))
    ]


# The group of a full checklist for indicators that hold for more than one of the card's forms.
SEVERAL_FORMS = ""


@dataclass(frozen=True)
class ChecklistItem:
    indicator: Indicator
    forms: tuple[str, ...]  # the card's forms it holds for, in the catalogue's order of forms

    @property
    def forms_label(self) -> str:
        return ", ".join(str(ExploitationFormCode(code).label) for code in self.forms)


@dataclass(frozen=True)
class FormGroup:
    """One exploitation form's part of a full checklist (`form` is SEVERAL_FORMS for the
    indicators of more than one form), split into hard and soft, each in catalogue order."""

    form: str
    hard: tuple[ChecklistItem, ...]
    soft: tuple[ChecklistItem, ...]

    @property
    def heading(self) -> StrOrPromise:
        if self.form == SEVERAL_FORMS:
            return _("Signs of more than one form of exploitation")
        return ExploitationFormCode(self.form).label

    @property
    def items(self) -> tuple[ChecklistItem, ...]:
        return self.hard + self.soft

    @property
    def parts(self) -> tuple[tuple[str, tuple[ChecklistItem, ...]], ...]:
        return ((IndicatorStrength.HARD, self.hard), (IndicatorStrength.SOFT, self.soft))


def full_checklist(card: SignalCard) -> list[Indicator]:
    """Every active indicator the card's rule lets in, without the limits that make the card fit
    one page (its categories, per category, maximum): for recording what was seen, where the
    whole catalogue counts. What the card leaves out on principle stays out: the indicators it
    excludes, and the forms and kinds it does not cover. In catalogue order."""
    return list(_admitted(card, categories=None).order_by("position", "code"))


def checklist_by_form(card: SignalCard) -> list[FormGroup]:
    """The full checklist grouped by exploitation form, then by strength (hard before soft):
    first the indicators of several forms, then one group per form, each indicator once."""
    forms = card.forms if card.forms is not None else INDICATOR_FORM_CODES
    grouped: dict[str, list[ChecklistItem]] = {code: [] for code in (SEVERAL_FORMS, *forms)}
    for indicator in full_checklist(card):
        held = {form.code for form in indicator.exploitation_forms.all()}
        item = ChecklistItem(indicator, tuple(code for code in forms if code in held))
        grouped[item.forms[0] if len(item.forms) == 1 else SEVERAL_FORMS].append(item)
    return [
        FormGroup(
            form=code,
            hard=tuple(i for i in items if _is_hard(i.indicator)),
            soft=tuple(i for i in items if not _is_hard(i.indicator)),
        )
        for code, items in grouped.items()
        if items
    ]


def _is_hard(indicator: Indicator) -> bool:
    return indicator.strength == IndicatorStrength.HARD


def _breadth(indicator: Indicator, card: SignalCard) -> int:
    """How many of the card's exploitation forms the indicator holds for (prefetched forms)."""
    codes = {form.code for form in indicator.exploitation_forms.all()}
    return len(codes if card.forms is None else codes.intersection(card.forms))


KIND_ORDER = {IndicatorKind.QUESTION: 0, IndicatorKind.FACT: 1, IndicatorKind.SIGNAL: 2}


def _group_key(indicator: Indicator, rank: dict[str, int]) -> tuple[int, int]:
    # Within a category, the questions to ask come first, then the facts they bring to light,
    # then the signs to notice.
    return (rank[indicator.category], KIND_ORDER[IndicatorKind(indicator.kind)])
