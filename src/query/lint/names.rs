//! Names that look like one entity's: the same name twice, or spellings of one name.

use std::collections::BTreeMap;

use petgraph::graph::NodeIndex;
use rayon::prelude::*;

use super::{DataWarning, NEAR_NAME_LIMIT, WarningKind, entity_origin};
use crate::graph::KnowledgeGraph;
use crate::model::similar::edit_distance;

/// Entities that have a name of their own (not the id), by that name.
fn named(kg: &KnowledgeGraph) -> impl Iterator<Item = (NodeIndex, &str)> {
    kg.graph
        .node_indices()
        .filter(move |&node| kg.entity(node).name.is_some())
        .map(move |node| (node, kg.name(node)))
}

/// Returns the runs of entities whose `key` is equal, each run in entity order, runs in
/// order of their first entity. Keys are hashed and sorted (16 bytes an entity, not a map of
/// strings), then runs of equal hashes are checked key by key.
fn equal_runs<K: PartialEq + std::hash::Hash>(
    nodes: &[NodeIndex],
    key: impl Fn(NodeIndex) -> K + Sync,
) -> Vec<Vec<NodeIndex>> {
    use std::hash::BuildHasher;
    let fx = rustc_hash::FxBuildHasher;
    let mut hashed: Vec<(u64, NodeIndex)> = nodes
        .par_iter()
        .map(|&node| (fx.hash_one(key(node)), node))
        .collect();
    hashed.par_sort_unstable();
    let mut runs = Vec::new();
    for same_hash in hashed
        .chunk_by(|a, b| a.0 == b.0)
        .filter(|run| run.len() > 1)
    {
        // Equal hashes, then equal keys (a collision splits a run).
        let mut left: Vec<NodeIndex> = same_hash.iter().map(|&(_, node)| node).collect();
        while let Some(&first) = left.first() {
            let first_key = key(first);
            let (equal, rest): (Vec<NodeIndex>, Vec<NodeIndex>) =
                left.iter().partition(|&&node| key(node) == first_key);
            if equal.len() > 1 {
                runs.push(equal);
            }
            left = rest;
        }
    }
    runs.sort();
    runs
}

pub(super) fn same_names(kg: &KnowledgeGraph, warnings: &mut Vec<DataWarning>) {
    let nodes: Vec<NodeIndex> = named(kg).map(|(node, _)| node).collect();
    for group in equal_runs(&nodes, |node| kg.name(node).trim()) {
        let first = group[0];
        let others: Vec<String> = group[1..]
            .iter()
            .map(|&n| format!("`{}` ({})", kg.id(n), entity_origin(kg, n)))
            .collect();
        warnings.push(DataWarning {
            kind: WarningKind::SameName,
            origin: entity_origin(kg, first),
            message: format!(
                "`{}` (`{}`) is also the name of {}",
                kg.name(first),
                kg.id(first),
                others.join(", ")
            ),
        });
    }
}

/// A name reduced to what spelling variants share: lowercase, accents and punctuation
/// removed, `y` read as `i`, `ph` as `f`, doubled letters as one (Sergey and Sergei,
/// Müller and Muller, Phillip and Filip reduce alike).
#[must_use]
pub fn name_key(name: &str) -> String {
    let mut letters = String::with_capacity(name.len());
    for c in name.chars().flat_map(char::to_lowercase) {
        let c = strip_accent(c);
        if c.is_alphanumeric() {
            letters.push(if c == 'y' { 'i' } else { c });
        } else if c.is_whitespace() && !letters.ends_with(' ') && !letters.is_empty() {
            letters.push(' ');
        }
    }
    let letters = letters.trim_end().replace("ph", "f");
    let mut key = String::with_capacity(letters.len());
    for c in letters.chars() {
        if !key.ends_with(c) || !c.is_alphabetic() {
            key.push(c);
        }
    }
    key
}

