//! The service directory: validation of entries (file and line of each kind
//! of bad field), the pages of a fixture directory in every format and
//! language, `services.json` against the Open Referral UK schema, the
//! schema.org data in service pages, import and export, and the example
//! site's directory.
//!
//! The fixture is `tests/fixtures/directory/`: three services (one fully
//! described, one not checked since 2020, one online only), a Polish
//! translation of one entry and of the directory page.

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;
use signpost::codes::Code;
use signpost::diagnostics::{Diagnostic, Severity, SourceText};
use signpost::directory::entry;
use signpost::frontmatter::Date;
use signpost::{Options, Outcome};

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn fixture() -> PathBuf {
    repo().join("tests/fixtures/directory")
}

fn today() -> Date {
    Date::parse("2026-11-01").unwrap()
}

fn options(root: &Path, out: &Path) -> Options {
    let mut o = Options::new(root);
    o.output = Some(out.to_path_buf());
    o.today = Some(today());
    o
}

/// Builds a site into a fresh folder; panics with the diagnostics on failure.
fn build(root: &Path) -> (tempfile::TempDir, Outcome) {
    let out = tempfile::tempdir().unwrap();
    let (outcome, result) = signpost::build(&options(root, out.path()));
    if let Err(e) = result {
        panic!("build failed: {e}\n{}", outcome.diagnostics.render_text());
    }
    (out, outcome)
}

fn read(out: &Path, file: &str) -> String {
    let text = std::fs::read_to_string(out.join(file)).unwrap_or_else(|e| panic!("{file}: {e}"));
    if file.ends_with(".html") {
        String::from_utf8_lossy(&signpost::minify::minify_html(&text)).into_owned()
    } else {
        text
    }
}

/// Every `href` of a page, quoted or not (the minifier drops quotes).
fn hrefs(html: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = html;
    while let Some(i) = rest.find("href=") {
        rest = &rest[i + 5..];
        let value = match rest.chars().next() {
            Some(q @ ('"' | '\'')) => rest[1..].split(q).next().unwrap_or(""),
            _ => rest.split([' ', '>']).next().unwrap_or(""),
        };
        out.push(value.replace("&amp;", "&"));
    }
    out
}

/// The text of a page without tags, with entities decoded, spaces collapsed.
fn text_of(html: &str) -> String {
    let mut out = String::new();
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => {
                in_tag = true;
                out.push(' ');
            }
            '>' => in_tag = false,
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    let out = out
        .replace("&amp;", "&")
        .replace("&#39;", "'")
        .replace("&quot;", "\"")
        .replace("&#x27;", "'");
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// A copy of the fixture in a temporary folder, to break one file of.
fn fixture_copy() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&fixture(), dir.path());
    dir
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        let target = to.join(e.file_name());
        if e.file_type().unwrap().is_dir() {
            copy_dir(&e.path(), &target);
        } else {
            std::fs::copy(e.path(), &target).unwrap();
        }
    }
}

/// Checks the fixture with one entry file replaced; returns every diagnostic.
fn check_with(file: &str, text: &str) -> Vec<Diagnostic> {
    let site = fixture_copy();
    std::fs::write(site.path().join("content/services").join(file), text).unwrap();
    let mut o = Options::new(site.path());
    o.today = Some(today());
    let (outcome, _) = signpost::check(&o);
    outcome.diagnostics.sorted()
}

const GOOD: &str = "name: Delta Group
summary: A weekly group for carers.
categories: [carers]
areas: [north]
contact:
  phone: 01632 960140
  email: delta@example.test
