//! The static search: its index files, the search page and the A to Z, in
//! every language, from a built site. (tests/browser/search.mjs runs the
//! same search in a real browser.)

use std::path::Path;
use std::process::Command;

use serde_json::Value;

fn write(root: &Path, rel: &str, text: &str) {
    let p = root.join(rel);
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(p, text).unwrap();
}

fn build_site() -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("site");
    write(
        &root,
        "site.yaml",
        "title: Search test\nlanguages:\n  - { code: en, name: English }\n  - { code: pl, name: Polski }\n  - { code: ar, name: العربية, dir: rtl }\n",
    );
    write(
        &root,
        "content/_index.md",
        "---\ntitle: Home\nsummary: The home page.\n---\n\nWelcome.\n",
    );
    write(
        &root,
        "content/help/_index.md",
        "---\ntitle: Help\nsummary: Help you can get.\n---\n\nThe help section.\n",
    );
    write(
        &root,
        "content/help/money.md",
        "---\ntitle: Money advice\nsummary: Where to get advice about money.\n---\n\nAsk about the xylophone fund at the office in Łódź.\n\n## Zebra crossings\n\nText.\n",
    );
    write(
        &root,
        "content/help/money.pl.md",
        "---\ntitle: Porady finansowe\nsummary: Gdzie uzyskać poradę w sprawie pieniędzy.\n---\n\nZapytaj o fundusz ksylofonowy.\n\n## Zebra crossings\n\nTekst.\n",
    );
    write(
        &root,
        "content/help/money.easy.md",
        "---\ntitle: Money help\nsummary: Help with money.\n---\n\n![A person helping](symbol:help) We can help you with quokkas.\n",
    );
    write(
        &root,
        "content/services/_index.md",
        "---\ntitle: Services\nsummary: Services near you.\ncategories:\n  advice: Advice\nareas:\n  town: The town\n---\n\nServices that can help.\n",
    );
    write(
        &root,
        "content/services/advice-desk.yaml",
        "name: Advice desk\nsummary: Advice about wombats and benefits.\ncategories: [advice]\nareas: [town]\ncontact:\n  email: desk@example.org\nlast_verified: 2026-10-01\n",
    );
    let out = dir.path().join("public");
    let o = Command::new(env!("CARGO_BIN_EXE_signpost"))
        .args(["build", "--quiet", "--root"])
        .arg(&root)
        .arg("--output")
        .arg(&out)
        .output()
        .unwrap();
    assert!(
        o.status.success(),
        "build failed:\n{}",
        String::from_utf8_lossy(&o.stderr)
    );
    (dir, out)
}

fn json(path: &Path) -> Value {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str(&text).unwrap()
}

