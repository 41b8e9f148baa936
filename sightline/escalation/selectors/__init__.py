"""Reads of the escalation app. Every selector takes the user and applies record scope
through referrals.selectors.referral_scope (a record outside it is simply not there).

- ``records``: clocks, escalations, the inbox, challenges and re-referral history;
- ``work``: overdue and nearly-due work;
- ``performance``: the performance dashboard and the figures its chart draws;
- ``reads``: the pages' and API's reads that record their access row (``*_read``).

Every name is re-exported here, so callers keep `from sightline.escalation import selectors`.
"""

from __future__ import annotations

from sightline.escalation.selectors.performance import (
    ChartFigures,
    MonthRow,
    Performance,
    decision_chart,
    performance,
)
from sightline.escalation.selectors.reads import (
    OverduePage,
    ReferralClocks,
    challenge_form_read,
    challenge_page_read,
    challenge_read,
    escalation_page_read,
    escalation_read,
    escalation_slice_read,
    inbox_page_read,
    overdue_work_read,
    performance_read,
    referral_clocks_read,
    rereferral_history_read,
)
from sightline.escalation.selectors.records import (
    challenge_get,
    challenge_list,
    clock_due_at,
    clock_row,
    clock_scope,
    escalation_get,
    escalation_list,
    escalation_row,
    inbox_list,
    inbox_unread_count,
    referral_clock_summary,
    referral_clocks,
    referral_for_challenge,
    referral_in_scope,
    rereferral_history,
    rereferral_mark,
)
from sightline.escalation.selectors.work import NEARLY_DUE, OverdueWork, WorkGroup, overdue_work

__all__ = [
    "NEARLY_DUE",
    "ChartFigures",
    "MonthRow",
    "OverduePage",
    "OverdueWork",
    "Performance",
    "ReferralClocks",
    "WorkGroup",
    "challenge_form_read",
    "challenge_get",
    "challenge_list",
    "challenge_page_read",
    "challenge_read",
    "clock_due_at",
    "clock_row",
    "clock_scope",
    "decision_chart",
    "escalation_get",
    "escalation_list",
    "escalation_page_read",
    "escalation_read",
    "escalation_row",
    "escalation_slice_read",
    "inbox_list",
    "inbox_page_read",
    "inbox_unread_count",
    "overdue_work",
    "overdue_work_read",
    "performance",
    "performance_read",
    "referral_clock_summary",
    "referral_clocks",
    "referral_clocks_read",
    "referral_for_challenge",
    "referral_in_scope",
    "rereferral_history",
    "rereferral_history_read",
    "rereferral_mark",
]
