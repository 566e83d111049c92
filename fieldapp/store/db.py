"""The device's encrypted store: a SQLCipher file whose raw key is kept only wrapped by the unlock secret."""

from __future__ import annotations

import base64
import json
import logging
import secrets
import shutil
import threading
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event, select, text
from sqlalchemy.orm import Session, sessionmaker

from fieldapp import paths
from fieldapp.core.atomic import write_atomic
from fieldapp.core.clock import device_now
from fieldapp.core.search import SEARCH_TEXT_VERSION
from fieldapp.store.migrations import current_revision, known_revisions, upgrade_to_head
from fieldapp.store.models import Meta
from fieldapp.store.repo.cases import refresh_search_texts

log = logging.getLogger(__name__)

DB_NAME = "device.db"
KEY_NAME = "device.key"
ATTACHMENTS_NAME = "attachments"
KEY_FILE_VERSION = 1
RAW_KEY_BYTES = 32
# The meta key saying which version of the search texts (core.search) the cases hold.
SEARCH_VERSION_KEY = "search_text_version"
#: Bound into the wrapped key so a key file cannot be confused with any other AES-GCM blob.
_KEY_AAD = b"fieldapp device key v1"

#: argon2id cost: about 0.2 s on a 2024 laptop core pair, up to ~0.5 s on an older one. The values
#: used are written into the key file, so raising them later never locks out an existing device.
KDF_DEFAULTS: dict[str, int] = {"time_cost": 3, "memory_cost": 128 * 1024, "parallelism": 2}


class StoreError(Exception):
    """The local store cannot be used; the message is for a person."""


class WrongSecret(StoreError):
    def __init__(self, message: str = "the PIN or password is wrong") -> None:
        super().__init__(message)


class WrongKey(StoreError):
    def __init__(self, message: str = "this key does not open the local database; nothing was changed") -> None:
        super().__init__(message)


class NotEnrolled(StoreError):
    def __init__(self, message: str = "this device is not enrolled yet; run `fieldapp enroll` first") -> None:
        super().__init__(message)


# ------------------------------------------------------------------------------------- key file
def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _derive(secret: str, salt: bytes, params: dict[str, int]) -> bytes:
    from argon2.low_level import Type, hash_secret_raw

    return hash_secret_raw(
        secret.encode("utf-8"),
        salt,
        time_cost=int(params["time_cost"]),
        memory_cost=int(params["memory_cost"]),
        parallelism=int(params["parallelism"]),
        hash_len=32,
        type=Type.ID,
    )


MIN_SECRET_LENGTH = 4


def validate_secret(secret: str) -> None:
    """Refuse an unlock secret too short to be one (StoreError with a plain message)."""
    if len(secret or "") < MIN_SECRET_LENGTH:
        raise StoreError(f"the PIN or password must have at least {MIN_SECRET_LENGTH} characters")


def _wrap(raw_key: bytes, secret: str, params: dict[str, int] | None = None) -> bytes:
    """The key file's bytes: ``raw_key`` sealed with AES-256-GCM under argon2id(secret)."""
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    validate_secret(secret)
    params = dict(params or KDF_DEFAULTS)
    salt = secrets.token_bytes(16)
    nonce = secrets.token_bytes(12)
    wrapped = AESGCM(_derive(secret, salt, params)).encrypt(nonce, raw_key, _KEY_AAD)
    document = {
        "version": KEY_FILE_VERSION,
        "kdf": "argon2id",
        **params,
        "salt": _b64(salt),
        "cipher": "aes-256-gcm",
        "nonce": _b64(nonce),
        "wrapped_key": _b64(wrapped),
        "written_at": device_now().isoformat(),
    }
    return json.dumps(document, indent=1).encode("utf-8")