/// The documents (title, href, kind) that contain `word`, as the browser finds them.
fn lookup(out: &Path, lang: &str, word: &str) -> Vec<(String, String, String)> {
    let manifest = json(&out.join(format!("search/index.{lang}.json")));
    let prefix = manifest["prefix"].as_u64().unwrap() as usize;
    let chunk = manifest["chunk"].as_u64().unwrap() as usize;
    let key: String = word
        .chars()
        .take(prefix)
        .collect::<String>()
        .bytes()
        .map(|b| format!("{b:02x}"))
        .collect();
    let shard_path = out.join(format!("search/{lang}/t-{key}.json"));
    if !shard_path.exists() {
        return Vec::new();
    }
    let shard = json(&shard_path);
    let Some(postings) = shard.get(word).and_then(Value::as_array) else {
        return Vec::new();
    };
    postings
        .chunks(2)
        .map(|p| {
            let id = p[0].as_u64().unwrap() as usize;
            let docs = json(&out.join(format!("search/{lang}/d-{}.json", id / chunk)));
            let d = &docs[id % chunk];
            (
                d[0].as_str().unwrap().to_string(),
                d[1].as_str().unwrap().to_string(),
                d[3].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

fn has_attr(html: &str, name: &str, value: &str) -> bool {
    html.contains(&format!("{name}={value}")) || html.contains(&format!("{name}=\"{value}\""))
}

#[test]
fn index_finds_pages_easy_read_pages_and_services_in_every_language() {
    let (_tmp, out) = build_site();
    for lang in ["en", "pl", "ar"] {
        let m = json(&out.join(format!("search/index.{lang}.json")));
        assert_eq!(m["v"], 1);
        assert!(m["count"].as_u64().unwrap() >= 6, "{lang}: {m}");
    }
    assert_eq!(
        lookup(&out, "en", "xylophone"),
        vec![("Money advice".into(), "/help/money/".into(), String::new())]
    );
    // Headings and accent-free spelling.
    assert!(
        lookup(&out, "en", "zebra")
            .iter()
            .any(|d| d.1 == "/help/money/")
    );
    assert!(
        lookup(&out, "en", "lodz")
            .iter()
            .any(|d| d.1 == "/help/money/"),
        "Łódź is found as lodz"
    );
    assert_eq!(
        lookup(&out, "en", "quokkas"),
        vec![(
            "Money help".into(),
            "/help/money/easy-read/".into(),
            "e".into()
        )]
    );
    let services = lookup(&out, "en", "wombats");
    assert_eq!(services.len(), 1, "{services:?}");
    assert_eq!(services[0].0, "Advice desk");
    assert_eq!(services[0].2, "s");
    assert!(services[0].1.starts_with("/services/"), "{services:?}");
    // The Polish index has the translation, at Polish addresses.
    assert_eq!(
        lookup(&out, "pl", "ksylofonowy"),
        vec![(
            "Porady finansowe".into(),
            "/pl/help/money/".into(),
            String::new()
        )]
    );
    assert!(
        lookup(&out, "pl", "xylophone").is_empty(),
        "the Polish page replaces the English one"
    );
    // Untranslated pages are found in the default language, at the language's address.
    let ar = lookup(&out, "ar", "xylophone");
    assert_eq!(ar.len(), 1);
    assert_eq!(ar[0].1, "/ar/help/money/");
    let docs = json(&out.join("search/ar/d-0.json"));
    let fallback = docs
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d[1] == "/ar/help/money/")
        .unwrap();
    assert_eq!(fallback[4], "en", "marked as English text");
}

#[test]
fn search_page_is_a_real_form_with_an_a_to_z_and_no_inline_script() {
    let (_tmp, out) = build_site();
    for (lang, file, label, link) in [
        ("en", "search/index.html", "Search for", "Search"),
        ("pl", "pl/search/index.html", "Czego szukasz", "Szukaj"),
        ("ar", "ar/search/index.html", "ابحث عن", "بحث"),
    ] {
        let html = std::fs::read_to_string(out.join(file)).unwrap();
        assert!(
            html.contains("<form") && has_attr(&html, "role", "search"),
            "{lang}: {html}"
        );
        assert!(
            has_attr(&html, "for", "search-input") && html.contains(label),
            "{lang}: a labelled input"
        );
        assert!(
            has_attr(&html, "type", "search") && has_attr(&html, "name", "q"),
            "{lang}"
        );
        assert!(html.contains("<button"), "{lang}: a submit button");
        assert!(
            has_attr(&html, "role", "status"),
            "{lang}: a live status message"
        );
        assert!(
            has_attr(&html, "id", "search-results-heading"),
            "{lang}: results under a heading"
        );
        assert!(
            has_attr(&html, "src", "/search.js"),
            "{lang}: the script, from the site itself"
        );
        assert!(
            !html.contains("<script>")
                && !html.contains("onclick")
                && !html.contains("javascript:"),
            "{lang}: no inline script"
        );
        assert!(
            has_attr(&html, "data-index", &format!("/search/index.{lang}.json")),
            "{lang}"
        );
        // The A to Z: every page and the service, usable without JavaScript.
        for href in ["/help/money/", "/help/money/easy-read/", "/help/"] {
            let href = if lang == "en" {
                href.to_string()
            } else {
                format!("/{lang}{href}")
            };
            assert!(
                html.contains(&format!("href={href}>"))
                    || html.contains(&format!("href=\"{href}\"")),
                "{lang}: A to Z links {href}"
            );
        }
        assert!(
            html.contains("Advice desk"),
            "{lang}: the service is in the A to Z"
        );
        assert!(
            has_attr(&html, "class", "header-search") && html.contains(&format!(">{link}</a>")),
            "{lang}: the header link"
        );
        let a_to_z = out.join(file.replace("search/", "a-to-z/"));
        assert!(a_to_z.is_file(), "{lang}: the A to Z page");
    }
    assert!(out.join("search.js").is_file());
    // The script is loaded on the search page only.
    let page = std::fs::read_to_string(out.join("help/money/index.html")).unwrap();
    assert!(!page.contains("search.js"));
    assert!(
        has_attr(&page, "class", "header-search") && has_attr(&page, "href", "/search/"),
        "every page links to search"
    );
    let pl_page = std::fs::read_to_string(out.join("pl/help/money/index.html")).unwrap();
    assert!(
        has_attr(&pl_page, "href", "/pl/search/") && pl_page.contains(">Szukaj</a>"),
        "translated link"
    );
    // No page of a real build carries the live-reload script.
    assert!(!page.contains("__signpost"));
}
