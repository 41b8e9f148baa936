"""language_batch: the checks of records made in the block are kept and written together at
its end, the same rows the single writer stores; a check again of a kept text (an edit in
the same block) replaces it; a block that raises writes nothing."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from django.db import transaction

from sightline.reviews.choices import TextKind
from sightline.reviews.models import LanguageCheck, LanguageFlag
from sightline.reviews.services import language_batch, language_flags_record

pytestmark = pytest.mark.django_db

WORDING = "Family will supervise. She is making her own choices."


def check(user: Any, record: uuid.UUID, text: str, new_record: bool = True) -> list[str]:
    flags = language_flags_record(
        acting_user=user, content_type=TextKind.CASE_NOTE, record_id=record,
        record_ref="CH-2026-0000001", field="text", text=text, new_record=new_record,
    )  # fmt: skip
    return [flag.phrase for flag in flags]


def test_checks_in_a_batch_are_written_at_its_end_and_an_edit_replaces_a_kept_one(
    front_door: Any,
) -> None:
    edited, kept = uuid.uuid4(), uuid.uuid4()
    with transaction.atomic(), language_batch():
        assert check(front_door, edited, WORDING) == [
            "Family will supervise",
            "making her own choices",
        ]
        check(front_door, kept, WORDING)
        assert not LanguageCheck.objects.exists()  # kept until the block ends
        assert check(front_door, edited, "Seen at the takeaway.", new_record=False) == []
    assert LanguageCheck.objects.get(record_id=edited).flag_count == 0
    assert not LanguageFlag.objects.filter(record_id=edited).exists()
    written = LanguageCheck.objects.get(record_id=kept)
    assert (written.flag_count, written.author, written.agency_id, written.team_id) == (
        2, front_door, front_door.agency_id, front_door.team_id,
    )  # fmt: skip
    assert LanguageFlag.objects.filter(language_check=written).count() == 2


def test_a_batch_that_raises_writes_nothing(front_door: Any) -> None:
    with pytest.raises(RuntimeError), transaction.atomic(), language_batch():
        check(front_door, uuid.uuid4(), WORDING)
        raise RuntimeError("the step failed")
    assert not LanguageCheck.objects.exists()
