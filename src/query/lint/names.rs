//! Names that look like one entity's: the same name on several entities, or spellings of one
//! name (case, accents, script, transliteration, word order, legal form, one typing mistake).
//!
//! Near-linear at any size, as record-linkage tools block: entities are grouped by name, the
//! names by [`family_key`] of their [`fingerprint`], all by hashing and sorting. One typing mistake is
//! found with a deletion index (`SymSpell`'s): a key meets every key one byte longer through
//! the variants of that one with one byte deleted, so two keys one edit apart share a hashed
//! variant. The index is built one length at a time, so memory holds one length's variants,
//! not all of them. It runs three times: on fingerprints (a typo in a transliterated name),
//! on the plain words (a typo that folding would turn into two edits, or one inside a legal
//! form), and on the words in their own script where that is not ASCII (a typo in Cyrillic,
//! where one letter can be two in Latin).

use petgraph::graph::NodeIndex;
use rayon::prelude::*;

use super::{DataWarning, WarningKind, entity_origin};
use crate::graph::KnowledgeGraph;
use crate::model::fingerprint::{
    FORMS, family_key, fingerprint, legal_forms, one_edit_apart, plain_words, script_words,
};

/// Names with fewer letters are only compared by fingerprint, not for typing mistakes: one
/// letter changes a short name into another name (`Hale`, `Hall`).
pub const TYPO_MIN_LETTERS: usize = 8;

/// How many entities and spellings a message names before `and N more` (the warning's
/// `entities` list keeps every one).
const NAMED_IN_MESSAGE: usize = 4;

/// Items grouped by an equal key: group `g` is `members[bounds[g]..bounds[g + 1]]`, its
/// members in input order, the groups in order of their first member.
struct Groups {
    members: Vec<u32>,
    bounds: Vec<usize>,
}

impl Groups {
    /// Groups `items` (ascending) by `key`, hashing and sorting instead of a map of keys, with
    /// no allocation per group (a million names are a million groups).
    fn by<K: Ord + std::hash::Hash>(items: &[u32], key: impl Fn(u32) -> K + Sync) -> Self {
        use std::hash::BuildHasher;
        let fx = rustc_hash::FxBuildHasher;
        let mut hashed: Vec<(u64, u32)> = items
            .par_iter()
            .map(|&item| (fx.hash_one(key(item)), item))
            .collect();
        hashed.par_sort_unstable();
        // Runs of equal hashes, split by key where two keys share a hash: (first, start, end).
        let mut runs: Vec<(u32, usize, usize)> = Vec::with_capacity(hashed.len());
        let mut start = 0;
        for same_hash in hashed.chunk_by_mut(|a, b| a.0 == b.0) {
            let end = start + same_hash.len();
            if same_hash.len() > 1 {
                // A stable sort keeps the items of one key ascending.
                same_hash.sort_by_key(|a| key(a.1));
                let mut from = start;
                for run in same_hash.chunk_by(|a, b| key(a.1) == key(b.1)) {
                    runs.push((run[0].1, from, from + run.len()));
                    from += run.len();
                }
            } else {
                runs.push((same_hash[0].1, start, end));
            }
            start = end;
        }
        runs.par_sort_unstable();
        let mut members = Vec::with_capacity(items.len());
        let mut bounds = Vec::with_capacity(runs.len() + 1);
        bounds.push(0);
        for (_, start, end) in runs {
            members.extend(hashed[start..end].iter().map(|&(_, item)| item));
            bounds.push(members.len());
        }
        Groups { members, bounds }
    }

    fn len(&self) -> usize {
        self.bounds.len() - 1
    }

    fn get(&self, group: usize) -> &[u32] {
        &self.members[self.bounds[group]..self.bounds[group + 1]]
    }

    fn iter(&self) -> impl Iterator<Item = &[u32]> {
        (0..self.len()).map(|group| self.get(group))
    }
}

