//! Positions: byte offsets of the text ↔ LSP positions (line, UTF-16 column),
//! so that a span after CJK text lands on the right characters in the editor.

use kaohe::Span;
use lsp_types::{Position, Range};

/// Where each line of a text starts, to convert offsets and positions.
#[derive(Debug, Clone)]
pub struct LineIndex {
    /// Byte offset of the first byte of each line; the first is 0.
    starts: Vec<usize>,
    /// The text's length in bytes.
    len: usize,
}

impl LineIndex {
    /// The index of `text`'s lines (a line ends after `\n`).
    pub fn new(text: &str) -> Self {
        let mut starts = vec![0];
        starts.extend(
            text.bytes()
                .enumerate()
                .filter(|(_, b)| *b == b'\n')
                .map(|(i, _)| i + 1),
        );
        LineIndex {
            starts,
            len: text.len(),
        }
    }

    /// The position of byte `offset` (clamped to the text, and down to a
    /// character boundary): 0-based line, column in UTF-16 code units.
    pub fn position(&self, text: &str, offset: usize) -> Position {
        let mut offset = offset.min(self.len);
        while offset > 0 && !text.is_char_boundary(offset) {
            offset -= 1;
        }
        let line = self
            .starts
            .partition_point(|s| *s <= offset)
            .saturating_sub(1);
        let start = self.starts.get(line).copied().unwrap_or(0);
        let column: usize = text
            .get(start..offset)
            .map_or(0, |s| s.chars().map(char::len_utf16).sum());
        Position::new(to_u32(line), to_u32(column))
    }

    /// The range of a span.
    pub fn range(&self, text: &str, span: Span) -> Range {
        Range::new(
            self.position(text, span.start),
            self.position(text, span.end),
        )
    }

    /// The byte offset of a position: a column past the end of its line is the
    /// line's end, a line past the end of the text is the text's end, and a
    /// column inside a character (between the halves of a surrogate pair) is
    /// the character's start.
    pub fn offset(&self, text: &str, position: Position) -> usize {
        let Some(start) = self.starts.get(position.line as usize).copied() else {
            return self.len;
        };
        let line = text.get(start..).unwrap_or("");
        let line = line.split('\n').next().unwrap_or("");
        let mut units = 0usize;
        for (i, c) in line.char_indices() {
            let next = units + c.len_utf16();
            if next > position.character as usize {
                return start + i;
            }
            units = next;
        }
        start + line.len()
    }
}

/// A count as an LSP number (saturating; a file has far fewer than 4 billion lines).
fn to_u32(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf16_columns_after_cjk_and_astral_characters() {
        let text = "ab\n\"重点\" x\n𝄞y\n";
        let index = LineIndex::new(text);
        let x = text.find('x').unwrap();
        assert_eq!(index.position(text, x), Position::new(1, 5));
        assert_eq!(index.offset(text, Position::new(1, 5)), x);
        let y = text.find('y').unwrap();
        assert_eq!(index.position(text, y), Position::new(2, 2));
        assert_eq!(index.offset(text, Position::new(2, 2)), y);
        // Inside the surrogate pair: the character's start.
        assert_eq!(index.offset(text, Position::new(2, 1)), y - 4);
        // Past the end of a line, past the end of the text.
        assert_eq!(index.offset(text, Position::new(0, 99)), 2);
        assert_eq!(index.offset(text, Position::new(99, 0)), text.len());
        assert_eq!(index.position(text, 999), Position::new(3, 0));
        // Inside a multi-byte character: its start.
        assert_eq!(index.position(text, 5), Position::new(1, 1));
    }
}
