"""ZIP-based documents (DOCX, XLSX, ODT, ODS) and OLE compound files (legacy Office, encrypted
OOXML).

A ZIP-based document is judged from its central directory (names, declared sizes, flags),
never unpacked whole: too many entries, too much unpacked data or a suspicious compression
ratio is an archive bomb. Only small parts are read (content types, manifest, relationships),
each within its declared size, and the parts that carry scripts are searched in a stream.
Python's ``zipfile`` never returns more than an entry's declared size, so declared sizes bound
what any reader of ours unpacks.
"""

from __future__ import annotations

import re
import shutil
import stat
import struct
import tempfile
import zipfile
import zlib
from typing import IO

from django.utils.translation import gettext as _

from . import refusals
from .types import DOCX, ODS, ODT, XLSX, FileType, UploadProfile

EOCD = b"PK\x05\x06"
ZIP64_LOCATOR = b"PK\x06\x07"
CDF_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
RATIO_LIMIT = 250  # unpacked / packed, for entries of more than RATIO_MIN_SIZE
RATIO_MIN_SIZE = 1024 * 1024
SMALL_PART = 1024 * 1024  # content types, manifest, relationships: read whole up to this size

# Entry names that are programs or scripts, whatever the document around them.
EXECUTABLE_SUFFIXES = (
    ".exe", ".dll", ".scr", ".com", ".bat", ".cmd", ".ps1", ".vbs", ".vbe", ".js", ".jse", ".wsf",
    ".wsh", ".hta", ".msi", ".jar", ".lnk", ".sh", ".elf", ".so", ".dylib", ".class", ".apk",
)  # fmt: skip

OOXML_MAIN = {  # lower case, as compared
    b"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml": DOCX,
    b"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml": XLSX,
}
# Content types (and part names) of VBA projects, Excel 4.0 macro sheets, ActiveX controls.
OOXML_ACTIVE = (b"macroenabled", b"vbaproject", b"vbadata", b"activex", b"macrosheet", b"dialogsheet")
OOXML_ACTIVE_PARTS = re.compile(
    r"(^|/)(vbaproject\.bin|vbadata\.xml)$|(^|/)activex/|^xl/macrosheets/|^xl/dialogsheets/"
    r"|/embeddings/oleobject[^/]*\.bin$"
)
# Relationships that make Office fetch and run something from elsewhere (remote templates carry
# macros; remote OLE objects and frames run code).
EXTERNAL_ACTIVE_RELATIONSHIP = re.compile(
    rb"<Relationship\b(?=[^>]*TargetMode=\"External\")(?=[^>]*Type=\"[^\"]*/"
    rb"(attachedTemplate|oleObject|frame|subDocument)\")[^>]*>",
    re.IGNORECASE,
)
ODF_SCRIPT_MARKERS = (b"vnd.sun.star.script", b"script:event-listener", b"macro:///", b"macro://")
# A document type declaration in an XML part: external entities (XXE) and entity expansion
# ("billion laughs") need one; Office and LibreOffice never write one in a package.
XML_DECLARATIONS = (b"<!doctype", b"<!entity")
XML_PARTS = (".xml", ".rels", ".vml")
# Archives inside a document: an embedded Office package (a chart's workbook) is checked as the
# document is, one level deep; anything deeper, or another kind of archive, is refused.
ARCHIVE_SIGNATURES = (
    b"PK\x03\x04", b"\x1f\x8b", b"7z\xbc\xaf\x27\x1c", b"Rar!", b"BZh", b"\xfd7zXZ", b"MSCF",
)  # fmt: skip
ARCHIVE_SUFFIXES = (".zip", ".gz", ".tgz", ".7z", ".rar", ".bz2", ".xz", ".tar", ".cab", ".arj", ".lzh")
NESTED_SPOOL = 1024 * 1024  # an embedded package is copied to a temporary file past this size
# What reading a part may raise when the directory lies about it (bad CRC, truncated data).
READ_ERRORS = (
    zipfile.BadZipFile,
    zlib.error,
    EOFError,
    OSError,
    ValueError,
    struct.error,
    NotImplementedError,
)


def tail_zip_records(tail: bytes, tail_offset: int, size: int) -> list[tuple[int, int]]:
    """Plausible ZIP end-of-central-directory records in the last bytes of a file, as (offset,
    end offset): a ZIP reader looks for one there, whatever the start of the file says."""
    found = []
    start = tail.find(EOCD)
    while start != -1:
        record = tail[start : start + 22]
        if len(record) == 22:
            disk, cd_disk, _here, entries, cd_size, cd_offset, comment = struct.unpack("<HHHHIIH", record[4:])
            absolute = tail_offset + start
            if (
                disk == 0
                and cd_disk == 0
                and (entries > 0 or comment > 0)
                and cd_size + cd_offset <= absolute
                or disk == 0xFFFF
                or cd_offset == 0xFFFFFFFF
            ):
                found.append((absolute, absolute + 22 + comment))
        start = tail.find(EOCD, start + 1)
    return found


