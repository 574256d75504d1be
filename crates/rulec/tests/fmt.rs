#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]
//! `rulec fmt`: the shipped rulesets are formatted; a messy copy is reported by
//! `--check` (exit 1, nothing rewritten), fixed by `rulec fmt`, and then passes.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn shipped() -> Vec<PathBuf> {
    let mut files = Vec::new();
    for entry in std::fs::read_dir(workspace().join("rulesets")).unwrap() {
        let dir = entry.unwrap().path();
        for file in std::fs::read_dir(&dir).into_iter().flatten() {
            let path = file.unwrap().path();
            if path.extension().is_some_and(|ext| ext == "rules") {
                files.push(path);
            }
        }
    }
    files.sort();
    assert!(files.len() >= 2, "{files:?}");
    files
}

fn rulec_fmt(args: &[&str], files: &[PathBuf]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_rulec"))
        .arg("fmt")
        .args(args)
        .args(files)
        .output()
        .unwrap()
}

/// A fresh temporary directory for one test.
fn temp_dir(name: &str) -> PathBuf {
    let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join(format!("kaohe-fmt-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// `text` with every line re-indented by tabs and odd spaces and trailing white
/// space added (blank lines are kept by the formatter, so none are added).
fn mess_up(text: &str) -> String {
    text.lines()
        .enumerate()
        .map(|(n, line)| {
            let indent = ["\t", "", "   ", " \t "][n % 4];
            format!("{indent}{}  \n", line.trim_start())
        })
        .collect()
}

#[test]
fn the_shipped_rulesets_pass_check() {
    let output = rulec_fmt(&["--check"], &shipped());
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(output.stdout.is_empty());
}

#[test]
fn a_messy_copy_is_reported_then_fixed() {
    let dir = temp_dir("messy");
    let mut copies = Vec::new();
    for original in shipped() {
        let copy = dir.join(original.file_name().unwrap());
        std::fs::write(&copy, mess_up(&std::fs::read_to_string(&original).unwrap())).unwrap();
        copies.push((original, copy));
    }
    let files: Vec<PathBuf> = copies.iter().map(|(_, copy)| copy.clone()).collect();
    let messy: Vec<String> = files
        .iter()
        .map(|f| std::fs::read_to_string(f).unwrap())
        .collect();

    // --check: exit 1, every file listed with a diff, nothing rewritten.
    let check = rulec_fmt(&["--check"], &files);
    assert_eq!(check.status.code(), Some(1));
    let stdout = String::from_utf8(check.stdout).unwrap();
    for file in &files {
        assert!(
            stdout.contains(&format!("would reformat {}", file.display())),
            "{stdout}"
        );
    }
    assert!(stdout.contains("\n@@ -1,"), "{stdout}");
    assert!(stdout.contains("\n-\t"), "{stdout}");
    for (file, before) in files.iter().zip(&messy) {
        assert_eq!(&std::fs::read_to_string(file).unwrap(), before);
    }

    // fmt: rewrites them to exactly the shipped layout.
    let fmt = rulec_fmt(&[], &files);
    assert_eq!(
        fmt.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&fmt.stderr)
    );
    for (original, copy) in &copies {
        assert_eq!(
            std::fs::read_to_string(copy).unwrap(),
            std::fs::read_to_string(original).unwrap()
        );
    }

    // A second --check passes.
    let again = rulec_fmt(&["--check"], &files);
    assert_eq!(again.status.code(), Some(0));
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn syntax_and_io_errors_exit_2() {
    let dir = temp_dir("errors");
    let broken = dir.join("broken.rules");
    std::fs::write(&broken, "ruleset x {\n  title\n}\n").unwrap();
    let output = rulec_fmt(&[], std::slice::from_ref(&broken));
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("kaohe::syntax"), "{stderr}");
    assert_eq!(
        std::fs::read_to_string(&broken).unwrap(),
        "ruleset x {\n  title\n}\n"
    );

    let missing = dir.join("missing.rules");
    let output = rulec_fmt(&["--check"], &[missing]);
    assert_eq!(output.status.code(), Some(2));
    std::fs::remove_dir_all(&dir).unwrap();
}
