//! Opening real PDFs in tests: poppler (pdfinfo, pdftotext) and pikepdf
//! with page_validation (tests/print/check_pdf.py); `scripts/test`
//! installs them.

use std::path::Path;
use std::process::Command;

pub fn run(program: &str, args: &[&str]) -> String {
    let out = Command::new(program)
        .args(args)
        .output()
        .unwrap_or_else(|e| {
            panic!("{program} could not run ({e}): scripts/test installs poppler-utils")
        });
    assert!(
        out.status.success(),
        "{program} {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

pub fn pdfinfo(path: &Path) -> String {
    run("pdfinfo", &[path.to_str().unwrap_or("")])
}

pub fn pages(path: &Path) -> usize {
    pdfinfo(path)
        .lines()
        .find_map(|l| l.strip_prefix("Pages:"))
        .and_then(|n| n.trim().parse().ok())
        .unwrap_or(0)
}

pub fn text(path: &Path) -> String {
    run("pdftotext", &[path.to_str().unwrap_or(""), "-"])
}

pub fn python() -> String {
    if let Ok(p) = std::env::var("SIGNPOST_PRINT_PYTHON") {
        return p;
    }
    let venv = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/print-venv/bin/python");
    if venv.is_file() {
        return venv.display().to_string();
    }
    "python3".into()
}

pub fn structure(path: &Path) -> serde_json::Value {
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/print/check_pdf.py");
    let out = Command::new(python())
        .arg(script)
        .arg(path)
        .output()
        .expect("python runs");
    assert!(
        out.status.success(),
        "check_pdf.py failed (scripts/test installs pikepdf from tests/print/requirements.txt): {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("json")
}

/// page_validation's PDF/UA-1 verdict, when scripts/test's venv has it.
pub fn pdf_ua_verdict(report: &serde_json::Value) {
    let verdict = &report["validation"];
    eprintln!("page_validation: {verdict}");
    if !verdict.is_null() {
        assert_eq!(verdict["compliant"], true, "{verdict}");
    }
}

pub fn elements(report: &serde_json::Value) -> Vec<serde_json::Value> {
    report["elements"].as_array().cloned().unwrap_or_default()
}
