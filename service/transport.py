"""uvicorn's HTTP protocol with TCP_NODELAY set on every connection.

With ``--workers`` above 1, uvicorn binds the listening socket itself (``proto`` 0) and asyncio
sets TCP_NODELAY only on sockets whose ``proto`` is IPPROTO_TCP. Without it, Nagle holds the
second write of each response until the client's delayed ACK: every keep-alive request took
40 ms longer than with one worker (measured: 48 ms against 8 ms for a rules-mode answer).
``starlint serve`` selects this class with ``http="service.transport:NoDelayProtocol"``.
"""

from __future__ import annotations

import asyncio
import importlib.util
import socket

if importlib.util.find_spec("httptools") is not None:  # the faster parser, when installed
    from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol as _Base
else:
    from uvicorn.protocols.http.h11_impl import H11Protocol as _Base  # type: ignore[assignment]

IMPORT_STRING = "service.transport:NoDelayProtocol"


def set_nodelay(transport: asyncio.BaseTransport) -> bool:
    """Turn Nagle off on a TCP transport's socket; False when it has none (e.g. a Unix socket)."""
    sock = transport.get_extra_info("socket")
    if sock is None or sock.family not in (socket.AF_INET, socket.AF_INET6):
        return False
    try:
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    except OSError:
        return False
    return True


class NoDelayProtocol(_Base):  # type: ignore[misc, valid-type]
    def connection_made(self, transport: asyncio.BaseTransport) -> None:  # type: ignore[override]
        set_nodelay(transport)
        super().connection_made(transport)  # type: ignore[arg-type]
