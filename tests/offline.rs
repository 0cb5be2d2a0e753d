//! The offline copy (`signpost offline`) as a library, a care home or a
//! resident with a USB stick gets it: every link inside it relative and
//! leading to a file in the copy, so it works from a folder; one language
//! alone keeps what its pages use and sends links to other languages to
//! the web; canonical and hreflang addresses stay absolute; the search
//! index has script twins; a zip holds one folder and is the same bytes
//! every time. (The browser suite opens the copy from file:// in Chromium.)

mod common;

use std::collections::BTreeSet;
use std::io::Read;
use std::path::{Path, PathBuf};

use signpost::OfflineTarget;

/// A copy of the multilingual fixture (en, pl, ar, cy) to make copies of.
fn fixture() -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().expect("tempdir");
    let root = tmp.path().join("site");
    common::copy_dir(&common::repo().join("tests/fixtures/multilingual"), &root);
    (tmp, root)
}

fn offline(root: &Path, lang: Option<&str>, target: &OfflineTarget) -> usize {
    let mut opts = signpost::Options::new(root);
    opts.today = signpost::frontmatter::Date::parse("2026-11-22").ok();
    let (outcome, result) = signpost::offline_copy(&opts, lang, target);
    match result {
        Ok(n) => n,
        Err(e) => panic!(
            "offline copy failed: {e}\n{}",
            outcome.diagnostics.render_text()
        ),
    }
}

/// Every address in `html` that the browser would follow or load.
fn addresses(html: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for attr in ["href", "src", "action", "data-index"] {
        for v in common::attr_values(html, attr) {
            out.push((attr.to_string(), v));
        }
    }
    out
}

/// The file a relative address in the page at `page` leads to, from the
/// top of the copy (`None` for an address that leaves the copy).
fn resolve(page: &str, value: &str) -> Option<String> {
    if value.contains("://")
        || value.starts_with("mailto:")
        || value.starts_with("tel:")
        || value.starts_with('#')
        || value.starts_with("data:")
    {
        return None;
    }
    let path = &value[..value.find(['?', '#']).unwrap_or(value.len())];
    let mut parts: Vec<&str> = page.split('/').collect();
    parts.pop();
    for seg in path.split('/') {
        match seg {
            ".." => {
                parts.pop();
            }
            "." | "" => {}
            s => parts.push(s),
        }
    }
    Some(parts.join("/"))
}

/// The `<link rel=...>` addresses of a page, by rel.
fn link_rels(html: &str, rel: &str) -> Vec<String> {
    let mut out = Vec::new();
    for tag in html.split("<link").skip(1) {
        let tag = &tag[..tag.find('>').unwrap_or(tag.len())];
        if tag.contains(&format!("rel={rel}")) || tag.contains(&format!("rel=\"{rel}\"")) {
            out.extend(common::attr_values(&format!("<link{tag}>"), "href"));
        }
    }
    out
}

#[test]
fn the_whole_site_copy_links_only_to_files_inside_it() {
    let (tmp, root) = fixture();
    let dir = tmp.path().join("copy");
    let n = offline(&root, None, &OfflineTarget::Folder(dir.clone()));
    let files = common::files(&dir);
    assert_eq!(n, files.len(), "the count it reports is what it wrote");
    let present: BTreeSet<&str> = files.iter().map(String::as_str).collect();
    for lang in ["", "pl/", "ar/", "cy/"] {
        assert!(
            present.contains(format!("{lang}index.html").as_str()),
            "home page of `{lang}` is in the copy"
        );
    }
    let mut checked = 0;
    for page in files.iter().filter(|f| f.ends_with(".html")) {
        let html = common::read(&dir, page);
        for (attr, value) in addresses(&html) {
            assert!(
                !value.starts_with('/'),
                "{page}: {attr}=\"{value}\" is root-relative, which a browser reading files resolves against the top of the disk"
            );
            let Some(target) = resolve(page, &value) else {
                continue;
            };
            assert!(
                present.contains(target.as_str()),
                "{page}: {attr}=\"{value}\" leads to {target}, which is not in the copy"
            );
            assert!(
                !target.ends_with('/') && !target.is_empty(),
                "{page}: {attr}=\"{value}\" names a folder; from disk a browser needs the file"
            );
            checked += 1;
        }
        // Search engines and other-language pointers still use the web.
        for rel in ["canonical", "alternate"] {
            for href in link_rels(&html, rel) {
                assert!(
                    href.starts_with("https://fixture.example.org/"),
                    "{page}: rel={rel} href=\"{href}\" should stay absolute"
                );
            }
        }
    }
    assert!(checked > 500, "only {checked} links were checked");
    // Stylesheets' url(...) are relative too.
    for css in files.iter().filter(|f| f.ends_with(".css")) {
        let text = common::read(&dir, css);
        assert!(
            !text.contains("url(/") && !text.contains("url(\"/") && !text.contains("url('/"),
            "{css} still has a root-relative url()"
        );
    }
    // Each search index file has a script twin that hands the same data
    // to search.js, because fetch() does not work from file://.
    let jsons: Vec<&String> = files
        .iter()
        .filter(|f| f.starts_with("search/") && f.ends_with(".json"))
        .collect();
    assert!(!jsons.is_empty(), "the copy has a search index");
    for json in jsons {
        let twin = format!("{}.js", json.trim_end_matches(".json"));
        assert!(present.contains(twin.as_str()), "{json} has no twin {twin}");
        let js = common::read(&dir, &twin);
        let key = json.trim_start_matches("search/");
        assert!(
            js.starts_with(&format!(
                "(self.signpostSearch = self.signpostSearch || {{}})[\"{key}\"] = "
            )),
            "{twin} does not register its data under {key}: {}",
            &js[..js.len().min(120)]
        );
        let data = js
            .split_once("] = ")
            .map(|(_, d)| d.trim_end().trim_end_matches(';'))
            .unwrap_or("");
        let parsed: serde_json::Value = serde_json::from_str(data)
            .unwrap_or_else(|e| panic!("{twin} does not carry JSON: {e}"));
        let original: serde_json::Value =
            serde_json::from_str(&common::read(&dir, json)).expect("index JSON");
        if !key.contains("/d-") {
            assert_eq!(parsed, original, "{twin} carries other data than {json}");
        }
    }
}

