"""click's own messages in Swedish: a usage mistake is said in the language of every other message.

click looks its messages up through gettext (`_` and `ngettext` in each of its modules); this
module puts a small Swedish catalogue in their place. A message not in it stays as click wrote it.
"""

from __future__ import annotations

import click.core
import click.decorators
import click.exceptions
import click.formatting
import click.parser
import click.termui
import click.types

SV = {
    "Usage:": "Användning:",
    "Options": "Flaggor",
    "Commands": "Kommandon",
    "Positional arguments": "Argument",
    "Show this message and exit.": "Visa denna hjälp och avsluta.",
    "Show the version and exit.": "Visa versionen och avsluta.",
    "Aborted!": "Avbrutet!",
    "Error: {message}": "fel: {message}",
    "Try '{command} {option}' for help.": "Skriv '{command} {option}' för hjälp.",
    "Missing argument": "Argumentet saknas",
    "Missing option": "Flaggan saknas",
    "Missing parameter": "Värdet saknas",
    "Missing {param_type}": "{param_type} saknas",
    "Missing parameter: {param_name}": "Värdet saknas: {param_name}",
    "Missing command.": "Kommandot saknas.",
    "No such command {name!r}.": "Kommandot {name!r} finns inte.",
    "No such option {name!r}.": "Flaggan {name!r} finns inte.",
    "Option {name!r} does not take a value.": "Flaggan {name!r} tar inget värde.",
    "Argument {name!r} takes {nargs} values.": "Argumentet {name!r} tar {nargs} värden.",
    "Invalid value for {param_hint}: {message}": "Ogiltigt värde för {param_hint}: {message}",
    "Invalid value: {message}": "Ogiltigt värde: {message}",
    "Could not open file {filename!r}: {message}": "Filen {filename!r} kan inte öppnas: {message}",
    "Value must be an iterable.": "Värdet måste vara en lista.",
    "{value!r} is not a valid {number_type}.": "{value!r} är inget giltigt {number_type}.",
    "{value} is not in the range {range}.": "{value} ligger inte inom {range}.",
    "{value!r} is not a valid UUID.": "{value!r} är inget giltigt UUID.",
    "Choose from:\n\t{choices}": "Välj bland:\n\t{choices}",
    "file": "fil",
    "directory": "mapp",
    "path": "sökväg",
    "{name} {filename!r} does not exist.": "{name} {filename!r} finns inte.",
    "{name} {filename!r} is a file.": "{name} {filename!r} är en fil, inte en mapp.",
    "{name} {filename!r} is a directory.": "{name} {filename!r} är en mapp, inte en fil.",
    "{name} {filename!r} is not readable.": "{name} {filename!r} kan inte läsas (behörighet saknas).",
    "{name} {filename!r} is not writable.": "{name} {filename!r} kan inte skrivas (behörighet saknas).",
    "{name} {filename!r} is not executable.": "{name} {filename!r} är inte körbar.",
    "default: {default}": "standard: {default}",
    "unknown error": "okänt fel",
    "integer": "heltal",
    "float": "decimaltal",
}
SV_PLURAL = {
    "Did you mean {possibility}?": ("Menade du {possibility}?", "(Menade du något av: {possibilities}?)"),
    "{value!r} is not {choice}.": ("{value!r} är inte {choice}.", "{value!r} är inte ett av {choices}."),
    "Option {name!r} requires an argument.": ("Flaggan {name!r} kräver ett värde.",
                                              "Flaggan {name!r} kräver {nargs} värden."),
    "Got unexpected extra argument ({args})": ("Oväntat extra argument ({args})", "Oväntade extra argument ({args})"),
    "Takes {nargs} values but 1 was given.": ("Tar {nargs} värden men fick 1.", "Tar {nargs} värden men fick {len}."),
    "{len_type} values are required, but {len_value} was given.": (
        "{len_type} värden krävs, men {len_value} gavs.", "{len_type} värden krävs, men {len_value} gavs."),
    "{value!r} does not match the format {format}.": ("{value!r} har inte formen {format}.",
                                                      "{value!r} har ingen av formerna {formats}."),
}


def gettext(message: str) -> str:
    """Return the Swedish for click's *message*, or *message* itself."""
    return SV.get(message, message)


def ngettext(singular: str, plural: str, n: int) -> str:
    """Return the Swedish singular or plural for click's message pair."""
    pair = SV_PLURAL.get(singular)
    if pair is None:
        return singular if n == 1 else plural
    return pair[0] if n == 1 else pair[1]


def install() -> None:
    """Make click speak Swedish (call before click's parameter types are made: they name themselves)."""
    for module in (click.core, click.decorators, click.exceptions, click.formatting, click.parser, click.termui,
                   click.types):
        if hasattr(module, "_"):
            vars(module)["_"] = gettext
        if hasattr(module, "ngettext"):
            vars(module)["ngettext"] = ngettext
