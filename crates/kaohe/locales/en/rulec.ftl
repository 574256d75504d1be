# Text of `rulec` itself: table headers, summaries, command messages.

rulec-header-rank = rank
rulec-header-unit = unit
rulec-header-total = total
rulec-header-converted = converted
rulec-header-notices = notices
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
