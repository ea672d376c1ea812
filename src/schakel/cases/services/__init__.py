"""Every write to cases goes through these services: policy check, change, timeline entry and
audit entry in one transaction; mails after commit. One module per part of the case; this
package names the whole write API."""

from __future__ import annotations

from .agreements import agreement_make, agreement_settle
from .drafts import draft_discard, draft_save
from .interventions import (
    intervention_acknowledge,
    intervention_execute,
    intervention_propose,
    intervention_record_outcome,
    intervention_withdraw,
)
from .lifecycle import REFERENCE_ALPHABET, CaseChanged, case_close, case_open, case_update
from .outcomes import person_record_outcomes
from .persons import NAME_INDEX, case_person_add
from .proposals import proposal_create, proposal_decide
from .referrals import referral_answer, referral_make, referral_revoke
from .sharing import (
    case_add_participant,
    case_remove_participant,
    case_reveal_personal_data,
    case_set_direction,
)
from .timeline import LooksLikeBigDecision, timeline_post, timeline_record

__all__ = [
    "NAME_INDEX",
    "REFERENCE_ALPHABET",
    "CaseChanged",
    "LooksLikeBigDecision",
    "agreement_make",
    "agreement_settle",
    "case_add_participant",
    "case_close",
    "case_open",
    "case_person_add",
    "case_remove_participant",
    "case_reveal_personal_data",
    "case_set_direction",
    "case_update",
    "draft_discard",
    "draft_save",
    "intervention_acknowledge",
    "intervention_execute",
    "intervention_propose",
    "intervention_record_outcome",
    "intervention_withdraw",
    "person_record_outcomes",
    "proposal_create",
    "proposal_decide",
    "referral_answer",
    "referral_make",
    "referral_revoke",
    "timeline_post",
    "timeline_record",
]
