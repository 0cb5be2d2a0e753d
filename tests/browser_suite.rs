//! Browser checks of the built example site: axe-core accessibility rules, reflow
//! at 320 CSS px, 200% text, large-print font sizes, the page's own CSP, the Nu
//! HTML Checker, A4/A5 printing of easy-read booklets, and the site's search
//! (tests/browser/search.mjs), and reading on a phone (tests/browser/phone.mjs).
//!
//! The checks themselves live in `tests/browser/` (Node + playwright-core driving
//! Debian's Chromium). They need `node`, `java`, `/usr/bin/chromium` and
//! `tests/browser/node_modules`; `scripts/test` installs all of them. When any is
//! missing these tests FAIL and say so: they never pass without running.
//! Set `SIGNPOST_SKIP_BROWSER=1` to skip them on purpose.
//!
//! Run alone, with the harness's report printed as it ends:
//! `cargo test --test browser_suite -- --nocapture`

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitStatus, Stdio};
use std::thread;
use std::time::{Duration, Instant};

const SKIP_VAR: &str = "SIGNPOST_SKIP_BROWSER";

fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// True (after saying so) when the developer asked to skip the browser tests.
fn skipped(test: &str) -> bool {
    if std::env::var(SKIP_VAR).as_deref() == Ok("1") {
        println!("{test}: skipped because {SKIP_VAR}=1");
        true
    } else {
        false
    }
}

fn command_works(program: &str, arg: &str) -> bool {
    Command::new(program)
        .arg(arg)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .map(|s| s.success())
        .unwrap_or(false)
}

/// Fails the test, naming what is missing, unless the browser toolchain is there.
fn require_browser_toolchain(root: &Path) {
    let mut missing = Vec::new();
    let modules = root.join("tests/browser/node_modules");
    for package in ["playwright-core", "axe-core", "vnu-jar"] {
        if !modules.join(package).join("package.json").is_file() {
            missing.push(format!("{} (npm package)", modules.join(package).display()));
        }
    }
    let chromium =
        std::env::var("SIGNPOST_CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".into());
    if !Path::new(&chromium).exists() {
        missing.push(format!("{chromium} (Debian package chromium)"));
    }
    if !command_works("node", "--version") {
        missing.push("node (Node.js on PATH)".into());
    }
    if !command_works("java", "-version") {
        missing.push("java (Debian package default-jre-headless)".into());
    }
    assert!(
        missing.is_empty(),
        "the browser test suite cannot run; missing:\n  - {}\n\
         Run `scripts/test` from the repository root: it installs all of these and runs every test.\n\
         (To skip the browser tests on purpose, set {SKIP_VAR}=1.)",
        missing.join("\n  - ")
    );
}

struct Outcome {
    status: Option<ExitStatus>,
    stdout: String,
    stderr: String,
    elapsed: Duration,
}

impl Outcome {
    fn success(&self) -> bool {
        self.status.is_some_and(|s| s.success())
    }

    fn describe_status(&self) -> String {
        match self.status {
            Some(s) => s.to_string(),
            None => format!("killed after {}s (time limit)", self.elapsed.as_secs()),
        }
    }

    /// The last non-empty line of stdout, e.g. "12 passed, 0 failed".
    fn last_line(&self) -> &str {
        self.stdout
            .lines()
            .rev()
            .find(|l| !l.trim().is_empty())
            .unwrap_or("")
    }

    /// The harness's closing `N passed, M failed` line, parsed.
    fn summary(&self) -> Option<(u64, u64)> {
        let (passed, failed) = self.last_line().trim().split_once(", ")?;
        let passed = passed.strip_suffix(" passed")?.parse().ok()?;
        let failed = failed.strip_suffix(" failed")?.parse().ok()?;
        Some((passed, failed))
    }

    /// Exit 0 *and* a closing line saying nothing failed: a script that exits
    /// 0 without running its checks does not count as a pass.
    fn passed(&self) -> bool {
        self.success() && matches!(self.summary(), Some((_, 0)))
    }

