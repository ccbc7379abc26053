"""Reading tables as people save them: BOM or none, UTF-8 or Windows-1257, CR/LF/CRLF, `,` or `;`."""

from __future__ import annotations

import codecs
import csv
import io
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

#: Whether a repeated header's columns may be told apart by their place (a reader says so
#: for the columns it does not read).
Repeatable = Callable[[str], bool]

#: Cells a spreadsheet would run as a formula start with one of these.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
#: The largest file an import reads (the IMPORT_MAX_UPLOAD_MB setting): 1,000,000 computers
#: take about 115 MB, a whole Latvian county's register far less.
MAX_FILE_BYTES = 512 * 1024 * 1024
#: The most an XLSX workbook may unpack to, and the most one of its parts may expand by:
#: a zip bomb (a small file unpacking to gigabytes) is refused before it is opened.
MAX_XLSX_UNPACKED_BYTES = 512 * 1024 * 1024
MAX_XLSX_RATIO = 200


class TableError(Exception):
    """The file cannot be read as a table at all (the message names the problem)."""


@dataclass
class Table:
    """A header and the data rows of a file, each row with its line number in the file."""

    source: str
    header: list[str]
    rows: Iterator[tuple[int, list[str]]]
    #: Columns without a header whose cells were all empty, ignored (1-based positions).
    ignored_columns: list[int] = field(default_factory=list)
    #: About how many rows the file has (for progress only).
    size_hint: int = 0


def check_size(data: bytes, source: str) -> None:
    """Refuse a file larger than MAX_FILE_BYTES, naming both sizes."""
    if len(data) > MAX_FILE_BYTES:
        raise TableError(f"{source}: the file is {len(data) / 2**20:.1f} MB; an import takes "
                         f"at most {MAX_FILE_BYTES // 2**20} MB (split it)")


def check_xlsx_unpacked(data: bytes, source: str) -> None:
    """Refuse a workbook that would unpack to too much (a zip bomb), before opening it."""
    try:
        members = zipfile.ZipFile(io.BytesIO(data)).infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        return  # not a zip at all: the workbook reader says so
    total = sum(m.file_size for m in members)
    if total > MAX_XLSX_UNPACKED_BYTES:
        raise TableError(f"{source}: the workbook unpacks to {total / 2**20:.0f} MB; at most "
                         f"{MAX_XLSX_UNPACKED_BYTES // 2**20} MB is read (a zip bomb?)")
    for member in members:
        if member.file_size > 1024 * 1024 and \
                member.file_size > MAX_XLSX_RATIO * max(member.compress_size, 1):
            raise TableError(f"{source}: the workbook part {member.filename} expands "
                             f"{member.file_size // max(member.compress_size, 1)} times; at "
                             f"most {MAX_XLSX_RATIO} times is read (a zip bomb?)")


def decode(data: bytes, source: str) -> str:
    """UTF-8 (with or without BOM), else Windows-1257 (Baltic); CR-only lines become LF."""
    if b"\x00" in data[:4096]:
        raise TableError(f"{source}: the file is binary, not text (NUL bytes)")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            text = data.decode("cp1257")
        except UnicodeDecodeError as error:
            before = data[:error.start]
            breaks = before.count(b"\n") or before.count(b"\r")
            raise TableError(
                f"{source}, row {breaks + 1}: byte 0x{data[error.start]:02x} (position "
                f"{error.start + 1}) is neither UTF-8 nor Windows-1257 text"
            ) from None
    if "\x00" in text:
        raise TableError(f"{source}: the file contains NUL characters")
    return text


def sniff_delimiter(first_line: str) -> str:
    """`;` when the header has more semicolons than commas (Latvian Excel), tab likewise, else `,`."""
    counts = {d: first_line.count(d) for d in (",", ";", "\t")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] > 0 else ","


def encoding_of(data: bytes, source: str) -> str:
    """UTF-8 (with or without BOM), else Windows-1257, checked without holding the text:
    a large file is then decoded a piece at a time as it is read."""
    if b"\x00" in data[:4096]:
        raise TableError(f"{source}: the file is binary, not text (NUL bytes)")
    if _is_utf8(data):
        encoding = "utf-8-sig"
    else:
        decode(data, source)  # Windows-1257, or the error naming the row and byte
        encoding = "cp1257"
    if b"\x00" in data:
        raise TableError(f"{source}: the file contains NUL characters")
    return encoding


def _is_utf8(data: bytes, piece: int = 4 * 2**20) -> bool:
    decoder = codecs.getincrementaldecoder("utf-8")()
    view = memoryview(data)
    try:
        for start in range(0, len(data), piece):
            decoder.decode(view[start:start + piece])
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    return True


