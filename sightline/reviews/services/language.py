"""Storing the language checker's flags with the text they were found in."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db import transaction

from sightline.reviews.language import Flag, check_text, load_language
from sightline.reviews.models import LanguageCheck, LanguageFlag


@transaction.atomic(savepoint=False)  # a step of its caller's transaction when there is one
def language_flags_record(
    *,
    acting_user: Any,
    content_type: str,
    record_id: uuid.UUID,
    record_ref: str,
    field: str,
    text: str,
    child_age: int | None = None,
    new_record: bool = False,
    skip_blank: bool = False,
) -> list[Flag]:
    """Check a stored text and keep what was found: one LanguageCheck row (the text was
    checked, by whom, in which agency and team) and a LanguageFlag per phrase. A text
    checked again (an edit) replaces its earlier flags. Never refuses: flags do not block.
    `new_record`: the record was made in this transaction, so it has no earlier check to
    replace (one INSERT, and one more only when there are flags). `skip_blank`: an optional
    field left empty is not a record checked (it would dilute the per-100 figure); an earlier
    check of it is removed."""
    if skip_blank and not text.strip():
        if not new_record:
            LanguageCheck.objects.filter(
                content_type=content_type, record_id=record_id, field=field
            ).delete()
        return []
    language = load_language()
    flags = check_text(text, child_age=child_age, language=language)
    if not new_record:
        LanguageCheck.objects.filter(
            content_type=content_type, record_id=record_id, field=field
        ).delete()
    agency_id = getattr(acting_user, "agency_id", None)
    team_id = getattr(acting_user, "team_id", None)
    check = LanguageCheck.objects.create(
        content_type=content_type,
        record_id=record_id,
        record_ref=record_ref,
        field=field,
        list_version=language.version,
        flag_count=len(flags),
        author=acting_user if getattr(acting_user, "is_authenticated", False) else None,
        agency_id=agency_id,
        team_id=team_id,
    )
    LanguageFlag.objects.bulk_create(
        LanguageFlag(
            language_check=check,
            content_type=content_type,
            record_id=record_id,
            record_ref=record_ref,
            field=field,
            phrase=flag.phrase[:200],
            code=flag.code,
            category=flag.category,
            start=flag.start,
            end=flag.end,
            agency_id=agency_id,
            team_id=team_id,
        )
        for flag in flags
    )
    return flags


@dataclass(frozen=True)
class TextToCheck:
    """One stored text of a record made in the caller's transaction (for the bulk writer)."""

    content_type: str
    record_id: uuid.UUID
    record_ref: str
    field: str
    text: str
    child_age: int | None = None


@transaction.atomic(savepoint=False)
def language_flags_record_many(*, acting_user: Any, texts: Sequence[TextToCheck]) -> int:
    """`language_flags_record` for many new records at once (a bulk import): blank texts are
    skipped, then one INSERT for every check and one for every flag, whatever the number of
    texts. Each check and flag is the one the single writer would store (with `new_record`
    and `skip_blank`). Returns the number of flags. Never refuses."""
    language = load_language()
    agency_id = getattr(acting_user, "agency_id", None)
    team_id = getattr(acting_user, "team_id", None)
    author = acting_user if getattr(acting_user, "is_authenticated", False) else None
    checks: list[LanguageCheck] = []
    flags: list[LanguageFlag] = []
    for t in texts:
        if not t.text.strip():
            continue
        found = check_text(t.text, child_age=t.child_age, language=language)
        check = LanguageCheck(
            content_type=t.content_type, record_id=t.record_id, record_ref=t.record_ref,
            field=t.field, list_version=language.version, flag_count=len(found),
            author=author, agency_id=agency_id, team_id=team_id,
        )  # fmt: skip
        checks.append(check)
        flags += [
            LanguageFlag(
                language_check=check,
                content_type=t.content_type,
                record_id=t.record_id,
                record_ref=t.record_ref,
                field=t.field,
                phrase=flag.phrase[:200],
                code=flag.code,
                category=flag.category,
                start=flag.start,
                end=flag.end,
                agency_id=agency_id,
                team_id=team_id,
            )
            for flag in found
        ]
    LanguageCheck.objects.bulk_create(checks, batch_size=2000)
    LanguageFlag.objects.bulk_create(flags, batch_size=2000)
    return len(flags)
