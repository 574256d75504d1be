//! The one-line meaning of every keyword, read from the table kept beside the
//! grammar (`grammar/keywords.md`); a test checks that the table and the
//! grammar name the same words.

/// The table, as written.
const TABLE: &str = include_str!("../../../grammar/keywords.md");

/// `(keyword, meaning)` for every row of the table, in its order.
pub fn all() -> impl Iterator<Item = (&'static str, &'static str)> {
    TABLE.lines().filter_map(|line| {
        let rest = line.strip_prefix("| `")?;
        let (word, rest) = rest.split_once('`')?;
        let meaning = rest
            .trim_start()
            .strip_prefix('|')?
            .trim()
            .strip_suffix('|')?;
        Some((word, meaning.trim()))
    })
}

/// The meaning of `word`, if it is a keyword.
pub fn meaning(word: &str) -> Option<&'static str> {
    all().find(|(k, _)| *k == word).map(|(_, m)| m)
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    const GRAMMAR: &str = include_str!("../../../grammar/kaohe.pest");

    /// Every word the grammar spells out in quotes (`"per"`), comments left out.
    fn grammar_keywords() -> BTreeSet<String> {
        GRAMMAR
            .lines()
            .map(|line| line.split("//").next().unwrap_or(""))
            .flat_map(|line| line.split('"').skip(1).step_by(2))
            .filter(|w| {
                w.chars().next().is_some_and(|c| c.is_ascii_lowercase())
                    && w.chars().all(|c| c.is_ascii_lowercase() || c == '_')
            })
            .map(str::to_owned)
            .collect()
    }

    #[test]
    fn the_table_names_exactly_the_grammars_keywords() {
        let grammar = grammar_keywords();
        assert!(grammar.contains("per") && grammar.contains("half_even"));
        let table: BTreeSet<String> = super::all().map(|(k, _)| k.to_owned()).collect();
        let missing: Vec<_> = grammar.difference(&table).collect();
        let extra: Vec<_> = table.difference(&grammar).collect();
        assert!(
            missing.is_empty(),
            "keywords of the grammar without a row in grammar/keywords.md: {missing:?}"
        );
        assert!(
            extra.is_empty(),
            "rows of grammar/keywords.md that are not keywords of the grammar: {extra:?}"
        );
        assert!(super::all().all(|(_, m)| !m.is_empty()));
    }

    #[test]
    fn meaning_of_a_keyword() {
        assert!(super::meaning("seal").unwrap().contains("封存"));
        assert_eq!(super::meaning("media_report"), None);
    }
}
