//! Characters that look like others: full-width digits, letters and
//! punctuation (`３０`, `（`), the no-break space and the full-width space, and
//! white space around a value. A Chinese input method types them without the
//! office noticing; the import never replaces them silently but says which
//! characters differ (`docs/office.md`).

/// The character `c` looks like, if it is a look-alike: full-width ASCII
/// (U+FF01–U+FF5E) → ASCII; U+3000 (ideographic space) and U+00A0 (no-break
/// space) → space.
fn plain(c: char) -> char {
    match u32::from(c) {
        code @ 0xFF01..=0xFF5E => char::from_u32(code - 0xFEE0).unwrap_or(c),
        0x3000 | 0x00A0 => ' ',
        _ => c,
    }
}

/// `text` with every look-alike replaced by what it looks like; the same
/// number of characters.
pub(crate) fn fold(text: &str) -> String {
    text.chars().map(plain).collect()
}

/// A character, named for a message: ``full-width `３` ``, `a no-break space (U+00A0)`.
pub(crate) fn name(c: char) -> String {
    match u32::from(c) {
        0xFF01..=0xFF5E => format!("full-width `{c}`"),
        0x3000 => "a full-width space (U+3000)".to_owned(),
        0x00A0 => "a no-break space (U+00A0)".to_owned(),
        0x200B => "a zero-width space (U+200B)".to_owned(),
        0xFEFF => "a zero-width no-break space (U+FEFF)".to_owned(),
        0x20 => "a space".to_owned(),
        0x09 => "a tab".to_owned(),
        0x0A | 0x0D => "a line break".to_owned(),
        _ if c.is_ascii() => format!("ASCII `{c}`"),
        code if c.is_whitespace() => format!("a space (U+{code:04X})"),
        _ => format!("`{c}`"),
    }
}

/// Where `typed` and `meant` (the same length once folded) differ:
/// ``ASCII `(` for full-width `（`, ASCII `)` for full-width `）` ``.
pub(crate) fn differences(typed: &str, meant: &str) -> String {
    let mut out: Vec<String> = Vec::new();
    for (t, m) in typed.chars().zip(meant.chars()) {
        if t != m {
            let pair = format!("{} for {}", name(t), name(m));
            if !out.contains(&pair) {
                out.push(pair);
            }
        }
    }
    out.join(", ")
}

/// Whether `c` is white space or invisible at the edge of a value.
fn blank(c: char) -> bool {
    c.is_whitespace() || matches!(c, '\u{200B}' | '\u{FEFF}')
}

/// The white space at the start or end of `text` (which is not blank
/// throughout), described: `ends with a space`,
/// `starts with a full-width space (U+3000)`.
pub(crate) fn surrounding_space(text: &str) -> Option<String> {
    let first = text.chars().next()?;
    let last = text.chars().next_back()?;
    match (blank(first), blank(last)) {
        (true, true) if name(first) == name(last) => {
            Some(format!("starts and ends with {}", name(first)))
        }
        (true, true) => Some(format!(
            "starts with {} and ends with {}",
            name(first),
            name(last)
        )),
        (true, false) => Some(format!("starts with {}", name(first))),
        (false, true) => Some(format!("ends with {}", name(last))),
        (false, false) => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn look_alikes() {
        assert_eq!(fold("３０"), "30");
        assert_eq!(fold("乡镇（街道）"), "乡镇(街道)");
        assert_eq!(fold("jtj\u{a0}"), "jtj ");
        assert_eq!(
            differences("乡镇(街道)", "乡镇（街道）"),
            "ASCII `(` for full-width `（`, ASCII `)` for full-width `）`"
        );
        assert_eq!(
            differences("３０", "30"),
            "full-width `３` for ASCII `3`, full-width `０` for ASCII `0`"
        );
        assert_eq!(surrounding_space("jtj "), Some("ends with a space".into()));
        assert_eq!(
            surrounding_space("\u{3000}jtj"),
            Some("starts with a full-width space (U+3000)".into())
        );
        assert_eq!(
            surrounding_space("jtj\u{a0}"),
            Some("ends with a no-break space (U+00A0)".into())
        );
        assert_eq!(surrounding_space("j tj"), None);
    }
}
