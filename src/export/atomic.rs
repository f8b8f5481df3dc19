//! Writing outputs safely: atomically, without litter, one writer at a time, and with the
//! path in every error.
//!
//! Every temporary file or folder `ties` makes beside an output starts with [`TEMP_PREFIX`] and
//! is locked (an OS advisory lock) by the process writing it. A lock ends with its process, so
//! one that was killed leaves a temporary nobody holds: [`remove_stale`], run before each write
//! into a folder, deletes exactly those and never one that a running `ties` is still writing.

use std::fs::{self, File, TryLockError};
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};

/// The start of the name of every temporary file or folder `ties` writes beside an output.
pub const TEMP_PREFIX: &str = ".ties-tmp-";

/// The lock file inside a temporary folder, held while the folder is written.
const FOLDER_LOCK: &str = ".ties-writing";

/// How old an unlocked temporary must be before it counts as left by a killed run.
const STALE_AFTER: std::time::Duration = std::time::Duration::from_secs(10);

/// The lock file of an output folder that `ties build` holds while it writes there.
pub const BUILD_LOCK: &str = ".ties-build.lock";

/// An I/O error with what was being done, and to which path.
#[derive(Debug)]
struct AtPath {
    action: String,
    path: PathBuf,
    source: io::Error,
}

impl std::fmt::Display for AtPath {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "cannot {} `{}`: {}",
            self.action,
            self.path.display(),
            self.source
        )
    }
}

impl std::error::Error for AtPath {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(&self.source)
    }
}

/// Returns `err` with what was being done, and to which path, in its message; the kind is
/// kept (so a broken pipe is still one).
#[must_use]
pub fn at_path(err: io::Error, action: &str, path: &Path) -> io::Error {
    io::Error::new(
        err.kind(),
        AtPath {
            action: action.to_owned(),
            path: path.to_owned(),
            source: err,
        },
    )
}

/// The folder a file at `path` goes into (`.` for a bare file name).
#[must_use]
pub fn parent_of(path: &Path) -> &Path {
    match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir,
        _ => Path::new("."),
    }
}

/// Creates `dir` and its parents.
///
/// # Errors
/// The I/O error, naming `dir`.
pub fn create_folder(dir: &Path) -> io::Result<()> {
    fs::create_dir_all(dir).map_err(|err| at_path(err, "create the folder", dir))
}

/// Returns a new temporary file in `dir`, locked by this process until it is dropped or
/// persisted, after removing the stale temporaries of killed runs there.
///
/// # Errors
/// The I/O error, naming `dir`.
pub fn temp_file(dir: &Path) -> io::Result<tempfile::NamedTempFile> {
    create_folder(dir)?;
    remove_stale(dir);
    let temp = tempfile::Builder::new()
        .prefix(TEMP_PREFIX)
        .tempfile_in(dir)
        .map_err(|err| at_path(err, "create a temporary file in", dir))?;
    lock_new(temp.as_file(), temp.path())?;
    Ok(temp)
}

/// A temporary folder in `dir`, with its lock held until it is dropped or kept.
struct TempFolder {
    dir: tempfile::TempDir,
    lock: File,
}

impl TempFolder {
    /// Returns the folder's path.
    #[must_use]
    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    /// Keeps the folder (now complete) without its lock file, for a rename into place.
    ///
    /// # Errors
    /// The I/O error of removing the lock file.
    pub fn keep(self) -> io::Result<PathBuf> {
        let lock_path = self.dir.path().join(FOLDER_LOCK);
        let path = self.dir.keep();
        fs::remove_file(&lock_path).map_err(|err| at_path(err, "remove", &lock_path))?;
        drop(self.lock);
        Ok(path)
    }
}

/// Returns a new temporary folder in `dir`, locked by this process (through a lock file
/// inside it), after removing the stale temporaries of killed runs there.
///
/// # Errors
/// The I/O error, naming `dir`.
fn temp_folder(dir: &Path) -> io::Result<TempFolder> {
    create_folder(dir)?;
    remove_stale(dir);
    let folder = tempfile::Builder::new()
        .prefix(TEMP_PREFIX)
        .tempdir_in(dir)
        .map_err(|err| at_path(err, "create a temporary folder in", dir))?;
    let lock_path = folder.path().join(FOLDER_LOCK);
    let lock = File::create(&lock_path).map_err(|err| at_path(err, "create", &lock_path))?;
    lock_new(&lock, &lock_path)?;
    Ok(TempFolder { dir: folder, lock })
}

