"""The groups of roles the field's rules speak of, written out here on purpose: the tests check
the code's one table (organisations/roles.py) against them, so a change of who may do what is a
change of these lines too, never a silent side effect."""

from schakel.organisations.choices import Role

CASE_ROLES = frozenset(
    {
        Role.AF_OOV,
        Role.AF_ZORG,
        Role.AF_SWT,
        Role.ZORGCOORDINATOR,
        Role.VEILIG_THUIS,
        Role.AVIM,
        Role.BASISTEAM,
        Role.ISZW,
        Role.OVJ,
        Role.BELASTINGDIENST,
        Role.TOEZICHT_HANDHAVING,
    }
)
REPORTING_ROLES = (CASE_ROLES - {Role.OVJ, Role.BELASTINGDIENST}) | {
    Role.MUNICIPAL_REPORTER,
    Role.PARTNER_REPORTER,
}
IDENTIFYING_ROLES = REPORTING_ROLES - {Role.PARTNER_REPORTER}
PERPETRATOR_ROLES = frozenset(
    {
        Role.AF_OOV,
        Role.AVIM,
        Role.ISZW,
        Role.OVJ,
        Role.BELASTINGDIENST,
        Role.TOEZICHT_HANDHAVING,
    }
)
CARE_ROLES = frozenset({Role.ZORGCOORDINATOR, Role.VEILIG_THUIS})
INSPECTION_ROLES = frozenset({Role.AF_OOV, Role.TOEZICHT_HANDHAVING})
DIRECTOR_ROLES = frozenset({Role.AF_OOV})
ROLES_WITH_PERSONAL_DATA = CASE_ROLES | {Role.PRIVACY_OFFICER, Role.FUNCTIONAL_ADMIN}
MATCHING_ROLES = CASE_ROLES
