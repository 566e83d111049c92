"""Plain-language, translated sentences for what went wrong (never a stack trace on screen)."""

from __future__ import annotations

import logging

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication

log = logging.getLogger(__name__)

# Exception class name → (sentence, whether the entered account details were the problem).
# The first class in an exception's MRO that is listed here decides.
_MESSAGES: dict[str, tuple[str, bool]] = {
    "WrongSecret": (QT_TRANSLATE_NOOP("Messages", "That PIN or password is not right. Nothing was changed; "
                                                  "try again."), False),
    "NotEnrolled": (QT_TRANSLATE_NOOP("Messages", "This laptop is not enrolled yet. Restart FieldApp to set it "
                                                  "up."), False),
    "EnrollmentFailed": (QT_TRANSLATE_NOOP("Messages", "The server did not accept the enrollment. Check the code "
                                                       "(it works once and expires), your username and your "
                                                       "password, or ask IT for a new code."), True),
    "ServerUnreachable": (QT_TRANSLATE_NOOP("Messages", "The server cannot be reached. Check the network and the "
                                                        "server address; your work is kept on this laptop."), True),
    "DeviceRevoked": (QT_TRANSLATE_NOOP("Messages", "This laptop was revoked by IT. Its local data has been "
                                                    "wiped. Ask IT to enroll it again."), False),
    "DeviceNotRecognised": (QT_TRANSLATE_NOOP("Messages", "The server does not recognise this laptop any more. "
                                                          "Ask IT to enroll it again; your work stays here."), False),
    "ClientTooOld": (QT_TRANSLATE_NOOP("Messages", "This version of FieldApp is too old for the server. Ask IT "
                                                   "for the update; your records stay on this laptop until then."),
                     False),
    "ServerError": (QT_TRANSLATE_NOOP("Messages", "The server had a problem and could not finish. It will be "
                                                  "tried again; nothing was lost."), False),
    "StoreError": (QT_TRANSLATE_NOOP("Messages", "The local data cannot be opened: {reason}"), False),
    "SyncError": (QT_TRANSLATE_NOOP("Messages", "Syncing did not work: {reason}"), False),
}
UNEXPECTED = QT_TRANSLATE_NOOP("Messages", "Something unexpected went wrong. The details are in the log; use "
                                           "\"Copy details\" to send them to IT.")


def describe_error(exc: BaseException, details: str = "") -> tuple[str, bool]:
    """``(message for a person, whether the entered account details were the problem)``.

    Unexpected errors are logged with their traceback and described generically.
    """
    for cls in type(exc).__mro__:
        if cls.__name__ in _MESSAGES:
            text, account_problem = _MESSAGES[cls.__name__]
            return QCoreApplication.translate("Messages", text).format(reason=str(exc)), account_problem
    log.error("unexpected error: %s\n%s", exc, details)
    return QCoreApplication.translate("Messages", UNEXPECTED), False
