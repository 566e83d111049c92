"""What the sync client reports: its errors (each a plain sentence) and its progress events, and the
settings it keeps in the device store's meta table.
"""

from __future__ import annotations

import dataclasses
import datetime as dt

# Meta keys (inside the encrypted database, never in a plain file).
META_SERVER = "server_url"
META_DEVICE_ID = "device_id"
META_TOKEN = "device_token"
META_USERNAME = "username"
META_DISPLAY_NAME = "display_name"
META_ROLE = "role"
META_TEAM = "team"
META_ENROLLED_AT = "enrolled_at"
META_CURSOR = "pull_cursor"
#: Set while a full resync runs: the generation number cases seen in it are stamped with.
META_RESYNC = "resync_generation"
META_LAST_SYNC = "last_sync"
META_SERVER_TIME = "server_time"
META_CLOCK_SKEW = "clock_skew_seconds"


# ------------------------------------------------------------------------------------------ errors
class SyncError(Exception):
    """A sync failure told in plain language (the message is for the collector)."""


class ServerUnreachable(SyncError):
    def __init__(self, message: str = "the server cannot be reached; your work is kept and will be sent later") -> None:
        super().__init__(message)


class DeviceRevoked(SyncError):
    def __init__(
        self, message: str = "this device was revoked by an administrator; its local data has been wiped"
    ) -> None:
        super().__init__(message)


class DeviceNotRecognised(SyncError):
    def __init__(self, message: str = "the server does not recognise this device; enroll it again") -> None:
        super().__init__(message)


class ClientTooOld(SyncError):
    def __init__(
        self,
        message: str = "this version of FieldApp is too old for the server; your work was sent, "
        "but update the app to receive cases",
    ) -> None:
        super().__init__(message)


class EnrollmentFailed(SyncError):
    pass


class ServerError(SyncError):
    pass


# ------------------------------------------------------------------------------------------ events
@dataclasses.dataclass(frozen=True)
class SyncStarted:
    pass


@dataclasses.dataclass(frozen=True)
class SyncProgress:
    phase: str  # "push" | "pull" | "attachments"
    done: int
    total: int | None


@dataclasses.dataclass
class SyncReport:
    pushed: int = 0
    accepted: int = 0
    duplicate: int = 0
    conflict: int = 0
    rejected: int = 0
    cases_received: int = 0
    cases_removed: int = 0
    attachments_uploaded: int = 0
    server_time: dt.datetime | None = None
    clock_skew_seconds: float | None = None
    finished_at: dt.datetime | None = None
    full_resync: bool = False
    forms_received: int = 0
    #: Forms that could not be taken this time, one plain sentence each.
    form_errors: list[str] = dataclasses.field(default_factory=list)
    #: Attachments that could not be sent this time, one plain sentence each.
    attachment_errors: list[str] = dataclasses.field(default_factory=list)

    def summary(self) -> str:
        parts = [
            f"sent {self.pushed} (accepted {self.accepted}, duplicate {self.duplicate}, "
            f"rejected {self.rejected}, conflict {self.conflict})",
            f"received {self.cases_received} cases, removed {self.cases_removed}",
            f"uploaded {self.attachments_uploaded} attachments",
        ]
        if self.forms_received:
            parts.append(f"received {self.forms_received} form versions")
        return "; ".join(parts)


@dataclasses.dataclass(frozen=True)
class SyncFinished:
    report: SyncReport


@dataclasses.dataclass(frozen=True)
class SyncFailed:
    error: Exception
