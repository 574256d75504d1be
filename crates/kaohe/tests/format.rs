#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]
//! The ruleset formatter (`kaohe::syntax::format`): on every ruleset in the
//! repository it is idempotent, keeps the meaning (the AST, spans aside) and keeps
//! every comment; focused cases pin the canonical layout with snapshots.

use std::path::{Path, PathBuf};

use kaohe::syntax::format::format;
use kaohe::syntax::parse;
use kaohe::SourceFile;

const MESSY: &str = r#"ruleset t{title "T"
        issuer "发文单位" source "S"
   effective 2026-01-01   to 2026-12-31}
levels tier "级别" { central "中央" provincial
"省级" }
record r "R" { key name name : text "名称"
 tier:tier? "级别" derive x=tier==central and not(present(name)) [ X-1 ,X-2 ] }
record bare "无块"
score[X-1]{base 100 category c "C" [X-1]{allot 100 floor 0
deduct d "D" [X-1] { per r where x amount by tier {central:1,provincial:0.5,} cap 10 per period [X-1] }
adjust rk [X-2] { per r amount by rank rank of ranked { top 3,2,1 bottom -3 , -2 overlap top } } } }
"#;

const TRAILING: &str = r#"ruleset t { // the header
  title "T"   // after a field
}   // after the block
classify board "榜" of lead [X-1] { red "红色" when count(r where x) >= 2 // two or more
  yellow when count(r) == 1
  green "绿" otherwise } // last arm
quota q "配额" of lead per year [X-2] {
  require count(r) >= 1 "一篇"  // short
  require count(r where x and y) >= 10 "十篇"
  action "提醒" }
"#;

const BLANK_LINES: &str = "


assumption [X-A1] \"a\"



assumption [X-A2] \"b\"
assumption [X-A3] \"c\"
period month [X-1] {


  seal 15 days after end [X-1]



  late rejected [X-1]


}
annual [X-1] { from sum of periods [X-1] }



";

const INSIDE_A_RULE: &str = r#"score [X-1] {
  base 100
  category c "C" {
    deduct d "D" [X-1] {
        // which records
      per r where x
          and y // a condition on two lines
      amount 2

         // before the end of the block
    }
    bonus b "B" [X-2] { // opening
      per r
      amount by tier { // a comment inside a one-line table
        central: 3, provincial: 2 }
    }
  }
}
"#;

/// Comments and odd spacing everywhere the grammar allows them.
const SALAD: &str = r#"

// header comment
ruleset   t {   title "T" // the title
issuer "I"
      source "S" effective 2026-01-01   to 2026-12-31 }
assumption [X-A1]   "a // not a comment"
assumption[X-A2]"b \" // still not"
record // before the name
  r "R" { a : text "甲"   longname:date ? "乙" // trailing
  derive   x = a == "q" and not(longname<2026-01-01) [ X-1 ,X-2 ] }
record bare "bare" record bare2 // after a bare record
score [X-1] { base 100 category c "C" {
      deduct d "D" [X-1] { per r where x   // why
         // inside
         amount by tier {a:1,b:-2,} times 2 when overdue( a , b ) // times
      // before close
      } adjust rk [X-2] { per r amount by rank rank of ranked { top 3,2,1 // top
 bottom -3 , -2 overlap top } } } }
classify board "B" of lead [X-1] { red "红色" when count(r where x)>=2 or - (1) < -2 // end
  yellow when sum(r, 1 where x) == 1 or if x then true else false
  green "绿" otherwise }
quota q of lead per year [X] { require count(r) >= 1 "一" require count(r where x) >= 10 "二" action "act" }
group lead {
// alone in a block
}
// trailing file comment   "


"#;

/// The focused cases below, with the repository's rulesets in the property tests.
const CASES: &[&str] = &[MESSY, TRAILING, BLANK_LINES, INSIDE_A_RULE, SALAD];

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn rules_in(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "rules"))
        .collect();
    files.sort();
    files
}

