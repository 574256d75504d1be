//! The committed C header `include/kaohe.h` is what cbindgen generates from
//! the crate today. Regenerate it with
//! `KAOHE_BLESS_HEADER=1 cargo test -p kaohe-ffi --test header`.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::path::Path;

#[test]
fn the_committed_header_is_current() {
    let crate_dir = Path::new(env!("CARGO_MANIFEST_DIR"));
    let config = cbindgen::Config::from_file(crate_dir.join("cbindgen.toml")).unwrap();
    let mut fresh = Vec::new();
    cbindgen::Builder::new()
        .with_crate(crate_dir)
        .with_config(config)
        .generate()
        .expect("cbindgen generates the header")
        .write(&mut fresh);
    let fresh = String::from_utf8(fresh).unwrap();
    let path = crate_dir.join("include/kaohe.h");
    if std::env::var_os("KAOHE_BLESS_HEADER").is_some() {
        std::fs::write(&path, &fresh).unwrap();
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        committed == fresh,
        "include/kaohe.h is stale; regenerate it with \
         `KAOHE_BLESS_HEADER=1 cargo test -p kaohe-ffi --test header` and commit it\n\
         --- fresh ---\n{fresh}"
    );
}
