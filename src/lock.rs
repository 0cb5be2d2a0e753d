//! One build at a time per output folder.
//!
//! A build holds an exclusive lock on a small file beside the output folder
//! (`.NAME.signpost-lock`, or `.signpost-lock` inside it when its parent
//! cannot be written to) from before it stages anything until its staging
//! folder is gone. The lock is the operating system's file lock
//! (`flock` on Unix, `LockFileEx` on Windows), so it is released the moment
//! its holder dies, however it dies: a lock file left by a killed build is
//! recognised (nobody holds its lock; its process is no longer running) and
//! taken over. The file's text says who holds it (process id, host, start
//! time) so that a second build can name the first.

use std::fs::File;
use std::io::{Read, Seek, Write};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use crate::diagnostics::Fatal;

/// Called once with a description of the build being waited for.
pub type Notify = std::sync::Arc<dyn Fn(&str) + Send + Sync>;

/// What a build does when another holds the lock.
#[derive(Clone)]
pub struct Wait {
    /// How long to wait for the other build to finish; zero refuses at once.
    pub up_to: Duration,
    /// Told once who is being waited for (the holder's description).
    pub notify: Option<Notify>,
}

impl std::fmt::Debug for Wait {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Wait")
            .field("up_to", &self.up_to)
            .finish_non_exhaustive()
    }
}

impl Default for Wait {
    fn default() -> Self {
        Wait {
            up_to: Duration::from_secs(DEFAULT_WAIT_SECONDS),
            notify: None,
        }
    }
}

/// How long `signpost build` waits for another build of the same output
/// folder unless told otherwise (`--wait`).
pub const DEFAULT_WAIT_SECONDS: u64 = 120;

/// A held lock; released when dropped.
#[derive(Debug)]
pub struct OutputLock {
    file: File,
    path: PathBuf,
    /// What the previous holder left, when it died holding the lock.
    pub took_over: Option<String>,
}

/// The lock file's path for the output folder `out` (resolved): beside
/// it, or inside it when its parent cannot be written to.
pub fn lock_path(out: &Path) -> PathBuf {
    match beside(out) {
        Some(p) if p.exists() || !out.join(INSIDE).exists() => p,
        _ => out.join(INSIDE),
    }
}

const INSIDE: &str = ".signpost-lock";

/// `.NAME.signpost-lock` in the output folder's parent.
fn beside(out: &Path) -> Option<PathBuf> {
    let name = out.file_name()?;
    let parent = match out.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    let mut n = std::ffi::OsString::from(".");
    n.push(name);
    n.push(".signpost-lock");
    Some(parent.join(n))
}

/// Opens (creating) the lock file: beside the output folder, else inside.
fn open(out: &Path) -> Result<(File, PathBuf), Fatal> {
    let opts = {
        let mut o = File::options();
        o.read(true).write(true).create(true).truncate(false);
        o
    };
    let first = match beside(out) {
        Some(p) => match opts.open(&p) {
            Ok(f) => return Ok((f, p)),
            Err(e) => Some(Fatal::io(&p, e)),
        },
        None => None,
    };
    let inside = out.join(INSIDE);
    match opts.open(&inside) {
        Ok(f) => Ok((f, inside)),
        Err(e) => Err(first.unwrap_or_else(|| Fatal::io(&inside, e))),
    }
}

impl OutputLock {
    /// Takes the lock of the output folder `out`, waiting as `wait` says
    /// while another build holds it.
    pub fn acquire(out: &Path, wait: &Wait) -> Result<OutputLock, Fatal> {
        let start = Instant::now();
        let mut told = false;
        loop {
            let (mut file, path) = open(out)?;
            match file.try_lock() {
                Ok(()) => {
                    if !still_there(&file, &path) {
                        // Released and removed by its last holder between
                        // our open and our lock: try the new file.
                        continue;
                    }
                    let mut left = String::new();
                    let _ = file.read_to_string(&mut left);
                    let took_over = (!left.trim().is_empty()).then(|| describe(&left));
                    file.set_len(0).map_err(|e| Fatal::io(&path, e))?;
                    file.rewind().map_err(|e| Fatal::io(&path, e))?;
                    let me = format!(
                        "pid {}\nhost {}\nstarted {}\n",
                        std::process::id(),
                        host(),
                        jiff::Timestamp::now()
                            .round(jiff::Unit::Second)
                            .unwrap_or(jiff::Timestamp::now())
                    );
                    file.write_all(me.as_bytes())
                        .and_then(|_| file.flush())
                        .map_err(|e| Fatal::io(&path, e))?;
                    if let (Some(left), Some(n)) = (&took_over, &wait.notify) {
                        n(&format!(
                            "The last build of {} ({left}) stopped before it finished; clearing what it left",
                            out.display()
                        ));
                    }
                    crate::fault::point("locked");
                    return Ok(OutputLock {
                        file,
                        path,
                        took_over,
                    });
                }
                Err(std::fs::TryLockError::WouldBlock) => {
                    let mut holder = String::new();
                    let _ = file.read_to_string(&mut holder);
                    let who = describe(&holder);
                    if start.elapsed() >= wait.up_to {
                        return Err(Fatal::Usage(format!(
                            "another Signpost build is writing to {} ({who}); nothing was changed. Run the build again when it has finished{}",
                            out.display(),
                            if wait.up_to.is_zero() {
                                ", or leave out --wait 0 to wait for it"
                            } else {
                                ""
                            }
                        )));
                    }
                    if !told {
                        told = true;
                        if let Some(n) = &wait.notify {
                            n(&format!(
                                "Waiting for another Signpost build to finish writing to {} ({who}); waiting up to {} s (--wait sets how long)",
                                out.display(),
                                wait.up_to.as_secs()
                            ));
                        }
                    }
                    drop(file);
                    std::thread::sleep(Duration::from_millis(100));
                }
                Err(std::fs::TryLockError::Error(e)) => return Err(Fatal::io(&path, e)),
            }
        }
    }
}