/// Every ruleset of the repository that parses, and the focused cases.
fn corpus() -> Vec<(PathBuf, String)> {
    let root = workspace();
    let mut files = Vec::new();
    for entry in std::fs::read_dir(root.join("rulesets")).unwrap() {
        let dir = entry.unwrap().path();
        if dir.is_dir() {
            files.extend(rules_in(&dir));
        }
    }
    files.extend(rules_in(&root.join("tests/check/base")));
    files.extend(rules_in(&root.join("tests/check")));
    files
        .into_iter()
        .map(|path| {
            let text = std::fs::read_to_string(&path).unwrap();
            (path, text)
        })
        .filter(|(path, text)| {
            parse(&SourceFile::new(path.display().to_string(), text.as_str()))
                .file
                .is_some()
        })
        .chain(
            CASES
                .iter()
                .enumerate()
                .map(|(n, text)| (PathBuf::from(format!("case {n}")), (*text).to_owned())),
        )
        .collect()
}

fn fmt(text: &str) -> String {
    format(&SourceFile::new("test.rules", text))
        .unwrap_or_else(|diagnostics| panic!("does not parse: {diagnostics:?}\n{text}"))
}

/// The AST of `text` as `{:?}`, every span replaced by `Span(..)`.
fn ast_without_spans(text: &str) -> String {
    let parsed = parse(&SourceFile::new("test.rules", text));
    let debug = format!("{:?}", parsed.file.expect("parses"));
    let mut out = String::new();
    let mut rest = debug.as_str();
    while let Some(at) = rest.find("Span { start: ") {
        out.push_str(&rest[..at]);
        out.push_str("Span(..)");
        let close = rest[at..].find('}').expect("a span ends");
        rest = &rest[at + close + 1..];
    }
    out.push_str(rest);
    out
}

/// The text of every `//` comment outside string literals, trailing white space
/// removed, sorted.
fn comments(text: &str) -> Vec<String> {
    let mut found = Vec::new();
    for line in text.lines() {
        let mut in_string = false;
        let mut chars = line.char_indices().peekable();
        while let Some((at, c)) = chars.next() {
            match c {
                '\\' if in_string => {
                    chars.next();
                }
                '"' => in_string = !in_string,
                '/' if !in_string && matches!(chars.peek(), Some((_, '/'))) => {
                    found.push(line[at..].trim_end().to_owned());
                    break;
                }
                _ => {}
            }
        }
    }
    found.sort();
    found
}

#[test]
fn the_corpus_is_large_enough() {
    let corpus = corpus();
    assert!(
        corpus.len() >= 30 + CASES.len(),
        "only {} rulesets parse",
        corpus.len()
    );
    assert!(corpus
        .iter()
        .any(|(path, _)| path.ends_with("shaodong-2023.rules")));
}

#[test]
fn formatting_is_idempotent() {
    for (path, text) in corpus() {
        let once = fmt(&text);
        let twice = fmt(&once);
        assert_eq!(once, twice, "{} is not stable", path.display());
    }
}

#[test]
fn formatting_keeps_the_meaning() {
    for (path, text) in corpus() {
        let formatted = fmt(&text);
        assert_eq!(
            ast_without_spans(&text),
            ast_without_spans(&formatted),
            "{} changed meaning:\n{formatted}",
            path.display()
        );
    }
}

#[test]
fn formatting_keeps_every_comment() {
    for (path, text) in corpus() {
        let formatted = fmt(&text);
        assert_eq!(
            comments(&text),
            comments(&formatted),
            "{} lost or changed a comment:\n{formatted}",
            path.display()
        );
    }
}

#[test]
fn indentation_and_trailing_space_do_not_matter() {
    for (path, text) in corpus() {
        // Re-indent every line differently and add trailing white space: lines
        // never break inside a string, so this changes layout only.
        let messy: String = text
            .lines()
            .enumerate()
            .map(|(n, line)| {
                let indent = ["", "\t", "     ", " \u{3000}"][n % 4];
                format!("{indent}{} \t\n", line.trim_start())
            })
            .collect();
        assert_eq!(
            fmt(&messy),
            fmt(&text),
            "{}: layout leaked through",
            path.display()
        );
    }
}

#[test]
fn the_shipped_rulesets_are_formatted() {
    for (path, text) in corpus() {
        if path.starts_with(workspace().join("rulesets")) {
            assert_eq!(fmt(&text), text, "{} is not formatted", path.display());
        }
    }
}

#[test]
fn a_syntax_error_gives_the_parser_diagnostics() {
    let source = SourceFile::new("bad.rules", "ruleset x { title }");
    let errors = format(&source).unwrap_err();
    assert_eq!(errors, parse(&source).diagnostics);
    assert!(!errors.is_empty());
}

