"""Precision and recall of the normaliser against a labelled set of raw titles."""

from __future__ import annotations

import csv
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import pairwise
from typing import TextIO

from .catalogue import Category
from .normalise import GENERIC_PRODUCTS, NormalisedTitle, Normaliser, RawTitle

LABELLED_COLUMNS = ("name", "publisher", "version", "expected_vendor", "expected_product", "expected_category")

# Products that differ only by edition and must never be confused with each other.
TRAP_PAIRS: tuple[tuple[tuple[str, str], tuple[str, str]], ...] = (
    (("Microsoft", "Visio Viewer"), ("Microsoft", "Visio Professional")),
    (("Microsoft", "Visio Viewer"), ("Microsoft", "Visio Standard")),
    (("Microsoft", "Visio Standard"), ("Microsoft", "Visio Professional")),
    (("Adobe", "Acrobat Reader"), ("Adobe", "Acrobat Pro")),
    (("Adobe", "Acrobat Reader"), ("Adobe", "Acrobat Standard")),
    (("Adobe", "Acrobat Standard"), ("Adobe", "Acrobat Pro")),
    (("Microsoft", "Office Standard"), ("Microsoft", "Office Professional Plus")),
    (("Microsoft", "Office Professional"), ("Microsoft", "Office Professional Plus")),
    (("Microsoft", "Windows Server Standard"), ("Microsoft", "Windows Server Datacenter")),
    (("Microsoft", "Project Standard"), ("Microsoft", "Project Professional")),
    (("Microsoft", "SQL Server Express"), ("Microsoft", "SQL Server Standard")),
    (("Autodesk", "AutoCAD LT"), ("Autodesk", "AutoCAD")),
    (("Foxit", "PDF Reader"), ("Foxit", "PDF Editor")),
)


@dataclass(frozen=True, slots=True)
class LabelledTitle:
    """A raw title with the answer a steward would give."""

    raw: RawTitle
    vendor: str
    product: str
    category: Category
    origin: str = ""

    @property
    def product_key(self) -> tuple[str, str]:
        """Case-insensitive product identity."""
        return (self.vendor.casefold(), self.product.casefold())


@dataclass(frozen=True, slots=True)
class CategoryScore:
    """Precision and recall of one category."""

    category: Category
    precision: float
    recall: float
    f1: float
    support: int


@dataclass(frozen=True, slots=True)
class Mistake:
    """A row the normaliser got wrong (product or category)."""

    raw: RawTitle
    expected: LabelledTitle
    got: NormalisedTitle


@dataclass(frozen=True, slots=True)
class CalibrationBin:
    """Rows whose confidence falls in [low, high) and how often they are right (vendor, product, category)."""

    low: float
    high: float
    rows: int
    right: int

    @property
    def accuracy(self) -> float:
        """Share of the bin's rows that are right; 0 for an empty bin."""
        return self.right / self.rows if self.rows else 0.0


@dataclass(frozen=True, slots=True)
class OriginScore:
    """Category and product accuracy of the rows of one origin."""

    origin: str
    rows: int
    category_accuracy: float
    product_accuracy: float


CALIBRATION_EDGES = (0.0, 0.5, 0.8, 0.9, 1.01)


@dataclass(frozen=True, slots=True)
class Target:
    """One of issue 17's targets for a set never used for rules, and the figure measured against it."""

    name: str
    value: float
    goal: float
    at_least: bool

    @property
    def met(self) -> bool:
        """Whether the figure reaches the goal (at least, or at most, as the target says)."""
        return self.value >= self.goal if self.at_least else self.value <= self.goal

    def line(self) -> str:
        """The target as one line: figure, goal, met or NOT met."""
        sign = ">=" if self.at_least else "<="
        value = f"{self.value:.0f}" if self.value.is_integer() and self.goal == 0 else f"{self.value:.3f}"
        goal = f"{self.goal:.0f}" if self.goal == 0 else f"{self.goal:.2f}"
        return f"{self.name} {value} (target {sign} {goal}): {'met' if self.met else 'NOT met'}"


