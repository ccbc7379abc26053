"""Software register engine: title normalisation, licence position, evaluation."""

from .catalogue import Catalogue, Category, LicenceMetric, load_catalogue
from .csvio import OUTPUT_COLUMNS, CsvInputError, NormaliseCsvResult, normalise_csv
from .evaluation import EvaluationReport, LabelledTitle, evaluate, read_labelled_titles
from .licences import (
    Installation,
    Licence,
    LicencePosition,
    ProductRef,
    licence_position,
    licence_positions,
)
from .normalise import MatchKind, Method, NormalisedTitle, Normaliser, RawTitle, UserRule

__all__ = [
    "OUTPUT_COLUMNS",
    "Catalogue",
    "Category",
    "CsvInputError",
    "EvaluationReport",
    "Installation",
    "LabelledTitle",
    "Licence",
    "LicenceMetric",
    "LicencePosition",
    "MatchKind",
    "Method",
    "NormaliseCsvResult",
    "NormalisedTitle",
    "Normaliser",
    "ProductRef",
    "RawTitle",
    "UserRule",
    "evaluate",
    "licence_position",
    "licence_positions",
    "load_catalogue",
    "normalise_csv",
    "read_labelled_titles",
]
