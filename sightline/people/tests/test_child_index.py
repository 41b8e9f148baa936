"""The children on record kept for a whole import (people.selectors.ChildIndex, ADR 0908):
it answers what the query for each chunk (`child_match_candidates_many`) answers, finds the
records the import itself stored in earlier chunks without reading the table again, and
reads it again when another user has made, changed or merged a child meanwhile."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from sightline.people.matching import Referred
from sightline.people.models import Child
from sightline.people.selectors import ChildIndex, child_match_candidates_many
from sightline.people.services import child_create

pytestmark = pytest.mark.django_db

BORN = dt.date(2011, 5, 4)


def _plain(found: list[list[Any]]) -> list[list[tuple[Any, float, tuple[str, ...]]]]:
    return [[(c.child.pk, c.match.score, c.match.reasons) for c in one] for one in found]


@pytest.fixture
def on_record(front_door: Any) -> list[Child]:
    """Children sharing one block key or another with the referred ones below."""
    made = [
        child_create(acting_user=front_door, given_name=g, family_name=f, date_of_birth=d,
                     postcode=p)
        for g, f, d, p in [
            ("Ellie", "Marston", BORN, "NB4 7QX"),
            ("Elly", "Marsden", BORN, "NB4 7QX"),
            ("Ella", "Marston", dt.date(2011, 4, 5), ""),  # day and month swapped
            ("Orla", "Brindle", dt.date(2010, 9, 2), "NB7 1AB"),
            ("Orlah", "Brindel", None, "NB7 1AB"),
            ("Sam", "Quill", dt.date(2009, 1, 1), "NB9 9ZZ"),
        ]
    ]  # fmt: skip
    merged = child_create(
        acting_user=front_door, given_name="Ellie", family_name="Marston", date_of_birth=BORN
    )
    merged.superseded_by = made[0]
    merged.save(update_fields=["superseded_by"])
    return made


REFERRED = [
    Referred("Ellie", "Marston", BORN, "NB4 7QX"),
    Referred("Elle", "Marsten", dt.date(2011, 4, 5), ""),
    Referred("Orla", "Brindle", dt.date(2010, 9, 2), "nb7 1ab"),
    Referred("Nobody", "Known", dt.date(2000, 1, 1), "ZZ1 1ZZ"),
]


def test_index_answers_what_the_query_for_each_chunk_answers(on_record: list[Child]) -> None:
    by_query = child_match_candidates_many(REFERRED)
    assert any(len(one) > 1 for one in by_query)  # the test compares lists, not one child
    index = ChildIndex()
    assert _plain(index.candidates_many(REFERRED)) == _plain(by_query)
    assert _plain(index.candidates_many(REFERRED[:2])) == _plain(by_query[:2])
    assert index.reads == 1


def test_index_finds_a_record_the_import_stored_earlier_without_reading_again(
    on_record: list[Child],
) -> None:
    index = ChildIndex()
    referred = Referred("Tia", "Quill", dt.date(2012, 3, 3), "NB9 9ZZ")
    assert [c.child for c in index.candidates_many([referred])[0]] == []
    child = Child(given_name="Tia", family_name="Quill", date_of_birth=dt.date(2012, 3, 3),
                  postcode="NB9 9ZZ", reference="CH-2026-9000001")  # fmt: skip
    child.refresh_keys()
    child.save()  # as the import stores its new children
    index.add([child])
    found = index.candidates_many([referred])[0]
    assert [c.child for c in found] == [child] and found[0].match.is_exact
    assert index.reads == 1  # the digest of the table is the index's own plus the new record
    assert _plain(index.candidates_many([referred])) == _plain(
        child_match_candidates_many([referred])
    )


def test_index_reads_again_when_another_user_changes_the_children(
    on_record: list[Child], front_door: Any
) -> None:
    index = ChildIndex()
    referred = Referred("Sam", "Quill", dt.date(2009, 1, 1), "NB9 9ZZ")
    assert [c.child for c in index.candidates_many([referred])[0]] == [on_record[5]]
    twin = child_create(acting_user=front_door, given_name="Sam", family_name="Quill",
                        date_of_birth=dt.date(2009, 1, 1))  # fmt: skip
    assert {c.child.pk for c in index.candidates_many([referred])[0]} == {on_record[5].pk, twin.pk}
    assert index.reads == 2
    # Merged elsewhere, by an update that leaves every other field alone: no longer a candidate.
    Child.objects.filter(pk=twin.pk).update(superseded_by=on_record[5])
    assert [c.child.pk for c in index.candidates_many([referred])[0]] == [on_record[5].pk]
    # A family name corrected elsewhere: the index follows the record.
    Child.objects.filter(pk=on_record[5].pk).update(family_name="Quillon")
    found = index.candidates_many([referred])[0]
    assert found and not found[0].match.is_exact
    assert index.reads == 4


def _row_child(n: int, given: str, family: str, born: dt.date | None, postcode: str) -> Child:
    child = Child(given_name=given, family_name=family, date_of_birth=born, postcode=postcode,
                  reference=f"CH-2026-{n:07d}")  # fmt: skip
    child.refresh_keys()
    return child


@pytest.mark.parametrize("max_block", [500, 7])
def test_a_remembering_pool_answers_what_a_fresh_pool_answers_as_it_grows(
    monkeypatch: pytest.MonkeyPatch, max_block: int
) -> None:
    """The same referred children asked about again and again while records are added (an
    import's later rows about a child, ADR 0910): the pool that scores only the rows added
    since gives what scoring the whole block gives, with the block cut at MAX_BLOCK by the
    order the rows were added (7: the cut falls among rows added after the first question)."""
    from sightline.people import selectors

    monkeypatch.setattr(selectors, "MAX_BLOCK", max_block)
    names = [("Ellie", "Marston"), ("Elly", "Marsden"), ("Ella", "Marston"), ("Orla", "Brindle")]
    remembering = selectors.ChildPool(remember=True)
    plain = selectors.ChildPool()
    n = 0
    asked = 0
    for round_ in range(4):
        for given, family in names:
            for born in (BORN, dt.date(2011, 4, 5), dt.date(2010, 5, 4 + round_)):
                n += 1
                child = _row_child(n, given, family, born, "NB4 7QX" if n % 2 else "")
                remembering.add(child)
                plain.add(child)
        for referred in REFERRED:
            asked += 1
            got = remembering.candidates(referred)
            assert _plain([got]) == _plain([plain.candidates(referred)])
    assert asked == 16 and n == 48
    # Every candidate, not only the best five: the block's cut shows (7 rows at most).
    top = remembering.candidates(REFERRED[0], limit=50)
    assert _plain([top]) == _plain([plain.candidates(REFERRED[0], limit=50)])
    assert len(top) <= 7 if max_block == 7 else len(top) > 7
