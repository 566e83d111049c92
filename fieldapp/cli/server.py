"""The server's commands: ``fieldapp server`` and ``fieldapp admin …`` (light: heavy imports happen inside handlers)."""

from __future__ import annotations

import argparse
from typing import Any


def _lazy(module: str, name: str) -> Any:
    """A handler that imports its module only when the command runs."""

    def handler(args: argparse.Namespace) -> int:
        import importlib

        return int(getattr(importlib.import_module(module), name)(args) or 0)

    return handler


def _db_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--db", metavar="URL", help="database URL (default: $FIELDAPP_DB, else server.db in the data folder)")


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Add this part's sub-commands to the fieldapp parser."""
    server = sub.add_parser("server", help="run the central sync server")
    _db_option(server)
    server.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    server.add_argument("--port", type=int, default=8470, help="port to listen on (default 8470)")
    server.add_argument("--workers", type=int, default=1, help="worker processes (PostgreSQL only)")
    server.add_argument("--tls-cert", metavar="FILE", help="TLS certificate (PEM); required off loopback")
    server.add_argument("--tls-key", metavar="FILE", help="TLS private key (PEM)")
    server.add_argument("--behind-proxy", action="store_true",
                        help="a TLS-terminating proxy sits in front: allow a non-loopback host without TLS here")
    server.add_argument("--min-client-version", metavar="V", help="answer 426 to older clients (uploads still accepted)")
    server.set_defaults(handler=_lazy("fieldapp.cli.serve", "serve"))

    admin = sub.add_parser("admin", help="administer the server database")
    admin_sub = admin.add_subparsers(dest="admin_command", metavar="ACTION", required=True)

    def action(name: str, help_text: str, handler: str) -> argparse.ArgumentParser:
        parser = admin_sub.add_parser(name, help=help_text)
        _db_option(parser)
        parser.set_defaults(handler=_lazy("fieldapp.cli.admin", handler))
        return parser

    action("init-db", "create or upgrade the server database", "init_db")

    p = action("add-user", "add a user (password from $FIELDAPP_PASSWORD or a prompt)", "add_user")
    p.add_argument("name", help="username")
    p.add_argument("--role", required=True, choices=["collector", "lead", "admin"])
    p.add_argument("--team", help="team name (created when new)")
    p.add_argument("--display-name", help="name shown in the app (default: the username)")

    p = action("set-team-zone", "set the time zone a team works in: what \"today\" means on its laptops "
               "(they receive it with their next sync)", "set_team_zone")
    p.add_argument("team", help="team name")
    p.add_argument("zone", help="IANA zone name, e.g. Asia/Shanghai; '' to let each laptop use its own")

    p = action("set-issuer", "publish a creditor's issuer profile (letterhead, agency, official channels, "
               "verification site) from a YAML file; laptops print from it after their next sync", "set_issuer")
    p.add_argument("file", help="the profile (see fieldapp/core/issuers.py); images are read from beside it")

    action("list-issuers", "list the published issuer profiles", "list_issuers")

    p = action("enroll-code", "issue a one-time enrollment code for a user (printed on the last line)", "enroll_code")
    p.add_argument("name", help="username")
    p.add_argument("--ttl-hours", type=float, default=24.0, help="hours the code stays valid (default 24)")

    p = action("revoke-device", "revoke a device: it locks and wipes itself at its next contact", "revoke_device")
    p.add_argument("device_id", metavar="ID", help="device id (as shown by list-devices)")

    p = action("escrow-key", "print a device's escrowed database key (last line), for `fieldapp recover` when "
               "its PIN is forgotten; audited", "escrow_key")
    p.add_argument("device_id", metavar="ID", help="device id (as shown by list-devices)")

    p = action("list-devices", "list enrolled devices", "list_devices")
    p.add_argument("--json", action="store_true", help="print JSON")

    p = action("import-cases", "import cases from the lending system's CSV export", "import_cases")
    p.add_argument("file", help="CSV file (UTF-8 or GBK/GB18030)")
    p.add_argument("--encoding", help="the file's encoding when auto-detection is not wanted")

    p = action("assign", "assign cases to a user", "assign")
    p.add_argument("--user", required=True, help="username")
    p.add_argument("refs", nargs="+", metavar="REF", help="account references")

    p = action("unassign", "take cases away from their assignee", "unassign")
    p.add_argument("refs", nargs="+", metavar="REF", help="account references")

    p = action("close", "close cases (paid, settled or withdrawn)", "close")
    p.add_argument("refs", nargs="+", metavar="REF", help="account references")

    p = action("publish-forms", "check and publish visit scripts, rule packs and notice templates to devices",
               "publish_forms")
    p.add_argument("directory", nargs="?", default=None, metavar="DIR",
                   help="forms folder (default: the forms bundled with this version)")

    p = action("import-payments", "import payments (account_ref, paid_at, amount, reference); marks instalments "
               "and promises kept or broken, closes fully paid cases", "import_payments")
    p.add_argument("file", help="CSV file (UTF-8 or GBK/GB18030)")
    p.add_argument("--encoding", help="the file's encoding when auto-detection is not wanted")

    p = action("plans", "list repayment plans (default: those pending approval)", "list_plans")
    p.add_argument("--status", default="pending_approval", help="plan status to list ('' for all)")
    p.add_argument("--json", action="store_true", help="print JSON")

    p = action("decide-plan", "approve or reject a plan pending approval, as a team lead", "decide_plan")
    p.add_argument("plan_id", metavar="PLAN_ID")
    p.add_argument("decision", choices=["approve", "reject"])
    p.add_argument("--as", dest="lead", required=True, metavar="LEAD", help="the deciding lead's username")
    p.add_argument("--comment", default="", help="the reason (required to reject); the collector reads it")

    p = action("audit-chains", "show each device's audit chain: length, and where it broke if it did", "audit_chains")
    p.add_argument("--json", action="store_true", help="print JSON")

    p = action("stats", "print counts of cases, users, devices, visits and attachments", "stats")
    p.add_argument("--json", action="store_true", help="print JSON")
