"""Starting, meeting and stopping statutory clocks (base), the hooks the workflows call
inside their own transactions (hooks: clocks_on_referral_received / _on_screening /
_on_decision / _on_child_returned; returns: many children returned at once), and the
statutory steps that meet them (steps)."""

from sightline.escalation.services.clocks.base import (
    ASSESSMENT_OUTCOMES,
    ClockWanted,
    clock_meet,
    clock_start,
    clocks_start,
    meet_if_open,
    open_clock,
)
from sightline.escalation.services.clocks.hooks import (
    clocks_on_child_returned,
    clocks_on_decision,
    clocks_on_referral_received,
    clocks_on_screening,
)
from sightline.escalation.services.clocks.returns import ChildReturned, clocks_on_children_returned
from sightline.escalation.services.clocks.steps import (
    assessment_complete,
    clock_stop,
    clocks_assign,
    clocks_on_step,
    conference_held_record,
    return_interview_record,
    strategy_discussion_record,
)

__all__ = [
    "ASSESSMENT_OUTCOMES",
    "ChildReturned",
    "ClockWanted",
    "assessment_complete",
    "clock_meet",
    "clock_start",
    "clock_stop",
    "clocks_assign",
    "clocks_on_child_returned",
    "clocks_on_children_returned",
    "clocks_on_decision",
    "clocks_on_referral_received",
    "clocks_on_screening",
    "clocks_on_step",
    "clocks_start",
    "conference_held_record",
    "meet_if_open",
    "open_clock",
    "return_interview_record",
    "strategy_discussion_record",
]
