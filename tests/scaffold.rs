//! `signpost new`: every kind of file it makes builds without errors (and
//! without warnings), and nothing is ever overwritten.

use std::path::Path;
use std::process::{Command, Output};

fn signpost(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_signpost"))
        .current_dir(dir)
        .args(args)
        .output()
        .expect("run signpost")
}

fn text(o: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

/// Builds the site in `dir` and fails on any error or warning.
fn builds_cleanly(dir: &Path, after: &str) {
    let out = tempfile::tempdir().unwrap();
    let o = Command::new(env!("CARGO_BIN_EXE_signpost"))
        .args(["build", "--deny-warnings", "--root"])
        .arg(dir)
        .arg("--output")
        .arg(out.path())
        .output()
        .unwrap();
    assert!(
        o.status.success(),
        "the site does not build after `{after}`:\n{}",
        text(&o)
    );
}

fn new_ok(dir: &Path, args: &[&str]) -> String {
    let o = signpost(dir, args);
    assert!(
        o.status.success(),
        "`signpost {}` failed:\n{}",
        args.join(" "),
        text(&o)
    );
    String::from_utf8_lossy(&o.stdout).to_string()
}

#[test]
fn every_new_file_builds() {
    let tmp = tempfile::tempdir().unwrap();
    let site = tmp.path().join("my-council");

    let out = new_ok(tmp.path(), &["new", "site", "my-council"]);
    assert!(out.contains("site.yaml"), "{out}");
    for f in [
        "site.yaml",
        "content/_index.md",
        "content/about/_index.md",
        "content/about/contact-us.md",
    ] {
        assert!(site.join(f).is_file(), "{f}");
    }
    builds_cleanly(&site, "new site");

    new_ok(&site, &["new", "page", "content/carers/respite-care.md"]);
    let page = std::fs::read_to_string(site.join("content/carers/respite-care.md")).unwrap();
    assert!(page.contains("title: \"Respite care\""), "{page}");
    assert!(
        page.contains("summary: Say in one or two sentences"),
        "{page}"
    );
    let today = signpost_today();
    assert!(page.contains(&format!("updated: {today}")), "{page}");
    let next_year = format!("{}{}", today[..4].parse::<i32>().unwrap() + 1, &today[4..]);
    assert!(
        page.contains("review_by: ") && (page.contains(&next_year) || today.ends_with("02-29")),
        "{page}"
    );
    builds_cleanly(&site, "new page");

    // A section page, and a page given without content/.
    new_ok(&site, &["new", "page", "content/carers/_index.md"]);
    new_ok(&site, &["new", "page", "carers/breaks"]);
    assert!(site.join("content/carers/breaks.md").is_file());
    builds_cleanly(&site, "new page (section, short path)");

    new_ok(
        &site,
        &["new", "easy-read", "content/carers/respite-care.md"],
    );
    let easy = std::fs::read_to_string(site.join("content/carers/respite-care.easy.md")).unwrap();
    assert!(
        easy.contains("title: \"Respite care\""),
        "front matter copied: {easy}"
    );
    let rows: Vec<&str> = easy.lines().filter(|l| l.starts_with("![")).collect();
    assert!(rows.len() >= 3, "rows to fill, each with a picture: {easy}");
    assert!(rows.iter().all(|r| r.contains("](symbol:")), "{easy}");
    builds_cleanly(&site, "new easy-read");

    // A directory section, then a service entry in it.
    std::fs::create_dir_all(site.join("content/services")).unwrap();
    std::fs::write(
        site.join("content/services/_index.md"),
        "---\ntitle: Find a service\nsummary: Services that can help you.\ncategories:\n  advice: Advice\n  carers: Support for carers\nareas:\n  town: The town\n---\n\nServices near you.\n",
    )
    .unwrap();
    new_ok(
        &site,
        &["new", "service", "content/services/food-bank.yaml"],
    );
    let entry = std::fs::read_to_string(site.join("content/services/food-bank.yaml")).unwrap();
    assert!(
        entry.contains("categories: [advice]"),
        "a category of the section: {entry}"
    );
    let commented = entry
        .lines()
        .filter(|l| l.trim_start().starts_with('#'))
        .count();
    assert!(commented >= 15, "every field is explained: {entry}");
    builds_cleanly(&site, "new service");

    // Translations need a second language.
    let yaml = std::fs::read_to_string(site.join("site.yaml")).unwrap();
    std::fs::write(
        site.join("site.yaml"),
        yaml.replace(
            "  - { code: en, name: English }\n",
            "  - { code: en, name: English }\n  - { code: pl, name: Polski, title: Opieka i wsparcie }\n",
        ),
    )
    .unwrap();
    builds_cleanly(&site, "adding a language");
    new_ok(
        &site,
        &["new", "translation", "content/carers/respite-care.md", "pl"],
    );
    let tr = std::fs::read_to_string(site.join("content/carers/respite-care.pl.md")).unwrap();
    assert!(
        tr.starts_with("---\n# Translation into Polski (pl)"),
        "a comment at the top: {tr}"
    );
    assert!(tr.contains("Translate:"), "{tr}");
    new_ok(
        &site,
        &[
            "new",
            "translation",
            "content/carers/respite-care.easy.md",
            "pl",
        ],
    );
    assert!(
        site.join("content/carers/respite-care.easy.pl.md")
            .is_file()
    );
    new_ok(
        &site,
        &[
            "new",
            "translation",
            "content/services/food-bank.yaml",
            "pl",
        ],
    );
    assert!(site.join("content/services/food-bank.pl.yaml").is_file());
    builds_cleanly(&site, "new translation");

    // --root from elsewhere.
    new_ok(
        tmp.path(),
        &[
            "new",
            "--root",
            "my-council",
            "page",
            "content/about/opening-times.md",
        ],
    );
    assert!(site.join("content/about/opening-times.md").is_file());
    builds_cleanly(&site, "new page --root");
}

fn signpost_today() -> String {
    signpost::frontmatter::Date::today().to_string()
}

#[test]
fn never_overwrites_and_explains_bad_requests() {
    let tmp = tempfile::tempdir().unwrap();
    new_ok(tmp.path(), &["new", "site", "s"]);
    let site = tmp.path().join("s");
    let before = std::fs::read_to_string(site.join("content/about/contact-us.md")).unwrap();

    for args in [
        vec!["new", "page", "content/about/contact-us.md"],
        vec!["new", "site", "."],
    ] {
        let o = signpost(&site, &args);
        assert_eq!(
            o.status.code(),
            Some(2),
            "`{}`: {}",
            args.join(" "),
            text(&o)
        );
        assert!(text(&o).contains("already exists"), "{}", text(&o));
    }
    assert_eq!(
        std::fs::read_to_string(site.join("content/about/contact-us.md")).unwrap(),
        before
    );

    new_ok(&site, &["new", "easy-read", "content/about/contact-us.md"]);
    let o = signpost(&site, &["new", "easy-read", "content/about/contact-us.md"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        text(&o).contains("contact-us.easy.md already exists"),
        "{}",
        text(&o)
    );

    let bad: [(&[&str], &str); 4] = [
        (
            &["new", "translation", "content/about/contact-us.md", "fr"],
            "not a language of this site",
        ),
        (
            &["new", "easy-read", "content/about/missing.md"],
            "does not exist",
        ),
        (
            &["new", "page", "../outside.md"],
            "not a file path inside content/",
        ),
        (
            &["new", "page", "content/about/x.easy.md"],
            "not the name of a page",
        ),
    ];
    for (args, says) in bad {
        let o = signpost(&site, args);
        assert_eq!(
            o.status.code(),
            Some(2),
            "`{}`: {}",
            args.join(" "),
            text(&o)
        );
        assert!(
            text(&o).contains(says),
            "`{}` should say `{says}`: {}",
            args.join(" "),
            text(&o)
        );
    }
}
