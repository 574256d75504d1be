//! Helpers shared by rulec's integration tests: the workspace root, running
//! the built `rulec` without colour, and listing a corpus folder.
#![allow(
    dead_code,
    reason = "each test binary uses a different part of these helpers"
)]

use std::path::{Path, PathBuf};
use std::process::Command;

/// The workspace root (tests run `rulec` there, with relative paths, so
/// output and snapshots carry no absolute paths).
pub fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .canonicalize()
        .expect("workspace root")
}

/// What a `rulec` run printed and how it ended.
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl From<Run> for (i32, String, String) {
    fn from(run: Run) -> Self {
        (run.code, run.stdout, run.stderr)
    }
}

/// Runs `rulec` in `dir`, without colour.
pub fn rulec_in(dir: &Path, args: &[&str]) -> Run {
    let output = Command::new(env!("CARGO_BIN_EXE_rulec"))
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        // English whatever the machine's locale (issue 16 §3).
        .env("KAOHE_LANG", "en")
        .output()
        .expect("run rulec");
    Run {
        code: output.status.code().expect("rulec exited normally"),
        stdout: String::from_utf8(output.stdout).expect("UTF-8 stdout"),
        stderr: String::from_utf8(output.stderr).expect("UTF-8 stderr"),
    }
}

/// Runs `rulec` in the workspace root, without colour.
pub fn rulec(args: &[&str]) -> Run {
    rulec_in(&workspace(), args)
}

/// The sorted stems of the files ending in `.{extension}` directly in `dir`;
/// fails when there are fewer than `at_least`.
pub fn corpus_stems(dir: &Path, extension: &str, at_least: usize) -> Vec<String> {
    let mut stems: Vec<String> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|entry| entry.expect("directory entry").path())
        .filter(|path| path.is_file() && path.extension().is_some_and(|e| e == extension))
        .map(|path| {
            path.file_stem()
                .and_then(|s| s.to_str())
                .expect("UTF-8 file name")
                .to_owned()
        })
        .collect();
    stems.sort();
    assert!(
        stems.len() >= at_least,
        "{} should hold at least {at_least} .{extension} files, found {}",
        dir.display(),
        stems.len()
    );
    stems
}

/// (ruleset name, example stem) of every shipped example
/// (`rulesets/NAME/examples/STEM.json`), sorted.
pub fn shipped_examples() -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut dirs: Vec<_> = std::fs::read_dir(workspace().join("rulesets"))
        .unwrap_or_else(|e| panic!("rulesets: {e}"))
        .map(|e| e.expect("directory entry").path())
        .filter(|p| p.is_dir())
        .collect();
    dirs.sort();
    for dir in dirs {
        let name = dir
            .file_name()
            .and_then(|n| n.to_str())
            .expect("UTF-8 directory name")
            .to_owned();
        let examples = dir.join("examples");
        if !examples.is_dir() {
            continue;
        }
        for stem in corpus_stems(&examples, "json", 0) {
            out.push((name.clone(), stem));
        }
    }
    out
}