def read_csv(data: bytes, source: str, repeatable: Repeatable | None = None) -> Table:
    """A CSV file's header and rows, streamed (decoded as read); header problems raise
    TableError."""
    check_size(data, source)
    try:
        encoding = encoding_of(data, source)
    except TableError:
        # Header problems first: they say more about a file than a stray byte does.
        first = data.replace(b"\r\n", b"\n").replace(b"\r", b"\n").split(b"\n", 1)[0]
        header_text = first.decode("utf-8-sig", errors="replace")
        _table(source, next(csv.reader([header_text], delimiter=sniff_delimiter(header_text))),
               iter(()), repeatable)
        raise
    head = data[:_HEAD].decode(encoding, errors="ignore")
    if len(data) > _HEAD and len(head.splitlines()) < 2:
        head = data.decode(encoding)  # a first line longer than the head
    if not head.strip() and (len(data) <= _HEAD or not data.decode(encoding).strip()):
        raise TableError(f"{source}: the file is empty")
    lines = head.splitlines()
    delimiter = sniff_delimiter(lines[0] if lines else "")
    stream = io.TextIOWrapper(io.BytesIO(data), encoding=encoding, newline="")
    reader = csv.reader(stream, delimiter=delimiter)
    try:
        header = next(reader)
    except csv.Error as error:
        raise TableError(f"{source}, row 1: {error}") from None
    table = _table(source, header, _csv_rows(reader, source), repeatable)
    table.size_hint = max(data.count(b"\n"), data.count(b"\r"))
    return table


#: How much of a file is decoded to find its first line (the delimiter).
_HEAD = 64 * 1024


def _csv_rows(reader: Any, source: str) -> Iterator[tuple[int, list[str]]]:
    number = 1
    try:
        for row in reader:
            number += 1
            if row and (row[0].strip() or "".join(row).strip()):
                yield number, row
    except csv.Error as error:
        raise TableError(f"{source}, row {number + 1}: {error}") from None


def cell_text(value: Any) -> str:
    """A spreadsheet cell as the text a CSV would hold."""
    import datetime as dt

    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.datetime):
        if value.time() == dt.time(0):
            return value.date().isoformat()
        return value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def read_xlsx(data: bytes, source: str, repeatable: Repeatable | None = None) -> Table:
    """The first sheet of an XLSX workbook as a table; an unreadable file raises TableError."""
    import openpyxl

    check_size(data, source)
    check_xlsx_unpacked(data, source)
    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        sheet = workbook.worksheets[0]
        rows = sheet.iter_rows(values_only=True)
        header_cells = next(rows, None)
    except (zipfile.BadZipFile, KeyError, ValueError, TypeError, OSError, IndexError,
            AttributeError, EOFError) as error:
        raise TableError(f"{source}: not a readable XLSX workbook ({type(error).__name__})") \
            from None
    except Exception as error:  # openpyxl raises many kinds on a damaged workbook
        raise TableError(f"{source}: not a readable XLSX workbook ({type(error).__name__})") \
            from None
    if header_cells is None:
        raise TableError(f"{source}: the workbook's first sheet is empty")
    header = [cell_text(c) for c in header_cells]

    def body() -> Iterator[tuple[int, list[str]]]:
        number = 1
        try:
            for cells in rows:
                number += 1
                row = [cell_text(c) for c in cells]
                if any(cell.strip() for cell in row):
                    yield number, row
        except Exception as error:  # a damaged sheet part
            raise TableError(f"{source}, row {number}: unreadable ({type(error).__name__})") \
                from None
        finally:
            workbook.close()

    table = _table(source, header, body(), repeatable)
    table.size_hint = sheet.max_row or 0
    return table


def read_table(data: bytes, source: str, repeatable: Repeatable | None = None) -> Table:
    """The file as a table: XLSX by its signature or extension, else CSV. A header that
    `repeatable` accepts may repeat: its later columns are qualified ("Address (2)")."""
    if data[:4] == b"PK\x03\x04" or source.lower().endswith((".xlsx", ".xlsm")):
        return read_xlsx(data, source, repeatable)
    return read_csv(data, source, repeatable)


def _table(source: str, header: list[str], rows: Iterator[tuple[int, list[str]]],
           repeatable: Repeatable | None = None) -> Table:
    header = [h.strip() for h in header]
    while header and header[-1] == "":
        header.pop()
    if not header:
        raise TableError(f"{source}, row 1: the header row is empty")
    seen: dict[str, int] = {}
    duplicates: list[str] = []
    for position, name in enumerate(header, start=1):
        if not name:
            continue
        key = name.casefold()
        if key in seen and repeatable is not None and repeatable(name):
            copies = sum(1 for h in header[:position - 1] if h.casefold() == key) + 1
            header[position - 1] = f"{name} ({copies})"
        elif key in seen:
            duplicates.append(f"{name!r} (columns {seen[key]} and {position})")
        else:
            seen[key] = position
    if duplicates:
        raise TableError(f"{source}, row 1: duplicate column headers: {', '.join(duplicates)}")
    blank = [i for i, name in enumerate(header) if not name]
    if not blank:
        return Table(source, header, rows)
    return Table(source, [h for h in header if h], _drop_blank(source, header, blank, rows),
                 ignored_columns=[i + 1 for i in blank])


def _drop_blank(source: str, header: list[str], blank: list[int],
                rows: Iterator[tuple[int, list[str]]]) -> Iterator[tuple[int, list[str]]]:
    """Rows without the unnamed columns; a value in one of them is an error."""
    for number, row in rows:
        for index in blank:
            if index < len(row) and row[index].strip():
                raise TableError(
                    f"{source}, row {number}, column {index + 1}: a value under a blank "
                    f"header (name the column or empty it)"
                )
        yield number, [cell for i, cell in enumerate(row) if i not in blank]


def neutralise(value: str) -> str:
    """Prefix a cell that a spreadsheet would run as a formula with an apostrophe."""
    if value and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def unneutralise(value: str) -> str:
    """Undo `neutralise`, so that an exported file imports back unchanged."""
    if len(value) > 1 and value[0] == "'" and value[1] in "=+-@\t\r":
        return value[1:]
    return value
