//! What a snapshot was made from, and the rule that says whether it is still current.
//!
//! The rule: a snapshot answers only when all of these are the same as when it was written:
//! the snapshot format version; the `ties` build (its version, and the size and modification
//! time of the running executable, so a rebuilt binary never trusts an older one's arrays);
//! `--encoding`; the names of the entries of `entities/` and `relations/` and whether
//! `ties.toml` exists; and for each of those files its size, modification time, status-change
//! time, inode and device (Unix), and a hash of its first and last 64 KiB (all of a file up to
//! 128 KiB, so `ties.toml` is compared whole). An edit changes the modification time; one that
//! sets it back (`touch -d`, `cp -p` over the file) still changes the status-change time,
//! which no tool can set; copying the folder elsewhere gives new inodes, so the copy builds
//! its own snapshot.
//!
//! A write within the same clock tick as the stat could keep every one of those (Linux file
//! times move in ticks of a few milliseconds), so, as git does for its index, no snapshot is
//! written while any input was modified in the last few seconds: the next command writes it.

use std::io::{Read, Seek, SeekFrom};
use std::path::Path;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use crate::load::LoadOptions;
use crate::model::bytes::Writer;

/// How many bytes at each end of a file go into its hash.
const SAMPLE: u64 = 64 * 1024;

/// Files modified this recently may still change within the same clock tick.
const RACY: Duration = Duration::from_secs(3);

/// The identity of a data folder's inputs, taken before they are loaded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Inputs {
    /// Everything the rule compares, as bytes.
    pub(super) key: Vec<u8>,
    /// The size of the data files together.
    pub total_bytes: u64,
    /// Whether an input was modified within the last few seconds.
    pub recently_modified: bool,
}

impl Inputs {
    /// Takes the identity of the folder `dir` read with `options`: one `stat` per file and
    /// 128 KiB read from each, whatever its size.
    #[must_use]
    pub fn of(dir: &Path, options: &LoadOptions) -> Self {
        let mut key = Writer::default();
        key.str(env!("CARGO_PKG_VERSION"));
        let exe = std::env::current_exe().and_then(std::fs::metadata).ok();
        key.u64(exe.as_ref().map_or(0, std::fs::Metadata::len));
        key.u64(exe.as_ref().map_or(0, |meta| nanos(meta.modified().ok())));
        key.str(options.encoding.as_deref().unwrap_or(""));
        let now = SystemTime::now();
        let mut inputs = Inputs {
            key: Vec::new(),
            total_bytes: 0,
            recently_modified: false,
        };
        inputs.file(&mut key, &dir.join("ties.toml"), now);
        for folder in ["entities", "relations"] {
            let mut names: Vec<_> = std::fs::read_dir(dir.join(folder))
                .map(|entries| entries.flatten().map(|entry| entry.file_name()).collect())
                .unwrap_or_default();
            names.sort();
            key.str(folder);
            key.len(names.len());
            for name in names {
                key.str(&name.to_string_lossy());
                inputs.file(&mut key, &dir.join(folder).join(&name), now);
            }
        }
        inputs.key = key.bytes;
        inputs
    }

    /// Adds one file's part of the key: absent, or its metadata and sampled content.
    fn file(&mut self, key: &mut Writer, path: &Path, now: SystemTime) {
        let Ok(meta) = std::fs::metadata(path) else {
            key.u8(0);
            return;
        };
        key.u8(1);
        key.u64(meta.len());
        let modified = meta.modified().ok();
        key.u64(nanos(modified));
        for value in status(&meta) {
            key.u64(value);
        }
        key.u64(sample_hash(path, meta.len()));
        if meta.is_file() {
            self.total_bytes += meta.len();
        }
        let recent = modified.is_none_or(|at| now.duration_since(at).is_ok_and(|d| d < RACY))
            || modified.is_some_and(|at| at > now);
        self.recently_modified |= recent;
    }
}

/// Nanoseconds since the epoch (0 when unknown or before it).
fn nanos(time: Option<SystemTime>) -> u64 {
    time.and_then(|t| t.duration_since(UNIX_EPOCH).ok())
        .map_or(0, |d| u64::try_from(d.as_nanos()).unwrap_or(u64::MAX))
}

/// The status-change time, inode and device: what no edit can keep.
#[cfg(unix)]
fn status(meta: &std::fs::Metadata) -> [u64; 4] {
    use std::os::unix::fs::MetadataExt;
    [
        meta.ctime().cast_unsigned(),
        meta.ctime_nsec().cast_unsigned(),
        meta.ino(),
        meta.dev(),
    ]
}

#[cfg(not(unix))]
fn status(_meta: &std::fs::Metadata) -> [u64; 4] {
    [0; 4]
}

/// The xxh3 hash of the first and last [`SAMPLE`] bytes of a file (0 when unreadable).
fn sample_hash(path: &Path, len: u64) -> u64 {
    let read = || -> std::io::Result<u64> {
        let mut file = std::fs::File::open(path)?;
        let mut bytes = Vec::new();
        file.by_ref().take(SAMPLE).read_to_end(&mut bytes)?;
        if len > SAMPLE {
            file.seek(SeekFrom::Start(len.saturating_sub(SAMPLE).max(SAMPLE)))?;
            file.take(SAMPLE).read_to_end(&mut bytes)?;
        }
        Ok(xxhash_rust::xxh3::xxh3_64(&bytes))
    };
    read().unwrap_or(0)
}