/// Entities that have a name of their own (not the id), by that name, trimmed.
fn named_entities(kg: &KnowledgeGraph) -> Groups {
    let named: Vec<u32> = (0..kg.entity_count())
        .filter(|&i| {
            let node = NodeIndex::new(i);
            kg.entity(node).name.is_some() && !kg.name(node).trim().is_empty()
        })
        .map(|i| u32::try_from(i).expect("fewer than 4 G entities"))
        .collect();
    Groups::by(&named, |i| kg.name(NodeIndex::new(i as usize)).trim())
}

/// Texts, one per index, in one buffer: a million names are one allocation, not a million.
struct Texts {
    text: String,
    ends: Vec<usize>,
}

impl Texts {
    /// Returns `text_of(i)` for every `i` in `0..count`, computed on all cores.
    fn of(count: usize, text_of: impl Fn(usize) -> String + Sync) -> Self {
        const CHUNK: usize = 1 << 14;
        let chunks: Vec<(String, Vec<usize>)> = (0..count.div_ceil(CHUNK))
            .into_par_iter()
            .map(|chunk| {
                let mut text = String::new();
                let mut ends = Vec::with_capacity(CHUNK);
                for i in chunk * CHUNK..count.min((chunk + 1) * CHUNK) {
                    text.push_str(&text_of(i));
                    ends.push(text.len());
                }
                (text, ends)
            })
            .collect();
        let mut texts = Texts {
            text: String::with_capacity(chunks.iter().map(|(text, _)| text.len()).sum()),
            ends: Vec::with_capacity(count),
        };
        for (text, ends) in chunks {
            let offset = texts.text.len();
            texts.text.push_str(&text);
            texts.ends.extend(ends.iter().map(|end| end + offset));
        }
        texts
    }

    fn get(&self, i: usize) -> &str {
        let start = if i == 0 { 0 } else { self.ends[i - 1] };
        &self.text[start..self.ends[i]]
    }
}

fn node(i: u32) -> NodeIndex {
    NodeIndex::new(i as usize)
}

/// Warns once per name that several entities share, and about spellings that look like one
/// name ([`similar_names`]).
pub(super) fn names(kg: &KnowledgeGraph, warnings: &mut Vec<DataWarning>) {
    let spellings = named_entities(kg);
    same_names(kg, &spellings, warnings);
    similar_names(kg, &spellings, warnings);
}

/// Warns once per name that several entities share, naming all of them.
fn same_names(kg: &KnowledgeGraph, spellings: &Groups, warnings: &mut Vec<DataWarning>) {
    for group in spellings.iter().filter(|group| group.len() > 1) {
        let first = node(group[0]);
        let others: Vec<String> = group[1..]
            .iter()
            .take(NAMED_IN_MESSAGE)
            .map(|&n| format!("`{}` ({})", kg.id(node(n)), entity_origin(kg, node(n))))
            .collect();
        let more = group.len() - 1 - others.len();
        warnings.push(DataWarning {
            kind: WarningKind::SameName,
            origin: entity_origin(kg, first),
            message: format!(
                "`{}` (`{}`) is also the name of {}{}",
                kg.name(first).trim(),
                kg.id(first),
                others.join(", "),
                and_more(more, "entity", "entities")
            ),
            entities: group.iter().map(|&n| node(n)).collect(),
            relations: Vec::new(),
        });
    }
}

fn and_more(count: usize, one: &str, many: &str) -> String {
    match count {
        0 => String::new(),
        1 => format!(" and 1 more {one}"),
        n => format!(" and {n} more {many}"),
    }
}

