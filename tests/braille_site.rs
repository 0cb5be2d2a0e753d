//! Braille as a site gets it: with `print: braille: true` in site.yaml,
//! a `.brf` file of every page in every language, laid out 40 cells by 25
//! lines, that translates back to the page's words; listed in the page's
//! format list with its size; made only when its page changed; and, when
//! liblouis is missing, a warning that says how to install it while the
//! site is built without braille (an error with --deny-warnings).

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use common::braille::{back_translated_share, check_layout};

const BRAILLE_ON: &str = "print:\n  braille: true\n";

/// A copy of the multilingual fixture (en, pl, ar, cy; one page with easy
/// read), with braille switched on or not, and its output folder.
fn site(braille: bool) -> (tempfile::TempDir, PathBuf, PathBuf) {
    let tmp = tempfile::tempdir().expect("tempdir");
    let root = tmp.path().join("site");
    common::copy_dir(&common::repo().join("tests/fixtures/multilingual"), &root);
    if braille {
        let yaml = root.join("site.yaml");
        let text = std::fs::read_to_string(&yaml).expect("site.yaml");
        std::fs::write(&yaml, format!("{text}{BRAILLE_ON}")).expect("site.yaml");
    }
    let out = root.join("public");
    (tmp, root, out)
}

fn brfs(files: &[String]) -> Vec<&String> {
    files.iter().filter(|f| f.ends_with(".brf")).collect()
}

/// The words of a page as its source says them: title and body, without
/// front matter, markdown link targets or heading ids.
fn source_words(root: &Path, rel: &str) -> String {
    let text = std::fs::read_to_string(root.join("content").join(rel)).expect("source");
    let mut parts = text.splitn(3, "---\n");
    parts.next();
    let front = parts.next().unwrap_or("");
    let body = parts.next().unwrap_or("");
    let title = front
        .lines()
        .find_map(|l| l.strip_prefix("title:"))
        .unwrap_or("");
    let mut words = format!("{title}\n");
    let mut rest = body;
    // Drop `(target)` after `]` and `{#id}`.
    while let Some(i) = rest.find(['(', '{']) {
        let close = if rest[i..].starts_with('(') { ')' } else { '}' };
        let keep = rest[i..].starts_with('(') && !rest[..i].ends_with(']');
        words.push_str(&rest[..i]);
        let end = rest[i..]
            .find(close)
            .map(|j| i + j + 1)
            .unwrap_or(rest.len());
        if keep {
            words.push_str(&rest[i..end]);
        }
        rest = &rest[end..];
    }
    words.push_str(rest);
    words
}

#[test]
fn every_page_has_a_braille_file_in_every_language_that_reads_back_as_its_words() {
    let (_tmp, root, out) = site(true);
    let outcome = common::build(&root, &out);
    let files = common::files(&out);
    let mut expected = Vec::new();
    for source in common::files(&root.join("content")) {
        let Some(stem) = source.strip_suffix(".md") else {
            continue;
        };
        let mut parts: Vec<&str> = stem.split('.').collect();
        parts.retain(|p| !["pl", "ar", "cy"].contains(p));
        let variant = if parts.last() == Some(&"easy") {
            "easy-read/"
        } else {
            ""
        };
        let dir = match parts[0].strip_suffix("_index") {
            Some(d) => d.to_string(),
            None => format!("{}/", parts[0]),
        };
        for lang in ["", "pl/", "ar/", "cy/"] {
            expected.push(format!("{lang}{dir}{variant}braille.brf"));
        }
    }
    expected.sort();
    expected.dedup();
    assert!(expected.len() > 40, "{expected:?}");
    for f in &expected {
        assert!(files.contains(f), "{f} is missing");
    }
    assert_eq!(
        outcome.braille_made + outcome.braille_reused,
        brfs(&files).len()
    );
    // Every file: 40 cells by 25 lines, Braille ASCII, numbered pages.
    for f in brfs(&files) {
        check_layout(&common::read(&out, f));
    }
    // Each language's file is in its own braille and reads back as the
    // page's words (Welsh has no translation here: its file is English).
    for (file, lang, source) in [
        ("guides/a/braille.brf", "en", "guides/a.md"),
        ("cy/guides/a/braille.brf", "en", "guides/a.md"),
        ("pl/guides/a/braille.brf", "pl", "guides/a.pl.md"),
        ("ar/guides/a/braille.brf", "ar", "guides/a.ar.md"),
    ] {
        let brf = common::read(&out, file);
        let words = source_words(&root, source);
        let share = back_translated_share(&brf, lang, &words);
        assert!(share >= 0.9, "{file}: {share:.2} of {words:?}");
    }
    // Grade 2 English: "guide" is written g, u, i, d, e but "covers" uses
    // the "er" contraction (].
    assert!(
        common::read(&out, "guides/a/braille.brf").contains("COV]S"),
        "not UEB grade 2"
    );
}

