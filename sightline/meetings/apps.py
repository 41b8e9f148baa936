import datetime as dt
from typing import Any

from django.apps import AppConfig


def meetings_sweep_at(at: dt.datetime) -> dict[str, Any]:
    """MACE actions (overdue, escalated) and the disruption register, as if at `at`."""
    from sightline.meetings.services import actions_sweep, register_sweep  # noqa: PLC0415

    return {"actions": actions_sweep(at=at), "register": register_sweep(at=at)}


class MeetingsConfig(AppConfig):
    name = "sightline.meetings"
    label = "meetings"
    verbose_name = "MACE meetings and the disruption register"

    def ready(self) -> None:
        from sightline.core.sweeps import sweep_register  # noqa: PLC0415

        sweep_register("meetings", meetings_sweep_at)