/// Warns once per set of spellings with one fingerprint (words in any order), and once per
/// two such sets whose fingerprints are one typing mistake apart.
fn similar_names(kg: &KnowledgeGraph, spellings: &Groups, warnings: &mut Vec<DataWarning>) {
    let name_of = |spelling: usize| kg.name(node(spellings.get(spelling)[0])).trim();
    let prints = Texts::of(spellings.len(), |spelling| fingerprint(name_of(spelling)));
    let printed: Vec<u32> = (0..spellings.len())
        .filter(|&s| !prints.get(s).is_empty())
        .map(|s| u32::try_from(s).expect("fewer than 4 G names"))
        .collect();
    // Families: spellings whose fingerprints have one family key.
    let sorted = Texts::of(spellings.len(), |s| family_key(prints.get(s)));
    let families = Groups::by(&printed, |s| sorted.get(s as usize));
    drop(sorted);
    let mut family_of = vec![u32::MAX; spellings.len()];
    for (family, members) in families.iter().enumerate() {
        for &s in members {
            family_of[s as usize] = u32::try_from(family).expect("fewer than 4 G names");
        }
    }
    let mut found: Vec<Vec<u32>> = families
        .iter()
        .filter(|members| members.len() > 1)
        .map(<[u32]>::to_vec)
        .collect();
    // One typing mistake apart, in the fingerprints, the plain words or the script's words.
    let letters_of = |s: usize| letters(name_of(s));
    let mut typos = typo_pairs(&printed, |s| prints.get(s).as_bytes(), letters_of);
    let plains = Texts::of(spellings.len(), |spelling| plain_words(name_of(spelling)));
    typos.extend(typo_pairs(
        &printed,
        |s| plains.get(s).as_bytes(),
        letters_of,
    ));
    drop(plains);
    // ASCII names are their plain words already.
    let with_script: Vec<u32> = printed
        .iter()
        .copied()
        .filter(|&s| !name_of(s as usize).is_ascii())
        .collect();
    let scripts: Vec<Vec<char>> = with_script
        .par_iter()
        .map(|&s| script_words(name_of(s as usize)).chars().collect())
        .collect();
    let mut script_of = vec![usize::MAX; spellings.len()];
    for (at, &s) in with_script.iter().enumerate() {
        script_of[s as usize] = at;
    }
    typos.extend(typo_pairs(
        &with_script,
        |s| scripts[script_of[s]].as_slice(),
        letters_of,
    ));
    let mut family_pairs: Vec<(u32, u32)> = Vec::new();
    for (a, b) in typos {
        // The same words with legal forms a letter apart (`LLC`, `PLC`) are two companies.
        if same_words_other_forms(prints.get(a), prints.get(b)) {
            continue;
        }
        let (a, b) = (family_of[a], family_of[b]);
        if a != b {
            family_pairs.push((a.min(b), a.max(b)));
        }
    }
    family_pairs.sort_unstable();
    family_pairs.dedup();
    for (a, b) in family_pairs {
        let mut members = families.get(a as usize).to_vec();
        members.extend_from_slice(families.get(b as usize));
        found.push(members);
    }
    // Each warning lists its spellings in order of their first entity, the warnings likewise.
    for members in &mut found {
        members.sort_unstable_by_key(|&s| spellings.get(s as usize)[0]);
    }
    found.par_sort_unstable_by(|a, b| {
        let firsts = |members: &[u32]| -> Vec<u32> {
            members
                .iter()
                .map(|&s| spellings.get(s as usize)[0])
                .collect()
        };
        // Most warnings differ in their first entity; compare the rest only when they do not.
        let (first_a, first_b) = (
            spellings.get(a[0] as usize)[0],
            spellings.get(b[0] as usize)[0],
        );
        first_a
            .cmp(&first_b)
            .then_with(|| firsts(a).cmp(&firsts(b)))
    });
    for members in found {
        let groups: Vec<&[u32]> = members.iter().map(|&s| spellings.get(s as usize)).collect();
        warnings.push(similar_warning(kg, &groups));
    }
}