fn lock_new(file: &File, path: &Path) -> io::Result<()> {
    match file.try_lock() {
        Ok(()) => Ok(()),
        Err(TryLockError::Error(err)) => Err(at_path(err, "lock", path)),
        Err(TryLockError::WouldBlock) => Err(at_path(
            io::Error::other("another process holds it"),
            "lock",
            path,
        )),
    }
}

/// Removes the temporaries in `dir` that no running process holds (left by a killed run)
/// and that are older than a few seconds (a writer locks its temporary just after making
/// it); returns how many. Failures are ignored: a temporary that cannot be removed now will be
/// tried again by the next run.
pub fn remove_stale(dir: &Path) -> usize {
    let Ok(entries) = fs::read_dir(dir) else {
        return 0;
    };
    let mut removed = 0;
    for entry in entries.flatten() {
        if !entry.file_name().to_string_lossy().starts_with(TEMP_PREFIX) {
            continue;
        }
        let path = entry.path();
        let Ok(file_type) = entry.file_type() else {
            continue;
        };
        let (lock_path, is_folder) = if file_type.is_dir() {
            (path.join(FOLDER_LOCK), true)
        } else if file_type.is_file() {
            (path.clone(), false)
        } else {
            continue;
        };
        // A writer creates its temporary, then locks it: in between, the temporary is new
        // and unlocked. Leaving young ones alone keeps this from removing it then.
        let young = entry
            .metadata()
            .and_then(|meta| meta.modified())
            .is_ok_and(|modified| modified.elapsed().is_ok_and(|age| age < STALE_AFTER));
        if young {
            continue;
        }
        let abandoned = match File::open(&lock_path) {
            // A lock we can take is one nobody holds.
            Ok(file) => file.try_lock().is_ok(),
            // A folder without its lock file was complete, or never started: not in use.
            Err(err) => is_folder && err.kind() == io::ErrorKind::NotFound,
        };
        if !abandoned {
            continue;
        }
        let gone = if is_folder {
            fs::remove_dir_all(&path)
        } else {
            fs::remove_file(&path)
        };
        if gone.is_ok() {
            removed += 1;
        }
    }
    removed
}

/// Writes a file through `fill` into a temporary file beside `path`, then renames it over
/// `path`, so readers never see a half-written file. A `path` that is a device or a pipe
/// (`/dev/null`, `/dev/stdout`, a FIFO) is written into directly.
///
/// # Errors
/// I/O errors from writing or renaming, each naming the path.
pub fn write_atomic(
    path: &Path,
    fill: impl FnOnce(&mut dyn Write) -> io::Result<()>,
) -> io::Result<()> {
    if is_special_file(path) {
        // `-o /dev/null` or a named pipe: renaming over it would replace the device with a
        // file; write into it instead (there is no half-written file to hide).
        let special = fs::OpenOptions::new()
            .write(true)
            .open(path)
            .map_err(|err| at_path(err, "open", path))?;
        return write_buffered(&special, path, fill);
    }
    let temp = temp_file(parent_of(path))?;
    write_buffered(temp.as_file(), path, fill)?;
    persist(temp, path)
}

/// Writes a new file at `path` directly, for files inside a folder that is itself written
/// atomically (see [`write_folder_atomic`]): nobody sees the folder until it is complete.
///
/// # Errors
/// I/O errors, naming `path`.
pub fn write_in_staged_folder(
    path: &Path,
    fill: impl FnOnce(&mut dyn Write) -> io::Result<()>,
) -> io::Result<()> {
    let created = File::create(path).map_err(|err| at_path(err, "create", path))?;
    write_buffered(&created, path, fill)
}

/// Fills `file` through a buffer and flushes it; errors name `path`.
fn write_buffered(
    target: &File,
    path: &Path,
    fill: impl FnOnce(&mut dyn Write) -> io::Result<()>,
) -> io::Result<()> {
    let mut out = BufWriter::new(target);
    fill(&mut out)
        .and_then(|()| out.flush())
        .map_err(|err| at_path(err, "write", path))
}

