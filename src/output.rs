//! Writing the site: only after everything has rendered and passed its
//! checks. Files whose bytes did not change are not rewritten; files the
//! previous build wrote and this one did not are removed. A manifest
//! (`.signpost-manifest`) records what Signpost wrote, so files it did not
//! write are never touched.

use std::collections::{BTreeSet, HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};

use rayon::prelude::*;

use crate::diagnostics::Fatal;
use crate::lock::{OutputLock, Wait};
use crate::render::OutputFile;
use crate::urls::is_inside;

pub const MANIFEST: &str = ".signpost-manifest";

/// What a write did.
#[derive(Debug, Default, Clone, Copy)]
pub struct WriteStats {
    pub written: usize,
    pub unchanged: usize,
    pub removed: usize,
}

fn read_manifest(out: &Path) -> HashMap<String, (String, u64)> {
    let Ok(text) = std::fs::read_to_string(out.join(MANIFEST)) else {
        return HashMap::new();
    };
    text.lines()
        .filter_map(|l| {
            let mut parts = l.splitn(3, ' ');
            let hash = parts.next()?.to_string();
            let len = parts.next()?.parse().ok()?;
            let path = parts.next()?.to_string();
            Some((path, (hash, len)))
        })
        .collect()
}

/// The name of the folder new and changed files are staged in when it
/// cannot be beside the output folder.
pub const STAGING: &str = ".signpost-staging";

/// What the folder beside the output folder that holds the previous site
/// after a switch is called after (`.public.signpost-previous`). The next
/// build makes it its staging folder, so it only rewrites what changed
/// instead of hard-linking every file again.
pub const PREVIOUS: &str = "signpost-previous";

/// What is known of one output file once it has been staged.
#[derive(Debug)]
struct Record {
    path: String,
    hash: blake3::Hash,
    len: u64,
    /// Written into the staging folder (new or changed), not yet in place.
    staged: bool,
}

/// Writes a build's files as they are rendered, without touching the
/// output folder until [`Stage::commit`].
///
/// The staging folder is made beside the output folder
/// (`.NAME.signpost-staging`) and becomes a complete copy of the new site:
///
/// - a file whose bytes are the same as the one in place (by the
///   manifest's hash and the file's length) is hard-linked from the output
///   folder, so it keeps its inode and modification time;
/// - a new or changed file is written into it;
/// - `commit` hard-links in the files Signpost did not write (they are
///   never touched), writes the manifest, and swaps the two folders in one
///   step (`renameat2(RENAME_EXCHANGE)` on Linux, `RENAME_SWAP` on macOS).
///   A reader sees the whole old site or the whole new one, never a mix.
///   The old tree, now at the staging name, is then removed.
///
/// Where the swap is not possible (other systems, file systems without it
/// or without hard links, a staging folder that has to be inside the
/// output folder) `commit` falls back to moving each new or changed file
/// into place and removing stale ones: a reader may then see a mix while
/// it runs. When the output folder does not exist yet, the staging folder
/// becomes it with one rename. If the build fails, dropping the `Stage`
/// removes the staging folder and the output is as it was.
///
/// A `Stage` holds the output folder's [`OutputLock`] from before it
/// touches anything until its staging folder is gone, so it can clear a
/// staging folder it finds: that was left by a build that was killed.
#[derive(Debug)]
pub struct Stage {
    /// The output folder, resolved (symbolic links followed).
    out: PathBuf,
    staging: PathBuf,
    /// The staging folder becomes the output folder (a first build).
    whole: bool,
    /// The staging folder is being made a complete tree, to swap in.
    swap: bool,
    /// Every unchanged file could be hard-linked (else: no swap).
    complete: AtomicBool,
    /// The staging folder was not made empty: it is the previous site
    /// (kept by the last build) or what a killed build staged. Every entry
    /// in it is checked: an unchanged file must be the very file in place
    /// (same inode), a written one is unlinked first (it may be a hard
    /// link to a live file), and whatever the new site does not have is
    /// removed before the switch.
    reused: bool,
    old: HashMap<String, (String, u64)>,
    records: Mutex<Vec<Record>>,
    made_dirs: Mutex<HashSet<String>>,
    error: Mutex<Option<Fatal>>,
    done: bool,
    /// Removing trees of no more use (a previous site beside an output
    /// folder that was deleted, what killed builds set aside): joined
    /// before the lock is released.
    discard: Option<std::thread::JoinHandle<()>>,
    /// Released after the staging folder is removed (fields drop after
    /// [`Drop::drop`]).
    _lock: OutputLock,
}

