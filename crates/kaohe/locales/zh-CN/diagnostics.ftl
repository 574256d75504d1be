# 规则集诊断（`kaohe::<name>`）：消息 id 为代码中的 `::` 换成 `-`。

kaohe-syntax = 此处不应出现 { $found }
    .label-span = 此处应为 { $expected }

kaohe-limit_exceeded = { $what }：超出限制 `{ $limit }` = { $value }
    .label-span = 在此超出限制

kaohe-full_width_punctuation = 规则语言此处需要 `{ $ascii }`，写成了全角{ $name }“{ $found }”
    .label-span = 应写 `{ $ascii }`

kaohe-number_out_of_range = 数字 `{ $text }` 超出范围
    .label-span = 过大

kaohe-invalid_date = `{ $text }` 不是有效的日历日期
    .help = 日期写作 YYYY-MM-DD
    .label-span = 没有这一天

kaohe-missing_part = { $within } 缺少 { $part }
    .label-span = 此处应有 { $part }

kaohe-repeated_statement = { $statement } 重复出现
    .help = 只保留其中一条
    .label-span = 在此重复
    .label-first = 首次出现于此

kaohe-unknown_name = 未声明的{ $kind } `{ $name }`{ $within }
    .label-span = 未声明

kaohe-duplicate_name = { $kind } `{ $name }` 重复声明
    .help = 将其中一个改名，或删除重复的一份
    .label-span = 在此再次声明
    .label-first = 首次声明于此

kaohe-type_mismatch = 此处应为{ $expected }，实际为{ $found }
    .label-span = 这是{ $found }

kaohe-wrong_argument_count = `{ $function }` 需要{ $expected }，实际给了 { $found } 个
    .label-span = 在此调用

kaohe-non_positive_cap = { $what } `{ $value }` 不是正数
    .help = 封顶限定最多扣（加）多少分，折算权重用于折算年度得分；不需要时删除该语句，不要写 0
    .label-span = 必须大于 0

kaohe-negative_amount = `{ $rule_kind }` 的分值 `{ $value }` 为负数
    .help = 扣分和加分都写成正数；可加可减的分值请用 `adjust`
    .label-span = 负数

kaohe-invalid_range = 日期区间的截止日期（{ $to }）早于起始日期（{ $from }）
    .help = 先写较早的日期
    .label-span = 空区间

kaohe-overlapping_effective = { $kind } `{ $name }` 有两个版本在同一时段内同时生效
    .help = 各版本的 `effective` 生效区间不得重叠
    .label-span = 本版本
    .label-other = 与此版本重叠

kaohe-missing_levels = 分值表缺少 { $missing } 的分值
    .label-span = 分值表不完整

kaohe-reversed_discretion = 酌定分值范围的上限（{ $to }）小于下限（{ $from }）
    .help = 先写较小的分值：`amount discretion { $to } to { $from }`
    .label-span = 空范围

kaohe-needs_record = { $what } 需要针对记录，但 { $context } 没有 `per` 语句
    .help = 加上 `per <记录类型>`，使其逐条适用于该类记录
    .label-span = 此处没有记录可用

kaohe-previous_without_key = `previous` 要求记录类型 `{ $kind }` 声明 `key`
    .label-span = 没有 key，无法找到上一考核期的对应记录

kaohe-misplaced_ranked = `ranked` 只能用于预警通知（notice）、标记（flag）、分类（classify）或指标任务（quota）
    .help = 得分不能取决于排名，因为排名取决于得分；请把这个条件移到 `notice` 中
    .label-span = 在此使用了排名历史

kaohe-cap_across_categories = 封顶 `{ $cap }` 涉及两个考核类别的规则：`{ $first }` 和 `{ $other }`
    .help = 针对多条规则的封顶在一个考核类别内扣回超出部分（先于该类别自身的加分封顶和保底）；请每个类别各写一条封顶
    .label-span = 这条规则属于 `{ $other }`

kaohe-conflicting_policy = { $this } 与 { $other } 相互矛盾
    .label-span = 此处
    .label-other_span = 与此处矛盾

