# Text of `rulec` itself: table headers, summaries, command messages.

rulec-header-rank = rank
rulec-header-unit = unit
rulec-header-total = total
rulec-header-converted = converted
rulec-header-notices = notices
rulec-header-outside = { $label } (outside total)
rulec-summary = { $errors }, { $warnings } in { $files }
rulec-errors = { $n ->
    [one] { $n } error
   *[other] { $n } errors
}
rulec-warnings = { $n ->
    [one] { $n } warning
   *[other] { $n } warnings
}
rulec-files = { $n ->
    [one] { $n } file
   *[other] { $n } files
}
rulec-help = help
rulec-error = error
rulec-fact-file-errors = the fact file has { $n } error(s); nothing was evaluated
rulec-ruleset-errors = ruleset `{ $ruleset }` has { $n } error(s); nothing was evaluated
rulec-ledger-errors = the ledger has { $n } error(s); nothing was evaluated
rulec-ledger-import-errors = the ledger has { $n } error(s); nothing was written or evaluated
rulec-at = at
rulec-warning = warning
rulec-case-pass = PASS
rulec-case-fail = FAIL
rulec-case-error = ERROR
rulec-case-bless = BLESS
rulec-case-written = { " " }({ $n } value(s) written)
rulec-case-expected = expected
rulec-case-actual = actual
rulec-case-actual-lines = actual lines
rulec-case-rerun = rerun
rulec-coverage-failed = coverage failed: { $n } clause id(s) not exercised or not cited (or rulesets not loadable)
rulec-cases-summary = cases: { $passed } passed, { $failed } failed
rulec-kind-period = period
rulec-kind-period-provisional = period, provisional
rulec-kind-annual = annual
rulec-kind-annual-provisional = annual, provisional
rulec-unresolved-tie = tie in { $ranking } { $period }: { $units } share a rank (no ranking key separates them)
rulec-not-applied = not applied: { $kind } { $period } of `{ $unit }` reported { $reported }: { $reason }
rulec-explain-rank = rank { $rank }
rulec-explain-clauses = clauses
rulec-explain-provisional = provisional: the period may still change
rulec-explain-total = total
rulec-explain-base = base
rulec-explain-average = average
rulec-explain-deduct = deduct
rulec-explain-bonus = bonus
rulec-explain-adjust = adjust
rulec-explain-cap = cap
rulec-explain-floor = floor
rulec-explain-converted = converted
rulec-explain-outside = outside total
rulec-explain-input = input
rulec-explain-input-facts = facts
rulec-explain-input-provisional = provisional in the sub-assessment: the number read may still change
rulec-explain-unresolved-tie = unresolved tie
rulec-explain-by = by { $key }
rulec-explain-key-total = total
rulec-explain-key-discretion = discretion
rulec-explain-rank-line = rank { $rank } of { $of } in { $ranking }: against the unit above { $above }, against the unit below { $below }
rulec-explain-decided = decided { $decided } by the office (range { $from } to { $to })
rulec-explain-not-ranked = not ranked in { $ranking }: `only when { $condition }` does not hold ({ $values })
rulec-explain-notice = notice
rulec-explain-not-applied = not applied: { $kind } { $period } reported { $reported }: { $reason }
rulec-diff-total = total { $total } ({ $delta })
rulec-diff-unchanged = total { $total } (unchanged)
rulec-diff-converted = converted { $converted }
rulec-diff-rank = rank { $before } → { $after }
rulec-diff-overflow = overflow
rulec-diff-impact = impact of { $old } → { $new } on the facts as of { $as_of }
rulec-diff-none = none
rulec-diff-rules = rules added: { $added }; removed: { $removed }
rulec-diff-rule-added = rule added
rulec-diff-rule-removed = rule removed
rulec-diff-now = now
rulec-diff-no-change = no unit's score, rank or consequences change ({ $compared } results compared)
rulec-diff-summary = summary: { $units_score } unit(s) changed score ({ $results_score } result(s)), { $units_rank } unit(s) changed rank ({ $results_rank } result(s)); consequences: { $gained } gained, { $lost } lost; { $compared } results compared
rulec-fmt-would-reformat = would reformat { $file }
rulec-fmt-reformatted = reformatted { $file }
rulec-fmt-formatted = formatted
rulec-fmt-summary = { $unformatted } of { $files } file(s) would be reformatted; run `rulec fmt` on them
rulec-wrote = wrote { $file }
rulec-import-wrote = wrote { $file }: { $units } unit(s), { $records } record(s)
rulec-serve-not-served = ruleset `{ $id }` ({ $file }) has errors and is not served:
rulec-serve-none = no ruleset is served from `{ $dir }` (each DIR/<id>/<id>.rules is one)
rulec-serve-listening = kaohe serving { $n } ruleset(s) at http://{ $address }/ (Ctrl-C stops)
rulec-template-wrote = wrote { $file }: sheets { $info }, { $sheets }

