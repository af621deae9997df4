"""The .docx package: zip parts, relationships and safe XML parsing."""

from __future__ import annotations

import posixpath
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path

from lxml import etree

from ...zipguard import DOCUMENT, ZipRefused, check_zip, parse_xml

REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"
CORE_DC = "{http://purl.org/dc/elements/1.1/}"
class PackageError(Exception):
    """The file is not a readable .docx package (the engine turns this into an EngineError)."""


@dataclass(frozen=True)
class Rel:
    """One relationship: its type (last path segment), target part name and whether it is external."""

    kind: str
    target: str
    external: bool


class Package:
    """A .docx opened as a zip: parts by name, relationships by source part."""

    def __init__(self, path: Path) -> None:
        try:
            check_zip(path, DOCUMENT)  # sizes from the zip directory, before anything is inflated
        except ZipRefused as exc:
            raise PackageError(str(exc)) from exc
        try:
            self._zip = zipfile.ZipFile(path)
            self._names = {info.filename: info for info in self._zip.infolist()}
        except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
            raise PackageError("filen är ingen .docx (inte ett zip-paket)") from exc
        self._rels: dict[str, dict[str, Rel]] = {}
        main = [r for r in self.rels("").values() if r.kind == "officeDocument" and not r.external]
        self.main = main[0].target if main else "word/document.xml"
        if self.main not in self._names:
            raise PackageError("dokumentdelen saknas (word/document.xml)")

    def close(self) -> None:
        """Close the zip file."""
        self._zip.close()

    def has(self, name: str) -> bool:
        """Return True when the package holds part *name*."""
        return name in self._names

    def read(self, name: str) -> bytes:
        """Return the bytes of part *name* (refusing absurd sizes)."""
        info = self._names.get(name)
        if info is None:
            raise PackageError(f"delen {name} saknas")
        try:
            return self._zip.read(info)
        except (zipfile.BadZipFile, OSError, ValueError, EOFError, RuntimeError, NotImplementedError,
                zlib.error) as exc:
            raise PackageError(f"delen {name} går inte att packa upp (filen är trasig)") from exc

    def fingerprint(self, name: str | None) -> tuple[str, int, int] | None:
        """Return (name, CRC-32, size) of part *name* from the zip directory, without reading it."""
        info = self._names.get(name or "")
        return (info.filename, info.CRC, info.file_size) if info is not None else None

    def xml(self, name: str) -> etree._Element:
        """Return the parsed root element of XML part *name*."""
        try:
            return parse_xml(name, self.read(name))
        except ZipRefused as exc:
            raise PackageError(str(exc)) from exc

    def xml_or_none(self, name: str | None) -> etree._Element | None:
        """Return the parsed part *name*, or None when it is absent or unreadable."""
        if not name or name not in self._names:
            return None
        try:
            return self.xml(name)
        except PackageError:
            return None

    def rels(self, source: str) -> dict[str, Rel]:
        """Return the relationships of part *source* ('' for the package) by id."""
        if source in self._rels:
            return self._rels[source]
        folder, base = posixpath.split(source)
        rels_name = posixpath.join(folder, "_rels", base + ".rels")
        out: dict[str, Rel] = {}
        root = self.xml_or_none(rels_name)
        if root is not None:
            for rel in root.iter(REL + "Relationship"):
                rid = rel.get("Id") or ""
                kind = (rel.get("Type") or "").rsplit("/", 1)[-1]
                target = rel.get("Target") or ""
                external = rel.get("TargetMode") == "External"
                if not external:
                    target = target.lstrip("/") if target.startswith("/") else \
                        posixpath.normpath(posixpath.join(folder, target))
                out[rid] = Rel(kind, target, external)
        self._rels[source] = out
        return out

    def related(self, source: str, kind: str) -> str | None:
        """Return the target of the first relationship of *kind* from *source*."""
        for rel in self.rels(source).values():
            if rel.kind == kind and not rel.external:
                return rel.target
        return None

    def core(self) -> tuple[str, str]:
        """Return (title, author) from the core properties, empty when absent."""
        target = self.related("", "core-properties") or "docProps/core.xml"
        root = self.xml_or_none(target)
        if root is None:
            return "", ""
        title = root.findtext(CORE_DC + "title") or ""
        author = root.findtext(CORE_DC + "creator") or ""
        return title.strip(), author.strip()
