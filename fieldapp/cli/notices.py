"""``fieldapp notice render``: an office batch print, through exactly the app's notice path.

The same permission as the app's Print button (rule pack and flags: a case flagged ``cease_contact``
is refused, with the reason the app shows), the same issuer settings, verification site, trusted
clock and audited writer (fieldapp.app.notices). Only the printer is a file here.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from fieldapp.cli.errors import CommandError


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Add ``notice render`` to the fieldapp parser."""
    notice = sub.add_parser("notice", help="notice letters for cases on this device")
    notice_sub = notice.add_subparsers(dest="notice_command", metavar="ACTION", required=True)
    p = notice_sub.add_parser("render", help="render a case's notice to PDF and record the print (token, audit, "
                                             "outbox), as the app's Print does; refused where the app refuses")
    p.add_argument("ref", metavar="REF", help="the case's account reference")
    p.add_argument("--template", metavar="ID", default=None,
                   help="notice template id (default: the case's, e.g. cn-overdue-notice)")
    p.add_argument("--lang", choices=["zh-CN", "en"], default=None, help="language (default: the template's first)")
    p.add_argument("--out", required=True, metavar="FILE.pdf", help="where to write the PDF")
    p.set_defaults(handler=cmd_notice_render)


def cmd_notice_render(args: argparse.Namespace) -> int:
    from fieldapp.app import device, notices
    from fieldapp.app.issuers import load_issuer_settings
    from fieldapp.cli.device import open_store
    from fieldapp.core.atomic import write_atomic
    from fieldapp.core.notices import MissingNoticeValues, NoticeError

    store = open_store()
    try:
        case_id = notices.case_id_for(store, args.ref)
        if case_id is None:
            raise CommandError(f"no case {args.ref} on this device (sync first?)")
        settings = load_issuer_settings(store)  # the server's profiles, as the app prints them
        try:
            if settings.profile_for(notices.case_dict(store, case_id) or {}).demo:
                raise CommandError("this creditor's issuer profile is the demo's: a letter printed for real needs "
                                   "the creditor's own (fieldapp admin set-issuer on the server, then sync)")
        except NoticeError as exc:
            raise CommandError(str(exc)) from None
        now = device.collector_day(store).now()
        permission = notices.print_permission(store, case_id, now=now)
        if not permission.allowed:
            rule = f" ({permission.rule_id})" if permission.rule_id else ""
            raise CommandError(f"the notice for {args.ref} may not be printed{rule}: {permission.reason.get('en', '')}")
        try:
            prepared = notices.prepare_notice(store, case_id, language=args.lang or "", now=now,
                                              settings=settings, template_id=args.template)
        except MissingNoticeValues as exc:
            raise CommandError(f"required values are empty: {notices.missing_fields_text(exc, 'en')}") from None
        except NoticeError as exc:
            raise CommandError(str(exc)) from None
        write_atomic(Path(args.out), prepared.pdf)
        notices.record_printed(store, [prepared], at=now, copies=1, mode=permission.mode)
    finally:
        store.close()
    notice = prepared.notice
    print(f"wrote {args.out}: notice {notice.template_id} {notice.template_version} for {args.ref}, "
          f"code {notice.verify_code}, for delivery {permission.mode.replace('_', ' ')}; it is registered with "
          f"the server at the next sync")
    if permission.mode == "sealed_envelope":
        print(permission.reason.get("en", ""))
    return 0
