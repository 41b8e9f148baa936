"""The language checker: finds phrases in a record that blame a child or minimise their abuse,
and says why each harms and what to write instead. It never blocks a save.

The phrases live in `data/language.yaml` (versioned, like the screening catalogue). Each
phrase's patterns are compiled once, into one regular expression per phrase, when the list is
first loaded; `check_text` then makes one pass per phrase over the text. Context decides a few
phrases: "boyfriend" about a child's peer is not flagged, about an adult or a person of concern
it is (ages are read from the arguments and from the words next to it: "boyfriend (27)",
"boyfriend, aged 27", "27-year-old boyfriend")."""

from __future__ import annotations

import bisect
import functools
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

DEFAULT_LANGUAGE_PATH = Path(__file__).resolve().parent / "data" / "language.yaml"

# Longest text the checker takes from a request (the API answers 413 above it).
MAX_CHARS = 100_000

_TOP_KEYS = frozenset({"version", "title", "context_rules", "categories", "phrases"})
_PHRASE_KEYS = frozenset(
    {"code", "phrase", "category", "why", "alternatives", "patterns", "context"}
)
_REQUIRED_PHRASE_KEYS = frozenset({"code", "phrase", "category", "why", "alternatives", "patterns"})
CONTEXTS = frozenset({"relationship", "child_under_13", "harm_evident"})
_RULE_KEYS = {"peer_age_gap": 3, "adult_age": 18, "under_age": 13, "age_window": 40}

# Words that record harm that has already happened (context `harm_evident`).
_HARM = re.compile(
    r"\b(?:raped|rape|sexually\s+(?:abused|assaulted)|(?:has\s+been|is\s+being|was)\s+"
    r"(?:sexually\s+|criminally\s+)?(?:exploited|abused)|disclosed\s+(?:sexual\s+)?abuse)\b",
    re.IGNORECASE,
)
# Double-quoted passages: the child's or a witness's own words, recorded as said.
_QUOTED = re.compile(r"\"[^\"\n]{0,2000}\"|\u201c[^\u201d\n]{0,2000}\u201d")
_NOT_AN_AGE = (
    r"(?!\s*(?:minutes?|mins?|hours?|hrs?|miles?|times?|days?|weeks?|months?|am|pm|:|ago))"
)
# An age just after the word, in the same clause: "(27)", ", aged 27", "who is 27", "27 years".
_AGE_AFTER = re.compile(
    r"[^.;!?\n]{0,30}?(?:"
    r"\(\s*(?:aged?\s*)?(\d{1,2})\s*(?:yrs?|years?)?(?:\s*old)?\s*\)"
    r"|\b(?:aged?|who\s+is|who's|is|now)\s+(?:about\s+|around\s+|approx(?:imately|\.)?\s+|roughly\s+)?"
    rf"(\d{{1,2}})\b{_NOT_AN_AGE}"
    r"|\b(\d{1,2})\s*(?:yrs?|years?)(?!\s*ago)\b)",
    re.IGNORECASE,
)
# An age just before the word: "27-year-old boyfriend", "her 27 year old boyfriend".
_AGE_BEFORE = re.compile(
    r"(\d{1,2})\s*[- ]?\s*(?:yr|year)s?[- ]?old\s+(?:[\w'-]+\s+){0,2}$", re.IGNORECASE
)


@dataclass(frozen=True)
class Flag:
    """One phrase found in a text: what was written, where, and what to write instead."""

    phrase: str
    start: int
    end: int
    category: str
    why: str
    alternatives: tuple[str, ...]
    code: str = ""
    category_name: str = ""

    def as_dict(self) -> dict[str, Any]:
        return {
            "phrase": self.phrase,
            "start": self.start,
            "end": self.end,
            "category": self.category,
            "why": self.why,
            "alternatives": list(self.alternatives),
        }


@dataclass(frozen=True)
class Entry:
    code: str
    phrase: str
    category: str
    why: str
    alternatives: tuple[str, ...]
    pattern: re.Pattern[str]
    context: str = ""


@dataclass(frozen=True)
class LanguageList:
    version: str
    title: str
    entries: tuple[Entry, ...]
    categories: dict[str, str]
    rules: dict[str, int]

    def entry(self, code: str) -> Entry | None:
        return next((e for e in self.entries if e.code == code), None)


def load_language(path: Path | None = None) -> LanguageList:
    """The phrase list (default `data/language.yaml`, parsed and compiled once). Raises
    ValueError naming the file and the problem if it is malformed."""
    if path is None:
        return _default()
    return _load(Path(path))


@functools.lru_cache(maxsize=1)
def _default() -> LanguageList:
    return _load(DEFAULT_LANGUAGE_PATH)


def _load(path: Path) -> LanguageList:
    try:
        with path.open(encoding="utf-8") as handle:
            raw = yaml.safe_load(handle)
        return _from_data(raw)
    except yaml.YAMLError as exc:
        raise ValueError(f"{path}: not valid YAML ({exc})") from None
    except ValueError as exc:
        raise ValueError(f"{path}: {exc}") from None


