"""A province fans out by county: one process per core, each compiles the
rulesets it needs once and scores one county-month per task. kaohe is a pure
function of (ruleset, facts), so nothing else needs sharing or locking."""

import glob
from multiprocessing import Pool

import kaohe

_compiled = {}  # per worker process: ruleset path -> kaohe.Ruleset


def score(task):
    ruleset_path, facts_path = task
    ruleset = _compiled.get(ruleset_path)
    if ruleset is None:
        ruleset = _compiled[ruleset_path] = kaohe.Ruleset.from_file(ruleset_path)
    try:
        evaluation = ruleset.evaluate(facts_path, detail="totals")
    except kaohe.KaoheError as e:  # refused input: report it, keep going
        return facts_path, None, e.errors
    totals = {(r["unit"], r["period"]): r["total"] for r in evaluation["results"]}
    return facts_path, totals, []


if __name__ == "__main__":
    # One task per county and month: here every shipped example fact file.
    tasks = [
        (rules, facts)
        for rules in sorted(glob.glob("rulesets/*/*.rules"))
        for facts in sorted(glob.glob(rules.rsplit("/", 1)[0] + "/examples/*.json"))
    ]
    with Pool() as pool:
        for facts_path, totals, errors in pool.imap_unordered(score, tasks):
            print(facts_path, "refused" if errors else f"{len(totals)} results")