/// The letter without its accent, for the Latin letters names use most.
fn strip_accent(c: char) -> char {
    match c {
        'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' | 'ā' | 'ă' | 'ą' => 'a',
        'ç' | 'ć' | 'č' => 'c',
        'ď' | 'đ' => 'd',
        'è' | 'é' | 'ê' | 'ë' | 'ē' | 'ė' | 'ę' | 'ě' => 'e',
        'ğ' => 'g',
        'ì' | 'í' | 'î' | 'ï' | 'ī' | 'į' | 'ı' => 'i',
        'ł' => 'l',
        'ñ' | 'ń' | 'ň' => 'n',
        'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'ø' | 'ō' | 'ő' => 'o',
        'ř' => 'r',
        'ś' | 'š' | 'ş' => 's',
        'ť' | 'ţ' => 't',
        'ù' | 'ú' | 'û' | 'ü' | 'ū' | 'ů' | 'ű' => 'u',
        'ý' | 'ÿ' => 'y',
        'ź' | 'ż' | 'ž' => 'z',
        other => other,
    }
}

pub(super) fn similar_names(kg: &KnowledgeGraph, warnings: &mut Vec<DataWarning>) {
    let nodes: Vec<NodeIndex> = named(kg)
        .filter(|&(_, name)| !name_key(name).is_empty())
        .map(|(node, _)| node)
        .collect();
    let mut pairs: Vec<(NodeIndex, NodeIndex)> = Vec::new();
    // Equal keys, different names (same names are the other warning).
    for group in equal_runs(&nodes, |node| name_key(kg.name(node))) {
        for (i, &a) in group.iter().enumerate() {
            if let Some(&b) = group[i + 1..]
                .iter()
                .find(|&&b| kg.name(b).trim() != kg.name(a).trim())
            {
                pairs.push((a, b));
            }
        }
    }
    // Keys one typing mistake apart, for names of 8 letters or more, compared within runs of
    // equal length (± 1); only on smaller data sets, where that stays quick.
    if kg.entity_count() <= NEAR_NAME_LIMIT {
        let mut by_key: BTreeMap<String, NodeIndex> = BTreeMap::new();
        for &node in &nodes {
            by_key.entry(name_key(kg.name(node))).or_insert(node);
        }
        let keys: Vec<(&String, NodeIndex)> = by_key.iter().map(|(k, &v)| (k, v)).collect();
        let mut by_length: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
        for (i, (key, _)) in keys.iter().enumerate() {
            by_length.entry(key.chars().count()).or_default().push(i);
        }
        for (&length, members) in &by_length {
            if length < 8 || members.len() > 5_000 {
                continue;
            }
            for &i in members {
                let wanted: Vec<char> = keys[i].0.chars().collect();
                for other_length in [length, length + 1] {
                    for &j in by_length.get(&other_length).into_iter().flatten() {
                        if other_length == length && j <= i {
                            continue;
                        }
                        if edit_distance(&wanted, keys[j].0, 1).is_some() {
                            pairs.push((keys[i].1, keys[j].1));
                        }
                    }
                }
            }
        }
    }
    for pair in &mut pairs {
        if pair.1 < pair.0 {
            *pair = (pair.1, pair.0);
        }
    }
    pairs.sort();
    pairs.dedup();
    for (a, b) in pairs {
        warnings.push(DataWarning {
            kind: WarningKind::SimilarName,
            origin: entity_origin(kg, a),
            message: format!(
                "`{}` (`{}`) and `{}` (`{}`, {}) may be one entity",
                kg.name(a),
                kg.id(a),
                kg.name(b),
                kg.id(b),
                entity_origin(kg, b)
            ),
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spelling_variants_share_a_key() {
        assert_eq!(name_key("Sergei Volkov"), name_key("Sergey  Volkov"));
        assert_eq!(name_key("Müller, Anna"), name_key("Muller Anna"));
        assert_eq!(name_key("Phillip"), name_key("Filip"));
        assert_ne!(name_key("Mark Hale"), name_key("Mark Hall"));
    }
}
