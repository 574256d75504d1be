# Ruleset diagnostics (`kaohe::<name>`): message id = code with `::` → `-`.
# `.help`: the diagnostic's fixed advice; `.label-<field>`: its labels;
# `<id>--<form>`: other messages, helps and labels made by the checker.
# English patterns must give exactly the English the code writes (tests).

kaohe-syntax = unexpected { $found }
    .label-span = expected { $expected }

kaohe-limit_exceeded = { $what }: over the limit `{ $limit }` = { $value }
    .label-span = limit passed here

kaohe-full_width_punctuation = full-width { $name } `{ $found }` where the rule language needs `{ $ascii }`
    .label-span = write `{ $ascii }`

kaohe-number_out_of_range = number `{ $text }` is out of range
    .label-span = too large

kaohe-invalid_date = `{ $text }` is not a calendar date
    .help = dates are written YYYY-MM-DD
    .label-span = no such day

kaohe-missing_part = { $within } has no { $part }
    .label-span = { $part } expected here

kaohe-repeated_statement = { $statement } is given more than once
    .help = keep one of them
    .label-span = repeated here
    .label-first = first given here

kaohe-unknown_name = unknown { $kind } `{ $name }`{ $within }
    .label-span = not declared

kaohe-duplicate_name = { $kind } `{ $name }` is declared twice
    .help = rename one of them or remove the copy
    .label-span = declared again here
    .label-first = first declared here

kaohe-type_mismatch = expected { $expected }, found { $found }
    .label-span = this is { $found }

kaohe-wrong_argument_count = `{ $function }` takes { $expected }, found { $found }
    .label-span = called here

kaohe-non_positive_cap = { $what } `{ $value }` is not positive
    .help = a cap limits an amount to at most this many points, a weight scales the annual score; remove the statement instead of writing 0
    .label-span = must be greater than 0

kaohe-negative_amount = `{ $rule_kind }` amount `{ $value }` is negative
    .help = write deductions and bonuses as positive points; use `adjust` for an amount that may go either way
    .label-span = negative

kaohe-invalid_range = date range ends ({ $to }) before it starts ({ $from })
    .help = write the earlier date first
    .label-span = empty range

kaohe-overlapping_effective = two versions of { $kind } `{ $name }` are in force on the same days
    .help = give each version an `effective` range that does not overlap the others
    .label-span = this version
    .label-other = overlaps this one

kaohe-missing_levels = amount table gives no amount for { $missing }
    .label-span = incomplete table

kaohe-reversed_discretion = discretionary range ends ({ $to }) below where it starts ({ $from })
    .help = write the smaller amount first: `amount discretion { $to } to { $from }`
    .label-span = empty range

kaohe-needs_record = { $what } needs a record, but { $context } has no `per` line
    .help = add `per <record kind>` so it applies to each record of that kind
    .label-span = used without a record

kaohe-previous_without_key = `previous` needs record kind `{ $kind }` to declare a `key`
    .label-span = no key to find the previous period's record by

kaohe-misplaced_ranked = `ranked` can only be used in a notice, flag, classification or quota
    .help = scores cannot depend on rankings, which depend on scores; move this condition into a `notice`
    .label-span = ranking history used here

kaohe-cap_across_categories = cap `{ $cap }` covers rules of two categories, `{ $first }` and `{ $other }`
    .help = a cap over rules takes its excess back inside one category, before that category's own bonus cap and floor; write one cap per category
    .label-span = this rule is in `{ $other }`

kaohe-conflicting_policy = { $this } contradicts { $other }
    .label-span = this
    .label-other_span = contradicted by this

kaohe-incomplete_classification = classification `{ $name }` { $problem }
    .label-span = here

kaohe-zero_count = { $what } must be at least 1
    .help = `ranked bottom 3 for 2 consecutive periods` needs at least one place and one period
    .label-span = is 0

kaohe-unknown_assumption = citation `{ $id }` names an assumption that is not declared
    .label-span = no `assumption [{ $id }]`

kaohe-allotment_mismatch = category allotments add up to { $sum }, not to the base { $base }
    .help = check each category's `allot` against the rulebook's split of the base score; if the rulebook's split does not add up to the base, say so in the `score` block: `allotments sum N [clause]`
    .label-span = base { $base }

