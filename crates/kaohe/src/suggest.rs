//! Did-you-mean suggestions for misspelt names.

/// `did you mean `x`?` for the candidate closest to `name`, if one is close enough.
pub(crate) fn did_you_mean<'a>(
    name: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<String> {
    closest(name, candidates).map(|c| format!("did you mean `{c}`?"))
}

/// The candidate closest to `name` by normalised Damerau–Levenshtein similarity.
pub(crate) fn closest<'a>(
    name: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    let mut best: Option<(f64, &str)> = None;
    for candidate in candidates {
        if candidate == name {
            continue;
        }
        let score = strsim::normalized_damerau_levenshtein(name, candidate);
        let better = best.is_none_or(|(s, c)| score > s || (score == s && candidate < c));
        if score >= 0.6 && better {
            best = Some((score, candidate));
        }
    }
    best.map(|(_, c)| c)
}