@dataclass(frozen=True, slots=True)
class EvaluationReport:
    """Per-category precision/recall, product accuracy, pairwise F1, confusions and calibration."""

    rows: int
    category_accuracy: float
    product_accuracy: float
    pairwise_precision: float
    pairwise_recall: float
    pairwise_f1: float
    per_category: tuple[CategoryScore, ...]
    trap_confusions: tuple[Mistake, ...]
    mistakes: tuple[Mistake, ...]
    # confusion[expected][got]: row counts, over Category order.
    confusion: tuple[tuple[int, ...], ...] = ()
    calibration: tuple[CalibrationBin, ...] = ()
    per_origin: tuple[OriginScore, ...] = ()
    # Share of expected components the normaliser called licensable.
    components_called_licensable: float = 0.0
    empty_vendor: float = 0.0
    generic_products: int = 0
    review_share: float = 0.0

    @property
    def high_confidence_accuracy(self) -> float:
        """Share of rows given confidence >= 0.9 that are right (vendor, product and category)."""
        rows = sum(b.rows for b in self.calibration if b.low >= 0.9)
        return sum(b.right for b in self.calibration if b.low >= 0.9) / rows if rows else 0.0

    def targets(self) -> tuple[Target, ...]:
        """Issue 17's targets (pairwise F1, category accuracy, components called licensable, empty vendor,
        right at confidence >= 0.9), each with the figure of this report; no generic product is a target too."""
        return (
            Target("pairwise F1", self.pairwise_f1, 0.95, at_least=True),
            Target("category accuracy", self.category_accuracy, 0.95, at_least=True),
            Target("components called licensable", self.components_called_licensable, 0.02, at_least=False),
            Target("empty vendor", self.empty_vendor, 0.02, at_least=False),
            Target("confidence >= 0.9 right", self.high_confidence_accuracy, 0.90, at_least=True),
            Target("generic products", float(self.generic_products), 0.0, at_least=False),
        )

    def table(self) -> str:
        """A plain-text table for the CLI and the test output."""
        lines = [f"{'category':<12} {'precision':>9} {'recall':>7} {'f1':>6} {'support':>8}"]
        for score in self.per_category:
            lines.append(
                f"{score.category.value:<12} {score.precision:>9.3f} {score.recall:>7.3f} "
                f"{score.f1:>6.3f} {score.support:>8}"
            )
        lines.append(f"rows {self.rows}; category accuracy {self.category_accuracy:.3f}; product accuracy {self.product_accuracy:.3f}")
        lines.append(
            f"pairwise precision {self.pairwise_precision:.3f}; recall {self.pairwise_recall:.3f}; "
            f"F1 {self.pairwise_f1:.3f}; trap confusions {len(self.trap_confusions)}"
        )
        lines.append(
            f"components called licensable {self.components_called_licensable:.3f}; empty vendor "
            f"{self.empty_vendor:.3f}; generic products {self.generic_products}; to review {self.review_share:.3f}"
        )
        if self.confusion:
            lines.append("confusion (rows: expected, columns: got)")
            lines.append(f"{'':<12} " + " ".join(f"{c.value:>10}" for c in Category))
            for category, counts in zip(Category, self.confusion, strict=True):
                lines.append(f"{category.value:<12} " + " ".join(f"{n:>10}" for n in counts))
        if self.calibration:
            lines.append("confidence calibration (right = vendor, product and category)")
            for b in self.calibration:
                lines.append(f"  [{b.low:.2f}, {min(b.high, 1.0):.2f}{']' if b.high > 1 else ')'} rows {b.rows:>5}; right {b.accuracy:.3f}")
            lines.append(f"  confidence >= 0.90 right {self.high_confidence_accuracy:.3f}")
        lines.append("issue 17 targets")
        lines.extend(f"  {target.line()}" for target in self.targets())
        for origin in self.per_origin:
            lines.append(f"origin {origin.origin}: rows {origin.rows}; category accuracy {origin.category_accuracy:.3f}; "
                         f"product accuracy {origin.product_accuracy:.3f}")
        return "\n".join(lines)

    def as_json(self) -> dict[str, object]:
        """The report as plain JSON values, for the CLI."""
        return {
            "rows": self.rows, "category_accuracy": self.category_accuracy,
            "product_accuracy": self.product_accuracy, "pairwise_precision": self.pairwise_precision,
            "pairwise_recall": self.pairwise_recall, "pairwise_f1": self.pairwise_f1,
            "per_category": {s.category.value: {"precision": s.precision, "recall": s.recall, "f1": s.f1,
                                                "support": s.support} for s in self.per_category},
            "trap_confusions": len(self.trap_confusions),
            "confusion": {e.value: {g.value: n for g, n in zip(Category, counts, strict=True)}
                          for e, counts in zip(Category, self.confusion, strict=True)},
            "calibration": [{"low": b.low, "high": min(b.high, 1.0), "rows": b.rows, "right": b.right,
                             "accuracy": b.accuracy} for b in self.calibration],
            "high_confidence_accuracy": self.high_confidence_accuracy,
            "components_called_licensable": self.components_called_licensable,
            "empty_vendor": self.empty_vendor, "generic_products": self.generic_products,
            "review_share": self.review_share,
            "targets": {t.name: {"value": t.value, "goal": t.goal, "at_least": t.at_least, "met": t.met}
                        for t in self.targets()},
            "per_origin": {o.origin: {"rows": o.rows, "category_accuracy": o.category_accuracy,
                                      "product_accuracy": o.product_accuracy} for o in self.per_origin},
        }


