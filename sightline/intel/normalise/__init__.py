"""Normalising identifiers and reading them out of free text. Pure functions, no database.

- Phone numbers (`phones`): UK numbers in any common written form to E.164 (`+447700900123`).
- Vehicle registrations (`plates`): current ("AB12 CDE"), prefix ("A123 BCD"), suffix
  ("ABC 123D") and dateless formats; partial plates ("AB12", "…CDE") kept as patterns.
- Names (`names`): parsed with `nameparser` (order, titles, hyphenated surnames), phonetic keys
  (metaphone), and given-name equivalences from our table and the `nicknames` package
  (`data/nicknames.csv`, spelling variants and short forms).
- Narratives (`narrative`): the identifiers and name-like phrases written in free text.

The modules of this package hold the parts; callers import from here.
"""

from sightline.intel.normalise.names import (
    DATA_DIR,
    NameParts,
    fold,
    given_key,
    given_name_groups,
    given_names_equivalent,
    given_short_form,
    normalise_name,
    normalise_nickname,
    phonetic,
    split_name,
    street_short_of,
)
from sightline.intel.normalise.narrative import (
    POSTCODE_TEXT,
    Found,
    description_details,
    description_tokens,
    read_narrative,
)
from sightline.intel.normalise.phones import PHONE_RE, display_phone, normalise_phone
from sightline.intel.normalise.plates import (
    Plate,
    display_plate,
    is_full_plate,
    normalise_plate,
    partial_shape,
    plate_keys,
    plate_shape,
    plate_shape_current,
    plates_agree,
)

__all__ = [
    "DATA_DIR",
    "PHONE_RE",
    "POSTCODE_TEXT",
    "Found",
    "NameParts",
    "Plate",
    "description_details",
    "description_tokens",
    "display_phone",
    "display_plate",
    "fold",
    "given_key",
    "given_name_groups",
    "given_names_equivalent",
    "given_short_form",
    "is_full_plate",
    "normalise_name",
    "normalise_nickname",
    "normalise_phone",
    "normalise_plate",
    "partial_shape",
    "phonetic",
    "plate_keys",
    "plate_shape",
    "plate_shape_current",
    "plates_agree",
    "read_narrative",
    "split_name",
    "street_short_of",
]