impl Stage {
    /// Prepares to write into `out`, waiting for another build of it as
    /// [`Wait::default`] says.
    pub fn begin(out: &Path) -> Result<Stage, Fatal> {
        Stage::begin_with(out, &Wait::default())
    }

    /// Prepares to write into `out`: takes its lock (waiting as `wait`
    /// says), clears what a killed build left, and creates the staging
    /// folder beside `out` (inside it only when its parent cannot be
    /// written to). The output folder itself is not touched until
    /// [`Stage::commit`].
    pub fn begin_with(out: &Path, wait: &Wait) -> Result<Stage, Fatal> {
        let whole = !out.exists();
        let real = if whole {
            if let Some(parent) = out.parent().filter(|p| !p.as_os_str().is_empty()) {
                std::fs::create_dir_all(parent).map_err(|e| Fatal::io(parent, e))?;
            }
            out.to_path_buf()
        } else {
            out.canonicalize().map_err(|e| Fatal::io(out, e))?
        };
        if real.file_name().is_none() {
            return Err(Fatal::Usage(format!(
                "cannot write the site to {}: choose an output folder with a name",
                out.display()
            )));
        }
        let lock = OutputLock::acquire(&real, wait)?;
        let fresh = |dir: &Path| -> Result<(), Fatal> {
            if dir.symlink_metadata().is_ok() {
                // Left by a build that was killed (the lock says no build
                // is running): its staging folder, or the old tree it
                // swapped out and had no time to remove.
                remove_any(dir).map_err(|e| Fatal::io(dir, e))?;
            }
            std::fs::create_dir(dir).map_err(|e| Fatal::io(dir, e))
        };
        let inside = real.join(STAGING);
        if !whole && inside.symlink_metadata().is_ok() {
            remove_any(&inside).map_err(|e| Fatal::io(&inside, e))?;
        }
        let beside = sibling(&real, "signpost-staging");
        let previous = sibling(&real, PREVIOUS);
        let reused = !whole && SWAP_SUPPORTED && reuse_tree(&beside, &previous);
        // The output folder is new (or the swap is not possible): the
        // previous site is of no use. It is removed while the site renders.
        let discard = discard(&real, if reused { None } else { Some(&previous) })?;
        let (staging, beside) = if reused {
            (beside, true)
        } else {
            match fresh(&beside) {
                Ok(()) => (beside, true),
                Err(e) if whole => return Err(e),
                Err(_) => {
                    fresh(&inside)?;
                    (inside, false)
                }
            }
        };
        Ok(Stage {
            old: if whole {
                HashMap::new()
            } else {
                read_manifest(&real)
            },
            out: real,
            staging,
            whole,
            swap: !whole && beside && SWAP_SUPPORTED,
            complete: AtomicBool::new(true),
            reused,
            records: Mutex::new(Vec::new()),
            made_dirs: Mutex::new(HashSet::new()),
            error: Mutex::new(None),
            done: false,
            discard,
            _lock: lock,
        })
    }

    fn stage(&self, file: &OutputFile) -> Result<Record, Fatal> {
        // Never write outside the output folder, whatever a renderer produced.
        // `.signpost-*` names are Signpost's own (manifest, staging).
        if !is_inside(&file.path) || file.path.starts_with(".signpost-") {
            return Err(Fatal::Usage(format!(
                "refusing to write `{}`: it is not a path inside the output folder (this is a bug in Signpost; please report it)",
                file.path
            )));
        }
        let hash = blake3::hash(&file.bytes);
        let len = file.bytes.len() as u64;
        let mut record = Record {
            path: file.path.clone(),
            hash,
            len,
            staged: false,
        };
        if !self.whole {
            let in_place = self.out.join(&file.path);
            let meta = std::fs::symlink_metadata(&in_place)
                .ok()
                .filter(|m| m.is_file() && m.len() == len);
            let unchanged = meta.filter(|_| match self.old.get(&file.path) {
                Some((old_hash, old_len)) => *old_len == len && *old_hash == hash.to_hex().as_str(),
                // No manifest (it was deleted): compare the bytes.
                None => {
                    self.old.is_empty()
                        && std::fs::read(&in_place)
                            .map(|b| b == file.bytes)
                            .unwrap_or(false)
                }
            });
            if let Some(meta) = unchanged {
                if self.swap && self.complete.load(Ordering::Relaxed) {
                    self.make_parent(&file.path)?;
                    let to = self.staging.join(&file.path);
                    if self.reused {
                        match std::fs::symlink_metadata(&to) {
                            // Already this very file (kept from the build
                            // before): nothing to do.
                            Ok(m) if same_inode(&m, &meta) => return Ok(record),
                            Ok(_) => remove_any(&to).map_err(|e| Fatal::io(&to, e))?,
                            Err(_) => {}
                        }
                    }
                    if !link(&in_place, &to) {
                        // No hard links here: fall back to moving files.
                        self.complete.store(false, Ordering::Relaxed);
                    }
                }
                return Ok(record);
            }
        }
        self.make_parent(&file.path)?;
        let path = self.staging.join(&file.path);
        if let Some(e) = crate::fault::write_point("write") {
            return Err(Fatal::io(&path, e));
        }
        if self.reused {
            // Maybe a hard link to a file of the live site, or a symbolic
            // link: never written through.
            remove_any(&path).map_err(|e| Fatal::io(&path, e))?;
        }
        std::fs::write(&path, &file.bytes).map_err(|e| Fatal::io(&path, e))?;
        crate::fault::point("staged");
        record.staged = true;
        Ok(record)
    }