kaohe-incomplete_classification = 分类 `{ $name }` { $problem }
    .label-span = 此处

kaohe-zero_count = { $what }至少为 1
    .help = `ranked bottom 3 for 2 consecutive periods` 至少需要一个名次、一个考核期
    .label-span = 为 0

kaohe-unknown_assumption = 引用的 `{ $id }` 不是已声明的认定口径
    .label-span = 没有 `assumption [{ $id }]`

kaohe-allotment_mismatch = 各考核类别分值合计为 { $sum }，与基本分 { $base } 不符
    .help = 对照考核细则中基本分的分配，核对各类别的 `allot`；如果考核细则的分配本来就与基本分不符，请在 `score` 计分块中写明：`allotments sum N [条款]`
    .label-span = 基本分 { $base }

kaohe-never_binds = { $what } 永远不起作用：{ $reason }
    .label-span = 不起作用

kaohe-unacknowledged_ties = 排名 `{ $name }` 可能出现并列，但未说明如何处理
    .help = 加上 `ties shared`：所有排序指标都相同的单位并列同一名次，结果中注明并列未区分
    .label-span = 此处相同的单位仍然并列

kaohe-missing_citation = { $what } `{ $name }` 没有引用条款
    .help = 引用其依据的条款，如 `[SD-3.1.1①]`，使每一分都能追溯到考核细则
    .label-span = 无条款引用

kaohe-unused_input = { $kind } `{ $name }` 已声明但从未使用
    .help = 删除它，或在规则中使用它；考核数据文件仍须提供已声明的数据项
    .label-span = 未使用

kaohe-uncited_assumption = 认定口径 `{ $id }` 未被任何规则引用
    .help = 在受其影响的规则上引用它，便于看出改变这一口径会影响什么
    .label-span = 从未被引用

kaohe-outside_effective = { $what } 的生效区间超出了规则集的生效区间（{ $from } 至 { $to }）
    .help = 规则集生效区间以外的日期不参与考核
    .label-span = 部分超出

kaohe-effective_splits_period = { $context } 的{ $what }（{ $date }）落在考核期 { $period }（{ $period_kind }）之内
    .label-span = 将 { $period } 分割

kaohe-never_effective = { $what } 从不生效：其生效区间完全在规则集的生效区间（{ $from } 至 { $to }）之外
    .help = 规则集生效区间以外的日期不参与考核；请更正日期或删除此版本
    .label-span = 完全超出

kaohe-never_holds = { $what } 永远不会适用：{ $reason }
    .label-span = 永远不成立

kaohe-zero_amount = 规则 `{ $rule }` 的分值恒为 0
    .help = 0 分的规则不会改变任何得分；请按考核细则写明分值，或删除该规则
    .label-span = 为 0

kaohe-duplicate_label = 考核类别 `{ $category }` 中的规则 `{ $first }` 和 `{ $rule }` 名称相同：{ $label }
    .help = 工作专报的读者靠名称区分规则；请给每条规则一个独立的名称（同一规则的不同版本可以同名）
    .label-span = 与 `{ $first }` 同名
    .label-first_span = 首次使用于此

kaohe-count_in_amount = 规则 `{ $rule }` 的{ $what }用到了记录的 `count`，而分值本来就会乘以 `count`
    .label-span = `{ $name }` 重复计算了记录的 `count`

kaohe-undeclared_clause = 引用的 `{ $id }` 不是已声明的条款
    .label-span = 没有 `clause [{ $id }]`

kaohe-count_beyond_year = 本年度 { $periods } 个考核期永远达不到：一年只有 { $most } 个{ $name }
    .help = 最多写 { $most } 个考核期；跨年度连续计算请用 `for N consecutive periods`
    .label-span = 超过一年的考核期数

