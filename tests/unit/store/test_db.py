"""The encrypted device store: key wrapping, wrong secrets, encryption at rest, wiping, migrations."""

from __future__ import annotations

import json
import os
import sqlite3
import time
from pathlib import Path

import pytest
from client_fixtures import TEST_SECRET, case_record
from sqlalchemy import create_engine, inspect, select, text

from fieldapp.store import repo
from fieldapp.store.db import (
    DB_NAME,
    KEY_NAME,
    DeviceStore,
    NotEnrolled,
    StoreError,
    WrongSecret,
)
from fieldapp.store.models import Base, Case

NAME = "欧阳震华"


def test_create_and_open_round_trip(device_dir: Path, fast_kdf: None) -> None:
    assert not DeviceStore.exists(device_dir)
    store = DeviceStore.create(TEST_SECRET, device_dir)
    with store.session() as s:
        store.set_meta(s, "server_url", "https://example.test")
        repo.apply_case(s, case_record(7, debtor_name=NAME))
        s.commit()
    store.close()

    assert DeviceStore.exists(device_dir)
    again = DeviceStore.open(TEST_SECRET, device_dir)
    try:
        assert again.get_meta("server_url") == "https://example.test"
        assert again.get_meta("missing") is None
        with again.session() as s:
            case = s.get(Case, 7)
            assert case is not None and case.debtor_name == NAME
            assert NAME.lower() in case.search_text
    finally:
        again.close()


def test_create_refuses_to_overwrite(device_store: DeviceStore) -> None:
    with pytest.raises(StoreError):
        DeviceStore.create("another-secret", device_store.data_dir)


def test_open_without_a_store_says_not_enrolled(device_dir: Path) -> None:
    with pytest.raises(NotEnrolled):
        DeviceStore.open(TEST_SECRET, device_dir)


def test_default_location_follows_fieldapp_home(fieldapp_home: Path, fast_kdf: None) -> None:
    store = DeviceStore.create(TEST_SECRET)
    try:
        assert store.data_dir.is_relative_to(fieldapp_home)
        assert DeviceStore.exists()
    finally:
        store.close()


def test_database_file_is_really_encrypted(device_store: DeviceStore) -> None:
    with device_store.session() as s:
        repo.apply_case(s, case_record(1, debtor_name=NAME, address="unique-address-marker-42"))
        s.commit()
    device_store.close()
    path = device_store.data_dir / DB_NAME
    raw = b"".join(p.read_bytes() for p in device_store.data_dir.glob(DB_NAME + "*") if p.is_file())
    assert NAME.encode("utf-8") not in raw
    assert b"unique-address-marker-42" not in raw
    assert not raw.startswith(b"SQLite format 3")
    plain = sqlite3.connect(path)
    try:
        with pytest.raises(sqlite3.DatabaseError):
            plain.execute("SELECT * FROM sqlite_master").fetchall()
    finally:
        plain.close()
    # The key file holds only the wrapped key, never the raw one or the secret.
    key_text = (device_store.data_dir / KEY_NAME).read_text()
    document = json.loads(key_text)
    assert document["kdf"] == "argon2id" and TEST_SECRET not in key_text


def test_wrong_secret_touches_nothing(device_store: DeviceStore) -> None:
    device_store.close()
    files = {p: (p.read_bytes(), p.stat().st_mtime_ns) for p in device_store.data_dir.iterdir() if p.is_file()}
    time.sleep(0.01)
    with pytest.raises(WrongSecret, match="PIN or password is wrong"):
        DeviceStore.open("not-the-pin", device_store.data_dir)
    after = {p: (p.read_bytes(), p.stat().st_mtime_ns) for p in device_store.data_dir.iterdir() if p.is_file()}
    assert after == files