    fn make_parent(&self, path: &str) -> Result<(), Fatal> {
        match path.rfind('/') {
            Some(i) if self.reused => make_real_dir(&self.staging, &path[..i], &self.made_dirs),
            Some(i) => make_dir(&self.staging, &path[..i], &self.made_dirs),
            None => Ok(()),
        }
    }

    /// Puts the new site in place and removes what it no longer has. Call
    /// only when the whole site has rendered and passed its checks.
    pub fn commit(mut self) -> Result<WriteStats, Fatal> {
        self.done = true;
        let result = self.commit_inner();
        match result {
            Ok((_, Switch::Renamed)) => {}
            Ok((_, Switch::Swapped)) => {
                crate::fault::point("cleanup");
                // The previous site, now at the staging name, is kept for
                // the next build to start from.
                let previous = sibling(&self.out, PREVIOUS);
                if std::fs::rename(&self.staging, previous).is_err() {
                    let _ = remove_any(&self.staging);
                }
            }
            _ => {
                crate::fault::point("cleanup");
                let _ = remove_any(&self.staging);
            }
        }
        result.map(|(stats, _)| stats)
    }

    fn commit_inner(&mut self) -> Result<(WriteStats, Switch), Fatal> {
        if let Some(e) = self
            .error
            .get_mut()
            .unwrap_or_else(|e| e.into_inner())
            .take()
        {
            return Err(e);
        }
        let mut records = std::mem::take(self.records.get_mut().unwrap_or_else(|e| e.into_inner()));
        records.sort_by(|a, b| a.path.cmp(&b.path));
        records.dedup_by(|a, b| a.path == b.path);
        let mut manifest = String::with_capacity(records.len() * 100);
        for r in &records {
            manifest.push_str(&format!("{} {} {}\n", r.hash.to_hex(), r.len, r.path));
        }
        let mut stats = WriteStats {
            written: records.iter().filter(|r| r.staged).count(),
            ..WriteStats::default()
        };
        stats.unchanged = records.len() - stats.written;
        if self.whole {
            let mpath = self.staging.join(MANIFEST);
            std::fs::write(&mpath, manifest).map_err(|e| Fatal::io(&mpath, e))?;
            crate::fault::point("switch");
            std::fs::rename(&self.staging, &self.out).map_err(|e| Fatal::io(&self.out, e))?;
            crate::fault::point("switched");
            return Ok((stats, Switch::Renamed));
        }
        let new_paths: HashSet<&str> = records.iter().map(|r| r.path.as_str()).collect();
        stats.removed = self
            .old
            .keys()
            .filter(|p| !new_paths.contains(p.as_str()) && is_inside(p))
            .filter(|p| self.out.join(p).symlink_metadata().is_ok())
            .count();
        if self.swap && *self.complete.get_mut() && self.link_foreign(&new_paths)? {
            self.put_manifest(&self.staging.join(MANIFEST), &manifest)?;
            // Signpost's own folders get the output folder's permissions.
            if let Ok(m) = std::fs::metadata(&self.out) {
                let _ = std::fs::set_permissions(&self.staging, m.permissions());
            }
            crate::fault::point("switch");
            if exchange(&self.staging, &self.out) {
                crate::fault::point("switched");
                return Ok((stats, Switch::Swapped));
            }
        }
        self.move_into_place(&records, &new_paths)?;
        self.put_manifest(&self.out.join(MANIFEST), &manifest)?;
        Ok((stats, Switch::Moved))
    }

