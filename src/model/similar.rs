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
}
