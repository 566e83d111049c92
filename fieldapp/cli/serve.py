"""Handler of ``fieldapp server``: checks the TLS rule, upgrades the schema and runs uvicorn."""

from __future__ import annotations

import argparse
import ipaddress
import os
import sys

from fieldapp.cli.errors import CommandError
from fieldapp.server import db


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def serve(args: argparse.Namespace) -> int:
    """Run the server until interrupted. Prints one line once the socket listens."""
    url = db.resolve_db_url(args.db)
    backend = db.backend_name(url)
    tls = bool(args.tls_cert or args.tls_key)
    if tls and not (args.tls_cert and args.tls_key):
        raise CommandError("TLS needs both --tls-cert and --tls-key")
    if not is_loopback(args.host) and not tls and not args.behind_proxy:
        raise CommandError(
            f"refusing to listen on {args.host} without TLS: pass --tls-cert and --tls-key, "
            "or --behind-proxy when a TLS-terminating proxy sits in front of the server"
        )
    workers = max(1, args.workers)
    if workers > 1 and backend == "sqlite":
        print("SQLite runs single-process: starting one worker (use PostgreSQL for --workers)", flush=True)
        workers = 1

    from sqlalchemy.exc import OperationalError

    from fieldapp.server.services.escrow import EscrowError, escrow_key

    try:
        # Before any worker starts, so all of them read the one key made here (server/escrow.py).
        escrow_key(create=True)
    except EscrowError as exc:
        raise CommandError(str(exc)) from None
    engine = db.make_engine(url)
    try:
        db.upgrade_to_head(engine)
    except OperationalError as exc:
        raise CommandError(f"cannot use the database: {exc.orig}") from None
    finally:
        engine.dispose()

    import uvicorn

    from fieldapp.server.api import MIN_CLIENT_ENV, create_app

    os.environ[db.DB_ENV] = url
    if args.min_client_version:
        os.environ[MIN_CLIENT_ENV] = args.min_client_version
    common = dict(
        host=args.host,
        port=args.port,
        log_level="warning",
        access_log=False,
        proxy_headers=args.behind_proxy,
        ssl_certfile=args.tls_cert,
        ssl_keyfile=args.tls_key,
        timeout_graceful_shutdown=5,
    )
    if workers > 1:
        config = uvicorn.Config("fieldapp.server.api:app_from_env", factory=True, workers=workers, **common)  # type: ignore[arg-type]
    else:
        config = uvicorn.Config(create_app(url, min_client_version=args.min_client_version), **common)  # type: ignore[arg-type]
    try:
        sock = config.bind_socket()
    except SystemExit:
        raise CommandError(f"cannot listen on {args.host}:{args.port} (is another server running there?)") from None
    # Listen now, so the line below is true the moment it is printed: connections made while the
    # workers start wait in the backlog instead of being refused.
    sock.listen(config.backlog)
    scheme = "https" if tls else "http"
    extra = f", {workers} workers" if workers > 1 else ""
    print(f"FieldApp server listening on {scheme}://{args.host}:{config.port} ({backend}{extra})", flush=True)
    sys.stdout.flush()
    server = uvicorn.Server(config)
    if workers > 1:
        from uvicorn.supervisors import Multiprocess

        # uvicorn's own supervisor: restarts a worker that dies, stops all on SIGTERM.
        Multiprocess(config, sockets=[sock]).run()
    else:
        server.run(sockets=[sock])
    return 0
