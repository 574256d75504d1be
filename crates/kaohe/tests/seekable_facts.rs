#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]
//! The chunked fact reader (`Facts::from_seekable_within`, issue 15 §2) on
//! files: every file of the bad-fact corpus (`tests/facts/`) gives exactly
//! the errors of the streaming reader (`Facts::from_reader`), and the valid
//! fact files (the corpus bases, the shipped examples) exactly its facts,
//! with 1 and 3 threads. The property
//! test over generated and mutated files, with chunks small enough that
//! records straddle them, is in `crates/kaohe/src/facts/chunked.rs`.

use std::fs::File;
use std::path::{Path, PathBuf};

use kaohe::{Facts, Limits, Ruleset, SourceFile, Threads};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn ruleset(path: &Path) -> Ruleset {
    let text = std::fs::read_to_string(path).unwrap();
    Ruleset::from_source(SourceFile::new(path.display().to_string(), &text))
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn shipped(name: &str) -> Ruleset {
    ruleset(&root().join(format!("rulesets/{name}/{name}.rules")))
}

/// Both readers on the file `path`: the same facts (and hash, warnings) or
/// the same errors; returns whether the file was valid.
fn same(ruleset: &Ruleset, path: &Path) -> bool {
    let expected = Facts::from_reader(ruleset, File::open(path).unwrap());
    for threads in [1, 3] {
        let threads = Threads::new(threads).unwrap();
        let got = Facts::from_seekable_within(
            ruleset,
            File::open(path).unwrap(),
            &Limits::default(),
            threads,
        );
        assert_eq!(got, expected, "{}", path.display());
        if let (Ok(a), Ok(b)) = (&got, &expected) {
            assert_eq!(a.hash(), b.hash(), "{}", path.display());
            assert_eq!(a.warnings(), b.warnings(), "{}", path.display());
        }
    }
    expected.is_ok()
}

fn json_files(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    files.sort();
    files
}

#[test]
fn every_bad_fact_file_gives_the_errors_of_the_streaming_reader() {
    let corpus = root().join("tests/facts");
    let files = json_files(&corpus);
    assert!(files.len() > 50, "the corpus is at {}", corpus.display());
    for path in files {
        let stem = path.file_stem().unwrap().to_str().unwrap();
        let (name, _) = stem.split_once("__").unwrap();
        assert!(!same(&shipped(name), &path), "{stem} is valid");
    }
}

#[test]
fn every_valid_fact_file_gives_the_facts_of_the_streaming_reader() {
    let mut checked = 0;
    for name in ["miluo-2026", "shaodong-2023"] {
        let base = root().join(format!("tests/facts/base/{name}.json"));
        assert!(same(&shipped(name), &base));
        checked += 1;
    }
    for entry in std::fs::read_dir(root().join("rulesets")).unwrap() {
        let dir = entry.unwrap().path();
        let name = dir.file_name().unwrap().to_str().unwrap().to_owned();
        let ruleset = shipped(&name);
        for path in json_files(&dir.join("examples")) {
            assert!(same(&ruleset, &path), "{} is not valid", path.display());
            checked += 1;
        }
    }
    assert!(checked >= 7);
}

#[test]
fn a_file_read_in_part_is_read_from_where_it_stands() {
    use std::io::{Read, Seek, SeekFrom};
    let ruleset = shipped("miluo-2026");
    let path = root().join("rulesets/miluo-2026/examples/2026-04.json");
    let mut file = File::open(&path).unwrap();
    let mut head = [0u8; 1];
    file.read_exact(&mut head).unwrap();
    assert_eq!(&head, b"{");
    // From the second byte on, the file is not a fact file: the streaming
    // reader's error for those bytes, not the file's facts.
    let rest = std::fs::read(&path).unwrap();
    let expected = Facts::from_reader(&ruleset, &rest[1..]);
    assert!(expected.is_err());
    let got = Facts::from_seekable_within(&ruleset, &mut file, &Limits::default(), Threads::ONE);
    assert_eq!(got, expected);
    file.seek(SeekFrom::Start(0)).unwrap();
    let whole = Facts::from_seekable_within(&ruleset, &mut file, &Limits::default(), Threads::ONE);
    assert_eq!(whole, Facts::from_reader(&ruleset, rest.as_slice()));
    assert!(whole.is_ok());
}