def _from_data(raw: object) -> LanguageList:
    if not isinstance(raw, dict):
        raise ValueError("the language list must be a mapping at the top level")
    unknown = sorted(set(raw) - _TOP_KEYS)
    if unknown:
        raise ValueError(f"unknown top-level key(s): {', '.join(map(str, unknown))}")
    for key in ("version", "title"):
        if not isinstance(raw.get(key), str) or not raw[key].strip():
            raise ValueError(f"{key!r} must be a non-empty string (quote version numbers)")
    categories = {}
    for item in raw.get("categories") or []:
        if not isinstance(item, dict) or not item.get("code") or not item.get("name"):
            raise ValueError(f"each category needs a code and a name, not {item!r}")
        categories[str(item["code"])] = str(item["name"])
    rules = dict(_RULE_KEYS)
    for key, value in (raw.get("context_rules") or {}).items():
        if key not in _RULE_KEYS or not isinstance(value, int):
            raise ValueError(f"context_rules: {key!r} must be one of {sorted(_RULE_KEYS)}, an int")
        rules[key] = value
    items = raw.get("phrases")
    if not isinstance(items, list) or not items:
        raise ValueError("'phrases' must be a non-empty list")
    entries = tuple(_entry(item, categories) for item in items)
    codes = [e.code for e in entries]
    if len(set(codes)) != len(codes):
        raise ValueError("phrase codes must be unique")
    return LanguageList(raw["version"], raw["title"], entries, categories, rules)


def _entry(item: object, categories: dict[str, str]) -> Entry:
    if not isinstance(item, dict):
        raise ValueError(f"each phrase must be a mapping, not {item!r}")
    code = str(item.get("code", "?"))
    missing = sorted(_REQUIRED_PHRASE_KEYS - set(item))
    if missing:
        raise ValueError(f"phrase {code}: missing key(s) {', '.join(missing)}")
    unknown = sorted(set(item) - _PHRASE_KEYS)
    if unknown:
        raise ValueError(f"phrase {code}: unknown key(s) {', '.join(map(str, unknown))}")
    if item["category"] not in categories:
        raise ValueError(f"phrase {code}: unknown category {item['category']!r}")
    context = str(item.get("context") or "")
    if context and context not in CONTEXTS:
        raise ValueError(f"phrase {code}: unknown context {context!r}")
    patterns = item["patterns"]
    alternatives = item["alternatives"]
    for name, value in (("patterns", patterns), ("alternatives", alternatives)):
        if not isinstance(value, list) or not value or not all(isinstance(v, str) for v in value):
            raise ValueError(f"phrase {code}: {name} must be a non-empty list of strings")
    try:
        pattern = re.compile("|".join(f"(?:{p})" for p in patterns), re.IGNORECASE)
    except re.error as exc:
        raise ValueError(
            f"phrase {code}: a pattern is not a valid regular expression ({exc})"
        ) from None
    return Entry(
        code=code,
        phrase=str(item["phrase"]),
        category=str(item["category"]),
        why=" ".join(str(item["why"]).split()),
        alternatives=tuple(alternatives),
        pattern=pattern,
        context=context,
    )


def age_near(text: str, start: int, end: int, window: int = 40) -> int | None:
    """An age written next to the word at text[start:end], or None."""
    after = _AGE_AFTER.match(text, end, min(len(text), end + window))
    if after:
        return int(next(g for g in after.groups() if g))
    before = _AGE_BEFORE.search(text[max(0, start - window) : start])
    return int(before.group(1)) if before else None


@dataclass(frozen=True)
class _Context:
    child_age: int | None
    about_person_age: int | None
    about_person_of_concern: bool
    harm_evident: bool


def _counts(  # noqa: PLR0911 (each context rule decides on its own)
    entry: Entry, text: str, match: re.Match[str], ctx: _Context, rules: dict[str, int]
) -> bool:
    """Whether this match of a context-dependent phrase is flagged."""
    if entry.context == "child_under_13":
        return ctx.child_age is None or ctx.child_age < rules["under_age"]
    if entry.context == "harm_evident":
        return ctx.harm_evident
    if entry.context == "relationship":
        if ctx.about_person_of_concern or "older" in match.group(0).lower():
            return True
        age = age_near(text, match.start(), match.end(), rules["age_window"])
        if age is None:
            age = ctx.about_person_age
        if age is None:
            return True  # not known to be a peer: the reader is asked to check
        if age >= rules["adult_age"]:
            return True
        return ctx.child_age is not None and age - ctx.child_age >= rules["peer_age_gap"]
    return True


def check_text(
    text: str,
    *,
    child_age: int | None = None,
    about_person_age: int | None = None,
    about_person_of_concern: bool = False,
    language: LanguageList | None = None,
) -> list[Flag]:
    """Every phrase in `text` that the list flags, in order of where it starts. Overlapping
    matches keep the one that starts first (the longer one when two start together). Words
    inside double quotation marks are someone's own words and are not flagged. A record about
    an adult (child_age 18 or over) is not checked."""
    lang = language or load_language()
    if not text or (child_age is not None and child_age >= lang.rules["adult_age"]):
        return []
    ctx = _Context(
        child_age=child_age,
        about_person_age=about_person_age,
        about_person_of_concern=about_person_of_concern,
        harm_evident=bool(_HARM.search(text)),
    )
    quotes = [(m.start(), m.end()) for m in _QUOTED.finditer(text)]
    quote_starts = [q[0] for q in quotes]
    found: list[tuple[int, int, Entry]] = []
    for entry in lang.entries:
        for match in entry.pattern.finditer(text):
            if _in_quotes(quotes, quote_starts, match.start()):
                continue
            if entry.context and not _counts(entry, text, match, ctx, lang.rules):
                continue
            found.append((match.start(), match.end(), entry))
    found.sort(key=lambda f: (f[0], -(f[1] - f[0])))
    flags: list[Flag] = []
    last_end = -1
    for start, end, entry in found:
        if start < last_end:
            continue
        last_end = end
        flags.append(
            Flag(
                phrase=text[start:end],
                start=start,
                end=end,
                category=entry.category,
                why=entry.why,
                alternatives=entry.alternatives,
                code=entry.code,
                category_name=lang.categories[entry.category],
            )
        )
    return flags


def _in_quotes(quotes: list[tuple[int, int]], starts: list[int], position: int) -> bool:
    i = bisect.bisect_right(starts, position) - 1
    return i >= 0 and quotes[i][0] < position < quotes[i][1]