    fn print(&self, label: &str) {
        println!(
            "===== {label}: {} in {:.0}s =====",
            self.describe_status(),
            self.elapsed.as_secs_f64()
        );
        if !self.stdout.is_empty() {
            println!("{}", self.stdout.trim_end());
        }
        if !self.stderr.is_empty() {
            println!("----- {label}: stderr -----\n{}", self.stderr.trim_end());
        }
    }
}

fn read_all(mut from: impl Read + Send + 'static) -> thread::JoinHandle<String> {
    thread::spawn(move || {
        let mut bytes = Vec::new();
        let _ = from.read_to_end(&mut bytes);
        String::from_utf8_lossy(&bytes).into_owned()
    })
}

/// Runs `cmd` to the end, or kills it after `limit`; collects its output.
fn run(cmd: &mut Command, limit: Duration) -> Outcome {
    let started = Instant::now();
    let mut child = cmd
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("could not start {cmd:?}: {e}"));
    let out = read_all(child.stdout.take().expect("piped stdout"));
    let err = read_all(child.stderr.take().expect("piped stderr"));
    let status = loop {
        match child.try_wait() {
            Ok(Some(status)) => break Some(status),
            Ok(None) if started.elapsed() > limit => {
                let _ = child.kill();
                let _ = child.wait();
                break None;
            }
            Ok(None) => thread::sleep(Duration::from_millis(100)),
            Err(e) => panic!("waiting for {cmd:?}: {e}"),
        }
    };
    Outcome {
        status,
        stdout: out.join().unwrap_or_default(),
        stderr: err.join().unwrap_or_default(),
        elapsed: started.elapsed(),
    }
}

fn node(root: &Path, script: &str, args: &[&Path]) -> Command {
    let mut cmd = Command::new("node");
    cmd.current_dir(root)
        .arg(format!("tests/browser/{script}"))
        .args(args);
    cmd
}

/// The harness itself: it must catch each deliberate fault in
/// tests/browser/selftest/ and pass the clean pages there.
#[test]
fn browser_harness_catches_known_faults() {
    if skipped("browser_harness_catches_known_faults") {
        return;
    }
    let root = repo_root();
    require_browser_toolchain(&root);
    let outcome = run(
        &mut node(&root, "selftest.mjs", &[]),
        Duration::from_secs(10 * 60),
    );
    outcome.print("node tests/browser/selftest.mjs");
    assert!(
        outcome.passed(),
        "the browser harness self-test failed ({}): {}",
        outcome.describe_status(),
        outcome.last_line()
    );
}

/// Builds the example site and runs every browser check over it.
#[test]
fn built_site_passes_browser_suite() {
    if skipped("built_site_passes_browser_suite") {
        return;
    }
    let root = repo_root();
    require_browser_toolchain(&root);

    let tmp = tempfile::tempdir().expect("create a temporary folder");
    let site = tmp.path().join("public");
    let build = run(
        Command::new(env!("CARGO_BIN_EXE_signpost"))
            .current_dir(&root)
            .arg("build")
            .arg("--root")
            .arg(&root)
            .arg("--output")
            .arg(&site)
            .arg("--quiet"),
        Duration::from_secs(15 * 60),
    );
    build.print("signpost build");
    assert!(
        build.success(),
        "`signpost build --root {} --output {} --quiet` failed ({}):\n{}",
        root.display(),
        site.display(),
        build.describe_status(),
        build.stderr.trim_end()
    );
    assert!(
        site.join("index.html").is_file(),
        "the build wrote no {}",
        site.join("index.html").display()
    );

    // Both checks run whatever the first one says, so one run reports everything.
    let pages = run(
        &mut node(&root, "run.mjs", &[&site]),
        Duration::from_secs(40 * 60),
    );
    pages.print("node tests/browser/run.mjs");
    let booklets = run(
        &mut node(&root, "booklets.mjs", &[&site]),
        Duration::from_secs(15 * 60),
    );
    booklets.print("node tests/browser/booklets.mjs");
    let search = run(
        &mut node(&root, "search.mjs", &[&site]),
        Duration::from_secs(10 * 60),
    );
    search.print("node tests/browser/search.mjs");
    let phone = run(
        &mut node(&root, "phone.mjs", &[&site]),
        Duration::from_secs(15 * 60),
    );
    phone.print("node tests/browser/phone.mjs");

    let mut problems = Vec::new();
    if !pages.passed() {
        problems.push(format!(
            "tests/browser/run.mjs (accessibility, reflow, HTML validity) {}: {}",
            pages.describe_status(),
            pages.last_line()
        ));
    }
    if !booklets.passed() {
        problems.push(format!(
            "tests/browser/booklets.mjs (printed easy-read booklets) {}: {}",
            booklets.describe_status(),
            booklets.last_line()
        ));
    }
    if !search.passed() {
        problems.push(format!(
            "tests/browser/search.mjs (search with the keyboard, axe, A to Z without JavaScript) {}: {}",
            search.describe_status(),
            search.last_line()
        ));
    }
    if !phone.passed() {
        problems.push(format!(
            "tests/browser/phone.mjs (headings, reflow and easy-read columns at 320px and 200% text) {}: {}",
            phone.describe_status(),
            phone.last_line()
        ));
    }
    assert!(
        problems.is_empty(),
        "the built site failed the browser suite (report above):\n  {}\n\
         Re-run one part with e.g. `cargo run -- build --output /tmp/site && \
         node tests/browser/run.mjs /tmp/site --filter /some/path/`",
        problems.join("\n  ")
    );
}