def _unwrap(key_file: Path, secret: str) -> bytes:
    """The raw key from ``key_file``; WrongSecret or StoreError without touching anything else."""
    from cryptography.exceptions import InvalidTag
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    try:
        document = json.loads(key_file.read_bytes())
        if document.get("version") != KEY_FILE_VERSION or document.get("kdf") != "argon2id":
            raise ValueError("unknown key file version")
        params = {k: int(document[k]) for k in ("time_cost", "memory_cost", "parallelism")}
        salt = base64.b64decode(document["salt"], validate=True)
        nonce = base64.b64decode(document["nonce"], validate=True)
        wrapped = base64.b64decode(document["wrapped_key"], validate=True)
        if len(salt) < 8 or len(nonce) != 12 or len(wrapped) != 48:
            raise ValueError("bad field sizes")
    except FileNotFoundError:
        raise NotEnrolled() from None
    except (ValueError, KeyError, TypeError, AttributeError, OSError) as exc:
        log.warning("unreadable key file %s: %s", key_file, exc)
        raise StoreError(
            f"the key file {key_file} is damaged; the local data cannot be unlocked (restore it or re-enroll)"
        ) from None
    try:
        raw = AESGCM(_derive(secret, salt, params)).decrypt(nonce, wrapped, _KEY_AAD)
    except InvalidTag:
        raise WrongSecret() from None
    return raw