opening_hours:
  - { days: [wed], opens: \"10:00\", closes: \"12:00\" }
last_verified: 2026-09-09
";

/// The only error of the fixture with `delta.yaml` holding `text`.
fn only_error(text: &str) -> Diagnostic {
    let diags = check_with("delta.yaml", text);
    let errors: Vec<&Diagnostic> = diags
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .collect();
    assert_eq!(errors.len(), 1, "expected one error, got {errors:#?}");
    let d = errors[0].clone();
    assert_eq!(
        d.file.as_deref(),
        Some("content/services/delta.yaml"),
        "{d:?}"
    );
    d
}

#[test]
fn a_good_entry_checks_clean() {
    let diags = check_with("delta.yaml", GOOD);
    assert!(
        diags.iter().all(|d| d.severity == Severity::Warning),
        "{diags:#?}"
    );
}

#[test]
fn wrong_type_is_reported_at_its_line() {
    let d = only_error(&GOOD.replace("categories: [carers]", "categories: carers"));
    assert_eq!((d.code, d.line), (Code::SVC001, Some(3)), "{d:?}");
    assert!(d.message.contains("expected a list"), "{d:?}");
    let d = only_error(&format!("{GOOD}closed_on_bank_holidays: sometimes\n"));
    assert_eq!((d.code, d.line), (Code::SVC001, Some(11)), "{d:?}");
}

#[test]
fn missing_required_fields_are_reported() {
    let d = only_error(&GOOD.replace("summary: A weekly group for carers.\n", ""));
    assert_eq!(d.code, Code::SVC002);
    assert!(d.message.contains("`summary` is missing"), "{d:?}");
    let d = only_error(&GOOD.replace("last_verified: 2026-09-09\n", ""));
    assert!(
        d.code == Code::SVC002 && d.message.contains("last_verified"),
        "{d:?}"
    );
    let d = only_error(&GOOD.replace("[carers]", "[]"));
    assert_eq!((d.code, d.line), (Code::SVC002, Some(3)), "{d:?}");
    let no_contact = GOOD.replace(
        "contact:\n  phone: 01632 960140\n  email: delta@example.test\n",
        "",
    );
    let d = only_error(&no_contact);
    assert!(
        d.code == Code::SVC002 && d.message.contains("no way to contact"),
        "{d:?}"
    );
    // An address alone is enough.
    let with_address =
        format!("{no_contact}address: {{ line1: 2 Road, town: North Town, postcode: NT1 2BB }}\n");
    assert!(
        check_with("delta.yaml", &with_address)
            .iter()
            .all(|d| !d.is_error())
    );
}

#[test]
fn unknown_keys_get_a_suggestion() {
    let d = only_error(&format!(
        "{GOOD}adress: {{ line1: 2 Road, town: North Town, postcode: NT1 2BB }}\n"
    ));
    assert_eq!((d.code, d.line), (Code::SVC003, Some(11)), "{d:?}");
    assert!(d.help.contains("did you mean `address`"), "{d:?}");
    let d = only_error(&GOOD.replace("  email:", "  emial:"));
    assert_eq!((d.code, d.line), (Code::SVC003, Some(7)), "{d:?}");
    assert!(d.help.contains("did you mean `email`"), "{d:?}");
}

#[test]
fn bad_times_days_and_dates_are_reported_at_their_line() {
    let d = only_error(&GOOD.replace("opens: \"10:00\"", "opens: \"10am\""));
    assert_eq!((d.code, d.line), (Code::SVC001, Some(9)), "{d:?}");
    assert!(d.message.contains("`10am` is not a time"), "{d:?}");
    let d = only_error(&GOOD.replace("closes: \"12:00\"", "closes: \"25:00\""));
    assert_eq!((d.code, d.line), (Code::SVC001, Some(9)), "{d:?}");
    let d = only_error(&GOOD.replace("[wed]", "[wednesday]"));
    assert_eq!((d.code, d.line), (Code::SVC001, Some(9)), "{d:?}");
    assert!(d.help.contains("`wed`"), "{d:?}");
    let d = only_error(&GOOD.replace("2026-09-09", "2026-02-30"));
    assert_eq!((d.code, d.line), (Code::SVC001, Some(10)), "{d:?}");
    let d = only_error(&GOOD.replace("2026-09-09", "last week"));
    assert_eq!((d.code, d.line), (Code::SVC001, Some(10)), "{d:?}");
}

#[test]
fn bad_phone_email_and_web_addresses_are_reported() {
    let d = only_error(&GOOD.replace("01632 960140", "ring the office"));
    assert_eq!((d.code, d.line), (Code::SVC005, Some(6)), "{d:?}");
    let d = only_error(&GOOD.replace("delta@example.test", "delta at example"));
    assert_eq!((d.code, d.line), (Code::SVC005, Some(7)), "{d:?}");
    let d = only_error(&GOOD.replace(
        "  email: delta@example.test\n",
        "  website: www.example.test\n",
    ));
    assert_eq!((d.code, d.line), (Code::SVC005, Some(7)), "{d:?}");
    assert!(d.help.contains("https://"), "{d:?}");
}

#[test]
fn unknown_categories_and_areas_are_reported() {
    let d = only_error(&GOOD.replace("[carers]", "[carer]"));
    assert_eq!(
        (d.code, d.line, d.column),
        (Code::SVC004, Some(3), Some(14)),
        "{d:?}"
    );
    assert!(d.help.contains("did you mean `carers`"), "{d:?}");
    let d = only_error(&GOOD.replace("areas: [north]", "areas:\n  - north\n  - west"));
    assert_eq!((d.code, d.line), (Code::SVC004, Some(6)), "{d:?}");
    assert!(d.message.contains("`west`"), "{d:?}");
}

#[test]
fn translations_hold_only_translated_fields_and_need_an_entry() {
    let diags = check_with(
        "alpha-carers.pl.yaml",
        "summary: Porady.\ncontact:\n  phone: 01632 960120\n",
    );
    let d = diags.iter().find(|d| d.is_error()).expect("an error");
    assert_eq!((d.code, d.line), (Code::SVC003, Some(2)), "{d:?}");
    assert!(d.message.contains("cannot be translated"), "{d:?}");
    let diags = check_with("nobody.pl.yaml", "summary: Nikt.\n");
    let d = diags.iter().find(|d| d.is_error()).expect("an error");
    assert_eq!(d.code, Code::SRC003, "{d:?}");
    assert_eq!(d.file.as_deref(), Some("content/services/nobody.pl.yaml"));
}

#[test]
fn broken_files_never_panic() {
    let deep = "[".repeat(5000);
    let cases: Vec<(&str, Vec<u8>)> = vec![
        ("empty", Vec::new()),
        ("spaces", b"   \n\n".to_vec()),
        ("not yaml", b"name: [unclosed\nsummary: {\n".to_vec()),
        ("a list", b"- a\n- b\n".to_vec()),
        ("a string", b"just words\n".to_vec()),
        ("tabs", b"name:\tA\n\tsummary: B\n".to_vec()),
        ("not utf8", vec![0xff, 0xfe, 0x00, 0x41]),
        ("deep", format!("name: {deep}\n").into_bytes()),
        ("anchors", b"a: &a [*a, *a]\nname: *a\n".to_vec()),
        ("nulls", b"name:\nsummary:\ncategories:\ncontact:\nlast_verified:\n".to_vec()),
        ("numbers", b"name: 1\nsummary: 2\ncategories: [3]\ncontact: { phone: 01632960140 }\nlast_verified: 4\n".to_vec()),
        ("duplicate keys", format!("{GOOD}name: Again\n").into_bytes()),
    ];
    for (what, bytes) in cases {
        let site = fixture_copy();
        std::fs::write(site.path().join("content/services/delta.yaml"), &bytes).unwrap();
        let mut o = Options::new(site.path());
        o.today = Some(today());
        let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| signpost::check(&o)));
        let (outcome, _) = result.unwrap_or_else(|_| panic!("{what}: check panicked"));
        let errors: Vec<Diagnostic> = outcome
            .diagnostics
            .sorted()
            .into_iter()
            .filter(|d| d.is_error())
            .collect();
        assert!(!errors.is_empty(), "{what}: expected an error");
        assert!(
            errors
                .iter()
                .all(|d| d.file.as_deref() == Some("content/services/delta.yaml")),
            "{what}: {errors:#?}"
        );
    }
}

