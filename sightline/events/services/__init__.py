"""Writes in the events app: storing an event with its child match (one at a time or a whole
import), a missing episode's later facts, the return interview, the detectors' alerts and the
sweep of time-based findings. Keyword-only, `acting_user`, audit rows inside the transaction
(the workflow `event_receive` opens it). The modules hold the parts; callers import here."""

from sightline.events.services.alerts import (
    event_alert_status_set,
    events_sweep,
    findings_raise,
)
from sightline.events.services.episodes import (
    episode_clock_set,
    episode_facts_update,
    episodes_clock_set,
    return_interview_record,
)
from sightline.events.services.store import BulkStored, Stored, event_store, events_store_many

__all__ = [
    "BulkStored",
    "Stored",
    "episode_clock_set",
    "episode_facts_update",
    "episodes_clock_set",
    "event_alert_status_set",
    "event_store",
    "events_store_many",
    "events_sweep",
    "findings_raise",
    "return_interview_record",
]
