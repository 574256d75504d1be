//! `rulec seal` and `rulec verify` end to end (issue 17 §2): sealing, the
//! audit, tampering with the database by hand (caught, located, exit 1), and
//! crash safety (a `rulec seal` killed with SIGKILL mid-seal, at several
//! moments, loses nothing sealed before and leaves no half seal).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use common::rulec;

const RULES: &str = "rulesets/miluo-2026/miluo-2026.rules";
const MAY: &str = "rulesets/miluo-2026/examples/2026-05.json";

/// A fresh scratch folder.
fn scratch(name: &str) -> PathBuf {
    let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join(format!("rulec-seal-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn s(path: &Path) -> &str {
    path.to_str().unwrap()
}

/// The May example evaluated on 2026-06-20: April and May are both final.
fn may_final(dir: &Path) -> PathBuf {
    let mut json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(common::workspace().join(MAY)).unwrap())
            .unwrap();
    json["as_of"] = "2026-06-20".into();
    let path = dir.join("2026-05.json");
    std::fs::write(&path, json.to_string()).unwrap();
    path
}

fn sealed_twice(name: &str) -> PathBuf {
    let dir = scratch(name);
    let facts = may_final(&dir);
    let db = dir.join("kaohe.sqlite");
    for period in ["2026-04", "2026-05"] {
        let run = rulec(&["seal", RULES, s(&facts), "--period", period, "--db", s(&db)]);
        assert_eq!(run.code, 0, "{}", run.stderr);
    }
    db
}

#[test]
fn seal_then_verify() {
    let dir = scratch("basic");
    let facts = may_final(&dir);
    let db = dir.join("kaohe.sqlite");
    let run = rulec(&[
        "seal",
        RULES,
        s(&facts),
        "--period",
        "2026-04",
        "--db",
        s(&db),
        "--format",
        "json",
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let json: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(json["seal"]["seq"], 1);
    assert_eq!(json["seal"]["period"], "2026-04");
    assert_eq!(json["seal"]["ruleset"], "miluo_2026");
    assert_eq!(
        json["seal"]["engine"],
        format!("kaohe {}", env!("CARGO_PKG_VERSION"))
    );
    assert_eq!(json["rejected"], serde_json::json!([]));

    let again = rulec(&[
        "seal",
        RULES,
        s(&facts),
        "--period",
        "2026-04",
        "--db",
        s(&db),
    ]);
    assert_eq!(again.code, 1);
    assert!(
        again.stderr.contains("is already sealed: seal #1"),
        "{}",
        again.stderr
    );
    let again = rulec(&[
        "seal",
        RULES,
        s(&facts),
        "--period",
        "2026-04",
        "--db",
        s(&db),
        "--format",
        "json",
    ]);
    assert_eq!(again.code, 1);
    let errors: serde_json::Value = serde_json::from_str(&again.stdout).unwrap();
    assert_eq!(errors["errors"][0]["code"], "kaohe::store::already_sealed");

    let verify = rulec(&["verify", "--db", s(&db)]);
    assert_eq!(verify.code, 0, "{}", verify.stderr);
    assert!(
        verify.stdout.contains("ok  #1 miluo_2026 2026-04"),
        "{}",
        verify.stdout
    );
    assert!(
        verify.stdout.contains("1 seal(s) verified"),
        "{}",
        verify.stdout
    );
    let verify = rulec(&[
        "verify",
        "--db",
        s(&db),
        "--rulesets",
        "rulesets",
        "--format",
        "json",
    ]);
    assert_eq!(verify.code, 0, "{}", verify.stderr);
    let audit: serde_json::Value = serde_json::from_str(&verify.stdout).unwrap();
    assert_eq!(audit["errors"], serde_json::json!([]));
    assert_eq!(audit["head"], json["seal"]["hash"]);
    // A folder without the ruleset: each seal's ruleset is missing.
    let empty = scratch("empty-rulesets");
    let verify = rulec(&["verify", "--db", s(&db), "--rulesets", s(&empty)]);
    assert_eq!(verify.code, 1);
    assert!(
        verify
            .stderr
            .contains("no ruleset given has the hash of the ruleset of seal #1 ("),
        "{}",
        verify.stderr
    );
}

#[test]
fn bad_arguments_are_usage_errors() {
    let dir = scratch("usage");
    let facts = may_final(&dir);
    let db = dir.join("kaohe.sqlite");
    let year = rulec(&["seal", RULES, s(&facts), "--period", "2026", "--db", s(&db)]);
    assert_eq!(year.code, 2, "{}", year.stderr);
    let missing = rulec(&["verify", "--db", s(&dir.join("nothing.sqlite"))]);
    assert_eq!(missing.code, 2);
    assert!(
        missing.stderr.contains("does not exist"),
        "{}",
        missing.stderr
    );
    assert!(
        !dir.join("nothing.sqlite").exists(),
        "verify never creates a database"
    );
    let not_db = dir.join("not.sqlite");
    std::fs::write(
        &not_db,
        "not a database, just text that is long enough to have a header",
    )
    .unwrap();
    let bad = rulec(&["verify", "--db", s(&not_db), "--format", "json"]);
    assert_eq!(bad.code, 2, "{}", bad.stdout);
    assert!(bad.stdout.contains("kaohe::store::io"), "{}", bad.stdout);
}

/// Runs SQL on the database, as someone with the file and `sqlite3` would.
fn tamper(db: &Path, sql: &str) {
    let conn = rusqlite::Connection::open(db).unwrap();
    conn.execute_batch(sql).unwrap();
}

fn verify_fails(db: &Path, expected: &[&str]) {
    let run = rulec(&["verify", "--db", s(db)]);
    assert_eq!(run.code, 1, "{}\n{}", run.stdout, run.stderr);
    for e in expected {
        assert!(run.stderr.contains(e), "`{e}` not in:\n{}", run.stderr);
    }
    assert!(run.stdout.contains("BAD"), "{}", run.stdout);
    let json = rulec(&["verify", "--db", s(db), "--format", "json"]);
    assert_eq!(json.code, 1);
    let audit: serde_json::Value = serde_json::from_str(&json.stdout).unwrap();
    assert!(!audit["errors"].as_array().unwrap().is_empty());
}

#[test]
fn verify_catches_a_record_value_edited_by_hand() {
    let db = sealed_twice("tamper-value");
    tamper(
        &db,
        r#"UPDATE records SET record = replace(record, '"actual":"0"', '"actual":"30"')
           WHERE seal = 1 AND record LIKE '%jtj-p01-2026-04%'"#,
    );
    verify_fails(
        &db,
        &[
            "kaohe.sqlite: seal #1 (miluo_2026 2026-04",
            "its content does not match its hash",
            "re-evaluating seal #1",
        ],
    );
}

#[test]
fn verify_catches_a_result_edited_by_hand() {
    let db = sealed_twice("tamper-result");
    tamper(
        &db,
        r#"UPDATE seals SET results = replace(results, '"total":"95"', '"total":"100"') WHERE seq = 2"#,
    );
    verify_fails(
        &db,
        &[
            "kaohe.sqlite: re-evaluating seal #2 (miluo_2026 2026-05",
            "gives other results than stored",
        ],
    );
}

#[test]
fn verify_catches_a_hash_edited_by_hand() {
    let db = sealed_twice("tamper-hash");
    tamper(
        &db,
        "UPDATE seals SET hash = replace(hash, 'sha256:', 'sha256:0') WHERE seq = 2",
    );
    verify_fails(&db, &["kaohe.sqlite: seal #2 (", "does not match its hash"]);
    // Rehashing a seal's own row does not help: the next seal links to the old hash.
    let db = sealed_twice("tamper-hash-first");
    tamper(
        &db,
        "UPDATE seals SET hash = replace(hash, 'sha256:', 'sha256:0') WHERE seq = 1",
    );
    verify_fails(&db, &["kaohe.sqlite: seal #2 (", "links to"]);
}

#[test]
fn verify_catches_a_deleted_seal() {
    let db = sealed_twice("tamper-delete");
    tamper(
        &db,
        "PRAGMA foreign_keys = OFF; DELETE FROM seals WHERE seq = 1;",
    );
    verify_fails(&db, &["seal #1 is missing", "records of seal #1 remain"]);
    let db = sealed_twice("tamper-delete-all");
    tamper(
        &db,
        "DELETE FROM records WHERE seal = 1; DELETE FROM seals WHERE seq = 1;",
    );
    verify_fails(&db, &["seal #1 is missing before seal #2"]);
}

#[test]
fn a_contradicting_upload_cannot_change_a_sealed_month() {
    let db = sealed_twice("contradict");
    let dir = db.parent().unwrap();
    // 教体局's April indicator, on target in a later upload.
    let mut json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("2026-05.json")).unwrap()).unwrap();
    for r in json["records"].as_array_mut().unwrap() {
        if r["id"] == "jtj-p01-2026-04" {
            r["attributes"]["actual"] = 30.into();
        }
    }
    json["as_of"] = "2026-07-20".into();
    json["periods"] = serde_json::json!(["2026-04", "2026-05", "2026-06"]);
    let facts = dir.join("changed.json");
    std::fs::write(&facts, json.to_string()).unwrap();
    let run = rulec(&[
        "seal",
        RULES,
        s(&facts),
        "--period",
        "2026-06",
        "--db",
        s(&db),
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stderr.contains(
            "warning: record of `jtj` (indicator 2026-04) not applied: contradicts seal #1"
        ),
        "{}",
        run.stderr
    );
    let verify = rulec(&["verify", "--db", s(&db)]);
    assert_eq!(verify.code, 0, "{}", verify.stderr);
}

/// How a killed seal ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Outcome {
    /// February's seal is not in the store.
    Absent,
    /// February's seal is there, whole (verify passed).
    Complete,
}

/// Copies the store `from` (its database file; the WAL is checkpointed
/// when the last connection closes) to a fresh `to`.
fn copy_store(from: &Path, to: &Path) {
    for suffix in ["", "-wal", "-shm"] {
        let target = PathBuf::from(format!("{}{suffix}", to.display()));
        let _ = std::fs::remove_file(&target);
        let source = PathBuf::from(format!("{}{suffix}", from.display()));
        if source.exists() {
            std::fs::copy(&source, &target).unwrap();
        }
    }
}

/// Seals February in `db` with a child `rulec seal` killed with SIGKILL at
/// `when`, then verifies the store: the earlier seal intact, February's seal
/// whole or absent.
fn killed_seal(facts: &Path, db: &Path, when: Kill) -> Outcome {
    let wal = PathBuf::from(format!("{}-wal", db.display()));
    let wal_size = || std::fs::metadata(&wal).map_or(0, |m| m.len());
    let before = wal_size();
    let mut child = Command::new(env!("CARGO_BIN_EXE_rulec"))
        .args([
            "seal",
            RULES,
            s(facts),
            "--period",
            "2026-02",
            "--db",
            s(db),
        ])
        .current_dir(common::workspace())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    match when {
        Kill::After(delay) => std::thread::sleep(delay),
        // As soon as the transaction's pages reach the write-ahead log.
        Kill::OnWrite => {
            let start = Instant::now();
            while wal_size() == before
                && child.try_wait().unwrap().is_none()
                && start.elapsed() < Duration::from_secs(120)
            {
                std::thread::yield_now();
            }
        }
    }
    let _ = child.kill(); // SIGKILL on Unix
    let _ = child.wait();
    let now = seals(db);
    assert_eq!(
        now.first(),
        Some(&(1, "2026-01".to_owned())),
        "the earlier seal is intact"
    );
    match now.as_slice() {
        [_] => Outcome::Absent,
        [_, (2, period)] if period == "2026-02" => Outcome::Complete,
        other => panic!("after a kill ({when:?}): {other:?}"),
    }
}

/// When to kill the child.
#[derive(Debug, Clone, Copy)]
enum Kill {
    After(Duration),
    OnWrite,
}

/// The seals a passing `verify` lists (it fails the test otherwise).
fn seals(db: &Path) -> Vec<(i64, String)> {
    let run = rulec(&["verify", "--db", s(db), "--format", "json"]);
    assert_eq!(
        run.code, 0,
        "verify after a kill:\n{}\n{}",
        run.stdout, run.stderr
    );
    let audit: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    audit["seals"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            (
                s["seq"].as_i64().unwrap(),
                s["period"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

#[test]
fn a_seal_killed_midway_leaves_the_store_intact() {
    let dir = scratch("crash");
    let facts = dir.join("big.json");
    let run = rulec(&[
        "generate",
        RULES,
        "--units",
        "30",
        "--periods",
        "2",
        "--records",
        "30",
        "-o",
        s(&facts),
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let base = dir.join("base.sqlite");
    let first = rulec(&[
        "seal",
        RULES,
        s(&facts),
        "--period",
        "2026-01",
        "--db",
        s(&base),
    ]);
    assert_eq!(first.code, 0, "{}", first.stderr);
    assert_eq!(seals(&base), [(1, "2026-01".to_owned())]);

    // How long an uninterrupted seal of February takes.
    let db = dir.join("kaohe.sqlite");
    copy_store(&base, &db);
    let start = Instant::now();
    let full = rulec(&[
        "seal",
        RULES,
        s(&facts),
        "--period",
        "2026-02",
        "--db",
        s(&db),
    ]);
    assert_eq!(full.code, 0, "{}", full.stderr);
    let took = start.elapsed();

    // Kills early, then bisecting towards the moment the seal commits (each
    // kill on a fresh copy of the store with January sealed), then as soon
    // as the write-ahead log grows.
    let mut outcomes = Vec::new();
    let (mut absent, mut complete) = (Duration::ZERO, took.mul_f64(1.5));
    let mut kills: Vec<Kill> = vec![
        Kill::After(took.mul_f64(0.05)),
        Kill::After(took.mul_f64(0.3)),
    ];
    kills.extend([Kill::OnWrite; 2]);
    for round in 0..(kills.len() + 5) {
        let kill = kills
            .get(round)
            .copied()
            .unwrap_or_else(|| Kill::After((absent + complete) / 2));
        copy_store(&base, &db);
        let outcome = killed_seal(&facts, &db, kill);
        if let Kill::After(at) = kill {
            match outcome {
                Outcome::Absent => absent = absent.max(at),
                Outcome::Complete => complete = complete.min(at),
            }
        }
        outcomes.push((kill, outcome));
    }
    // The store of the last kill still seals February (or has it).
    let again = rulec(&[
        "seal",
        RULES,
        s(&facts),
        "--period",
        "2026-02",
        "--db",
        s(&db),
    ]);
    assert!(
        again.code == 0 || again.stderr.contains("already sealed"),
        "{}",
        again.stderr
    );
    assert_eq!(seals(&db).len(), 2);
    eprintln!("uninterrupted seal: {took:?}; kills: {outcomes:?}");
    assert!(
        outcomes.iter().any(|(_, o)| *o == Outcome::Absent),
        "some kill interrupted the seal"
    );
}

const MAIN: &str = "tests/inputs/sub-assessment/main.rules";
const MAIN_MAY: &str = "tests/inputs/sub-assessment/examples/main-2026-05.json";
const PETITION: &str = "petition=tests/inputs/sub-assessment/petition.rules:tests/inputs/sub-assessment/examples/petition-2026-05.json";

/// `rulec seal --input` (breaker's item 3): a ruleset with inputs is sealed
/// with its inputs read as `rulec eval --input` reads them; the seal shows
/// their provenance; `rulec verify` passes, then catches the stored
/// sub-result edited by hand. Without `--input`, or with a malformed one,
/// refused as `rulec eval` refuses it.
#[test]
fn a_ruleset_with_inputs_is_sealed_with_their_provenance() {
    let dir = scratch("inputs");
    let db = dir.join("kaohe.sqlite");
    let seal = |extra: &[&str]| {
        let mut args = vec![
            "seal",
            MAIN,
            MAIN_MAY,
            "--period",
            "2026-05",
            "--db",
            s(&db),
        ];
        args.extend_from_slice(extra);
        rulec(&args)
    };
    let missing = seal(&["--format", "json"]);
    assert_eq!(missing.code, 1, "{}", missing.stderr);
    let json: serde_json::Value = serde_json::from_str(&missing.stdout).unwrap();
    assert_eq!(json["errors"][0]["code"], "kaohe::input::missing");
    assert_eq!(json["errors"][0]["path"], "$.inputs.petition");
    let malformed = seal(&["--input", "petition"]);
    assert_eq!(malformed.code, 2, "{}", malformed.stderr);
    assert!(
        malformed.stderr.contains("NAME=RULES:FACTS"),
        "{}",
        malformed.stderr
    );

    let run = seal(&["--input", PETITION]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stdout
            .contains("input petition ← `petition_2026` (sha256:"),
        "{}",
        run.stdout
    );
    let verify = rulec(&["verify", "--db", s(&db), "--format", "json"]);
    assert_eq!(verify.code, 0, "{}", verify.stdout);
    let audit: serde_json::Value = serde_json::from_str(&verify.stdout).unwrap();
    assert_eq!(audit["seals"][0]["inputs"][0]["input"], "petition");
    assert_eq!(audit["seals"][0]["inputs"][0]["ruleset"], "petition_2026");
    tamper(
        &db,
        r#"UPDATE seal_inputs SET inputs = replace(inputs, '"total":"85"', '"total":"95"')"#,
    );
    verify_fails(
        &db,
        &[
            "seal #1 (main_2026 2026-05",
            "its content does not match its hash",
            "gives other results than stored",
        ],
    );
}

/// Every evaluation error of a pass is shown by `rulec seal` as by `rulec
/// eval`, not only the first: two records whose `decided` lies outside
/// their own block's range (t1: 2 outside 5–10, d1: 9 outside 1–2).
#[test]
fn seal_shows_every_evaluation_error_as_eval_does() {
    let dir = scratch("two-errors");
    let rules = common::workspace().join("tests/eval-errors/two-blocks.rules");
    let facts = common::workspace().join("tests/eval-errors/two-out-of-range.json");
    let db = dir.join("kaohe.sqlite");
    let sealed = rulec(&[
        "seal",
        s(&rules),
        s(&facts),
        "--period",
        "2026",
        "--db",
        s(&db),
    ]);
    let evaluated = rulec(&["eval", s(&rules), s(&facts)]);
    for run in [&sealed, &evaluated] {
        assert_eq!(run.code, 1, "{}", run.stderr);
        for record in ["`r1`", "`r3`"] {
            assert!(run.stderr.contains(record), "{record}: {}", run.stderr);
        }
    }
    // (The store rebuilds the facts, so its errors carry no `$.records[i]`.)
    assert_eq!(
        sealed.stderr.matches("error:").count(),
        evaluated.stderr.matches("error:").count()
    );
}
