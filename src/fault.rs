//! Fault injection for the fault tests (`tests/faults.rs`), compiled in only
//! with the `fault-injection` feature; without it every call is empty.
//!
//! `SIGNPOST_FAULT=POINT:N:ACTION` acts at the N-th time the build passes
//! the named point: `kill` (SIGKILL itself, as a power cut or an
//! out-of-memory kill would), `sleepMS` (pause, to hold the lock while
//! another build starts) or `enospc` (the write at that point fails as on
//! a full disk; write points only).

/// Passes the named point.
#[inline]
pub fn point(name: &str) {
    #[cfg(feature = "fault-injection")]
    imp::point(name, false);
    #[cfg(not(feature = "fault-injection"))]
    let _ = name;
}

/// Passes the named point before a write: an error to return instead of
/// writing, when the fault asks for one.
#[inline]
pub fn write_point(name: &str) -> Option<std::io::Error> {
    #[cfg(feature = "fault-injection")]
    return imp::point(name, true);
    #[cfg(not(feature = "fault-injection"))]
    {
        let _ = name;
        None
    }
}

#[cfg(feature = "fault-injection")]
mod imp {
    use std::sync::OnceLock;
    use std::sync::atomic::{AtomicU64, Ordering};

    struct Fault {
        point: String,
        n: u64,
        action: String,
        seen: AtomicU64,
    }

    fn fault() -> Option<&'static Fault> {
        static F: OnceLock<Option<Fault>> = OnceLock::new();
        F.get_or_init(|| {
            let v = std::env::var("SIGNPOST_FAULT").ok()?;
            let mut parts = v.splitn(3, ':');
            Some(Fault {
                point: parts.next()?.to_string(),
                n: parts.next()?.parse().ok()?,
                action: parts.next().unwrap_or("kill").to_string(),
                seen: AtomicU64::new(0),
            })
        })
        .as_ref()
    }

    pub fn point(name: &str, write: bool) -> Option<std::io::Error> {
        let f = fault()?;
        if f.point != name || f.seen.fetch_add(1, Ordering::SeqCst) + 1 != f.n {
            return None;
        }
        if f.action == "kill" {
            let _ = rustix::process::kill_process(
                rustix::process::getpid(),
                rustix::process::Signal::KILL,
            );
            // The signal is delivered at once; never go on.
            loop {
                std::thread::park();
            }
        }
        if let Some(ms) = f.action.strip_prefix("sleep") {
            std::thread::sleep(std::time::Duration::from_millis(ms.parse().unwrap_or(1000)));
        }
        (write && f.action == "enospc").then(|| std::io::Error::from_raw_os_error(28))
    }
}
