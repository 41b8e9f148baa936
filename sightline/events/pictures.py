"""The detectors' picture of each child, read in a few queries for any number of children
(one event's arrival reads one; an import reads every child it touched)."""

from __future__ import annotations

import datetime as dt
import uuid
from collections import defaultdict
from collections.abc import Iterable

from sightline.events.detectors import Happening, Picture
from sightline.events.models import Event
from sightline.people.models import Child
from sightline.referrals.models import ReferralChild
from sightline.screening.models import Screening

CHUNK = 2000


def pictures_for(
    child_ids: Iterable[uuid.UUID], *, fields: bool = True
) -> dict[uuid.UUID, Picture]:
    """`fields=False`: the events on record without their kind's fields (empty), for a
    caller that gives the detectors only new events of its own as `new` (the detectors read
    the fields of the new event, never of the picture's; the import's reads, ADR 0910)."""
    ids = list(dict.fromkeys(child_ids))
    out: dict[uuid.UUID, Picture] = {}
    for start in range(0, len(ids), CHUNK):
        out.update(_chunk(ids[start : start + CHUNK], fields))
    return out


def _chunk(ids: list[uuid.UUID], with_fields: bool) -> dict[uuid.UUID, Picture]:
    happenings: dict[uuid.UUID, list[Happening]] = defaultdict(list)
    columns = ["id", "reference", "kind", "code", "agency__code", "occurred_at", "child_id"]
    rows = Event.objects.filter(child_id__any=ids).values_list(
        *columns, *(["fields"] if with_fields else [])
    )
    for eid, ref, kind, code, agency, at, cid, *more in rows:
        fields = more[0] if more else {}
        happenings[cid].append(Happening(eid, ref, "event", kind, code, agency, at, fields))
    referrals = ReferralChild.objects.filter(child_id__any=ids).values_list(
        "child_id",
        "referral_id",
        "referral__reference",
        "referral__source_agency__code",
        "referral__received_at",
        "referral__concern_categories",
        "referral__decision__outcome",
    )
    for cid, rid, ref, agency, at, categories, outcome in referrals:
        happenings[cid].append(
            Happening(
                rid,
                ref,
                "referral",
                "referral",
                "",
                agency,
                at,
                outcome=outcome or "",
                categories=frozenset(categories or ()),
            )
        )
    screening: dict[uuid.UUID, tuple[str, dt.datetime | None]] = {}
    for cid, level, at in (
        Screening.objects.filter(referral_child__child_id__any=ids, is_current=True)
        .order_by("screened_at")
        .values_list("referral_child__child_id", "level", "screened_at")
    ):
        screening[cid] = (level, at)
    pictures = {}
    for cid, ref, dob in Child.objects.filter(pk__any=ids).values_list(
        "pk", "reference", "date_of_birth"
    ):
        level, screened_at = screening.get(cid, ("", None))
        pictures[cid] = Picture(
            cid, ref, dob, sorted(happenings[cid], key=lambda h: h.at), level, screened_at
        )
    return pictures


def happening_of(event: Event) -> Happening:
    return Happening(
        event.pk,
        event.reference,
        "event",
        event.kind,
        event.code,
        event.agency.code,
        event.occurred_at,
        event.fields,
    )
