"""An HTTP proxy on loopback that misbehaves on purpose, for fault-injection tests.

Between a real client and a real server it can, per request and by a seeded schedule:
``drop`` — forward the request, let the server commit, read its answer, then cut the client's
connection without a byte of response (the worst case for exactly-once delivery); ``bad_gateway`` —
answer 502 without forwarding; ``delay`` — wait before forwarding. Everything else passes through.
"""

from __future__ import annotations

import http.client
import random
import socket
import threading
import time
from collections import Counter
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

HOP_BY_HOP = {"connection", "keep-alive", "proxy-connection", "transfer-encoding", "upgrade", "te", "trailer"}


class FaultProxy:
    """``FaultProxy(upstream_url, drop=0.3, bad_gateway=0.1, delay=0.1, seed=1, only=lambda m, p: ...)``."""

    def __init__(self, upstream: str, *, drop: float = 0.0, bad_gateway: float = 0.0, delay: float = 0.0,
                 delay_seconds: tuple[float, float] = (0.2, 0.8), seed: int = 1,
                 only: Callable[[str, str], bool] | None = None) -> None:
        parts = urlsplit(upstream)
        self.upstream_host = parts.hostname or "127.0.0.1"
        self.upstream_port = parts.port or 80
        self.rates = {"drop": drop, "bad_gateway": bad_gateway, "delay": delay}
        self.delay_seconds = delay_seconds
        self.only = only or (lambda method, path: True)
        self.counts: Counter[str] = Counter()
        self._rng = random.Random(seed)
        self._lock = threading.Lock()
        proxy = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format: str, *args: object) -> None:  # quiet
                pass

            def _handle(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                fault = proxy._choose(self.command, self.path)
                if fault == "bad_gateway":
                    payload = b'{"detail":"bad gateway (injected)"}'
                    self.send_response(502)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(payload)))
                    self.end_headers()
                    self.wfile.write(payload)
                    return
                if fault == "delay":
                    time.sleep(proxy._rng_uniform(*proxy.delay_seconds))
                upstream = http.client.HTTPConnection(proxy.upstream_host, proxy.upstream_port, timeout=60)
                try:
                    headers = {k: v for k, v in self.headers.items() if k.lower() not in HOP_BY_HOP}
                    upstream.request(self.command, self.path, body=body, headers=headers)
                    response = upstream.getresponse()
                    data = response.read()
                finally:
                    upstream.close()
                if fault == "drop":
                    # The server has committed and answered; the client never hears it.
                    self.close_connection = True
                    try:
                        self.connection.shutdown(socket.SHUT_RDWR)
                    except OSError:
                        pass
                    return
                self.send_response(response.status)
                for key, value in response.getheaders():
                    if key.lower() not in HOP_BY_HOP and key.lower() != "content-length":
                        self.send_header(key, value)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            do_GET = do_POST = do_PUT = do_HEAD = do_DELETE = _handle

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, name="fault-proxy", daemon=True)

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def _rng_uniform(self, low: float, high: float) -> float:
        with self._lock:
            return self._rng.uniform(low, high)

    def _choose(self, method: str, path: str) -> str:
        if not self.only(method, path):
            self.counts["pass"] += 1
            return "pass"
        with self._lock:
            roll = self._rng.random()
        edge = 0.0
        for name, rate in self.rates.items():
            edge += rate
            if roll < edge:
                self.counts[name] += 1
                return name
        self.counts["pass"] += 1
        return "pass"

    def __enter__(self) -> FaultProxy:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()