kaohe-syntax--unclosed-string = `"`：字符串没有结束
kaohe-syntax--end-of-file = 文件末尾
kaohe-syntax--help-brace = 补上缺少的 `{"}"}`
kaohe-syntax--help-string = 在行尾之前用 `"` 结束字符串
kaohe-syntax--label-brace = 文件结束前应有 `{"}"}` 结束此块
kaohe-syntax--label-quote = 本行应有结束的 `"`
kaohe-limit_exceeded--nesting = 括号和 `if` 嵌套过深
kaohe-limit_exceeded--operators = 一个表达式中运算符过多
kaohe-limit_exceeded--help-nesting = 括号和 `if` 嵌套这么深，通常是笔误（括号没有闭合？）或程序生成的文本；请拆平表达式，例如用 `derive`；嵌入程序可以调高此限制（`kaohe::Limits`）
kaohe-limit_exceeded--help-operators = 用 `derive` 把表达式拆成几个有名称的部分；嵌入程序可以调高此限制（`kaohe::Limits`）
kaohe-full_width_punctuation--help = 全角{ $name } `{ $found }`：应写 `{ $ascii }`
kaohe-full_width_punctuation--help-citation = 全角{ $name } `{ $found }`：应写 `{ $ascii }`（引用的多个编号之间用 `,` 分隔；用 `{ $found2 }` 会把两个编号读成一个）
kaohe-number_out_of_range--help-whole = 此处的整数最大为 { $most }
kaohe-number_out_of_range--help-decimal = 数字按精确小数处理，最多 28 位有效数字
kaohe-missing_part--help-title = 在规则集头部加上 `title "…"`
kaohe-missing_part--help-score = 声明基本分及各考核类别：`score {"{"} base 100  category … {"}"}`
kaohe-missing_part--help-amount = 写明每发生一次计多少分：`amount 5`
kaohe-missing_part--help-seal = 写明已过去的考核期能否更改：`seal 15 days after end`（到期封存）或 `amendable`（可更正）
kaohe-missing_part--the-ruleset = 规则集
kaohe-missing_part--score-block = `score` 块
kaohe-missing_part--seal-or-amendable = `seal` 或 `amendable`
kaohe-missing_levels--help = 为 `{ $levels }` 的每个等级写明分值（不得分的等级写 0）
kaohe-previous_without_key--help = 在 `record { $kind }` 中加上 `key <属性>`，指明哪个属性标识各考核期之间的同一事项
kaohe-conflicting_policy--help-seal = 一个考核期要么到期封存，要么可更正，只能保留一种
kaohe-conflicting_policy--help-late = 可更正的考核期不存在逾期报送；删除 `late`，或将考核期改为封存
kaohe-incomplete_classification--unclassified = 可能使某些单位未被归类
kaohe-incomplete_classification--after-otherwise = 在 `otherwise` 之后还有类别
kaohe-incomplete_classification--help-last = `otherwise` 接收其余所有单位，应放在最后
kaohe-incomplete_classification--help-rest = 最后写一个接收其余单位的类别：`{ $example }`
kaohe-zero_count--periods = 考核期数
kaohe-zero_count--places = 名次数
kaohe-never_binds--no-bonus = 考核类别 `{ $category }` 没有加分规则
kaohe-never_binds--no-deduction = 考核类别 `{ $category }` 没有扣分规则
kaohe-never_binds--capped = 考核类别 `{ $category }` 的加分规则各自封顶，合计最多 { $amount } 分
kaohe-never_binds--help-bonus = 删除该封顶，或补上该类别的加分规则
kaohe-never_binds--help-cap = 删除该类别的封顶；如果考核细则要求类别封顶起作用，请更正各规则的封顶或分值
kaohe-never_binds--help-floor = 删除该保底，或补上该类别的扣分规则
kaohe-never_binds--floor = 保底 `{ $value }`
kaohe-effective_splits_period--help-end = 一个考核期只按规则的一个版本计分；本版本应在{ $kind }末截止{ $days }，下一版本从次日起生效
kaohe-effective_splits_period--help-start = 一个考核期只按规则的一个版本计分；本版本应从{ $kind }初开始生效{ $days }，上一版本截止于前一日
kaohe-effective_splits_period--help-end-pooled = 一个考核期只按规则的一个版本计分；本版本应在{ $kind }末截止{ $days }，下一版本从次日起生效（因 `annual {"{"} from pooled records {"}"}`，全年作为一个考核期计分；如需年内变更规则，请改为 `from sum of periods`）
kaohe-effective_splits_period--help-start-pooled = 一个考核期只按规则的一个版本计分；本版本应从{ $kind }初开始生效{ $days }，上一版本截止于前一日（因 `annual {"{"} from pooled records {"}"}`，全年作为一个考核期计分；如需年内变更规则，请改为 `from sum of periods`）
kaohe-effective_splits_period--the-start = 起始日期
kaohe-effective_splits_period--the-end = 截止日期
kaohe-never_holds--class = `{ $of }` 的类别 `{ $class }`
kaohe-never_holds--earlier-class = 排在前面的类别 `{ $class }` 已取走它能得到的所有单位（按先匹配者归类）
kaohe-never_holds--negative = `{ $what }` 不会为负，所以 `{ $condition }` 永远不成立
kaohe-never_holds--both = `{ $a }` 和 `{ $b }` 不可能同时成立
kaohe-never_holds--false = `false` 永远不成立
kaohe-never_holds--always = `{ $condition }` 恒成立，其否定永远不成立
kaohe-never_holds--or = `or` 两边都不可能成立（{ $left }；{ $right }）
kaohe-never_holds--help-rule = 这些条件不可能同时成立，规则永远不会适用；请更正条件（常见原因是等级名写错或漏了 `not`），或删除该规则
kaohe-never_holds--help-class = 没有单位能归入这一类别；请更正其条件或各类别的先后次序
kaohe-count_in_amount--help-aggregate = `{ $call }` 累计该单位所有 `{ $kind }` 记录，而规则又对每条 `{ $kind2 }` 记录各计一次分值（再乘以其 `count`），记录被重复计算（3 条记录会得出 3 × 3）；请写一条记录的分值，或去掉 `per { $kind3 }`，按全部记录计算一次
kaohe-count_in_amount--help = 写一次的分值：每次都会再乘以记录的 `count`（分值写 `count`、count 为 3 时会得出 9）；如需分值随次数变化，请用条件：`times 2 when count >= 3`
kaohe-count_in_amount--the-amount = 分值
kaohe-unknown_name--of = `{ $of }` 的{ $kind } `{ $name }`
kaohe-unknown_name--help-declared = 已声明：{ $names }
kaohe-unknown_name--help-result = `{ $name }` 是单位的考核结果，计分和排名之后才知道：只能用在 `notice`、`flag`、`classify` 或 `quota` 的条件中
kaohe-type_mismatch--help-compare = 条件是对数值的比较，例如 `actual < required`
kaohe-type_mismatch--help-branches = `if` 的两个分支必须是同一类型
kaohe-wrong_argument_count--help-overdue = overdue(deadline, done)：已设整改期限、考核日期已过期限，且 `done` 未填或晚于期限
kaohe-wrong_argument_count--two = 两个参数
kaohe-wrong_argument_count--one = 一个参数
kaohe-count_beyond_year--months = 月
kaohe-count_beyond_year--quarters = 季度
kaohe-count_beyond_year--half-years = 半年
kaohe-count_beyond_year--weeks = 周
kaohe-count_beyond_year--years = 年度
kaohe-syntax--or-end-of-file = { $list } 或文件末尾
kaohe-syntax--or-operator = { $list } 或运算符
kaohe-syntax--or-last = { $list } 或 `{ $last }`
kaohe-syntax--or-expression = { $list } 或表达式

