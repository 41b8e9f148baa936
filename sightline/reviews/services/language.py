"""Storing the language checker's flags with the text they were found in."""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from django.db import connection, transaction

from sightline.core.bulk import bulk_insert
from sightline.reviews.language import Flag, check_text, load_language
from sightline.reviews.models import LanguageCheck, LanguageFlag

# The open batch of the current connection's transaction (language_batch), if any.
_BATCH_ATTR = "sightline_language_batch"


@dataclass
class _Batch:
    checks: list[LanguageCheck] = field(default_factory=list)
    flags: list[LanguageFlag] = field(default_factory=list)
    keys: set[tuple[str, uuid.UUID, str]] = field(default_factory=set)

    def write(self) -> None:
        bulk_insert(LanguageCheck, self.checks)
        bulk_insert(LanguageFlag, self.flags)
        self.checks, self.flags, self.keys = [], [], set()


@contextmanager
def language_batch() -> Iterator[None]:
    """Inside the block (inside a transaction), the checks of records made in it
    (`new_record`) are kept and written together when it ends, as `language_flags_record_many`
    writes them: two statements for many texts instead of one or two for each (a loader
    recording thousands of steps, ADR 0912). A check again of a text kept (an edit in the same
    block) writes what is kept first, so it replaces what it should. If the block raises,
    nothing kept is written (the transaction is being rolled back anyway). A batch inside a
    batch joins the outer one."""
    if not transaction.get_connection().in_atomic_block:
        raise transaction.TransactionManagementError("language_batch needs a transaction")
    if getattr(connection, _BATCH_ATTR, None) is not None:
        yield
        return
    batch = _Batch()
    setattr(connection, _BATCH_ATTR, batch)
    try:
        yield
    finally:
        setattr(connection, _BATCH_ATTR, None)
    batch.write()


def _replace_earlier(content_type: str, record_id: uuid.UUID, field: str) -> None:
    batch: _Batch | None = getattr(connection, _BATCH_ATTR, None)
    if batch is not None and (content_type, record_id, field) in batch.keys:
        batch.write()
    LanguageCheck.objects.filter(
        content_type=content_type, record_id=record_id, field=field
    ).delete()


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
            _replace_earlier(content_type, record_id, field)
        return []
    language = load_language()
    flags = check_text(text, child_age=child_age, language=language)
    if not new_record:
        _replace_earlier(content_type, record_id, field)
    check = LanguageCheck(
        content_type=content_type,
        record_id=record_id,
        record_ref=record_ref,
        field=field,
        list_version=language.version,
        flag_count=len(flags),
        author=acting_user if getattr(acting_user, "is_authenticated", False) else None,
        agency_id=getattr(acting_user, "agency_id", None),
        team_id=getattr(acting_user, "team_id", None),
    )
    batch: _Batch | None = getattr(connection, _BATCH_ATTR, None)
    if batch is not None and new_record:
        batch.checks.append(check)
        batch.flags += [_flag_row(check, flag) for flag in flags]
        batch.keys.add((content_type, record_id, field))
        return flags
    check.save(force_insert=True)
    LanguageFlag.objects.bulk_create(_flag_row(check, flag) for flag in flags)
    return flags


@dataclass(frozen=True)
class TextToCheck:
    """One stored text of a record made in the caller's transaction, for
    `language_flags_record_many`: its kind, the record, the field, the text, the child's age
    and, when it describes a person, that person's approximate age."""

    content_type: str
    record_id: uuid.UUID
    record_ref: str
    field: str
    text: str
    child_age: int | None = None
    about_person_age: int | None = None


@transaction.atomic(savepoint=False)  # a step of its caller's transaction when there is one
def language_flags_record_many(
    *, acting_user: Any, texts: Iterable[TextToCheck]
) -> dict[tuple[uuid.UUID, str], list[Flag]]:
    """`language_flags_record` for many texts of records made in this transaction (so none
    has an earlier check to replace; a bulk import, a screening's notes, the persons named at
    intake): blank texts are skipped (an optional field left empty is not a record checked),
    then one INSERT of every check and, only when something was flagged, one of every flag,
    however many texts there are (COPY on PostgreSQL for many, ADR 0904). Each check and flag
    is the one the single writer would store. Returns the flags by (record, field). Never
    refuses."""
    language = load_language()
    agency_id = getattr(acting_user, "agency_id", None)
    team_id = getattr(acting_user, "team_id", None)
    author = acting_user if getattr(acting_user, "is_authenticated", False) else None
    found: dict[tuple[uuid.UUID, str], list[Flag]] = {}
    checks: list[LanguageCheck] = []
    flag_rows: list[LanguageFlag] = []
    for item in texts:
        if not item.text.strip():
            continue
        flags = check_text(
            item.text, child_age=item.child_age, about_person_age=item.about_person_age,
            language=language,
        )  # fmt: skip
        found[(item.record_id, item.field)] = flags
        check = LanguageCheck(
            content_type=item.content_type, record_id=item.record_id,
            record_ref=item.record_ref, field=item.field, list_version=language.version,
            flag_count=len(flags), author=author, agency_id=agency_id, team_id=team_id,
        )  # fmt: skip
        checks.append(check)
        flag_rows += [_flag_row(check, flag) for flag in flags]
    bulk_insert(LanguageCheck, checks)
    bulk_insert(LanguageFlag, flag_rows)
    return found


def _flag_row(check: LanguageCheck, flag: Flag) -> LanguageFlag:
    return LanguageFlag(
        language_check=check,
        content_type=check.content_type,
        record_id=check.record_id,
        record_ref=check.record_ref,
        field=check.field,
        phrase=flag.phrase[:200],
        code=flag.code,
        category=flag.category,
        start=flag.start,
        end=flag.end,
        agency_id=check.agency_id,
        team_id=check.team_id,
    )
