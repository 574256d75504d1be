#!/bin/bash
# One round-robin shard of the mutants of crates/kaohe/src/{check,eval}/
# (docs/testing.md, "Mutation testing"), tested by every suite of
# `cargo test -p kaohe` but the three slow ones (suites.txt).
# usage: tests/mutants/shard.sh K [N] [OUTPUT_DIR]     (shard K of N, default 24)
set -euo pipefail
k=${1:?shard number}; n=${2:-24}; out=${3:-target/mutants/shard-$k-of-$n}
cd "$(dirname "$0")/../.."
cargo mutants -p kaohe --file 'crates/kaohe/src/check/*.rs' --file 'crates/kaohe/src/eval/*.rs' \
    --shard "$k/$n" --sharding round-robin --timeout 180 -j 1 --copy-target=false \
    --output "$out" $(cat tests/mutants/suites.txt)
