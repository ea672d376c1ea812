"""The one role table (organisations/roles.py) says what the field says each role does."""

import pytest

from schakel.organisations.choices import Role
from schakel.organisations.roles import ROLE_CAPABILITIES, Capability, roles_with

from . import roles

EXPECTED = {
    Capability.DIRECT: roles.DIRECTOR_ROLES,
    Capability.REPORT: roles.REPORTING_ROLES,
    Capability.NAME_PERSONS: roles.IDENTIFYING_ROLES,
    Capability.WORK_CASES: roles.CASE_ROLES,
    Capability.PERPETRATOR_SIDE: roles.PERPETRATOR_ROLES,
    Capability.CARE_SIDE: roles.CARE_ROLES,
    Capability.INSPECT: roles.INSPECTION_ROLES,
    Capability.LOOK_UP: roles.MATCHING_ROLES,
    Capability.PERSONAL_DATA: roles.ROLES_WITH_PERSONAL_DATA,
    Capability.OVERSEE_PRIVACY: {Role.PRIVACY_OFFICER},
    Capability.REVIEW_RIGHTS: {Role.PRIVACY_OFFICER, Role.FUNCTIONAL_ADMIN},
    Capability.ADMINISTER: {Role.FUNCTIONAL_ADMIN},
    # The municipality's own AF roles keep its figures; the board and the region read them with
    # small counts hidden (DOMAIN.md §8).
    Capability.KEEP_FIGURES: {Role.AF_OOV, Role.AF_ZORG, Role.AF_SWT},
    Capability.READ_FIGURES: {Role.BOARD_VIEWER},
    Capability.READ_REGION_FIGURES: {Role.REGIONAL_ADVISER},
    # The zorgcoördinator and the police register victims with CoMensha; the AF zorg does not
    # (docs/comensha.md explains why).
    Capability.REGISTER_VICTIMS: {Role.ZORGCOORDINATOR, Role.AVIM},
    # The AF OOV fills in and finalises the self-assessment; its AF colleagues and the board
    # read it once it is final (DOMAIN.md §9).
    Capability.ASSESS_POLICY: {Role.AF_OOV},
    Capability.READ_ASSESSMENT: {Role.AF_ZORG, Role.AF_SWT, Role.BOARD_VIEWER},
    # The AF roles record the trainings of their municipality; the care side keeps the care
    # map (DOMAIN.md §10).
    Capability.KEEP_TRAININGS: {Role.AF_OOV, Role.AF_ZORG, Role.AF_SWT},
    Capability.KEEP_CARE_MAP: {Role.AF_ZORG, Role.ZORGCOORDINATOR},
}


def test_every_role_has_a_row_and_every_capability_a_rule():
    assert set(ROLE_CAPABILITIES) == set(Role)
    assert set(EXPECTED) == set(Capability)


@pytest.mark.parametrize("capability", list(Capability), ids=str)
def test_the_roles_with_each_capability_are_the_fields_roles(capability):
    assert roles_with(capability) == {str(r) for r in EXPECTED[capability]}


def test_only_the_aandachtsfunctionaris_oov_directs_and_nobody_else_receives_signals():
    assert roles_with(Capability.DIRECT) == {Role.AF_OOV}


def test_secondary_partners_and_the_board_see_no_personal_data():
    for role in (
        Role.PARTNER_REPORTER,
        Role.BOARD_VIEWER,
        Role.REGIONAL_ADVISER,
        Role.MUNICIPAL_REPORTER,
    ):
        assert role not in roles_with(Capability.PERSONAL_DATA)
