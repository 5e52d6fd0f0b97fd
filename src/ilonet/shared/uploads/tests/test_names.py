"""The uploaded name is only shown: a name with a path, a control character or a text-direction
override is refused by the pipeline, and Django's parser already strips them from HTTP uploads."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.files.uploadhandler import MemoryFileUploadHandler
from django.http.multipartparser import MultiPartParser
from django.utils import translation

from ilonet.shared.uploads import EXCHANGE, UploadRefused, inspect_upload
from ilonet.shared.uploads import testing as make


@pytest.mark.parametrize(
    "name",
    [
        "../../etc/passwd.pdf",
        "..\\..\\boot.ini.pdf",
        "report\x00.pdf",
        "invoice\u202egpj.exe.pdf",
        "a\u2066b.pdf",
        "..",
    ],
    ids=["dotdot", "backslash", "nul", "rlo", "isolate", "only-dots"],
)
def test_names_with_paths_controls_or_direction_overrides_are_refused(name):
    with pytest.raises(UploadRefused) as caught:
        inspect_upload(SimpleUploadedFile("x.pdf", make.pdf_bytes()), profile=EXCHANGE, name=name)
    assert (caught.value.code, caught.value.status) == ("file_name", 422)


def test_a_plain_name_is_kept_for_display_and_cleaned():
    upload = SimpleUploadedFile("x.pdf", make.pdf_bytes())
    inspected = inspect_upload(upload, profile=EXCHANGE, name='Re\u0301union: 3-4 "final".pdf')
    assert inspected.name == "R\u00e9union_ 3-4 _final_.pdf"  # NFC, no quotes or colons


def test_the_refusal_is_translated():
    with translation.override("nl"), pytest.raises(UploadRefused) as caught:
        inspect_upload(SimpleUploadedFile("x.pdf", make.pdf_bytes()), profile=EXCHANGE, name="a\u202eb.pdf")
    assert "bestandsnaam" in caught.value.message


def test_names_sent_over_http_lose_their_path_and_unprintable_characters():
    """What reaches the pipeline from a browser: Django's multipart parser keeps the last path
    component and drops unprintable characters (NUL, U+202E)."""
    boundary = "b0undary"
    body = (
        (
            f"--{boundary}\r\n"
            'Content-Disposition: form-data; name="file"; filename="../../x\u202e\x00fdp.pdf"\r\n'
            f"Content-Type: application/pdf\r\n\r\n"
        ).encode()
        + make.pdf_bytes()
        + f"\r\n--{boundary}--\r\n".encode()
    )
    meta = {"CONTENT_TYPE": f"multipart/form-data; boundary={boundary}", "CONTENT_LENGTH": str(len(body))}
    _data, files = MultiPartParser(meta, io.BytesIO(body), [MemoryFileUploadHandler()]).parse()
    upload = files["file"]
    assert upload.name == "xfdp.pdf"
    assert inspect_upload(upload, profile=EXCHANGE).name == "xfdp.pdf"
