//! PDFs as a site gets them: every page's large-print PDF and every easy-read
//! page's booklet PDFs, in every language, listed with their size, made
//! only when their inputs changed, and switched off in site.yaml.

mod common;

use std::path::{Path, PathBuf};

use common::pdf::{pages, pdf_ua_verdict, pdfinfo, structure};

/// A copy of the multilingual fixture (en, pl, ar, cy; one page with easy
/// read) in a temporary folder, with its output folder.
fn site() -> (tempfile::TempDir, PathBuf, PathBuf) {
    let tmp = tempfile::tempdir().expect("tempdir");
    let root = tmp.path().join("site");
    common::copy_dir(&common::repo().join("tests/fixtures/multilingual"), &root);
    let out = root.join("public");
    (tmp, root, out)
}

fn pdfs(files: &[String]) -> Vec<&String> {
    files.iter().filter(|f| f.ends_with(".pdf")).collect()
}

#[test]
fn every_page_has_a_large_print_pdf_and_easy_read_pages_booklets_in_every_language() {
    let (_tmp, root, out) = site();
    let outcome = common::build(&root, &out);
    let files = common::files(&out);
    // Every page written from a source file has its large-print PDF, in
    // every language (a language without a translation shows the page in
    // the default language, and so does its PDF).
    let mut large_print = Vec::new();
    for source in common::files(&root.join("content")) {
        let Some(stem) = source.strip_suffix(".md") else {
            continue;
        };
        let mut parts: Vec<&str> = stem.split('.').collect();
        parts.retain(|p| !["pl", "ar", "cy"].contains(p));
        let easy = parts.last() == Some(&"easy");
        let path = parts[0];
        let dir = match path.strip_suffix("_index") {
            Some(d) => d.to_string(),
            None => format!("{path}/"),
        };
        for lang in ["", "pl/", "ar/", "cy/"] {
            let variant = if easy { "easy-read/" } else { "" };
            large_print.push(format!("{lang}{dir}{variant}large-print.pdf"));
        }
    }
    assert!(large_print.len() > 40, "{large_print:?}");
    for f in &large_print {
        assert!(files.contains(f), "{f} is missing");
    }
    // Every easy-read page has the three booklet PDFs, in every language.
    for lang in ["", "pl/", "ar/", "cy/"] {
        for name in ["booklet.pdf", "booklet-a5.pdf", "booklet-a5-print.pdf"] {
            let f = format!("{lang}guides/a/easy-read/{name}");
            assert!(files.contains(&f), "{f} is missing");
        }
    }
    let made = outcome.pdfs_rendered + outcome.pdf_cache_hits;
    assert_eq!(made, pdfs(&files).len());

    // Each is what it says: A4 pages, an A5 booklet of whole sheets, a
    // title and tags.
    let a5 = out.join("ar/guides/a/easy-read/booklet-a5.pdf");
    assert_eq!(pages(&a5) % 4, 0, "an A5 booklet is whole folded sheets");
    let info = pdfinfo(&out.join("ar/guides/a/large-print.pdf"));
    assert!(info.contains("Tagged:          yes"), "{info}");
    assert!(info.contains("(A4)"), "{info}");
    let imposed = pdfinfo(&out.join("guides/a/easy-read/booklet-a5-print.pdf"));
    assert!(
        imposed.contains("841.89 x 595.276"),
        "imposed sheets are A4 landscape: {imposed}"
    );
}

#[test]
fn arabic_pdfs_from_a_build_are_pdf_ua_in_arabic() {
    let (_tmp, root, out) = site();
    common::build(&root, &out);
    for f in [
        "ar/guides/a/large-print.pdf",
        "ar/guides/a/easy-read/booklet-a5.pdf",
    ] {
        let report = structure(&out.join(f));
        assert_eq!(report["lang"], "ar", "{f}: {report}");
        pdf_ua_verdict(&report);
    }
}

#[test]
fn the_format_list_names_each_pdf_with_its_type_and_size() {
    let (_tmp, root, out) = site();
    common::build(&root, &out);
    for (page, pdf) in [
        ("guides/a/index.html", "guides/a/large-print.pdf"),
        ("pl/guides/a/index.html", "pl/guides/a/large-print.pdf"),
        (
            "guides/a/easy-read/index.html",
            "guides/a/easy-read/booklet-a5-print.pdf",
        ),
    ] {
        let html = common::read(&out, page);
        let size = std::fs::metadata(out.join(pdf)).expect("pdf").len();
        let kb = size.div_ceil(1024);
        let (at, link) = [format!("href=\"/{pdf}\">"), format!("href=/{pdf}>")]
            .into_iter()
            .find_map(|link| html.find(&link).map(|at| (at, link)))
            .unwrap_or_else(|| panic!("{page} does not link to {pdf}"));
        let label = &html[at + link.len()..];
        let label = &label[..label.find("</a>").unwrap_or(0)];
        assert!(
            label.ends_with(&format!("(PDF, {kb} KB)")),
            "{page}: {label:?} should end with (PDF, {kb} KB)"
        );
    }
    // The folded booklet's page says how to print the imposed file.
    let a5 = common::read(&out, "guides/a/easy-read/booklet/a5/index.html");
    assert!(
        a5.contains("class=print-how") || a5.contains("class=\"print-how\""),
        "no printing instructions on the A5 booklet page"
    );
    assert!(
        a5.contains("short edge"),
        "the instructions say how to print"
    );
}