#[test]
fn category_and_area_pages_list_the_right_services() {
    let (out, _) = build(&fixture());
    let out = out.path();
    let carers = read(out, "services/category/carers/index.html");
    let links = hrefs(&carers);
    assert!(
        links.contains(&"/services/alpha-carers/".to_string()),
        "{links:?}"
    );
    assert!(
        links.contains(&"/services/beta-advice/".to_string()),
        "{links:?}"
    );
    assert!(
        !links.contains(&"/services/gamma-online/".to_string()),
        "{links:?}"
    );
    let text = text_of(&carers);
    assert!(text.contains("2 services"), "{text}");
    assert!(
        text.contains("Advice and short breaks for unpaid carers."),
        "{text}"
    );
    assert!(text.contains("Town: North Town"), "{text}");
    let north = hrefs(&read(out, "services/area/north/index.html"));
    assert!(north.contains(&"/services/alpha-carers/".to_string()));
    assert!(!north.contains(&"/services/beta-advice/".to_string()));
    let everywhere = text_of(&read(out, "services/area/everywhere/index.html"));
    assert!(
        everywhere.contains("Gamma Online Advice") && everywhere.contains("1 service"),
        "{everywhere}"
    );
    let empty = text_of(&read(out, "services/category/transport/index.html"));
    assert!(empty.contains("There are no services here yet"), "{empty}");

    // The directory's home: categories, areas and an A to Z of every service.
    let home = read(out, "services/index.html");
    let links = hrefs(&home);
    for l in [
        "/services/category/carers/",
        "/services/category/advice/",
        "/services/area/south/",
        "/services/services.json",
    ] {
        assert!(links.contains(&l.to_string()), "{l} not in {links:?}");
    }
    let text = text_of(&home);
    let az = text.find("All services from A to Z").expect("an A to Z");
    let (a, b, g) = (
        text[az..].find("Alpha Carers Centre"),
        text[az..].find("Beta Advice Line"),
        text[az..].find("Gamma Online Advice"),
    );
    assert!(a < b && b < g && a.is_some(), "{text}");
    assert!(
        text.contains("Every entry says when we last checked it."),
        "the page's own text is kept"
    );
    let home_txt = read(out, "services/index.txt");
    assert!(
        home_txt.contains("Find a service by where you live"),
        "{home_txt}"
    );
    assert!(
        home_txt.contains("https://directory.example.test/services/alpha-carers/"),
        "{home_txt}"
    );

    // Links to entries from pages go to the service's page.
    assert!(hrefs(&read(out, "index.html")).contains(&"/services/alpha-carers/".to_string()));
}

#[test]
fn service_page_has_working_links_hours_and_checked_date() {
    let (out, _) = build(&fixture());
    let html = read(out.path(), "services/alpha-carers/index.html");
    let links = hrefs(&html);
    for l in [
        "tel:01632960120",
        "tel:1800101632960120",
        "sms:07700900120",
        "mailto:alpha@example.test",
        "https://alpha.example.test/carers",
        "/services/beta-advice/",
        "/services/",
        "/services/category/carers/",
        "/services/area/north/",
    ] {
        assert!(links.contains(&l.to_string()), "{l} not in {links:?}");
    }
    let report = links
        .iter()
        .find(|l| l.starts_with("mailto:help@example.test?subject="))
        .expect("a report link");
    assert!(report.contains("Alpha%20Carers%20Centre"), "{report}");
    let text = text_of(&html);
    for s in [
        "What they offer",
        "Who it is for",
        "Unpaid carers who live in North Town.",
        "Cost Free",
        "Your GP can refer you.",
        "Monday to Friday, 9am to 5pm",
        "Saturday, 10am to 1:30pm",
        "Closed on bank holidays",
        "1 High Street",
        "NT1 1AA",
        "step-free access",
        "Polski (Polish)",
        "We last checked this information with the service on 1 June 2026.",
        "Tell us if something on this page is wrong",
        "Getting advice first",
    ] {
        assert!(text.contains(s), "`{s}` not in {text}");
    }
    assert!(
        !text.contains("may be out of date"),
        "a fresh entry is not marked"
    );
    assert!(
        !html.contains("<script>") && !html.contains("<script src"),
        "no JavaScript"
    );
    assert!(
        html.contains("lang=pl"),
        "the language name is marked as Polish"
    );

    let beta = text_of(&read(out.path(), "services/beta-advice/index.html"));
    assert!(beta.contains("Open 24 hours, every day"), "{beta}");
    assert!(beta.contains("Open on bank holidays"), "{beta}");
    assert!(
        beta.contains("£2 a call: ask about help with the cost"),
        "{beta}"
    );
}

