# `rulec` 自身的文字：表头、汇总、命令提示。

rulec-header-rank = 名次
rulec-header-unit = 单位
rulec-header-total = 得分
rulec-header-converted = 折算得分
rulec-header-notices = 预警通知
rulec-summary = 共 { $errors }、{ $warnings }（{ $files }）
rulec-errors = { $n } 个错误
rulec-warnings = { $n } 个警告
rulec-files = { $n } 个文件
rulec-help = 提示
rulec-error = 错误
rulec-fact-file-errors = 考核数据文件有 { $n } 处错误，未进行计算
rulec-ruleset-errors = 规则集 `{ $ruleset }` 有 { $n } 处错误，未进行计算
rulec-ledger-errors = 台账有 { $n } 处错误，未进行计算
rulec-ledger-import-errors = 台账有 { $n } 处错误，未写出也未计算
rulec-at = 位置
rulec-warning = 警告
