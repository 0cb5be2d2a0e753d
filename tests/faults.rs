//! Faults during a build: a kill at many points (SIGKILL, as a power cut or
//! an out-of-memory kill), two builds at once, a full disk. After each, the
//! output folder must be entirely the old site or entirely the new one,
//! nothing left may confuse the next build, and the next build succeeds.
//!
//! Kills at named points need the fault points compiled in:
//! `cargo test --features fault-injection --test faults`. Kills at timed
//! offsets run without it.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Duration;

const BIN: &str = env!("CARGO_BIN_EXE_signpost");

/// A site of `PAGES` pages whose title (on every page) is `title`.
fn site(dir: &Path, title: &str) {
    std::fs::create_dir_all(dir.join("content/topics")).expect("mkdir");
    std::fs::write(
        dir.join("site.yaml"),
        format!("title: {title}\nbase_url: /\ndefault_language: en\nlanguages:\n  - {{ code: en, name: English }}\n"),
    )
    .expect("write");
    std::fs::write(
        dir.join("content/_index.md"),
        "---\ntitle: Home\nsummary: The home page.\nupdated: 2026-12-03\nreview_by: 2027-12-03\n---\nWelcome.\n",
    )
    .expect("write");
    for i in 0..PAGES {
        std::fs::write(
            dir.join(format!("content/topics/topic-{i}.md")),
            format!("---\ntitle: Topic {i}\nsummary: About topic {i}.\nupdated: 2026-12-03\nreview_by: 2027-12-03\n---\nText about topic {i}.\n"),
        )
        .expect("write");
    }
}

const PAGES: usize = 60;

/// Every file under `dir` with its hash (folders too, as empty).
fn hashes(dir: &Path) -> BTreeMap<String, String> {
    walkdir::WalkDir::new(dir)
        .min_depth(1)
        .sort_by_file_name()
        .into_iter()
        .map(|e| {
            let e = e.expect("walk");
            let rel = e
                .path()
                .strip_prefix(dir)
                .expect("inside")
                .to_string_lossy()
                .into_owned();
            let h = if e.file_type().is_file() {
                blake3::hash(&std::fs::read(e.path()).expect("read"))
                    .to_hex()
                    .to_string()
            } else {
                String::new()
            };
            (rel, h)
        })
        .collect()
}

fn build(root: &Path, out: &Path, fault: Option<&str>) -> std::process::Output {
    let mut c = Command::new(BIN);
    c.args(["build", "--quiet", "--root"])
        .arg(root)
        .arg("--output")
        .arg(out);
    c.env_remove("SIGNPOST_FAULT");
    if let Some(f) = fault {
        c.env("SIGNPOST_FAULT", f);
    }
    c.stdin(Stdio::null()).output().expect("run signpost")
}

/// What is beside `out` in its parent, other than `out` itself.
fn left_beside(out: &Path) -> Vec<String> {
    let name = out
        .file_name()
        .expect("name")
        .to_string_lossy()
        .into_owned();
    let mut v: Vec<String> = std::fs::read_dir(out.parent().expect("parent"))
        .expect("read_dir")
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        // The site before the last switch, kept for the next build to start
        // from, and the PDF cache are Signpost's own, kept on purpose: not
        // leftovers of a killed build.
        .filter(|n| {
            n.contains(&name)
                && *n != name
                && *n != format!(".{name}.signpost-previous")
                && *n != format!(".{name}.print-cache")
        })
        .collect();
    v.sort();
    v
}

struct Fixture {
    _tmp: tempfile::TempDir,
    roots: [PathBuf; 2],
    sites: [BTreeMap<String, String>; 2],
    out: PathBuf,
    /// Files that differ between the versions (the kill points of the
    /// fault-injection tests are spread over them).
    #[cfg_attr(not(feature = "fault-injection"), allow(dead_code))]
    changed: usize,
}

/// Two versions of a site (every page differs) with their known hashes, and
/// an output folder holding version 0 and a file Signpost did not write.
fn fixture() -> Fixture {
    let tmp = tempfile::tempdir().expect("tmp");
    let roots = [tmp.path().join("old"), tmp.path().join("new")];
    site(&roots[0], "Care and support");
    site(&roots[1], "Care and support in Wiltshire");
    let out = tmp.path().join("www").join("public");
    let mut sites = [BTreeMap::new(), BTreeMap::new()];
    for v in 0..2 {
        let r = build(&roots[v], &out, None);
        assert!(r.status.success(), "{}", String::from_utf8_lossy(&r.stderr));
        std::fs::write(out.join("robots-extra.txt"), "not Signpost's").expect("write");
        sites[v] = hashes(&out);
    }
    let r = build(&roots[0], &out, None);
    assert!(r.status.success());
    assert_eq!(hashes(&out), sites[0]);
    let changed = sites[0]
        .iter()
        .filter(|(k, h)| sites[1].get(*k) != Some(h))
        .count();
    assert!(changed > PAGES, "the change touches every page ({changed})");
    Fixture {
        _tmp: tmp,
        roots,
        sites,
        out,
        changed,
    }
}

/// The output is exactly one version: which.
fn whole(f: &Fixture) -> Option<usize> {
    let now = hashes(&f.out);
    (0..2).find(|v| now == f.sites[*v])
}

