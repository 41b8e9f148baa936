"""Scoring a person mention against a person of concern's profile. Pure functions.

One Fellegi-Sunter model (`linkmodel`): each comparison lands on a level whose weight is
log2(m / u); the score is the match probability. HIGH_CONFIDENCE or more links the mention at
once as *probable* (and may raise a probable alert); CANDIDATE or more is offered for
confirmation only. Both are probabilities in settings. Every score keeps its contributions
(comparison, level, weight, reason) for the explanation. See ADR 0203.

The modules of this package hold the parts (`features`: what is compared; `levels`: each
comparison's level; `scoring`: thresholds, weights and `compare`; `context`: co-mentioned
and second-order context); callers import from here (`description_details` too, as
before). The blocking keys live in `intel.keys` (ADR 0206); they are read from here as before.
"""

from sightline.intel.keys import CAPPED_KEYS, person_keys, plate_read_key, search_keys
from sightline.intel.normalise import description_details
from sightline.intel.resolution.context import (
    CONTEXT_REASON,
    beyond_surname,
    firm_link,
    in_conflict,
    second_order,
    with_context,
)
from sightline.intel.resolution.features import PersonFeatures, Profile, Score
from sightline.intel.resolution.levels import (
    called_as_written,
    comparison_levels,
    first_names_conflict,
    surnames_conflict,
)
from sightline.intel.resolution.scoring import (
    CANDIDATE,
    DAMPED_REASON,
    HIGH_CONFIDENCE,
    RARE_SURNAME_REASON,
    READABLE,
    SOLE_CANDIDATE,
    compare,
)

__all__ = [
    "CANDIDATE",
    "CAPPED_KEYS",
    "CONTEXT_REASON",
    "DAMPED_REASON",
    "HIGH_CONFIDENCE",
    "RARE_SURNAME_REASON",
    "READABLE",
    "SOLE_CANDIDATE",
    "PersonFeatures",
    "Profile",
    "Score",
    "beyond_surname",
    "called_as_written",
    "compare",
    "comparison_levels",
    "description_details",
    "firm_link",
    "first_names_conflict",
    "in_conflict",
    "person_keys",
    "plate_read_key",
    "search_keys",
    "second_order",
    "surnames_conflict",
    "with_context",
]