#[test]
fn a_warm_rebuild_typesets_no_pdf_and_an_edit_only_that_pages() {
    let (_tmp, root, out) = site();
    let first = common::build(&root, &out);
    assert!(first.pdfs_rendered > 0);
    let all = first.pdfs_rendered + first.pdf_cache_hits;
    let cache = cache_dir(&out);
    let entries = count(&cache);
    assert!(entries > 0, "the print cache is kept beside the output");

    let warm = common::build(&root, &out);
    assert_eq!(warm.pdfs_rendered, 0, "nothing changed: no PDF typeset");
    assert_eq!(warm.pdf_cache_hits, all);
    assert_eq!(count(&cache), entries);

    // An edit to one page's body typesets only that page's PDFs again.
    let page = root.join("content/news/one.md");
    let text = std::fs::read_to_string(&page).expect("page");
    std::fs::write(&page, format!("{text}\nOne more line.\n")).expect("edit");
    let edited = common::build(&root, &out);
    assert!(edited.pdfs_rendered >= 1, "the edited page's PDF is new");
    assert!(
        edited.pdfs_rendered < all / 4,
        "{} of {all} typeset for one edit",
        edited.pdfs_rendered
    );
    // The old PDF's cache entry is gone: the cache holds the site's PDFs.
    assert_eq!(count(&cache), entries);

    // Removing the page removes its PDFs and their cache entries.
    std::fs::remove_file(&page).expect("remove");
    let removed = common::build(&root, &out);
    assert_eq!(removed.pdfs_rendered, 0);
    assert!(!out.join("news/one/large-print.pdf").exists());
    assert!(count(&cache) < entries);
}

#[test]
fn site_yaml_switches_pdf_kinds_off() {
    let (_tmp, root, out) = site();
    let yaml = root.join("site.yaml");
    let text = std::fs::read_to_string(&yaml).expect("site.yaml");
    std::fs::write(&yaml, format!("{text}print:\n  booklet_pdf: false\n")).expect("write");
    common::build(&root, &out);
    let files = common::files(&out);
    assert!(files.iter().any(|f| f.ends_with("large-print.pdf")));
    assert!(!files.iter().any(|f| f.ends_with("booklet.pdf")
        || f.ends_with("booklet-a5.pdf")
        || f.ends_with("booklet-a5-print.pdf")));
    let page = common::read(&out, "guides/a/easy-read/index.html");
    assert!(
        !page.contains("booklet.pdf"),
        "the format list lists no booklet PDF"
    );
    let a5 = common::read(&out, "guides/a/easy-read/booklet/a5/index.html");
    assert!(
        !a5.contains("print-how"),
        "no instructions for a file not made"
    );

    std::fs::write(
        &yaml,
        format!("{text}print:\n  booklet_pdf: false\n  large_print_pdf: false\n"),
    )
    .expect("write");
    let outcome = common::build(&root, &out);
    assert_eq!(outcome.pdfs_rendered + outcome.pdf_cache_hits, 0);
    assert!(pdfs(&common::files(&out)).is_empty());
}

#[test]
fn a_picture_that_cannot_be_printed_is_an_error_at_its_line() {
    let (_tmp, root, out) = site();
    std::fs::write(
        root.join("content/news/broken.png"),
        b"\x89PNG\r\n\x1a\nnot a picture",
    )
    .expect("png");
    let page = root.join("content/news/two.md");
    let text = std::fs::read_to_string(&page).expect("page");
    let line = text.lines().count() + 2;
    std::fs::write(&page, format!("{text}\n![A chart of visits](broken.png)\n")).expect("edit");
    let sources = |root: &Path| {
        let mut f = common::files(&root.join("content"));
        f.push(std::fs::read_to_string(root.join("site.yaml")).unwrap_or_default());
        f
    };
    let before = sources(&root);
    let mut opts = signpost::Options::new(&root);
    opts.output = Some(out.clone());
    opts.today = signpost::frontmatter::Date::parse("2026-11-22").ok();
    let (outcome, result) = signpost::build(&opts);
    assert!(result.is_err(), "the build must fail");
    let report = outcome.diagnostics.render_text();
    assert!(report.contains("PRINT001"), "{report}");
    assert!(
        report.contains(&format!("content/news/two.md:{line}:")),
        "at the picture's line {line}: {report}"
    );
    assert!(!out.exists(), "a failed build writes nothing");
    assert_eq!(sources(&root), before, "the sources are untouched");
}

fn cache_dir(out: &Path) -> PathBuf {
    out.with_file_name(".public.print-cache")
}

fn count(dir: &Path) -> usize {
    std::fs::read_dir(dir).map(|d| d.count()).unwrap_or(0)
}