    /// Hard-links into the staging folder every file and folder in the
    /// output folder that Signpost did not write (not in the last manifest)
    /// and this build does not write either. `false` when a file cannot be
    /// linked (then the files are moved instead of swapped). A reused
    /// staging folder is then pruned to exactly the new site.
    fn link_foreign(&self, new_paths: &HashSet<&str>) -> Result<bool, Fatal> {
        // The foreign files and folders, as they are in the output folder.
        let mut foreign: HashSet<String> = HashSet::new();
        // The folders holding Signpost's files: made again only as needed.
        let mut ours: HashSet<&str> = HashSet::new();
        for p in self
            .old
            .keys()
            .map(String::as_str)
            .chain(new_paths.iter().copied())
        {
            let mut d = p;
            while let Some(i) = d.rfind('/') {
                d = &d[..i];
                if !ours.insert(d) {
                    break;
                }
            }
        }
        let mut walk = walkdir::WalkDir::new(&self.out)
            .min_depth(1)
            .follow_links(false)
            .into_iter();
        while let Some(entry) = walk.next() {
            let entry = entry.map_err(|e| {
                let path = e.path().unwrap_or(&self.out).to_path_buf();
                Fatal::io(path, e.into())
            })?;
            let Some(rel) = entry
                .path()
                .strip_prefix(&self.out)
                .ok()
                .and_then(|r| r.to_str())
                .map(|r| r.replace(std::path::MAIN_SEPARATOR, "/"))
            else {
                return Ok(false);
            };
            if entry.depth() == 1 && rel.starts_with(".signpost-") {
                if entry.file_type().is_dir() {
                    walk.skip_current_dir();
                }
                continue;
            }
            if self.old.contains_key(&rel) || new_paths.contains(rel.as_str()) {
                continue;
            }
            let to = self.staging.join(&rel);
            if entry.file_type().is_dir() {
                if !ours.contains(rel.as_str()) {
                    if self.reused {
                        make_real_dir(&self.staging, &rel, &self.made_dirs)?;
                    } else {
                        std::fs::create_dir_all(&to).map_err(|e| Fatal::io(&to, e))?;
                    }
                    if let Ok(m) = entry.metadata() {
                        let _ = std::fs::set_permissions(&to, m.permissions());
                    }
                    if self.reused {
                        foreign.insert(rel);
                    }
                }
                continue;
            }
            if self.reused {
                if let Some(i) = rel.rfind('/') {
                    make_real_dir(&self.staging, &rel[..i], &self.made_dirs)?;
                }
                if !same_file(entry.path(), &to) {
                    remove_any(&to).map_err(|e| Fatal::io(&to, e))?;
                }
            } else if let Some(parent) = to.parent() {
                std::fs::create_dir_all(parent).map_err(|e| Fatal::io(parent, e))?;
            }
            if !link(entry.path(), &to) {
                return Ok(false);
            }
            if self.reused {
                foreign.insert(rel);
            }
            crate::fault::point("foreign");
        }
        if self.reused {
            self.prune(new_paths, &foreign)?;
        }
        Ok(true)
    }

    /// Removes from a reused staging folder everything the new site does
    /// not have: what is left of the site before, and of a killed build.
    fn prune(&self, new_paths: &HashSet<&str>, foreign: &HashSet<String>) -> Result<(), Fatal> {
        let mut dirs: HashSet<&str> = HashSet::new();
        for p in new_paths
            .iter()
            .copied()
            .chain(foreign.iter().map(String::as_str))
        {
            let mut d = p;
            while let Some(i) = d.rfind('/') {
                d = &d[..i];
                if !dirs.insert(d) {
                    break;
                }
            }
        }
        let mut gone: Vec<PathBuf> = Vec::new();
        let mut walk = walkdir::WalkDir::new(&self.staging)
            .min_depth(1)
            .follow_links(false)
            .into_iter();
        while let Some(entry) = walk.next() {
            let entry = entry.map_err(|e| {
                let path = e.path().unwrap_or(&self.staging).to_path_buf();
                Fatal::io(path, e.into())
            })?;
            let rel = entry
                .path()
                .strip_prefix(&self.staging)
                .ok()
                .and_then(|r| r.to_str())
                .map(|r| r.replace(std::path::MAIN_SEPARATOR, "/"));
            let keep = rel.as_deref().is_some_and(|r| {
                new_paths.contains(r)
                    || foreign.contains(r)
                    || r == MANIFEST
                    || (entry.file_type().is_dir() && dirs.contains(r))
            });
            if !keep {
                if entry.file_type().is_dir() {
                    walk.skip_current_dir();
                }
                gone.push(entry.into_path());
            }
        }
        for path in gone {
            remove_any(&path).map_err(|e| Fatal::io(&path, e))?;
        }
        Ok(())
    }

