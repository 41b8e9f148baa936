"""The batch linkage model (ADR 0208): one Fellegi-Sunter model in Splink, built only from the
columns that hold values, trained on the file itself, the same on DuckDB and on Spark.

Comparisons: given name (exact with term frequencies, same nickname group, swapped with the
surname, Jaro-Winkler), surname (likewise), date of birth, address, town, postcode (exact, one
character, sector), phone and identifier (exact, one or two edits). Blocking rules and EM
training sessions are kept only where every column they use holds values, so a file without
phones (or identifiers, or dates) trains and links on what it has.
"""

from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import Any

import splink.comparison_level_library as cll
import splink.comparison_library as cl
from splink import Linker, SettingsCreator, block_on
from splink.internals.blocking_rule_creator import BlockingRuleCreator

logger = logging.getLogger(__name__)

# Pairs at or above this match probability are linked (ADR 0208). FEBRL3 F1: 0.9965 at 0.5,
# 0.9969 from 0.9 to 0.99; FEBRL4 (one file): 0.9983 at 0.5, 0.9982 at 0.95 and 0.99. A plateau;
# 0.95 is on its cautious side, where precision was 1.000 on both.
MATCH_THRESHOLD = 0.95
# Pairs below this are not kept from prediction at all (they could never be linked).
PREDICT_FLOOR = 0.5

# The columns the model knows, in the order the output reports them.
COLUMNS = (
    "given_name",
    "surname",
    "date_of_birth",
    "address",
    "town",
    "postcode",
    "phone",
    "identifier",
)


def _comparisons(present: list[str]) -> list[Any]:
    both = {"given_name", "surname"} <= set(present)
    out: dict[str, Any] = {
        "given_name": cl.CustomComparison(
            output_column_name="given_name",
            comparison_levels=[
                cll.NullLevel("given_name"),
                cll.ExactMatchLevel("given_name", term_frequency_adjustments=True),
                cll.ExactMatchLevel("given_key"),  # same group (Steve, Steven)
                *([cll.ColumnsReversedLevel("given_name", "surname")] if both else []),
                cll.JaroWinklerLevel("given_name", 0.9),  # Reece / Reese, typos
                cll.JaroWinklerLevel("given_name", 0.75),
                cll.ElseLevel(),
            ],
        ),
        "surname": cl.CustomComparison(
            output_column_name="surname",
            comparison_levels=[
                cll.NullLevel("surname"),
                cll.ExactMatchLevel("surname", term_frequency_adjustments=True),
                *([cll.ColumnsReversedLevel("surname", "given_name")] if both else []),
                cll.JaroWinklerLevel("surname", 0.92),
                cll.JaroWinklerLevel("surname", 0.8),
                cll.ElseLevel(),
            ],
        ),
        # ISO dates (made so in _prepare); the parse format is each engine's default.
        "date_of_birth": cl.DateOfBirthComparison("date_of_birth", input_is_string=True),
        "address": cl.CustomComparison(
            output_column_name="address",
            comparison_levels=[
                cll.NullLevel("address"),
                cll.ExactMatchLevel("address"),
                cll.LevenshteinLevel("address", 2),
                cll.JaroWinklerLevel("address", 0.88),
                cll.ElseLevel(),
            ],
        ),
        "town": cl.CustomComparison(
            output_column_name="town",
            comparison_levels=[
                cll.NullLevel("town"),
                cll.ExactMatchLevel("town", term_frequency_adjustments=True),
                cll.JaroWinklerLevel("town", 0.88),
                cll.ElseLevel(),
            ],
        ),
        "postcode": cl.CustomComparison(
            output_column_name="postcode",
            comparison_levels=[
                cll.NullLevel("postcode"),
                cll.ExactMatchLevel("postcode"),
                cll.LevenshteinLevel("postcode", 1),
                cll.ExactMatchLevel("postcode_sector"),
                cll.ElseLevel(),
            ],
        ),
        "phone": cl.CustomComparison(
            output_column_name="phone",
            comparison_levels=[
                cll.NullLevel("phone"),
                cll.ExactMatchLevel("phone"),
                cll.DamerauLevenshteinLevel("phone", 1),
                cll.ElseLevel(),
            ],
        ),
        "identifier": cl.CustomComparison(
            output_column_name="identifier",
            comparison_levels=[
                cll.NullLevel("identifier"),
                cll.ExactMatchLevel("identifier"),
                cll.DamerauLevenshteinLevel("identifier", 1),
                cll.DamerauLevenshteinLevel("identifier", 2),
                cll.ElseLevel(),
            ],
        ),
    }
    return [out[c] for c in COLUMNS if c in present]


