"""SMTP servers that misbehave on purpose (aiosmtpd), for the delivery tests.

``FaultySink`` is the test suite's real SMTP sink with knobs: refuse a recipient with a given
reply, be slow to accept the message, or hang after accepting it (before answering QUIT).
``closed_port()`` is a port where nothing listens: the mail server is down.
"""

from __future__ import annotations

import asyncio
import socket
from typing import Any

from aiosmtpd.controller import Controller

from tests.support.smtp import SmtpSink, _Collector


class _FaultyCollector(_Collector):
    def __init__(self) -> None:
        super().__init__()
        self.rcpt_reply = ""  # e.g. "550 5.1.1 No such user": refuse every recipient
        self.data_delay = 0.0  # seconds before accepting a message
        self.quit_hang = 0.0  # seconds to wait before answering QUIT (after accepting)

    async def handle_RCPT(
        self, server: Any, session: Any, envelope: Any, address: str, options: Any
    ) -> str:
        if self.rcpt_reply:
            return self.rcpt_reply
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        if self.data_delay:
            await asyncio.sleep(self.data_delay)
        return await super().handle_DATA(server, session, envelope)

    async def handle_QUIT(self, server: Any, session: Any, envelope: Any) -> str:
        if self.quit_hang:
            await asyncio.sleep(self.quit_hang)
        return "221 Bye"


class FaultySink(SmtpSink):
    def __init__(self, port: int | None = None) -> None:
        super().__init__()
        if port is not None:
            self.port = port
        self._handler: _FaultyCollector = _FaultyCollector()
        self._controller = Controller(self._handler, hostname=self.host, port=self.port)

    @property
    def faults(self) -> _FaultyCollector:
        return self._handler


def closed_port() -> int:
    """A port on 127.0.0.1 where nothing listens (connections are refused)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
    return port