    /// Writes the manifest at `path`, or hard-links the one in place when
    /// it did not change (like every other file, it is only rewritten when
    /// it changed).
    fn put_manifest(&self, path: &Path, manifest: &str) -> Result<(), Fatal> {
        let current = self.out.join(MANIFEST);
        let same = std::fs::read(&current).is_ok_and(|old| old == manifest.as_bytes());
        if path != current && !(same && same_file(&current, path)) {
            // A manifest of a reused staging folder: maybe a hard link to
            // the one in place, so never written through.
            remove_any(path).map_err(|e| Fatal::io(path, e))?;
        }
        if same && (path == current || link(&current, path)) {
            return Ok(());
        }
        if let Some(e) = crate::fault::write_point("write") {
            return Err(Fatal::io(path, e));
        }
        std::fs::write(path, manifest).map_err(|e| Fatal::io(path, e))
    }

    /// The fallback: moves the staged files into place one by one and
    /// removes the stale ones.
    fn move_into_place(&self, records: &[Record], new_paths: &HashSet<&str>) -> Result<(), Fatal> {
        let made = Mutex::new(HashSet::new());
        let moved: Vec<Result<(), Fatal>> = records
            .par_iter()
            .filter(|r| r.staged)
            .map(|r| {
                if let Some(i) = r.path.rfind('/') {
                    make_dir(&self.out, &r.path[..i], &made)?;
                }
                let from = self.staging.join(&r.path);
                let to = self.out.join(&r.path);
                crate::fault::point("move");
                move_file(&from, &to)
            })
            .collect();
        for m in moved {
            m?;
        }
        let mut stale: Vec<&String> = self
            .old
            .keys()
            .filter(|p| !new_paths.contains(p.as_str()) && is_inside(p))
            .collect();
        stale.sort();
        let mut emptied: BTreeSet<String> = BTreeSet::new();
        for path in stale {
            if std::fs::remove_file(self.out.join(path)).is_ok() {
                let mut dir = path.as_str();
                while let Some(i) = dir.rfind('/') {
                    dir = &dir[..i];
                    emptied.insert(dir.to_string());
                }
            }
        }
        // Remove folders left empty, deepest first.
        let mut emptied: Vec<String> = emptied.into_iter().collect();
        emptied.sort_by_key(|d| std::cmp::Reverse(d.matches('/').count()));
        for d in emptied {
            let _ = std::fs::remove_dir(self.out.join(d));
        }
        Ok(())
    }
}

/// `.NAME.WHAT` beside the folder `real` (which has a name).
fn sibling(real: &Path, what: &str) -> PathBuf {
    let parent = match real.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    let mut name = std::ffi::OsString::from(".");
    name.push(real.file_name().unwrap_or_default());
    name.push(".");
    name.push(what);
    parent.join(name)
}

/// Removes a folder and everything in it, or a file.
fn remove_any(path: &Path) -> std::io::Result<()> {
    match path.symlink_metadata() {
        Ok(m) if m.is_dir() => std::fs::remove_dir_all(path),
        Ok(_) => std::fs::remove_file(path),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(e),
    }
}

/// Hard-links `from` (not following a symbolic link) to `to`; `true` when
/// `to` is now that file.
fn link(from: &Path, to: &Path) -> bool {
    match std::fs::hard_link(from, to) {
        Ok(()) => true,
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => same_file(from, to),
        Err(_) => false,
    }
}

fn same_file(a: &Path, b: &Path) -> bool {
    match (a.symlink_metadata(), b.symlink_metadata()) {
        (Ok(a), Ok(b)) => same_inode(&a, &b),
        _ => false,
    }
}

#[cfg(unix)]
fn same_inode(a: &std::fs::Metadata, b: &std::fs::Metadata) -> bool {
    use std::os::unix::fs::MetadataExt;
    a.dev() == b.dev() && a.ino() == b.ino()
}

#[cfg(not(unix))]
fn same_inode(_a: &std::fs::Metadata, _b: &std::fs::Metadata) -> bool {
    false
}

/// How a build's files were put in place.
#[derive(Debug, Clone, Copy)]
enum Switch {
    /// The staging folder became the output folder (a first build).
    Renamed,
    /// The staging folder and the output folder were swapped.
    Swapped,
    /// The files were moved into place one by one.
    Moved,
}

/// Makes the staging folder of the site before (or the one a killed build
/// left) the staging folder, when either is there: `true` then.
fn reuse_tree(staging: &Path, previous: &Path) -> bool {
    let is_dir = |p: &Path| p.symlink_metadata().is_ok_and(|m| m.is_dir());
    if is_dir(staging) {
        // A build killed after the switch, or while staging.
        let _ = remove_any(previous);
        return true;
    }
    is_dir(previous)
        && staging.symlink_metadata().is_err()
        && std::fs::rename(previous, staging).is_ok()
}

