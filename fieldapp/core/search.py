"""What the case search matches a debtor's name by: the characters, their pinyin and its initials.

A collector types ``wangxm``, ``wxm`` or ``wang xiao`` for 王小明 on a laptop whose input method is off.
Some characters read differently as a surname (曾 is zēng, 单 is shàn, 解 is xiè): for those the
surname reading counts beside pypinyin's usual one.
"""

from __future__ import annotations

from pypinyin import lazy_pinyin

# Bump when what ``name_keys`` produces changes: stores rebuild their search texts once (store.db).
SEARCH_TEXT_VERSION = "2"

# Surnames whose reading differs from the character's most common one (the usual Baijiaxing exceptions).
SURNAME_READINGS = {
    "曾": "zeng", "单": "shan", "解": "xie", "区": "ou", "仇": "qiu", "朴": "piao", "查": "zha", "乐": "yue",
    "覃": "qin", "翟": "zhai", "缪": "miao", "召": "shao", "盖": "ge", "种": "chong", "秘": "bi", "冼": "xian",
    "员": "yun", "薄": "bo", "能": "nai", "过": "guo", "繁": "po", "隗": "wei", "谌": "shen", "阚": "kan",
    "句": "gou", "莘": "shen", "长孙": "zhang sun", "尉迟": "yu chi", "万俟": "mo qi",
}


def _has_han(text: str) -> bool:
    return any("\u3400" <= ch <= "\u9fff" or "\uf900" <= ch <= "\ufaff" for ch in text)


def name_keys(name: str) -> list[str]:
    """Lower-case pinyin spellings of ``name`` (whole and initials); [] for a name with no Han characters."""
    name = "".join(name.split())
    if not name or not _has_han(name):
        return []
    spellings = [lazy_pinyin(name)]
    for surname, reading in SURNAME_READINGS.items():
        if name.startswith(surname) and len(name) > len(surname):
            spellings.append([*reading.split(), *lazy_pinyin(name[len(surname):])])
    keys: list[str] = []
    for syllables in spellings:
        keys.append("".join(syllables).lower())
        keys.append("".join(s[:1] for s in syllables).lower())
    return list(dict.fromkeys(k for k in keys if k))
