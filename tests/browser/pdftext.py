"""The text of a PDF that WeasyPrint wrote, for tests that check what a downloaded PDF says.

The project has no PDF reading library, and needs only this: the objects of the file (object
streams included), Flate-compressed streams, fonts with a ToUnicode map (WeasyPrint's
Identity-H fonts: two bytes per glyph), and text shown with ``Tj`` and ``TJ`` in hexadecimal
strings. Anything else in a text operator fails loudly rather than reading wrong.
"""

from __future__ import annotations

import re
import zlib

_OBJECT = re.compile(rb"(\d+) 0 obj\b")
_STREAM = re.compile(rb">>\s*stream(\r\n|\n|\r)")
_LENGTH = re.compile(rb"/Length (\d+)")
_FONT_RESOURCES = re.compile(rb"/Font\s*(?:<<(.*?)>>|(\d+) 0 R)", re.S)
_RESOURCE = re.compile(rb"/([^\s/<>\[\]()]+)\s*(\d+) 0 R")
_RANGE = re.compile(rb"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*(<[0-9A-Fa-f]+>|\[[^\]]*\])")
_TO_UNICODE = re.compile(rb"/ToUnicode (\d+) 0 R")
_OPERATOR = re.compile(
    rb"/([^\s/<>\[\]()]+)\s+[\d.]+\s+Tf"  # choose a font
    rb"|\[((?:[^\]\\]|\\.)*)\]\s*TJ"  # show glyphs, with kerning
    rb"|<([0-9A-Fa-f\s]*)>\s*Tj"  # show glyphs
    rb"|\((?:[^)\\]|\\.)*\)\s*(?:Tj|'|\")"  # a literal string: not what WeasyPrint writes
    rb"|\b(?:Tm|Td|TD|T\*)\b"  # move to a new position
)


def pdf_text(pdf: bytes) -> str:
    """The text shown on the pages, one line per text position."""
    if not pdf.startswith(b"%PDF-"):
        raise ValueError("not a PDF")
    objects, streams = _objects(pdf)
    fonts = _fonts(objects, streams)
    lines: list[str] = []
    for data in streams.values():
        if b"BT" in data and b"Tf" in data:
            lines.extend(_show(data, fonts))
    return "\n".join(line for line in lines if line.strip())


def _objects(pdf: bytes) -> tuple[dict[int, bytes], dict[int, bytes]]:
    """Every object's dictionary (or value) and every stream's decoded bytes, by number."""
    objects: dict[int, bytes] = {}
    streams: dict[int, bytes] = {}
    position = 0
    while match := _OBJECT.search(pdf, position):
        number, start = int(match[1]), match.end()
        end = pdf.find(b"endobj", start)
        stream = _STREAM.search(pdf, start, end)
        if stream is None:
            objects[number] = pdf[start:end]
            position = end
            continue
        head, data_at = pdf[start : stream.start() + 2], stream.end()
        length = int(_LENGTH.search(head)[1])  # type: ignore[index]
        data = pdf[data_at : data_at + length]
        objects[number] = head
        streams[number] = zlib.decompress(data) if b"/FlateDecode" in head else data
        position = pdf.find(b"endobj", data_at + length)
    for number, head in list(objects.items()):
        if b"/ObjStm" in head:
            objects.update(_object_stream(head, streams[number]))
    return objects, streams


def _object_stream(head: bytes, data: bytes) -> dict[int, bytes]:
    count = int(re.search(rb"/N (\d+)", head)[1])  # type: ignore[index]
    first = int(re.search(rb"/First (\d+)", head)[1])  # type: ignore[index]
    numbers = [int(n) for n in data[:first].split()]
    pairs = list(zip(numbers[0 : 2 * count : 2], numbers[1 : 2 * count : 2], strict=True))
    found = {}
    for index, (number, offset) in enumerate(pairs):
        end = pairs[index + 1][1] if index + 1 < len(pairs) else len(data) - first
        found[number] = data[first + offset : first + end]
    return found


def _fonts(objects: dict[int, bytes], streams: dict[int, bytes]) -> dict[bytes, dict[int, str]]:
    """Each font resource name with its glyph-to-text map (from its ToUnicode CMap)."""
    fonts: dict[bytes, dict[int, str]] = {}
    for body in objects.values():
        for inline, reference in _FONT_RESOURCES.findall(body):
            resources = objects.get(int(reference), b"") if reference else inline
            for name, number in _RESOURCE.findall(resources):
                to_unicode = _TO_UNICODE.search(objects.get(int(number), b""))
                if to_unicode is None:
                    raise ValueError(f"font {name!r} has no ToUnicode map")
                cmap = _cmap(streams[int(to_unicode[1])])
                if fonts.setdefault(name, cmap) != cmap:
                    raise ValueError(f"two fonts are named {name!r}")
    return fonts


def _utf16(hex_text: bytes) -> str:
    return bytes.fromhex(hex_text.decode()).decode("utf-16-be")


def _cmap(data: bytes) -> dict[int, str]:
    cmap: dict[int, str] = {}
    for block in re.findall(rb"beginbfchar(.*?)endbfchar", data, re.S):
        for code, text in re.findall(rb"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>", block):
            cmap[int(code, 16)] = _utf16(text)
    for block in re.findall(rb"beginbfrange(.*?)endbfrange", data, re.S):
        for low, high, target in _RANGE.findall(block):
            codes = range(int(low, 16), int(high, 16) + 1)
            if target.startswith(b"["):
                for code, text in zip(codes, re.findall(rb"<([0-9A-Fa-f]+)>", target), strict=False):
                    cmap[code] = _utf16(text)
            else:
                first = _utf16(target[1:-1])
                for step, code in enumerate(codes):
                    cmap[code] = first[:-1] + chr(ord(first[-1]) + step)
    return cmap


def _show(content: bytes, fonts: dict[bytes, dict[int, str]]) -> list[str]:
    lines: list[str] = [""]
    font: dict[int, str] | None = None
    for match in _OPERATOR.finditer(content):
        chosen, array, single = match[1], match[2], match[3]
        if chosen is not None:
            if chosen not in fonts:
                raise ValueError(f"unknown font {chosen!r}")
            font = fonts[chosen]
        elif array is not None or single is not None:
            if font is None:
                raise ValueError("text shown before a font was chosen")
            if array is not None and re.search(rb"\((?:[^)\\]|\\.)*\)", array):
                raise ValueError("literal strings in TJ are not supported")
            strings = re.findall(rb"<([0-9A-Fa-f\s]*)>", array) if array is not None else [single]
            for hex_text in strings:
                digits = re.sub(rb"\s", b"", hex_text).decode()
                codes = (int(digits[i : i + 4], 16) for i in range(0, len(digits), 4))
                lines[-1] += "".join(font.get(code, "\ufffd") for code in codes)
        elif match[0].startswith(b"("):
            raise ValueError("literal strings in Tj are not supported")
        else:
            lines.append("")
    return lines


def contains(text: str, wanted: str) -> bool:
    """Whether ``wanted`` appears in ``text``, line breaks and runs of spaces being equal."""
    return " ".join(wanted.split()) in " ".join(text.split())
