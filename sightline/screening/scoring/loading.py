"""Reading a catalogue from its YAML file, with messages that name the file and the
problem."""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any

import yaml

from sightline.screening.scoring.catalogue import Catalogue, Indicator
from sightline.screening.scoring.levels import Level, Weight

DEFAULT_CATALOGUE_PATH = Path(__file__).resolve().parent.parent / "data" / "catalogue-v1.yaml"

_INDICATOR_KEYS = frozenset(
    {"code", "category", "label", "weight", "is_learning_disability", "phrases"}
)
_REQUIRED_INDICATOR_KEYS = frozenset({"code", "category", "label", "weight"})
_TOP_LEVEL_KEYS = frozenset(
    {"version", "title", "levels", "weights", "thresholds", "categories", "indicators"}
)


def load_catalogue(path: Path | None = None) -> Catalogue:
    """Load and validate a catalogue YAML file (default: ``data/catalogue-v1.yaml``).

    The default catalogue is parsed once and cached. Raises :class:`ValueError` with a
    message naming the file and the problem if the file is malformed.
    """
    if path is None:
        return _load_default_catalogue()
    return _load_catalogue_file(Path(path))


def catalogue_raw(path: Path | None = None) -> dict[str, Any]:
    """The catalogue file's parsed YAML, e.g. to store alongside a catalogue version.

    Returns a fresh copy each time (callers may modify it). Not validated: use
    :func:`load_catalogue` for that.
    """
    source = DEFAULT_CATALOGUE_PATH if path is None else Path(path)
    raw = _read_yaml(source)
    if not isinstance(raw, dict):
        raise ValueError(f"{source}: the catalogue must be a mapping at the top level")
    return raw


@functools.lru_cache(maxsize=1)
def _load_default_catalogue() -> Catalogue:
    return _load_catalogue_file(DEFAULT_CATALOGUE_PATH)


def _read_yaml(path: Path) -> object:
    try:
        with path.open(encoding="utf-8") as handle:
            return yaml.safe_load(handle)
    except yaml.YAMLError as exc:
        raise ValueError(f"{path}: not valid YAML ({exc})") from None


def _load_catalogue_file(path: Path) -> Catalogue:
    raw = _read_yaml(path)
    try:
        return _catalogue_from_data(raw)
    except ValueError as exc:
        raise ValueError(f"{path}: {exc}") from None


def _catalogue_from_data(raw: object) -> Catalogue:
    if not isinstance(raw, dict):
        raise ValueError("the catalogue must be a mapping at the top level")
    unknown = sorted(set(raw) - _TOP_LEVEL_KEYS)
    if unknown:
        raise ValueError(f"unknown top-level key(s): {', '.join(map(str, unknown))}")
    for key in ("version", "title"):
        if not isinstance(raw.get(key), str) or not raw[key].strip():
            raise ValueError(f"{key!r} must be a non-empty string (quote version numbers)")
    if "levels" in raw:
        _check_levels(raw["levels"])
    weights = _mapping(raw, "weights")
    thresholds = _mapping(raw, "thresholds")
    categories = _categories(raw.get("categories", []))
    raw_indicators = raw.get("indicators")
    if not isinstance(raw_indicators, list) or not raw_indicators:
        raise ValueError("'indicators' must be a non-empty list")
    indicators = tuple(
        _indicator_from_data(position, item) for position, item in enumerate(raw_indicators, 1)
    )
    return Catalogue(
        version=raw["version"],
        title=raw["title"],
        indicators=indicators,
        thresholds=thresholds,
        weights=weights,
        categories=categories,
    )


def _mapping(raw: dict[str, Any], key: str) -> dict[str, Any]:
    value = raw.get(key, {})
    if not isinstance(value, dict):
        raise ValueError(f"{key!r} must be a mapping")
    return {str(name): item for name, item in value.items()}


def _categories(raw: object) -> dict[str, str]:
    """Categories as a list of ``{code, name}`` mappings (or a plain code: name mapping)."""
    if isinstance(raw, dict):
        return {str(code): str(name) for code, name in raw.items()}
    if not isinstance(raw, list):
        raise ValueError("'categories' must be a list of {code, name} mappings")
    categories: dict[str, str] = {}
    for item in raw:
        if not isinstance(item, dict) or not item.get("code") or not item.get("name"):
            raise ValueError(f"each category needs a code and a name, not {item!r}")
        code = str(item["code"])
        if code in categories:
            raise ValueError(f"duplicate category code {code!r}")
        categories[code] = str(item["name"])
    return categories


def _check_levels(levels: object) -> None:
    expected = [(level.value_name, level.label) for level in Level]
    if not isinstance(levels, list):
        raise ValueError("'levels' must be a list of {name, label} mappings")
    found = [
        (item.get("name"), item.get("label")) if isinstance(item, dict) else (item, None)
        for item in levels
    ]
    if found != expected:
        raise ValueError(f"'levels' must be exactly, in order: {expected}, not {found}")


def _indicator_from_data(position: int, item: object) -> Indicator:
    if not isinstance(item, dict):
        raise ValueError(f"indicator #{position} must be a mapping")
    code = item.get("code", f"#{position}")
    missing = sorted(_REQUIRED_INDICATOR_KEYS - set(item))
    if missing:
        raise ValueError(f"indicator {code}: missing key(s) {', '.join(missing)}")
    unknown = sorted(set(item) - _INDICATOR_KEYS)
    if unknown:
        raise ValueError(f"indicator {code}: unknown key(s) {', '.join(map(str, unknown))}")
    weight_text = str(item["weight"])
    try:
        weight = Weight(weight_text)
    except ValueError:
        known = ", ".join(weight.value for weight in Weight)
        raise ValueError(
            f"indicator {code}: unknown weight {weight_text!r}; expected one of: {known}"
        ) from None
    is_ld = item.get("is_learning_disability", False)
    if not isinstance(is_ld, bool):
        raise ValueError(f"indicator {code}: is_learning_disability must be true or false")
    phrases = item.get("phrases") or []
    if not isinstance(phrases, list) or not all(isinstance(p, str) for p in phrases):
        raise ValueError(f"indicator {code}: phrases must be a list of strings")
    return Indicator(
        code=str(item["code"]),
        category=str(item["category"]),
        label=str(item["label"]),
        weight=weight,
        is_learning_disability=is_ld,
        phrases=tuple(phrases),
    )
