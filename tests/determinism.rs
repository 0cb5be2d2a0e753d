//! Output is byte-identical across builds: no timestamps, no ordering or
//! hash-map order leaking into any file.
//!
//! Builds the example site (the repository root) twice, with the binary,
//! into two fresh folders and compares every byte of every file; then
//! builds once more into the first folder and checks that nothing was
//! rewritten ("0 written, N unchanged") and no file's modification time
//! moved. The same output is checked for its Content-Security-Policy and
//! for anything inline.

mod common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, SystemTime};

const BIN: &str = env!("CARGO_BIN_EXE_signpost");

fn example_site() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Builds the example site into `out`; returns stderr.
fn build(out: &Path) -> String {
    let run = Command::new(BIN)
        .arg("build")
        .arg("--root")
        .arg(example_site())
        .arg("--output")
        .arg(out)
        .output()
        .expect("signpost runs");
    let stderr = String::from_utf8_lossy(&run.stderr).into_owned();
    assert!(
        run.status.success(),
        "the example site should build:\n{stderr}"
    );
    assert!(!stderr.contains("panicked"), "{stderr}");
    stderr
}

/// Relative path -> bytes of every file under `dir`.
fn tree(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    signpost::fuzzing::read_tree(dir)
}

/// Relative path -> modification time of every file under `dir`.
fn mtimes(dir: &Path) -> BTreeMap<String, SystemTime> {
    walkdir::WalkDir::new(dir)
        .sort_by_file_name()
        .into_iter()
        .flatten()
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let rel = e
                .path()
                .strip_prefix(dir)
                .expect("inside")
                .to_string_lossy()
                .into_owned();
            (
                rel,
                e.metadata().expect("metadata").modified().expect("mtime"),
            )
        })
        .collect()
}

/// The numbers of "N written, M unchanged" in a build's summary line.
fn written_unchanged(stderr: &str) -> (usize, usize) {
    let number_before = |word: &str| -> usize {
        let i = stderr
            .find(word)
            .unwrap_or_else(|| panic!("no `{word}` in:\n{stderr}"));
        let digits: String = stderr[..i]
            .trim_end()
            .chars()
            .rev()
            .take_while(char::is_ascii_digit)
            .collect();
        digits
            .chars()
            .rev()
            .collect::<String>()
            .parse()
            .unwrap_or_else(|_| panic!("no count before `{word}`:\n{stderr}"))
    };
    (number_before(" written"), number_before(" unchanged"))
}

#[test]
fn two_builds_are_byte_identical_and_a_rebuild_writes_nothing() {
    let a = tempfile::tempdir().expect("a temp folder");
    let b = tempfile::tempdir().expect("a temp folder");
    let out_a = a.path().join("public");
    let out_b = b.path().join("public");
    build(&out_a);
    build(&out_b);

    let first = tree(&out_a);
    let second = tree(&out_b);
    assert!(
        first.len() > 50,
        "the example site should have many files, not {}",
        first.len()
    );
    let only_a: Vec<&String> = first.keys().filter(|k| !second.contains_key(*k)).collect();
    let only_b: Vec<&String> = second.keys().filter(|k| !first.contains_key(*k)).collect();
    assert!(
        only_a.is_empty() && only_b.is_empty(),
        "different file lists: only in the first {only_a:?}, only in the second {only_b:?}"
    );
    let differ: Vec<&String> = first.keys().filter(|k| first[*k] != second[*k]).collect();
    assert!(
        differ.is_empty(),
        "files differ between two builds: {differ:?}"
    );

    // A third build into the first folder rewrites nothing.
    let old = SystemTime::UNIX_EPOCH + Duration::from_secs(1_000_000_000);
    for rel in first.keys() {
        let f = std::fs::File::options()
            .write(true)
            .open(out_a.join(rel))
            .expect("open output file");
        f.set_modified(old).expect("set mtime");
    }
    let before = mtimes(&out_a);
    let stderr = build(&out_a);
    let (written, unchanged) = written_unchanged(&stderr);
    assert_eq!(
        written, 0,
        "a rebuild of unchanged sources wrote files:\n{stderr}"
    );
    assert!(unchanged > 50, "{stderr}");
    let after = mtimes(&out_a);
    let touched: Vec<&String> = before
        .keys()
        .filter(|k| before.get(*k) != after.get(*k))
        .collect();
    assert!(touched.is_empty(), "a rebuild touched: {touched:?}");
    assert_eq!(tree(&out_a), first, "a rebuild changed the output");

    check_csp(&out_a, &first);
}

