"""The publication copy of the minutes (`kansli publish`): the same document, without personal data.

Personal data is removed from the *model* before anything is rendered (never covered over), each
piece replaced by a visible marker; the user is told what kind was removed and where, never the
value. The copy has no signature fields: where the minutes have their signature block, the copy
has one line. With `--signed FIL.pdf` (the signed minutes, verified first) the line says when and
by whom the minutes were justerade; without it, it names the secretary and the justerare and
claims no date. `--html` writes the same copy as one accessible web page.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from ..documents import Document, Options, Properties
from ..errors import Problem
from .minutes import DOCUMENT as MINUTES
from .minutes import minutes_context
from .model import Minnesanteckningar
from .personal import FieldPath, Finder, Removal, model_texts, name_pattern, redact_model
from .places import official, where
from .rules import minutes_rules
from .signatureline import revise
from .signed import read_justering


def clean(m: Minnesanteckningar) -> tuple[Minnesanteckningar, list[Removal]]:
    """Return *m* without personal data in its texts, and what was removed where.

    The list `personuppgifter` itself stays (it is never shown): the context needs it to clean
    what it adds to the model's texts.
    """
    base = m.model_copy(update={"personuppgifter": [], "schema_": None})
    cleaned, removals = redact_model(base, Finder(m.personuppgifter), lambda path: official(path) is not None)
    assert isinstance(cleaned, Minnesanteckningar)
    return cleaned.model_copy(update={"personuppgifter": m.personuppgifter}), removals


# Where the context holds officials' names in their role (listed names stay there)
_CONTEXT_ROLES = ("sekreterare", "justerare", "justering")


def _context_role(path: FieldPath) -> bool:
    return (len(path) == 1 and path[0] in _CONTEXT_ROLES) or (
        len(path) == 3 and path[0] in ("deltagare", "franvarande") and path[2] == "namn")


def scrub(value: Any, finder: Finder, path: FieldPath = ()) -> tuple[Any, list[Removal]]:
    """Return the context *value* with personal data replaced in every string, and what was found where."""
    if isinstance(value, str):
        text, kinds, _ = finder.redact(value, listed=not _context_role(path))
        return (text, [Removal(path, tuple(kinds))]) if kinds else (value, [])
    found: list[Removal] = []
    if isinstance(value, Mapping):
        out: dict[str, Any] = {}
        for key, item in value.items():
            out[key], more = (item, []) if key == "stil" else scrub(item, finder, (*path, key))
            found += more
        return out, found
    if isinstance(value, list):
        items = []
        for i, item in enumerate(value):
            new, more = scrub(item, finder, (*path, i))
            items.append(new)
            found += more
        return items, found
    return value, []


def context_where(context: Mapping[str, Any], path: FieldPath) -> str:
    """Return 'punkt 3, stycke 2' for a path into the context (what kansli wrote from the data)."""
    if len(path) >= 2 and path[0] == "punkter" and isinstance(path[1], int):
        number = context["punkter"][path[1]].get("nummer", path[1] + 1)
        rest = f", stycke {int(path[3]) + 1}" if len(path) >= 4 and isinstance(path[3], int) else ""
        return f"punkt {number}{rest}"
    return str(path[0]) if path else "dokumentet"


def _described(m: Minnesanteckningar, options: Options,
               finder: Finder) -> tuple[dict[str, str], list[tuple[str, Removal]]]:
    """Return what each followed-up uppdrag was (read from the earlier meeting's file), cleaned, and removals."""
    from .minutes import source_of
    from .tasks import descriptions

    out: dict[str, str] = {}
    removed: list[tuple[str, Removal]] = []
    for ref, text in descriptions(m, source_of(options)).items():
        out[ref], kinds, _ = finder.redact(text)
        if kinds:
            removed.append((f"uppföljning av uppdrag {ref} (beskrivningen ur det mötet)", Removal((), tuple(kinds))))
    return out, removed


def _raw_context(m: Minnesanteckningar,
                 options: Options) -> tuple[dict[str, Any], Finder, list[tuple[str, Removal]]]:
    finder = Finder(m.personuppgifter)
    described, removed = _described(m, options, finder)
    return {**minutes_context(m, described), "justering": justering_line(m, options)}, finder, removed


def _listed_notes(m: Minnesanteckningar) -> list[str]:
    """Return a line for each listed text that is nowhere in the free text, or is also an official's name."""
    texts = model_texts(m.model_copy(update={"personuppgifter": [], "schema_": None}))
    notes = []
    for number, name in enumerate(m.personuppgifter, start=1):
        pattern = name_pattern([name])
        if pattern is None:
            continue
        roles = sorted({role for path, text in texts if (role := official(path)) and pattern.fullmatch(text)})
        if roles:
            notes.append(f"obs: personuppgifter rad {number} är också namnet på {' och '.join(roles)}; "
                         "namnet står kvar i den rollen men tas bort ur den löpande texten")
        elif not any(pattern.search(text) for path, text in texts if official(path) is None):
            notes.append(f"obs: personuppgifter rad {number} finns inte i texten")
    return notes


def removal_notes(m: Minnesanteckningar, removals: Sequence[Removal],
                  added: Sequence[tuple[str, Removal]] = ()) -> list[str]:
    """Return the lines that tell the user what was removed where (never the values).

    *added* is what was removed from the texts the context adds to the model, each with its place.
    """
    removed = [r for r in removals if r.kinds]
    count = sum(len(r.kinds) for r in removed) + sum(len(r.kinds) for _, r in added)
    notes = [f"tog bort {count} personuppgift{'er' if count != 1 else ''} ur kopian för webben:" if count
             else "inga personuppgifter hittades att ta bort"]
    notes += [f"  {where(m, r.path)}: {r.summary()}" for r in removed]
    notes += [f"  {place}: {r.summary()}" for place, r in added]
    notes += [f"kontrollera: {where(m, r.path)}: {r.near_misses} nummer liknar personnummer men kontrollsiffran "
              "stämmer inte; står kvar" for r in removals if r.near_misses]
    return notes + _listed_notes(m)


def _prepare(m: Minnesanteckningar, options: Options) -> tuple[Minnesanteckningar, list[str]]:
    cleaned, removals = clean(m)
    notes = removal_notes(m, removals, context_removals(cleaned, options))
    signed = options.get("signed")
    if signed is None:
        notes.append("ingen signerad PDF angavs (--signed): kopian säger vem som justerar, men inte när")
    else:
        justering = read_justering(Path(signed), _title(m), options.get("trust") or ())
        trust = ("certifikatet är betrott" if justering.trusted else
                 "certifikatet är inte kontrollerat mot någon betrodd utfärdare (ange --trust CA.pem)")
        when = "tiden bevisad av en tidsstämpel" if justering.timestamped else "tiden som signeraren angav den"
        notes.append(f"justeringen läst ur {signed}: signaturerna är hela; {trust}; {when}")
        if m.justerare and justering.signer.casefold() != m.justerare.casefold():
            notes.append(f"obs: justeringen är signerad av {justering.signer}, men justerare i filen är {m.justerare}")
    return cleaned, notes


def _title(m: Minnesanteckningar) -> str:
    if MINUTES.properties is None:  # the minutes always say what they are
        raise TypeError("the minutes have no properties")
    return MINUTES.properties(m, {}).title


def justering_line(m: Minnesanteckningar, options: Options) -> str:
    """Return the line in place of the signatures: who took the minutes, and who justerade and when."""
    parts = [f"Vid anteckningarna: {m.sekreterare}."] if m.sekreterare else []
    signed = options.get("signed")
    if signed is not None:
        parts.append(read_justering(Path(signed), _title(m), options.get("trust") or ()).sentence())
    elif m.justerare:
        parts.append(f"Justerare: {m.justerare}.")
    return " ".join(parts)


def publish_context(m: Minnesanteckningar, options: Options) -> dict[str, Any]:
    """Return the minutes' context for the (already cleaned) *m*, with the justering line.

    What the context adds to the model's texts (an uppdrag followed up, described from the earlier
    meeting's file) is cleaned too, and every string of it is looked through once more.
    """
    context, finder, _ = _raw_context(m, options)
    clean_context, _ = scrub(context, finder)
    assert isinstance(clean_context, dict)
    return clean_context


def context_removals(m: Minnesanteckningar, options: Options) -> list[tuple[str, Removal]]:
    """Return, with its place, each removal from what the context adds to the (cleaned) *m*."""
    context, finder, described = _raw_context(m, options)
    _, found = scrub(context, finder)
    return described + [(f"{context_where(context, r.path)} (text som kansli skrev)", r) for r in found]


def _expected(m: Minnesanteckningar, context: Mapping[str, Any]) -> list[str]:
    # the justering line is put in by _revise, after the template (which has no place for it)
    return MINUTES.expected(m, {k: v for k, v in context.items() if k != "justering"})

def _properties(m: Minnesanteckningar, options: Options) -> Properties:
    made = MINUTES.properties(m, options) if MINUTES.properties is not None else None
    title = made.title if made is not None else _title(m)
    return Properties(title=title, subject="Minnesanteckningar, kopia för webben utan personuppgifter",
                      keywords=m.organ)


def _rules(m: Minnesanteckningar, options: Options) -> list[Problem]:
    return minutes_rules(m)


def _extras(m: Minnesanteckningar, options: Options) -> dict[str, bytes]:
    if not options.get("html"):
        return {}
    from .html import page

    return {".html": page(publish_context(m, options))}


def _stem(source: Path, m: Minnesanteckningar, options: Options) -> str:
    return f"{source.stem}-webb"


DOCUMENT: Document[Minnesanteckningar] = Document(
    template="minnesanteckningar.docx", prepare=_prepare, properties=_properties, context=publish_context,
    rules=_rules, expected=_expected, stem=_stem, extras=_extras, revise=revise)