/// Writes a folder of files through `fill` (given the folder to fill) into a temporary
/// folder beside `path`, then puts it in place of `path` whole: the old folder is moved
/// aside first, and a rename that loses a race with another writer is tried again.
///
/// # Errors
/// I/O errors from `fill` or from moving the folder, naming the paths.
pub fn write_folder_atomic(
    path: &Path,
    fill: impl FnOnce(&Path) -> io::Result<()>,
) -> io::Result<()> {
    let staging = temp_folder(parent_of(path))?;
    fill(staging.path())?;
    replace_folder(&staging.keep()?, path)
}

/// Returns whether `path` (following links) is a device, pipe or socket: something written
/// into, never replaced.
fn is_special_file(path: &Path) -> bool {
    fs::metadata(path).is_ok_and(|meta| !meta.is_file() && !meta.is_dir())
}

/// Gives a complete temporary file the usual permissions and renames it to `path`.
///
/// # Errors
/// I/O errors, naming `path`.
pub fn persist(temp: tempfile::NamedTempFile, path: &Path) -> io::Result<()> {
    // Temporary files are private (0600); the output is an ordinary file.
    set_readable(temp.as_file()).map_err(|err| at_path(err, "write", path))?;
    temp.persist(path)
        .map_err(|err| at_path(err.error, "replace", path))?;
    Ok(())
}

/// Moves the complete folder `staged` to `path`, replacing what is there. Safe against
/// another process doing the same: the old folder is first moved aside under a temporary
/// name, and a rename that loses a race is tried again.
///
/// # Errors
/// I/O errors, naming `path`; `path` being a file.
fn replace_folder(staged: &Path, path: &Path) -> io::Result<()> {
    const ATTEMPTS: usize = 20;
    let mut last = None;
    for _ in 0..ATTEMPTS {
        match fs::rename(staged, path) {
            Ok(()) => return Ok(()),
            Err(err) => last = Some(err),
        }
        match fs::symlink_metadata(path) {
            Ok(meta) if meta.is_dir() => {}
            Ok(_) => {
                return Err(at_path(
                    io::Error::new(io::ErrorKind::AlreadyExists, "it is not a folder"),
                    "replace",
                    path,
                ));
            }
            // Gone meanwhile: try the rename again.
            Err(_) => continue,
        }
        let aside = tempfile::Builder::new()
            .prefix(TEMP_PREFIX)
            .tempdir_in(parent_of(path))
            .map_err(|err| at_path(err, "create a temporary folder beside", path))?
            .keep();
        fs::remove_dir(&aside).map_err(|err| at_path(err, "remove", &aside))?;
        match fs::rename(path, &aside) {
            Ok(()) => {
                let _ = fs::remove_dir_all(&aside);
            }
            Err(err) if err.kind() == io::ErrorKind::NotFound => {}
            Err(err) => return Err(at_path(err, "move aside", path)),
        }
    }
    Err(at_path(
        last.unwrap_or_else(|| io::Error::other("too many concurrent writers")),
        "replace",
        path,
    ))
}

/// The lock of an output folder, held by `ties build` while it writes there (released when
/// dropped), so two builds into one folder run one after the other.
pub struct FolderLock {
    _file: File,
}

impl FolderLock {
    /// Takes the lock of `dir`; when another process holds it, calls `waiting` once and then
    /// waits for it.
    ///
    /// # Errors
    /// I/O errors, naming the lock file.
    pub fn acquire(dir: &Path, waiting: impl FnOnce()) -> io::Result<FolderLock> {
        let path = dir.join(BUILD_LOCK);
        let file = fs::OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&path)
            .map_err(|err| at_path(err, "open the lock file", &path))?;
        match file.try_lock() {
            Ok(()) => {}
            Err(TryLockError::WouldBlock) => {
                waiting();
                file.lock().map_err(|err| at_path(err, "lock", &path))?;
            }
            Err(TryLockError::Error(err)) => return Err(at_path(err, "lock", &path)),
        }
        Ok(FolderLock { _file: file })
    }
}

