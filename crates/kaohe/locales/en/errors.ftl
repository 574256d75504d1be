# The other areas: Excel ledger (`kaohe::ledger::…`), evaluation, golden
# cases, the command line, the JSON contract. Each code's message here says
# what the error means; where the code writes a message of its own, its
# English pattern is added as `<id>--<form>`.

kaohe-ledger-xls = the file is an Excel 97–2003 workbook (.xls) or an encrypted workbook; save it as .xlsx
kaohe-ledger-xlsb = the file is an Excel binary workbook (.xlsb); save it as .xlsx
kaohe-ledger-ods = the file is an OpenDocument spreadsheet (.ods); save it as .xlsx
kaohe-ledger-not_a_workbook = the file is a zip file but not an Excel workbook
kaohe-ledger-html = the file is a web page, not an Excel workbook
kaohe-ledger-xml = the file is an XML file, not an Excel workbook
kaohe-ledger-json = the file is a JSON file, not an Excel workbook
kaohe-ledger-csv = the file is a text file, not an Excel workbook
kaohe-ledger-empty_file = the file is empty
kaohe-ledger-unknown_format = the file is not in a known format
kaohe-ledger-unreadable_workbook = the workbook cannot be read
kaohe-ledger-malformed_sheet = a worksheet is damaged
kaohe-ledger-missing_sheet = a sheet of the ledger is missing
kaohe-ledger-unknown_sheet = a sheet that is not part of the ledger
kaohe-ledger-renamed_sheet = a sheet of the ledger seems to have been renamed
kaohe-ledger-missing_column = a required column is missing from row 2
kaohe-ledger-unknown_column = row 2 names a column the sheet does not have
kaohe-ledger-duplicate_column = a column is named twice in row 2
kaohe-ledger-empty_cell = a required cell is empty
kaohe-ledger-bad_cell = a cell does not hold what its column expects
kaohe-ledger-scaled_number = the cell's format shows another number than the one stored
kaohe-ledger-formula_without_value = a formula without a saved value
kaohe-ledger-merged_cell = an empty cell inside a merged range
kaohe-ledger-surrounding_space = a value starts or ends with white space
kaohe-ledger-look_alike = a value contains look-alike characters
kaohe-ledger-not_a_calendar_day = the month has no such day
kaohe-ledger-unknown_unit = a unit id that is not on sheet `单位`
kaohe-ledger-not_an_attribute_of_group = a unit attribute filled for a group that does not declare it
kaohe-ledger-invalid_fact = the value was refused
kaohe-ledger-template_failed = the blank ledger could not be written
kaohe-eval-failed = evaluation failed; nothing was evaluated
kaohe-eval-failed--division = division by zero
kaohe-case-io = the case file, or a file it names, cannot be read or written
kaohe-case-format = the case file is not a valid case
kaohe-case-checks_nothing = an `[[expect]]` block states no value, so it would pass whatever the ruleset gives
kaohe-cli-usage = these arguments cannot work together
kaohe-cli-io = a file cannot be read or written
kaohe-cli-empty_file = the file is empty
kaohe-cli-not_utf8 = the file is not UTF-8; save it as UTF-8
kaohe-cli-period_kind = `--period` names a period of another kind than the ruleset's
kaohe-cli-unknown_unit = `--explain` names no unit of the facts
kaohe-cli-no_cases = no case found
kaohe-cli-nothing_to_evaluate = the fact file has no records and no periods: nothing to evaluate
kaohe-api-invalid_options = an option is unknown or has a bad value
kaohe-api-invalid_options--lang = expected "zh" or "en"
kaohe-api-internal = a result could not be serialised
kaohe-ffi-invalid_argument = an argument is missing, not UTF-8, or a closed handle
kaohe-ffi-panic = kaohe failed unexpectedly; please report it with the inputs
