"""DeviceStore.recover: a forgotten unlock secret is replaced using the escrowed raw key (PRODUCT.md §8)."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest
from client_fixtures import TEST_SECRET, case_record
from sqlalchemy import select

from fieldapp.store import repo
from fieldapp.store.db import (
    DB_NAME,
    KEY_NAME,
    DeviceStore,
    StoreError,
    WrongKey,
    WrongSecret,
)
from fieldapp.store.models import Case

NEW_SECRET = "new-secret-975"


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in folder.rglob("*") if p.is_file()}


@pytest.fixture
def store_with_a_case(device_dir: Path, fast_kdf: None) -> bytes:
    """A closed store holding one case; returns its raw key."""
    key = DeviceStore.new_key()
    with DeviceStore.create(TEST_SECRET, device_dir, raw_key=key) as store:
        with store.session() as s:
            repo.apply_cases(s, [case_record(1)])
            s.commit()
    return key


def test_create_uses_the_key_it_is_given(device_dir: Path, fast_kdf: None) -> None:
    key = DeviceStore.new_key()
    assert len(key) == 32 and key != DeviceStore.new_key()
    with DeviceStore.create(TEST_SECRET, device_dir, raw_key=key) as store:
        assert store._raw_key == key
    with DeviceStore.open(TEST_SECRET, device_dir) as store:
        assert store._raw_key == key
    with pytest.raises(StoreError):
        DeviceStore.create(TEST_SECRET, device_dir.parent / "other", raw_key=b"short")


def test_recover_rewraps_the_key_and_keeps_the_data(device_dir: Path, store_with_a_case: bytes) -> None:
    before = _snapshot(device_dir)
    DeviceStore.recover(" " + store_with_a_case.hex().upper() + "\n", NEW_SECRET, device_dir)
    after = _snapshot(device_dir)
    assert after[DB_NAME] == before[DB_NAME]
    assert after[KEY_NAME] != before[KEY_NAME]
    assert stat.S_IMODE((device_dir / KEY_NAME).stat().st_mode) == 0o600
    with pytest.raises(WrongSecret):
        DeviceStore.open(TEST_SECRET, device_dir)
    with DeviceStore.open(NEW_SECRET, device_dir) as store:
        with store.session() as s:
            assert [c.account_ref for c in s.scalars(select(Case))] == ["ACC-000001"]


def test_recover_works_when_the_key_file_is_lost(device_dir: Path, store_with_a_case: bytes) -> None:
    (device_dir / KEY_NAME).unlink()
    DeviceStore.recover(store_with_a_case.hex(), NEW_SECRET, device_dir)
    with DeviceStore.open(NEW_SECRET, device_dir) as store, store.session() as s:
        assert len(list(s.scalars(select(Case)))) == 1


@pytest.mark.parametrize(
    ("key", "error", "message"),
    [
        ("5a" * 32, WrongKey, "does not open the local database"),
        ("abc", StoreError, "64 hex characters"),
        ("zz" * 32, StoreError, "64 hex characters"),
    ],
)
def test_a_wrong_key_touches_nothing(device_dir: Path, store_with_a_case: bytes, key: str, error: type, message: str) -> None:
    before = _snapshot(device_dir)
    with pytest.raises(error, match=message):
        DeviceStore.recover(key, NEW_SECRET, device_dir)
    assert _snapshot(device_dir) == before
    with DeviceStore.open(TEST_SECRET, device_dir):
        pass


def test_a_too_short_new_secret_touches_nothing(device_dir: Path, store_with_a_case: bytes) -> None:
    before = _snapshot(device_dir)
    with pytest.raises(StoreError, match="at least"):
        DeviceStore.recover(store_with_a_case.hex(), "12", device_dir)
    assert _snapshot(device_dir) == before


def test_recover_without_a_database_is_a_plain_error(tmp_path: Path, fast_kdf: None) -> None:
    with pytest.raises(StoreError, match="no local database"):
        DeviceStore.recover(DeviceStore.new_key().hex(), NEW_SECRET, tmp_path / "empty")
    assert not (tmp_path / "empty" / KEY_NAME).exists()
