"""The Python binding's tests (issue 14 §5), run by .ci/run after
`pip install ./bindings/python` into a fresh virtual environment."""

import json
import threading
from decimal import Decimal
from pathlib import Path

import pytest

import kaohe

ROOT = Path(__file__).resolve().parents[3]
MILUO = ROOT / "rulesets" / "miluo-2026" / "miluo-2026.rules"
APRIL = ROOT / "rulesets" / "miluo-2026" / "examples" / "2026-04.json"

# The embedding guide's example (docs/embedding.md), with its hand-computed scores.
FACTS = {
    "as_of": "2026-06-10",
    "units": [
        {"id": "jtj", "name": "教体局", "group": "lead"},
        {"id": "wjj", "name": "卫健局", "group": "lead"},
    ],
    "records": [
        {"unit": "jtj", "period": "2026-04", "kind": "indicator", "reported": "2026-04-14",
         "attributes": {"name": "扩充优质普通高中公办学位", "level": "provincial", "required": 30, "actual": 0}},
        {"unit": "wjj", "period": "2026-04", "kind": "indicator", "reported": "2026-04-14",
         "attributes": {"name": "免费羊水产前诊断", "level": "city", "required": Decimal("30"), "actual": 20}},
    ],
}


@pytest.fixture(scope="module")
def miluo():
    return kaohe.Ruleset.from_file(MILUO)


def result(evaluation, unit, period="2026-04"):
    return next(r for r in evaluation["results"] if r["unit"] == unit and r["period"] == period)


def test_version():
    assert kaohe.version()["api_version"] == kaohe.API_VERSION == 1


def test_evaluate_a_dict_gives_decimal_scores(miluo):
    evaluation = miluo.evaluate(FACTS)
    assert evaluation["format_version"] == 1
    jtj, wjj = result(evaluation, "jtj"), result(evaluation, "wjj")
    assert jtj["total"] == Decimal("95") and isinstance(jtj["total"], Decimal)
    assert wjj["total"] == Decimal("97")
    assert (wjj["rank"], jtj["rank"]) == (1, 2)
    assert sum(item["amount"] for item in jtj["items"]) == jtj["total"]
    assert jtj["items"][1]["clauses"] == ["ML-1", "ML-A1", "ML-A2"]
    # Record attributes are the facts as given, not converted.
    assert jtj["items"][1]["records"][0]["record"]["attributes"]["name"] == "扩充优质普通高中公办学位"


def test_a_json_string_a_path_and_a_dict_agree(miluo):
    by_path = miluo.evaluate(APRIL)
    by_str_path = miluo.evaluate(str(APRIL))
    by_text = miluo.evaluate(APRIL.read_text(encoding="utf-8"))
    by_dict = miluo.evaluate(json.loads(APRIL.read_text(encoding="utf-8"), parse_float=Decimal))
    assert by_path == by_str_path == by_text == by_dict


def test_options(miluo):
    evaluation = miluo.evaluate(APRIL, detail="totals", unit="jtj", period="2026-04")
    assert {r["unit"] for r in evaluation["results"]} == {"jtj"}
    assert all(r["items"] == [] for r in evaluation["results"])
    with pytest.raises(kaohe.OptionsError) as e:
        miluo.evaluate(APRIL, detail="everything")
    assert e.value.errors[0]["path"] == "$.detail"
    assert isinstance(e.value, ValueError)


def test_ruleset_errors_raise_with_every_error_located():
    with pytest.raises(kaohe.RulesetError) as e:
        kaohe.Ruleset.from_str("ruleset x {", name="bad.rules")
    first = e.value.errors[0]
    assert first["file"] == "bad.rules" and first["line"] == 1 and first["severity"] == "error"
    assert first["code"].startswith("kaohe::")
    assert "bad.rules:1:" in str(e.value)
    checked = kaohe.check("ruleset x {", name="bad.rules")
    assert checked["ok"] is False and checked["diagnostics"] == e.value.errors


def test_fact_errors_raise_with_paths(miluo):
    with pytest.raises(kaohe.FactError) as e:
        miluo.evaluate({"as_of": "2026-06-10", "units": [], "records": [{"unit": 7}]})
    assert e.value.errors
    assert all(err["code"].startswith("kaohe::facts::") for err in e.value.errors)
    assert all(err["path"].startswith("$.") for err in e.value.errors)


def test_check_schema(miluo):
    assert miluo.check() == []
    assert miluo.schema()["type"] == "object"


