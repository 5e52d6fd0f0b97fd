"""Test support: a real SMTP server on loopback (aiosmtpd) that keeps what arrives and can be
told to refuse, for the tests and the benchmark."""

from __future__ import annotations

import email
import socket
from dataclasses import dataclass, field
from email.message import Message
from typing import Any


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@dataclass
class Arrived:
    recipients: list[str]
    message: Message

    def part(self, content_type: str) -> str:
        for part in self.message.walk():
            if part.get_content_type() == content_type:
                payload = part.get_payload(decode=True)
                assert isinstance(payload, bytes)
                return payload.decode(part.get_content_charset() or "utf-8")
        raise LookupError(content_type)


@dataclass
class Handler:
    """aiosmtpd handler: keeps every accepted mail; ``refuse`` = an SMTP reply such as
    ``"451 4.3.0 Try again later"`` or ``"550 5.1.1 No such mailbox"`` for every recipient, or for
    the addresses in ``refuse_only`` when given."""

    arrived: list[Arrived] = field(default_factory=list)
    refuse: str = ""
    refuse_only: set[str] = field(default_factory=set)

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):  # noqa: N802
        if self.refuse and (not self.refuse_only or address in self.refuse_only):
            return self.refuse
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):  # noqa: N802
        self.arrived.append(Arrived(list(envelope.rcpt_tos), email.message_from_bytes(envelope.content)))
        return "250 Message accepted for delivery"


class LoopbackSMTP:
    """``with LoopbackSMTP() as smtp``: a server on 127.0.0.1 at ``smtp.port``; ``stop()`` and
    ``start()`` take it down and up again on the same port (a server that is down)."""

    def __init__(self, port: int | None = None) -> None:
        self.port = port or free_port()
        self.handler = Handler()
        self.controller: Any = None

    def start(self) -> LoopbackSMTP:
        from aiosmtpd.controller import Controller

        self.controller = Controller(self.handler, hostname="127.0.0.1", port=self.port)
        self.controller.start()
        return self

    def stop(self) -> None:
        if self.controller is not None:
            self.controller.stop()
            self.controller = None

    def __enter__(self) -> LoopbackSMTP:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    @property
    def arrived(self) -> list[Arrived]:
        return self.handler.arrived

    def to(self, address: str) -> list[Arrived]:
        return [a for a in self.arrived if address in a.recipients]
