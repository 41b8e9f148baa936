"""Catalogue phrases compiled for fast, case-insensitive searching of a narrative."""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Phrase:
    """A phrase compiled for fast searching.

    Python's ``re`` only uses its fast literal-prefix scan when a pattern starts with a
    literal and is case-sensitive. So the narrative is lowercased once and each phrase is
    compiled without IGNORECASE and without its leading ``\\b`` (when the phrase has no
    top-level ``|``); that boundary is then checked by hand (:func:`_at_word_boundary`).
    Matches are extended to the end of the word, so a stem such as ``pregnan`` is reported
    as "pregnant". ``folded`` is the IGNORECASE equivalent, used on the original text in the
    rare case where lowercasing changes its length.
    """

    lowered: re.Pattern[str]
    folded: re.Pattern[str]
    leading_boundary: bool

    @classmethod
    def compile(cls, phrase: str) -> Phrase:
        leading_boundary = phrase.startswith(r"\b") and not _has_top_level_alternation(phrase)
        body = f"(?:{phrase[2:] if leading_boundary else phrase})" + r"\w*"
        return cls(re.compile(body), re.compile(body, re.IGNORECASE), leading_boundary)

    def first_match(self, text: str, *, lowered: bool) -> tuple[int, int] | None:
        """Start and end of the first non-empty match in ``text``, if any."""
        pattern = self.lowered if lowered else self.folded
        position = 0
        while (match := pattern.search(text, position)) is not None:
            start, end = match.span()
            if end > start and (not self.leading_boundary or _at_word_boundary(text, start)):
                return start, end
            position = start + 1
        return None


def _has_top_level_alternation(phrase: str) -> bool:
    """Whether ``phrase`` has a ``|`` outside any group or character class."""
    depth = 0
    in_class = False
    escaped = False
    for character in phrase:
        if escaped:
            escaped = False
        elif character == "\\":
            escaped = True
        elif in_class:
            in_class = character != "]"
        elif character == "[":
            in_class = True
        elif character == "(":
            depth += 1
        elif character == ")":
            depth -= 1
        elif character == "|" and depth == 0:
            return True
    return False


def _is_word_character(character: str) -> bool:
    return character.isalnum() or character == "_"


def _at_word_boundary(text: str, index: int) -> bool:
    before = index > 0 and _is_word_character(text[index - 1])
    after = index < len(text) and _is_word_character(text[index])
    return before != after