#[test]
fn stale_entries_are_marked_and_reported() {
    let (out, outcome) = build(&fixture());
    let beta = text_of(&read(out.path(), "services/beta-advice/index.html"));
    assert!(
        beta.contains(
            "This information was last checked on 15 January 2020; it may be out of date."
        ),
        "{beta}"
    );
    let fresh: Vec<Diagnostic> = outcome
        .diagnostics
        .sorted()
        .into_iter()
        .filter(|d| d.code == Code::FRESH002)
        .collect();
    assert_eq!(fresh.len(), 1, "{fresh:#?}");
    assert_eq!(
        fresh[0].file.as_deref(),
        Some("content/services/beta-advice.yaml")
    );
    assert_eq!(fresh[0].line, Some(13));
    assert_eq!(fresh[0].severity, Severity::Warning);
    assert!(
        fresh[0].help.contains("owner: Directory team"),
        "{:?}",
        fresh[0]
    );
    // By an earlier date, nothing is stale.
    let mut o = Options::new(fixture());
    o.today = Some(Date::parse("2020-06-01").unwrap());
    let (outcome, _) = signpost::check(&o);
    assert!(
        outcome
            .diagnostics
            .sorted()
            .iter()
            .all(|d| d.code != Code::FRESH002)
    );
}

#[test]
fn large_print_and_plain_text_versions_exist() {
    let (out, _) = build(&fixture());
    let out = out.path();
    for dir in [
        "services/alpha-carers/",
        "services/category/carers/",
        "services/area/south/",
        "pl/services/beta-advice/",
        "pl/services/category/advice/",
    ] {
        let lp = read(out, &format!("{dir}large-print/index.html"));
        assert!(
            lp.contains("large-print."),
            "{dir}: the large-print stylesheet"
        );
        assert!(lp.contains("format-large_print"), "{dir}");
        let txt = read(out, &format!("{dir}index.txt"));
        assert!(
            txt.lines().all(|l| !l.contains('<')),
            "{dir}: no HTML in plain text"
        );
    }
    let lp = read(out, "services/alpha-carers/large-print/index.html");
    assert!(
        hrefs(&lp).contains(&"/services/category/carers/large-print/".to_string()),
        "large print links stay in large print"
    );
    let html = read(out, "services/alpha-carers/index.html");
    let links = hrefs(&html);
    assert!(
        links.contains(&"/services/alpha-carers/large-print/".to_string()),
        "{links:?}"
    );
    assert!(
        links.contains(&"/services/alpha-carers/index.txt".to_string()),
        "{links:?}"
    );
    assert!(
        links.contains(&"/pl/services/alpha-carers/".to_string()),
        "{links:?}"
    );
    let txt = read(out, "services/alpha-carers/index.txt");
    for s in [
        "Alpha Carers Centre\n===================",
        "Page address: https://directory.example.test/services/alpha-carers/",
        ". Opening hours\n----------------",
        "- Monday to Friday, 9am to 5pm",
        "- Phone: 01632 960120",
        "We last checked this information with the service on 1 June 2026.",
        "help@example.test",
    ] {
        assert!(txt.contains(s), "`{s}` not in\n{txt}");
    }
    assert!(
        txt.lines()
            .all(|l| textwrap::core::display_width(l) <= 72 || l.contains("://")),
        "{txt}"
    );
    let stale = read(out, "services/beta-advice/index.txt");
    let flat = stale.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(flat.contains("it may be out of date"), "{stale}");
}

#[test]
fn polish_translation_is_merged_over_the_entry() {
    let (out, _) = build(&fixture());
    let out = out.path();
    let html = read(out, "pl/services/alpha-carers/index.html");
    let text = text_of(&html);
    for s in [
        "Porady i krótkie przerwy dla nieodpłatnych opiekunów.",
        "Nieodpłatni opiekunowie mieszkający w North Town.",
        "bezpłatnie",
        "dostęp bez schodów",
        "Godziny otwarcia",
        "Od poniedziałku do piątku, od 9:00 do 17:00",
        "1 czerwca 2026",
        "Wsparcie dla opiekunów",
    ] {
        assert!(text.contains(s), "`{s}` not in {text}");
    }
    // Untranslated fields come from the default entry; not a fallback page.
    assert!(text.contains("Alpha Carers Centre"));
    assert!(text.contains("01632 960120"));
    assert!(
        !html.contains("id=fallback") && !html.contains("id=\"fallback\""),
        "translated entries have no fallback notice"
    );
    assert!(hrefs(&html).contains(&"/pl/services/category/carers/".to_string()));

    // An entry with no translation falls back, with the notice in Polish.
    let beta = read(out, "pl/services/beta-advice/index.html");
    let text = text_of(&beta);
    assert!(text.contains("nie jest jeszcze przetłumaczona"), "{text}");
    assert!(text.contains("A phone line for advice at any time of day or night."));
    assert!(
        text.contains("Całą dobę, codziennie") || text.contains("Czynne całą dobę, codziennie"),
        "{text}"
    );
    assert!(
        beta.contains("lang=en"),
        "English content is marked as English"
    );
    // Facet names fall back to the default language where not translated.
    let south = text_of(&read(out, "pl/services/area/south/index.html"));
    assert!(south.contains("South Town"), "{south}");
    let txt = read(out, "pl/services/beta-advice/index.txt");
    let flat = txt.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(flat.contains("nie jest jeszcze przetłumaczona"), "{txt}");
}

