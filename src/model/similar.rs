//! How close two texts are, for "did you mean" hints.

/// Returns the edit distance between `wanted` (already lowercased, as characters) and
/// `field` (lowercased here) when it is at most `limit`: insertions, deletions, substitutions
/// and swaps of two neighbouring characters (`form` for `from`) each count one (optimal string
/// alignment). Texts whose lengths differ by more than `limit` are not compared.
#[must_use]
pub fn edit_distance(wanted: &[char], field: &str, limit: usize) -> Option<usize> {
    let field: Vec<char> = field.to_lowercase().chars().collect();
    if field.len().abs_diff(wanted.len()) > limit {
        return None;
    }
    let mut before: Vec<usize> = Vec::new();
    let mut previous: Vec<usize> = (0..=field.len()).collect();
    for (i, &a) in wanted.iter().enumerate() {
        let mut current = vec![i + 1; field.len() + 1];
        for (j, &b) in field.iter().enumerate() {
            let substitution = previous[j] + usize::from(a != b);
            let mut best = substitution.min(previous[j + 1] + 1).min(current[j] + 1);
            if i > 0 && j > 0 && a == field[j - 1] && wanted[i - 1] == b {
                best = best.min(before[j - 1] + 1);
            }
            current[j + 1] = best;
        }
        before = std::mem::replace(&mut previous, current);
    }
    let distance = previous[field.len()];
    (distance <= limit).then_some(distance)
}

/// Returns the candidate nearest to `text` within a third of its length in typing mistakes
/// (at least one), ignoring case; ties go to the first.
#[must_use]
pub fn nearest<'a>(text: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let wanted: Vec<char> = text.to_lowercase().chars().collect();
    let allowed = (wanted.len() / 3).max(1);
    let mut best: Option<(usize, &str)> = None;
    for candidate in candidates {
        if let Some(distance) = edit_distance(&wanted, candidate, allowed)
            && best.is_none_or(|(d, _)| distance < d)
        {
            best = Some((distance, candidate));
        }
    }
    best.map(|(_, candidate)| candidate)
}

/// Returns `word` lowercased and in the singular, as far as English spelling tells:
/// `Companies` → `company`, `offices` → `office`, `People` → `person`. Kind names are plural
/// (`companies`) where labels written from Neo4j habit are singular (`Company`).
#[must_use]
pub fn singular(word: &str) -> String {
    const IRREGULAR: [(&str, &str); 4] = [
        ("people", "person"),
        ("children", "child"),
        ("men", "man"),
        ("women", "woman"),
    ];
    let lower = word.to_lowercase();
    if let Some((_, one)) = IRREGULAR.iter().find(|(many, _)| *many == lower) {
        return (*one).to_owned();
    }
    if let Some(stem) = lower.strip_suffix("ies")
        && !stem.is_empty()
    {
        return format!("{stem}y");
    }
    for suffix in ["sses", "xes", "ches", "shes"] {
        if let Some(stem) = lower.strip_suffix(suffix) {
            return format!("{stem}{}", &suffix[..suffix.len() - 2]);
        }
    }
    match lower.strip_suffix('s') {
        // `status`, `analysis`, `address`: an `s` that is no plural.
        Some(stem) if !stem.is_empty() && !stem.ends_with(['s', 'u', 'i']) => stem.to_owned(),
        _ => lower,
    }
}

/// [`nearest`], and failing that the candidate nearest in the singular ([`singular`]): what a
/// name written as `Company` or `Person` for the kinds `companies` and `people` finds.
#[must_use]
pub fn nearest_name<'a>(
    text: &str,
    candidates: impl IntoIterator<Item = &'a str> + Clone,
) -> Option<&'a str> {
    nearest(text, candidates.clone()).or_else(|| {
        let wanted = singular(text);
        let wanted_chars: Vec<char> = wanted.chars().collect();
        let allowed = (wanted_chars.len() / 3).max(1);
        let mut best: Option<(usize, &str)> = None;
        for candidate in candidates {
            if let Some(distance) = edit_distance(&wanted_chars, &singular(candidate), allowed)
                && best.is_none_or(|(d, _)| distance < d)
            {
                best = Some((distance, candidate));
            }
        }
        best.map(|(_, candidate)| candidate)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typos_find_their_word() {
        assert_eq!(nearest("form", ["from", "type", "to"]), Some("from"));
        assert_eq!(nearest("tyoe", ["from", "type", "to"]), Some("type"));
        assert_eq!(nearest("weight", ["from", "type", "to"]), None);
        let wanted: Vec<char> = "isreal".chars().collect();
        assert_eq!(edit_distance(&wanted, "Israel", 2), Some(1));
        let wanted: Vec<char> = "kitten".chars().collect();
        assert_eq!(edit_distance(&wanted, "sitting", 3), Some(3));
    }

    #[test]
    fn a_singular_label_finds_its_plural_kind() {
        assert_eq!(singular("Companies"), "company");
        assert_eq!(singular("offices"), "office");
        assert_eq!(singular("People"), "person");
        assert_eq!(singular("addresses"), "address");
        assert_eq!(singular("address"), "address");
        assert_eq!(singular("status"), "status");
        assert_eq!(singular("analysis"), "analysis");
        let kinds = [
            "people",
            "companies",
            "organizations",
            "countries",
            "addresses",
        ];
        assert_eq!(nearest_name("Company", kinds), Some("companies"));
        assert_eq!(nearest_name("Person", kinds), Some("people"));
        assert_eq!(nearest_name("Organisation", kinds), Some("organizations"));
        assert_eq!(nearest_name("Country", kinds), Some("countries"));
        assert_eq!(nearest_name("Address", kinds), Some("addresses"));
        assert_eq!(nearest_name("Vessel", kinds), None);
    }
}
