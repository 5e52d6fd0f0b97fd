"""Malware scanning with ClamAV's daemon (clamd), streamed with INSTREAM.

Configured by settings (environment variables in brackets):

* ``CLAMAV_SOCKET`` (``ILONET_CLAMAV_SOCKET``): clamd's unix socket, or
* ``CLAMAV_HOST`` and ``CLAMAV_PORT`` (``ILONET_CLAMAV_HOST``, ``ILONET_CLAMAV_PORT``): its TCP
  address;
* ``CLAMAV_TIMEOUT`` (``ILONET_CLAMAV_TIMEOUT``, seconds): for one scan;
* ``CLAMAV_WAIT_SECONDS`` (``ILONET_CLAMAV_WAIT_SECONDS``): how long an upload waits for a
  scanner that does not answer before it is refused.

With neither address set, nothing is scanned (``NoScanner``): the development default only;
the production profile refuses to start without a scanner, and ``check --deploy`` reports it.
A configured scanner that is down, answers an error or cannot take the whole file never lets
a file through: the upload is refused with "scanner unavailable" (HTTP 503).
"""

from __future__ import annotations

import struct
import time
from typing import IO, Protocol

from clamav_client import clamd
from django.conf import settings

from . import refusals

CHUNK = 256 * 1024  # clamd's StreamMaxLength bounds the whole stream, not a chunk


class Scanner(Protocol):
    def scan(self, fp: IO[bytes]) -> None:
        """Return if the file is clean; raise ``UploadRefused`` (malware, scanner unavailable)."""

    def ping(self) -> bool: ...


class NoScanner:
    """No malware scanning: only where none is configured (development)."""

    configured = False

    def scan(self, fp: IO[bytes]) -> None:
        return None

    def ping(self) -> bool:
        return True


class ClamdScanner:
    """clamd over a unix socket (``socket``) or TCP (``host``, ``port``)."""

    configured = True

    def __init__(
        self,
        *,
        socket: str = "",
        host: str = "",
        port: int = 3310,
        timeout: float = 120.0,
        wait_seconds: float = 5.0,
    ) -> None:
        if not socket and not host:
            raise ValueError("ClamdScanner needs a unix socket path or a host")
        self.socket, self.host, self.port = socket, host, port
        self.timeout, self.wait_seconds = timeout, wait_seconds

    def __repr__(self) -> str:
        where = self.socket or f"{self.host}:{self.port}"
        return f"ClamdScanner({where})"

    def _client(self) -> clamd.ClamdNetworkSocket:
        if self.socket:
            return clamd.ClamdUnixSocket(self.socket, timeout=self.timeout)  # type: ignore[arg-type]
        return clamd.ClamdNetworkSocket(self.host, self.port, timeout=self.timeout)

    def ping(self) -> bool:
        try:
            return self._client().ping() == "PONG"
        except (clamd.ClamdError, OSError):
            return False

    def scan(self, fp: IO[bytes]) -> None:
        deadline = time.monotonic() + self.wait_seconds
        delay = 0.2
        while not self.ping():  # wait a little for a scanner that restarts, then refuse
            if time.monotonic() + delay > deadline:
                raise refusals.scanner_unavailable()
            time.sleep(delay)
            delay = min(delay * 2, 2.0)
        fp.seek(0)
        try:
            result = _instream(self._client(), fp)
        except (clamd.ClamdError, OSError):
            raise refusals.scanner_unavailable() from None
        finally:
            fp.seek(0)
        status, signature = next(iter(result.values()), ("ERROR", None))
        if status == "FOUND":
            raise refusals.malware(signature or "?")
        if status != "OK":
            raise refusals.scanner_unavailable()


def _instream(client: clamd.ClamdNetworkSocket, fp: IO[bytes]) -> clamd.ScanResults:
    """clamav-client's INSTREAM, in chunks of ``CHUNK`` instead of 1 KiB, read into one reused
    buffer and sent after their length without being copied."""
    buffer = bytearray(CHUNK)
    view = memoryview(buffer)
    readinto = getattr(fp, "readinto", None)
    try:
        client._init_socket()
        client._send_command("INSTREAM")
        while count := _read_into(fp, readinto, buffer):
            client.clamd_socket.sendall(struct.pack("!L", count))
            client.clamd_socket.sendall(view[:count])
        client.clamd_socket.sendall(struct.pack("!L", 0))
        result = client._recv_response()
        if not result:
            raise clamd.ResponseError("no answer")
        if result == "INSTREAM size limit exceeded. ERROR":
            raise clamd.BufferTooLongError(result)
        filename, reason, status = client._parse_response(result)
        return {filename: (status, reason)}
    finally:
        client._close_socket()


def _read_into(fp: IO[bytes], readinto, buffer: bytearray) -> int:
    if readinto is not None:
        return readinto(buffer) or 0
    chunk = fp.read(len(buffer))
    buffer[: len(chunk)] = chunk
    return len(chunk)


def scanner_configured() -> bool:
    return bool(getattr(settings, "CLAMAV_SOCKET", "") or getattr(settings, "CLAMAV_HOST", ""))


def get_scanner() -> Scanner:
    """The scanner the settings ask for, or ``NoScanner`` when none is configured."""
    if not scanner_configured():
        return NoScanner()
    return ClamdScanner(
        socket=getattr(settings, "CLAMAV_SOCKET", ""),
        host=getattr(settings, "CLAMAV_HOST", ""),
        port=int(getattr(settings, "CLAMAV_PORT", 3310)),
        timeout=float(getattr(settings, "CLAMAV_TIMEOUT", 120)),
        wait_seconds=float(getattr(settings, "CLAMAV_WAIT_SECONDS", 5)),
    )