#[test]
fn sitemap_lists_directory_pages() {
    let (out, _) = build(&fixture());
    let sitemap = read(out.path(), "sitemap.xml");
    for l in [
        "https://directory.example.test/services/alpha-carers/",
        "https://directory.example.test/pl/services/alpha-carers/",
        "https://directory.example.test/services/category/carers/",
        "https://directory.example.test/pl/services/area/north/",
    ] {
        assert!(sitemap.contains(&format!("<loc>{l}</loc>")), "{l}");
    }
    assert!(
        !sitemap.contains("/pl/services/beta-advice/<"),
        "fallback pages are not listed"
    );
}

/// The Open Referral UK schema of one fully nested service, and the page object.
fn schemas() -> (jsonschema::Validator, jsonschema::Validator) {
    let dir = repo().join("tests/schemas/open-referral-uk/schema");
    let service: Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("compiled/service.json")).unwrap())
            .unwrap();
    let openapi: Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("openapi.json")).unwrap()).unwrap();
    let page = openapi["components"]["schemas"]["Page"].clone();
    assert!(page.is_object(), "the openapi file defines Page");
    let build = |s: &Value| {
        jsonschema::options()
            .should_validate_formats(true)
            .build(s)
            .unwrap()
    };
    (build(&service), build(&page))
}

