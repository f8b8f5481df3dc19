//! The id index of a graph: the loader's hash table, or, for a graph opened from its snapshot,
//! the ids' hashes in order, read straight from the file.
//!
//! Rebuilding the hash table from a million ids was a fifth of opening a snapshot; sorted
//! hashes with a directory of their top 16 bits are plain arrays, so they are read, not built.
//! A lookup reads one directory entry and scans its bucket (about `n / 65,536` hashes), then
//! checks the id itself.

use xxhash_rust::xxh3::xxh3_64;

use crate::model::index::IdIndex;

/// Buckets of the directory: the top bits of a hash.
const BUCKET_BITS: u32 = 16;

/// Entity ids to positions.
#[derive(Debug)]
pub(crate) enum Ids {
    /// The loader's table.
    Table(IdIndex),
    /// Sorted hashes, from a snapshot.
    Hashed(HashedIds),
}

/// Ids as sorted hashes, their positions, and where each bucket of hashes starts.
#[derive(Debug)]
pub(crate) struct HashedIds {
    hashes: Vec<u64>,
    positions: Vec<u32>,
    directory: Vec<u32>,
}

/// The hash an id is found by.
fn id_hash(id: &str) -> u64 {
    xxh3_64(id.as_bytes())
}

fn bucket(hash: u64) -> usize {
    usize::try_from(hash >> (64 - BUCKET_BITS)).expect("16 bits")
}

impl HashedIds {
    /// Builds the index of `ids`, in position order.
    pub fn build<'a>(ids: impl Iterator<Item = &'a str>) -> Self {
        let mut pairs: Vec<(u64, u32)> = ids
            .zip(0u32..)
            .map(|(id, position)| (id_hash(id), position))
            .collect();
        pairs.sort_unstable();
        let mut directory = vec![0u32; (1 << BUCKET_BITS) + 1];
        for &(hash, _) in &pairs {
            directory[bucket(hash) + 1] += 1;
        }
        for i in 0..1 << BUCKET_BITS {
            directory[i + 1] += directory[i];
        }
        let (hashes, positions) = pairs.into_iter().unzip();
        HashedIds {
            hashes,
            positions,
            directory,
        }
    }

    /// Returns the three arrays, for the snapshot.
    pub fn parts(&self) -> (&[u64], &[u32], &[u32]) {
        (&self.hashes, &self.positions, &self.directory)
    }

    /// Returns the index of the arrays [`HashedIds::parts`] gave, for `count` entities, if
    /// every index is in bounds and the hashes in order.
    pub fn from_parts(
        (hashes, positions, directory): (Vec<u64>, Vec<u32>, Vec<u32>),
        count: usize,
    ) -> Result<Self, &'static str> {
        if hashes.len() != count || positions.len() != count {
            return Err("an id index of another entity count");
        }
        if positions.iter().any(|&position| position as usize >= count) {
            return Err("an id index pointing past the entities");
        }
        if hashes.windows(2).any(|pair| pair[0] > pair[1]) {
            return Err("an id index out of order");
        }
        if directory.len() != (1 << BUCKET_BITS) + 1
            || directory[0] != 0
            || directory.windows(2).any(|pair| pair[0] > pair[1])
            || directory[1 << BUCKET_BITS] as usize != count
        {
            return Err("an id directory that does not span the ids");
        }
        Ok(HashedIds {
            hashes,
            positions,
            directory,
        })
    }

    /// Returns the position of `id`, among those whose hash is its hash the one for which
    /// `is_id` says yes.
    pub fn find(&self, id: &str, is_id: impl Fn(u32) -> bool) -> Option<u32> {
        let hash = id_hash(id);
        let at = bucket(hash);
        let (from, to) = (self.directory[at] as usize, self.directory[at + 1] as usize);
        let hashes = self.hashes.get(from..to)?;
        let positions = self.positions.get(from..to)?;
        hashes
            .iter()
            .zip(positions)
            .find(|&(&h, &position)| h == hash && is_id(position))
            .map(|(_, &position)| position)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_found_by_their_hash_and_checked() {
        let ids: Vec<String> = (0..5000).map(|i| format!("id-{i}")).collect();
        let index = HashedIds::build(ids.iter().map(String::as_str));
        for (i, id) in ids.iter().enumerate() {
            let found = index.find(id, |p| ids[p as usize] == *id);
            assert_eq!(found, Some(u32::try_from(i).unwrap()));
        }
        assert_eq!(index.find("nobody", |p| ids[p as usize] == "nobody"), None);
        let (h, p, d) = index.parts();
        let again = HashedIds::from_parts((h.to_vec(), p.to_vec(), d.to_vec()), ids.len());
        assert!(again.is_ok());
        let mut bad = p.to_vec();
        bad[3] = 9999;
        assert!(HashedIds::from_parts((h.to_vec(), bad, d.to_vec()), ids.len()).is_err());
        assert!(HashedIds::from_parts((h.to_vec(), p.to_vec(), d.to_vec()), 4).is_err());
    }
}
