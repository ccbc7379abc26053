"""Text clean-up for raw software titles: broken encodings, Unicode forms, tokens."""

from __future__ import annotations

import re
import unicodedata

# Characters that appear when UTF-8 bytes were decoded as cp1252/latin-1 (Ã, Â, Ä, Å, Ð, Ñ, â€)
# or as cp1251 (Р, С followed by a second byte character). Only titles containing one are
# tried, so clean titles pay nothing.
_LATIN_MOJIBAKE = re.compile("[ÃÂÄÅÐÑâÌÎÏÅË][\x80-\xbf\u0152-\u2122]")
_CYRILLIC_MOJIBAKE = re.compile("[РСТ][\u0402-\u045f\u0490-\u0491\u2018-\u203a\u00a0-\u00bf]")
# Text written in the DOS code page 850 (a Windows console's, as Brazilian and other Western inventory
# scripts export it) and read as cp1252: ç → ‡, ã → Æ, ê → ˆ, é → ‚, ó → ¢, á → NBSP ("Atualiza‡Æo",
# "versÆo", "m¢veis", "gr\xa0ficos"). Only characters that never stand inside a Latin word in cp1252 text
# are taken as the sign; curly quotes, ellipsis, ™ and German umlauts are not.
_CP850_SIGN = re.compile("(?<=[A-Za-z])[‚ƒ„†‡ˆ‰‹Œ˜›œ¡¢£¤¥]|(?<=[a-z])[Æ\xa0](?=[a-z])")
_CP850_WORD = re.compile("[^ ]*(?:[‚ƒ„†‡ˆ‰‹Œ˜›œ¡¢£¤¥Æ\xa0])[^ ]*")

_TRADEMARKS = re.compile(r"\((?:r|tm|c)\)|[®™©]", re.IGNORECASE)
_LOCALE_CODE = re.compile(r"(?<![\w-])[a-z]{2}-[a-z]{2}(?![\w-])")
_NON_TOKEN = re.compile(r"[^\w+#]+")
# A dotted version with a letter after it ("8.0.4c", "1.2.3b"): a release, not a word of the name.
_LETTERED_VERSION = re.compile(r"(?<![\w.])v?\d+(?:\.\d+)+[a-z](?![\w.])")
_VERSION_TOKEN = re.compile(r"^v?\d+(?:[._]\d+)*$|^\d+[._]\w+$|^\d{2}h[12]$")
_KEPT_NUMBERS = frozenset({"365"})
# Tokens that carry no product identity: architecture, packaging and language suffixes,
# and marketing version words (Adobe DC/CC, roman numerals, R2).
_NOISE_TOKENS = frozenset(
    ["x64", "x86", "x86_64", "i686", "amd64", "arm64", "aarch64", "ia64", "bit", "bits", "edition", "editions", "version", "ver", "dc", "cc", "xi", "ix", "viii", "vii", "vi", "x", "r2", "sp1", "sp2", "sp3", "sr1", "sr2", "mui", "english", "latvian", "latviesu", "russian", "deutsch", "german", "francais", "french", "lietuviu", "lithuanian", "eesti", "estonian", "polski", "polish", "espanol", "spanish", "italiano", "русский", "английский", "латышский", "немецкий", "izdevums", "выпуск", "разрядный", "разрядная", "разрядные", "разрядов", "версия", "версии"]
)


def _encode_as_misread(text: str, codec: str) -> bytes | None:
    """Return the bytes a wrong decoding would have produced, or None when impossible."""
    out = bytearray()
    for char in text:
        try:
            out += char.encode(codec)
        except UnicodeEncodeError:
            # Windows tools show undefined cp1252 bytes (0x81, 0x8d, ...) as latin-1.
            if ord(char) < 256:
                out.append(ord(char))
            else:
                return None
    return bytes(out)


def fix_mojibake(text: str) -> str:
    """Undo UTF-8 text that was decoded as cp1252, latin-1 or cp1251 (twice at most), then cp850 read as cp1252."""
    if text.isascii():
        # Most titles: nothing was misread.
        return text
    for _ in range(2):
        if _LATIN_MOJIBAKE.search(text):
            codec = "cp1252"
        elif _CYRILLIC_MOJIBAKE.search(text):
            codec = "cp1251"
        else:
            break
        raw = _encode_as_misread(text, codec)
        if raw is None:
            break
        try:
            repaired = raw.decode("utf-8")
        except UnicodeDecodeError:
            break
        # A genuine repair always shortens the text: multi-byte sequences collapse.
        if len(repaired) >= len(text):
            break
        text = repaired
    return _fix_cp850(text) if _CP850_SIGN.search(text) else text


def _fix_cp850(text: str) -> str:
    """Read the words that carry a code page 850 sign as cp850 ('Atualiza‡Æo' → 'Atualização')."""
    return _CP850_WORD.sub(_cp850_word, text)


def _cp850_word(match: re.Match[str]) -> str:
    word = match.group(0)
    if not _CP850_SIGN.search(word):
        return word
    raw = _encode_as_misread(word, "cp1252")
    return raw.decode("cp850") if raw is not None else word


