#!/bin/bash
# Tests again, by name, the mutants a run missed (after tests were added).
# usage: tests/mutants/rerun-missed.sh RUN_OUTPUT_DIR NEW_OUTPUT_DIR
set -euo pipefail
src=${1:?output dir of the run}; dest=${2:?output dir for the re-run}
cd "$(dirname "$0")/../.."
filters=()
while IFS= read -r name; do
  [ -z "$name" ] && continue
  esc=$(python3 -c 'import re,sys;print(re.escape(sys.argv[1]))' "$name")
  filters+=(-F "^${esc}\$")
done < "$src/mutants.out/missed.txt"
[ ${#filters[@]} -eq 0 ] && { echo "nothing missed in $src"; exit 0; }
cargo mutants -p kaohe --file 'crates/kaohe/src/check/*.rs' --file 'crates/kaohe/src/eval/*.rs' \
    "${filters[@]}" --timeout 180 -j 1 --copy-target=false --output "$dest" $(cat tests/mutants/suites.txt)