# `lang` 分支（issue 13）新增的诊断。
kaohe-misplaced_step = 升级步骤 `{ $name }` { $problem }
    .label-span = 此处
kaohe-unreachable_band = 分档{ $problem }
    .label-span = 永远不会是第一个成立的分档
kaohe-measure_in_measure = `{ $function }(…)` 不能用在指标（measure）的取值中
kaohe-measure_in_measure--via = `{ $function }(…)` 不能用在指标（measure）的取值中（派生属性 `{ $derive }` 用到了它）
    .help = 指标只由本单位自己的记录和属性计算；名次和同组比较请在读取该指标的规则和预警中使用，或在那里计算该值
    .label-span = 指标中套用了指标
kaohe-misplaced_this = `this.` 指当前计分的记录，但此处没有这样的记录
    .help = 请在带 `per` 的规则或预警中，在 `count(kind where …)` 或 `sum(kind, … where …)` 里使用 `this.x`：它指 `per` 的那条记录，与被统计的记录比较（`count(problem where place == this.place in previous 3 periods)`）
    .label-span = 外层没有记录
kaohe-misplaced_step--per = 位于带 `per` 的{ $what } `{ $notice }` 中
kaohe-misplaced_step--help-per = 升级阶梯每个单位只发出一级：请删除 `per`，在各级的条件中统计记录（`when count(kind where …) >= 3`）
kaohe-misplaced_step--group = 针对单位分组 `{ $group }`，但{ $what } `{ $notice }` 只适用于 `{ $target }`
kaohe-misplaced_step--help-group = 请去掉该级的 `of { $group }`，或去掉{ $what }的 `of { $target }`，使其适用于所有分组
kaohe-unreachable_band--order = `{ $band }` 位于 `{ $before }` 之后，永远不会是第一个成立的分档
kaohe-unreachable_band--mixed = 混用了 `upto` 和 `from` 分档
kaohe-unreachable_band--help = 请按顺序书写分档：全部用 `upto` 且阈值递增（名次：`upto 3: 7, upto 6: 5`），或全部用 `from` 且阈值递减（比率：`from 95: 5, from 90: 3`）

