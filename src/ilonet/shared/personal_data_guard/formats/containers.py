"""Zip containers (DOCX, XLSX, ODT): opened with bounds (members, unpacked size), their XML parsed
without entities or network, their relationships and document properties read."""

from __future__ import annotations

import html
import io
import posixpath
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from ilonet.shared.personal_data_guard.errors import (
    CorruptDocument,
    EncryptedDocument,
    LimitExceeded,
    UnsupportedType,
)
from ilonet.shared.personal_data_guard.extract import Budget, TextChunk
from ilonet.shared.personal_data_guard.location import Location

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ENCRYPTED_PACKAGE = "EncryptedPackage".encode("utf-16-le")
REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"


def open_zip(data: bytes, budget: Budget) -> zipfile.ZipFile:
    """The container, after checking it is one, is not encrypted and unpacks within the limits.
    An Office file protected by a password is not a zip but an OLE file holding an
    ``EncryptedPackage`` stream."""
    if data.startswith(OLE_MAGIC):
        if ENCRYPTED_PACKAGE in data:
            raise EncryptedDocument("OLE EncryptedPackage")
        raise UnsupportedType("legacy binary Office format")
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, EOFError) as error:
        raise CorruptDocument(type(error).__name__) from error
    if len(members) > budget.limits.max_zip_members:
        raise LimitExceeded("zip members")
    if sum(member.file_size for member in members) > budget.limits.max_unpacked_bytes:
        raise LimitExceeded("unpacked size")
    if any(member.flag_bits & 0x1 for member in members):
        raise EncryptedDocument("zip encryption")
    return archive


def read_member(archive: zipfile.ZipFile, name: str) -> bytes | None:
    try:
        return archive.read(name)
    except KeyError:
        return None


def parse_xml(data: bytes) -> Any:
    """An lxml tree of ``data``; no entity expansion, no network, no huge trees."""
    from lxml import etree

    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False, recover=False)
    return etree.fromstring(data, parser=parser)


@dataclass(frozen=True)
class Relationship:
    id: str
    type: str  # the last segment of the relationship type, e.g. "comments", "hyperlink"
    target: str  # a member name inside the zip, or a URL when ``external``
    external: bool


def rels_name(part: str) -> str:
    folder, name = posixpath.split(part)
    return posixpath.join(folder, "_rels", name + ".rels")


def relationships(archive: zipfile.ZipFile, part: str) -> list[Relationship]:
    """The relationships of a part (``xl/worksheets/sheet1.xml``), targets resolved."""
    data = read_member(archive, rels_name(part))
    if data is None:
        return []
    out = []
    folder = posixpath.dirname(part)
    for rel in parse_xml(data).iter(f"{{{REL_NS}}}Relationship"):
        target = rel.get("Target") or ""
        external = rel.get("TargetMode") == "External"
        if not external:
            target = (
                target.lstrip("/")
                if target.startswith("/")
                else posixpath.normpath(posixpath.join(folder, target))
            )
        out.append(
            Relationship(rel.get("Id") or "", (rel.get("Type") or "").rsplit("/", 1)[-1], target, external)
        )
    return out


def external_links(archive: zipfile.ZipFile, budget: Budget) -> Iterator[TextChunk]:
    """Every external relationship target of every part (hyperlinks behind anchor text,
    linked images and files): a link to a profile may hide behind the words "see here"."""
    number = 0
    for name in archive.namelist():
        if not name.endswith(".rels"):
            continue
        budget.check_time()
        for rel in parse_xml(archive.read(name)).iter(f"{{{REL_NS}}}Relationship"):
            if rel.get("TargetMode") == "External" and rel.get("Target"):
                number += 1
                yield TextChunk(Location(part="link", number=number), rel.get("Target"))


PROPERTY_PARTS = ("docProps/core.xml", "docProps/app.xml", "docProps/custom.xml")


def core_properties(archive: zipfile.ZipFile) -> Iterator[TextChunk]:
    """The document properties of an OOXML file: the core ones (title, subject, author, last
    author, keywords, description), the extended ones (company, manager, hyperlink base, the
    titles of parts) and every custom property (its name and value)."""
    for name in PROPERTY_PARTS:
        data = read_member(archive, name)
        if data is None:
            continue
        texts = []
        for element in parse_xml(data).iter():
            if not isinstance(element.tag, str):
                continue
            texts.append((element.text or "").strip())
            texts.append((element.get("name") or "").strip())  # a custom property's name
        text = "\n".join(t for t in texts if t and not _is_timestamp(t))
        if text:
            yield TextChunk(Location(part="properties"), text)


def custom_xml(archive: zipfile.ZipFile, budget: Budget) -> Iterator[TextChunk]:
    """Custom XML data parts (``customXml/item1.xml``: data bound to content controls, kept in
    the file whether or not a control shows it), their text and attribute values."""
    number = 0
    for name in archive.namelist():
        if not name.startswith("customXml/item") or "Props" in name or not name.endswith(".xml"):
            continue
        budget.check_time()
        number += 1
        root = parse_xml(archive.read(name))
        texts = []
        for element in root.iter():
            if not isinstance(element.tag, str):
                continue
            texts.append((element.text or "").strip())
            texts.extend(str(value).strip() for value in element.attrib.values())
        text = "\n".join(t for t in texts if t)
        if text:
            yield TextChunk(Location(part="custom_xml", number=number), text)


# Elements whose attributes hold text a reader can reveal: the alternative text and title of a
# drawing or picture (``wp:docPr``, ``pic:cNvPr``, ``xdr:cNvPr``) and the tooltip of a link.
ALT_ELEMENT = re.compile(rb"<(?:[\w.-]+:)?(?:docPr|cNvPr|hyperlink|hlinkClick|hlinkHover)\b[^>]*>")
ALT_ATTRIBUTE = re.compile(rb"""\s(?:[\w.-]+:)?(?:descr|title|tooltip)\s*=\s*(?:"([^"]*)"|'([^']*)')""")


def alt_texts(archive: zipfile.ZipFile, budget: Budget, prefixes: tuple[str, ...]) -> Iterator[TextChunk]:
    """Alternative texts, titles and tooltips of the XML parts under ``prefixes``."""
    number = 0
    for name in archive.namelist():
        if not name.startswith(prefixes) or not name.endswith(".xml"):
            continue
        budget.check_time()
        data = archive.read(name)
        if b"descr" not in data and b"title" not in data and b"tooltip" not in data:
            continue
        texts = []
        for element in ALT_ELEMENT.finditer(data):
            for attribute in ALT_ATTRIBUTE.finditer(element.group(0)):
                value = html.unescape(
                    (attribute.group(1) or attribute.group(2) or b"").decode("utf-8", "replace")
                )
                if value.strip():
                    texts.append(value.strip())
        if texts:
            number += 1
            yield TextChunk(Location(part="alt_text", number=number), "\n".join(texts))


def _is_timestamp(text: str) -> bool:
    return len(text) >= 10 and text[:4].isdigit() and text[4] == "-" and "T" in text


def all_text(element: Any) -> str:
    return "".join(element.itertext())