def clean_title(text: str) -> str:
    """Repair encoding, compose Unicode, drop trademark marks and collapse spaces."""
    # Trademarks go before NFKC, which would turn "™" into the letters "TM".
    text = _TRADEMARKS.sub(" ", fix_mojibake(text))
    text = unicodedata.normalize("NFKC", text)
    return " ".join(text.split())


def fold(text: str) -> str:
    """Lower-case form of a cleaned title used for rule patterns."""
    return text.casefold()


def identity_tokens(folded: str) -> tuple[str, ...]:
    """Tokens that identify a product: no versions, architectures, locales or noise words."""
    folded = _LETTERED_VERSION.sub(" ", _LOCALE_CODE.sub(" ", folded.replace(".net", " net ")))
    tokens = []
    for token in _NON_TOKEN.split(folded):
        if not token or token in _NOISE_TOKENS:
            continue
        if _VERSION_TOKEN.match(token) and token not in _KEPT_NUMBERS:
            continue
        tokens.append(token)
    return tuple(tokens)


_ASCII_FOLD = str.maketrans({"ł": "l", "ø": "o", "đ": "d", "ß": "ss"})


def strip_accents(text: str) -> str:
    """ASCII-ish form used for fuzzy matching, so 'profesionālais' meets 'profesionalais'."""
    decomposed = unicodedata.normalize("NFKD", text.translate(_ASCII_FOLD))
    return "".join(c for c in decomposed if not unicodedata.combining(c))


# A company's legal form at the end of its name, in the forms inventories and the PCI/USB ID lists
# write them ("Inc.", ", Ltd", "GmbH", "S.p.A.", "SIA", "Sp. z o.o.", "and subsidiaries"). One list
# serves the publisher clean-up, the hardware makers' keys built by scripts/build_category_knowledge.py
# and the keys looked up at run time, so a name built into data and a name read from an inventory
# lose the same words.
_LEGAL_FORM = re.compile(
    r"(?:[,.]\s*|\s+|\b)(?:inc|incorporated|incorporation|corp|corporation|co|company|ltd|limited|llc|gmbh|ag|sia|"
    r"as|s\.?a|s\.?r\.?o|spol\. s r\.?o|oy|oyj|ab|bv|b\.v|n\.?v|l\.?l\.?p|l\.?p|plc|pty|s\.?r\.?l|sarl|s\.?p\.?a|sas|"
    r"fz-llc|k\.?k|kg|pte|ltda|kft|zrt|d\.o\.o|sp\. z o\.o|a/s|aps|asa|and subsidiaries|& co)\.?$",
    re.IGNORECASE,
)
_NOT_KEY = re.compile(r"[^0-9a-z]")


def strip_legal_form(name: str) -> str:
    """A company name without its legal forms at the end ('Gigabyte Technology Co., Ltd.' → 'Gigabyte Technology')."""
    text = name.strip(" ,.")
    for _ in range(3):
        shorter = _LEGAL_FORM.sub("", text).strip(" ,.'")
        if shorter == text or not shorter:
            break
        text = shorter
    return text


def vendor_key(name: str) -> str:
    """A vendor name as lists compare it: lower-case letters and digits, no legal form ('Code Sector' → codesector)."""
    return _NOT_KEY.sub("", strip_legal_form(name).casefold())


# A title written with "_" for every space, as some corporate inventories store the uninstall
# list ("Microsoft_Visual_C++_2008_Redistributable_-_x64_9.0.30729.6161"). Linux package names
# and setup identifiers use "_" too, but begin in lower case ("icecap_collection_neutral",
# "vs_FileTracker_Singleton", "sptools_Microsoft…"), glue CamelCase words
# ("DiagnosticsHub_CollectionService") or stand between digits (openSUSE sonames "libgtk-3_0-0").
_PLAIN_WORD_PART = re.compile(r"^[A-Z][a-z]+(?![A-Za-z0-9])")
# openSUSE's soname underscore stands between version numbers and is followed by no dotted version
# ("3_0-0", "1_53_0", "liblua5_2"); "x64_9.0.30729" and "27907_(64_bit)" are a title's spaces.
_SONAME_UNDERSCORE = re.compile(r"(?<=\d)_\d+(?![\d.])")
# Plain capitalised words a title must have to be read as underscored by itself (assumption: one
# could be an identifier's part; two are words of a name).
MIN_PLAIN_WORDS = 2


def _underscored(name: str) -> bool:
    """True when a title could be written with '_' for spaces: no space, no lower-case identifier, no soname."""
    stripped = name.strip()
    return ("_" in stripped and " " not in stripped and not stripped[:1].islower()
            and not _SONAME_UNDERSCORE.search(stripped))


def spaced_underscores(name: str, listing_shows_it: bool = False) -> str:
    """The title with '_' read as spaces when it is written that way ('Google_Chrome'), else the title itself.

    By itself a title needs MIN_PLAIN_WORDS plain capitalised words; in a listing that shows the
    pattern (Normaliser.normalise_listing) none is needed ('7-Zip_16.04_(x64_edition)').
    """
    if not _underscored(name):
        return name
    if not listing_shows_it and sum(1 for part in name.split("_") if _PLAIN_WORD_PART.match(part)) < MIN_PLAIN_WORDS:
        return name
    return " ".join(name.replace("_", " ").split())