# 日期、期限与工作日（issue 13 §8），`dates` 分支。
kaohe-calendar_day = 日历 { $year } 年：{ $problem }
    .help = 请按国务院办公厅通知逐项写明该年的放假日期和调休上班日期：`holiday 2027-02-06 to 2027-02-13`、`workday 2027-02-14`
    .label-span = 这一天
kaohe-calendar_day--outside = `{ $date }` 不在 { $year } 年内
kaohe-calendar_day--backwards = `{ $from } to { $to }` 的结束日期早于开始日期
kaohe-calendar_day--weekday = `{ $date }` 是周一至周五：调休上班日只能是周六或周日
kaohe-calendar_day--both = `{ $date }` 既是放假日又是调休上班日
kaohe-calendar_year = 日历 { $year } 年：{ $problem }
    .help = 规则集中写出的日历年份会替换（或补充）法定节假日安排中的这一年：请引用写明其来源（国务院办公厅通知）的条款（`year 2027 [N-2027] {"{"} … {"}"}`，并声明 `clause [N-2027] "国务院办公厅关于2027年部分节假日安排的通知"`），并逐项写明通知所列的放假日期和调休上班日期
    .label-span = 这一年
kaohe-calendar_year--uncited = 该年未注明来源：请引用其放假和调休安排所依据通知的条款
kaohe-calendar_year--empty = 该年既没有放假日，也没有调休上班日
kaohe-calendar_year--no_holiday = 该年只有调休上班日，没有放假日：规则中写出的年份会整体取代内置的该年日历
kaohe-calendar_missing_year = { $what } 要计算工作日，而规则集在 { $missing } 年生效，日历 `{ $calendar }` 没有这一年的安排
    .help = 请按国务院办公厅通知把缺少年份的放假日期和调休上班日期写进日历声明：`calendar { $calendar } {"{"} year 2027 [N-2027] {"{"} … {"}"} {"}"}`；在此之前，计算时遇到这些年份的日期会因无法计算工作日而失败
    .label-span = 此处计算工作日
kaohe-no_calendar = { $what } 需要工作日日历，但规则集没有声明日历
    .help = 请声明法定节假日和调休上班日的日历：`calendar cn`（按国务院办公厅通知，已内置 2023–2026 年；以后的年份用 `year 2027 {"{"} … {"}"}` 补充）
    .label-span = 此处计算工作日