/// The warning for spellings that look like one name; `groups` holds each spelling's entities.
fn similar_warning(kg: &KnowledgeGraph, groups: &[&[u32]]) -> DataWarning {
    let entities: Vec<NodeIndex> = groups
        .iter()
        .flat_map(|g| g.iter().map(|&n| node(n)))
        .collect();
    let first = entities[0];
    let name = |n: NodeIndex| kg.name(n).trim();
    let message = if let [a, b] = entities[..] {
        format!(
            "`{}` (`{}`) and `{}` (`{}`, {}) may be one entity",
            name(a),
            kg.id(a),
            name(b),
            kg.id(b),
            entity_origin(kg, b)
        )
    } else {
        let shown: Vec<String> = groups
            .iter()
            .take(NAMED_IN_MESSAGE)
            .map(|group| {
                let ids: Vec<String> = group
                    .iter()
                    .take(NAMED_IN_MESSAGE)
                    .map(|&n| format!("`{}`", kg.id(node(n))))
                    .collect();
                let more = group.len() - ids.len();
                format!(
                    "`{}` ({}{})",
                    name(node(group[0])),
                    ids.join(", "),
                    and_more(more, "entity", "entities")
                )
            })
            .collect();
        let more = groups.len() - shown.len();
        format!(
            "{}{} look like one name",
            shown.join(", "),
            and_more(more, "spelling", "spellings")
        )
    };
    DataWarning {
        kind: WarningKind::SimilarName,
        origin: entity_origin(kg, first),
        message,
        entities,
        relations: Vec::new(),
    }
}

/// Returns whether two fingerprints have the same words and different legal forms.
fn same_words_other_forms(a: &str, b: &str) -> bool {
    let words = |print: &str| print.split(FORMS).next().unwrap_or_default().len();
    a[..words(a)] == b[..words(b)] && legal_forms(a) != legal_forms(b)
}

/// Returns pairs of `spellings` whose keys are one typing mistake apart, where one of the two
/// names has at least [`TYPO_MIN_LETTERS`] letters (the other may have lost one), as one
/// spelling of each key.
fn typo_pairs<'k, T: Symbol + Ord + 'k>(
    spellings: &[u32],
    key_of: impl Fn(usize) -> &'k [T] + Sync,
    letters_of: impl Fn(usize) -> usize + Sync,
) -> Vec<(usize, usize)> {
    let keys = Groups::by(spellings, |s| key_of(s as usize));
    let spelling_of = |key: usize| keys.get(key)[0] as usize;
    let long_enough: Vec<usize> = (0..keys.len())
        .filter(|&key| letters_of(spelling_of(key)) + 1 >= TYPO_MIN_LETTERS)
        .collect();
    let symbols: Vec<&[T]> = long_enough
        .iter()
        .map(|&key| key_of(spelling_of(key)))
        .collect();
    one_edit_pairs(&symbols)
        .into_iter()
        .map(|(a, b)| {
            (
                spelling_of(long_enough[a as usize]),
                spelling_of(long_enough[b as usize]),
            )
        })
        .filter(|&(a, b)| letters_of(a).max(letters_of(b)) >= TYPO_MIN_LETTERS)
        .collect()
}

fn letters(name: &str) -> usize {
    name.chars().filter(|c| c.is_alphabetic()).count()
}

/// Returns the pairs of `keys` (as indices, the smaller first, each pair once) that are one
/// edit apart ([`one_edit_apart`]) outside what is [`protected`]: the same digits, so `Lot 7`
/// never meets `Lot 8`, and the same legal forms, so `LLC` never meets `PLC`.
///
/// Complexity: O(Σ |key|) hashing and sorting, plus the comparisons inside runs of one
/// hashed variant, which hold only keys two edits apart at most.
fn one_edit_pairs<T: Symbol>(keys: &[&[T]]) -> Vec<(u32, u32)> {
    let longest = keys.iter().map(|key| key.len()).max().unwrap_or(0);
    let mut by_length: Vec<Vec<u32>> = vec![Vec::new(); longest + 2];
    for (i, key) in keys.iter().enumerate() {
        by_length[key.len()].push(u32::try_from(i).expect("fewer than 4 G names"));
    }
    let mut pairs: Vec<(u32, u32)> = (0..=longest)
        .into_par_iter()
        .flat_map_iter(|length| pairs_meeting_at(keys, &by_length[length], &by_length[length + 1]))
        .collect();
    pairs.par_sort_unstable();
    pairs.dedup();
    pairs
}