/// Can this system swap two folders in one step?
const SWAP_SUPPORTED: bool = cfg!(any(
    target_os = "linux",
    target_os = "android",
    target_vendor = "apple"
));

/// Swaps the folders `a` and `b` in one step. `false` when the system or
/// file system cannot (nothing changed then).
#[cfg(any(target_os = "linux", target_os = "android", target_vendor = "apple"))]
fn exchange(a: &Path, b: &Path) -> bool {
    use rustix::fs::{CWD, RenameFlags, renameat_with};
    renameat_with(CWD, a, CWD, b, RenameFlags::EXCHANGE).is_ok()
}

#[cfg(not(any(target_os = "linux", target_os = "android", target_vendor = "apple")))]
fn exchange(_a: &Path, _b: &Path) -> bool {
    false
}

impl crate::render::Sink for Stage {
    fn put(&self, file: OutputFile) {
        match self.stage(&file) {
            Ok(r) => self
                .records
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .push(r),
            Err(e) => {
                let mut slot = self.error.lock().unwrap_or_else(|e| e.into_inner());
                if slot.is_none() {
                    *slot = Some(e);
                }
            }
        }
    }
}

impl Drop for Stage {
    /// A build that did not commit leaves no trace.
    fn drop(&mut self) {
        if !self.done {
            let _ = remove_any(&self.staging);
        }
        if let Some(discard) = self.discard.take() {
            let _ = discard.join();
        }
    }
}

/// What a tree set aside to be removed is called after
/// (`.public.signpost-discard-PID`).
const DISCARD: &str = "signpost-discard-";

/// Sets aside `previous` (when given and there) and what killed builds set
/// aside before, and removes them on a thread of their own: deleting tens
/// of thousands of files then overlaps the rendering instead of delaying
/// it. `None` when there is nothing to remove.
fn discard(
    real: &Path,
    previous: Option<&Path>,
) -> Result<Option<std::thread::JoinHandle<()>>, Fatal> {
    let prefix = sibling(real, DISCARD);
    let mut doomed: Vec<PathBuf> = Vec::new();
    if let (Some(parent), Some(prefix)) = (prefix.parent(), prefix.file_name()) {
        let prefix = prefix.to_string_lossy().into_owned();
        if let Ok(entries) = std::fs::read_dir(parent) {
            doomed.extend(
                entries
                    .flatten()
                    .filter(|e| e.file_name().to_string_lossy().starts_with(&prefix))
                    .map(|e| e.path()),
            );
        }
    }
    if let Some(previous) = previous.filter(|p| p.symlink_metadata().is_ok()) {
        let aside = sibling(real, &format!("{DISCARD}{}", std::process::id()));
        if !doomed.contains(&aside) && std::fs::rename(previous, &aside).is_ok() {
            doomed.push(aside);
        } else {
            remove_any(previous).map_err(|e| Fatal::io(previous, e))?;
        }
    }
    if doomed.is_empty() {
        return Ok(None);
    }
    Ok(Some(std::thread::spawn(move || {
        for tree in doomed {
            let _ = remove_any(&tree);
        }
    })))
}

/// Creates `root/dir` (and its parents) once per build.
fn make_dir(root: &Path, dir: &str, made: &Mutex<HashSet<String>>) -> Result<(), Fatal> {
    if made.lock().unwrap_or_else(|e| e.into_inner()).contains(dir) {
        return Ok(());
    }
    let path = root.join(dir);
    std::fs::create_dir_all(&path).map_err(|e| Fatal::io(&path, e))?;
    made.lock()
        .unwrap_or_else(|e| e.into_inner())
        .insert(dir.to_string());
    Ok(())
}

/// Creates `root/dir` and its parents once per build as real folders: in a
/// reused staging folder, a file or symbolic link where a folder must be
/// is removed first, so nothing is ever written through a link.
fn make_real_dir(root: &Path, dir: &str, made: &Mutex<HashSet<String>>) -> Result<(), Fatal> {
    if made.lock().unwrap_or_else(|e| e.into_inner()).contains(dir) {
        return Ok(());
    }
    let mut end = 0;
    while end < dir.len() {
        end = dir[end..].find('/').map_or(dir.len(), |i| end + i);
        let part = &dir[..end];
        end += 1;
        if made
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .contains(part)
        {
            continue;
        }
        let path = root.join(part);
        let is_dir = |p: &Path| p.symlink_metadata().is_ok_and(|m| m.is_dir());
        if !is_dir(&path) {
            // Not a folder: only a file or link is removed (never a folder
            // another thread may just have made and be writing into).
            if let Err(e) = std::fs::remove_file(&path)
                && e.kind() != std::io::ErrorKind::NotFound
                && !is_dir(&path)
            {
                return Err(Fatal::io(&path, e));
            }
            if let Err(e) = std::fs::create_dir(&path) {
                // Another thread may have made it meanwhile.
                if !is_dir(&path) {
                    return Err(Fatal::io(&path, e));
                }
            }
        }
        made.lock()
            .unwrap_or_else(|e| e.into_inner())
            .insert(part.to_string());
    }
    Ok(())
}