/// Kills a build of version `to` with `fault` (or after `after`), checks
/// the output is whole, then rebuilds `to`: returns the version seen.
fn kill_and_recover(
    f: &Fixture,
    to: usize,
    fault: Option<&str>,
    after: Option<Duration>,
) -> Option<usize> {
    let seen = match after {
        Some(d) => {
            let mut child = Command::new(BIN)
                .args(["build", "--quiet", "--root"])
                .arg(&f.roots[to])
                .arg("--output")
                .arg(&f.out)
                .env_remove("SIGNPOST_FAULT")
                .stderr(Stdio::null())
                .spawn()
                .expect("spawn");
            std::thread::sleep(d);
            let _ = child.kill();
            let _ = child.wait();
            whole(f)
        }
        None => {
            let r = build(&f.roots[to], &f.out, fault);
            assert!(!r.status.success(), "{fault:?} did not stop the build");
            whole(f)
        }
    };
    let r = build(&f.roots[to], &f.out, None);
    assert!(
        r.status.success(),
        "the next build fails: {}",
        String::from_utf8_lossy(&r.stderr)
    );
    assert_eq!(whole(f), Some(to), "the next build is whole");
    assert!(
        left_beside(&f.out).is_empty(),
        "left: {:?}",
        left_beside(&f.out)
    );
    seen
}

#[test]
fn a_build_killed_at_random_moments_leaves_a_whole_site() {
    let f = fixture();
    // How long a whole build takes here, to spread the kills over it.
    let t = std::time::Instant::now();
    assert!(build(&f.roots[1], &f.out, None).status.success());
    assert!(build(&f.roots[0], &f.out, None).status.success());
    let full = t.elapsed() / 2;
    let (mut tried, mut mixed, mut to) = (0, 0, 1);
    let mut seed: u64 = 0x9e37_79b9_7f4a_7c15;
    for _ in 0..12 {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        let at = full.mul_f64((seed % 1000) as f64 / 1000.0 * 1.1);
        tried += 1;
        if kill_and_recover(&f, to, None, Some(at)).is_none() {
            mixed += 1;
        }
        to = 1 - to;
    }
    eprintln!("timed kills: {tried} tried over {full:?}, {mixed} mixed sites seen");
    assert_eq!(mixed, 0);
}

#[cfg(feature = "fault-injection")]
#[test]
fn a_build_killed_at_each_phase_leaves_a_whole_site() {
    let f = fixture();
    let files = f.changed;
    let mut points: Vec<String> = vec!["locked:1:kill".into()];
    for n in [1, files / 4, files / 2, files.saturating_sub(2)] {
        points.push(format!("staged:{n}:kill"));
    }
    points.push("foreign:1:kill".into());
    points.push("switch:1:kill".into());
    points.push("switched:1:kill".into());
    points.push("cleanup:1:kill".into());
    let (mut to, mut mixed) = (1, 0);
    let mut seen = BTreeMap::new();
    for p in &points {
        match kill_and_recover(&f, to, Some(p), None) {
            None => mixed += 1,
            Some(v) => {
                *seen
                    .entry(format!("{p} -> {}", if v == to { "new" } else { "old" }))
                    .or_insert(0) += 1
            }
        }
        to = 1 - to;
    }
    eprintln!(
        "phase kills: {} tried, {mixed} mixed sites seen: {seen:?}",
        points.len()
    );
    assert_eq!(mixed, 0);
}

#[cfg(feature = "fault-injection")]
#[test]
fn two_builds_at_once_one_waits_or_refuses_naming_the_other() {
    let f = fixture();
    let first = Command::new(BIN)
        .args(["build", "--quiet", "--root"])
        .arg(&f.roots[1])
        .arg("--output")
        .arg(&f.out)
        .env("SIGNPOST_FAULT", "switch:1:sleep2000")
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn");
    std::thread::sleep(Duration::from_millis(700));
    let refused = Command::new(BIN)
        .args(["build", "--wait", "0", "--root"])
        .arg(&f.roots[0])
        .arg("--output")
        .arg(&f.out)
        .env_remove("SIGNPOST_FAULT")
        .output()
        .expect("run");
    let msg = String::from_utf8_lossy(&refused.stderr);
    assert_eq!(refused.status.code(), Some(2), "{msg}");
    assert!(msg.contains(&format!("process {}", first.id())), "{msg}");
    let waited = Command::new(BIN)
        .args(["build", "--wait", "60", "--root"])
        .arg(&f.roots[0])
        .arg("--output")
        .arg(&f.out)
        .env_remove("SIGNPOST_FAULT")
        .output()
        .expect("run");
    let msg = String::from_utf8_lossy(&waited.stderr);
    assert!(waited.status.success(), "{msg}");
    assert!(msg.contains("Waiting for another Signpost build"), "{msg}");
    assert!(msg.contains(&format!("process {}", first.id())), "{msg}");
    let first = first.wait_with_output().expect("wait");
    assert!(first.status.success());
    assert_eq!(whole(&f), Some(0), "the second build ran after the first");
    assert!(left_beside(&f.out).is_empty());
}

#[cfg(feature = "fault-injection")]
#[test]
fn a_full_disk_leaves_the_site_untouched() {
    let f = fixture();
    let r = build(&f.roots[1], &f.out, Some("write:10:enospc"));
    let msg = String::from_utf8_lossy(&r.stderr);
    assert_eq!(r.status.code(), Some(2), "{msg}");
    assert!(msg.contains("No space left on device"), "{msg}");
    assert_eq!(whole(&f), Some(0));
    assert!(left_beside(&f.out).is_empty(), "{:?}", left_beside(&f.out));
}
