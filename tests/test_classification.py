"""The national classification 政府收支分类科目 as data: lookups, levels, editions, and
agreement with every code/name pair the filings at hand print."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from recover.label.classification import Classification, Scheme, default_classification

PAIRS = json.loads((Path(__file__).parent / "data" / "classification_pairs.json").read_text(encoding="utf-8"))


def test_lookups_by_code_give_name_level_and_parent() -> None:
    cls = default_classification()
    subject = cls.get("2101505")
    assert subject is not None and subject.name == "医疗保障政策管理"
    assert subject.level == 3 and subject.parent == "21015" and subject.scheme is Scheme.FUNCTION
    assert cls.name_of("21015") == "医疗保障管理事务" and cls.get("21015").level == 2  # type: ignore[union-attr]
    assert cls.name_of("210") == "卫生健康支出" and cls.get("210").parent is None  # type: ignore[union-attr]
    assert cls.name_of("30101") == "基本工资" and cls.scheme_of("30101") is Scheme.DEPT_ECON
    assert cls.name_of("50201") == "办公经费" and cls.scheme_of("50201") is Scheme.GOV_ECON
    assert cls.name_of("10304") == "行政事业性收费收入" and cls.scheme_of("10304") is Scheme.REVENUE
    assert cls.get("2101509") is None


def test_lookups_by_name_give_every_code_of_that_name() -> None:
    cls = default_classification()
    assert cls.codes_named("住房公积金") == ["2210201", "30113", "50103"]
    assert cls.codes_named("住房公积金", Scheme.DEPT_ECON) == ["30113"]
    # Width, spacing and quotes do not matter.
    assert cls.codes_named("维修(护)费") == ["30213", "50209"]
    assert cls.codes_named("医疗保障 政策管理") == ["2101505"]


def test_both_economic_classifications_are_complete_with_their_kuan() -> None:
    cls = default_classification()
    dept = [s.code for s in cls.in_scheme(Scheme.DEPT_ECON, level=1)]
    gov = [s.code for s in cls.in_scheme(Scheme.GOV_ECON, level=1)]
    assert dept == ["301", "302", "303", "307", "309", "310", "311", "312", "313", "399"]
    assert gov == [str(c) for c in range(501, 515)] + ["599"]
    for lei in dept + gov:
        assert cls.children(lei), f"{lei} has no 款"
    wages = [s.name for s in cls.children("301")]
    assert wages[:4] == ["基本工资", "津贴补贴", "奖金", "伙食补助费"] and len(wages) == 13


def test_function_classification_has_every_lei_and_each_code_sits_under_its_parent() -> None:
    cls = default_classification()
    lei = {s.code for s in cls.in_scheme(Scheme.FUNCTION, level=1)}
    assert {str(c) for c in range(201, 225) if c != 218} <= lei
    for subject in cls.subjects.values():
        if subject.parent is not None:
            assert cls.get(subject.parent) is not None, f"{subject.code} has no parent"


def test_every_pair_the_filings_print_is_in_the_classification() -> None:
    cls = default_classification()
    pairs = [(code, name) for code, names in PAIRS["pairs"].items() for name in names]
    assert len(pairs) >= 150
    wrong = [(code, name) for code, name in pairs if not cls.accepts(code, name)]
    assert wrong == []


def test_a_code_renamed_between_editions_accepts_either_name() -> None:
    cls = default_classification()
    assert cls.accepts("21305", "扶贫") and cls.accepts("21305", "巩固脱贫攻坚成果衔接乡村振兴")
    assert cls.name_of("21305") == "巩固脱贫攻坚成果衔接乡村振兴"  # the newer edition's name first
    assert cls.get("21305").editions == (2021, 2020)  # type: ignore[union-attr]


def test_a_user_file_loads_and_a_malformed_code_is_a_clear_error(tmp_path: Path) -> None:
    good = tmp_path / "c.yaml"
    good.write_text('edition: 2026\nfunction:\n  "299": 新类\n  "29901": {2025: 旧款, 2026: 新款}\n', "utf-8")
    cls = Classification.load(good)
    assert cls.edition == 2026 and cls.name_of("29901") == "新款" and cls.accepts("29901", "旧款")
    bad = tmp_path / "bad.yaml"
    bad.write_text('function:\n  "2991": 四位\n', "utf-8")
    with pytest.raises(ValueError, match="2991"):
        Classification.load(bad)


def test_shipped_models_parse_as_yaml_safe_load_parses_them() -> None:
    import yaml

    from recover.data import data_file, load_yaml

    for name in ("columns.yaml", "classification.yaml", "digit_confusion.yaml", "document_rules.yaml"):
        text = data_file(name).read_text(encoding="utf-8")
        assert load_yaml(text) == yaml.safe_load(text), name
    assert load_yaml("a: 1.0\nb: [on, '2', 3]\nc: 2024-01-01\n") == yaml.safe_load(
        "a: 1.0\nb: [on, '2', 3]\nc: 2024-01-01\n"
    )
