"""What the intel services share: their error, the result of indexing a referral, who is told
of an alert."""

from __future__ import annotations

from dataclasses import dataclass, field

from sightline.accounts.roles import Role
from sightline.core.errors import Conflict
from sightline.intel.models import Alert, MatchCandidate, Mention, Suggestion
from sightline.referrals.models import Referral

ALERT_ROLES = (Role.CSE_SPECIALIST, Role.POLICE_ANALYST)


class IntelError(Conflict):
    """A link decision or alert change that is not allowed in the current state."""


@dataclass
class IndexResult:
    referral: Referral
    mentions: list[Mention] = field(default_factory=list)
    candidates: list[MatchCandidate] = field(default_factory=list)
    suggestions: list[Suggestion] = field(default_factory=list)
    alerts: list[Alert] = field(default_factory=list)