def test_ledger_template_import_and_evaluate(miluo, tmp_path):
    blank = miluo.template()
    assert blank[:2] == b"PK"
    path = tmp_path / "ledger.xlsx"
    path.write_bytes(blank)
    with pytest.raises(kaohe.FactError) as e:
        miluo.evaluate(path)
    assert e.value.errors[0]["sheet"] == "说明" and e.value.errors[0]["cell"] == "B3"
    with pytest.raises(kaohe.FactError) as e:
        miluo.import_ledger(b"not a workbook")
    assert e.value.errors[0]["code"].startswith("kaohe::ledger::")
    # The contract's `lang` option: the same errors, located alike, in Chinese.
    with pytest.raises(kaohe.FactError) as e:
        miluo.evaluate(path, lang="zh")
    assert e.value.errors[0]["sheet"] == "说明" and e.value.errors[0]["cell"] == "B3"
    assert "考核日期" in e.value.errors[0]["message"]
    with pytest.raises(kaohe.FactError) as e:
        miluo.import_ledger(blank, lang="zh")
    assert e.value.errors[0]["cell"] == "B3" and "考核日期" in e.value.errors[0]["message"]


def test_diff(miluo):
    impact = miluo.diff(kaohe.Ruleset.from_file(MILUO), APRIL)
    assert impact["summary"]["units_changed_score"] == 0


def test_threads_share_one_ruleset(miluo):
    expected = miluo.evaluate_json(APRIL)
    outputs = []

    def work():
        for _ in range(3):
            outputs.append(miluo.evaluate_json(APRIL))

    threads = [threading.Thread(target=work) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(outputs) == 12 and all(o == expected for o in outputs)


def test_bad_facts_type(miluo):
    with pytest.raises(TypeError):
        miluo.evaluate(42)


@pytest.mark.parametrize("detail", ["full", "items", "totals"])
def test_the_fast_decimal_walk_converts_every_score(detail):
    from kaohe import _decimals, _evaluation

    for rules in sorted((ROOT / "rulesets").glob("*/*.rules")):
        ruleset = kaohe.Ruleset.from_file(rules)
        for facts in sorted((rules.parent / "examples").glob("*.json")):
            text = ruleset.evaluate_json(facts, detail=detail)
            assert _evaluation(json.loads(text)) == _decimals(json.loads(text)), facts
            # and it converted something
            assert isinstance(_evaluation(json.loads(text))["results"][0]["total"], Decimal)


def _typed(value):
    """The value with every leaf tagged by its type and exact text, so that
    Decimal("1.0") and Decimal("1"), or 1 and 1.0 and True, stay different."""
    if isinstance(value, dict):
        return ("dict", [(k, _typed(v)) for k, v in value.items()])
    if isinstance(value, list):
        return ("list", [_typed(v) for v in value])
    return (type(value).__name__, repr(value))


@pytest.mark.parametrize("detail", ["full", "items", "totals"])
def test_the_native_dicts_are_the_json_path_value_for_value(detail):
    # evaluate() builds its dicts natively from the Rust result; they must be
    # exactly what json.loads of evaluate_json's text gives with every score a
    # Decimal (the generic walk), key order and types included.
    from kaohe import _decimals

    checked = 0
    for rules in sorted((ROOT / "rulesets").glob("*/*.rules")):
        ruleset = kaohe.Ruleset.from_file(rules)
        for facts in sorted((rules.parent / "examples").glob("*.json")):
            expected = _decimals(json.loads(ruleset.evaluate_json(facts, detail=detail)))
            assert _typed(ruleset.evaluate(facts, detail=detail)) == _typed(expected), facts
            checked += 1
    assert checked >= 4


def test_the_native_dicts_keep_options_and_errors(miluo):
    text = APRIL.read_text(encoding="utf-8")
    for options in ({"unit": "jtj"}, {"period": "2026-04", "detail": "items"}):
        expected = kaohe._decimals(json.loads(miluo.evaluate_json(text, **options)))
        assert _typed(miluo.evaluate(text, **options)) == _typed(expected)
    with pytest.raises(kaohe.FactError) as e:
        miluo.evaluate('{"as_of": "2026-06-10", "units": 3, "records": []}')
    assert e.value.errors[0]["path"].startswith("$.units")
    with pytest.raises(kaohe.OptionsError):
        miluo.evaluate(text, detail="everything")


def test_evaluate_utf8_is_the_json_as_bytes(miluo):
    text = APRIL.read_text(encoding="utf-8")
    expected = miluo.evaluate_json(text, detail="items").encode("utf-8")
    for facts in (text, text.encode("utf-8"), APRIL, str(APRIL), json.loads(text, parse_float=Decimal)):
        assert miluo.evaluate_utf8(facts, detail="items") == expected
    with pytest.raises(kaohe.FactError) as e:
        miluo.evaluate_utf8('{"as_of": "教体局"}'.encode("gbk"))
    assert e.value.errors[0]["code"] == "kaohe::facts::not_utf8"
    assert e.value.errors[0]["path"] == "$"
