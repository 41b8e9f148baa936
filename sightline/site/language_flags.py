"""The language flags of a text just saved, told to its author (kept in reviews, whose own
pages use it too)."""

from sightline.reviews.views.flags import tell_flags

__all__ = ["tell_flags"]
