"""Realistic, entirely fictional Chinese demo cases, as the lending system's CSV export would hold them.

Used by ``fieldapp demo``, the benchmarks and the tests. Deterministic for a given seed. Every name,
number and company is made up; phone numbers use reserved-looking ranges.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import random
from collections.abc import Iterable
from decimal import Decimal
from pathlib import Path

COLUMNS = [
    "account_ref", "debtor_name", "id_number", "phone", "address", "city", "district", "timezone",
    "currency", "principal", "fees", "total_due", "dpd", "overdue_since", "last_payment_date",
    "last_payment_amount", "risk_grade", "creditor", "product", "jurisdiction", "assignee",
]

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华玉萍红娥玲芬燕彬鹏辉斌宇浩凯健俊帆帅旭宁亮成佳欣怡梓涵子轩浩然雨桐一诺思远晨曦"

# city → (ID-number region prefix, districts → street names)
CITIES: dict[str, tuple[str, dict[str, list[str]]]] = {
    "上海市": ("310104", {
        "徐汇区": ["漕溪北路", "龙华中路", "天钥桥路", "宜山路"],
        "浦东新区": ["张杨路", "世纪大道", "东方路", "浦电路"],
        "闵行区": ["莘庄路", "七莘路", "都市路", "沪闵路"],
    }),
    "杭州市": ("330106", {
        "西湖区": ["文三路", "古墩路", "天目山路", "学院路"],
        "拱墅区": ["莫干山路", "湖墅南路", "大关路"],
        "萧山区": ["人民路", "金城路", "市心中路"],
    }),
    "广州市": ("440106", {
        "天河区": ["天河北路", "黄埔大道", "中山大道", "体育西路"],
        "白云区": ["机场路", "同和路", "广园中路"],
        "海珠区": ["江南大道", "新港西路", "工业大道"],
    }),
    "成都市": ("510107", {
        "武侯区": ["人民南路", "科华北路", "龙腾中路"],
        "锦江区": ["东大街", "春熙路", "红星路"],
        "成华区": ["建设路", "二环路东二段", "府青路"],
    }),
    "武汉市": ("420106", {
        "武昌区": ["中南路", "武珞路", "徐东大街"],
        "洪山区": ["珞喻路", "雄楚大道", "光谷大道"],
        "江汉区": ["解放大道", "建设大道", "新华路"],
    }),
    "郑州市": ("410105", {
        "金水区": ["花园路", "经三路", "农业路"],
        "二七区": ["大学路", "嵩山路", "航海中路"],
    }),
}

COMMUNITIES = ["阳光花园", "幸福里小区", "锦绣家园", "金色港湾", "翠苑", "绿城桂花园", "和平新村", "万科城",
               "东方明珠苑", "新华小区", "保利花园", "碧桂园", "怡景苑", "滨江花苑"]
CREDITORS = [("星河消费金融有限公司", "星河信用购"), ("云帆小额贷款有限公司", "云帆分期"),
             ("远航商业银行信用卡中心", "远航白金卡"), ("青禾网络小贷有限公司", "青禾先享后付")]
RISK_GRADES = ["A", "B", "B", "C", "C", "C", "D", "D", "E"]
_ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
_ID_CHECK = "10X98765432"


def _id_number(rng: random.Random, region: str) -> str:
    """A syntactically valid (checksum-correct) but fictional 18-digit resident ID number."""
    birth = dt.date(1965, 1, 1) + dt.timedelta(days=rng.randrange(0, 365 * 38))
    body = f"{region}{birth:%Y%m%d}{rng.randrange(0, 1000):03d}"
    return body + _ID_CHECK[sum(int(d) * w for d, w in zip(body, _ID_WEIGHTS)) % 11]


def _name(rng: random.Random) -> str:
    given = rng.choice(GIVEN) + (rng.choice(GIVEN) if rng.random() < 0.7 else "")
    return rng.choice(SURNAMES) + given


def generate_cases(count: int, *, today: dt.date, seed: int = 7, assignee: str = "",
                   prefix: str = "DEMO") -> list[dict[str, str]]:
    """``count`` CSV rows (column → text) across several cities and DPD bands, overdue as of ``today``
    (the debtors' date: Shanghai's, for these cases)."""
    rng = random.Random(seed)
    rows: list[dict[str, str]] = []
    cities = list(CITIES)
    for index in range(count):
        city = cities[index % len(cities)] if index < len(cities) else rng.choice(cities)
        region, districts = CITIES[city]
        district = rng.choice(list(districts))
        street = rng.choice(districts[district])
        address = (f"{city}{district}{street}{rng.randrange(1, 999)}号{rng.choice(COMMUNITIES)}"
                   f"{rng.randrange(1, 30)}栋{rng.randrange(1, 6)}单元{rng.randrange(1, 33)}{rng.randrange(1, 5):02d}室")
        dpd = rng.choice([rng.randrange(5, 31), rng.randrange(31, 61), rng.randrange(61, 91),
                          rng.randrange(91, 181), rng.randrange(181, 720)])
        principal = Decimal(rng.randrange(800, 60000)) + Decimal(rng.randrange(0, 100)) / 100
        fees = (principal * Decimal(min(dpd, 360)) * Decimal("0.0005")).quantize(Decimal("0.01"))
        creditor, product = rng.choice(CREDITORS)
        paid_before = rng.random() < 0.6
        last_payment = today - dt.timedelta(days=dpd + rng.randrange(1, 60))
        rows.append({
            "account_ref": f"{prefix}{index + 1:06d}",
            "debtor_name": _name(rng),
            "id_number": _id_number(rng, region),
            "phone": f"1{rng.choice('3456789')}{rng.randrange(0, 10)}0000{rng.randrange(0, 10000):04d}",
            "address": address,
            "city": city,
            "district": district,
            "timezone": "Asia/Shanghai",
            "currency": "CNY",
            "principal": f"{principal:.2f}",
            "fees": f"{fees:.2f}",
            "total_due": f"{principal + fees:.2f}",
            "dpd": str(dpd),
            "overdue_since": (today - dt.timedelta(days=dpd)).isoformat(),
            "last_payment_date": last_payment.isoformat() if paid_before else "",
            "last_payment_amount": f"{Decimal(rng.randrange(100, 3000)):.2f}" if paid_before else "",
            "risk_grade": rng.choice(RISK_GRADES),
            "creditor": creditor,
            "product": product,
            "jurisdiction": "CN",
            "assignee": assignee,
        })
    return rows


def to_csv(rows: Iterable[dict[str, str]], *, columns: list[str] | None = None) -> str:
    """The rows as CSV text with a header row (line endings as Excel writes them)."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=columns or COLUMNS, extrasaction="ignore", lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue()


def write_csv(rows: Iterable[dict[str, str]], path: Path, *, encoding: str = "utf-8-sig") -> Path:
    """Write ``rows`` to ``path`` in ``encoding`` (utf-8-sig is what Excel writes; gb18030 for old exports)."""
    Path(path).write_bytes(to_csv(rows).encode(encoding))
    return Path(path)
