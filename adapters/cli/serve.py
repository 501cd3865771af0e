"""`reviewledger serve`: the HTTP JSON API over the same application services, and `access-log`.

The server listens on 127.0.0.1 unless told otherwise; anything else belongs behind a proxy
that terminates TLS. Logs are JSON lines on standard error (readable lines on a terminal),
one per request with its request id and the signed-in person's actor id.
"""

from __future__ import annotations

import argparse
import ipaddress
import os
import socket
import sys
from datetime import timedelta
from typing import Any

from adapters.app.logging import configure_logging
from adapters.cli.support import EXIT_OK, opened_app, print_result, settings_of
from domain.kernel.errors import InvalidInput


def _loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def cmd_serve(args: argparse.Namespace) -> int:
    import uvicorn

    from adapters.http import create_app
    from adapters.http.client_address import TRUSTED_PROXIES_VARIABLE, trusted_proxies
    from adapters.http.pool import ApplicationPool

    class Server(uvicorn.Server):
        async def startup(self, sockets: list[socket.socket] | None = None) -> None:
            await super().startup(sockets)
            if self.started:  # say where, once listening (the port may have been chosen: --port 0)
                host, port = self.servers[0].sockets[0].getsockname()[:2]
                print(
                    f"serving the HTTP API on http://{host}:{port} (description at /openapi.json)", flush=True
                )

    if not 0 <= args.port <= 65535:
        raise InvalidInput("--port", "must be between 0 and 65535")
    if not 1 <= args.pool <= 32:
        raise InvalidInput("--pool", "must be between 1 and 32")
    if not 0 < args.session_hours <= 24 * 7:
        raise InvalidInput("--session-hours", "must be more than 0 and at most a week (168)")
    configure_logging(os.environ.get("REVIEWLEDGER_LOG_LEVEL", "INFO"))
    if args.trusted_proxy:
        proxies = trusted_proxies(args.trusted_proxy)
    else:
        proxies = trusted_proxies(
            os.environ.get(TRUSTED_PROXIES_VARIABLE, "").split(","), TRUSTED_PROXIES_VARIABLE
        )
    pool = ApplicationPool(settings_of(args), size=args.pool)
    try:
        app = create_app(pool, session_lifetime=timedelta(hours=args.session_hours), trusted_proxies=proxies)
        config = uvicorn.Config(
            app,
            host=args.host,
            port=args.port,
            log_config=None,
            access_log=False,  # the API logs each request itself, without query strings
            proxy_headers=False,
            server_header=False,
            lifespan="on",
        )
        server = Server(config)
        if not _loopback(args.host):
            print(
                f"warning: serving on {args.host}, not a loopback address: put the API behind a proxy that "
                "terminates TLS",
                file=sys.stderr,
            )
        server.run()
    finally:
        pool.close()
    return EXIT_OK


def cmd_access_log(args: argparse.Namespace) -> int:
    from adapters.governance.access_log import entries

    app = opened_app(args)
    try:
        found = entries(app, record=args.record, limit=args.limit)
    finally:
        app.close()
    print_result(
        args,
        found,
        lambda: (
            "\n".join(
                f"{e.at.isoformat()}  {e.actor:18} {'read' if e.granted else 'REFUSED':8} {e.record:16} {e.view}"
                + (f" for {e.purpose}" if e.purpose else "")
                + (f" ({e.ig_request})" if e.ig_request else "")
                for e in found
            )
            or "no reads recorded"
        ),
    )
    return EXIT_OK


def register(sub: Any) -> None:
    p = sub.add_parser("serve", help="serve the HTTP JSON API (OpenAPI description at /openapi.json)")
    p.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    p.add_argument(
        "--port", type=int, default=8000, help="port to listen on (default 8000; 0: any free port)"
    )
    p.add_argument("--pool", type=int, default=4, help="requests served at once (default 4)")
    p.add_argument("--session-hours", type=float, default=8.0, help="how long a sign-in lasts (default 8)")
    p.add_argument(
        "--trusted-proxy",
        action="append",
        metavar="ADDRESS[/BITS]",
        help="a reverse proxy whose X-Forwarded-For names the client (repeatable; default "
        "REVIEWLEDGER_TRUSTED_PROXIES, comma-separated; none: the socket's peer is the client)",
    )
    p.set_defaults(func=cmd_serve)

    p = sub.add_parser("access-log", help="who read which record's personal data through the API, and why")
    p.add_argument("--record", help="only reads of this record")
    p.add_argument("--limit", type=int, default=100)
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_access_log)