/// The offline copy (`signpost offline`), opened from its folder (file://)
/// in Chromium: styles, pictures, links between files, languages and
/// formats, and the search (tests/browser/offline.mjs).
#[test]
fn offline_copy_works_from_a_folder() {
    if skipped("offline_copy_works_from_a_folder") {
        return;
    }
    let root = repo_root();
    require_browser_toolchain(&root);
    let tmp = tempfile::tempdir().expect("create a temporary folder");
    let copy = tmp.path().join("offline");
    let made = run(
        Command::new(env!("CARGO_BIN_EXE_signpost"))
            .current_dir(&root)
            .arg("offline")
            .arg("--root")
            .arg(&root)
            .arg("--output")
            .arg(&copy),
        Duration::from_secs(15 * 60),
    );
    made.print("signpost offline");
    assert!(
        made.success(),
        "`signpost offline` failed:\n{}",
        made.stderr.trim_end()
    );
    let checked = run(
        &mut node(&root, "offline.mjs", &[&copy]),
        Duration::from_secs(10 * 60),
    );
    checked.print("node tests/browser/offline.mjs");
    assert!(
        checked.passed(),
        "the offline copy failed in the browser: {}",
        checked.last_line()
    );
}

/// Builds the multilingual fixture and checks, in Chromium, that the Arabic
/// layout is mirrored: easy-read pictures to the right of their text,
/// breadcrumbs starting on the right; and runs the accessibility checks on
/// its Polish and Arabic pages. Screenshots go to /tmp/signpost-rtl/.
#[test]
fn arabic_layout_is_mirrored() {
    if skipped("arabic_layout_is_mirrored") {
        return;
    }
    let root = repo_root();
    require_browser_toolchain(&root);
    let tmp = tempfile::tempdir().expect("create a temporary folder");
    let site = tmp.path().join("public");
    let fixture = root.join("tests/fixtures/multilingual");
    let build = run(
        Command::new(env!("CARGO_BIN_EXE_signpost"))
            .arg("build")
            .arg("--root")
            .arg(&fixture)
            .arg("--output")
            .arg(&site)
            .arg("--quiet"),
        Duration::from_secs(5 * 60),
    );
    build.print("signpost build (multilingual fixture)");
    assert!(build.success(), "build failed: {}", build.stderr);
    let page = Path::new("/ar/guides/a/easy-read/");
    let rtl = run(
        &mut node(&root, "rtl.mjs", &[&site, page]),
        Duration::from_secs(5 * 60),
    );
    rtl.print("node tests/browser/rtl.mjs");
    assert!(
        rtl.passed(),
        "the Arabic layout is not mirrored: {}",
        rtl.last_line()
    );
    let pages = run(
        &mut node(&root, "run.mjs", &[&site]),
        Duration::from_secs(20 * 60),
    );
    pages.print("node tests/browser/run.mjs (multilingual fixture)");
    assert!(
        pages.passed(),
        "the multilingual fixture failed the browser checks: {}",
        pages.last_line()
    );
}
