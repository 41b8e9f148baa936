"""The intel app's deletions under the retention schedule (its services for
workflows.retention, kept out of the long services module): the mentions, suggestions and
network edges of deleted referrals and children, and persons of concern linked to no child.
Alerts stay (they are about a person or place), with the deleted ids taken out of them."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db.models import Q, TextField
from django.db.models.functions import Cast

from sightline.core.transactions import in_callers_transaction
from sightline.intel.models import (
    Alert,
    Edge,
    MatchCandidate,
    Mention,
    PersonKey,
    PersonOfConcern,
    Suggestion,
)


def _alerts_mentioning(ids: list[str]) -> list[Alert]:
    if not ids:
        return []
    text = Alert.objects.annotate(
        _children=Cast("child_ids", TextField()), _referrals=Cast("referral_ids", TextField())
    )
    match = Q()
    for value in ids:
        match |= Q(_children__contains=value) | Q(_referrals__contains=value)
    return list(Alert.objects.filter(pk__in=text.filter(match).values("pk")))


@in_callers_transaction
def source_intel_purge(*, source_ids: Iterable[Any]) -> int:
    """The mentions made from partner events that retention deletes (the event went with its
    child); the persons they were linked to stay, as for a referral's mentions."""
    ids = [str(i) for i in source_ids]
    if not ids:
        return 0
    return int(Mention.objects.filter(referral__isnull=True, source_id__in=ids).delete()[0])


@in_callers_transaction
def referral_intel_purge(
    *, referral_ids: Iterable[Any], child_ids: Iterable[Any]
) -> dict[str, int]:
    ref_ids = list(referral_ids)
    refs = [str(i) for i in ref_ids]
    kids = [str(i) for i in child_ids]
    mention_ids = {
        str(m) for m in Mention.objects.filter(referral_id__in=refs).values_list("pk", flat=True)
    }
    counts = {
        "mentions": Mention.objects.filter(referral_id__in=refs).delete()[0],
        "suggestions": Suggestion.objects.filter(referral_id__in=refs).delete()[0],
        "edges": Edge.objects.filter(
            Q(referral_id__in=refs) | Q(a_id__in=kids) | Q(b_id__in=kids)
        ).delete()[0],
    }
    Alert.objects.filter(fired_by_id__in=ref_ids).update(fired_by=None)
    gone = set(refs) | set(kids)
    changed = 0
    for alert in _alerts_mentioning(refs + kids):
        alert.child_ids = [c for c in alert.child_ids if str(c) not in gone]
        alert.referral_ids = [r for r in alert.referral_ids if str(r) not in gone]
        alert.evidence = [
            e
            for e in alert.evidence
            if not (isinstance(e, dict) and e.get("mention") in mention_ids)
        ]
        alert.save(update_fields=["child_ids", "referral_ids", "evidence", "updated_at"])
        changed += 1
    counts["alerts_redacted"] = changed
    return counts


@in_callers_transaction
def person_purge(*, person: PersonOfConcern) -> None:
    """A person of concern linked to no child held: keys, candidate matches, edges and
    alerts about them go with them."""
    PersonKey.objects.filter(person=person).delete()
    MatchCandidate.objects.filter(entity_id=person.pk).delete()
    Edge.objects.filter(Q(a_id=person.pk) | Q(b_id=person.pk)).delete()
    Alert.objects.filter(supersedes__entity_id=person.pk).update(supersedes=None)
    Alert.objects.filter(entity_id=person.pk).delete()
    PersonOfConcern.objects.filter(pk=person.pk).delete()