kaohe-never_binds = { $what } can never bind: { $reason }
    .label-span = has no effect

kaohe-unacknowledged_ties = ranking `{ $name }` can end in a tie and does not say what then
    .help = add `ties shared`: units still equal on every key then share the rank and the result reports the tie as unresolved
    .label-span = units equal here stay tied

kaohe-missing_citation = { $what } `{ $name }` cites no clause
    .help = cite the clause it encodes, e.g. `[SD-3.1.1①]`, so every point can be traced to the rulebook
    .label-span = no citation

kaohe-unused_input = { $kind } `{ $name }` is declared but never used
    .help = remove it, or use it in a rule; fact files must still supply declared inputs
    .label-span = unused

kaohe-uncited_assumption = assumption `{ $id }` is cited by no rule
    .help = cite it on the rules it shapes, so a reader can see what flipping it changes
    .label-span = never cited

kaohe-outside_effective = effective range of { $what } reaches outside the ruleset's ({ $from } to { $to })
    .help = days outside the ruleset's own range are never evaluated
    .label-span = partly outside

kaohe-effective_splits_period = { $what } of { $context } ({ $date }) falls inside { $period_kind } { $period }
    .label-span = splits { $period }

kaohe-never_effective = { $what } is never in force: its effective range lies entirely outside the ruleset's ({ $from } to { $to })
    .help = days outside the ruleset's own range are never evaluated; correct the dates or remove this version
    .label-span = entirely outside

kaohe-never_holds = { $what } can never apply: { $reason }
    .label-span = never true

kaohe-zero_amount = rule `{ $rule }` always amounts to 0
    .help = a rule worth 0 points can never change a score; write the rulebook's amount, or remove the rule
    .label-span = is 0

kaohe-duplicate_label = rules `{ $first }` and `{ $rule }` of category `{ $category }` have the same label { $label }
    .help = a reader of the bulletin tells rules apart by their labels; give each rule its own (versions of one rule may share a label)
    .label-span = same label as `{ $first }`
    .label-first_span = first used here

kaohe-count_in_amount = { $what } of rule `{ $rule }` uses the record's `count`, which the amount is already multiplied by
    .label-span = `{ $name }` counts the record's `count` again

kaohe-undeclared_clause = citation `{ $id }` names a clause that is not declared
    .label-span = no `clause [{ $id }]`

kaohe-count_beyond_year = { $periods } periods this year can never be reached: a year has { $most } { $name }
    .help = count at most { $most } periods, or use `for N consecutive periods` for a streak across years
    .label-span = more than a year has

