"""``fieldapp forms check`` on notice templates: each missing required field, section, language or
unknown placeholder is reported on its line; threats and (US7) suit language are refused."""

from __future__ import annotations

import shutil
from importlib.resources import as_file
from pathlib import Path

import pytest

from fieldapp.cli import main
from fieldapp.core.formcheck import check_dir, load_notice_template
from fieldapp.core.forms import FormError, bundled_forms
from fieldapp.core.notices import REQUIREMENTS, bundled_notice_templates


@pytest.fixture
def forms(tmp_path: Path) -> Path:
    """A private copy of the bundled forms to break."""
    with as_file(bundled_forms()) as source:
        target = tmp_path / "forms"
        shutil.copytree(source, target, ignore=shutil.ignore_patterns("__pycache__", "*.py"))
    return target


@pytest.fixture
def cn(forms: Path) -> Path:
    return forms / "notices" / "cn-overdue-notice.yaml"


@pytest.fixture
def us(forms: Path) -> Path:
    return forms / "notices" / "us-validation-notice.yaml"


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"{old!r} occurs {text.count(old)} times in {path.name}"
    path.write_text(text.replace(old, new), encoding="utf-8")


def line_of(path: Path, marker: str) -> int:
    hits = [i for i, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if marker in line]
    assert hits, f"{marker!r} not in {path.name}"
    return hits[0]


def problems_in(root: Path, path: Path) -> list[tuple[int, str]]:
    problems, _ = check_dir(root)
    return [(p.line, p.message) for p in problems if Path(p.file).name == path.name]


def assert_reported(root: Path, path: Path, line: int, fragment: str) -> None:
    found = problems_in(root, path)
    assert any(ln == line and fragment in msg for ln, msg in found), found


def test_bundled_templates_are_clean_and_load() -> None:
    problems, _ = check_dir()
    assert problems == []
    templates = bundled_notice_templates()
    assert {"cn-overdue-notice", "us-validation-notice"} <= set(templates)
    cn = templates["cn-overdue-notice"]
    assert set(REQUIREMENTS["CN"].fields) <= set(cn.required_fields)
    assert cn.languages == ("zh-CN", "en") and cn.page_size == "A4"
    assert templates["us-validation-notice"].page_size == "Letter"


def test_a_template_missing_a_cn9_field_is_refused_with_its_line(forms: Path, cn: Path,
                                                                 capsys: pytest.CaptureFixture[str]) -> None:
    edit(cn, "  - creditor_phone\n", "")
    line = line_of(cn, "required_fields:")
    assert_reported(forms, cn, line, "must require 'creditor_phone' (CN9: the creditor's contact details)")
    assert main(["forms", "check", str(forms)]) == 1
    out = capsys.readouterr().out
    assert f"{cn}:{line}: the CN notice must require 'creditor_phone'" in out


def test_a_required_field_not_shown_in_one_language(forms: Path, cn: Path) -> None:
    edit(cn, '      en: "Dear {debtor_name},"\n', '      en: "Dear customer,"\n')
    assert_reported(forms, cn, line_of(cn, "  - debtor_name"), "'debtor_name' is not shown in the en text")


def test_a_missing_section_is_refused(forms: Path, cn: Path) -> None:
    edit(cn, "    role: how_to_dispute\n", "")
    assert_reported(forms, cn, line_of(cn, "blocks:"), "no 'how_to_dispute' section (CN9: how to dispute")


def test_unknown_placeholder(forms: Path, cn: Path) -> None:
    edit(cn, '      zh-CN: "{debtor_name}先生/女士："\n', '      zh-CN: "{debtor_nmae}先生/女士："\n')
    assert_reported(forms, cn, line_of(cn, "{debtor_nmae}"), "unknown placeholder {debtor_nmae}")


def test_missing_language(forms: Path, cn: Path) -> None:
    edit(cn, '      en: "Dear {debtor_name},"\n', "")
    assert_reported(forms, cn, line_of(cn, "- type: addressee") + 1, "'en' is missing")


def test_language_list_must_have_both(forms: Path, cn: Path) -> None:
    edit(cn, "languages: [zh-CN, en]\n", "languages: [zh-CN]\n")
    assert_reported(forms, cn, line_of(cn, "languages:"), "must be available in en")


def test_threats_are_refused(forms: Path, cn: Path) -> None:
    edit(cn, "如您已还清上述款项，请忽略本函。", "否则我们将通知您的亲友和单位，后果自负。")
    line = line_of(cn, "后果自负")
    assert_reported(forms, cn, line, "'亲友' threatens")
    assert_reported(forms, cn, line, "'后果自负' threatens")


def test_us7_suit_language_must_be_conditional(forms: Path, us: Path) -> None:
    edit(us, "    role: consequences\n    only_if: not_time_barred\n", "    role: consequences\n")
    assert_reported(forms, us, line_of(us, "has not decided whether to file a lawsuit"),
                    "US7: suit language ('lawsuit') would be shown on a time-barred debt")


def test_b1_sections_and_fields(forms: Path, us: Path) -> None:
    edit(us, "    role: what_else\n", "")
    edit(us, "  - validation_period_end\n", "")
    assert_reported(forms, us, line_of(us, "blocks:"), "no 'what_else' section (B-1: 'What else can you do?')")
    assert_reported(forms, us, line_of(us, "required_fields:"), "must require 'validation_period_end'")


def test_unknown_block_type_and_key(forms: Path, cn: Path) -> None:
    edit(cn, "  - type: title\n", "  - type: banner\n")
    assert any("banner" in msg for _, msg in problems_in(forms, cn))


def test_from_yaml_refuses_a_broken_template(cn: Path) -> None:
    text = cn.read_text(encoding="utf-8").replace("  - creditor_phone\n", "")
    with pytest.raises(FormError, match="must require 'creditor_phone'"):
        load_notice_template(text)
    assert load_notice_template(cn.read_text(encoding="utf-8")).id == "cn-overdue-notice"


def test_a_template_id_used_twice(forms: Path, cn: Path) -> None:
    copy = cn.with_name("cn-overdue-notice-copy.yaml")
    copy.write_text(cn.read_text(encoding="utf-8"), encoding="utf-8")
    found = problems_in(forms, copy) + problems_in(forms, cn)
    assert (line_of(cn, "id: cn-overdue-notice"), "notice template id 'cn-overdue-notice' is used twice") in found


def test_no_amount_at_the_top_of_the_letter(forms: Path, cn: Path) -> None:
    edit(cn, '        value: "{issue_date}"\n', '        value: "{issue_date} {total_due}"\n')
    assert_reported(forms, cn, line_of(cn, "{issue_date} {total_due}"), "must not show {total_due}")