# ---------------------------------------------------------------------------------------- store
class DeviceStore:
    """The open, unlocked device database plus its attachment folder.

    Thread-safe in the way SQLAlchemy engines are: every thread takes its own ``session()``.
    """

    def __init__(self, data_dir: Path, raw_key: bytes, *, create: bool = False) -> None:
        self.data_dir = Path(data_dir)
        self.db_path = self.data_dir / DB_NAME
        self.key_path = self.data_dir / KEY_NAME
        self.attachments_dir = self.data_dir / ATTACHMENTS_NAME
        self.wiped = False
        self._raw_key = raw_key
        self._lock = threading.Lock()
        self._use_engine(_make_engine(self.db_path, raw_key, create=create))

    def _use_engine(self, engine: Engine) -> None:
        self.engine: Engine = engine
        self._sessions = sessionmaker(engine, expire_on_commit=False)

    # -- lifecycle
    @staticmethod
    def default_dir(data_dir: Path | None = None) -> Path:
        if data_dir is not None:
            return Path(data_dir)

        return paths.data_dir()

    @classmethod
    def exists(cls, data_dir: Path | None = None) -> bool:
        """Whether a store was created here (its key file exists)."""
        return (cls.default_dir(data_dir) / KEY_NAME).exists()

    @staticmethod
    def new_key() -> bytes:
        """A fresh random 256-bit database key (made before enrollment so the server can escrow it)."""
        return secrets.token_bytes(RAW_KEY_BYTES)

    @classmethod
    def create(cls, secret: str, data_dir: Path | None = None, *, raw_key: bytes | None = None) -> DeviceStore:
        """Make a new store under ``raw_key`` (default: a fresh random one); refuses to overwrite one."""
        if raw_key is None:
            raw_key = cls.new_key()
        if len(raw_key) != RAW_KEY_BYTES:
            raise StoreError("a database key has 32 bytes")
        directory = cls.default_dir(data_dir)
        directory.mkdir(parents=True, exist_ok=True, mode=0o700)
        if (directory / KEY_NAME).exists():
            raise StoreError(f"a local store already exists in {directory}")
        # Leftovers of an earlier, interrupted create or a wipe whose key file is gone cannot be
        # decrypted by anyone any more; clear them so the new database starts empty.
        for name in (DB_NAME, DB_NAME + "-wal", DB_NAME + "-shm", DB_NAME + "-journal"):
            (directory / name).unlink(missing_ok=True)
        write_atomic(directory / KEY_NAME, _wrap(raw_key, secret))
        store = cls(directory, raw_key, create=True)
        try:
            store._migrate()
        except BaseException:
            store.close()
            raise
        # From now on connections may only open the existing file: a connection made after a wipe
        # must fail, not silently create an empty database in its place.
        store.engine.dispose()
        store._use_engine(_make_engine(store.db_path, raw_key, create=False))
        store.attachments_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
        return store

    @classmethod
    def open(cls, secret: str, data_dir: Path | None = None) -> DeviceStore:
        """Unlock an existing store; the secret is checked before the database file is opened."""
        directory = cls.default_dir(data_dir)
        raw_key = _unwrap(directory / KEY_NAME, secret)
        if not (directory / DB_NAME).exists():
            raise StoreError(f"the local database is missing from {directory}; enroll this device again")
        store = cls(directory, raw_key)
        try:
            store._check_key()
            store._migrate()
        except BaseException:
            store.close()
            raise
        store.attachments_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
        return store

    @classmethod
    def recover(cls, raw_key_hex: str, new_secret: str, data_dir: Path | None = None) -> None:
        """Wrap the database's key, as escrowed by the server, under ``new_secret`` (the old one is forgotten).

        The key must open the existing database first; only then is the key file replaced (atomically).
        The data is not changed (only read to prove the key). WrongKey or StoreError leave every file as it was.
        """
        directory = cls.default_dir(data_dir)
        cleaned = "".join(raw_key_hex.split()).lower()
        try:
            raw_key = bytes.fromhex(cleaned)
        except ValueError:
            raw_key = b""
        if len(raw_key) != RAW_KEY_BYTES:
            raise StoreError(f"a recovery key has {2 * RAW_KEY_BYTES} hex characters (0-9, a-f); nothing was changed")
        validate_secret(new_secret)
        db_path = directory / DB_NAME
        if not db_path.exists():
            raise StoreError(f"there is no local database in {directory} to recover; nothing was changed")
        engine = _make_engine(db_path, raw_key, create=False)
        try:
            _check_engine_key(engine, WrongKey())
        finally:
            engine.dispose()
        write_atomic(directory / KEY_NAME, _wrap(raw_key, new_secret))

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> DeviceStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _check_key(self) -> None:
        _check_engine_key(
            self.engine, StoreError("the local database cannot be decrypted with this device's key (it is damaged)")
        )

    def _migrate(self) -> None:
        with self.engine.begin() as conn:
            current = current_revision(conn)
            if current is not None and current not in known_revisions():
                # Written by a newer FieldApp: migrating "up" from an unknown revision is impossible,
                # and guessing could damage unsynced work.
                raise StoreError(
                    "the local data was written by a newer version of FieldApp; install that version again"
                )
            upgrade_to_head(conn)
        self._refresh_search_texts()

    def _refresh_search_texts(self) -> None:
        """Rebuild the cases' search texts once when what they hold changed (pinyin came in version 2).

        Data, not schema: a meta version, so a later change of the keys needs no migration.
        """
        with self.session() as session:
            done = session.get(Meta, SEARCH_VERSION_KEY)
            if done is not None and done.value == SEARCH_TEXT_VERSION:
                return
            changed = refresh_search_texts(session)
            self.set_meta(session, SEARCH_VERSION_KEY, SEARCH_TEXT_VERSION)
            session.commit()
        if changed:
            log.info("rebuilt the search text of %d cases (search version %s)", changed, SEARCH_TEXT_VERSION)

    # -- sessions and settings
    def session(self) -> Session:
        """A new ORM session; each thread uses its own. Nothing commits unless the caller does."""
        if self.wiped:
            raise StoreError("the local data on this device was wiped")
        return self._sessions()

    def get_meta(self, key: str) -> str | None:
        with self.session() as session:
            return session.scalar(select(Meta.value).where(Meta.key == key))

    def set_meta(self, session: Session, key: str, value: str | None) -> None:
        """Set (or, with None, delete) a setting in ``session``'s transaction; the caller commits."""
        row = session.get(Meta, key)
        if value is None:
            if row is not None:
                session.delete(row)
        elif row is None:
            session.add(Meta(key=key, value=value))
        else:
            row.value = value

    def meta(self) -> dict[str, str]:
        with self.session() as session:
            return {row.key: row.value for row in session.scalars(select(Meta))}

    # -- secrets and wiping
    def change_secret(self, old: str, new: str) -> None:
        """Re-wrap the same raw key under ``new``; the database itself is not rewritten."""
        with self._lock:
            if _unwrap(self.key_path, old) != self._raw_key:
                raise StoreError("the key file does not belong to this database")
            write_atomic(self.key_path, _wrap(self._raw_key, new))

    def wipe(self) -> None:
        """Delete the database, its WAL/SHM files, the key file and every attachment (revoked device)."""
        self.close()
        # The key file first: once it is gone nothing left behind can be decrypted, even if a file
        # below cannot be removed (held open on Windows, say).
        for path in (self.key_path, self.db_path, *(Path(f"{self.db_path}{s}") for s in ("-wal", "-shm", "-journal"))):
            try:
                path.unlink(missing_ok=True)
            except OSError as exc:  # keep going: the rest must still go
                log.error("could not delete %s: %s", path, exc)
        shutil.rmtree(self.attachments_dir, ignore_errors=True)
        self._raw_key = b""
        self.wiped = True

    # -- attachments at rest (encrypted with a key derived from the raw key)
    def attachment_key(self) -> bytes:
        import hashlib
        import hmac

        return hmac.new(self._raw_key, b"fieldapp attachments v1", hashlib.sha256).digest()


