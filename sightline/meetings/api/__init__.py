"""The meetings app's API: one router, its operations in four modules."""

from sightline.meetings.api import disruptions, grading, record  # noqa: F401  (they add operations)
from sightline.meetings.api.meetings import router

__all__ = ["router"]