# Blocking rules as (columns needed, rule). A rule is kept when all its columns hold values.
_NAME_ONLY = (
    "l.given_key = r.given_key AND l.surname = r.surname AND "
    "(l.date_of_birth IS NULL OR r.date_of_birth IS NULL)"
)
_BLOCKING: tuple[tuple[tuple[str, ...], Any], ...] = (
    (("identifier",), block_on("identifier")),
    (("phone",), block_on("phone")),
    # Name + birth year keeps day or month typos; the full name alone only where one side has
    # no date of birth (the full name for everyone made nine in ten of all comparisons).
    (("given_name", "surname", "date_of_birth"), block_on("given_key", "surname", "birth_year")),
    (("given_name", "surname"), _NAME_ONLY),
    (("given_name", "surname"), "l.given_name = r.surname AND l.surname = r.given_name"),
    (("date_of_birth", "surname"), block_on("date_of_birth", "surname3")),
    (("postcode", "given_name"), block_on("postcode", "given_key")),
    # A surname typo in its first three letters with no phone or postcode in common:
    (("date_of_birth", "given_name"), block_on("date_of_birth", "given_key")),
    (("address", "given_name"), block_on("address", "given_key")),
    (("address", "surname"), block_on("address", "surname3")),
    (("postcode", "surname"), block_on("postcode", "surname3")),
    (
        ("identifier", "given_name"),
        "substr(l.identifier, 1, 4) = substr(r.identifier, 1, 4) AND l.given_key = r.given_key",
    ),
)

# EM training sessions, best first; enough are used that every comparison is trained.
_TRAINING: tuple[tuple[str, ...], ...] = (
    ("date_of_birth", "surname"),
    ("phone",),
    ("identifier",),
    ("given_name", "surname"),
    ("postcode",),
    ("address",),
)
_TRAINING_RULES = {
    ("date_of_birth", "surname"): block_on("date_of_birth", "surname3"),
    ("phone",): block_on("phone"),
    ("identifier",): block_on("identifier"),
    ("given_name", "surname"): block_on("given_key", "surname"),
    ("postcode",): block_on("postcode"),
    ("address",): block_on("address"),
}


def settings(present: list[str]) -> SettingsCreator:
    """The model's settings for the columns that hold values."""
    have = set(present)
    return SettingsCreator(
        link_type="dedupe_only",
        unique_id_column_name="id",
        probability_two_random_records_match=1e-6,
        comparisons=_comparisons(present),
        blocking_rules_to_generate_predictions=[r for need, r in _BLOCKING if set(need) <= have],
        retain_intermediate_calculation_columns=False,
        retain_matching_columns=False,
    )


def _deterministic_rules(have: set[str]) -> list[BlockingRuleCreator | str]:
    rules: list[BlockingRuleCreator | str] = []
    if {"given_name", "surname", "date_of_birth"} <= have:
        rules.append(block_on("given_key", "surname", "date_of_birth"))
    if {"identifier", "surname"} <= have:
        rules.append(block_on("identifier", "surname3"))
    if {"phone", "surname"} <= have:
        rules.append(block_on("phone", "surname3"))
    if {"given_name", "surname", "address"} <= have:
        rules.append(block_on("given_key", "surname", "address"))
    return rules


def train(linker: Linker, present: list[str]) -> tuple[str, ...]:
    """Estimate the model's parameters; return the EM blocking sessions that ran."""
    have = set(present)
    rules = _deterministic_rules(have)
    if rules:
        linker.training.estimate_probability_two_random_records_match(rules, recall=0.8)
    linker.training.estimate_u_using_random_sampling(max_pairs=2e6, seed=1)
    untrained = set(present)
    sessions: list[str] = []
    for need in _TRAINING:
        if not untrained or not set(need) <= have or not (untrained - set(need)):
            continue
        try:
            linker.training.estimate_parameters_using_expectation_maximisation(
                _TRAINING_RULES[need], estimate_without_term_frequencies=True
            )
        except Exception as exc:  # Splink raises several kinds when a block has no pairs
            logger.warning("EM training blocked on %s found nothing to learn: %s", need, exc)
            continue
        untrained -= have - set(need)
        sessions.append("+".join(need))
    return tuple(sessions)


def build_linker(db_api: Any, table: Any, present: list[str], model_in: Path | None) -> Linker:
    """A linker with the model's settings in the engine's SQL dialect; with `model_in`, the
    m and u probabilities and the prior of a model trained before (on either engine)."""
    creator = settings(present)
    if model_in is None:
        return Linker(table, creator)
    saved = json.loads(model_in.read_text())
    fresh = creator.create_settings_dict(db_api.sql_dialect.sql_dialect_str)
    names = [c["output_column_name"] for c in fresh["comparisons"]]
    if names != [c["output_column_name"] for c in saved["comparisons"]]:
        raise ValueError(f"The model was not trained on these columns ({', '.join(names)}).")
    fresh["probability_two_random_records_match"] = saved["probability_two_random_records_match"]
    for new, old in zip(fresh["comparisons"], saved["comparisons"], strict=True):
        for level, trained in zip(new["comparison_levels"], old["comparison_levels"], strict=True):
            for key in ("m_probability", "u_probability"):
                if key in trained:
                    level[key] = trained[key]
    return Linker(table, fresh)
