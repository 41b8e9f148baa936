"""The bulk indexer's picture: phones and vehicles found or made, a partial registration
read from the index of every full registration's starts and ends (`plate_ends`, ADR 0907)
with the scan it replaced kept as the check."""

from __future__ import annotations

import uuid
from typing import Any

from sightline.intel.choices import EntityType, LinkStatus
from sightline.intel.models import Phone, Vehicle
from sightline.intel.normalise import Plate, normalise_phone


class PlatesMixin:
    """`MemoryStore`'s phones and vehicles (the attributes are the store's)."""

    check: bool
    new: set[uuid.UUID]
    vehicles: dict[uuid.UUID, Vehicle]
    full_plates: dict[str, Vehicle]
    partial_plates: dict[tuple[str, str], Vehicle]
    plate_ends: dict[tuple[str, str], list[Vehicle]]
    phones: dict[str, Phone]
    phone_ids: dict[uuid.UUID, Phone]

    def _new_reference(self, entity_type: str) -> Any:
        raise NotImplementedError

    def phone_resolve(self, value: str) -> tuple[Phone, str]:
        e164 = normalise_phone(value)
        found = self.phones.get(e164)
        if found is not None:
            return found, LinkStatus.EXACT
        phone = Phone(reference=self._new_reference(EntityType.PHONE), number=e164)
        self.phones[e164] = phone
        self.phone_ids[phone.pk] = phone
        self.new.add(phone.pk)
        return phone, LinkStatus.ORIGIN

    def vehicle_resolve(self, plate: Plate) -> tuple[Vehicle, str, float, tuple[str, ...]]:
        if not plate.is_partial:
            found = self.full_plates.get(plate.value)
            if found is not None:
                return found, LinkStatus.EXACT, 1.0, ("same registration",)
            return self._vehicle_new(plate.value, False, "full"), LinkStatus.ORIGIN, 1.0, ()
        fits = self._plates_fit_indexed(plate)
        if len(fits) == 1:
            return fits[0], LinkStatus.PROBABLE, 0.85, ("partial registration fits one vehicle",)
        same = self.partial_plates.get((plate.value, plate.anchor))
        if same is not None:
            return same, LinkStatus.EXACT, 1.0, ("same partial registration",)
        return self._vehicle_new(plate.value, True, plate.anchor), LinkStatus.ORIGIN, 1.0, ()

    def _plates_fit_indexed(self, plate: Plate) -> list[Vehicle]:
        """The active full registrations a partial plate fits, from `plate_ends`."""
        if not plate.value:
            return self._plates_fit(plate)
        ends = self.plate_ends.get(("start" if plate.anchor == "start" else "end", plate.value))
        fits = [v for v in ends or () if v.is_active]
        if self.check:
            assert fits == self._plates_fit(plate), "plates"
        return fits

    def _plates_fit(self, plate: Plate) -> list[Vehicle]:
        """The active full registrations a partial plate fits, by reading every one."""
        return [
            v
            for reg, v in self.full_plates.items()
            if v.is_active
            and (reg.startswith if plate.anchor == "start" else reg.endswith)(plate.value)
        ]

    def _vehicle_new(self, registration: str, is_partial: bool, anchor: str) -> Vehicle:
        vehicle = Vehicle(
            reference=self._new_reference(EntityType.VEHICLE),
            registration=registration,
            is_partial=is_partial,
            anchor=anchor,
        )
        self.new.add(vehicle.pk)
        self._vehicle_add(vehicle)
        return vehicle

    def _vehicle_add(self, vehicle: Vehicle) -> None:
        self.vehicles[vehicle.pk] = vehicle
        if vehicle.is_partial:
            self.partial_plates.setdefault((vehicle.registration, vehicle.anchor), vehicle)
        elif self.full_plates.setdefault(vehicle.registration, vehicle) is vehicle:
            reg = vehicle.registration
            for n in range(1, len(reg) + 1):
                self.plate_ends[("start", reg[:n])].append(vehicle)
                self.plate_ends[("end", reg[-n:])].append(vehicle)
