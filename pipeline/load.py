"""JSON file → model; every failure becomes one InputError naming the file, line or field."""

from __future__ import annotations

import codecs
import difflib
import json
import math
import re
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from .errors import InputError, Problem, os_reason

M = TypeVar("M", bound=BaseModel)

# Field names people write for a field that is called something else: "kommun" is "organisation".
SYNONYMS = {"kommun": "organisation", "närvarande": "deltagare", "titel": "rubrik"}

MAX_BYTES = 10 * 1024 * 1024  # a meeting is kilobytes; anything near this is not a meeting
MAX_CONTAINERS = 50_000  # objects and lists: 2000 agenda items are 8 000; 300 000 took 70 s and 370 MB to check


def read_text(path: Path) -> str:
    """Return the text of *path*, UTF-8 with or without BOM; anything else is refused with advice.

    We refuse rather than guess: a cp1252 file decoded as cp1252 looks right for å ä ö, but a wrong
    guess silently changes names in a record that is signed. Re-saving as UTF-8 is one click.
    """
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        raise InputError("filen finns inte", path=path) from None
    except OSError as exc:
        raise InputError(f"kan inte läsa filen: {os_reason(exc)}", path=path) from exc
    if path.is_dir():
        raise InputError("är en mapp, inte en JSON-fil", path=path)
    if not path.is_file():  # a pipe or a device (/dev/zero) would be read for ever
        raise InputError("är ingen vanlig fil (utan t.ex. en pipe eller en enhet)", path=path)
    if size > MAX_BYTES:
        raise InputError(f"filen är för stor ({size // (1024 * 1024)} MB); största tillåtna är "
                         f"{MAX_BYTES // (1024 * 1024)} MB", path=path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise InputError(f"kan inte läsa filen: {os_reason(exc)}", path=path) from exc
    encoding = _bom_encoding(raw)
    if encoding is not None:
        raise InputError(f"filen är sparad som {encoding}; spara den som UTF-8 (i Anteckningar: Spara som → "
                         "Kodning: UTF-8)", path=path)
    if b"\x00" in raw:
        # No text in UTF-8 holds a NUL byte; UTF-16 without a BOM and binary files (a .docx, a PDF) do.
        raise InputError("är ingen textfil i UTF-8 (den innehåller nollbyte): troligen ett Word-dokument, "
                         "en PDF eller text sparad som UTF-16; ange JSON-filen, sparad som UTF-8", path=path)
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        column = len(raw[raw.rfind(b"\n", 0, exc.start) + 1: exc.start].decode("utf-8", "replace")) + 1
        guess = raw[exc.start: exc.start + 1].decode("cp1252", "replace")
        shown = f", där tecknet är »{guess}«" if guess.isprintable() and guess != "\ufffd" else ""
        raise InputError(
            f"rad {line}, kolumn {column}: filen är inte sparad som UTF-8 (troligen Windows-1252/ANSI{shown}); "
            "spara om den som UTF-8 (i Anteckningar: Spara som → Kodning: UTF-8, i VS Code: Spara med kodning)",
            path=path) from exc


def _bom_encoding(raw: bytes) -> str | None:
    """Return the name of the encoding a byte-order mark or the NUL pattern of *raw* shows, other than UTF-8."""
    if raw.startswith((codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)):  # before UTF-16: FF FE starts both
        return "UTF-32"
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "UTF-16"
    head = raw[:4]
    if len(head) < 4 or head == b"\x00" * 4:
        return None
    if head[1:] == b"\x00\x00\x00" or head[:3] == b"\x00\x00\x00":
        return "UTF-32"  # "{" as four bytes: 7B 00 00 00 or 00 00 00 7B
    if (head[1::2] == b"\x00\x00" and b"\x00" not in head[0::2]) or \
            (head[0::2] == b"\x00\x00" and b"\x00" not in head[1::2]):
        return "UTF-16"  # "{\"" as 7B 00 22 00 or 00 7B 00 22
    return None


class _NotANumber(ValueError):
    """NaN, Infinity or a number too big for a float: Python's json takes them, JSON does not."""


_NOT_A_NUMBER = re.compile(r"-?\b(?:NaN|Infinity)\b|-?\d[\d.]*[eE][+-]?\d{3,}")


def _no_constant(name: str) -> Any:
    raise _NotANumber(f"{name} är inget tal i JSON; skriv ett vanligt tal (eller en text inom citattecken)")


def _finite_float(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise _NotANumber(f"talet {text[:40]} är för stort")
    return value


def _reject_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in pairs:
        if key in out:
            raise ValueError(f"fältet {key!r} står två gånger i samma objekt")
        out[key] = value
    return out


def read_json(path: Path) -> dict[str, Any]:
    """Return the JSON object in *path*; a syntax error names the line and column."""
    text = read_text(path)
    if not text.strip():
        raise InputError("filen är tom; den ska innehålla ett JSON-objekt", path=path)
    containers = text.count("{") + text.count("[")  # an upper bound (braces in texts count too), counted in C
    if containers > MAX_CONTAINERS:
        raise InputError(f"filen har {containers:,} objekt och listor; högst {MAX_CONTAINERS:,} tillåts "
                         "(så stora möten eller planer görs inte)".replace(",", " "), path=path)
    try:
        data = json.loads(text, object_pairs_hook=_reject_duplicates, parse_constant=_no_constant,
                          parse_float=_finite_float)
    except _NotANumber as exc:
        where = _NOT_A_NUMBER.search(text)
        at = f"{_line_col(text, where.start())}: " if where is not None else ""
        raise InputError(f"{at}{exc}", path=path) from None
    except json.JSONDecodeError as exc:
        raise InputError(f"rad {exc.lineno}, kolumn {exc.colno}: JSON-syntaxfel: {_json_msg(exc.msg)}",
                         path=path) from exc
    except ValueError as exc:  # a duplicate key, or an integer too long for Python to convert
        long_number = _LONG_NUMBER.search(text)
        if long_number is None:
            raise InputError(str(exc), path=path) from exc
        raise InputError(f"{_line_col(text, long_number.start())}: talet är för långt "
                         f"({len(long_number[0])} siffror)", path=path) from None
    except RecursionError as exc:
        raise InputError("JSON-strukturen är för djupt nästlad", path=path) from exc
    broken = _half_surrogate(data)
    if broken is not None:
        raise InputError.listing(path, [Problem(
            broken, "ogiltig \\u-sekvens: ett halvt tecken (halva surrogatparet, t.ex. av en emoji); "
                    "skriv tecknet som det är i stället för som \\u-kod")])
    if not isinstance(data, dict):  # every kansli input (minutes, plan) is one object
        raise InputError("filen ska innehålla ett JSON-objekt { … }", path=path)
    return data


# Python refuses to turn integers longer than this into numbers (sys.get_int_max_str_digits).
_LONG_NUMBER = re.compile(r"\d{4301,}")
# A lone surrogate comes only from a \\uD800-style escape in the JSON text; it cannot be saved as
# UTF-8, so every later step (Word, PDF, the messages themselves) would stumble over it.
_SURROGATE = re.compile("[\ud800-\udfff]")


def _line_col(text: str, index: int) -> str:
    line_start = text.rfind("\n", 0, index) + 1
    line = text.count("\n", 0, index) + 1
    return f"rad {line}, kolumn {index - line_start + 1}"


def _half_surrogate(data: Any) -> str | None:
    """Return the field path of the first key or text holding a lone surrogate, or None."""
    stack: list[tuple[str, Any]] = [("", data)]
    while stack:
        where, value = stack.pop()
        if isinstance(value, str):
            if _SURROGATE.search(value):
                return where or "(hela filen)"
        elif isinstance(value, dict):
            for key, sub in reversed(value.items()):
                at = f"{where}.{key}" if where else key
                if _SURROGATE.search(key):
                    return at.encode("utf-8", "backslashreplace").decode("utf-8")
                stack.append((at, sub))
        elif isinstance(value, list):
            stack.extend((f"{where}[{i}]", sub) for i, sub in reversed(list(enumerate(value))))
    return None


_JSON_MSGS = {
    "Expecting ',' delimiter": "kommatecken saknas",
    "Expecting ':' delimiter": "kolon saknas efter fältnamnet",
    "Expecting value": "ett värde saknas (eller ett kommatecken för mycket)",
    "Expecting property name enclosed in double quotes": "fältnamn ska stå inom dubbla citattecken "
                                                         "(eller ett kommatecken för mycket före })",
    "Unterminated string starting at": "en text saknar sitt avslutande citattecken",
    "Invalid control character at": "otillåtet tecken (t.ex. tabb eller radbrytning) inuti en text; "
                                    "skriv \\n för ny rad",
    "Extra data": "något står efter JSON-objektets slut",
    "Invalid \\escape": "ogiltig \\-sekvens i en text",
    "Unexpected UTF-8 BOM": "filen börjar med ett extra osynligt BOM-tecken; spara om den som UTF-8",
}


def _json_msg(msg: str) -> str:
    for english, swedish in _JSON_MSGS.items():
        if msg.startswith(english):
            return swedish
    return msg


def _is_branch(loc: tuple[int | str, ...], i: int) -> bool:
    """Return True when loc[i] names a union branch (ours, not the user's), not a field."""
    part = loc[i]
    if not isinstance(part, str):
        return False
    if part.startswith(("function-", "tagged-union")) or part in ("str", "int", "float") or part[:1].isupper():
        return True
    # A tagged block: the tag follows the list index and repeats as the field name ("beslut", "beslut"),
    # or ends the location for a plain-string paragraph ("stycke").
    after_index = i > 0 and isinstance(loc[i - 1], int)
    following = loc[i + 1] if i + 1 < len(loc) else None
    return after_index and (following == part or (part == "stycke" and following is None))


def _path(loc: tuple[int | str, ...]) -> str:
    out = ""
    for i, part in enumerate(loc):
        if isinstance(part, int):
            out += f"[{part}]"
        elif not _is_branch(loc, i):
            out += ("." if out else "") + _shown_key(part)
    return out or "(hela filen)"


def _shown_key(key: str) -> str:
    """Return *key* safe to print: controls and bidi overrides (terminal tricks) as \\u escapes."""
    return "".join(ch if ch.isprintable() else f"\\u{ord(ch):04x}" for ch in key)


def _fields_at(cls: type[BaseModel], loc: tuple[int | str, ...]) -> list[str]:
    """Return the JSON names of the fields allowed where *loc* points, best effort."""
    names: set[str] = set()
    for model in _all_models(cls):
        keys = {f.alias or n for n, f in model.model_fields.items()}
        if loc and loc[-1] in keys:
            continue
        names |= keys
    return sorted(names)


def _all_models(cls: type[BaseModel], seen: set[type[BaseModel]] | None = None) -> set[type[BaseModel]]:
    seen = seen if seen is not None else set()
    if cls in seen:
        return seen
    seen.add(cls)
    for field in cls.model_fields.values():
        for sub in _walk_types(field.annotation):
            _all_models(sub, seen)
    return seen


def _block_kinds(cls: type[BaseModel]) -> set[str]:
    """Return the keys that say what kind of content an object is (the one field of a block model)."""
    return {next(f.alias or n for n, f in m.model_fields.items())
            for m in _all_models(cls) if len(m.model_fields) == 1}


def _walk_types(tp: Any) -> list[type[BaseModel]]:
    found: list[type[BaseModel]] = []
    if isinstance(tp, type) and issubclass(tp, BaseModel):
        found.append(tp)
    for arg in getattr(tp, "__args__", ()) or ():
        found.extend(_walk_types(arg))
    for meta in getattr(tp, "__metadata__", ()) or ():
        found.extend(_walk_types(meta))
    origin = getattr(tp, "__origin__", None)
    if origin is not None and origin is not tp:
        found.extend(_walk_types(origin))
    return found


def _describe(value: Any) -> str:
    text = json.dumps(value, ensure_ascii=False) if not isinstance(value, BaseModel) else repr(value)
    text = _shown_key(text)
    return text if len(text) <= 60 else text[:57] + "…"


def _message(err: Any, cls: type[BaseModel]) -> str:
    kind = err["type"]
    got = _describe(err.get("input"))
    ctx = err.get("ctx") or {}
    loc = err["loc"]
    if kind == "extra_forbidden":
        name = str(loc[-1])
        kinds = _block_kinds(cls)
        if len(loc) >= 3 and isinstance(loc[-3], int) and loc[-2] in kinds and name in kinds:
            # {"rubrik": "…", "punktlista": […]}: two kinds of content in one object
            return f"{name!r} kan inte stå i samma objekt som {loc[-2]!r}; varje objekt {{ … }} är en sorts " \
                   f"innehåll, så lägg {name!r} i ett eget objekt i listan"
        allowed = _fields_at(cls, loc)
        guess = [SYNONYMS[name]] if SYNONYMS.get(name) in allowed else \
            difflib.get_close_matches(name, allowed, n=1, cutoff=0.6)
        hint = f"; menade du {guess[0]!r}?" if guess else ""
        return f"okänt fält {name!r}{hint}"
    if kind == "missing":
        return "fältet saknas men måste finnas"
    if kind == "union_tag_not_found" or kind == "union_tag_invalid":
        keys = str(ctx.get("discriminator", "")).removesuffix("()")
        if not isinstance(err.get("input"), dict):
            return f"väntade text (ett stycke) eller ett objekt {{ … }}, fick {got}"
        return f"okänd sorts innehåll {got}; ett objekt här ska ha ett av fälten: {keys}"
    if kind in ("date_from_datetime_parsing", "date_parsing", "date_type"):
        return f"väntade ett datum som \"2023-10-27\", fick {got}"
    if kind == "date_from_datetime_inexact" or kind == "date_value_error":
        return f"datumet finns inte: {got}"
    if kind in ("time_parsing", "time_type"):
        return f"väntade en tid som \"08:30\", fick {got}"
    if kind == "text_or_object":
        return f"väntade text eller ett objekt {{\"text\": …}}, fick {got}"
    if kind in ("string_type",):
        return f"väntade text, fick {got}"
    if kind in ("bool_type", "bool_parsing"):
        return f"väntade true eller false, fick {got}"
    if kind in ("int_type", "int_parsing", "int_from_float", "float_type", "float_parsing",
                "decimal_parsing", "decimal_type"):
        return f"väntade ett tal, fick {got}"
    if kind in ("list_type",):
        return f"väntade en lista [ … ], fick {got}"
    if kind in ("model_type", "model_attributes_type", "dict_type"):
        return f"väntade ett objekt {{ … }}, fick {got}"
    if kind == "too_short":
        return "listan är tom men måste ha minst ett element" if isinstance(err.get("input"), list) \
            else f"för kort: {got}"
    if kind == "string_too_short":
        return "får inte vara tom" if err.get("input") == "" else \
            f"för kort (minst {ctx.get('min_length')} tecken), fick {got}"
    if kind == "string_too_long":
        return f"för lång (högst {ctx.get('max_length')} tecken)"
    if kind == "too_long":
        return f"för lång ({ctx.get('actual_length')} element/tecken; högst {ctx.get('max_length')})"
    if kind in ("greater_than", "greater_than_equal"):
        return f"måste vara minst {ctx.get('ge', ctx.get('gt'))}, fick {got}"
    if kind == "literal_error":
        return f"väntade {ctx.get('expected', '')}, fick {got}".replace(" or ", " eller ")
    if kind == "value_error" or kind == "assertion_error":
        return str(ctx.get("error", err["msg"]))
    if kind.startswith("string_pattern"):
        return f"har fel form: {got}"
    return f"{err['msg']} (fick {got})"


def _date_exists(err: Any) -> bool:
    # pydantic says "input is too short"/"month value is outside expected range" for 2023-02-30.
    return err["type"] in ("date_from_datetime_parsing", "date_parsing") and isinstance(err.get("input"), str) \
        and len(err["input"]) == 10 and err["input"][4] == "-" and err["input"][7] == "-"


def _text_branch(part: int | str) -> bool:
    """Return True when *part* of an error location names the text branch of a union."""
    return isinstance(part, str) and (part == "str" or part.startswith("function-after[") and part.endswith(", str]"))


def _one_branch(errors: list[Any]) -> list[Any]:
    """Return *errors* with the noise of a plain union (text or an object, like a list item) removed.

    pydantic reports why the value is not text *and* why it is not an object; the user meant one of
    them. An object with a mistake inside: keep only the mistake. Neither text nor an object: say so once.
    """
    out = []
    for err in errors:
        loc = err["loc"]
        if loc and _text_branch(loc[-1]):
            prefix = loc[:-1]
            others = [e["loc"] for e in errors if e["loc"][: len(prefix)] == prefix and e["loc"] != loc]
            if any(len(other) > len(loc) for other in others):
                continue
            if others:
                err = {**err, "type": "text_or_object"}
        elif loc and any(e["loc"][:-1] == loc[:-1] and _text_branch(e["loc"][-1]) for e in errors) and \
                err["type"] in ("model_type", "model_attributes_type", "dict_type"):
            continue
        out.append(err)
    return out


def problems_of(exc: ValidationError, cls: type[BaseModel]) -> list[Problem]:
    """Return the Swedish problems of a pydantic ValidationError, one per field."""
    errors = exc.errors(include_url=False)
    if any(err["type"] == "recursion_depth_exceeded" for err in errors):
        # pydantic then reports every level of the nesting; one problem at the top of it says it all.
        top = min((_path(err["loc"]) for err in errors), key=len)
        return [Problem(top, "för djupt nästlat (hundratals nivåer av underpunkter); använd högst några nivåer")]
    out: list[Problem] = []
    seen: set[str] = set()
    for err in _one_branch(errors):
        where = _path(err["loc"])
        if _date_exists(err):
            message = f"datumet finns inte: {err['input']}"
        else:
            message = _message(err, cls)
        key = where + message
        if key not in seen:
            seen.add(key)
            out.append(Problem(where, message))
    return out


def load(path: Path, cls: type[M]) -> M:
    """Return *path* parsed and validated as *cls*; raise InputError listing every problem."""
    return validate(read_json(path), cls, path)


def validate(data: Any, cls: type[M], path: Path) -> M:
    """Return *data* validated as *cls*; raise InputError listing every problem."""
    try:
        # the source lets a model find the files it names relative to it (the plan's pictures)
        return cls.model_validate(data, context={"source": path})
    except ValidationError as exc:
        raise InputError.listing(path, problems_of(exc, cls)) from None
    except RecursionError as exc:
        raise InputError("innehållet är för djupt nästlat", path=path) from exc