#[test]
fn the_format_list_names_the_braille_file_with_its_type_and_size() {
    let (_tmp, root, out) = site(true);
    common::build(&root, &out);
    for (page, label) in [
        ("guides/a/index.html", "Braille (BRF, "),
        ("guides/a/large-print/index.html", "Braille (BRF, "),
        ("guides/a/easy-read/index.html", "Braille (BRF, "),
        ("pl/guides/a/index.html", "Brajl (BRF, "),
        ("ar/guides/a/index.html", "برايل (BRF, "),
    ] {
        let html = common::read(&out, page);
        assert!(html.contains(label), "{page} does not list {label}");
        let dir = page
            .trim_end_matches("index.html")
            .trim_end_matches("large-print/");
        let href = format!("/{dir}braille.brf");
        assert!(
            common::attr_values(&html, "href").contains(&href),
            "{page} has no link to {href}"
        );
    }
}

#[test]
fn a_warm_rebuild_translates_no_braille_and_an_edit_only_its_page() {
    let (_tmp, root, out) = site(true);
    let first = common::build(&root, &out);
    assert!(first.braille_made > 40, "{}", first.braille_made);
    let warm = common::build(&root, &out);
    assert_eq!(warm.braille_made, 0);
    assert_eq!(
        warm.braille_reused,
        first.braille_made + first.braille_reused
    );
    // An edit to one English page: its file in English and in the
    // languages that show it untranslated (Welsh), nothing else.
    let page = root.join("content/guides/b.md");
    let before = common::read(&out, "guides/b/braille.brf");
    let text = std::fs::read_to_string(&page).expect("b.md");
    std::fs::write(&page, format!("{text}\nA new sentence about guide b.\n")).expect("b.md");
    let edited = common::build(&root, &out);
    assert!(
        (1..=4).contains(&edited.braille_made),
        "{} translated",
        edited.braille_made
    );
    assert_ne!(common::read(&out, "guides/b/braille.brf"), before);
}

#[test]
fn braille_is_made_only_when_the_site_switches_it_on() {
    let (_tmp, root, out) = site(false);
    let outcome = common::build(&root, &out);
    let files = common::files(&out);
    assert!(brfs(&files).is_empty(), "{:?}", brfs(&files));
    assert_eq!(outcome.braille_made, 0);
    assert!(!common::read(&out, "guides/a/index.html").contains("BRF"));
}

#[test]
fn without_liblouis_the_build_says_how_to_install_it_and_carries_on_without_braille() {
    let (_tmp, root, out) = site(true);
    let line = std::fs::read_to_string(root.join("site.yaml"))
        .expect("site.yaml")
        .lines()
        .position(|l| l.contains("braille:"))
        .expect("braille line")
        + 1;
    // A PATH with no lou_translate on it.
    let empty = tempfile::tempdir().expect("tempdir");
    let run = |extra: &[&str]| {
        Command::new(env!("CARGO_BIN_EXE_signpost"))
            .args(["build", "--root"])
            .arg(&root)
            .arg("--output")
            .arg(&out)
            .args(extra)
            .env("PATH", empty.path())
            .env("NO_COLOR", "1")
            .output()
            .expect("run signpost")
    };
    let built = run(&[]);
    let said = String::from_utf8_lossy(&built.stderr).into_owned();
    assert!(built.status.success(), "{said}");
    assert!(said.contains("BRAILLE001"), "{said}");
    assert!(said.contains(&format!("site.yaml:{line}:")), "{said}");
    assert!(said.contains("apt-get install liblouis-bin"), "{said}");
    let files = common::files(&out);
    assert!(brfs(&files).is_empty());
    assert!(!common::read(&out, "guides/a/index.html").contains("BRF"));

    // With --deny-warnings the warning stops the build, and the site
    // already published is left as it was. (The fixture's own warnings,
    // stale translations and language titles, are allowed here so that
    // this one is the only warning.)
    let before = common::files(&out);
    let yaml = root.join("site.yaml");
    let text = std::fs::read_to_string(&yaml).expect("site.yaml");
    let titled = text
        .replace("name: Polski }", "name: Polski, title: Poradniki }")
        .replace("dir: rtl }", "dir: rtl, title: الأدلة }")
        .replace("name: Cymraeg }", "name: Cymraeg, title: Canllawiau }");
    std::fs::write(&yaml, titled).expect("site.yaml");
    let stale = root.join("content/guides/a.pl.md");
    let text = std::fs::read_to_string(&stale).expect("translation");
    let fresh = text.replace("updated: 2026-04-01", "updated: 2026-05-01");
    std::fs::write(&stale, fresh).expect("translation");
    let denied = run(&["--deny-warnings"]);
    let said = String::from_utf8_lossy(&denied.stderr).into_owned();
    assert!(!denied.status.success(), "{said}");
    assert!(said.contains("BRAILLE001"), "{said}");
    assert_eq!(common::files(&out), before);
}
