//! Reading the files named on the command line: `-` is standard input, a
//! directory is an I/O error (exit 2), a 0-byte file is "the file is empty"
//! (exit 1), a ruleset that is not UTF-8 names its first bad byte; and which
//! kind of file FACTS is, told by its content, not its name.

use std::io::Read;
use std::path::Path;

use kaohe::error::{ErrorRecord, Location};
use kaohe::SourceFile;

use crate::exit::Exit;
use crate::output::Failure;

/// The name `-` (standard input) is shown as.
pub const STDIN_NAME: &str = "<stdin>";

/// Whether `path` means standard input.
pub fn is_stdin(path: &Path) -> bool {
    path.as_os_str() == "-"
}

/// How `path` is named in messages.
pub fn display(path: &Path) -> String {
    if is_stdin(path) {
        STDIN_NAME.to_owned()
    } else {
        path.display().to_string()
    }
}

/// An I/O error (`kaohe::cli::io`, exit 2).
pub fn io_failure(action: &str, path: &Path, error: &std::io::Error) -> Failure {
    Failure::one(
        Exit::Usage,
        ErrorRecord::new(
            "kaohe::cli::io",
            format!("cannot {action} `{}`: {error}", display(path)),
        )
        .at(Location::File {
            file: display(path),
        }),
    )
}

/// Opens `path` for reading (standard input for `-`); a directory is refused.
pub fn open(path: &Path) -> Result<Box<dyn Read>, Failure> {
    if is_stdin(path) {
        return Ok(Box::new(std::io::stdin()));
    }
    open_file(path).map(|f| Box::new(f) as Box<dyn Read>)
}

/// Opens the file `path` (not `-`) for reading; a directory is refused.
pub fn open_file(path: &Path) -> Result<std::fs::File, Failure> {
    if path.is_dir() {
        return Err(Failure::one(
            Exit::Usage,
            ErrorRecord::new(
                "kaohe::cli::io",
                format!(
                    "cannot read `{}`: it is a directory, not a file",
                    path.display()
                ),
            )
            .with_help("name a file inside it")
            .at(Location::File {
                file: display(path),
            }),
        ));
    }
    std::fs::File::open(path).map_err(|e| io_failure("read", path, &e))
}

/// The whole content of `path` (standard input for `-`); an empty file is an error.
pub fn read_bytes(path: &Path) -> Result<Vec<u8>, Failure> {
    let mut bytes = Vec::new();
    open(path)?
        .read_to_end(&mut bytes)
        .map_err(|e| io_failure("read", path, &e))?;
    if bytes.is_empty() {
        return Err(empty(path));
    }
    Ok(bytes)
}

/// "the file is empty" (`kaohe::cli::empty_file`, exit 1).
pub fn empty(path: &Path) -> Failure {
    Failure::one(
        Exit::Failure,
        ErrorRecord::new("kaohe::cli::empty_file", "the file is empty")
            .with_help("check that the right file was given and that it was saved")
            .at(Location::File {
                file: display(path),
            }),
    )
}

/// A ruleset file read as a [`SourceFile`] named by its path (`<stdin>` for `-`).
pub fn read_source(path: &Path) -> Result<SourceFile, Failure> {
    let bytes = read_bytes(path)?;
    let text = String::from_utf8(bytes).map_err(|error| not_utf8(path, error.as_bytes()))?;
    Ok(SourceFile::new(display(path), text))
}

/// "not UTF-8" with the line and column of the first bad byte
/// (`kaohe::cli::not_utf8`, exit 1).
fn not_utf8(path: &Path, bytes: &[u8]) -> Failure {
    let valid = std::str::from_utf8(bytes)
        .err()
        .map_or(bytes.len(), |e| e.valid_up_to());
    let before = bytes.get(..valid).unwrap_or_default();
    let good = std::str::from_utf8(before).unwrap_or_default();
    let source = SourceFile::new(display(path), good);
    let at = source.range(kaohe::Span::new(good.len(), good.len()));
    let utf16 = bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]);
    let message = if utf16 {
        "the file is UTF-16, not UTF-8".to_owned()
    } else {
        format!(
            "the file is not UTF-8: byte 0x{:02X} at line {}, column {}",
            bytes.get(valid).copied().unwrap_or_default(),
            at.start.line,
            at.start.column
        )
    };
    Failure::one(
        Exit::Failure,
        ErrorRecord::new("kaohe::cli::not_utf8", message)
            .with_help("save the file as UTF-8 (in Notepad: Save as → Encoding: UTF-8)")
            .at(Location::Source(at)),
    )
}