# Texts the engine writes into an explanation, recognised (as the error
# patterns are) and given in the chosen language: limits, record notes,
# consequence details, the lines and consequences of `rulec diff`.
rulec-engine--cap = cap { $value } per { $scope }
rulec-engine--cap-on = cap { $value } per { $scope } on { $rules }
rulec-engine--cap-bonuses = cap bonuses { $value } per { $scope }
rulec-engine--cap-used = cap { $value } per { $scope }, { $used } used earlier this year
rulec-engine--cap-on-used = cap { $value } per { $scope } on { $rules }, { $used } used earlier this year
rulec-engine--cap-bonuses-used = cap bonuses { $value } per { $scope }, { $used } used earlier this year
rulec-engine--floor = floor { $value } (allot { $allot })
rulec-engine--best-once = the unit's best record counts once
rulec-engine--same-once = same `{ $attribute }` counts once
rulec-engine--not-best = not the unit's best record: only the highest counts
rulec-engine--not-highest = same `{ $attribute }` as a higher-amount record: counts once, highest only
rulec-engine--not-met = not met: { $unmet }
rulec-engine--requirement = requirement { $n }
rulec-engine--step = step { $n } of { $of }: { $step }
rulec-engine--step-group = step { $n } of { $of }: { $step } (the threshold of group `{ $group }`)
rulec-engine--step-lower = step { $n } of { $of }: { $step }; also reached, not issued (only the highest step applies): { $lower }
rulec-engine--step-group-lower = step { $n } of { $of }: { $step } (the threshold of group `{ $group }`); also reached, not issued (only the highest step applies): { $lower }
rulec-engine--declaration = { $kind } `{ $name }`
rulec-engine--a-month = a month, YYYY-MM
rulec-engine--a-quarter = a quarter, YYYY-Qn
rulec-engine--threads = `{ $value }` is not a number of threads (1 to { $max })
rulec-list-separator = { ", " }
rulec-engine--declaration-version = rule `{ $name }` (version { $n })
rulec-engine--declaration-floor = floor of `{ $name }`
rulec-engine--declaration-cap-bonuses = cap bonuses of `{ $name }`
rulec-engine--line-base = base
rulec-engine--line-floor = floor of { $category }
rulec-engine--line-cap-bonuses = cap bonuses of { $category }
rulec-engine--line-average = group average
rulec-engine--notice = notice { $name }
rulec-engine--flag = flag { $name }
rulec-engine--quota = quota { $name }
rulec-engine--class = class { $name }={ $class }
rulec-explain-output = output { $output }{ $label } = { $value }
rulec-explain-measure = measure { $measure }{ $label } = { $value }: place { $place } of { $of } (highest { $highest }, average { $average })
rulec-csv-period = period
rulec-csv-unit = unit
rulec-csv-name = name
rulec-csv-group = group
rulec-csv-provisional = provisional
rulec-csv-yes = yes
rulec-coverage = coverage
rulec-coverage-unloadable = { $path }: cannot be loaded
rulec-coverage-cases = { $plural ->
    [one] { $n } case
   *[other] { $n } cases
}
rulec-coverage-all = { $path }: all { $cited } cited clause ids exercised by { $cases }
rulec-coverage-gaps = { $path }: { $uncovered } of { $cited } cited clause ids not exercised by any of its { $cases }:
rulec-coverage-cited-at = cited at { $places }
rulec-coverage-line = line { $line } ({ $what })
rulec-coverage-uncited = { $path }: { $n } declared clause(s) cited by nothing:
rulec-coverage-declared-at = declared at line { $line }
rulec-diff-facts-errors = the fact file has { $n } error(s) under the { $side ->
    [old] old
   *[new] new
} ruleset; nothing was compared
rulec-seal-sealed = sealed { $period } of `{ $ruleset }` as seal #{ $seq }: { $records } record(s), { $hash }
rulec-seal-previous = previous seal: { $hash }
rulec-seal-input = input { $input } ← `{ $ruleset }` ({ $hash }), facts { $facts }
rulec-seal-not-applied = record of `{ $unit }` ({ $kind } { $period }) not applied: { $reason }
rulec-verify-seal = { $ok } #{ $seq } { $ruleset } { $period } sealed { $sealed_at } ({ $records } records) { $hash }
rulec-verify-ok = ok
rulec-verify-bad = BAD
rulec-verify-head = head: { $hash }
rulec-verify-intact = { $n } seal(s) verified: the chain is intact
rulec-verify-problems = { $n } problem(s) in { $bad } seal(s): the database was changed outside kaohe