def read_labelled_titles(stream: TextIO) -> list[LabelledTitle]:
    """Read a labelled CSV (columns LABELLED_COLUMNS); raises ValueError naming row and field."""
    reader = csv.DictReader(stream)
    missing = [c for c in LABELLED_COLUMNS if c not in (reader.fieldnames or ())]
    if missing:
        raise ValueError(f"header: missing column(s) {', '.join(missing)}")
    rows: list[LabelledTitle] = []
    errors: list[str] = []
    for number, row in enumerate(reader, start=2):
        category = (row["expected_category"] or "").strip()
        if category not in {c.value for c in Category}:
            errors.append(f"row {number}, expected_category: {category!r} is not one of licensable, free, component")
            continue
        rows.append(
            LabelledTitle(
                raw=RawTitle(row["name"] or "", row["publisher"] or "", row["version"] or ""),
                vendor=row["expected_vendor"] or "",
                product=row["expected_product"] or "",
                category=Category(category),
                origin=(row.get("origin") or "").strip(),
            )
        )
    if errors:
        raise ValueError("\n".join(errors))
    return rows


def _pairs(count: int) -> int:
    return count * (count - 1) // 2


def pairwise_scores(expected: Sequence[tuple[str, str]], got: Sequence[tuple[str, str]]) -> tuple[float, float, float]:
    """Pairwise precision, recall and F1: two rows share a product exactly when labels say so."""
    together_both = sum(_pairs(n) for n in Counter(zip(expected, got, strict=True)).values())
    together_expected = sum(_pairs(n) for n in Counter(expected).values())
    together_got = sum(_pairs(n) for n in Counter(got).values())
    precision = together_both / together_got if together_got else 1.0
    recall = together_both / together_expected if together_expected else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def _category_scores(labelled: Sequence[LabelledTitle], results: Sequence[NormalisedTitle]) -> tuple[CategoryScore, ...]:
    scores = []
    for category in Category:
        predicted = sum(1 for r in results if r.category is category)
        actual = sum(1 for row in labelled if row.category is category)
        hits = sum(1 for row, r in zip(labelled, results, strict=True) if row.category is category and r.category is category)
        precision = hits / predicted if predicted else 1.0
        recall = hits / actual if actual else 1.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        scores.append(CategoryScore(category, precision, recall, f1, actual))
    return tuple(scores)