def _check_engine_key(engine: Engine, error: StoreError) -> None:
    """Raise ``error`` unless ``engine``'s key decrypts its database (SQLCipher reads page 1 here)."""
    from sqlalchemy.exc import DatabaseError

    try:
        with engine.connect() as conn:
            conn.execute(text("SELECT count(*) FROM sqlite_master")).scalar_one()
    except DatabaseError:
        raise error from None


def _sqlite_uri(db_path: Path, *, create: bool) -> str:
    """A SQLite URI filename; ``mode=rw`` makes a missing file an error instead of a new database."""
    from urllib.parse import quote

    posix = Path(db_path).resolve().as_posix()
    if not posix.startswith("/"):  # a Windows drive path: file:/C:/...
        posix = "/" + posix
    return f"file:{quote(posix, safe='/:')}?mode={'rwc' if create else 'rw'}"


def _make_engine(db_path: Path, raw_key: bytes, *, create: bool = False) -> Engine:
    import sqlcipher3.dbapi2
    from sqlalchemy.pool import QueuePool

    uri = _sqlite_uri(db_path, create=create)

    def connect() -> Any:
        # A creator rather than a URL: SQLAlchemy would percent-decode the URI filename.
        return sqlcipher3.dbapi2.connect(uri, uri=True, check_same_thread=False, timeout=30)

    engine = create_engine("sqlite://", module=sqlcipher3.dbapi2, creator=connect, poolclass=QueuePool)
    key_pragma = f"PRAGMA key = \"x'{raw_key.hex()}'\""

    @event.listens_for(engine, "connect")
    def _set_key(dbapi_connection: Any, _record: Any) -> None:
        # The key must be the very first statement on a SQLCipher connection.
        cursor = dbapi_connection.cursor()
        try:
            cursor.execute(key_pragma)
            cursor.execute("PRAGMA journal_mode = WAL")
            cursor.execute("PRAGMA synchronous = FULL")  # a committed ack must survive power loss
            cursor.execute("PRAGMA foreign_keys = ON")
            cursor.execute("PRAGMA busy_timeout = 30000")
        finally:
            cursor.close()

    return engine


__all__ = ["DeviceStore", "NotEnrolled", "StoreError", "WrongKey", "WrongSecret", "KDF_DEFAULTS"]