# `rulec --help` and clap's errors (used in Chinese; English is clap's output
# of the doc comments, which these repeat). Ids: crates/rulec/src/help.rs.
rulec-cli-about = Command-line front end of kaohe: check and run assessment rulesets
rulec-cli-lang = Language of messages: `zh` or `en` (default: `KAOHE_LANG`, else the locale, `LANG=zh_CN.UTF-8` → zh, else en)
rulec-cli-help-flag = Print help
rulec-cli-help-flag-short = Print help (see more with '--help')
rulec-cli-help-flag-long = Print help (see a summary with '-h')
rulec-cli-version = Print version
rulec-cli-help = Print this message or the help of the given subcommand(s)
rulec-cli-help-subcommand = Print help for the subcommand(s)
rulec-cli-check = Validate ruleset files: syntax, names, types, caps, citations
rulec-cli-check-files = Ruleset files to check (`-`: standard input)
rulec-cli-check-deny_warnings = Treat warnings as errors (exit 1 when there are any)
rulec-cli-check-format = Output format
rulec-cli-eval = Score, rank and explain: evaluate a fact file under a ruleset
rulec-cli-eval-ruleset = The ruleset file (`-`: standard input)
rulec-cli-eval-facts = The fact file (JSON, see docs/facts.md), or a filled-in Excel ledger (`.xlsx`, see docs/office.md), which is imported first; told apart by content, not name. `-`: standard input
rulec-cli-eval-period = Only this period (YYYY-MM, YYYY-Qn, YYYY-Hn, YYYY-Wnn, or YYYY under `period year`; a year elsewhere means the annual result)
rulec-cli-eval-year = Only the annual assessment of this year
rulec-cli-eval-format = Output format; with `json`, errors are printed as JSON on standard output
rulec-cli-eval-explain = Explain one unit's scores line by line (by id or name)
rulec-cli-eval-output = Write the output to this file instead of standard output (required for `--format xlsx` and `--format html`; a CSV file starts with a UTF-8 byte-order mark, for Excel)
rulec-cli-eval-inputs = A sub-assessment's result for an `input` of the ruleset: `NAME=SUB.rules:SUB-FACTS.json` evaluates the sub-ruleset on its facts first and feeds its result, with its provenance, to the input `NAME`. Once per input
rulec-cli-eval-threads = How many threads to use (1 to 256): by default as many as the machine has; `--threads 1` keeps one. The output is the same, byte for byte, whatever the number
rulec-cli-schema = Print the JSON Schema of the fact files a ruleset accepts
rulec-cli-schema-ruleset = The ruleset file
rulec-cli-generate = Write a synthetic, valid fact file for a ruleset (load tests, benchmarks)
rulec-cli-generate-ruleset = The ruleset file
rulec-cli-generate-units = Units per group
rulec-cli-generate-periods = Periods, from the start of the ruleset's effective range
rulec-cli-generate-records = Records per unit and period
rulec-cli-generate-partitions = Distinct values of text unit attributes (e.g. counties for `ranking … within county`)
rulec-cli-generate-seed = Seed of the generator
rulec-cli-generate-output = Where to write the facts (standard output when absent)
rulec-cli-template = Write the blank Excel ledger (台账) of a ruleset
rulec-cli-template-ruleset = The ruleset file
rulec-cli-template-output = Where to write the workbook (`.xlsx`)
rulec-cli-import = Read a filled-in Excel ledger into a fact file
rulec-cli-import-ruleset = The ruleset file
rulec-cli-import-ledger = The filled-in ledger (`.xlsx`, from `rulec template`)
rulec-cli-import-output = Where to write the fact file (JSON); standard output when absent
rulec-cli-import-format = How errors are printed: `human` (standard error) or `json` (standard output, `{"{"}"errors": [...]{"}"}`, for programs)
rulec-cli-fmt = Rewrite ruleset files in the canonical layout (`--check`: only report)
rulec-cli-fmt-files = Ruleset files to format (`-`: standard input, formatted to standard output)
rulec-cli-fmt-check = Rewrite nothing; list the files that would change with their first changed lines, and exit 1 if there are any
rulec-cli-test = Run golden cases: expected scores, ranks and notices (`--coverage`, `--bless`)
rulec-cli-test-paths = Case files (`*.toml`), rulesets (`*.rules`, for `--coverage`) or folders to search: under a folder, every `*.toml` inside a `cases` folder is a case
rulec-cli-test-bless = Write the actual results into the cases' expected blocks
rulec-cli-test-coverage = Also list the clause ids each ruleset cites that no case exercises, and fail if there are any
rulec-cli-test-format = Output format; with `json`, the report and its errors are data on standard output
rulec-cli-diff = Show what a rule change does to every unit: OLD and NEW rulesets on the same facts
rulec-cli-diff-old = The ruleset before the change (`-`: standard input)
rulec-cli-diff-new = The ruleset after the change
rulec-cli-diff-facts = The fact file (JSON) to evaluate under both; it must fit both rulesets (`-`: standard input)
rulec-cli-diff-format = Output format; with `json`, errors are printed as JSON on standard output
rulec-cli-lsp = The language server for editors, over standard input and output
rulec-cli-lsp-stdio = Speak over standard input and output (the only transport, and the default; accepted because editor clients pass it)
rulec-cli-seal = Seal a period in a store of sealed periods (SQLite): it never changes after
rulec-cli-seal-ruleset = The ruleset file
rulec-cli-seal-facts = The fact file (JSON) or filled-in Excel ledger (`.xlsx`); `-`: standard input
rulec-cli-seal-period = The period to seal (YYYY-MM, YYYY-Qn, YYYY-Hn, YYYY-Wnn, or YYYY under `period year`)
rulec-cli-seal-db = The store: an SQLite database file, created when missing
rulec-cli-seal-format = Output format; with `json`, errors are printed as JSON on standard output
rulec-cli-seal-inputs = A sub-assessment's result for an `input` of the ruleset, as for `rulec eval --input`: `NAME=SUB.rules:SUB-FACTS.json`. The seal keeps its provenance and the period's sub-results. Once per input
rulec-cli-verify = Re-check a store of sealed periods: the hash chain and every sealed result
rulec-cli-verify-db = The store (an SQLite database file written by `rulec seal` or `rulec serve`)
rulec-cli-verify-rulesets = Re-evaluate with the ruleset files under this folder (found by hash) instead of the copies the store keeps
rulec-cli-verify-format = Output format; with `json`, the audit (or the errors) as JSON on standard output
rulec-cli-serve = Serve the rulesets of a directory over HTTP (docs/service.md)
rulec-cli-serve-addr = Where to listen; loopback unless told otherwise (port 0: any free port)
rulec-cli-serve-rulesets = The rulesets: each DIR/<id>/<id>.rules is served as ruleset <id>
rulec-cli-serve-data = Where sealed periods are kept (an SQLite database in DIR)
rulec-cli-serve-token_file = The file holding the token sealing requires (its trimmed content)
rulec-cli-serve-max_body = The largest request body, in bytes (default 256 MiB)
rulec-cli-serve-max_eval_seconds = The longest an evaluation may take, waiting included, in seconds (default 60)
rulec-cli-serve-max_evaluations = How many evaluations run at once (default: the number of cores)
rulec-cli-serve-max_queued = How many evaluations may wait for their turn (default 1024)
rulec-clap-usage = Usage:
rulec-clap-commands = Commands:
rulec-clap-arguments = Arguments:
rulec-clap-options = Options:
rulec-clap-options-placeholder = OPTIONS
rulec-clap-command-placeholder = COMMAND
rulec-clap-possible-values = { " " }[possible values: { $values }]
rulec-clap-default = { " " }[default: { $value }]
rulec-clap-unknown-argument = unexpected argument { $arg } found
rulec-clap-unknown-subcommand = unrecognized subcommand { $command }
rulec-clap-missing-value = a value is required for { $arg } but none was supplied
rulec-clap-invalid-value = invalid value { $value } for { $arg }
rulec-clap-invalid-value-because = invalid value { $value } for { $arg }: { $reason }
rulec-clap-missing-argument = the following required arguments were not provided: { $args }
rulec-clap-missing-subcommand = a subcommand is required but one was not provided
rulec-clap-conflict = the argument { $arg } cannot be used with { $other }
rulec-clap-no-equals = equal sign is needed when assigning values to { $arg }
rulec-clap-too-many-values = unexpected value { $value } for { $arg } found; no more were expected
rulec-clap-wrong-number-of-values = { $arg } has the wrong number of values
rulec-clap-invalid-utf8 = invalid UTF-8 was detected in one or more arguments
rulec-clap-other = the command line cannot be read
rulec-clap-similar-argument = tip: a similar argument exists: { $values }
rulec-clap-similar-subcommand = tip: some similar subcommands exist: { $values }
rulec-clap-similar-value = tip: a similar value exists: { $values }
rulec-clap-valid-values = [possible values: { $values }]
rulec-clap-more = For more information, try '--help'.
rulec-engine--unknown-lang = unknown language `{ $lang }`: expected `zh` or `en`