/// Every HTML page carries the CSP as a `<meta>` tag, `_headers` and
/// `.htaccess` send it, and no page has an inline `<script>` (other than
/// JSON-LD data), a `<style>` element or a `style=` attribute.
fn check_csp(out: &Path, files: &BTreeMap<String, Vec<u8>>) {
    let csp = signpost::render::context::CSP;
    for directive in [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
    ] {
        assert!(csp.contains(directive), "the CSP lacks {directive}: {csp}");
    }
    assert!(
        !csp.contains("unsafe-inline") && !csp.contains("unsafe-eval"),
        "{csp}"
    );
    let headers = String::from_utf8_lossy(&files["_headers"]).into_owned();
    assert!(
        headers.contains(&format!("Content-Security-Policy: {csp}")),
        "{headers}"
    );
    let htaccess = String::from_utf8_lossy(&files[".htaccess"]).into_owned();
    assert!(
        htaccess.contains(&format!("Content-Security-Policy \"{csp}")),
        "{htaccess}"
    );
    let mut pages = 0;
    for (path, bytes) in files.iter().filter(|(p, _)| p.ends_with(".html")) {
        pages += 1;
        let html =
            String::from_utf8(bytes.clone()).unwrap_or_else(|_| panic!("{path} is not UTF-8"));
        assert!(
            html.replace("&#39;", "'").contains(csp),
            "{} has no CSP meta tag",
            out.join(path).display()
        );
        let problems = signpost::fuzzing::audit_html(&html);
        assert!(problems.is_empty(), "{path}: {problems:?}");
    }
    assert!(pages > 50, "{pages} pages");
}

#[test]
fn rendering_in_memory_is_deterministic() {
    // Two renders in one process (same hash-map seeds or not, same thread
    // pool) give the same files in the same order.
    let render = || {
        let mut opts = signpost::Options::new(example_site());
        opts.today = signpost::frontmatter::Date::parse("2026-11-22").ok();
        let (outcome, result) = signpost::render_in_memory(&opts);
        assert!(result.is_ok(), "{}", outcome.diagnostics.render_text());
        outcome.files
    };
    let a = render();
    let b = render();
    assert_eq!(a.len(), b.len());
    for (x, y) in a.iter().zip(&b) {
        assert_eq!(x.path, y.path);
        assert!(x.bytes == y.bytes, "{} differs between two renders", x.path);
    }
}

#[test]
fn stock_templates_render_minified_pages() {
    // The built-in templates are minified once when the theme loads, and
    // the pages they render are not minified again. A site that overrides a
    // template gets every page minified instead. The two must agree: every
    // HTML page of the example site, rendered from the minified templates
    // and then minified, is byte for byte the page rendered from templates
    // as written and minified once.
    let today = signpost::frontmatter::Date::parse("2026-11-22").ok();
    let render = |root: &Path| {
        let mut opts = signpost::Options::new(root);
        opts.today = today;
        let (outcome, result) = signpost::render_in_memory(&opts);
        assert!(result.is_ok(), "{}", outcome.diagnostics.render_text());
        outcome.files
    };
    let stock = render(&example_site());

    let dir = tempfile::tempdir().expect("temp dir");
    let copy = dir.path();
    for part in ["content", "themes", "translations"] {
        common::copy_dir(&example_site().join(part), &copy.join(part));
    }
    std::fs::copy(example_site().join("site.yaml"), copy.join("site.yaml")).expect("site.yaml");
    // The same template with one more blank line: no longer the stock one.
    let footer = copy.join("themes/default/templates/partials/footer.html");
    let mut text = std::fs::read_to_string(&footer).expect("footer template");
    text.push('\n');
    std::fs::write(&footer, text).expect("footer template");
    let custom = render(copy);

    assert_eq!(stock.len(), custom.len());
    let mut pages = 0;
    for (a, b) in stock.iter().zip(&custom) {
        assert_eq!(a.path, b.path);
        if a.path.ends_with(".html") {
            pages += 1;
            let again = signpost::minify::minify_html(&String::from_utf8_lossy(&a.bytes));
            if again != b.bytes {
                let at = again
                    .iter()
                    .zip(&b.bytes)
                    .take_while(|(x, y)| x == y)
                    .count();
                let around = |v: &[u8]| {
                    String::from_utf8_lossy(&v[at.saturating_sub(200)..(at + 200).min(v.len())])
                        .into_owned()
                };
                panic!(
                    "{}: the page from minified templates differs from the minified page at byte {at}:\n{}\n---\n{}",
                    a.path,
                    around(&again),
                    around(&b.bytes)
                );
            }
            assert!(
                a.bytes.len() <= b.bytes.len() + a.bytes.len() / 10,
                "{}",
                a.path
            );
        } else {
            assert!(a.bytes == b.bytes, "{} differs", a.path);
        }
    }
    assert!(pages > 500, "{pages} pages");
}
