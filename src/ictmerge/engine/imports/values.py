"""Cell values as people type them: decimal comma, DD.MM.YYYY or ISO dates, jā/nē."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal, InvalidOperation

_TRUE = frozenset({"1", "true", "yes", "y", "x", "ja", "jā", "t", "on", "+"})
_FALSE = frozenset({"0", "false", "no", "n", "ne", "nē", "f", "off", "-"})
_DOTTED = re.compile(r"^(\d{1,2})\.(\d{1,2})\.(\d{4})\.?$")
_ISO = re.compile(r"^(\d{4})-(\d{2})-(\d{2})(?:[ T][\d:.]+(?:Z|[+-]\d{2}:?\d{2})?)?$")
_SLASHED = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{2}|\d{4})$")


class CellError(ValueError):
    """A cell that cannot be read as its column's type (the message says why)."""


def parse_decimal(text: str) -> Decimal:
    """`1234.5`, `1234,5`, `1 234,50`, `1,234.50`, `€ 12` → Decimal."""
    if text.count(",") == 1 and "." not in text and " " not in text:
        text = text.replace(",", ".")  # the common decimal comma, without the slow path
    try:
        value = Decimal(text)
    except InvalidOperation:
        pass
    else:
        if value.is_finite():
            return value
    cleaned = text.strip().replace("\u00a0", "").replace(" ", "").replace("€", "")
    cleaned = cleaned.replace("EUR", "").replace("$", "")
    if "," in cleaned and "." in cleaned:
        if cleaned.rfind(",") > cleaned.rfind("."):
            cleaned = cleaned.replace(".", "").replace(",", ".")
        else:
            cleaned = cleaned.replace(",", "")
    else:
        cleaned = cleaned.replace(",", ".")
    try:
        value = Decimal(cleaned)
    except InvalidOperation:
        raise CellError(f"{text!r} is not a number") from None
    if not value.is_finite():
        raise CellError(f"{text!r} is not a number")
    return value


def parse_int(text: str) -> int:
    """A whole number; `12,0` and `12.0` are accepted."""
    try:
        number = int(text)
    except ValueError:
        pass
    else:
        if abs(number) > 10**18:
            raise CellError(f"{text!r} is too large")
        return number
    value = parse_decimal(text)
    if value != value.to_integral_value():
        raise CellError(f"{text!r} is not a whole number")
    if abs(value) > 10**18:
        raise CellError(f"{text!r} is too large")
    return int(value)


def parse_date(text: str, us: bool = False) -> dt.date:
    """ISO `2021-07-01`, Latvian `01.07.2021`; `7/1/2021` as day/month unless `us`."""
    value = text.strip()
    try:
        match = _ISO.match(value)
        if match:
            return dt.date(int(match[1]), int(match[2]), int(match[3]))
        match = _DOTTED.match(value)
        if match:
            return dt.date(int(match[3]), int(match[2]), int(match[1]))
        match = _SLASHED.match(value)
        if match:
            first, second, year = int(match[1]), int(match[2]), int(match[3])
            if year < 100:
                year += 2000 if year < 70 else 1900
            month, day = (first, second) if us else (second, first)
            return dt.date(year, month, day)
    except ValueError:
        raise CellError(f"{text!r} is not a real date") from None
    raise CellError(f"{text!r} is not a date (use YYYY-MM-DD or DD.MM.YYYY)")


def parse_bool(text: str) -> bool:
    """yes/no, true/false, 1/0, jā/nē."""
    value = text.strip().casefold()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise CellError(f"{text!r} is not yes or no")
