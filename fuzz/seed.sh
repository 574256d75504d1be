#!/usr/bin/env bash
# Fills fuzz/corpus/<target>/ with seeds from the shipped files (rulesets,
# their cases and examples, the invalid-ruleset and bad-fact-file corpora),
# the committed seeds under fuzz/seeds/ and the regressions under
# fuzz/regressions/. libFuzzer adds what it finds to the same folders
# (fuzz/corpus is not committed). See docs/testing.md#fuzzing.
set -euo pipefail
cd "$(dirname "$0")/.."

corpus=fuzz/corpus
mkdir -p "$corpus"/{check_ruleset,format_roundtrip,facts_readers,ledger_import,case_file}

for f in rulesets/*/*.rules tests/check/*.rules tests/check/base/*.rules; do
  name=$(echo "$f" | tr '/' '_')
  cp "$f" "$corpus/check_ruleset/$name"
  cp "$f" "$corpus/format_roundtrip/$name"
done
for f in rulesets/*/examples/*.json tests/facts/*.json tests/facts/base/*.json; do
  cp "$f" "$corpus/facts_readers/$(echo "$f" | tr '/' '_')"
done
for f in rulesets/*/cases/*.toml fuzz/seeds/case_file/*.toml; do
  cp "$f" "$corpus/case_file/$(echo "$f" | tr '/' '_')"
done
# Whole workbooks (`PK…`), then each part of the Miluo ledger behind the byte
# that picks it (the order of PARTS in fuzz_targets/ledger_import.rs).
cp fuzz/seeds/ledger_import/*.xlsx "$corpus/ledger_import/"
base=fuzz/seeds/ledger_import/miluo-2026-2026-04.xlsx
i=0
for part in xl/workbook.xml xl/_rels/workbook.xml.rels xl/sharedStrings.xml xl/styles.xml \
  xl/worksheets/sheet1.xml xl/worksheets/sheet2.xml xl/worksheets/sheet3.xml \
  xl/worksheets/sheet4.xml xl/worksheets/sheet5.xml '[Content_Types].xml'; do
  # unzip reads `[` as a wildcard: escape it.
  pattern=$(printf '%s' "$part" | sed 's/\[/\\[/g; s/\]/\\]/g')
  { printf "\\x$(printf %02x "$i")"; unzip -p "$base" "$pattern"; } > "$corpus/ledger_import/part-$i"
  i=$((i + 1))
done
# Every saved reproducer is also a seed of its target.
for dir in fuzz/regressions/*/; do
  target=$(basename "$dir")
  cp "$dir"* "$corpus/$target/" 2>/dev/null || true
done
for dir in "$corpus"/*; do
  echo "$(ls "$dir" | wc -l) seeds in $dir"
done
