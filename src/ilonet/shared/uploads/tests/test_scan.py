"""Malware scanning with a real clamd (scripts/clamav.sh: a local EICAR signature, no download):
EICAR is refused, a clean file passes, and a configured scanner that is down refuses the
upload, never lets it through."""

import io
import socket
import threading

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from ilonet.shared.uploads import EXCHANGE, ClamdScanner, NoScanner, UploadRefused, get_scanner, stored_upload
from ilonet.shared.uploads import testing as make
from ilonet.shared.uploads.checks import uploads_are_scanned_and_private

pytestmark = pytest.mark.django_db


def test_the_eicar_test_string_is_refused_as_malware(clamd):
    with pytest.raises(UploadRefused) as caught:
        get_scanner().scan(io.BytesIO(b"Report\n" + make.eicar() + b"\n"))
    assert (caught.value.code, caught.value.status) == ("malware", 422)
    assert "ILOnet.Test.EICAR" in caught.value.message


def test_eicar_inside_an_accepted_document_is_refused_and_nothing_is_stored(clamd, stored_keys):
    data = make.docx_bytes(extra={"word/media/notes.txt": make.eicar()})
    with (
        pytest.raises(UploadRefused) as caught,
        stored_upload(SimpleUploadedFile("a.docx", data), profile=EXCHANGE, prefix="scan-test"),
    ):
        pytest.fail("the block must not run")
    assert caught.value.code == "malware" and stored_keys("scan-test") == set()


def test_a_clean_file_passes_the_scanner(clamd):
    scanner = get_scanner()
    assert isinstance(scanner, ClamdScanner) and scanner.ping()
    data = make.pdf_bytes()
    stream = io.BytesIO(data)
    scanner.scan(stream)
    assert stream.tell() == 0  # ready for the next step


def test_a_configured_scanner_that_is_down_refuses_with_503(settings, tmp_path, stored_keys):
    settings.CLAMAV_SOCKET = str(tmp_path / "no-clamd.sock")
    settings.CLAMAV_WAIT_SECONDS = 0.5
    with (
        pytest.raises(UploadRefused) as caught,
        stored_upload(SimpleUploadedFile("a.pdf", make.pdf_bytes()), profile=EXCHANGE, prefix="scan-test"),
    ):
        pytest.fail("the block must not run")
    assert (caught.value.code, caught.value.status) == ("scanner_unavailable", 503)
    assert "Try again later" in caught.value.message and stored_keys("scan-test") == set()


def test_a_scanner_that_breaks_off_mid_scan_refuses(settings):
    """A TCP 'clamd' that answers PING, then hangs up during INSTREAM."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(4)

    def serve():
        for _ in range(2):
            connection, _address = server.accept()
            with connection:
                if connection.recv(64).startswith(b"nPING"):
                    connection.sendall(b"PONG\n")

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    scanner = ClamdScanner(host="127.0.0.1", port=server.getsockname()[1], timeout=5, wait_seconds=0)
    with pytest.raises(UploadRefused) as caught:
        scanner.scan(io.BytesIO(make.pdf_bytes()))
    thread.join(5)
    server.close()
    assert caught.value.code == "scanner_unavailable"


def test_tcp_settings_give_a_tcp_scanner(settings):
    settings.CLAMAV_SOCKET, settings.CLAMAV_HOST, settings.CLAMAV_PORT = "", "clamav.internal", 3311
    scanner = get_scanner()
    assert isinstance(scanner, ClamdScanner) and (scanner.host, scanner.port) == ("clamav.internal", 3311)


def test_without_scanner_settings_nothing_is_scanned_and_the_deploy_check_says_so(settings):
    settings.CLAMAV_SOCKET, settings.CLAMAV_HOST = "", ""
    assert isinstance(get_scanner(), NoScanner)
    assert [e.id for e in uploads_are_scanned_and_private()] == ["ilonet.E101"]
    settings.CLAMAV_SOCKET = "/run/clamav/clamd.ctl"
    assert uploads_are_scanned_and_private() == []


def test_the_deploy_check_refuses_a_public_storage(settings):
    settings.CLAMAV_SOCKET = "/run/clamav/clamd.ctl"
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    }
    assert [e.id for e in uploads_are_scanned_and_private()] == ["ilonet.E102"]
