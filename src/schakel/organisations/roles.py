"""What each role may do, in one table.

Every policy asks this table ("which roles direct cases?") instead of keeping its own list of
roles; docs/architecture.md shows it, generated from here (tests/test_docs_in_sync.py). A rule
that needs more than a role (the case's municipality, a participation, a covenant) lives in the
aggregate's policy, built on these capabilities.
"""

from __future__ import annotations

from enum import StrEnum
from functools import cache

from django.utils.translation import gettext_lazy as _

from schakel.core.policies import Actor

from .choices import Role


class Capability(StrEnum):
    """A kind of work a role does in the local approach."""

    # The AF OOV as internal reporting point and netwerkregisseur (DOMAIN.md §3, §4).
    DIRECT = "direct"
    REPORT = "report"
    NAME_PERSONS = "name_persons"
    WORK_CASES = "work_cases"
    PERPETRATOR_SIDE = "perpetrator_side"
    CARE_SIDE = "care_side"
    INSPECT = "inspect"
    LOOK_UP = "look_up"
    PERSONAL_DATA = "personal_data"
    OVERSEE_PRIVACY = "oversee_privacy"
    REVIEW_RIGHTS = "review_rights"
    ADMINISTER = "administer"
    # Monitoring (DOMAIN.md §8): the AF keeps the municipality's figures and writes its annual
    # report; the board and the region read them with small counts hidden (monitoring/disclosure).
    KEEP_FIGURES = "keep_figures"
    READ_FIGURES = "read_figures"
    READ_REGION_FIGURES = "read_region_figures"
    # Registers possible victims with CoMensha's national registration (docs/comensha.md): the
    # zorgcoördinator and the police (AVIM) do so in practice.
    REGISTER_VICTIMS = "register_victims"
    # The living policy (DOMAIN.md §9): the AF OOV fills in and finalises the municipality's
    # self-assessment; colleagues and the board read the finalised ones.
    ASSESS_POLICY = "assess_policy"
    READ_ASSESSMENT = "read_assessment"
    # The network (DOMAIN.md §10): the AF roles record the trainings given in their
    # municipality; the care side keeps the region's care map (zorgkaart).
    KEEP_TRAININGS = "keep_trainings"
    KEEP_CARE_MAP = "keep_care_map"


CAPABILITY_LABELS = {
    Capability.DIRECT: _(
        "receives the municipality's signals, organises its meetings and directs its cases "
        "(netwerkregisseur)"
    ),
    Capability.REPORT: _("reports signals"),
    Capability.NAME_PERSONS: _("may name people in a report"),
    Capability.WORK_CASES: _("takes part in meetings and cases"),
    Capability.PERPETRATOR_SIDE: _("proposes and executes perpetrator interventions"),
    Capability.CARE_SIDE: _("care side: acknowledges interventions, counts for the quorum"),
    Capability.INSPECT: _("plans and evaluates inspections"),
    Capability.LOOK_UP: _("uses hit/no-hit"),
    Capability.PERSONAL_DATA: _("sees personal data: logs in with a second factor"),
    Capability.OVERSEE_PRIVACY: _("audit log, requests of persons concerned, legal hold"),
    Capability.REVIEW_RIGHTS: _("rights review"),
    Capability.ADMINISTER: _(
        "users, organisations, covenants, catalogue, partner directory and care map"
    ),
    Capability.KEEP_FIGURES: _(
        "reads the municipality's figures as they are and writes its annual report"
    ),
    Capability.READ_FIGURES: _("reads the municipality's figures, small counts hidden"),
    Capability.READ_REGION_FIGURES: _("reads the region's figures, small counts hidden"),
    Capability.REGISTER_VICTIMS: _(
        "exports the victims of its cases for the registration with CoMensha"
    ),
    Capability.ASSESS_POLICY: _(
        "fills in and finalises the municipality's policy self-assessment"
    ),
    Capability.READ_ASSESSMENT: _("reads the municipality's finalised policy self-assessments"),
    Capability.KEEP_TRAININGS: _("records the trainings given in the municipality"),
    Capability.KEEP_CARE_MAP: _("keeps the region's care map"),
}

C = Capability
_PARTNER = frozenset({C.REPORT, C.NAME_PERSONS, C.WORK_CASES, C.LOOK_UP, C.PERSONAL_DATA})

ROLE_CAPABILITIES: dict[Role, frozenset[Capability]] = {
    Role.AF_OOV: _PARTNER
    | {C.DIRECT, C.PERPETRATOR_SIDE, C.INSPECT, C.KEEP_FIGURES, C.ASSESS_POLICY, C.KEEP_TRAININGS},
    Role.AF_ZORG: _PARTNER | {C.KEEP_FIGURES, C.READ_ASSESSMENT, C.KEEP_TRAININGS, C.KEEP_CARE_MAP},
    Role.AF_SWT: _PARTNER | {C.KEEP_FIGURES, C.READ_ASSESSMENT, C.KEEP_TRAININGS},
    Role.ZORGCOORDINATOR: _PARTNER | {C.CARE_SIDE, C.REGISTER_VICTIMS, C.KEEP_CARE_MAP},
    Role.VEILIG_THUIS: _PARTNER | {C.CARE_SIDE},
    Role.AVIM: _PARTNER | {C.PERPETRATOR_SIDE, C.REGISTER_VICTIMS},
    Role.BASISTEAM: _PARTNER,
    Role.ISZW: _PARTNER | {C.PERPETRATOR_SIDE},
    Role.OVJ: frozenset({C.WORK_CASES, C.PERPETRATOR_SIDE, C.LOOK_UP, C.PERSONAL_DATA}),
    Role.BELASTINGDIENST: frozenset({C.WORK_CASES, C.PERPETRATOR_SIDE, C.LOOK_UP, C.PERSONAL_DATA}),
    Role.TOEZICHT_HANDHAVING: _PARTNER | {C.PERPETRATOR_SIDE, C.INSPECT},
    Role.MUNICIPAL_REPORTER: frozenset({C.REPORT, C.NAME_PERSONS}),
    # Secondary partners send a situation sketch without personal data (DOMAIN.md §7).
    Role.PARTNER_REPORTER: frozenset({C.REPORT}),
    Role.BOARD_VIEWER: frozenset({C.READ_FIGURES, C.READ_ASSESSMENT}),
    Role.REGIONAL_ADVISER: frozenset({C.READ_REGION_FIGURES}),
    Role.FUNCTIONAL_ADMIN: frozenset({C.ADMINISTER, C.REVIEW_RIGHTS, C.PERSONAL_DATA}),
    Role.PRIVACY_OFFICER: frozenset({C.OVERSEE_PRIVACY, C.REVIEW_RIGHTS, C.PERSONAL_DATA}),
}


@cache
def roles_with(*capabilities: Capability) -> frozenset[str]:
    """The roles that have at least one of these capabilities."""
    return frozenset(
        str(role) for role, held in ROLE_CAPABILITIES.items() if held.intersection(capabilities)
    )


def capable(actor: Actor, *capabilities: Capability) -> bool:
    """The actor acts in a role with one of these capabilities."""
    return actor.has_role(*roles_with(*capabilities))


def organisations_with(actor: Actor, *capabilities: Capability) -> frozenset[int]:
    return actor.organisations_where(*roles_with(*capabilities))


def municipalities_with(actor: Actor, *capabilities: Capability) -> frozenset[int]:
    return actor.municipalities_where(*roles_with(*capabilities))
