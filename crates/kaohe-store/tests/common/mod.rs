//! What the store's test files share: a scratch database and the codes of a
//! refusal.
#![allow(dead_code)]

use std::path::PathBuf;

use kaohe_store::StoreFailure;

/// A fresh database path in a scratch folder of its own (`name` tells the
/// tests of one file apart; the process id, the test files).
pub fn db(name: &str) -> PathBuf {
    let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join(format!("kaohe-store-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir.join("kaohe.sqlite")
}

/// The codes of the store's errors; an evaluation failure fails the test.
pub fn codes(failure: &StoreFailure) -> Vec<&'static str> {
    match failure {
        StoreFailure::Store(errors) => errors.iter().map(|e| e.code).collect(),
        StoreFailure::Eval(e) => panic!("evaluation failed: {}", e.message),
    }
}
