"""A partner event locks what it names as an intake does (ADR 0218): while an intake holds a
place's key, an event naming that place waits, then finds the place the intake made rather
than making a second. PostgreSQL only (SQLite runs writers one at a time)."""

from __future__ import annotations

import threading
import uuid
from typing import Any

from django.db import connection, transaction
from django.utils import timezone

from sightline.accounts.tests.factories import AgencyFactory
from sightline.core.keylocks import PICTURE, keys_lock
from sightline.intel.models import Mention, Place
from sightline.intel.places import place_name_key, place_new
from sightline.intel.services.sources import Source, mentions_on_source

if connection.vendor == "postgresql":

    def test_an_event_naming_a_place_waits_for_an_intake_naming_it(transactional_db: Any) -> None:
        agency: Any = AgencyFactory(kind="police")
        holding, release = threading.Event(), threading.Event()
        done: list[int] = []

        def intake() -> None:
            try:
                with transaction.atomic():
                    keys_lock(PICTURE, [f"pl:n:{place_name_key('Golden Grill')}"])
                    holding.set()
                    release.wait(30)
                    place_new(
                        name="Golden Grill", kind="takeaway", address="", postcode="NB3 2BB"
                    ).save()
            finally:
                connection.close()

        def event() -> None:
            source = Source("event", uuid.uuid4(), "EV-1", agency.pk, timezone.now(), ())
            try:
                result = mentions_on_source(
                    source=source,
                    acting_user=None,
                    places=[{"name": "Golden Grill", "kind": "takeaway", "postcode": "NB3 2BB"}],
                    notify=False,
                )
                done.append(len(result.mentions))
            finally:
                connection.close()

        holder = threading.Thread(target=intake)
        holder.start()
        assert holding.wait(30)
        waiter = threading.Thread(target=event)
        waiter.start()
        waiter.join(1.5)
        alive, early = waiter.is_alive(), list(done)
        release.set()
        holder.join(30)
        waiter.join(30)
        assert alive and not early, "the event waits while the intake holds the key"
        assert done == [1]
        place = Place.objects.get()
        assert Mention.objects.get().entity_id == place.pk
