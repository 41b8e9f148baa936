"""Writes of the escalation app. Every public service is keyword-only, takes `acting_user`
(the sweep acts as the system), runs in one transaction and writes its audit rows inside it.
"""

from sightline.escalation.services.challenges import (
    challenge_escalate,
    challenge_raise,
    challenge_respond,
)
from sightline.escalation.services.clocks import (
    ChildReturned,
    assessment_complete,
    clock_stop,
    clocks_assign,
    clocks_on_child_returned,
    clocks_on_children_returned,
    clocks_on_decision,
    clocks_on_referral_received,
    clocks_on_screening,
    clocks_on_step,
    conference_held_record,
    return_interview_record,
    strategy_discussion_record,
)
from sightline.escalation.services.common import Conflict, EscalationError, NotPermitted
from sightline.escalation.services.escalations import escalation_acknowledge, escalation_resolve
from sightline.escalation.services.performance import (
    performance_months_fold,
    performance_months_rebuild,
    performance_on_decision,
)
from sightline.escalation.services.rereferrals import rereferral_refresh, rereferral_review_record
from sightline.escalation.services.sweep import SweepReport, sweep

__all__ = [
    "ChildReturned",
    "Conflict",
    "EscalationError",
    "NotPermitted",
    "SweepReport",
    "assessment_complete",
    "challenge_escalate",
    "challenge_raise",
    "challenge_respond",
    "clock_stop",
    "clocks_assign",
    "clocks_on_child_returned",
    "clocks_on_children_returned",
    "clocks_on_decision",
    "clocks_on_referral_received",
    "clocks_on_screening",
    "clocks_on_step",
    "conference_held_record",
    "escalation_acknowledge",
    "escalation_resolve",
    "performance_months_fold",
    "performance_months_rebuild",
    "performance_on_decision",
    "rereferral_refresh",
    "rereferral_review_record",
    "return_interview_record",
    "strategy_discussion_record",
    "sweep",
]
