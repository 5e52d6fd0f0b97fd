"""Hand-made PDFs for the extraction tests: a password-protected one (standard security
handler, revision 2, RC4 40-bit, the way PDF 1.3 writers protect a file), built byte by byte
so that the test needs no PDF writer with encryption."""

from __future__ import annotations

import hashlib

PAD = bytes.fromhex("28BF4E5E4E758A4164004E56FFFA01082E2E00B6D0683E802F0CA9FE6453697A")


def rc4(key: bytes, data: bytes) -> bytes:
    state = list(range(256))
    j = 0
    for i in range(256):
        j = (j + state[i] + key[i % len(key)]) % 256
        state[i], state[j] = state[j], state[i]
    out = bytearray()
    i = j = 0
    for byte in data:
        i = (i + 1) % 256
        j = (j + state[i]) % 256
        state[i], state[j] = state[j], state[i]
        out.append(byte ^ state[(state[i] + state[j]) % 256])
    return bytes(out)


def _padded(password: bytes) -> bytes:
    return (password + PAD)[:32]


def assemble(objects: list[bytes], trailer: bytes) -> bytes:
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{offset:010d} 00000 n \n".encode() for offset in offsets)
    out += b"trailer\n" + trailer + f"\nstartxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)


def encrypted_pdf(text: str, user_password: bytes = b"secret", owner_password: bytes = b"owner") -> bytes:
    """A one-page PDF showing ``text`` that opens only with ``user_password``."""
    file_id = hashlib.md5(b"ilonet-test", usedforsecurity=False).digest()
    permissions = -44
    owner_key = hashlib.md5(_padded(owner_password), usedforsecurity=False).digest()[:5]
    o_entry = rc4(owner_key, _padded(user_password))
    key = hashlib.md5(
        _padded(user_password) + o_entry + permissions.to_bytes(4, "little", signed=True) + file_id,
        usedforsecurity=False,
    ).digest()[:5]
    u_entry = rc4(key, PAD)
    content = f"BT /F1 12 Tf 72 720 Td ({text}) Tj ET".encode()
    object_key = hashlib.md5(
        key + (4).to_bytes(3, "little") + (0).to_bytes(2, "little"), usedforsecurity=False
    ).digest()[:10]
    stream = rc4(object_key, content)
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R"
        b" /Resources << /Font << /F1 5 0 R >> >> >>",
        f"<< /Length {len(stream)} >>\nstream\n".encode() + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        b"<< /Filter /Standard /V 1 /R 2 /O <"
        + o_entry.hex().encode()
        + b"> /U <"
        + u_entry.hex().encode()
        + f"> /P {permissions} >>".encode(),
    ]
    trailer = (
        b"<< /Size 7 /Root 1 0 R /Encrypt 6 0 R /ID [<"
        + file_id.hex().encode()
        + b"> <"
        + file_id.hex().encode()
        + b">] >>"
    )
    return assemble(objects, trailer)


def image_only_pdf() -> bytes:
    """A page with a small image and no text: what a scanner makes."""
    pixels = b"\x00\xff" * 8
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R"
        b" /Resources << /XObject << /Im1 5 0 R >> >> >>",
        b"<< /Length 31 >>\nstream\nq 200 0 0 200 100 400 cm /Im1 Do Q\nendstream",
        f"<< /Type /XObject /Subtype /Image /Width 4 /Height 4 /ColorSpace /DeviceGray /BitsPerComponent 8"
        f" /Length {len(pixels)} >>\nstream\n".encode()
        + pixels
        + b"\nendstream",
    ]
    return assemble(objects, b"<< /Size 6 /Root 1 0 R >>")


def text_pdf(text: str) -> bytes:
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R"
        b" /Resources << /Font << /F1 5 0 R >> >> >>",
    ]
    content = f"BT /F1 12 Tf 72 720 Td ({text}) Tj ET".encode()
    objects.append(f"<< /Length {len(content)} >>\nstream\n".encode() + content + b"\nendstream")
    objects.append(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>")
    return assemble(objects, b"<< /Size 6 /Root 1 0 R >>")
