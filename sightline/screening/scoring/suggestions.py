"""Indicators suggested by phrases in a referral's narrative, for a practitioner to confirm
or dismiss."""

from __future__ import annotations

from dataclasses import dataclass

from sightline.screening.scoring.catalogue import Catalogue


@dataclass(frozen=True)
class Suggestion:
    """A phrase in a narrative that suggests an indicator. Never ticks anything itself."""

    code: str
    label: str
    phrase: str
    start: int
    end: int


def suggest_indicators(catalogue: Catalogue, narrative: str) -> list[Suggestion]:
    """Suggest indicators whose phrases occur in ``narrative``, first match per indicator.

    Matching is case-insensitive and uses patterns compiled once per catalogue. Results are
    ordered by position in the text (then catalogue order). They are suggestions for a
    practitioner to confirm or dismiss; no mark is created.
    """
    suggestions: list[Suggestion] = []
    if not narrative:
        return suggestions
    order = {code: position for position, code in enumerate(catalogue.codes)}
    lowered_text = narrative.lower()
    lowered = len(lowered_text) == len(narrative)  # offsets still line up with the original
    text = lowered_text if lowered else narrative
    for indicator, phrases in catalogue._patterns:
        spans = [span for phrase in phrases if (span := phrase.first_match(text, lowered=lowered))]
        if spans:
            start, end = min(spans, key=lambda span: (span[0], -span[1]))  # earliest, longest
            suggestions.append(
                Suggestion(
                    code=indicator.code,
                    label=indicator.label,
                    phrase=narrative[start:end],
                    start=start,
                    end=end,
                )
            )
    suggestions.sort(key=lambda item: (item.start, order[item.code]))
    return suggestions
