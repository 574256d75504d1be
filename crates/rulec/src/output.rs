//! Writing to standard output without panicking when the reader goes away
//! (`rulec eval … | head`): a closed pipe ends the output quietly.

use std::io::Write;

/// Writes `text` to standard output; a closed pipe or other write error is ignored.
pub fn print(text: &str) {
    let mut out = std::io::stdout().lock();
    let _ = out.write_all(text.as_bytes()).and_then(|()| out.flush());
}

/// Writes `text` and a newline to standard output.
pub fn println(text: &str) {
    print(&format!("{text}\n"));
}
