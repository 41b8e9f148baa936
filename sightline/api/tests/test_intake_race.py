"""Two intakes at once naming the same new place, plate and adult make one record of each
(ADR 0218): the second waits at the per-key lock for the first to commit, then finds its
rows. PostgreSQL only: SQLite's IMMEDIATE transactions already run writers one at a time."""

from __future__ import annotations

import copy
import threading
from typing import Any

from django.db import connection, transaction

from sightline.intel.choices import AlertKind
from sightline.intel.models import Alert, Mention, PersonOfConcern, Phone, Place, Vehicle
from sightline.intel.services.indexing.locks import LOCK_CLASS, intake_keys_lock, lock_id
from sightline.intel.services.indexing.store import IntakeStore
from sightline.referrals.tests.test_api import PAYLOAD, api


def test_a_key_has_one_lock_id_and_the_ids_fit_postgresqls_int4() -> None:
    ids = [lock_id(f"pl:n:place{n}") for n in range(2000)]
    assert lock_id("pl:n:place7") == ids[7]
    assert all(-(2**31) <= i < 2**31 for i in ids)
    assert len(set(ids)) >= 1995, "hashes spread the keys"


if connection.vendor == "postgresql":
    import psycopg

    def _other_session() -> psycopg.Connection[Any]:
        s = connection.settings_dict
        return psycopg.connect(
            host=s["HOST"] or "127.0.0.1",
            port=s["PORT"] or 5432,
            user=s["USER"],
            password=s["PASSWORD"] or None,
            dbname=s["NAME"],
            autocommit=True,
        )

    def test_the_locks_are_held_until_the_intakes_transaction_ends(transactional_db: Any) -> None:
        other = _other_session()

        def free(key: str) -> bool:
            row = other.execute(
                "SELECT pg_try_advisory_lock(%s, %s)", [LOCK_CLASS, lock_id(key)]
            ).fetchone()
            if row and row[0]:
                other.execute("SELECT pg_advisory_unlock(%s, %s)", [LOCK_CLASS, lock_id(key)])
            return bool(row and row[0])

        try:
            with transaction.atomic():
                taken = intake_keys_lock(["vrm::NB21KLM", "pl:n:goldengrill", "", "vrm::NB21KLM"])
                assert taken == sorted({lock_id("vrm::NB21KLM"), lock_id("pl:n:goldengrill")})
                assert not free("pl:n:goldengrill") and not free("vrm::NB21KLM")
                assert free("pl:n:anotherplace")
            assert free("pl:n:goldengrill") and free("vrm::NB21KLM")
        finally:
            other.close()

    def _second_referral() -> dict[str, Any]:
        """Another child, and another phone (a shared phone's unique key would make the
        second intake fail and run again, hiding the race); the same adult, plate and place."""
        body = copy.deepcopy(PAYLOAD)
        body["children"][0].update(
            given_name="Noor", family_name="Pellow", date_of_birth="2011-09-01"
        )
        body["persons_named"][0]["phone"] = "07700 900789"
        return body

    def test_two_intakes_at_once_naming_the_same_new_things_make_one_record_of_each(
        transactional_db: Any, police_officer: Any, monkeypatch: Any
    ) -> None:
        """Each intake, once it has read the picture, waits up to 3 s for the other to have
        read it too. Without the lock both read "nothing known" and both make a place, a
        vehicle and a person; with it the second is still waiting at the lock, the first
        gives up waiting and commits, and the second then reads the first's rows."""
        met = threading.Barrier(2, timeout=3)
        real = IntakeStore._load_places
        waited: list[bool] = []

        def read_then_wait(self: Any, named: list[Any]) -> None:
            real(self, named)
            try:
                met.wait()
                waited.append(False)
            except threading.BrokenBarrierError:
                waited.append(True)

        clients = [api(police_officer), api(police_officer)]
        # First an intake naming other things: the first reference of each kind makes its
        # counter, which a concurrent first one waits for, and that would hide the race.
        other = copy.deepcopy(PAYLOAD)
        other["children"][0].update(given_name="Ada", family_name="Quill")
        other["persons_named"][0].update(
            name="Dev Marr", nickname="", phone="07700 900111", vehicle_registration="NB70 XYZ"
        )
        other["places_named"][0].update(name="Moon Cafe", postcode="NB4 4DD")
        assert clients[0].post("/api/v1/referrals", data=other, content_type="application/json")
        monkeypatch.setattr(IntakeStore, "_load_places", read_then_wait)
        answers: list[int] = []

        def intake(n: int, body: dict[str, Any]) -> None:
            try:
                answers.append(
                    clients[n]
                    .post("/api/v1/referrals", data=body, content_type="application/json")
                    .status_code
                )
            finally:
                connection.close()

        threads = [
            threading.Thread(target=intake, args=(0, PAYLOAD)),
            threading.Thread(target=intake, args=(1, _second_referral())),
        ]
        for t in threads:
            t.start()
        for t in threads:
            t.join(60)
        assert answers == [201, 201]
        assert waited == [True, True], "the second intake was held at the lock, not beside"
        place = Place.objects.get(name_key="goldengrill")
        assert Mention.objects.filter(entity_id=place.pk).count() == 2
        assert Vehicle.objects.filter(registration="NB21KLM").count() == 1
        assert PersonOfConcern.objects.count() == 2
        assert Phone.objects.count() == 3
        # and so the place's alert for children of two households fires
        alert = Alert.objects.get(entity_id=place.pk)
        assert (alert.kind, len(alert.child_ids)) == (AlertKind.PLACE_HOTSPOT, 2)