/// Gives a file the usual `rw-r--r--` permissions.
///
/// # Errors
/// I/O errors from changing the permissions.
#[cfg(unix)]
pub fn set_readable(file: &File) -> io::Result<()> {
    use std::os::unix::fs::PermissionsExt;
    file.set_permissions(fs::Permissions::from_mode(0o644))
}

/// Gives a file the usual permissions (nothing to do off Unix).
///
/// # Errors
/// Never.
#[cfg(not(unix))]
pub fn set_readable(_file: &File) -> io::Result<()> {
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stale_temporaries_go_and_live_ones_stay() {
        let dir = tempfile::tempdir().unwrap();
        // Left by a killed run: no process holds their locks.
        fs::write(dir.path().join(format!("{TEMP_PREFIX}dead")), "half").unwrap();
        fs::create_dir(dir.path().join(format!("{TEMP_PREFIX}deadfolder"))).unwrap();
        fs::write(
            dir.path()
                .join(format!("{TEMP_PREFIX}deadfolder"))
                .join(FOLDER_LOCK),
            "",
        )
        .unwrap();
        fs::write(dir.path().join("graph.json"), "{}").unwrap();
        let a_minute_ago = std::time::SystemTime::now() - std::time::Duration::from_secs(60);
        for dead in ["dead", "deadfolder"] {
            File::open(dir.path().join(format!("{TEMP_PREFIX}{dead}")))
                .unwrap()
                .set_modified(a_minute_ago)
                .unwrap();
        }
        // Just made, not yet locked by its writer: left alone.
        fs::write(dir.path().join(format!("{TEMP_PREFIX}new")), "").unwrap();
        // Being written now.
        let live = temp_file(dir.path()).unwrap();
        let live_folder = temp_folder(dir.path()).unwrap();
        assert_eq!(
            remove_stale(dir.path()),
            0,
            "the first temp_file cleaned already"
        );
        let mut names: Vec<String> = fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        assert_eq!(names.len(), 4, "{names:?}");
        assert!(names.contains(&format!("{TEMP_PREFIX}new")));
        assert!(names.contains(&"graph.json".to_owned()));
        assert!(live.path().exists() && live_folder.path().exists());
    }

    #[test]
    fn errors_name_the_path_and_keep_their_kind() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("plain");
        fs::write(&file, "x").unwrap();
        let err = create_folder(&file.join("sub")).unwrap_err();
        assert!(err.to_string().contains("plain/sub"), "{err}");
        assert!(
            err.to_string().starts_with("cannot create the folder"),
            "{err}"
        );
        let err = write_atomic(&file.join("x.json"), |_| Ok(())).unwrap_err();
        assert!(err.to_string().contains("plain"), "{err}");
    }

    #[test]
    fn a_folder_is_replaced_whole() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("neo4j");
        fs::create_dir(&target).unwrap();
        fs::write(target.join("old.csv"), "old").unwrap();
        let staged = temp_folder(dir.path()).unwrap();
        fs::write(staged.path().join("new.csv"), "new").unwrap();
        let staged = staged.keep().unwrap();
        replace_folder(&staged, &target).unwrap();
        let names: Vec<String> = fs::read_dir(&target)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        assert_eq!(names, ["new.csv"]);
        assert_eq!(
            fs::read_dir(dir.path()).unwrap().count(),
            1,
            "nothing left aside"
        );
    }

    #[cfg(unix)]
    #[test]
    fn a_pipe_is_written_into_not_replaced() {
        use std::os::unix::fs::FileTypeExt;
        let dir = tempfile::tempdir().unwrap();
        let fifo = dir.path().join("pipe");
        let made = std::process::Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap();
        assert!(made.success());
        let reader = {
            let fifo = fifo.clone();
            std::thread::spawn(move || fs::read_to_string(fifo).unwrap())
        };
        write_atomic(&fifo, |out| out.write_all(b"through the pipe")).unwrap();
        assert_eq!(reader.join().unwrap(), "through the pipe");
        assert!(fs::metadata(&fifo).unwrap().file_type().is_fifo());
        assert_eq!(
            fs::read_dir(dir.path()).unwrap().count(),
            1,
            "no temporary left"
        );
    }
}