kaohe-syntax--unclosed-string = `"`: this string is not closed
kaohe-syntax--end-of-file = end of file
kaohe-syntax--help-brace = add the missing `{"}"}`
kaohe-syntax--help-string = close the string with `"` before the end of the line
kaohe-syntax--label-brace = expected a `{"}"}` to close this block before the end of the file
kaohe-syntax--label-quote = expected a closing `"` on this line
kaohe-limit_exceeded--nesting = brackets and `if`s nest too deep
kaohe-limit_exceeded--operators = too many operators in one expression
kaohe-limit_exceeded--help-nesting = brackets and `if`s nest this deep only by mistake (an unclosed bracket?) or in generated text; flatten the expression, e.g. with `derive`; an embedding program can raise it (`kaohe::Limits`)
kaohe-limit_exceeded--help-operators = split the expression into named parts with `derive`; an embedding program can raise it (`kaohe::Limits`)
kaohe-full_width_punctuation--help = full-width { $name } `{ $found }`: write `{ $ascii }`
kaohe-full_width_punctuation--help-citation = full-width { $name } `{ $found }`: write `{ $ascii }` (a citation's ids are separated by `,`; with `{ $found2 }` two ids would be read as one)
kaohe-number_out_of_range--help-whole = a whole number here is at most { $most }
kaohe-number_out_of_range--help-decimal = numbers are exact decimals of at most 28 significant digits
kaohe-missing_part--help-title = add `title "…"` to the header
kaohe-missing_part--help-score = declare the base score and its categories: `score {"{"} base 100  category … {"}"}`
kaohe-missing_part--help-amount = say what one occurrence is worth: `amount 5`
kaohe-missing_part--help-seal = say whether a past period may still change: `seal 15 days after end` or `amendable`
kaohe-missing_part--the-ruleset = the ruleset
kaohe-missing_part--score-block = `score` block
kaohe-missing_part--seal-or-amendable = `seal` or `amendable`
kaohe-missing_levels--help = give every level of `{ $levels }` an amount (write 0 for a level that earns nothing)
kaohe-previous_without_key--help = add `key <attribute>` to `record { $kind }` naming the attribute that identifies the same item from one period to the next
kaohe-conflicting_policy--help-seal = a period is either sealed or amendable; keep one
kaohe-conflicting_policy--help-late = nothing is late in an amendable period; remove `late` or seal the period
kaohe-incomplete_classification--unclassified = can leave a unit unclassified
kaohe-incomplete_classification--after-otherwise = has a class after `otherwise`
kaohe-incomplete_classification--help-last = `otherwise` catches every unit left; put it last
kaohe-incomplete_classification--help-rest = end with a class that takes the rest: `{ $example }`
kaohe-zero_count--periods = the number of periods
kaohe-zero_count--places = the number of places
kaohe-never_binds--no-bonus = category `{ $category }` has no bonus rules
kaohe-never_binds--no-deduction = category `{ $category }` has no deduction rules
kaohe-never_binds--capped = the bonus rules of category `{ $category }` are capped at { $amount } in total by their own caps
kaohe-never_binds--help-bonus = remove the cap or add the category's bonus rules
kaohe-never_binds--help-cap = remove the category's cap, or correct the rules' caps or amounts if the rulebook means the category's cap to bind
kaohe-never_binds--help-floor = remove the floor or add the category's deductions
kaohe-never_binds--floor = floor `{ $value }`
kaohe-effective_splits_period--help-end = a period is scored by one version of a rule; end this version on a { $kind }'s last day{ $days }, and start the next version the day after
kaohe-effective_splits_period--help-start = a period is scored by one version of a rule; start this version on a { $kind }'s first day{ $days }, and end the version before it the day before
kaohe-effective_splits_period--help-end-pooled = a period is scored by one version of a rule; end this version on a { $kind }'s last day{ $days }, and start the next version the day after (the year is scored as one period because of `annual {"{"} from pooled records {"}"}`; to change a rule within the year, score the year `from sum of periods`)
kaohe-effective_splits_period--help-start-pooled = a period is scored by one version of a rule; start this version on a { $kind }'s first day{ $days }, and end the version before it the day before (the year is scored as one period because of `annual {"{"} from pooled records {"}"}`; to change a rule within the year, score the year `from sum of periods`)
kaohe-effective_splits_period--the-start = the start
kaohe-effective_splits_period--the-end = the end
kaohe-never_holds--class = class `{ $class }` of `{ $of }`
kaohe-never_holds--earlier-class = the earlier class `{ $class }` takes every unit it would get (first match wins)
kaohe-never_holds--negative = `{ $what }` is never negative, so `{ $condition }` never holds
kaohe-never_holds--both = `{ $a }` and `{ $b }` cannot both hold
kaohe-never_holds--false = `false` never holds
kaohe-never_holds--always = `{ $condition }` always holds
kaohe-never_holds--or = neither side of `or` can hold ({ $left }; { $right })
kaohe-never_holds--help-rule = its conditions can never all be true, so it never applies; correct the condition (a misspelt level or a missing `not` is common) or remove it
kaohe-never_holds--help-class = no unit can ever get this class; correct its condition or the order of the classes
kaohe-count_in_amount--help-aggregate = `{ $call }` adds up every `{ $kind }` record of the unit, and the rule applies its amount once per `{ $kind2 }` record (times its `count`), so the records are counted twice (3 records would give 3 × 3); write the amount of ONE record, or drop `per { $kind3 }` to apply an amount computed from all of them once
kaohe-count_in_amount--help = write the amount of ONE occurrence: every occurrence is already multiplied by its record's `count` (amount `count` with count 3 would give 9); to make the amount depend on the count, use a condition: `times 2 when count >= 3`
kaohe-count_in_amount--the-amount = the amount
kaohe-unknown_name--of = { $kind } `{ $name }` of `{ $of }`
kaohe-unknown_name--help-declared = declared: { $names }
kaohe-unknown_name--help-result = `{ $name }` is the unit's result, known only after scoring and ranking: use it in a `notice`, `flag`, `classify` or `quota` condition
kaohe-type_mismatch--help-compare = a condition compares values, e.g. `actual < required`
kaohe-type_mismatch--help-branches = both branches of `if` must have the same type
kaohe-wrong_argument_count--help-overdue = overdue(deadline, done): the deadline is set, the evaluation date is past it, and `done` is unset or later than the deadline
kaohe-wrong_argument_count--two = two arguments
kaohe-wrong_argument_count--one = one argument
kaohe-count_beyond_year--months = months
kaohe-count_beyond_year--quarters = quarters
kaohe-count_beyond_year--half-years = half-years
kaohe-count_beyond_year--weeks = weeks
kaohe-count_beyond_year--years = years
kaohe-syntax--or-end-of-file = { $list } or end of file
kaohe-syntax--or-operator = { $list } or an operator
kaohe-syntax--or-last = { $list } or `{ $last }`
kaohe-syntax--or-expression = { $list } or an expression

# Diagnostics added on the `lang` branch (issue 13), ready for its merge.
kaohe-misplaced_step = step `{ $name }` { $problem }
    .label-span = here
kaohe-unreachable_band = a band { $problem }
    .label-span = never the first band that holds
kaohe-measure_in_measure = `{ $function }(…)` cannot be used in a measure's value
kaohe-measure_in_measure--via = `{ $function }(…)` cannot be used in a measure's value (derived attribute `{ $derive }` reads it)
    .help = a measure is computed from the unit's own records and attributes; use places and peers in the rules and consequences that read the measure, or compute the value there
    .label-span = a measure of measures
kaohe-misplaced_this = `this.` names the record being scored, and there is none here
    .help = use `this.x` inside `count(kind where …)` or `sum(kind, … where …)` in a rule or notice with `per`: it is the `per` record, compared with the records counted (`count(problem where place == this.place in previous 3 periods)`)
    .label-span = no enclosing record
kaohe-misplaced_step--per = is in { $what } `{ $notice }`, which has `per`
kaohe-misplaced_step--help-per = a ladder issues one step per unit: remove `per` and count the records in the steps' conditions (`when count(kind where …) >= 3`)
kaohe-misplaced_step--group = is for group `{ $group }`, but { $what } `{ $notice }` applies only to `{ $target }`
kaohe-misplaced_step--help-group = write the step without `of { $group }`, or remove `of { $target }` from the { $what } so that it applies to every group
kaohe-unreachable_band--order = `{ $band }` after `{ $before }` can never be the first band that holds
kaohe-unreachable_band--mixed = mixes `upto` and `from` bands
kaohe-unreachable_band--help = write the bands in order, all `upto` with rising thresholds (places: `upto 3: 7, upto 6: 5`) or all `from` with falling ones (rates: `from 95: 5, from 90: 3`)

# Dates, deadlines and working days (issue 13 §8), branch `dates`.
kaohe-calendar_day = calendar year { $year }: { $problem }
    .help = write each public holiday (放假) and make-up working day (调休上班) of the year as the State Council's notice gives them: `holiday 2027-02-06 to 2027-02-13`, `workday 2027-02-14`
    .label-span = this day
kaohe-calendar_day--outside = `{ $date }` is not in year { $year }
kaohe-calendar_day--backwards = `{ $from } to { $to }` ends before it starts
kaohe-calendar_day--weekday = `{ $date }` is a weekday: a make-up working day is a Saturday or Sunday
kaohe-calendar_day--both = `{ $date }` is both a holiday and a make-up working day
kaohe-calendar_year = calendar year { $year }: { $problem }
    .help = a year of the calendar written in the ruleset replaces (or adds) a year of official public holidays: cite the clause that gives its source, the State Council's notice (`year 2027 [N-2027] {"{"} … {"}"}` with `clause [N-2027] "国务院办公厅关于2027年部分节假日安排的通知"`), and write every holiday (放假) and make-up working day (调休上班) it lists
    .label-span = this year
kaohe-calendar_year--uncited = the year cites no source: cite the clause of the notice its holidays and make-up working days come from
kaohe-calendar_year--empty = the year lists no holiday and no make-up working day
kaohe-calendar_year--no_holiday = the year lists no holiday, only make-up working days: a year written in the ruleset replaces the shipped year whole
kaohe-calendar_missing_year = { $what } counts working days, and the ruleset is in force in { $missing }, which calendar `{ $calendar }` does not cover
    .help = write each missing year's public holidays and make-up working days from the State Council's notice into the declaration: `calendar { $calendar } {"{"} year 2027 [N-2027] {"{"} … {"}"} {"}"}`; until then, counting working days for a date of such a year fails when the ruleset is evaluated
    .label-span = counts working days
kaohe-no_calendar = { $what } needs a working-day calendar, and the ruleset declares none
    .help = declare the calendar of public holidays and make-up working days: `calendar cn` (the State Council's notices, shipped for 2023–2026; add later years with `year 2027 {"{"} … {"}"}`)
    .label-span = counts working days
kaohe-misplaced_duration = `{ $unit }` makes a length of time, which is only added to or subtracted from a date
    .help = write the date first: `due + 5 days`, `due + 1 months`, `due - 5 working days`; the days from one date to another are `days_between(a, b)` or `working_days_between(a, b)`
    .label-span = not after `date +` or `date -`
kaohe-type_mismatch--help-date-arithmetic = a date is moved by a length of time (`due + 5 days`, `due + 1 months`, `due + 5 working days`); the days from one date to another are `days_between(a, b)` or `working_days_between(a, b)`
kaohe-type_mismatch--help-shift = `{ $op } N { $unit }` moves a date: write a date before it (`due { $op2 } 5 { $unit2 }`)
kaohe-type_mismatch--whole = a whole number of { $unit }
kaohe-type_mismatch--decimal = a decimal number
kaohe-type_mismatch--help-whole = count whole days or months: an `integer` attribute or a whole number, or `floor(x)` / `ceil(x)` of a decimal
kaohe-wrong_argument_count--help-days-between = days_between(a, b): the calendar days from date `a` to date `b` (negative when `b` is earlier)
kaohe-wrong_argument_count--help-working-days-between = working_days_between(a, b): the working days after date `a` up to and including date `b` in the ruleset's `calendar` (negative when `b` is earlier)
# `period year` (issue 13 §9), branch `periods`.
kaohe-period_is_year = { $what } is not used under `period year`: the period already is the year
    .label-span = the year is the period
kaohe-period_is_year--annual = `annual`
kaohe-period_is_year--assessed = `assessed annually`
kaohe-period_is_year--per-year = `per year`
kaohe-period_is_year--help-annual = remove `annual`: under `period year` each period's result is the year's result, so there is no second, annual result to form or convert
kaohe-period_is_year--help-assessed = remove `assessed annually`: under `period year` every group is assessed once a year
kaohe-period_is_year--help-per-year = write `per period` (or nothing): under `period year` the period is the year, and there is no separate annual result for `per year` to run on

kaohe-group_not_scored = group `{ $group }` is scored by no `score of` block
    .label-span = no `score of` block names it

kaohe-group_scored_twice = group `{ $group }` is named by two `score of` blocks
    .help = a unit is scored by exactly one block: remove the group from one of them
    .label-span = named again here
    .label-first = first named here

kaohe-score_without_group = a `score` block without `of` beside `score of` blocks
    .help = when groups are scored by blocks of their own, every block names its groups: `score of township {"{"} … {"}"}`
    .label-span = scores every group
    .label-other = a block for some groups

kaohe-allotments_statement = `allotments sum { $stated }` { $problem }
    .help = `allotments sum N [clause]` acknowledges a rulebook whose category allotments (of the categories counted in the total) add up to N, not to the base; state that sum and cite the clause that gives the split
    .label-span = here

kaohe-misplaced_subtotal = `subtotal(…)` can only be used in a notice, flag, classification, quota or output
    .help = a category's subtotal is known once the unit is scored, so rules, measures and rankings cannot read it; move this condition into a `notice`, `classify` or `output`
    .label-span = the unit is not scored yet here
kaohe-group_not_scored--help = add it to the `of` list of the block that scores it, or give it a block of its own: `score of { $group } {"{"} base 100  category … {"}"}`
kaohe-allotments_statement--uncited = cites no clause
kaohe-allotments_statement--differs = does not match the allotments, which add up to { $sum }
kaohe-allotments_statement--base = states what is not an exception: the allotments add up to the base { $sum }