/// The pairs that meet at one length: keys of that length as they are, and keys one symbol
/// longer with one symbol deleted (never a [`protected`] one).
fn pairs_meeting_at<T: Symbol>(keys: &[&[T]], same: &[u32], longer: &[u32]) -> Vec<(u32, u32)> {
    if longer.is_empty() && same.len() < 2 {
        return Vec::new();
    }
    let mut variants: Vec<(u64, u32)> = Vec::with_capacity(
        same.len()
            + longer
                .iter()
                .map(|&k| keys[k as usize].len())
                .sum::<usize>(),
    );
    let mut prefix: Vec<u64> = Vec::new();
    for &k in same {
        variants.push((rolling_hash(keys[k as usize]), k));
    }
    for &k in longer {
        let key = keys[k as usize];
        prefix.clear();
        prefix.push(0);
        for &symbol in key {
            let last = *prefix.last().expect("starts with 0");
            prefix.push(step(last, symbol));
        }
        let whole = prefix[key.len()];
        let forms_at = forms_start(key);
        let mut power = 1u64; // BASE^(len - 1 - p), from the last position back
        for p in (0..key.len()).rev() {
            let repeats_previous = p > 0 && key[p - 1] == key[p];
            if p < forms_at && !key[p].is_digit() && !repeats_previous {
                // hash(key without p) = hash(key[..p]) * B^(rest) + hash(key[p + 1..])
                let rest = whole.wrapping_sub(prefix[p + 1].wrapping_mul(power));
                variants.push((prefix[p].wrapping_mul(power).wrapping_add(rest), k));
            }
            power = power.wrapping_mul(BASE);
        }
    }
    variants.sort_unstable();
    variants.dedup();
    let mut pairs = Vec::new();
    for run in variants
        .chunk_by(|a, b| a.0 == b.0)
        .filter(|run| run.len() > 1)
    {
        for (i, &(_, a)) in run.iter().enumerate() {
            for &(_, b) in &run[i + 1..] {
                let (x, y) = (keys[a as usize], keys[b as usize]);
                if one_edit_apart(x, y) && protected(x).eq(protected(y)) && !other_initial(x, y) {
                    pairs.push((a.min(b), a.max(b)));
                }
            }
        }
    }
    pairs
}

const BASE: u64 = 0x0100_0000_01b3;

fn step<T: Symbol>(hash: u64, symbol: T) -> u64 {
    hash.wrapping_mul(BASE).wrapping_add(symbol.code() + 1)
}

fn rolling_hash<T: Symbol>(key: &[T]) -> u64 {
    key.iter().fold(0, |hash, &symbol| step(hash, symbol))
}

/// What keys are made of: bytes of ASCII fingerprints, or characters of a script.
trait Symbol: Copy + Eq + std::hash::Hash + Send + Sync {
    fn code(self) -> u64;
    fn is_digit(self) -> bool;
    fn is_space(self) -> bool;
    fn is_forms(self) -> bool;
}

impl Symbol for u8 {
    fn code(self) -> u64 {
        u64::from(self)
    }
    fn is_digit(self) -> bool {
        self.is_ascii_digit()
    }
    fn is_space(self) -> bool {
        self == b' '
    }
    fn is_forms(self) -> bool {
        char::from(self) == FORMS
    }
}

impl Symbol for char {
    fn code(self) -> u64 {
        u64::from(self)
    }
    fn is_digit(self) -> bool {
        self.is_numeric()
    }
    fn is_space(self) -> bool {
        self == ' '
    }
    fn is_forms(self) -> bool {
        self == FORMS
    }
}

/// Returns whether `a` and `b` differ in one initial (`Łukasz E. Kowalczyk`, `Łukasz R.
/// Kowalczyk`): a one-letter word is a name of its own, not a typing mistake.
fn other_initial<T: Symbol>(a: &[T], b: &[T]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    let Some(i) = a.iter().zip(b).position(|(x, y)| x != y) else {
        return false;
    };
    let alone = |key: &[T]| {
        (i == 0 || key[i - 1].is_space()) && key.get(i + 1).is_none_or(|next| next.is_space())
    };
    alone(a) && alone(b)
}

