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
rulec-explain-unresolved-tie = unresolved tie
rulec-explain-by = by { $key }
rulec-explain-rank-line = rank { $rank } of { $of } in { $ranking }: against the unit above { $above }, against the unit below { $below }
rulec-explain-decided = decided { $decided } by the office (range { $from }–{ $to })
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
rulec-fmt-summary = { $unformatted } of { $files } file(s) would be reformatted; run `rulec fmt` on them
rulec-template-wrote = wrote { $file }: sheets { $info }, { $sheets }
