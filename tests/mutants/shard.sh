#!/bin/bash
# One round-robin shard of the mutants of crates/kaohe/src/{check,eval}/
# (docs/testing.md, "Mutation testing"), tested by every suite of
# `cargo test -p kaohe` but the three slow ones (suites.txt).
# usage: tests/mutants/shard.sh K [N] [OUTPUT_DIR]     (shard K of N, default 24)
# KAOHE_MUTANTS_DIRS="eval" (or "check") runs only that directory's part of
# shard K: the two parts, run at different times, make up the whole shard.
set -euo pipefail
k=${1:?shard number}; n=${2:-24}; out=${3:-target/mutants/shard-$k-of-$n}
cd "$(dirname "$0")/../.."
files=(--file 'crates/kaohe/src/check/*.rs' --file 'crates/kaohe/src/eval/*.rs')
common=(--timeout 180 -j 1 --copy-target=false --output "$out")
if [ -z "${KAOHE_MUTANTS_DIRS:-}" ]; then
    exec cargo mutants -p kaohe "${files[@]}" --shard "$k/$n" --sharding round-robin \
        "${common[@]}" $(cat tests/mutants/suites.txt)
fi
filters=()
while IFS= read -r name; do
    for dir in $KAOHE_MUTANTS_DIRS; do
        if [[ $name == crates/kaohe/src/$dir/* ]]; then
            esc=$(python3 -c 'import re,sys;print(re.escape(sys.argv[1]))' "$name")
            filters+=(-F "^${esc}\$")
        fi
    done
done < <(cargo mutants -p kaohe "${files[@]}" --shard "$k/$n" --sharding round-robin --list)
echo "shard $k/$n, ${KAOHE_MUTANTS_DIRS}: ${#filters[@]} mutants" >&2
[ ${#filters[@]} -eq 0 ] && exit 0
exec cargo mutants -p kaohe "${files[@]}" "${filters[@]}" "${common[@]}" $(cat tests/mutants/suites.txt)
