//! The structure lint on a fixture site (`tests/fixtures/structure/`): a
//! report pasted from a PDF (no subheadings, page numbers, a running
//! header, a word broken across lines) gets each warning at its line and
//! column with a help text; a long page written for the web (headings, a
//! table of numbers, page furniture inside a code block) gets none.

use std::path::PathBuf;
use std::process::Command;

use serde_json::Value;

fn fixture() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/structure")
}

/// `check --format json`: (exit code, diagnostics).
fn check(extra: &[&str]) -> (Option<i32>, Vec<Value>) {
    let run = Command::new(env!("CARGO_BIN_EXE_signpost"))
        .args(["check", "--format", "json", "--root"])
        .arg(fixture())
        .args(extra)
        .output()
        .unwrap();
    let list: Value = serde_json::from_slice(&run.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&run.stderr)));
    (run.status.code(), list.as_array().unwrap().clone())
}

fn found(list: &[Value], file: &str) -> Vec<(String, u64, u64)> {
    list.iter()
        .filter(|d| d["file"] == format!("content/{file}"))
        .map(|d| {
            (
                d["code"].as_str().unwrap().to_string(),
                d["line"].as_u64().unwrap(),
                d["column"].as_u64().unwrap(),
            )
        })
        .collect()
}

#[test]
fn pasted_pdf_text_is_warned_about_at_each_line() {
    let (code, list) = check(&[]);
    assert_eq!(code, Some(0), "warnings only: {list:#?}");
    let mut got = found(&list, "pasted-report.md");
    got.sort();
    let want: Vec<(String, u64, u64)> = [
        ("STRUCT001", 5, 1),
        ("STRUCT002", 9, 1),
        ("STRUCT002", 16, 1),
        ("STRUCT003", 5, 1),
        ("STRUCT003", 11, 1),
        ("STRUCT003", 18, 1),
        ("STRUCT004", 13, 25),
    ]
    .iter()
    .map(|(c, l, col)| (c.to_string(), *l, *col))
    .collect();
    assert_eq!(got, want, "{list:#?}");
    let by = |code: &str| list.iter().find(|d| d["code"] == code).unwrap();
    assert_eq!(by("STRUCT002")["severity"], "warning");
    assert_eq!(
        by("STRUCT002")["message"],
        "`4 |` looks like a page number copied from a printed document"
    );
    assert!(
        by("STRUCT002")["help"]
            .as_str()
            .unwrap()
            .starts_with("delete this line")
    );
    assert_eq!(
        by("STRUCT003")["message"],
        "`Annual report 2025` appears 3 times in this page, like the running header or footer of a printed document"
    );
    assert_eq!(
        by("STRUCT004")["message"],
        "`inde-` / `pendent` looks like one word broken across two lines"
    );
    assert!(
        by("STRUCT004")["help"]
            .as_str()
            .unwrap()
            .contains("`independent`")
    );
    let long = by("STRUCT001")["message"].as_str().unwrap();
    assert!(
        long.starts_with("this page has ") && long.ends_with(" words and no subheadings"),
        "{long}"
    );
    assert!(
        by("STRUCT001")["help"]
            .as_str()
            .unwrap()
            .contains("## heading")
    );
}

#[test]
fn a_long_page_with_headings_tables_and_code_is_clean() {
    let (_, list) = check(&[]);
    assert_eq!(found(&list, "long-good.md"), Vec::new(), "{list:#?}");
    assert_eq!(found(&list, "_index.md"), Vec::new(), "{list:#?}");
}

#[test]
fn warnings_can_fail_the_check_and_thresholds_come_from_site_yaml() {
    let (code, _) = check(&["--deny-warnings"]);
    assert_eq!(code, Some(1));
    // Raised limits: the same page passes.
    let dir = tempfile::tempdir().unwrap();
    let copy = dir.path();
    std::fs::create_dir_all(copy.join("content")).unwrap();
    for f in ["content/_index.md", "content/pasted-report.md"] {
        std::fs::copy(fixture().join(f), copy.join(f)).unwrap();
    }
    std::fs::write(
        copy.join("site.yaml"),
        "title: T\nstructure:\n  max_words_without_heading: 5000\n  repeated_line_times: 4\n",
    )
    .unwrap();
    let run = Command::new(env!("CARGO_BIN_EXE_signpost"))
        .args(["check", "--format", "json", "--root"])
        .arg(copy)
        .output()
        .unwrap();
    let list: Value = serde_json::from_slice(&run.stdout).unwrap();
    let codes: Vec<&str> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["code"].as_str().unwrap())
        .collect();
    assert_eq!(codes, ["STRUCT002", "STRUCT004", "STRUCT002"], "{list:#}");
}

#[test]
fn every_structure_code_is_explained() {
    for code in ["STRUCT001", "STRUCT002", "STRUCT003", "STRUCT004"] {
        let run = Command::new(env!("CARGO_BIN_EXE_signpost"))
            .args(["explain", code])
            .output()
            .unwrap();
        assert!(run.status.success(), "{code}");
        assert!(
            String::from_utf8_lossy(&run.stdout).contains("Bad:"),
            "{code}"
        );
    }
}
