"""The language flags (reviews) of the free text a workflow's step keeps: one call per field,
inside the step's transaction. A flag never blocks the save."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.utils import timezone

from sightline.reviews.choices import TextKind
from sightline.reviews.services import (
    TextToCheck,
    language_flags_record,
    language_flags_record_many,
)


def child_age(child: Any) -> int | None:
    """The child's age today, for the checker's context rules (None when not known)."""
    dob, today = getattr(child, "date_of_birth", None), timezone.localdate()
    if dob is None:
        return None
    return int(today.year - dob.year - ((today.month, today.day) < (dob.month, dob.day)))


def flag_text(
    user: Any, child: Any, kind: str, record_id: Any, field: str, text: str,
    new_record: bool = False,
) -> None:  # fmt: skip
    """Keep a text's language flags (reviews), read with the child's age today.
    `new_record`: made in this transaction, so there is no earlier check to replace."""
    language_flags_record(
        acting_user=user, content_type=kind, record_id=record_id, record_ref=child.reference,
        field=field, text=text or "", child_age=child_age(child), new_record=new_record,
    )  # fmt: skip


def flag_fields(
    user: Any, *, kind: str, record: Any, ref: str, fields: tuple[str, ...],
    age: int | None = None, new_record: bool = False,
) -> None:  # fmt: skip
    """Keep the flags of each named text field of `record`; a field left empty is skipped
    (and an earlier check of it removed), so optional fields do not dilute the figures."""
    for name in fields:
        language_flags_record(
            acting_user=user, content_type=kind, record_id=record.pk, record_ref=ref,
            field=name, text=getattr(record, name, "") or "", child_age=age, skip_blank=True,
            new_record=new_record,
        )  # fmt: skip


def flag_referral_text(
    user: Any, referral: Any, kind: str, record_id: Any, field: str, text: str
) -> None:
    """Keep the flags of a text about a referral, read with its youngest child's age."""
    ages = [a for a in referral.children.values_list("age_on_day", flat=True) if a is not None]
    language_flags_record(
        acting_user=user, content_type=kind, record_id=record_id, record_ref=referral.reference,
        field=field, text=text or "", child_age=min(ages, default=None),
    )  # fmt: skip


# The free text an event's kind carries in its fields, written by the agency's practitioner:
# checked as the summary is, under its own field name. What a child disclosed (a safe-and-well
# check's `disclosures`) is recorded as said, as a return interview's "child said" is.
EVENT_FIELD_TEXTS = (
    "what_happened",
    "crime_details",
    "health_needs",
    "outcome",
    "presenting_complaint",
    "description",
)


def event_texts(event: Any, episode: Any = None) -> list[TextToCheck]:
    """The practitioner text a partner event arrives with: its summary (a police officer's,
    a nurse's account), the free text of its kind (a police incident's "what happened", a
    health attendance's presenting complaint ...) and, for a missing episode, who the child
    was found with; read with the child's age today. The single path and the bulk import
    check the same list."""
    age = child_age(event.child)
    texts = [
        TextToCheck(TextKind.PARTNER_EVENT, event.pk, event.reference, "summary",
                    event.summary or "", age),
    ]  # fmt: skip
    fields = event.fields or {}
    texts += [
        TextToCheck(TextKind.PARTNER_EVENT, event.pk, event.reference, name, fields[name], age)
        for name in EVENT_FIELD_TEXTS
        if isinstance(fields.get(name), str) and fields[name].strip()
    ]
    if episode is not None:
        texts.append(
            TextToCheck(TextKind.MISSING_FOUND_WITH, episode.pk, event.reference, "found_with",
                        episode.found_with or "", age)
        )  # fmt: skip
    return texts


def flag_events(user: Any, pairs: Sequence[tuple[Any, Any]]) -> None:
    """Keep the flags of newly stored events' text, (event, its episode or None) each: one
    INSERT for all the checks and one for all the flags, however many events."""
    texts = [t for event, episode in pairs for t in event_texts(event, episode)]
    language_flags_record_many(acting_user=user, texts=texts)