def _read_small(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> bytes:
    if info.file_size > SMALL_PART:
        raise refusals.malformed()
    with archive.open(info) as member:
        return member.read(SMALL_PART + 1)


def _member_contains(archive: zipfile.ZipFile, info: zipfile.ZipInfo, needles: tuple[bytes, ...]) -> bool:
    """Whether an entry's unpacked text holds one of ``needles`` (case-insensitive), streamed."""
    overlap = max(len(n) for n in needles)
    carry = b""
    with archive.open(info) as member:
        while chunk := member.read(256 * 1024):
            window = (carry + chunk).lower()
            if any(n in window for n in needles):
                return True
            carry = window[-overlap:]
    return False


def check_zip(fp: IO[bytes], size: int, profile: UploadProfile, tail: bytes, tail_offset: int) -> FileType:
    """The type of a ZIP-based document, or a refusal: malformed, archive bomb, encrypted,
    polyglot, program inside, macros, or a type not accepted."""
    fp.seek(0)
    try:
        archive = zipfile.ZipFile(fp)  # reads the central directory, unpacks nothing
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError, struct.error):
        raise refusals.malformed() from None
    with archive:
        infos = archive.infolist()
        if not infos:
            raise refusals.malformed()
        _check_structure(infos, size, tail, tail_offset)
        try:
            unpacked = _check_entries(infos, profile)
            file_type = _odf_type(archive, infos) or _ooxml_type(archive, infos)
            if file_type is None or not profile.accepts(file_type):
                raise refusals.type_not_accepted(profile.labels())
            _check_parts(archive, infos, profile, unpacked)
        except READ_ERRORS:  # a part that does not unpack as its directory entry says
            raise refusals.malformed() from None
    return file_type


def _check_structure(infos: list[zipfile.ZipInfo], size: int, tail: bytes, tail_offset: int) -> None:
    names = [info.filename for info in infos]
    if len(set(names)) != len(names):  # two readers may take different entries of one name
        raise refusals.polyglot()
    if min(info.header_offset for info in infos) != 0:  # something before the archive
        raise refusals.polyglot()
    records = tail_zip_records(tail, tail_offset, size)
    if not records or records[-1][1] != size:  # something after the archive
        raise refusals.polyglot()


def _unsafe_name(name: str) -> bool:
    """A part whose name leaves the package when unpacked ("zip slip"): an absolute path, a
    drive letter, a backslash, a ``..`` step, or control characters."""
    steps = name.split("/")
    return (
        name.startswith("/")
        or "\\" in name
        or re.match(r"^[A-Za-z]:", name) is not None
        or ".." in steps
        or any(ord(char) < 32 or ord(char) == 127 for char in name)
    )


def _is_link(info: zipfile.ZipInfo) -> bool:
    """A symbolic link (Unix mode in the high bits of the external attributes)."""
    return info.create_system == 3 and stat.S_ISLNK(info.external_attr >> 16)


def _check_entries(infos: list[zipfile.ZipInfo], profile: UploadProfile, total: int = 0) -> int:
    """Counts, declared sizes, ratios, flags, names and links of a package's entries; returns
    the unpacked total so far (``total`` carries an outer package's into an embedded one)."""
    if len(infos) > profile.max_entries:
        raise refusals.bomb(
            _("The file holds too many parts (at most %(limit)d): it may be an archive bomb.")
            % {"limit": profile.max_entries}
        )
    limit = profile.max_unpacked_bytes()
    for info in infos:
        if _unsafe_name(info.filename) or _is_link(info):
            raise refusals.unsafe_part()
        if info.flag_bits & 0x1:
            raise refusals.encrypted()
        if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            raise refusals.malformed()
        total += info.file_size
        if total > limit:
            raise refusals.bomb(_("The file unpacks to too much data: it may be an archive bomb."))
        if info.file_size > RATIO_MIN_SIZE and info.file_size > RATIO_LIMIT * max(info.compress_size, 1):
            raise refusals.bomb(
                _("A part of the file is compressed suspiciously well: it may be an archive bomb.")
            )
        if info.filename.lower().endswith(EXECUTABLE_SUFFIXES):
            raise refusals.executable()
    return total