#[test]
fn empty_and_comment_only_files() {
    assert_eq!(fmt(""), "");
    assert_eq!(fmt("\n \n"), "");
    insta::assert_snapshot!(fmt("\n\n// one   \n\n\n\n// two\n"), @r"
    // one

    // two
    ");
}

#[test]
fn messy_indentation() {
    insta::assert_snapshot!(fmt(MESSY), @r#"
    ruleset t {
      title     "T"
      issuer    "发文单位"
      source    "S"
      effective 2026-01-01 to 2026-12-31
    }

    levels tier "级别" {
      central    "中央"
      provincial "省级"
    }

    record r "R" {
      key name
      name: text  "名称"
      tier: tier? "级别"
      derive x = tier == central and not (present(name)) [X-1, X-2]
    }

    record bare "无块"

    score [X-1] {
      base 100
      category c "C" [X-1] {
        allot 100
        floor 0
        deduct d "D" [X-1] {
          per r where x
          amount by tier { central: 1, provincial: 0.5 }
          cap 10 per period [X-1]
        }
        adjust rk [X-2] {
          per r
          amount by rank rank of ranked {
            top 3, 2, 1
            bottom -3, -2
            overlap top
          }
        }
      }
    }
    "#);
}

#[test]
fn trailing_comments() {
    insta::assert_snapshot!(fmt(TRAILING), @r#"
    ruleset t { // the header
      title "T" // after a field
    } // after the block

    classify board "榜" of lead [X-1] {
      red    "红色" when count(r where x) >= 2 // two or more
      yellow when count(r) == 1
      green  "绿"   otherwise
    } // last arm

    quota q "配额" of lead per year [X-2] {
      require count(r) >= 1                "一篇" // short
      require count(r where x and y) >= 10 "十篇"
      action "提醒"
    }
    "#);
}

#[test]
fn blank_line_runs() {
    insta::assert_snapshot!(fmt(BLANK_LINES), @r#"
    assumption [X-A1] "a"

    assumption [X-A2] "b"
    assumption [X-A3] "c"

    period month [X-1] {
      seal 15 days after end [X-1]

      late rejected [X-1]
    }

    annual [X-1] {
      from sum of periods [X-1]
    }
    "#);
}

#[test]
fn comments_everywhere() {
    insta::assert_snapshot!(fmt(SALAD), @r#"
    // header comment
    ruleset t {
      title     "T" // the title
      issuer    "I"
      source    "S"
      effective 2026-01-01 to 2026-12-31
    }

    assumption [X-A1] "a // not a comment"
    assumption [X-A2] "b \" // still not"

    // before the name
    record r "R" {
      a:        text  "甲"
      longname: date? "乙" // trailing
      derive x = a == "q" and not (longname < 2026-01-01) [X-1, X-2]
    }

    record bare "bare"
    record bare2 // after a bare record

    score [X-1] {
      base 100
      category c "C" {
        deduct d "D" [X-1] {
          per r where x // why
          // inside
          amount by tier { a: 1, b: -2 }
          times 2 when overdue(a, b) // times
          // before close
        }
        adjust rk [X-2] {
          per r
          amount by rank rank of ranked {
            top 3, 2, 1 // top
            bottom -3, -2
            overlap top
          }
        }
      }
    }

    classify board "B" of lead [X-1] {
      red    "红色" when count(r where x) >= 2 or -(1) < -2 // end
      yellow when sum(r, 1 where x) == 1 or if x then true else false
      green  "绿"   otherwise
    }

    quota q of lead per year [X] {
      require count(r) >= 1          "一"
      require count(r where x) >= 10 "二"
      action "act"
    }

    group lead {
      // alone in a block
    }
    // trailing file comment   "
    "#);
}

#[test]
fn comments_inside_a_rule_block() {
    insta::assert_snapshot!(fmt(INSIDE_A_RULE), @r#"
    score [X-1] {
      base 100
      category c "C" {
        deduct d "D" [X-1] {
          // which records
          per r where x and y // a condition on two lines
          amount 2

          // before the end of the block
        }
        bonus b "B" [X-2] { // opening
          per r
          // a comment inside a one-line table
          amount by tier { central: 3, provincial: 2 }
        }
      }
    }
    "#);
}