#[test]
fn one_language_keeps_what_its_pages_use_and_sends_other_languages_to_the_web() {
    let (tmp, root) = fixture();
    let dir = tmp.path().join("pl-copy");
    offline(&root, Some("pl"), &OfflineTarget::Folder(dir.clone()));
    let files = common::files(&dir);
    let present: BTreeSet<&str> = files.iter().map(String::as_str).collect();
    assert!(present.contains("pl/index.html"), "the Polish home page");
    for f in &files {
        assert!(
            !f.starts_with("ar/") && !f.starts_with("cy/"),
            "{f} belongs to another language"
        );
        assert!(
            !f.ends_with(".html") || f.starts_with("pl/"),
            "{f} is an English page in the Polish copy"
        );
    }
    assert!(
        files.iter().any(|f| f.starts_with("css/")),
        "the stylesheets the pages use are kept"
    );
    let html = common::read(&dir, "pl/index.html");
    let mut to_web = 0;
    for (attr, value) in addresses(&html) {
        assert!(!value.starts_with('/'), "pl/index.html: {attr}=\"{value}\"");
        if let Some(target) = resolve("pl/index.html", &value) {
            assert!(
                present.contains(target.as_str()),
                "pl/index.html: {attr}=\"{value}\" leads to {target}, which the Polish copy lacks"
            );
        }
        if value.starts_with("https://fixture.example.org/ar/")
            || value.starts_with("https://fixture.example.org/cy/")
        {
            to_web += 1;
        }
    }
    assert!(
        to_web >= 2,
        "the language switcher should link Arabic and Welsh to the web: {to_web} such links"
    );
    // Every picture every Polish page shows is in the copy.
    for page in files.iter().filter(|f| f.ends_with(".html")) {
        let html = common::read(&dir, page);
        for src in common::attr_values(&html, "src") {
            if let Some(target) = resolve(page, &src) {
                assert!(present.contains(target.as_str()), "{page}: {src} missing");
            }
        }
    }
}

#[test]
fn an_unknown_language_is_refused_with_the_site_languages() {
    let (tmp, root) = fixture();
    let opts = signpost::Options::new(&root);
    let dir = tmp.path().join("xx");
    let (_, result) =
        signpost::offline_copy(&opts, Some("xx"), &OfflineTarget::Folder(dir.clone()));
    let err = result.expect_err("no language xx").to_string();
    assert!(err.contains("`xx`"), "{err}");
    assert!(err.contains("en, pl, ar, cy"), "{err}");
    assert!(!dir.exists(), "nothing is written for a refused copy");
}

/// Names and bytes of the files in a zip, in order.
fn zip_entries(path: &Path) -> Vec<(String, Vec<u8>)> {
    let file = std::fs::File::open(path).expect("zip");
    let mut zip = zip::ZipArchive::new(file).expect("a readable zip");
    let mut out = Vec::new();
    for i in 0..zip.len() {
        let mut entry = zip.by_index(i).expect("entry");
        let mut bytes = Vec::new();
        entry.read_to_end(&mut bytes).expect("entry bytes");
        let name = entry.name().expect("entry name").to_string();
        out.push((name, bytes));
    }
    out
}

#[test]
fn a_zip_holds_one_folder_and_is_the_same_every_time() {
    let (tmp, root) = fixture();
    let first = tmp.path().join("care-offline.zip");
    let second = tmp.path().join("again").join("care-offline.zip");
    std::fs::create_dir_all(second.parent().expect("parent")).expect("mkdir");
    let n = offline(&root, Some("ar"), &OfflineTarget::Zip(first.clone()));
    offline(&root, Some("ar"), &OfflineTarget::Zip(second.clone()));
    let a = std::fs::read(&first).expect("first zip");
    let b = std::fs::read(&second).expect("second zip");
    assert!(
        a == b,
        "two copies of the same site differ ({} and {} bytes)",
        a.len(),
        b.len()
    );
    let entries = zip_entries(&first);
    assert_eq!(entries.len(), n);
    assert!(
        entries
            .iter()
            .all(|(name, _)| name.starts_with("care-offline/")),
        "every file sits in one folder named after the zip"
    );
    let home = entries
        .iter()
        .find(|(name, _)| name == "care-offline/ar/index.html")
        .expect("the Arabic home page");
    let html = String::from_utf8_lossy(&home.1);
    assert!(html.contains("dir=rtl") || html.contains("dir=\"rtl\""));
    assert!(
        !entries
            .iter()
            .any(|(name, _)| name.ends_with(".tmp") || name.contains("/pl/")),
        "no temporary or other-language files"
    );
    let leftovers: Vec<_> = std::fs::read_dir(tmp.path())
        .expect("read tmp")
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".tmp"))
        .collect();
    assert!(leftovers.is_empty(), "temporary files left: {leftovers:?}");
}