kaohe-misplaced_duration = `{ $unit }` 表示一段时间，只能加到日期上或从日期中减去
    .help = 请把日期写在前面：`due + 5 days`、`due + 1 months`、`due - 5 working days`；两个日期相隔的天数用 `days_between(a, b)` 或 `working_days_between(a, b)`
    .label-span = 前面不是 `日期 +` 或 `日期 -`
kaohe-type_mismatch--help-date-arithmetic = 日期只能加减一段时间（`due + 5 days`、`due + 1 months`、`due + 5 working days`）；两个日期相隔的天数用 `days_between(a, b)` 或 `working_days_between(a, b)`
kaohe-type_mismatch--help-shift = `{ $op } N { $unit }` 用于推算日期：请在前面写一个日期（`due { $op2 } 5 { $unit2 }`）
kaohe-type_mismatch--whole = 整数个 { $unit }
kaohe-type_mismatch--decimal = 小数
kaohe-type_mismatch--help-whole = 天数或月数须为整数：用 `integer` 属性或整数，小数请用 `floor(x)` 或 `ceil(x)` 取整
kaohe-wrong_argument_count--help-days-between = days_between(a, b)：从日期 `a` 到日期 `b` 的自然日天数（`b` 较早时为负数）
kaohe-wrong_argument_count--help-working-days-between = working_days_between(a, b)：按规则集的 `calendar`，`a` 之后至 `b`（含 `b`）的工作日天数（`b` 较早时为负数）
# `period year`（issue 13 §9），`periods` 分支。
kaohe-period_is_year = `period year` 下不用{ $what }：考核期本身就是年度
    .label-span = 考核期即年度
kaohe-period_is_year--annual = `annual`
kaohe-period_is_year--assessed = `assessed annually`
kaohe-period_is_year--per-year = `per year`
kaohe-period_is_year--help-annual = 请删除 `annual`：`period year` 下每个考核期的结果就是年度结果，没有另外的年度结果需要汇总或折算
kaohe-period_is_year--help-assessed = 请删除 `assessed annually`：`period year` 下所有单位组都是每年考核一次
kaohe-period_is_year--help-per-year = 请改为 `per period`（或不写）：`period year` 下考核期就是年度，没有单独的年度结果可供 `per year` 使用

kaohe-group_not_scored = 单位分组 `{ $group }` 没有任何 `score of` 计分块为其计分
    .label-span = 没有 `score of` 计分块列出它

kaohe-group_scored_twice = 单位分组 `{ $group }` 被两个 `score of` 计分块同时列出
    .help = 每个单位只能由一个计分块计分：请从其中一个计分块中删去该分组
    .label-span = 此处再次列出
    .label-first = 首次列出于此

kaohe-score_without_group = 已有按分组计分的 `score of` 计分块，又出现了不带 `of` 的 `score` 计分块
    .help = 各分组分别计分时，每个计分块都要写明所计分的分组：`score of township {"{"} … {"}"}`
    .label-span = 为所有分组计分
    .label-other = 为部分分组计分的计分块

kaohe-allotments_statement = `allotments sum { $stated }` { $problem }
    .help = `allotments sum N [条款]` 用于确认考核细则中计入总分的各类别分值合计为 N 而非基本分；请写明该合计，并引用规定该分配的条款
    .label-span = 此处

kaohe-misplaced_subtotal = `subtotal(…)` 只能用于预警、标记、分类、定额要求或输出项
    .help = 类别小计在单位计分完成后才能得出，规则、指标和排名都不能读取它；请把该条件移到 `notice`、`classify` 或 `output` 中
    .label-span = 此处单位尚未计分
kaohe-group_not_scored--help = 请把它加入为其计分的计分块的 `of` 列表，或为它单独写一个计分块：`score of { $group } {"{"} base 100  category … {"}"}`
kaohe-allotments_statement--uncited = 没有引用条款
kaohe-allotments_statement--differs = 与各类别分值不符：各类别分值合计为 { $sum }
kaohe-allotments_statement--base = 并非例外：各类别分值合计已等于基本分 { $sum }
