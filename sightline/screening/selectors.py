from __future__ import annotations

from django.db.models import QuerySet

from sightline.screening.models import IndicatorCatalogue, IndicatorDefinition
from sightline.screening.scoring import Catalogue, load_catalogue
from sightline.screening.services import catalogue_load


def catalogue_current() -> IndicatorCatalogue:
    """The catalogue in force, loading the data file into the database on first use."""
    row = IndicatorCatalogue.objects.filter(is_current=True).first()
    if row is None:
        row = catalogue_load()
    return row


def catalogue_rules(row: IndicatorCatalogue) -> Catalogue:
    """The scoring catalogue for a stored version (today: the data file of that version)."""
    catalogue = load_catalogue()
    if catalogue.version != row.version:
        raise LookupError(f"Catalogue version {row.version} is stored but its file is missing.")
    return catalogue


def indicator_list(*, user: object) -> QuerySet[IndicatorDefinition]:
    """The catalogue is reference data: any signed-in user may read it."""
    return IndicatorDefinition.objects.filter(catalogue=catalogue_current()).order_by("position")