/// Where a key's legal forms start (its length when it has none).
fn forms_start<T: Symbol>(key: &[T]) -> usize {
    key.iter().position(|s| s.is_forms()).unwrap_or(key.len())
}

/// What a typing mistake may not change: the digits, and the legal forms after [`FORMS`].
fn protected<T: Symbol>(key: &[T]) -> impl Iterator<Item = &T> {
    let forms_at = forms_start(key);
    key[..forms_at]
        .iter()
        .filter(|s| s.is_digit())
        .chain(&key[forms_at..])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pairs(keys: &[&str]) -> Vec<(u32, u32)> {
        let bytes: Vec<&[u8]> = keys.iter().map(|k| k.as_bytes()).collect();
        one_edit_pairs(&bytes)
    }

    /// Every pair one edit apart, by comparing all pairs.
    fn brute_force(keys: &[&str]) -> Vec<(u32, u32)> {
        let mut found = Vec::new();
        for (i, a) in keys.iter().enumerate() {
            for (j, b) in keys.iter().enumerate().skip(i + 1) {
                let (a, b) = (a.as_bytes(), b.as_bytes());
                if one_edit_apart(a, b) && protected(a).eq(protected(b)) && !other_initial(a, b) {
                    found.push((u32::try_from(i).unwrap(), u32::try_from(j).unwrap()));
                }
            }
        }
        found
    }

    #[test]
    fn the_deletion_index_finds_what_comparing_all_pairs_finds() {
        let keys = [
            "alexandra bergstrom",
            "alexandra bergstrem", // substitution
            "alexandra bergstom",  // deletion
            "alexandra bergstrrom",
            "alexandra bergsrtom", // swap
            "alexandr bergstrom",
            "alexandra bergstrom ltd",
            "mark hale",
            "mark hall",
            "ab",
            "ba",
            "a",
        ];
        let found = pairs(&keys);
        assert_eq!(found, brute_force(&keys));
        assert!(found.contains(&(0, 1)) && found.contains(&(0, 4)) && found.contains(&(9, 10)));
    }

    proptest::proptest! {
        #[test]
        fn the_deletion_index_agrees_with_all_pairs(keys in proptest::collection::vec("[ab1 ]{0,5}(\\|[ab]{1,2})?", 0..40)) {
            let mut keys = keys;
            keys.sort();
            keys.dedup();
            let keys: Vec<&str> = keys.iter().map(String::as_str).collect();
            proptest::prop_assert_eq!(pairs(&keys), brute_force(&keys));
        }
    }

    #[test]
    fn numbers_are_never_one_typo_apart() {
        assert!(pairs(&["person 1233", "person 1234", "lot 17", "lot 7", "lot 71"]).is_empty());
        assert_eq!(pairs(&["contract no 12", "contrakt no 12"]), [(0, 1)]);
    }

    #[test]
    fn initials_are_names_not_typos() {
        assert!(pairs(&["lukasz e kovalczik", "lukasz r kovalczik"]).is_empty());
        assert_eq!(
            pairs(&["lukasz e kovalczik", "lukasz e kovalczyk"]),
            [(0, 1)]
        );
    }

    #[test]
    fn legal_forms_are_never_one_typo_apart() {
        assert!(pairs(&["nowak partners|lc", "nowak partners|plc"]).is_empty());
        assert_eq!(pairs(&["nowak partners|lc", "novak partners|lc"]), [(0, 1)]);
    }

    #[test]
    fn the_deletion_hash_is_the_hash_of_the_shorter_text() {
        let keys = ["abcdef", "abcef", "bcdef", "abcde"];
        assert_eq!(pairs(&keys), [(0, 1), (0, 2), (0, 3)]);
    }
}