/// Moves a staged file into place: a rename, or a copy when the staging
/// folder is on another file system.
fn move_file(from: &Path, to: &Path) -> Result<(), Fatal> {
    if std::fs::rename(from, to).is_ok() {
        return Ok(());
    }
    std::fs::copy(from, to).map_err(|e| Fatal::io(to, e))?;
    let _ = std::fs::remove_file(from);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::Sink;

    /// Writes `files` into `out` as a build does (a [`Stage`] fed from
    /// memory).
    fn write_site(out: &Path, files: &[OutputFile]) -> Result<WriteStats, Fatal> {
        let stage = Stage::begin(out)?;
        for f in files {
            stage.put(f.clone());
        }
        stage.commit()
    }

    #[test]
    fn writes_only_changes_and_removes_stale() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path();
        std::fs::write(out.join("mine.txt"), "not Signpost's").unwrap();
        let a = vec![
            OutputFile::new("a/index.html", "A"),
            OutputFile::new("b/index.html", "B"),
        ];
        let s = write_site(out, &a).unwrap();
        assert_eq!(s.written, 2);
        let s = write_site(out, &a).unwrap();
        assert_eq!((s.written, s.unchanged), (0, 2));
        let b = vec![OutputFile::new("a/index.html", "A2")];
        let s = write_site(out, &b).unwrap();
        assert_eq!((s.written, s.removed), (1, 1));
        assert!(!out.join("b").exists());
        assert_eq!(
            std::fs::read_to_string(out.join("a/index.html")).unwrap(),
            "A2"
        );
        assert!(
            out.join("mine.txt").exists(),
            "files Signpost did not write are kept"
        );
    }

    fn listing(dir: &Path) -> Vec<(String, Vec<u8>)> {
        let mut out: Vec<(String, Vec<u8>)> = walkdir::WalkDir::new(dir)
            .sort_by_file_name()
            .into_iter()
            .flatten()
            .map(|e| {
                let rel = e
                    .path()
                    .strip_prefix(dir)
                    .unwrap()
                    .to_string_lossy()
                    .into_owned();
                let bytes = if e.file_type().is_file() {
                    std::fs::read(e.path()).unwrap()
                } else {
                    Vec::new()
                };
                (rel, bytes)
            })
            .collect();
        out.sort();
        out
    }

    fn staging_beside(out: &Path) -> PathBuf {
        let name = out.file_name().unwrap().to_string_lossy();
        out.with_file_name(format!(".{name}.signpost-staging"))
    }

    #[test]
    fn a_first_build_becomes_the_output_folder_by_one_rename() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        let stage = Stage::begin(&out).unwrap();
        assert!(!out.exists(), "nothing appears before the commit");
        stage.put(OutputFile::new("a/index.html", "A"));
        stage.put(OutputFile::new("index.html", "H"));
        assert!(!out.exists(), "nothing appears before the commit");
        let stats = stage.commit().unwrap();
        assert_eq!(stats.written, 2);
        assert_eq!(
            std::fs::read_to_string(out.join("a/index.html")).unwrap(),
            "A"
        );
        assert!(out.join(MANIFEST).is_file());
        assert!(!staging_beside(&out).exists());
    }

    #[test]
    fn a_build_that_does_not_commit_leaves_the_output_as_it_was() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        write_site(&out, &[OutputFile::new("a/index.html", "A")]).unwrap();
        let before = listing(&out);
        let modified = std::fs::metadata(&out).unwrap().modified().unwrap();
        {
            let stage = Stage::begin(&out).unwrap();
            stage.put(OutputFile::new("a/index.html", "changed"));
            stage.put(OutputFile::new("b/index.html", "new"));
            assert!(staging_beside(&out).join("b/index.html").is_file());
            // Dropped without commit: the build failed.
        }
        assert_eq!(listing(&out), before);
        assert_eq!(
            std::fs::metadata(&out).unwrap().modified().unwrap(),
            modified
        );
        assert!(!staging_beside(&out).exists());
    }

    #[test]
    fn a_staging_folder_left_by_a_stopped_build_is_cleared() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        write_site(&out, &[OutputFile::new("a/index.html", "A")]).unwrap();
        let left = staging_beside(&out);
        std::fs::create_dir_all(left.join("junk")).unwrap();
        std::fs::write(left.join("junk/index.html"), "half written").unwrap();
        let stats = write_site(&out, &[OutputFile::new("a/index.html", "A2")]).unwrap();
        assert_eq!((stats.written, stats.unchanged), (1, 0));
        assert!(!out.join("junk").exists());
        assert!(!left.exists());
    }

    #[cfg(unix)]
    #[test]
    fn the_site_before_is_the_next_staging_base_and_never_written_through() {
        use std::os::unix::fs::MetadataExt;
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        let previous = sibling(&out, PREVIOUS);
        let ino = |p: &Path| std::fs::metadata(p).unwrap().ino();
        write_site(
            &out,
            &[
                OutputFile::new("a/index.html", "A"),
                OutputFile::new("b/index.html", "B"),
            ],
        )
        .unwrap();
        let b_inode = ino(&out.join("b/index.html"));
        // Second build: `a` changes, `b` is hard-linked from the live site.
        write_site(
            &out,
            &[
                OutputFile::new("a/index.html", "A2"),
                OutputFile::new("b/index.html", "B"),
            ],
        )
        .unwrap();
        assert_eq!(
            ino(&out.join("b/index.html")),
            b_inode,
            "unchanged file kept"
        );
        assert!(
            previous.is_dir(),
            "the site before is kept beside the output"
        );
        assert_eq!(
            ino(&previous.join("b/index.html")),
            b_inode,
            "the site before shares the unchanged file"
        );
        // Third build: `b` changes. The staging folder is the site before,
        // whose `b` is the live file: staging must not write through it.
        let stage = Stage::begin(&out).unwrap();
        assert!(
            !previous.exists(),
            "the site before became the staging folder"
        );
        stage.put(OutputFile::new("a/index.html", "A2"));
        stage.put(OutputFile::new("b/index.html", "B3"));
        stage.put(OutputFile::new("c/index.html", "C"));
        assert_eq!(
            std::fs::read_to_string(out.join("b/index.html")).unwrap(),
            "B",
            "the live site is untouched until the switch"
        );
        let stats = stage.commit().unwrap();
        assert_eq!((stats.written, stats.unchanged), (2, 1));
        assert_eq!(
            std::fs::read_to_string(out.join("b/index.html")).unwrap(),
            "B3"
        );
        assert_eq!(
            std::fs::read_to_string(previous.join("b/index.html")).unwrap(),
            "B"
        );
        // Fourth build drops `c`: it is pruned from the reused staging folder.
        write_site(
            &out,
            &[
                OutputFile::new("a/index.html", "A2"),
                OutputFile::new("b/index.html", "B3"),
            ],
        )
        .unwrap();
        assert!(
            !out.join("c").exists(),
            "a page the site no longer has is gone"
        );
        let names: Vec<_> = listing(&out).into_iter().map(|(p, _)| p).collect();
        assert_eq!(
            names,
            [
                "",
                ".signpost-manifest",
                "a",
                "a/index.html",
                "b",
                "b/index.html"
            ]
        );
    }

    #[test]
    fn trees_of_no_more_use_beside_a_deleted_output_are_removed() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        write_site(&out, &[OutputFile::new("a/index.html", "A")]).unwrap();
        write_site(&out, &[OutputFile::new("a/index.html", "A2")]).unwrap();
        assert!(sibling(&out, PREVIOUS).is_dir());
        // The site owner deletes the output folder; a killed build had set
        // a tree aside.
        std::fs::remove_dir_all(&out).unwrap();
        let left = sibling(&out, &format!("{DISCARD}999999"));
        std::fs::create_dir_all(left.join("x")).unwrap();
        std::fs::write(left.join("x/index.html"), "old").unwrap();
        write_site(&out, &[OutputFile::new("a/index.html", "A3")]).unwrap();
        let beside: Vec<String> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        assert_eq!(beside, ["public"], "nothing of Signpost's is left beside");
        assert_eq!(
            std::fs::read_to_string(out.join("a/index.html")).unwrap(),
            "A3"
        );
    }

    #[test]
    fn refuses_paths_outside_the_output_folder() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        let stage = Stage::begin(&out).unwrap();
        stage.put(OutputFile::new("../escape.html", "x"));
        assert!(stage.commit().is_err());
        assert!(!dir.path().join("escape.html").exists());
        assert!(!out.exists());
    }
}
