"""Software register engine: title normalisation, licence position, evaluation."""

from .catalogue import Catalogue, Category, LicenceMetric, load_catalogue
from .csvio import OUTPUT_COLUMNS, CsvInputError, NormaliseCsvResult, normalise_csv
from .evaluation import EvaluationReport, LabelledTitle, evaluate, read_labelled_titles
from .licences import (
    PASSING_RULES,
    Installation,
    Licence,
    LicencePosition,
    LicenceType,
    ProductRef,
    Purchase,
    RetiredBy,
    Retirement,
    TransferRule,
    licence_position,
    licence_positions,
    plan_purchases,
)
from .normalise import MatchKind, Method, NormalisedTitle, Normaliser, RawTitle, UserRule

__all__ = [
    "OUTPUT_COLUMNS",
    "PASSING_RULES",
    "Catalogue",
    "Category",
    "CsvInputError",
    "EvaluationReport",
    "Installation",
    "LabelledTitle",
    "Licence",
    "LicenceMetric",
    "LicencePosition",
    "LicenceType",
    "MatchKind",
    "Method",
    "NormaliseCsvResult",
    "NormalisedTitle",
    "Normaliser",
    "ProductRef",
    "Purchase",
    "RawTitle",
    "RetiredBy",
    "Retirement",
    "TransferRule",
    "UserRule",
    "evaluate",
    "licence_position",
    "licence_positions",
    "load_catalogue",
    "normalise_csv",
    "plan_purchases",
    "read_labelled_titles",
]
