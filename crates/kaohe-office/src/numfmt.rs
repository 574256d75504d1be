//! Number formats that change what a cell means: a cell formatted `0%` shows
//! `30%` for the 0.3 it holds, `0‰` shows `300‰`, and `#,##0,` shows `1,235`
//! for 1234567. The office reads the shown number; the import must not take
//! the stored one silently, so such cells are refused (see `docs/office.md`).

/// How a number format scales the number it shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Scaling {
    /// `%`: shows 100 × the value.
    Percent,
    /// `‰`: shows 1000 × the value.
    PerMille,
    /// Trailing commas after the digits (`#,##0,`): shows the value divided
    /// by 1000 per comma.
    Thousands(u8),
}

/// The scaling of the first section (positive numbers) of an Excel number
/// format code, if it has one. Quoted text (`"%"`), escaped characters (`\%`),
/// bracketed parts (`[Red]`, `[$-804]`) and padding/fill (`_x`, `*x`) are
/// literal and scale nothing.
pub(crate) fn scaling(format_code: &str) -> Option<Scaling> {
    let mut chars = format_code.chars().peekable();
    let mut percent = false;
    let mut per_mille = false;
    let mut trailing_commas: u8 = 0;
    let mut after_digit = false;
    while let Some(c) = chars.next() {
        match c {
            ';' => break,
            '"' => {
                for d in chars.by_ref() {
                    if d == '"' {
                        break;
                    }
                }
                after_digit = false;
            }
            '\\' | '_' | '*' => {
                chars.next();
                after_digit = false;
            }
            '[' => {
                for d in chars.by_ref() {
                    if d == ']' {
                        break;
                    }
                }
            }
            '%' => percent = true,
            '‰' => per_mille = true,
            '0' | '#' | '?' => {
                after_digit = true;
                trailing_commas = 0;
            }
            ',' if after_digit => {
                trailing_commas = trailing_commas.saturating_add(1);
                // A comma between digit placeholders is a thousands separator,
                // not scaling: it is reset by the next placeholder.
            }
            '.' => {}
            _ => after_digit = false,
        }
    }
    if percent {
        Some(Scaling::Percent)
    } else if per_mille {
        Some(Scaling::PerMille)
    } else if trailing_commas > 0 {
        Some(Scaling::Thousands(trailing_commas))
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats() {
        assert_eq!(scaling("0%"), Some(Scaling::Percent));
        assert_eq!(scaling("0.0%"), Some(Scaling::Percent));
        assert_eq!(scaling("0.00%;[Red]-0.00%"), Some(Scaling::Percent));
        assert_eq!(scaling("0‰"), Some(Scaling::PerMille));
        assert_eq!(scaling("#,##0,"), Some(Scaling::Thousands(1)));
        assert_eq!(scaling("0.0,,\"百万\""), Some(Scaling::Thousands(2)));
        assert_eq!(scaling("#,##0"), None);
        assert_eq!(scaling("0.00"), None);
        assert_eq!(scaling("General"), None);
        assert_eq!(scaling("0\"%\""), None);
        assert_eq!(scaling("0\\%"), None);
        assert_eq!(scaling("yyyy-mm-dd"), None);
        assert_eq!(scaling("@"), None);
        assert_eq!(scaling("[$-804]0"), None);
    }
}
