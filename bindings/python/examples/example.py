import kaohe

# Compile once: a bad ruleset raises kaohe.RulesetError, .errors located by file/line/column.
miluo = kaohe.Ruleset.from_file("rulesets/miluo-2026/miluo-2026.rules")

# Facts: a dict, a JSON string, or a path to a fact file or a filled-in .xlsx ledger.
evaluation = miluo.evaluate("rulesets/miluo-2026/examples/2026-04.json", period="2026-04")
for r in evaluation["results"][:3]:
    print(r["rank"], r["name"], r["total"])  # total is a decimal.Decimal

# Errors are data: each with a stable code and a JSON path.
try:
    miluo.evaluate({"as_of": "2026-06-10", "units": [], "records": [{"unit": 7}]})
except kaohe.FactError as e:
    for error in e.errors:
        print(error["code"], error["path"], error["message"])