impl Drop for OutputLock {
    fn drop(&mut self) {
        // Remove the file while still holding its lock; a build that opened
        // it meanwhile sees it is gone (`still_there`) and opens a new one.
        #[cfg(unix)]
        let _ = std::fs::remove_file(&self.path);
        #[cfg(not(unix))]
        let _ = self.file.set_len(0);
        let _ = self.file.unlock();
    }
}

/// Is `file` (just locked) still the file at `path`?
#[cfg(unix)]
fn still_there(file: &File, path: &Path) -> bool {
    use std::os::unix::fs::MetadataExt;
    match (file.metadata(), std::fs::metadata(path)) {
        (Ok(a), Ok(b)) => a.dev() == b.dev() && a.ino() == b.ino(),
        _ => false,
    }
}

#[cfg(not(unix))]
fn still_there(_file: &File, path: &Path) -> bool {
    path.exists()
}

/// The holder's description in plain words, from the lock file's text.
fn describe(text: &str) -> String {
    let field = |k: &str| {
        text.lines()
            .find_map(|l| l.strip_prefix(k).map(|v| v.trim().to_string()))
    };
    match field("pid ") {
        Some(pid) => {
            let mut s = format!("process {pid}");
            if let Some(h) = field("host ") {
                s.push_str(&format!(" on {h}"));
            }
            if let Some(t) = field("started ") {
                s.push_str(&format!(", started {t}"));
            }
            s
        }
        None => "a process that is just starting".to_string(),
    }
}

/// This machine's name, for the lock file (best effort).
fn host() -> String {
    std::fs::read_to_string("/proc/sys/kernel/hostname")
        .or_else(|_| std::fs::read_to_string("/etc/hostname"))
        .ok()
        .map(|h| h.trim().to_string())
        .filter(|h| !h.is_empty())
        .or_else(|| std::env::var("COMPUTERNAME").ok())
        .or_else(|| std::env::var("HOSTNAME").ok())
        .unwrap_or_else(|| "this computer".to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_second_holder_is_refused_naming_the_first() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        let first = OutputLock::acquire(&out, &Wait::default()).unwrap();
        assert!(first.took_over.is_none());
        let refuse = Wait {
            up_to: Duration::ZERO,
            notify: None,
        };
        let e = OutputLock::acquire(&out, &refuse).unwrap_err().to_string();
        assert!(
            e.contains(&format!("process {}", std::process::id())),
            "{e}"
        );
        drop(first);
        assert!(!lock_path(&out).exists(), "the lock file is removed");
        OutputLock::acquire(&out, &refuse).unwrap();
    }

    #[test]
    fn a_lock_file_nobody_holds_is_taken_over() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        std::fs::write(
            lock_path(&out),
            "pid 999999\nhost elsewhere\nstarted 2026-01-01T00:00:00Z\n",
        )
        .unwrap();
        let l = OutputLock::acquire(&out, &Wait::default()).unwrap();
        assert_eq!(
            l.took_over.as_deref(),
            Some("process 999999 on elsewhere, started 2026-01-01T00:00:00Z")
        );
    }

    #[test]
    fn a_waiting_build_gets_the_lock_when_the_first_ends() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        let first = OutputLock::acquire(&out, &Wait::default()).unwrap();
        let told = std::sync::Arc::new(std::sync::Mutex::new(Vec::<String>::new()));
        let t = told.clone();
        let wait = Wait {
            up_to: Duration::from_secs(30),
            notify: Some(std::sync::Arc::new(move |m: &str| {
                t.lock().unwrap().push(m.to_string())
            })),
        };
        let o = out.clone();
        let second = std::thread::spawn(move || OutputLock::acquire(&o, &wait).map(|_| ()));
        std::thread::sleep(Duration::from_millis(300));
        drop(first);
        second.join().unwrap().unwrap();
        let told = told.lock().unwrap();
        assert_eq!(told.len(), 1);
        assert!(told[0].starts_with("Waiting for another Signpost build"));
    }
}
