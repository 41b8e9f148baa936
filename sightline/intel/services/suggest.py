"""What a referral's narrative mentions that its structured fields did not: a registration,
phone, postcode, handle, or the name or nickname of a known person of concern. Offered for
confirmation, never linked."""

from __future__ import annotations

import uuid
from collections.abc import Callable

from sightline.intel.choices import EntityType, SuggestionKind
from sightline.intel.keys import nickname_key
from sightline.intel.models import Mention, PersonKey, Suggestion
from sightline.intel.normalise import (
    given_key,
    normalise_nickname,
    normalise_phone,
    phonetic,
    read_narrative,
)
from sightline.referrals.models import Referral


def _person_for_key(key: str) -> uuid.UUID | None:
    found: uuid.UUID | None = (
        PersonKey.objects.filter(key=key).values_list("person_id", flat=True).first()
    )
    return found


def suggest(referral: Referral, mentions: list[Mention]) -> list[Suggestion]:
    """What the narrative mentions that the structured fields did not: offered, not linked."""
    return Suggestion.objects.bulk_create(suggestion_rows(referral, mentions, _person_for_key))


def suggestion_rows(  # noqa: PLR0912 (a branch per kind of entity)
    referral: Referral,
    mentions: list[Mention],
    person_for_key: Callable[[str], uuid.UUID | None],
) -> list[Suggestion]:
    """The suggestions, unsaved; `person_for_key` finds the person of concern holding a
    blocking key (the first on record), or None."""
    known = {
        str(m.details.get(k, "")).replace(" ", "").upper()
        for m in mentions
        for k in ("phone", "registration", "vehicle_registration")
    }
    known_phones = {normalise_phone(str(m.details.get("phone", ""))) for m in mentions}
    known_nicks = {normalise_nickname(str(m.details.get("nickname", ""))) for m in mentions}
    known_names = {str(m.details.get("name", "")).lower() for m in mentions}
    rows: list[Suggestion] = []
    for found in read_narrative(referral.narrative)[:60]:
        entity_type, entity_id = "", None
        if found.kind == "vehicle":
            if found.value.lstrip("…") in known or found.text.replace(" ", "").upper() in known:
                continue
            kind = SuggestionKind.VEHICLE
        elif found.kind == "phone":
            if found.value in known_phones:
                continue
            kind = SuggestionKind.PHONE
        elif found.kind == "postcode":
            kind = SuggestionKind.POSTCODE
        elif found.kind == "handle":
            kind = SuggestionKind.HANDLE
        elif found.kind == "nickname":
            if found.value in known_nicks or not found.value:
                continue
            hit = person_for_key(nickname_key(found.value))
            if hit is None:
                continue
            kind, entity_type, entity_id = SuggestionKind.PERSON, EntityType.PERSON, hit
        else:  # a capitalised pair: keep it only when it is a known person's name
            given, _, family = found.value.partition(" ")
            if found.value in known_names or not family:
                continue
            key = (
                f"nm:{given_key(given)}:{phonetic(family)}"
                if len(given) > 1
                else f"ini:{given}:{phonetic(family)}"
            )
            hit = person_for_key(key)
            if hit is None:
                continue
            kind, entity_type, entity_id = SuggestionKind.PERSON, EntityType.PERSON, hit
        rows.append(
            Suggestion(
                referral=referral,
                kind=kind,
                text=found.text[:100],
                value=found.value[:100],
                entity_type=entity_type,
                entity_id=entity_id,
            )
        )
    return rows