def test_wrong_secret_is_detected_before_the_database_is_opened(
    device_store: DeviceStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    device_store.close()
    import fieldapp.store.db as db

    def boom(*args: object, **kwargs: object) -> None:
        raise AssertionError("the database must not be opened with a wrong secret")

    monkeypatch.setattr(db, "_make_engine", boom)
    with pytest.raises(WrongSecret):
        DeviceStore.open("not-the-pin", device_store.data_dir)


@pytest.mark.parametrize(
    "damage",
    [
        lambda doc: "not json at all {",
        lambda doc: json.dumps({**doc, "salt": "%%%"}),
        lambda doc: json.dumps({k: v for k, v in doc.items() if k != "wrapped_key"}),
        lambda doc: json.dumps({**doc, "version": 99}),
    ],
    ids=["garbage", "bad-base64", "missing-field", "unknown-version"],
)
def test_damaged_key_file_gives_a_plain_error(device_store: DeviceStore, damage: object) -> None:
    device_store.close()
    key = device_store.data_dir / KEY_NAME
    doc = json.loads(key.read_text())
    key.write_text(damage(doc))  # type: ignore[operator]
    with pytest.raises(StoreError, match="key file") as info:
        DeviceStore.open(TEST_SECRET, device_store.data_dir)
    assert not isinstance(info.value, WrongSecret)


def test_key_file_of_another_store_is_detected(tmp_path: Path, fast_kdf: None) -> None:
    a = DeviceStore.create(TEST_SECRET, tmp_path / "a")
    b = DeviceStore.create(TEST_SECRET, tmp_path / "b")
    a.close()
    b.close()
    (tmp_path / "a" / KEY_NAME).write_bytes((tmp_path / "b" / KEY_NAME).read_bytes())
    with pytest.raises(StoreError, match="cannot be decrypted"):
        DeviceStore.open(TEST_SECRET, tmp_path / "a")


def test_change_secret(device_store: DeviceStore) -> None:
    with pytest.raises(WrongSecret):
        device_store.change_secret("wrong-old", "new-secret-1")
    with pytest.raises(StoreError):
        device_store.change_secret(TEST_SECRET, "1")  # too short to be a PIN
    device_store.change_secret(TEST_SECRET, "new-secret-1")
    device_store.close()
    with pytest.raises(WrongSecret):
        DeviceStore.open(TEST_SECRET, device_store.data_dir)
    DeviceStore.open("new-secret-1", device_store.data_dir).close()


def test_key_file_is_private(device_store: DeviceStore) -> None:
    if os.name != "posix":
        pytest.skip("POSIX permissions")
    assert (device_store.data_dir / KEY_NAME).stat().st_mode & 0o077 == 0


def test_wipe_removes_everything(device_store: DeviceStore) -> None:
    with device_store.session() as s:
        repo.apply_case(s, case_record(1))
        repo.add_attachment(s, device_store, b"signature strokes", "image/png")
        s.commit()
    assert any(device_store.attachments_dir.iterdir())
    device_store.wipe()
    leftovers = [p.name for p in device_store.data_dir.rglob("*") if p.is_file()]
    assert leftovers == []
    assert not DeviceStore.exists(device_store.data_dir)
    # After a wipe the device can be set up afresh.
    DeviceStore.create("fresh-pin", device_store.data_dir).close()


def test_sessions_from_several_threads(device_store: DeviceStore) -> None:
    import threading

    errors: list[BaseException] = []

    def work(n: int) -> None:
        try:
            for i in range(20):
                with device_store.session() as s:
                    repo.apply_case(s, case_record(n * 100 + i))
                    s.commit()
        except BaseException as exc:  # noqa: BLE001 - handed to the main thread
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    with device_store.session() as s:
        assert repo.counts(s)["cases"] == 80


# ------------------------------------------------------------------------------------- migrations
def test_migrations_from_empty_to_head_match_the_models(tmp_path: Path) -> None:
    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext

    from fieldapp.store.migrations import (
        current_revision,
        head_revision,
        upgrade_to_head,
    )

    engine = create_engine(f"sqlite:///{tmp_path / 'plain.db'}")
    with engine.begin() as conn:
        assert current_revision(conn) is None
        upgrade_to_head(conn)
    with engine.connect() as conn:
        assert current_revision(conn) == head_revision()
        diff = compare_metadata(MigrationContext.configure(conn, opts={"compare_type": True}), Base.metadata)
        assert diff == []
        assert set(inspect(conn).get_table_names()) == set(Base.metadata.tables) | {"alembic_version"}
    engine.dispose()


def test_each_revision_upgrades_a_populated_database(tmp_path: Path) -> None:
    """Step through the revisions one at a time with data in place (SQLite batch moves must keep rows)."""
    from alembic import command

    from fieldapp.store.migrations import alembic_config

    engine = create_engine(f"sqlite:///{tmp_path / 'steps.db'}")
    with engine.begin() as conn:
        command.upgrade(alembic_config(conn), "0001")
        conn.execute(
            text(
                "INSERT INTO cases (id, revision, account_ref, debtor_name, id_number_masked, phone, address, city,"
                " district, timezone, currency, principal, fees, total_due, dpd, risk_grade, creditor, product,"
                " jurisdiction, status, flags, attributes, search_text) VALUES (1, 1, 'A1', 'n', '', '', '', '',"
                " '', 'Asia/Shanghai', 'CNY', 0, 0, 0, 0, '', '', '', 'CN', 'open', '[]', '{}', '')"
            )
        )
    with engine.begin() as conn:
        command.upgrade(alembic_config(conn), "head")
    with engine.connect() as conn:
        assert conn.execute(text("SELECT account_ref, sync_generation FROM cases")).all() == [("A1", 0)]
    engine.dispose()


def test_open_runs_pending_migrations(device_store: DeviceStore) -> None:
    from alembic import command

    from fieldapp.store.migrations import alembic_config, head_revision

    with device_store.engine.begin() as conn:
        command.downgrade(alembic_config(conn), "0001")
    device_store.close()
    store = DeviceStore.open(TEST_SECRET, device_store.data_dir)
    try:
        with store.engine.connect() as conn:
            assert conn.execute(text("SELECT version_num FROM alembic_version")).scalar_one() == head_revision()
            assert "sync_generation" in {c["name"] for c in inspect(conn).get_columns("cases")}
        with store.session() as s:
            assert s.scalars(select(Case)).all() == []
    finally:
        store.close()


def test_a_database_from_a_newer_app_is_refused_plainly(device_store: DeviceStore) -> None:
    with device_store.engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '9999_future'"))
    device_store.close()
    with pytest.raises(StoreError, match="newer version"):
        DeviceStore.open(TEST_SECRET, device_store.data_dir)


def test_a_wiped_store_is_never_recreated_by_a_late_session(device_store: DeviceStore) -> None:
    device_store.wipe()
    with pytest.raises(StoreError, match="wiped"):
        device_store.session()
    with pytest.raises(StoreError):
        device_store.get_meta("server_url")
    assert not (device_store.data_dir / DB_NAME).exists()


def test_paths_with_odd_characters(tmp_path: Path, fast_kdf: None) -> None:
    folder = tmp_path / "张 三?#%20 data"
    DeviceStore.create(TEST_SECRET, folder).close()
    store = DeviceStore.open(TEST_SECRET, folder)
    try:
        assert store.get_meta("x") is None
        assert (folder / DB_NAME).exists()
        assert sorted(p.name for p in tmp_path.iterdir()) == sorted(["home", folder.name])
    finally:
        store.close()


def test_a_store_from_before_pinyin_search_rebuilds_its_search_texts_once(device_dir: Path, fast_kdf: None) -> None:
    from fieldapp.store.db import SEARCH_VERSION_KEY

    store = DeviceStore.create(TEST_SECRET, device_dir)
    with store.session() as session:
        repo.apply_case(session, case_record(1, debtor_name="曾志伟"))
        session.get(Case, 1).search_text = "曾志伟 acc-000001"  # as an older FieldApp wrote it
        store.set_meta(session, SEARCH_VERSION_KEY, None)
        session.commit()
    store.close()
    again = DeviceStore.open(TEST_SECRET, device_dir)
    with again.session() as session:
        text_now = session.get(Case, 1).search_text
        assert "zengzhiwei" in text_now and "zzw" in text_now and "cengzhiwei" in text_now
        session.get(Case, 1).search_text = "kept"  # once rebuilt, a later open leaves the texts alone
        session.commit()
    again.close()
    third = DeviceStore.open(TEST_SECRET, device_dir)
    with third.session() as session:
        assert session.get(Case, 1).search_text == "kept"
    third.close()