def _trap_confusions(labelled: Sequence[LabelledTitle], results: Sequence[NormalisedTitle]) -> tuple[Mistake, ...]:
    traps: set[tuple[tuple[str, str], tuple[str, str]]] = set()
    for first, second in TRAP_PAIRS:
        a = (first[0].casefold(), first[1].casefold())
        b = (second[0].casefold(), second[1].casefold())
        traps.update({(a, b), (b, a)})
    return tuple(
        Mistake(row.raw, row, r)
        for row, r in zip(labelled, results, strict=True)
        if (row.product_key, r.product_key) in traps
    )


def _calibration(results: Sequence[NormalisedTitle], right: Sequence[bool]) -> tuple[CalibrationBin, ...]:
    bins = []
    for low, high in pairwise(CALIBRATION_EDGES):
        inside = [ok for r, ok in zip(results, right, strict=True) if low <= r.confidence < high]
        bins.append(CalibrationBin(low, high, len(inside), sum(inside)))
    return tuple(bins)


def _per_origin(labelled: Sequence[LabelledTitle], results: Sequence[NormalisedTitle]) -> tuple[OriginScore, ...]:
    origins = sorted({row.origin for row in labelled if row.origin})
    scores = []
    for origin in origins:
        pairs = [(row, r) for row, r in zip(labelled, results, strict=True) if row.origin == origin]
        scores.append(OriginScore(
            origin, len(pairs),
            sum(1 for row, r in pairs if row.category is r.category) / len(pairs),
            sum(1 for row, r in pairs if row.product_key == r.product_key) / len(pairs),
        ))
    return tuple(scores)


def _normalise_by_listing(normaliser: Normaliser, labelled: Sequence[LabelledTitle]) -> list[NormalisedTitle]:
    """Normalise each origin's rows as one listing (one machine's inventory, as the CLI reads one file)."""
    listings: dict[str, list[int]] = {}
    for index, row in enumerate(labelled):
        listings.setdefault(row.origin, []).append(index)
    results: list[NormalisedTitle | None] = [None] * len(labelled)
    for indexes in listings.values():
        for index, result in zip(indexes, normaliser.normalise_listing([labelled[i].raw for i in indexes]), strict=True):
            results[index] = result
    return [result for result in results if result is not None]


def evaluate(normaliser: Normaliser, labelled_rows: Iterable[LabelledTitle]) -> EvaluationReport:
    """Run the normaliser over labelled rows and score it."""
    labelled = list(labelled_rows)
    results = _normalise_by_listing(normaliser, labelled)
    expected_keys = [row.product_key for row in labelled]
    got_keys = [r.product_key for r in results]
    precision, recall, f1 = pairwise_scores(expected_keys, got_keys)
    total = len(labelled) or 1
    mistakes = tuple(
        Mistake(row.raw, row, r)
        for row, r in zip(labelled, results, strict=True)
        if row.product_key != r.product_key or row.category is not r.category
    )
    right = [row.product_key == r.product_key and row.category is r.category for row, r in zip(labelled, results, strict=True)]
    components = [r for row, r in zip(labelled, results, strict=True) if row.category is Category.COMPONENT]
    return EvaluationReport(
        confusion=tuple(
            tuple(sum(1 for row, r in zip(labelled, results, strict=True) if row.category is e and r.category is g)
                  for g in Category)
            for e in Category
        ),
        calibration=_calibration(results, right),
        per_origin=_per_origin(labelled, results),
        components_called_licensable=(
            sum(1 for r in components if r.category is Category.LICENSABLE) / len(components) if components else 0.0),
        empty_vendor=sum(1 for r in results if not r.vendor.strip()) / total,
        generic_products=sum(1 for r in results if r.product.casefold() in GENERIC_PRODUCTS),
        review_share=sum(1 for r in results if r.needs_review) / total,
        rows=len(labelled),
        category_accuracy=sum(1 for row, r in zip(labelled, results, strict=True) if row.category is r.category) / total,
        product_accuracy=sum(1 for e, g in zip(expected_keys, got_keys, strict=True) if e == g) / total,
        pairwise_precision=precision,
        pairwise_recall=recall,
        pairwise_f1=f1,
        per_category=_category_scores(labelled, results),
        trap_confusions=_trap_confusions(labelled, results),
        mistakes=mistakes,
    )
