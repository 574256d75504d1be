# Fact-file errors (`kaohe::facts::<name>`). The message of each code, and
# `<id>--<form>` for its other messages; any pattern of this file may match
# any fact-file error. English patterns must give exactly the English the
# code writes (tests).

kaohe-facts-empty = the file is empty: a fact file is a JSON object with as_of, units and records
kaohe-facts-utf16 = the file is UTF-16 ({ $endian }), not UTF-8; save it as UTF-8
kaohe-facts-not_utf8 = the file is not UTF-8: the first byte that is not UTF-8 is at line { $line } column { $column }; save it as UTF-8
kaohe-facts-not_utf8--looks = the file is not UTF-8 (looks like { $encoding }): the first byte that is not UTF-8 is at line { $line } column { $column }; save it as UTF-8
kaohe-facts-not_json = not valid JSON: { $what } at line { $line } column { $column }
kaohe-facts-io = cannot read the fact file: { $message }
kaohe-facts-over_limit = { $what } over the limit `{ $limit }` = { $value }
kaohe-facts-repeated_key = the key `{ $key }` is given more than once in this object; keep one (a JSON reader would silently use only one of them)
kaohe-facts-unexpected_field = unexpected field `{ $key }` (expected one of { $expected })
kaohe-facts-unexpected_field--help = unexpected field `{ $key }` (expected one of { $expected }); { $help }
kaohe-facts-missing_field = missing field `{ $key }`
kaohe-facts-missing_field--as_of = missing field `as_of` (the evaluation date)
kaohe-facts-missing_field--reported = missing field `reported` (the day the fact reached the office)
kaohe-facts-wrong_type = expected { $expected }, found { $found }
kaohe-facts-wrong_type--or-more = expected { $expected }, 0 or more, found { $found }
kaohe-facts-number_limit = expected { $expected }, 0 or more and at most { $most }, found { $found }
kaohe-facts-number_limit--which = expected { $expected }, 0 or more and at most { $most }, found { $found }, which { $why }
kaohe-facts-number_limit--digits = `{ $number }` has more than 28 significant digits: kaohe reads numbers exactly and cannot hold it
kaohe-facts-not_a_date = expected a date "YYYY-MM-DD", found { $found }
kaohe-facts-not_a_date--calendar = expected a date "YYYY-MM-DD", found { $found }: not a calendar day
kaohe-facts-not_a_date--write = expected a date "YYYY-MM-DD", found { $found } (fact files take YYYY-MM-DD only: write "{ $date }")
kaohe-facts-not_a_period = expected a period ("YYYY-MM", "YYYY-Qn" or "YYYY") as key, found "{ $key }"
kaohe-facts-outside_effective = period { $period } is outside the ruleset's effective range { $from } to { $to }
kaohe-facts-white_space_in_id = { $what } `{ $id }` { $where } with { $space }; remove it
kaohe-facts-duplicate_unit = duplicate unit id `{ $id }` (first used at { $first })
kaohe-facts-unknown_group = unknown group `{ $group }` (expected one of { $expected })
kaohe-facts-unknown_group--help = unknown group `{ $group }` (expected one of { $expected }); { $help }
kaohe-facts-unknown_unit = unknown unit `{ $unit }` (not in $.units)
kaohe-facts-unknown_unit--help = unknown unit `{ $unit }` (not in $.units); { $help }
kaohe-facts-unknown_unit--spaced = `{ $spaced }` in $.units differs from it only by white space
kaohe-facts-unknown_kind = unknown record kind `{ $kind }`
kaohe-facts-unknown_kind--help = unknown record kind `{ $kind }`; { $help }
kaohe-facts-unexpected_attribute = unexpected attribute `{ $key }` ({ $expected })
kaohe-facts-unexpected_attribute--help = unexpected attribute `{ $key }` ({ $expected }); { $help }
kaohe-facts-missing_attribute = missing attribute `{ $name }` ({ $type })
kaohe-facts-reported_after_as_of = reported { $reported } is after the evaluation date `as_of` { $as_of }
kaohe-facts-same_day_versions = { $first } and { $second } are two versions of record `{ $id }` of unit `{ $unit }` reported on the same day { $day }, and { $why }; give each a distinct `revision` (the higher one applies) or remove the wrong one
common-facts-both-revision = both have revision { $revision }
common-facts-day-alone = the day alone does not say which is the correction
kaohe-facts-listed_twice = unit `{ $id }` is listed twice
kaohe-facts-unused_discretion = the discretionary order for { $what } { $period } is ignored: no { $scope } ranking of ruleset `{ $ruleset }` breaks ties `by discretion`
    .help = remove `$.discretion.{ $period }`, or, if the rulebook lets the office order tied units, add `by discretion` as the last key of the { $scope } ranking

common-facts-declared = declared: { $names }
common-facts-one-of = one of { $names }
common-facts-an-object = an object
common-facts-an-array = an array
common-facts-a-string = a string
common-facts-a-non-empty-string = a non-empty string
common-facts-a-number = a number
common-facts-a-whole-number = a whole number
common-facts-occurrences = a whole number of occurrences
common-facts-revision = a revision number
common-facts-a-unit-id = a unit id
common-facts-true-or-false = true or false
common-facts-a-month = a month "YYYY-MM"
common-facts-a-quarter = a quarter "YYYY-Qn"
common-facts-a-year = a year "YYYY"
common-facts-little-endian = little-endian
common-facts-big-endian = big-endian
common-facts-expected-value = expected value
common-facts-trailing-comma = trailing comma
common-facts-the-number = the number `{ $n }`
common-facts-the-evaluation-date = the evaluation date
common-facts-a-date-type = a date
common-facts-a-level-of = a level
common-facts-ends-with = ends
common-facts-starts-with = starts
common-facts-a-space = a space
common-facts-unit-id = unit id
common-facts-record-id = record id
common-facts-unit = unit
