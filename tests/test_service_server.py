"""The real thing: `starlint serve` on a free loopback port, 50 concurrent requests, /healthz live under load."""

from __future__ import annotations

import asyncio
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from evaluator import Evaluator

EXE = shutil.which("starlint") or str(Path(sys.executable).parent / "starlint")
STORY = ("At a regional grocery chain our online orders grew 20 % a quarter but one in eight deliveries arrived "
         "with missing items. I partnered with the store operations lead and two data scientists to build a model "
         "that flagged items likely to be out of stock, and I ran a four-week pilot in three stores. ")


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    port = free_port()
    env = {**os.environ, "STARLINT_MODES": "rules", "STARLINT_SCORE_THREADS": "2", "STARLINT_API_KEYS": "",
           "STARLINT_CORS_ORIGINS": ""}
    proc = subprocess.Popen([EXE, "serve", "--host", "127.0.0.1", "--port", str(port), "--log-level", "warning"],
                            env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 90
        while True:
            if proc.poll() is not None:
                output = proc.stdout.read() if proc.stdout else ""
                pytest.fail(f"starlint serve exited with {proc.returncode}: {output}")
            try:
                if httpx.get(f"{base}/readyz", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline:
                pytest.fail("starlint serve did not become ready within 90 s")
            time.sleep(0.2)
        yield base
    finally:
        proc.send_signal(signal.SIGINT)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def test_fifty_concurrent_answers_and_a_live_healthz(server: str, rules_ev: Evaluator) -> None:
    texts = [f"{STORY}Missing-item orders fell from 12 % to {i % 9 + 1} %. I built a 9{i % 10}.5 % accurate model."
             for i in range(50)]
    expected = [rules_ev.evaluate(t).model_dump(mode="json") for t in texts]
    batch = {"items": [{"id": str(i), "text": STORY * 40} for i in range(100)]}  # keeps a scoring thread busy (~2 s)

    async def run() -> tuple[list[httpx.Response], httpx.Response, list[tuple[float, float, int]], float]:
        async with httpx.AsyncClient(base_url=server, timeout=120,
                                     limits=httpx.Limits(max_connections=60)) as client:
            health: list[tuple[float, float, int]] = []  # (sent, answered, status)
            done = asyncio.Event()

            async def probe() -> None:
                while not done.is_set():
                    t0 = time.monotonic()
                    r = await client.get("/healthz")
                    health.append((t0, time.monotonic(), r.status_code))
                    await asyncio.sleep(0.05)

            prober = asyncio.create_task(probe())
            big = asyncio.create_task(client.post("/v1/evaluate/batch", json=batch))
            await asyncio.sleep(0.1)  # let the batch reach the pool first
            answers = await asyncio.gather(*(client.post("/v1/evaluate", json={"text": t},
                                                         headers={"X-Request-ID": f"load-{i}"})
                                             for i, t in enumerate(texts)))
            batch_resp = await big
            finished = time.monotonic()
            done.set()
            await prober
            return answers, batch_resp, health, finished

    answers, batch_resp, health, finished = asyncio.run(run())
    assert [r.status_code for r in answers] == [200] * 50
    assert [r.json() for r in answers] == expected  # 50 correct answers, each to its own question
    assert [r.headers["x-request-id"] for r in answers] == [f"load-{i}" for i in range(50)]
    assert batch_resp.status_code == 200 and batch_resp.json()["scored"] == 100
    # /healthz kept answering while several seconds of scoring ran; had the event loop waited on scoring, one probe
    # would have taken as long as the batch. (Generous bound: CI machines have 2 busy cores.)
    during = [h for h in health if h[1] < finished]
    assert len(during) >= 5 and all(status == 200 for _, _, status in during), health
    assert max(answered - sent for sent, answered, _ in during) < 3.0


def test_connections_get_tcp_nodelay_even_on_a_proto0_socket() -> None:
    """uvicorn's multi-worker mode binds with proto 0, so asyncio skips TCP_NODELAY and Nagle
    adds a delayed-ACK wait (~40 ms) to every keep-alive response; our protocol sets it."""
    from service.transport import NoDelayProtocol, set_nodelay

    class Transport:
        def __init__(self, sock: socket.socket) -> None:
            self.sock = sock

        def get_extra_info(self, name: str) -> object:
            return self.sock if name == "socket" else None

    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as listener:  # proto 0, like uvicorn's
        listener.bind(("127.0.0.1", 0))
        listener.listen(1)
        client = socket.create_connection(listener.getsockname())
        conn, _ = listener.accept()
        with client, conn:
            assert conn.proto == 0 and conn.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY) == 0
            assert set_nodelay(Transport(conn))  # type: ignore[arg-type]
            assert conn.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY) != 0
    assert not set_nodelay(Transport(None))  # type: ignore[arg-type]  (no socket: nothing to do)
    assert issubclass(NoDelayProtocol, asyncio.Protocol)
