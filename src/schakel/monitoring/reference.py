"""Reference figures for the annual report's comparison box ("Ter vergelijking: cijfers uit de
studie"): what other municipalities and the country counted, each with its source named. Data,
not computed: they are published figures (DOMAIN.md §8 and §11), shown only when the AF ticks
`show_reference_figures`."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

STUDY = _("the study (2021)")
COMENSHA = _("CoMensha")
# The sources in full, once under the box (the table names each figure's by its short name).
SOURCES = (
    (
        STUDY,
        _(
            "Design study of the local approach to human trafficking in 's-Hertogenbosch "
            "(2021), comparing Amsterdam, Tilburg, Breda and Drenthe."
        ),
    ),
    (COMENSHA, _("CoMensha, annual figures of registered possible victims of trafficking.")),
)


@dataclass(frozen=True)
class ReferenceFigure:
    place: str | Promise
    year: int
    what: str | Promise
    value: int
    source: str | Promise
    qualifier: str = ""  # as published: ">" (more than), "≈" (about)

    @property
    def shown(self) -> str:
        return f"{self.qualifier} {self.value}" if self.qualifier else str(self.value)


@dataclass(frozen=True)
class ReferenceGroup:
    title: str | Promise
    figures: tuple[ReferenceFigure, ...]


def _amsterdam(what: str | Promise, value: int) -> ReferenceFigure:
    return ReferenceFigure("Amsterdam", 2019, what, value, STUDY)


REFERENCE_GROUPS: tuple[ReferenceGroup, ...] = (
    ReferenceGroup(
        _("Other municipalities"),
        (
            _amsterdam(_("reports (meldingen)"), 87),
            _amsterdam(_("of which anonymous"), 26),
            _amsterdam(_("of which via the housing covenant"), 40),
            _amsterdam(_("of which from the municipality's own staff"), 21),
            _amsterdam(_("taken into treatment by the RIEC"), 31),
            _amsterdam(_("fiscal interventions"), 5),
            _amsterdam(_("criminal interventions"), 4),
            _amsterdam(_("administrative interventions"), 7),
            _amsterdam(_("adult victims sheltered"), 62),
            ReferenceFigure("Drenthe", 2019, _("signals"), 24, STUDY),
            ReferenceFigure("Drenthe", 2020, _("signals"), 34, STUDY),
            ReferenceFigure("Tilburg", 2020, _("reports (meldingen)"), 50, STUDY, ">"),
            ReferenceFigure("Tilburg", 2020, _("victims"), 50, STUDY),
            ReferenceFigure("'s-Hertogenbosch", 2020, _("victims"), 4, STUDY),
            ReferenceFigure(_("Region Noordoost-Brabant"), 2020, _("victims"), 12, STUDY),
        ),
    ),
    ReferenceGroup(
        _("The Netherlands"),
        tuple(
            ReferenceFigure(
                _("The Netherlands"),
                year,
                _("possible victims registered"),
                value,
                COMENSHA,
                qualifier,
            )
            for year, value, qualifier in (
                (2019, 1372, ""),
                (2020, 1013, ""),
                (2021, 791, ""),
                (2022, 814, ""),
                (2023, 1044, "≈"),
                (2024, 1062, "≈"),
            )
        ),
    ),
)

# Why a municipality's count looks small: only a part of the victims is ever seen.
ESTIMATE_NOTE = _(
    "Estimates of the real number of victims in the Netherlands: 5,000 to 7,500 a year "
    "(Nationaal Rapporteur, UNODC); WODC 2018–2019: about 4,000 to 7,000, of whom about 1,300 "
    "were seen, so 1 in 4 to 5 is detected."
)
