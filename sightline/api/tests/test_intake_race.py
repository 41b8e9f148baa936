"""Two intakes at once naming the same new child, or the same new place, plate and adult,
make one record of each (ADR 0218): the second waits at the per-key lock for the first to
commit, then finds its rows. PostgreSQL only: SQLite's IMMEDIATE transactions already run
writers one at a time."""

from __future__ import annotations

import copy
import threading
from collections.abc import Callable
from typing import Any

from django.db import connection, transaction

from sightline.core.keylocks import PICTURE, keys_lock, lock_id
from sightline.intel.choices import AlertKind
from sightline.intel.models import Alert, Mention, PersonOfConcern, Phone, Place, Vehicle
from sightline.intel.services.indexing.store import IntakeStore
from sightline.people.models import Child
from sightline.referrals.models import ReferralChild
from sightline.referrals.services import intake as intake_services
from sightline.referrals.tests.test_api import PAYLOAD, api


def test_a_key_has_one_lock_id_and_the_ids_fit_postgresqls_int4() -> None:
    ids = [lock_id(f"pl:n:place{n}") for n in range(2000)]
    assert lock_id("pl:n:place7") == ids[7]
    assert all(-(2**31) <= i < 2**31 for i in ids)
    assert len(set(ids)) >= 1995, "hashes spread the keys"


if connection.vendor == "postgresql":

    def test_the_locks_are_held_until_the_intakes_transaction_ends(
        transactional_db: Any, pg_session: Any
    ) -> None:
        other = pg_session
        other.autocommit = True

        def free(key: str) -> bool:
            row = other.execute(
                "SELECT pg_try_advisory_lock(%s, %s)", [PICTURE, lock_id(key)]
            ).fetchone()
            if row and row[0]:
                other.execute("SELECT pg_advisory_unlock(%s, %s)", [PICTURE, lock_id(key)])
            return bool(row and row[0])

        with transaction.atomic():
            taken = keys_lock(PICTURE, ["vrm::NB21KLM", "pl:n:goldengrill", "", "vrm::NB21KLM"])
            assert taken == sorted({lock_id("vrm::NB21KLM"), lock_id("pl:n:goldengrill")})
            assert not free("pl:n:goldengrill") and not free("vrm::NB21KLM")
            assert free("pl:n:anotherplace")
        assert free("pl:n:goldengrill") and free("vrm::NB21KLM")

    def _second_referral() -> dict[str, Any]:
        """Another child, and another phone (a shared phone's unique key would make the
        second intake fail and run again, hiding the race); the same adult, plate and place."""
        body = copy.deepcopy(PAYLOAD)
        body["children"][0].update(
            given_name="Noor", family_name="Pellow", date_of_birth="2011-09-01"
        )
        body["persons_named"][0]["phone"] = "07700 900789"
        return body

    def _warm(client: Any) -> None:
        """An intake naming other things: the first reference of each kind makes its counter,
        which a concurrent first one waits for, and that would hide the race."""
        other = copy.deepcopy(PAYLOAD)
        other["children"][0].update(given_name="Ada", family_name="Quill")
        other["persons_named"][0].update(
            name="Dev Marr", nickname="", phone="07700 900111", vehicle_registration="NB70 XYZ"
        )
        other["places_named"][0].update(name="Moon Cafe", postcode="NB4 4DD")
        response = client.post("/api/v1/referrals", data=other, content_type="application/json")
        assert response.status_code == 201

    def _at_once(
        clients: list[Any], bodies: list[dict[str, Any]], patch: Callable[[Any], None]
    ) -> tuple[list[int], list[bool]]:
        """The two bodies sent at once, each intake waiting (up to 3 s) after its read for the
        other to have read too (`patch` wraps the read with `read_then_wait`). Without the
        lock both read "nothing known" and both make the record; with it the second is still
        waiting at the lock, the first gives up waiting and commits, and the second then
        reads the first's rows. The answers, and for each intake whether it waited alone."""
        met = threading.Barrier(2, timeout=3)
        waited: list[bool] = []

        def read_then_wait(read: Callable[..., Any]) -> Callable[..., Any]:
            def wrapped(*args: Any, **kwargs: Any) -> Any:
                found = read(*args, **kwargs)
                try:
                    met.wait()
                    waited.append(False)
                except threading.BrokenBarrierError:
                    waited.append(True)
                return found

            return wrapped

        patch(read_then_wait)
        answers: list[int] = []

        def intake(n: int) -> None:
            try:
                response = clients[n].post(
                    "/api/v1/referrals", data=bodies[n], content_type="application/json"
                )
                answers.append(response.status_code)
            finally:
                connection.close()

        threads = [threading.Thread(target=intake, args=(n,)) for n in (0, 1)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(60)
        return answers, waited

    def test_two_intakes_at_once_naming_the_same_new_things_make_one_record_of_each(
        transactional_db: Any, police_officer: Any, monkeypatch: Any
    ) -> None:
        clients = [api(police_officer), api(police_officer)]
        _warm(clients[0])
        real = IntakeStore._load_places
        answers, waited = _at_once(
            clients,
            [PAYLOAD, _second_referral()],
            lambda wrap: monkeypatch.setattr(IntakeStore, "_load_places", wrap(real)),
        )
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

    def test_two_intakes_at_once_referring_the_same_new_child_make_one_child_record(
        transactional_db: Any, police_officer: Any, monkeypatch: Any
    ) -> None:
        """Two agencies refer one child a moment apart, naming different adults and places:
        one child record, both referrals on it."""
        clients = [api(police_officer), api(police_officer)]
        _warm(clients[0])
        second = copy.deepcopy(PAYLOAD)
        second["persons_named"][0].update(
            name="Ola Brent", nickname="", phone="07700 900222", vehicle_registration="NB19 PQR"
        )
        second["places_named"][0].update(name="Star Arcade", postcode="NB5 5EE")
        real = intake_services.child_match_candidates_many
        answers, waited = _at_once(
            clients,
            [PAYLOAD, second],
            lambda wrap: monkeypatch.setattr(
                intake_services, "child_match_candidates_many", wrap(real)
            ),
        )
        assert answers == [201, 201]
        assert waited == [True, True], "the second intake was held at the lock, not beside"
        child = Child.objects.get(family_name="Okafor")
        assert ReferralChild.objects.filter(child=child).count() == 2
