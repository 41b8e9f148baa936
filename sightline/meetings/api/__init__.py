"""The meetings app's API: one router, its operations in three modules."""

from sightline.meetings.api import disruptions, record  # noqa: F401  (they add operations)
from sightline.meetings.api.meetings import router

__all__ = ["router"]