def _start(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> bytes:
    with archive.open(info) as member:
        return member.read(8)


def _check_parts(
    archive: zipfile.ZipFile, infos: list[zipfile.ZipInfo], profile: UploadProfile, total: int, depth: int = 0
) -> int:
    """What the directory does not show: XML parts that declare entities, and archives inside the
    document (an embedded Office package is checked as the document is, its unpacked size
    counted with the document's; an archive inside that, or any other archive, is refused)."""
    for info in infos:
        if info.is_dir() or info.file_size == 0:
            continue
        name = info.filename.lower()
        if name.endswith(XML_PARTS) and _member_contains(archive, info, XML_DECLARATIONS):
            raise refusals.xml_declarations()
        start = _start(archive, info)
        if not (name.endswith(ARCHIVE_SUFFIXES) or start.startswith(ARCHIVE_SIGNATURES)):
            continue
        if depth > 0 or not start.startswith(b"PK\x03\x04"):
            raise refusals.bomb(_("The file holds archives inside archives: it may be an archive bomb."))
        total = _check_embedded(archive, info, profile, total)
    return total


def _check_embedded(
    archive: zipfile.ZipFile, info: zipfile.ZipInfo, profile: UploadProfile, total: int
) -> int:
    with tempfile.SpooledTemporaryFile(max_size=NESTED_SPOOL) as copy:
        with archive.open(info) as member:
            shutil.copyfileobj(member, copy, 256 * 1024)
        try:
            inner = zipfile.ZipFile(copy)
        except (zipfile.BadZipFile, zipfile.LargeZipFile, *READ_ERRORS):
            raise refusals.malformed() from None
        with inner:
            inner_infos = inner.infolist()
            total = _check_entries(inner_infos, profile, total)
            if any(
                OOXML_ACTIVE_PARTS.search(part.filename.lower())
                or part.filename.startswith(("Basic/", "Scripts/"))
                for part in inner_infos
            ):
                raise refusals.macros()
            return _check_parts(inner, inner_infos, profile, total, depth=1)


def _odf_type(archive: zipfile.ZipFile, infos: list[zipfile.ZipInfo]) -> FileType | None:
    """OpenDocument: the first entry is ``mimetype``, stored uncompressed, holding the type."""
    first = infos[0]
    if first.filename != "mimetype" or first.compress_type != zipfile.ZIP_STORED or first.file_size > 100:
        return None
    mimetype = _read_small(archive, first).strip()
    file_type = {ODT.content_type.encode(): ODT, ODS.content_type.encode(): ODS}.get(mimetype)
    if file_type is None:
        return None
    by_name = {info.filename: info for info in infos}
    manifest = by_name.get("META-INF/manifest.xml")
    if manifest is not None and b"encryption-data" in _read_small(archive, manifest):
        raise refusals.encrypted()
    if any(info.filename.startswith(("Basic/", "Scripts/")) for info in infos):
        raise refusals.macros()
    for part in ("content.xml", "styles.xml", "settings.xml"):
        if part in by_name and _member_contains(archive, by_name[part], ODF_SCRIPT_MARKERS):
            raise refusals.macros()
    if "content.xml" not in by_name:
        raise refusals.malformed(file_type.label)
    return file_type


def _ooxml_type(archive: zipfile.ZipFile, infos: list[zipfile.ZipInfo]) -> FileType | None:
    by_name = {info.filename: info for info in infos}
    types_part = by_name.get("[Content_Types].xml")
    if types_part is None:
        return None
    content_types = [
        m.lower() for m in re.findall(rb'ContentType="([^"]+)"', _read_small(archive, types_part))
    ]
    if any(marker in ct for ct in content_types for marker in OOXML_ACTIVE):
        raise refusals.macros()
    if any(OOXML_ACTIVE_PARTS.search(name.lower()) for name in by_name):
        raise refusals.macros()
    for name, info in by_name.items():
        if name.endswith(".rels") and EXTERNAL_ACTIVE_RELATIONSHIP.search(_read_small(archive, info)):
            raise refusals.macros()
    mains = {OOXML_MAIN[ct] for ct in content_types if ct in OOXML_MAIN}
    if len(mains) != 1:
        return None
    file_type = mains.pop()
    main_part = "word/document.xml" if file_type is DOCX else "xl/workbook.xml"
    if main_part not in by_name:
        raise refusals.malformed(file_type.label)
    return file_type


# --- OLE compound files ---------------------------------------------------------------------------

_ENCRYPTION_STREAMS = tuple(
    name.encode("utf-16-le") + b"\x00\x00" for name in ("EncryptionInfo", "EncryptedPackage")
)


def check_cdf(fp: IO[bytes], size: int, profile: UploadProfile) -> FileType:
    """An OLE compound file is never accepted: it is a legacy Office document (DOC, XLS, the
    formats that carry VBA macros), an installer, or an encrypted OOXML document (its streams
    ``EncryptionInfo`` and ``EncryptedPackage``), which is refused as encrypted. Directory entries
    are 128 bytes long and sector-aligned, so an entry's name starts at a multiple of 128."""
    fp.seek(0)
    position = 0
    while chunk := fp.read(1024 * 1024):
        for needle in _ENCRYPTION_STREAMS:
            start = chunk.find(needle)
            while start != -1:
                entry = chunk[start : start + 128]
                if (position + start) % 128 == 0 and len(entry) >= 68:
                    name_length, kind = struct.unpack("<HB", entry[64:67])
                    if name_length == len(needle) and kind == 2:  # a stream of that name
                        raise refusals.encrypted()
                start = chunk.find(needle, start + 1)
        position += len(chunk)  # chunks are multiples of 128 bytes: entries never straddle two
    raise refusals.type_not_accepted(profile.labels())