fn check_against_schema(list: &Value) {
    let (service, page) = schemas();
    let errors: Vec<String> = page
        .iter_errors(list)
        .map(|e| format!("{e} at {}", e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "page: {errors:#?}");
    let contents = list["contents"].as_array().expect("contents");
    for s in contents {
        let errors: Vec<String> = service
            .iter_errors(s)
            .map(|e| format!("{e} at {}", e.instance_path()))
            .collect();
        assert!(errors.is_empty(), "{}: {errors:#?}", s["name"]);
    }
    // The schema is not toothless: a broken service fails it.
    let mut bad = contents[0].clone();
    bad["id"] = Value::String("not-a-uuid".into());
    bad["status"] = Value::String("open".into());
    assert!(!service.is_valid(&bad));
}

#[test]
fn services_json_validates_against_open_referral_uk() {
    let (out, _) = build(&fixture());
    let list: Value = serde_json::from_str(&read(out.path(), "services/services.json")).unwrap();
    assert_eq!(list["total_items"], 3);
    check_against_schema(&list);
    let alpha = list["contents"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["name"] == "Alpha Carers Centre")
        .unwrap();
    assert_eq!(alpha["organization"]["name"], "Example Council");
    assert_eq!(alpha["email"], "alpha@example.test");
    assert_eq!(alpha["url"], "https://alpha.example.test/carers");
    assert_eq!(alpha["schedules"][0]["byday"], "MO,TU,WE,TH,FR");
    assert_eq!(alpha["schedules"][0]["opens_at"], "09:00");
    assert_eq!(alpha["service_areas"][0]["name"], "North Town");
    assert_eq!(alpha["languages"][1]["code"], "pl");
    assert_eq!(alpha["cost_options"][0]["amount"], 0);
    let address = &alpha["service_at_locations"][0]["location"]["addresses"][0];
    assert_eq!(address["postal_code"], "NT1 1AA");
    assert_eq!(address["city"], "North Town");
    let phones: Vec<&str> = alpha["contacts"][0]["phones"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["number"].as_str().unwrap())
        .collect();
    assert!(phones.contains(&"01632 960120"), "{phones:?}");
    let terms: Vec<&str> = alpha["attributes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["taxonomy_term"]["name"].as_str().unwrap())
        .collect();
    assert!(terms.contains(&"Support for carers"), "{terms:?}");
    // Stable v5 ids: the same in every build.
    let id = alpha["id"].as_str().unwrap();
    assert_eq!(id.as_bytes()[14], b'5', "{id} is a version 5 UUID");
    let (again, _) = build(&fixture());
    assert_eq!(
        read(out.path(), "services/services.json"),
        read(again.path(), "services/services.json")
    );
}

fn jsonld_of(html: &str) -> Value {
    let start = html.find("application/ld+json").expect("a JSON-LD block");
    let body = &html[start..];
    let open = body.find('>').unwrap() + 1;
    let close = body.find("</script>").unwrap();
    serde_json::from_str(&body[open..close])
        .unwrap_or_else(|e| panic!("{e}: {}", &body[open..close]))
}

#[test]
fn service_pages_carry_schema_org_data() {
    let (out, _) = build(&fixture());
    let v = jsonld_of(&read(out.path(), "services/alpha-carers/index.html"));
    assert_eq!(v["@context"], "https://schema.org");
    assert!(
        v["@type"] == "Service" || v["@type"] == "GovernmentService",
        "{v}"
    );
    assert_eq!(v["name"], "Alpha Carers Centre");
    assert_eq!(
        v["url"],
        "https://directory.example.test/services/alpha-carers/"
    );
    let channel = &v["availableChannel"];
    assert_eq!(channel["@type"], "ServiceChannel");
    assert_eq!(channel["servicePhone"]["telephone"], "01632960120");
    assert_eq!(channel["serviceUrl"], "https://alpha.example.test/carers");
    let address = &channel["serviceLocation"]["address"];
    assert_eq!(address["@type"], "PostalAddress");
    assert_eq!(address["postalCode"], "NT1 1AA");
    assert_eq!(address["addressLocality"], "North Town");
    let hours = v["hoursAvailable"].as_array().unwrap();
    assert_eq!(hours[0]["@type"], "OpeningHoursSpecification");
    assert_eq!(hours[0]["opens"], "09:00");
    assert_eq!(hours[0]["closes"], "17:00");
    assert!(
        hours[0]["dayOfWeek"]
            .as_array()
            .unwrap()
            .contains(&Value::from("https://schema.org/Monday"))
    );
    assert_eq!(v["areaServed"][0]["name"], "North Town");
    // The Polish page's data is in Polish.
    let pl = jsonld_of(&read(out.path(), "pl/services/alpha-carers/index.html"));
    assert_eq!(
        pl["description"],
        "Porady i krótkie przerwy dla nieodpłatnych opiekunów."
    );
}

#[test]
fn jsonld_cannot_break_out_of_its_element() {
    let site = fixture_copy();
    let evil = GOOD.replace(
        "A weekly group for carers.",
        "\"</script><script>alert(1)</script> <!-- & more\"",
    );
    std::fs::write(site.path().join("content/services/delta.yaml"), evil).unwrap();
    let (out, _) = build(site.path());
    let html = read(out.path(), "services/delta/index.html");
    // Outside attribute values (where `<` is only text), there is one script
    // element: the JSON-LD; the summary is text everywhere else.
    let mut outside = String::new();
    let mut rest = html.as_str();
    while let Some(i) = rest.find("=\"") {
        outside.push_str(&rest[..i]);
        rest = &rest[i + 2..];
        rest = rest.split_once('"').map(|(_, r)| r).unwrap_or("");
    }
    outside.push_str(rest);
    assert_eq!(outside.matches("<script").count(), 1, "{outside}");
    assert!(
        outside.contains("&lt;/script>&lt;script>alert(1)")
            || outside.contains("&lt;/script&gt;&lt;script&gt;alert(1)"),
        "{outside}"
    );
    let v = jsonld_of(&html);
    assert_eq!(
        v["description"],
        "</script><script>alert(1)</script> <!-- & more"
    );
}

/// Parses every default-language entry of a directory folder, by NAME.
fn entries(dir: &Path) -> std::collections::BTreeMap<String, entry::Entry> {
    let mut out = std::collections::BTreeMap::new();
    for e in std::fs::read_dir(dir).unwrap() {
        let path = e.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().to_string();
        let Some(stem) = name.strip_suffix(".yaml") else {
            continue;
        };
        if stem.contains('.') {
            continue;
        }
        let text = std::fs::read_to_string(&path).unwrap();
        let parsed = entry::parse_entry(&SourceText::new(name.clone(), text))
            .unwrap_or_else(|d| panic!("{name}: {d}"));
        out.insert(parsed.name.0.clone(), parsed);
    }
    out
}

/// Builds `root`, imports its `services.json` into a new directory folder
/// holding a copy of the directory's `_index.md`, and compares every entry.
fn round_trip(root: &Path) -> usize {
    let (out, _) = build(root);
    let json = out.path().join("services/services.json");
    let target = tempfile::tempdir().unwrap();
    let into = target.path().join("services");
    std::fs::create_dir_all(&into).unwrap();
    std::fs::copy(
        root.join("content/services/_index.md"),
        into.join("_index.md"),
    )
    .unwrap();
    let opts = signpost::directory::import::ImportOptions::new(today());
    let report = signpost::directory::import::open_referral(&json, &into, &opts).unwrap();
    assert!(
        report.new_categories.is_empty() && report.new_areas.is_empty(),
        "{report:#?}"
    );
    assert!(
        report.skipped.is_empty() && report.problems.is_empty(),
        "{report:#?}"
    );
    let names = |dir: &Path| -> std::collections::BTreeSet<String> {
        std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().to_string())
            .filter(|n| n.ends_with(".yaml") && n.matches('.').count() == 1)
            .collect()
    };
    assert_eq!(
        names(&root.join("content/services")),
        names(&into),
        "the same file names"
    );
    let before = entries(&root.join("content/services"));
    let exported: Value = serde_json::from_str(&std::fs::read_to_string(&json).unwrap()).unwrap();
    let ids: std::collections::BTreeSet<&str> = exported["contents"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["id"].as_str().unwrap())
        .collect();
    // Each entry keeps the id it has in the feed, and nothing else changes.
    let mut after = entries(&into);
    for e in after.values_mut() {
        let id = e
            .source_id
            .take()
            .expect("every imported entry has a source_id");
        assert!(ids.contains(id.as_str()), "{id}");
    }
    assert_eq!(before.len(), after.len());
    for (name, e) in &before {
        assert_eq!(
            Some(e),
            after.get(name),
            "{name} changed on the way through Open Referral"
        );
    }
    before.len()
}

#[test]
fn import_then_export_keeps_every_field() {
    assert_eq!(round_trip(&fixture()), 3);
    assert_eq!(round_trip(&repo()), 35);
}

#[test]
fn import_command_writes_entries_that_build() {
    let (out, _) = build(&fixture());
    let site = fixture_copy();
    let services = site.path().join("content/services");
    for e in std::fs::read_dir(&services).unwrap() {
        let p = e.unwrap().path();
        if p.extension().is_some_and(|x| x == "yaml") {
            std::fs::remove_file(p).unwrap();
        }
    }
    let json = out.path().join("services/services.json");
    let run = Command::new(env!("CARGO_BIN_EXE_signpost"))
        .args(["import", "open-referral"])
        .arg(&json)
        .arg("--into")
        .arg(&services)
        .output()
        .unwrap();
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let written = std::fs::read_to_string(services.join("alpha-carers.yaml")).unwrap();
    assert!(written.contains("opening_hours:\n  - { days: [mon, tue, wed, thu, fri], opens: \"09:00\", closes: \"17:00\" }"), "{written}");
    assert!(
        written.contains("description: |\n  Alpha Carers Centre helps"),
        "{written}"
    );
    // Running it again finds the entries it wrote and changes none.
    let again = Command::new(env!("CARGO_BIN_EXE_signpost"))
        .args(["import", "open-referral"])
        .arg(&json)
        .arg("--into")
        .arg(&services)
        .output()
        .unwrap();
    assert!(again.status.success());
    assert_eq!(
        String::from_utf8_lossy(&again.stdout),
        "Added 0, updated 0, unchanged 3.\n"
    );
    let (rebuilt, _) = build(site.path());
    assert!(
        rebuilt
            .path()
            .join("services/alpha-carers/index.html")
            .is_file()
    );
    // Not JSON: a usage error, exit code 2.
    let bad = site.path().join("bad.json");
    std::fs::write(&bad, "{ not json").unwrap();
    let run = Command::new(env!("CARGO_BIN_EXE_signpost"))
        .args(["import", "open-referral"])
        .arg(&bad)
        .arg("--into")
        .arg(&services)
        .output()
        .unwrap();
    assert_eq!(run.status.code(), Some(2));
}

#[test]
fn example_site_directory_has_every_entry() {
    let root = repo();
    let (out, outcome) = build(&root);
    assert!(!outcome.diagnostics.has_errors());
    let out = out.path();
    let list: Value = serde_json::from_str(&read(out, "services/services.json")).unwrap();
    assert_eq!(list["total_items"], 35);
    check_against_schema(&list);
    let home = read(out, "services/index.html");
    let links = hrefs(&home);
    let mut services: Vec<String> = Vec::new();
    for e in std::fs::read_dir(root.join("content/services")).unwrap() {
        let name = e.unwrap().file_name().to_string_lossy().to_string();
        if let Some(stem) = name.strip_suffix(".yaml").filter(|s| !s.contains('.')) {
            services.push(stem.to_string());
        }
    }
    assert_eq!(services.len(), 35);
    let mut in_some_category = std::collections::BTreeSet::new();
    let index = std::fs::read_to_string(root.join("content/services/_index.md")).unwrap();
    let ids = |key: &str| -> Vec<String> {
        let block = index.split(&format!("\n{key}:\n")).nth(1).unwrap();
        block
            .lines()
            .take_while(|l| l.starts_with("  "))
            .map(|l| l.trim().split(':').next().unwrap().to_string())
            .collect()
    };
    for cat in ids("categories") {
        let page = read(out, &format!("services/category/{cat}/index.html"));
        for l in hrefs(&page) {
            if let Some(s) = l
                .strip_prefix("/services/")
                .and_then(|s| s.strip_suffix('/'))
            {
                in_some_category.insert(s.to_string());
            }
        }
        assert!(
            links.contains(&format!("/services/category/{cat}/")),
            "{cat} on the home page"
        );
    }
    for area in ids("areas") {
        assert!(
            out.join(format!("services/area/{area}/index.html"))
                .is_file(),
            "{area}"
        );
        assert!(
            out.join(format!("ar/services/area/{area}/large-print/index.html"))
                .is_file(),
            "{area}"
        );
    }
    for s in &services {
        assert!(
            links.contains(&format!("/services/{s}/")),
            "{s} in the A to Z"
        );
        assert!(in_some_category.contains(s), "{s} in a category");
        for lang in ["", "pl/", "ar/"] {
            for file in ["index.html", "large-print/index.html", "index.txt"] {
                assert!(
                    out.join(format!("{lang}services/{s}/{file}")).is_file(),
                    "{lang}{s}/{file}"
                );
            }
        }
    }
}

#[test]
fn entries_need_a_directory_page_and_known_languages() {
    let site = fixture_copy();
    let other = site.path().join("content/other");
    std::fs::create_dir_all(&other).unwrap();
    std::fs::write(other.join("lost.yaml"), GOOD).unwrap();
    let mut o = Options::new(site.path());
    o.today = Some(today());
    let (outcome, result) = signpost::check(&o);
    assert!(result.is_err());
    let d = outcome
        .diagnostics
        .sorted()
        .into_iter()
        .find(|d| d.code == Code::SVC007)
        .expect("SVC007");
    assert_eq!(d.file.as_deref(), Some("content/other/lost.yaml"));

    let diags = check_with("delta.yaml", &format!("{GOOD}languages: [en, xx]\n"));
    let d = diags
        .iter()
        .find(|d| d.code == Code::SVC006)
        .expect("SVC006");
    assert_eq!(
        (d.severity, d.line, d.column),
        (Severity::Warning, Some(11), Some(17)),
        "{d:?}"
    );
    assert!(diags.iter().all(|d| !d.is_error()), "{diags:#?}");
}

#[test]
fn description_problems_point_into_the_entry() {
    let text = GOOD.replace(
        "categories: [carers]\n",
        "description: |\n  A group.\n\n  ## Too high a heading\n\n  See [this](nowhere.md) and ![a map](map.png).\ncategories: [carers]\n",
    );
    let diags = check_with("delta.yaml", &text);
    let find = |code: Code| {
        diags
            .iter()
            .find(|d| d.code == code)
            .unwrap_or_else(|| panic!("no {code} in {diags:#?}"))
    };
    let heading = find(Code::A11Y004);
    assert_eq!(
        (heading.file.as_deref(), heading.line, heading.column),
        (Some("content/services/delta.yaml"), Some(6), Some(3))
    );
    let link = find(Code::LINK001);
    assert_eq!((link.line, link.column), (Some(8), Some(7)), "{link:?}");
    let picture = find(Code::LINK003);
    assert_eq!(picture.line, Some(8), "{picture:?}");
    // Vague link text is caught as on pages.
    let vague = find(Code::LINK004);
    assert_eq!(vague.line, Some(8), "{vague:?}");
}

/// A description's links go through the site's one link resolver: a link
/// to a heading is checked, `%2D` is decoded, and a link to a part of the
/// description itself must name one of its headings.
#[test]
fn description_links_are_checked_as_page_links_are() {
    let site = fixture_copy();
    let home = site.path().join("content/_index.md");
    let mut text = std::fs::read_to_string(&home).unwrap();
    text.push_str("\n## Getting help\n\nCall us first.\n");
    std::fs::write(&home, text).unwrap();
    let good = GOOD.replace(
        "categories: [carers]\n",
        "description: |\n  Read [how to get help](../_index.md#getting-help) first,\n  then see [our partner](beta%2Dadvice.yaml).\ncategories: [carers]\n",
    );
    std::fs::write(site.path().join("content/services/delta.yaml"), &good).unwrap();
    let (out, _) = build(site.path());
    let links = hrefs(&read(out.path(), "services/delta/index.html"));
    for href in ["/#getting-help", "/services/beta-advice/"] {
        assert!(links.contains(&href.to_string()), "no {href} in {links:?}");
    }

    let bad = GOOD.replace(
        "categories: [carers]\n",
        "description: |\n  A group.\n\n  Read [the wrong part](../_index.md#no-such-part)\n  or [this part](#nowhere).\ncategories: [carers]\n",
    );
    std::fs::write(site.path().join("content/services/delta.yaml"), &bad).unwrap();
    let mut o = Options::new(site.path());
    o.today = Some(today());
    let (outcome, result) = signpost::check(&o);
    assert!(
        result.is_err(),
        "a link to a missing heading must stop the build"
    );
    let missing: Vec<Diagnostic> = outcome
        .diagnostics
        .sorted()
        .into_iter()
        .filter(|d| d.code == Code::LINK002)
        .collect();
    let found: Vec<_> = missing
        .iter()
        .map(|d| (d.file.as_deref(), d.line, d.column, d.message.as_str()))
        .collect();
    assert_eq!(
        found,
        [
            (
                Some("content/services/delta.yaml"),
                Some(6),
                Some(8),
                "there is no heading `#no-such-part` on content/_index.md"
            ),
            (
                Some("content/services/delta.yaml"),
                Some(7),
                Some(6),
                "there is no heading `#nowhere` on this page"
            ),
        ],
        "{missing:#?}"
    );
}

#[test]
fn towns_name_areas() {
    let site = fixture_copy();
    let text = GOOD.replace("areas: [north]\n", "towns: [South Town, north]\n");
    std::fs::write(site.path().join("content/services/delta.yaml"), text).unwrap();
    let (out, _) = build(site.path());
    for area in ["south", "north"] {
        let links = hrefs(&read(
            out.path(),
            &format!("services/area/{area}/index.html"),
        ));
        assert!(
            links.contains(&"/services/delta/".to_string()),
            "{area}: {links:?}"
        );
    }
    let d = only_error(&GOOD.replace("areas: [north]\n", "towns: [Westbury]\n"));
    assert_eq!(
        (d.code, d.line, d.column),
        (Code::SVC004, Some(4), Some(9)),
        "{d:?}"
    );
    assert!(d.help.contains("North Town"), "{d:?}");
}

/// With braille switched on, every service has a braille file in every
/// language, laid out 40 cells by 25 lines, holding the service's name,
/// its sections and its phone number (`#JAFCB"IFJABJ` is 01632 960120 in
/// UEB, the space between its groups a dot-5 numeric space), listed on its
/// pages with its size; category pages, which have no braille file, list
/// none.
#[test]
fn every_service_has_a_braille_file_in_every_language() {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&fixture(), dir.path());
    let yaml = dir.path().join("site.yaml");
    let text = std::fs::read_to_string(&yaml).unwrap();
    std::fs::write(&yaml, format!("{text}print:\n  braille: true\n")).unwrap();
    let (out, _) = build(dir.path());
    for lang in ["", "pl/"] {
        for service in ["alpha-carers", "beta-advice", "gamma-online"] {
            let file = format!("{lang}services/{service}/braille.brf");
            let brf = read(out.path(), &file);
            for page in brf.split('\u{c}').filter(|p| !p.is_empty()) {
                let lines: Vec<&str> = page.trim_end_matches("\r\n").split("\r\n").collect();
                assert!(lines.len() <= 25, "{file}: a page of {} lines", lines.len());
                assert!(lines.iter().all(|l| l.len() <= 40), "{file}: {lines:?}");
            }
            let html = read(out.path(), &format!("{lang}services/{service}/index.html"));
            let href = format!("/{file}");
            assert!(hrefs(&html).contains(&href), "{lang}{service}: no {href}");
            assert!(html.contains("(BRF, "), "{lang}{service}: no size");
        }
    }
    let alpha = read(out.path(), "services/alpha-carers/braille.brf");
    // UEB grade 2: "Alpha Carers Centre" with capital signs and the "ar",
    // "er" and "en" contractions; the phone number as one number.
    assert!(alpha.contains(",ALPHA ,C>]S ,C5TRE"), "{alpha}");
    assert!(alpha.contains("#JAFCB\"IFJABJ"), "{alpha}");
    // The description's own heading is there.
    assert!(alpha.contains(",GETT+ ADVICE F/"), "{alpha}");
    let category = read(out.path(), "services/category/carers/index.html");
    assert!(
        !category.contains("(BRF, "),
        "a category page has no braille"
    );
}
