"""core.search: a debtor is found by the pinyin of the name and its initials, surnames read as surnames."""

from __future__ import annotations

import pytest

from fieldapp.core.search import name_keys


@pytest.mark.parametrize(("name", "keys"), [
    ("王小明", ["wangxiaoming", "wxm"]),
    ("欧阳 娜娜", ["ouyangnana", "oynn"]),  # spaces inside a name do not matter
    ("吕布", ["lvbu", "lb"]),  # ü typed as v, as on every pinyin keyboard
    ("曾志伟", ["cengzhiwei", "czw", "zengzhiwei", "zzw"]),  # 曾 as a surname is zēng
    ("单田芳", ["dantianfang", "dtf", "shantianfang", "stf"]),
    ("尉迟恭", ["yuchigong", "ycg"]),  # a two-character surname keeps both initials
    ("John Smith", []),
    ("", []),
])
def test_name_keys(name: str, keys: list[str]) -> None:
    assert name_keys(name) == keys
