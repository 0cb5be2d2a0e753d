//! Bad input, end to end through the `signpost` binary.
//!
//! Every kind of bad input gives exit code 1 and a diagnostic naming the
//! file (and the line where one exists), never a panic or a hang, and never
//! a changed output folder: each case builds a good site first, breaks one
//! file, then checks (`check --format json`) and builds again into the same
//! folder, whose every byte and every modification time must be as before.
//!
//! Valid but unusual input builds: byte order marks, CRLF, very long lines,
//! very deep nesting, symbolic links (loops too), odd file names.
//!
//! Raw HTML and link addresses in markdown are untrusted: the classic XSS
//! vectors never reach a built page, and the pages carry a strict
//! Content-Security-Policy with nothing inline.

use std::collections::BTreeMap;
use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant, SystemTime};

use serde_json::Value;
use signpost::fuzzing::audit_html;

const BIN: &str = env!("CARGO_BIN_EXE_signpost");

/// Longer than any build here takes in a debug build; reaching it is a hang.
const HANG: Duration = Duration::from_secs(300);

/// What a run of the binary did.
#[derive(Debug)]
struct Run {
    code: Option<i32>,
    stdout: String,
    stderr: String,
}

/// Runs `signpost` with a time limit. Output goes through files, so a
/// chatty run cannot block on a full pipe.
fn run<I, S>(args: I) -> Run
where
    I: IntoIterator<Item = S>,
    S: Into<OsString>,
{
    let args: Vec<OsString> = args.into_iter().map(Into::into).collect();
    let logs = tempfile::tempdir().expect("a temp folder");
    let out_path = logs.path().join("stdout");
    let err_path = logs.path().join("stderr");
    let mut child = Command::new(BIN)
        .args(&args)
        .stdin(Stdio::null())
        .stdout(std::fs::File::create(&out_path).expect("stdout file"))
        .stderr(std::fs::File::create(&err_path).expect("stderr file"))
        .spawn()
        .expect("signpost starts");
    let start = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().expect("wait for signpost") {
            break status;
        }
        if start.elapsed() > HANG {
            let _ = child.kill();
            let _ = child.wait();
            panic!("signpost {args:?} hung: still running after {HANG:?}");
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    let run = Run {
        code: status.code(),
        stdout: String::from_utf8_lossy(&std::fs::read(&out_path).unwrap_or_default()).into_owned(),
        stderr: String::from_utf8_lossy(&std::fs::read(&err_path).unwrap_or_default()).into_owned(),
    };
    assert!(
        !run.stderr.contains("panicked")
            && !run.stderr.contains("overflowed its stack")
            && run.code.is_some(),
        "signpost {args:?} crashed ({:?}):\n{}",
        status,
        run.stderr
    );
    run
}

/// A small, valid site in a temporary folder.
struct Site {
    dir: tempfile::TempDir,
}

const SITE_YAML: &str = "title: Robustness test site
languages:
  - { code: en, name: English }
  - { code: pl, name: Polski }
organisation:
  name: Test Council
  email: test@example.org
accessibility:
  contact_email: access@example.org
  last_reviewed: 2026-11-01
";

const HOME: &str = "---
title: Home
summary: The home page of the test site.
---
Welcome. Read [about the council](about.md).
";

const ABOUT: &str = "---
title: About the council
summary: Who we are and what we do.
---
## Who we are

We run local services.
";

impl Site {
    fn new() -> Site {
        let site = Site {
            dir: tempfile::tempdir().expect("a temp folder"),
        };
        site.write("site.yaml", SITE_YAML);
        site.write("content/_index.md", HOME);
        site.write("content/about.md", ABOUT);
        site
    }

    fn root(&self) -> &Path {
        self.dir.path()
    }

    fn path(&self, rel: &str) -> PathBuf {
        self.root().join(rel)
    }

    fn write(&self, rel: &str, bytes: impl AsRef<[u8]>) {
        let path = self.path(rel);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).expect("create folder");
        }
        std::fs::write(&path, bytes).expect("write file");
    }

    /// A page with the given front matter lines and body.
    fn page(&self, rel: &str, front: &str, body: &str) {
        self.write(rel, format!("---\n{front}---\n{body}"));
    }

    /// `signpost check --format json`: the run and its diagnostics.
    fn check(&self) -> (Run, Vec<Value>) {
        let run = run([
            OsString::from("check"),
            "--root".into(),
            self.root().into(),
            "--format".into(),
            "json".into(),
        ]);
        let list = match serde_json::from_str::<Value>(&run.stdout) {
            Ok(Value::Array(list)) => list,
            other => panic!(
                "check --format json did not print a JSON array ({other:?}):\n{}\n{}",
                run.stdout, run.stderr
            ),
        };
        for d in &list {
            for key in [
                "code", "severity", "file", "line", "column", "message", "help",
            ] {
                assert!(d.get(key).is_some(), "diagnostic without `{key}`: {d}");
            }
        }
        (run, list)
    }

    fn build(&self, out: &Path) -> Run {
        run([
            OsString::from("build"),
            "--root".into(),
            self.root().into(),
            "--output".into(),
            out.into(),
        ])
    }

    /// Builds into a fresh folder, expecting success; returns the folder.
    fn build_ok(&self) -> (tempfile::TempDir, PathBuf) {
        let tmp = tempfile::tempdir().expect("a temp folder");
        let out = tmp.path().join("public");
        let r = self.build(&out);
        assert_eq!(r.code, Some(0), "the build should succeed:\n{}", r.stderr);
        (tmp, out)
    }
}

/// Every file and folder under `dir`: bytes (files only) and modification time.
fn snapshot(dir: &Path) -> BTreeMap<String, (Option<Vec<u8>>, SystemTime)> {
    let mut out = BTreeMap::new();
    for entry in walkdir::WalkDir::new(dir).sort_by_file_name() {
        let entry = entry.expect("walk output");
        let meta = entry.metadata().expect("metadata");
        let rel = entry
            .path()
            .strip_prefix(dir)
            .expect("inside")
            .to_string_lossy()
            .into_owned();
        let bytes = meta
            .is_file()
            .then(|| std::fs::read(entry.path()).expect("read output"));
        out.insert(rel, (bytes, meta.modified().expect("mtime")));
    }
    out
}

/// Sets every file's modification time to a fixed moment long ago, so that
/// any rewrite shows even on file systems with coarse timestamps.
fn age_files(dir: &Path) {
    let old = SystemTime::UNIX_EPOCH + Duration::from_secs(1_000_000_000);
    for entry in walkdir::WalkDir::new(dir).into_iter().flatten() {
        if entry.file_type().is_file() {
            let f = std::fs::File::options()
                .write(true)
                .open(entry.path())
                .expect("open output file");
            f.set_modified(old).expect("set mtime");
        }
    }
}

/// The diagnostic a case must produce.
struct Expect {
    file: &'static str,
    /// `None` when the problem has no line (an empty file, a file name).
    line: Option<usize>,
    code: &'static str,
}

/// Builds a good site, breaks it with `break_it`, and checks that `check`
/// and `build` both fail with exit code 1 and the expected diagnostic, and
/// that the output folder of the good build is untouched.
fn rejects(break_it: impl FnOnce(&Site), expect: Expect) -> Vec<Value> {
    let site = Site::new();
    let (_tmp, out) = site.build_ok();
    age_files(&out);
    let before = snapshot(&out);

    break_it(&site);

    let (check, diags) = site.check();
    assert_eq!(
        check.code,
        Some(1),
        "check should fail with exit code 1:\n{}\n{}",
        check.stdout,
        check.stderr
    );
    let found = diags.iter().any(|d| {
        d["severity"] == "error"
            && d["code"] == expect.code
            && d["file"].as_str() == Some(expect.file)
            && d["line"].as_u64().map(|l| l as usize) == expect.line
    });
    assert!(
        found,
        "expected error[{}] in {} at line {:?}; got:\n{}",
        expect.code,
        expect.file,
        expect.line,
        serde_json::to_string_pretty(&diags).unwrap_or_default()
    );

    let build = site.build(&out);
    assert_eq!(
        build.code,
        Some(1),
        "build should fail with exit code 1:\n{}",
        build.stderr
    );
    let place = match expect.line {
        Some(l) => format!("--> {}:{l}:", expect.file),
        None => format!("--> {}", expect.file),
    };
    assert!(
        build.stderr.contains(&place),
        "build's stderr should point at `{place}`:\n{}",
        build.stderr
    );
    assert!(
        build.stderr.contains(&format!("[{}]", expect.code)),
        "{}",
        build.stderr
    );
    let after = snapshot(&out);
    if after != before {
        let changed: Vec<&String> = before
            .keys()
            .chain(after.keys())
            .filter(|k| before.get(*k) != after.get(*k))
            .collect();
        panic!("a failed build changed the output folder: {changed:?}");
    }
    diags
}

fn expect(file: &'static str, line: impl Into<Option<usize>>, code: &'static str) -> Expect {
    Expect {
        file,
        line: line.into(),
        code,
    }
}

// ---------------------------------------------------------------------------
// Front matter

#[test]
fn missing_front_matter() {
    rejects(
        |s| s.write("content/about.md", "# About\n\nNo front matter here.\n"),
        expect("content/about.md", 1, "FM001"),
    );
}

#[test]
fn unterminated_front_matter() {
    rejects(
        |s| {
            s.write("content/about.md", "---\ntitle: About\nsummary: Who we are.\n\nThe text, but the front matter never ends.\n")
        },
        expect("content/about.md", 1, "FM002"),
    );
}

#[test]
fn front_matter_opened_with_something_else() {
    rejects(
        |s| s.write("content/about.md", "--- title: About\nsummary: x\n---\n"),
        expect("content/about.md", 1, "FM001"),
    );
}

#[test]
fn yaml_syntax_error() {
    rejects(
        |s| {
            s.page(
                "content/about.md",
                "title: About\nsummary: Who: we: are\nowner: Team\n",
                "Text.\n",
            )
        },
        expect("content/about.md", 3, "FM003"),
    );
}

#[test]
fn yaml_unclosed_list() {
    rejects(
        |s| {
            s.page(
                "content/about.md",
                "title: About\nsummary: Who we are.\naliases: [/old/\n",
                "Text.\n",
            )
        },
        expect("content/about.md", 5, "FM003"),
    );
}

#[test]
fn yaml_bad_indentation() {
    rejects(
        |s| {
            s.page(
                "content/about.md",
                "title: About\n  summary: Who we are.\n",
                "Text.\n",
            )
        },
        expect("content/about.md", 3, "FM003"),
    );
}

#[test]
fn wrong_type_number() {
    rejects(
        |s| {
            s.page(
                "content/about.md",
                "title: About\nsummary: Who we are.\nweight: first\n",
                "Text.\n",
            )
        },
        expect("content/about.md", 4, "FM005"),
    );
}

#[test]
fn wrong_type_boolean() {
    rejects(
        |s| {
            s.page(
                "content/about.md",
                "title: About\nsummary: Who we are.\ndraft: perhaps\n",
                "Text.\n",
            )
        },
        expect("content/about.md", 4, "FM005"),
    );
}

#[test]
fn wrong_type_list_for_text() {
    rejects(
        |s| {
            s.page(
                "content/about.md",
                "title: About\nsummary: [Who, we, are]\n",
                "Text.\n",
            )
        },
        expect("content/about.md", 3, "FM005"),
    );
}

#[test]
fn impossible_date() {
    rejects(
        |s| {
            s.page(
                "content/about.md",
                "title: About\nsummary: Who we are.\nupdated: 2026-02-30\n",
                "Text.\n",
            )
        },
        expect("content/about.md", 4, "FM007"),
    );
}

#[test]
fn date_in_the_wrong_shape() {
    rejects(
        |s| {
            s.page(
                "content/about.md",
                "title: About\nsummary: Who we are.\nreview_by: 1/2/2026\n",
                "Text.\n",
            )
        },
        expect("content/about.md", 4, "FM007"),
    );
}

#[test]
fn unknown_key() {
    let diags = rejects(
        |s| {
            s.page(
                "content/about.md",
                "title: About\nsumary: Who we are.\n",
                "Text.\n",
            )
        },
        expect("content/about.md", 3, "FM004"),
    );
    assert!(
        diags
            .iter()
            .any(|d| d["help"].as_str().is_some_and(|h| h.contains("summary"))),
        "{diags:?}"
    );
}

#[test]
fn missing_title() {
    rejects(
        |s| s.page("content/about.md", "summary: Who we are.\n", "Text.\n"),
        expect("content/about.md", 2, "FM006"),
    );
}

#[test]
fn empty_front_matter() {
    rejects(
        |s| s.page("content/about.md", "", "Text.\n"),
        expect("content/about.md", 1, "FM006"),
    );
}

// ---------------------------------------------------------------------------
// Files

#[test]
fn empty_file() {
    rejects(
        |s| s.write("content/about.md", ""),
        expect("content/about.md", None, "SRC006"),
    );
}

#[test]
fn blank_file() {
    rejects(
        |s| s.write("content/about.md", " \n\n\t\n"),
        expect("content/about.md", None, "SRC006"),
    );
}

#[test]
fn invalid_utf8() {
    rejects(
        |s| {
            s.write(
                "content/about.md",
                b"---\ntitle: About\nsummary: Caf\xe9 and more\n---\nText.\n",
            )
        },
        expect("content/about.md", 3, "SRC001"),
    );
}

#[test]
fn utf16_file() {
    let text: Vec<u8> = "\u{feff}---\ntitle: About\nsummary: x\n---\n"
        .encode_utf16()
        .flat_map(u16::to_le_bytes)
        .collect();
    rejects(
        |s| s.write("content/about.md", text),
        expect("content/about.md", 1, "SRC001"),
    );
}

#[test]
fn unknown_language() {
    rejects(
        |s| {
            s.page(
                "content/about.fr.md",
                "title: À propos\nsummary: Qui nous sommes.\n",
                "Texte.\n",
            )
        },
        expect("content/about.fr.md", None, "SRC002"),
    );
}

#[test]
fn unknown_variant() {
    rejects(
        |s| {
            s.page(
                "content/about.simple.md",
                "title: About\nsummary: Who we are.\n",
                "Text.\n",
            )
        },
        expect("content/about.simple.md", None, "SRC002"),
    );
}

#[test]
fn orphan_translation() {
    rejects(
        |s| {
            s.page(
                "content/contact.pl.md",
                "title: Kontakt\nsummary: Jak się z nami skontaktować.\n",
                "Tekst.\n",
            )
        },
        expect("content/contact.pl.md", None, "SRC003"),
    );
}

#[test]
fn orphan_easy_read() {
    rejects(
        |s| {
            s.page(
                "content/contact.easy.md",
                "title: Contact us\nsummary: How to talk to us.\n",
                "Phone us.\n",
            )
        },
        expect("content/contact.easy.md", None, "SRC003"),
    );
}

#[test]
fn orphan_translated_easy_read() {
    rejects(
        |s| {
            s.page(
                "content/about.easy.pl.md",
                "title: O nas\nsummary: Kim jesteśmy.\n",
                "Tekst.\n",
            )
        },
        expect("content/about.easy.pl.md", None, "SRC003"),
    );
}

// ---------------------------------------------------------------------------
// Output paths

#[test]
fn duplicate_output_path_via_slug() {
    rejects(
        |s| {
            s.page(
                "content/contact.md",
                "title: Contact\nsummary: How to reach us.\nslug: about\n",
                "Text.\n",
            )
        },
        expect("content/contact.md", 4, "SRC004"),
    );
}

#[test]
fn duplicate_output_path_via_file_names() {
    rejects(
        |s| {
            s.page(
                "content/our team.md",
                "title: Our team\nsummary: Who works here.\n",
                "Text.\n",
            );
            s.page(
                "content/our-team.md",
                "title: Our team again\nsummary: Who works here.\n",
                "Text.\n",
            );
        },
        expect("content/our-team.md", None, "SRC004"),
    );
}

#[test]
fn duplicate_output_path_via_alias() {
    rejects(
        |s| {
            s.page(
                "content/contact.md",
                "title: Contact\nsummary: How to reach us.\naliases: [/about/]\n",
                "Text.\n",
            )
        },
        expect("content/contact.md", 4, "SRC004"),
    );
}

#[test]
fn slug_escaping_the_output() {
    rejects(
        |s| {
            s.page(
                "content/about.md",
                "title: About\nsummary: Who we are.\nslug: ../../outside\n",
                "Text.\n",
            )
        },
        expect("content/about.md", 4, "SRC005"),
    );
}

#[test]
fn slug_with_unsafe_characters() {
    rejects(
        |s| {
            s.page(
                "content/about.md",
                "title: About\nsummary: Who we are.\nslug: \"a<b>\\\"c\"\n",
                "Text.\n",
            )
        },
        expect("content/about.md", 4, "SRC005"),
    );
}

#[test]
fn absolute_slug() {
    rejects(
        |s| {
            s.page(
                "content/about.md",
                "title: About\nsummary: Who we are.\nslug: /etc\n",
                "Text.\n",
            )
        },
        expect("content/about.md", 4, "SRC005"),
    );
}

#[test]
fn alias_escaping_the_output() {
    rejects(
        |s| {
            s.page("content/about.md", "title: About\nsummary: Who we are.\naliases:\n  - /old/about/\n  - ../../../etc/x\n", "Text.\n")
        },
        expect("content/about.md", 4, "SRC005"),
    );
}

#[test]
fn alias_with_unsafe_characters() {
    rejects(
        |s| {
            s.page(
                "content/about.md",
                "title: About\nsummary: Who we are.\naliases: [\"/a\\\"><script>/\"]\n",
                "Text.\n",
            )
        },
        expect("content/about.md", 4, "SRC005"),
    );
}

#[test]
fn alias_to_another_site() {
    rejects(
        |s| {
            s.page(
                "content/about.md",
                "title: About\nsummary: Who we are.\naliases: [\"https://evil.example/\"]\n",
                "Text.\n",
            )
        },
        expect("content/about.md", 4, "SRC005"),
    );
}

// ---------------------------------------------------------------------------
// Links and images

#[test]
fn link_to_a_missing_page() {
    rejects(
        |s| {
            s.page(
                "content/about.md",
                "title: About\nsummary: Who we are.\n",
                "Intro.\n\nSee [our history](history.md).\n",
            )
        },
        expect("content/about.md", 7, "LINK001"),
    );
}

#[test]
fn link_to_a_missing_heading() {
    rejects(
        |s| {
            s.page(
                "content/_index.md",
                "title: Home\nsummary: Home page.\n",
                "See [who we are](about.md#who-we-were).\n",
            )
        },
        expect("content/_index.md", 5, "LINK002"),
    );
}

#[test]
fn link_outside_the_site() {
    rejects(
        |s| {
            s.page(
                "content/about.md",
                "title: About\nsummary: Who we are.\n",
                "See [secrets](../../site.yaml).\n",
            )
        },
        expect("content/about.md", 5, "LINK001"),
    );
}

#[test]
fn image_without_alt_text() {
    rejects(
        |s| {
            s.write("content/chart.png", b"\x89PNG\r\n\x1a\n");
            s.page(
                "content/about.md",
                "title: About\nsummary: Who we are.\n",
                "Text.\n\n![](chart.png)\n",
            );
        },
        expect("content/about.md", 7, "A11Y001"),
    );
}

#[test]
fn missing_image() {
    rejects(
        |s| {
            s.page(
                "content/about.md",
                "title: About\nsummary: Who we are.\n",
                "Text.\n\n![A chart of costs](chart.png)\n",
            )
        },
        expect("content/about.md", 7, "LINK003"),
    );
}

// ---------------------------------------------------------------------------
// site.yaml

#[test]
fn site_yaml_syntax_error() {
    rejects(
        |s| {
            s.write(
                "site.yaml",
                "title: Test\nlanguages: [\n  { code: en, name: English }\n",
            )
        },
        expect("site.yaml", 4, "CFG002"),
    );
}

#[test]
fn site_yaml_unknown_key() {
    rejects(
        |s| s.write("site.yaml", "title: Test\nlanguage: pl\n"),
        expect("site.yaml", 2, "CFG002"),
    );
}

#[test]
fn site_yaml_wrong_type() {
    rejects(
        |s| s.write("site.yaml", "title: Test\nlanguages: English\n"),
        expect("site.yaml", 2, "CFG002"),
    );
}

#[test]
fn site_yaml_without_title() {
    rejects(
        |s| s.write("site.yaml", "base_url: https://example.org\n"),
        expect("site.yaml", 1, "CFG002"),
    );
}

#[test]
fn site_yaml_empty() {
    rejects(
        |s| s.write("site.yaml", ""),
        expect("site.yaml", 1, "CFG002"),
    );
}

#[test]
fn site_yaml_missing() {
    rejects(
        |s| std::fs::remove_file(s.path("site.yaml")).expect("remove site.yaml"),
        expect("site.yaml", None, "CFG001"),
    );
}

#[test]
fn site_yaml_not_utf8() {
    rejects(
        |s| s.write("site.yaml", b"title: Caf\xe9\n"),
        expect("site.yaml", 1, "SRC001"),
    );
}

#[test]
fn site_yaml_bad_language_code() {
    rejects(
        |s| {
            s.write("site.yaml", "title: Test\nlanguages:\n  - { code: en, name: English }\n  - { code: \"../pl\", name: Polski }\n")
        },
        expect("site.yaml", 4, "CFG003"),
    );
}

#[test]
fn site_yaml_impossible_date() {
    rejects(
        |s| {
            s.write(
                "site.yaml",
                "title: Test\naccessibility:\n  last_reviewed: 2026-13-01\n",
            )
        },
        expect("site.yaml", 3, "CFG002"),
    );
}

// ---------------------------------------------------------------------------
// Theme templates

#[test]
fn template_syntax_error() {
    let diags = rejects(
        |s| {
            s.write(
                "themes/default/templates/page.html",
                "{% extends \"base.html\" %}\n{% block main %}\n<h1>{{ title }}</h1>\n{% if %}\n{% endblock main %}\n",
            )
        },
        expect("themes/default/templates/page.html", 4, "THEME001"),
    );
    assert!(
        diags.iter().any(|d| d["message"]
            .as_str()
            .is_some_and(|m| m.contains("page.html"))),
        "the message names the template: {diags:?}"
    );
}

#[test]
fn template_unclosed_tag() {
    rejects(
        |s| {
            s.write(
                "themes/default/templates/page.html",
                "{% extends \"base.html\" %}\n{% block main %}\n<h1>{{ title </h1>\n{% endblock main %}\n",
            )
        },
        expect("themes/default/templates/page.html", 3, "THEME001"),
    );
}

#[test]
fn template_rendering_error() {
    rejects(
        |s| {
            s.write(
                "themes/default/templates/page.html",
                "{% extends \"base.html\" %}\n{% block main %}\n<h1>{{ title }}</h1>\n<p>{{ no_such_value.field }}</p>\n{% endblock main %}\n",
            )
        },
        expect("themes/default/templates/page.html", 4, "THEME001"),
    );
}

#[test]
fn template_extending_a_missing_parent() {
    rejects(
        |s| {
            s.write(
                "themes/default/templates/page.html",
                "{% extends \"nowhere.html\" %}\n",
            )
        },
        expect("themes/default/templates/page.html", None, "THEME001"),
    );
}

// ---------------------------------------------------------------------------
// Valid but unusual input builds

/// Builds `site` and returns the output folder, asserting success.
fn builds(site: &Site) -> (tempfile::TempDir, PathBuf, Run) {
    let tmp = tempfile::tempdir().expect("a temp folder");
    let out = tmp.path().join("public");
    let r = site.build(&out);
    assert_eq!(r.code, Some(0), "the build should succeed:\n{}", r.stderr);
    (tmp, out, r)
}

fn read(out: &Path, rel: &str) -> String {
    std::fs::read_to_string(out.join(rel)).unwrap_or_else(|e| panic!("{rel} should be built: {e}"))
}

#[test]
fn byte_order_mark_and_crlf() {
    let site = Site::new();
    site.write(
        "site.yaml",
        format!("\u{feff}{}", SITE_YAML.replace('\n', "\r\n")),
    );
    site.write(
        "content/about.md",
        format!("\u{feff}{}", ABOUT.replace('\n', "\r\n")),
    );
    site.write("content/crlf.md", "---\r\ntitle: Line ends\r\nsummary: Windows line ends.\r\n---\r\n## Part one\r\n\r\n- a\r\n- b\r\n\r\nText\r\nmore text.\r\n");
    let (_tmp, out, _) = builds(&site);
    let about = read(&out, "about/index.html");
    assert!(about.contains("About the council"), "{about}");
    assert!(!about.contains('\u{feff}'));
    let text = read(&out, "crlf/index.txt");
    assert!(!text.contains('\r'), "plain text keeps CR: {text:?}");
    assert!(read(&out, "crlf/index.html").contains("Part one"));
}

#[test]
fn long_lines_within_the_limit_build() {
    let site = Site::new();
    let words = "word ".repeat(3_900);
    let url = format!("https://example.org/{}", "a".repeat(10_000));
    site.page(
        "content/long.md",
        &format!("title: A long line\nsummary: {}\n", "Long. ".repeat(2_000)),
        &format!(
            "{words}\n\nSee [the address]({url}).\n\n{}\n",
            "x".repeat(19_000)
        ),
    );
    let (_tmp, out, _) = builds(&site);
    assert!(read(&out, "long/index.txt").len() > 19_000);
}

#[test]
fn a_line_over_the_limit() {
    rejects(
        |s| {
            s.page(
                "content/long.md",
                "title: A long line\nsummary: One line of two megabytes.\n",
                &format!("\nIntro.\n\n{}\n", "word ".repeat(400_000)),
            )
        },
        expect("content/long.md", 8, "LIM003"),
    );
}

#[test]
fn nesting_within_the_limits_builds() {
    let site = Site::new();
    site.page(
        "content/quotes.md",
        "title: Quotes\nsummary: Nested quotes.\n",
        &format!("{} deep\n", ">".repeat(40)),
    );
    let list: String = (0..20)
        .map(|i| format!("{}- level {i}\n", "  ".repeat(i)))
        .collect();
    site.page(
        "content/list.md",
        "title: List\nsummary: Nested lists.\n",
        &list,
    );
    site.page(
        "content/html.md",
        "title: HTML\nsummary: Nested raw HTML.\n",
        &format!(
            "{}x{}\n\nText {}y{}\n",
            "<div>".repeat(90),
            "</div>".repeat(90),
            "<span>".repeat(1_000),
            "</span>".repeat(1_000)
        ),
    );
    let (_tmp, out, _) = builds(&site);
    for page in ["quotes", "list", "html"] {
        let html = read(&out, &format!("{page}/index.html"));
        assert!(html.contains("</html>"), "{page} is cut short");
        assert!(
            audit_html(&html).is_empty(),
            "{page}: {:?}",
            audit_html(&html)
        );
        read(&out, &format!("{page}/large-print/index.html"));
        read(&out, &format!("{page}/index.txt"));
    }
}

/// Hostile or broken pages over a limit: an error at the line, quickly
/// (the 100,000 nested `<div>`s took a minute before the limit).
#[test]
fn a_hundred_thousand_nested_divs() {
    rejects(
        |s| {
            s.page(
                "content/deep.md",
                "title: Deep\nsummary: A pasted page.\n",
                &format!(
                    "\nIntro.\n\n<div>\n{}deep{}\n</div>\n",
                    "<div>\n".repeat(100_000),
                    "</div>\n".repeat(100_000)
                ),
            )
        },
        expect("content/deep.md", 8, "LIM001"),
    );
}

#[test]
fn nested_quotes_lists_and_emphasis_over_the_limit() {
    let cases = [
        (format!("Intro.\n\n{} deep\n", ">".repeat(5_000)), 7),
        (
            format!(
                "Intro.\n\n{}",
                (0..1_000)
                    .map(|i| format!("{}- level {i}\n", "  ".repeat(i)))
                    .collect::<String>()
            ),
            // Each level opens a list and an item: level 25 goes past 50.
            32,
        ),
        (format!("Intro.\n\n{}x\n", "1. ".repeat(5_000)), 7),
        (
            format!(
                "Intro.\n\n{}x{}\n",
                "![".repeat(1_000),
                "](a.png)".repeat(1_000)
            ),
            7,
        ),
    ];
    for (body, line) in cases {
        let diags = rejects(
            |s| s.page("content/deep.md", "title: Deep\nsummary: Nested.\n", &body),
            expect("content/deep.md", line, "LIM001"),
        );
        assert!(diags.len() < 10, "{diags:?}");
    }
}

#[test]
fn a_table_with_too_many_cells() {
    let row = |c: &str| format!("|{}\n", format!("{c}|").repeat(100));
    let table = format!(
        "{}{}{}",
        row("h"),
        row("-"),
        (0..1200).map(|_| row("c")).collect::<String>()
    );
    rejects(
        |s| {
            s.page(
                "content/table.md",
                "title: Table\nsummary: A hundred and twenty thousand cells.\n",
                &format!("\nIntro.\n\n{table}"),
            )
        },
        // 100,000 cells are the header row and 999 rows; the next is line 1009.
        expect("content/table.md", 1009, "LIM002"),
    );
}

#[test]
fn a_page_with_too_many_links() {
    rejects(
        |s| {
            s.page(
                "content/links.md",
                "title: Links\nsummary: Many links.\n",
                &format!("\nIntro.\n\n{}", "[About](about.md)\n".repeat(50_010)),
            )
        },
        // Lines 8 to 50,007 hold the 50,000 links allowed.
        expect("content/links.md", 50_008, "LIM004"),
    );
}

/// "Billion laughs": aliases of aliases, in front matter and a service entry.
#[test]
fn yaml_aliases_of_aliases() {
    let mut lol =
        String::from("categories:\n  - &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
    for i in 1..10 {
        lol.push_str(&format!(
            "  - &a{i} [{}]\n",
            vec![format!("*a{}", i - 1); 9].join(", ")
        ));
    }
    rejects(
        |s| {
            s.page(
                "content/lol.md",
                &format!("title: Lol\nsummary: x\n{lol}"),
                "Text.\n",
            )
        },
        // The 51st alias: the 6th on line 11 (5 lines of 9 before it).
        expect("content/lol.md", 11, "LIM005"),
    );
}

#[test]
fn deep_nesting_in_front_matter() {
    let site = Site::new();
    let deep = format!("{}{}", "[".repeat(10_000), "]".repeat(10_000));
    site.page(
        "content/about.md",
        &format!("title: About\nsummary: x\naliases: {deep}\n"),
        "Text.\n",
    );
    let (check, diags) = site.check();
    assert_eq!(check.code, Some(1));
    assert!(
        diags
            .iter()
            .any(|d| d["file"] == "content/about.md" && d["line"] == 4),
        "{diags:?}"
    );
}

#[cfg(unix)]
#[test]
fn symbolic_links_and_loops() {
    use std::os::unix::fs::symlink;
    let site = Site::new();
    let elsewhere = tempfile::tempdir().expect("a temp folder");
    std::fs::write(
        elsewhere.path().join("linked.md"),
        "---\ntitle: Linked page\nsummary: A page reached through a symbolic link.\n---\nText.\n",
    )
    .expect("write");
    std::fs::create_dir_all(elsewhere.path().join("folder")).expect("mkdir");
    std::fs::write(
        elsewhere.path().join("folder/inside.md"),
        "---\ntitle: Inside a linked folder\nsummary: A page in a folder reached through a symbolic link.\n---\nText.\n",
    )
    .expect("write");
    symlink(
        elsewhere.path().join("linked.md"),
        site.path("content/linked.md"),
    )
    .expect("symlink");
    symlink(elsewhere.path().join("folder"), site.path("content/folder")).expect("symlink");
    std::fs::create_dir_all(site.path("content/looping")).expect("mkdir");
    symlink(
        site.path("content"),
        site.path("content/looping/back-to-top"),
    )
    .expect("symlink");
    symlink("self-loop", site.path("content/self-loop")).expect("symlink");
    symlink(
        site.path("content/nowhere.md"),
        site.path("content/dangling.md"),
    )
    .expect("symlink");
    let (_tmp, out, run) = builds(&site);
    assert!(read(&out, "linked/index.html").contains("Linked page"));
    assert!(read(&out, "folder/inside/index.html").contains("Inside a linked folder"));
    assert!(
        run.stderr.contains("content/looping/back-to-top"),
        "the loop is named:\n{}",
        run.stderr
    );
}

#[test]
fn file_names_with_spaces_and_other_scripts() {
    let site = Site::new();
    let names = [
        ("content/our services.md", "our-services/index.html"),
        ("content/opieka społeczna.md", "opieka-społeczna/index.html"),
        ("content/خدمات الرعاية.md", "خدمات-الرعاية/index.html"),
        ("content/介護サービス.md", "介護サービス/index.html"),
        ("content/Ελληνικά.md", "Ελληνικά/index.html"),
    ];
    for (i, (src, _)) in names.iter().enumerate() {
        site.page(
            src,
            &format!("title: Page {i}\nsummary: A page with an unusual file name.\n"),
            "Text.\n",
        );
    }
    site.write(
        "content/a chart (2026).svg",
        "<svg xmlns=\"http://www.w3.org/2000/svg\"/>",
    );
    site.page(
        "content/_index.md",
        "title: Home\nsummary: Home page.\n",
        "Read [about the council](about.md), [our services](our%20services.md) and [opieka](<opieka społeczna.md>).\n\n![A chart of costs in 2026](<a chart (2026).svg>)\n",
    );
    let (_tmp, out, _) = builds(&site);
    for (_, built) in names {
        read(&out, built);
    }
    let home = read(&out, "index.html");
    assert!(home.contains("our-services/"), "{home}");
    assert!(out.join("a chart (2026).svg").is_file());
}

/// A page of about 10 MB: headings, paragraphs, lists, links and a table.
fn huge_page(bytes: usize) -> String {
    let mut body = String::with_capacity(bytes + 4096);
    let mut n = 0;
    while body.len() < bytes {
        n += 1;
        body.push_str(&format!("## Part {n}\n\nThis is paragraph {n} of a very large page. It has **bold** and _emphasis_, and a link to [the about page](about.md). "));
        body.push_str(&"Words fill the page so that it grows large. ".repeat(40));
        body.push_str(
            "\n\n- one item\n- another item\n  - nested\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n",
        );
    }
    body
}

#[test]
fn huge_page_builds() {
    let site = Site::new();
    site.page(
        "content/huge.md",
        "title: Huge\nsummary: A very large page.\n",
        &huge_page(10 * 1024 * 1024),
    );
    let start = Instant::now();
    let (_tmp, out, _) = builds(&site);
    let html = read(&out, "huge/index.html");
    assert!(html.len() > 10 * 1024 * 1024, "{}", html.len());
    assert!(html.contains("</html>"));
    eprintln!(
        "a 10 MB page built in {:.1} s",
        start.elapsed().as_secs_f64()
    );
}

// ---------------------------------------------------------------------------
// Untrusted HTML and addresses

/// The classic vectors (OWASP XSS filter evasion cheat sheet kinds).
const VECTORS: &[&str] = &[
    "<script>alert(1)</script>",
    "<SCRIPT SRC=https://xss.example/xss.js></SCRIPT>",
    "<script/src=\"https://xss.example/x.js\"></script>",
    "<img src=x onerror=alert(1)>",
    "<IMG SRC=\"javascript:alert('XSS');\">",
    "<IMG SRC=JaVaScRiPt:alert('XSS')>",
    "<IMG SRC=`javascript:alert(\"RSnake says, 'XSS'\")`>",
    "<IMG \"\"\"><SCRIPT>alert(\"XSS\")</SCRIPT>\"\\>",
    "<IMG SRC=&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;&#97;&#108;&#101;&#114;&#116;&#40;&#39;&#88;&#83;&#83;&#39;&#41;>",
    "<IMG SRC=&#x6A&#x61&#x76&#x61&#x73&#x63&#x72&#x69&#x70&#x74&#x3A&#x61&#x6C&#x65&#x72&#x74&#x28&#x27&#x58&#x53&#x53&#x27&#x29>",
    "<a href=\"&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert(1)\">x</a>",
    "<a href=\"jav&#x09;ascript:alert(1)\">x</a>",
    "<a href=\"jav&#x0A;ascript:alert(1)\">x</a>",
    "<a href=\" &#14;  javascript:alert(1)\">x</a>",
    "<a href=\"javascript&colon;alert(1)\">x</a>",
    "<svg/onload=alert(1)>",
    "<svg><script>alert(1)</script></svg>",
    "<body onload=alert(1)>",
    "<BODY BACKGROUND=\"javascript:alert('XSS')\">",
    "<iframe src=\"https://evil.example\"></iframe>",
    "<iframe src=javascript:alert(1)></iframe>",
    "<div style=\"background:url(javascript:alert(1))\">x</div>",
    "<div style=\"width: expression(alert('XSS'));\">x</div>",
    "<a href=\"data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==\">x</a>",
    "<object data=\"x.swf\"></object>",
    "<embed src=\"data:image/svg+xml;base64,PHN2Zz4=\">",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    "<form action=\"https://evil.example\"><input name=a><button formaction=javascript:alert(1)>x</button></form>",
    "<meta http-equiv=\"refresh\" content=\"0;url=javascript:alert(1)\">",
    "<link rel=stylesheet href=\"https://evil.example/x.css\">",
    "<style>@import 'https://evil.example/x.css';</style>",
    "<details open ontoggle=alert(1)>",
    "<<script>alert(1)//<</script>",
    "<p onmouseover=\"alert(1)\">hover</p>",
    "<base href=\"javascript:alert(1)//\">",
    "<TABLE BACKGROUND=\"javascript:alert('XSS')\"><tr><td>x</td></tr></TABLE>",
    "<!--[if gte IE 4]><SCRIPT>alert('XSS');</SCRIPT><![endif]-->",
    "<noscript><p title=\"</noscript><img src=x onerror=alert(1)>\"></noscript>",
    "<video><source onerror=\"alert(1)\"></video>",
    "<a href=\"vbscript:msgbox(1)\">x</a>",
    "<img srcset=\"javascript:alert(1) 1x\">",
    "<xmp><img src=x onerror=alert(1)></xmp>",
    "<template><script>alert(1)</script></template>",
];

/// Every HTML file of a built site, with its path.
fn html_files(out: &Path) -> Vec<(String, String)> {
    signpost::fuzzing::read_tree(out)
        .into_iter()
        .filter(|(p, _)| p.ends_with(".html"))
        .map(|(p, b)| (p, String::from_utf8(b).expect("HTML is UTF-8")))
        .collect()
}

#[test]
fn xss_vectors_never_reach_the_html() {
    let site = Site::new();
    let mut body = String::from("Safe text first.\n\n");
    for v in VECTORS {
        // As a block of its own, then inline within a paragraph.
        body.push_str(v);
        body.push_str("\n\n");
        body.push_str(&format!("Inline {v} text.\n\n"));
    }
    // Markdown reads some vectors as text (escaped on the page, no
    // warning). Every piece it reads as HTML (an HTML block, or an inline
    // tag other than an end tag or a comment) must be reported at its line;
    // the page's front matter takes 4 lines.
    let mut lines = std::collections::BTreeSet::new();
    let mut block_start = None;
    for (e, range) in
        pulldown_cmark::Parser::new_ext(&body, signpost::markdown::options()).into_offset_iter()
    {
        let line = 5 + body[..range.start].matches('\n').count();
        match e {
            pulldown_cmark::Event::Start(pulldown_cmark::Tag::HtmlBlock) => {
                block_start = Some(line)
            }
            pulldown_cmark::Event::Html(h) => {
                if let Some(start) = block_start.take()
                    && !h.trim_start().starts_with("<!--")
                {
                    lines.insert(start);
                }
            }
            pulldown_cmark::Event::InlineHtml(h)
                if !h.starts_with("</") && !h.starts_with("<!--") =>
            {
                lines.insert(line);
            }
            _ => {}
        }
    }
    site.page(
        "content/about.md",
        "title: About\nsummary: Who we are.\n",
        &body,
    );
    site.page(
        "content/about.easy.md",
        "title: About\nsummary: Who we are.\n",
        &body,
    );
    let (_tmp, out, run) = builds(&site);
    for (path, html) in html_files(&out) {
        let problems = audit_html(&html);
        assert!(problems.is_empty(), "{path}: {problems:?}");
        let lower = html.to_ascii_lowercase();
        for bad in [
            "alert(",
            "javascript:",
            "vbscript:",
            "evil.example",
            "xss.example",
            "expression(",
        ] {
            // Escaped text (`&lt;script>alert(1)`) may show the words; a tag may not.
            for (i, _) in lower.match_indices(bad) {
                let before = &lower[..i];
                let tag_open = before.rfind('<').unwrap_or(0);
                let tag_close = before.rfind('>').unwrap_or(0);
                assert!(
                    tag_close >= tag_open || lower[tag_open..].starts_with("<!--"),
                    "{path}: `{bad}` inside a tag: {}",
                    &html[tag_open..(i + 40).min(html.len())]
                );
            }
        }
    }
    // The plain text shows what the editor wrote as text (it is served as
    // text/plain), but never the content of a removed <script>.
    let text = read(&out, "about/index.txt");
    assert!(!text.contains("alert(1)</script>"), "{text}");
    // A warning (not an error) at each vector's line.
    assert!(run.stderr.contains("warning[SEC001]"), "{}", run.stderr);
    let (_, diags) = site.check();
    assert!(
        lines.len() > 30,
        "most vectors are HTML to markdown: {lines:?}"
    );
    for line in lines {
        assert!(
            diags.iter().any(|d| d["code"] == "SEC001"
                && d["file"] == "content/about.md"
                && d["line"] == line
                && d["severity"] == "warning"),
            "no SEC001 at line {line}: {}",
            serde_json::to_string_pretty(&diags).unwrap_or_default()
        );
    }
}

#[test]
fn unsafe_link_addresses_are_dropped_with_a_warning() {
    let site = Site::new();
    let links = [
        "[one](javascript:alert(1))",
        "[two](JAVASCRIPT:alert(1))",
        "[three](<javascript:alert(1)>)",
        "<javascript:alert(4)>",
        "[five](&#106;avascript:alert(1))",
        "[six](vbscript:msgbox(1))",
        "[seven](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
        "![eight](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+)",
        "[nine][ref]",
        "[ten](javascript&#58;alert(1))",
    ];
    let mut body = String::new();
    for l in links {
        body.push_str(&format!("Go {l} now.\n\n"));
    }
    body.push_str("[ref]: javascript:alert(9)\n");
    site.page(
        "content/about.md",
        "title: About\nsummary: Who we are.\n",
        &body,
    );
    let (_tmp, out, _) = builds(&site);
    let html = read(&out, "about/index.html");
    for (path, page) in html_files(&out) {
        assert!(
            audit_html(&page).is_empty(),
            "{path}: {:?}",
            audit_html(&page)
        );
    }
    assert!(
        html.contains("Go one now."),
        "the link text stays, without the link: {html}"
    );
    // An autolink's address may stay as words, never as a link.
    let lower = html.to_ascii_lowercase();
    assert!(
        !lower.contains("href=javascript") && !lower.contains("href=\"javascript"),
        "{html}"
    );
    let (_, diags) = site.check();
    for (i, _) in links.iter().enumerate() {
        let line = 5 + 2 * i;
        assert!(
            diags.iter().any(|d| d["code"] == "LINK007"
                && d["line"] == line
                && d["severity"] == "warning"
                && d["file"] == "content/about.md"),
            "no LINK007 warning at line {line}: {}",
            serde_json::to_string_pretty(&diags).unwrap_or_default()
        );
    }
}

#[test]
fn heading_attributes_cannot_carry_script_or_style() {
    let site = Site::new();
    site.page(
        "content/about.md",
        "title: About\nsummary: Who we are.\n",
        "## Who we are {#who .intro onclick=alert(1) style=color:red}\n\nText.\n",
    );
    let (_tmp, out, run) = builds(&site);
    let html = read(&out, "about/index.html");
    assert!(audit_html(&html).is_empty(), "{:?}", audit_html(&html));
    assert!(
        html.contains("id=who") || html.contains("id=\"who\""),
        "the id stays: {html}"
    );
    assert!(run.stderr.contains("SEC001"), "{}", run.stderr);
}

#[test]
fn front_matter_text_is_escaped() {
    let site = Site::new();
    site.page(
        "content/about.md",
        "title: \"About </title><script>alert(1)</script>\"\nsummary: \"Who \\\"><script>alert(2)</script> we are\"\nowner: \"<img src=x onerror=alert(3)>\"\n",
        "Text.\n",
    );
    let (_tmp, out, _) = builds(&site);
    for (path, html) in html_files(&out) {
        assert!(
            audit_html(&html).is_empty(),
            "{path}: {:?}",
            audit_html(&html)
        );
    }
}

#[test]
fn pages_carry_a_strict_csp_and_nothing_inline() {
    let site = Site::new();
    site.page(
        "content/about.md",
        "title: About\nsummary: Who we are.\nupdated: 2026-01-01\n",
        "## Costs\n\n| Service | Cost |\n|:--|--:|\n| Advice | free |\n| Care | £20 |\n\n<details><summary>More</summary><p lang=\"cy\">Croeso</p></details>\n",
    );
    site.page(
        "content/about.easy.md",
        "title: About\nsummary: Who we are.\n",
        "We help people.\n",
    );
    site.page(
        "content/about.pl.md",
        "title: O nas\nsummary: Kim jesteśmy.\n",
        "Pomagamy ludziom.\n",
    );
    let (_tmp, out, _) = builds(&site);
    assert_csp(&out);
}

/// Every HTML page has the CSP as a `<meta>`, `_headers` and `.htaccess`
/// send it, and no page has inline script or style.
fn assert_csp(out: &Path) {
    let csp = signpost::render::context::CSP;
    assert!(
        csp.contains("script-src 'self'")
            && !csp.contains("unsafe-inline")
            && !csp.contains("unsafe-eval"),
        "{csp}"
    );
    assert!(
        csp.contains("style-src 'self'")
            && csp.contains("object-src 'none'")
            && csp.contains("base-uri 'none'"),
        "{csp}"
    );
    let headers = read(out, "_headers");
    assert!(
        headers.contains(&format!("Content-Security-Policy: {csp}")),
        "{headers}"
    );
    let htaccess = read(out, ".htaccess");
    assert!(
        htaccess.contains(&format!("Content-Security-Policy \"{csp}")),
        "{htaccess}"
    );
    let pages = html_files(out);
    assert!(pages.len() > 5);
    for (path, html) in pages {
        let lower = html.to_ascii_lowercase();
        assert!(
            lower.contains("http-equiv=content-security-policy")
                || lower.contains("http-equiv=\"content-security-policy\""),
            "{path} has no CSP meta tag"
        );
        assert!(
            html.replace("&#39;", "'").contains(csp),
            "{path}: the CSP meta tag differs from {csp}"
        );
        let problems = audit_html(&html);
        assert!(problems.is_empty(), "{path}: {problems:?}");
    }
}

// ---------------------------------------------------------------------------
// Found while writing these tests

#[test]
fn file_name_with_no_letters() {
    // Its address was `/`, and the build wrote to the root of the file system.
    rejects(
        |s| {
            s.page(
                "content/!!.md",
                "title: Bang\nsummary: A page with no name.\n",
                "Text.\n",
            )
        },
        expect("content/!!.md", None, "SRC005"),
    );
}

#[test]
fn folder_name_with_no_letters() {
    rejects(
        |s| {
            s.page(
                "content/(!)/page.md",
                "title: Inside\nsummary: A page in a folder with no name.\n",
                "Text.\n",
            );
            s.write(
                "content/(!)/chart.svg",
                "<svg xmlns=\"http://www.w3.org/2000/svg\"/>",
            );
        },
        expect("content/(!)/page.md", None, "SRC005"),
    );
}

#[test]
fn link_with_a_broken_percent_escape() {
    // `%a` before a multi-byte letter panicked.
    rejects(
        |s| {
            s.page(
                "content/about.md",
                "title: About\nsummary: Who we are.\n",
                "See [x](%aé) and [y](100%).\n",
            )
        },
        expect("content/about.md", 5, "LINK001"),
    );
}

#[test]
fn page_named_like_a_language() {
    // `pl.md` would be published where the Polish home page is.
    rejects(
        |s| {
            s.page(
                "content/pl.md",
                "title: Poland\nsummary: A page about Poland.\n",
                "Text.\n",
            )
        },
        expect("content/pl.md", None, "SRC004"),
    );
}

#[test]
fn section_and_page_with_one_address() {
    rejects(
        |s| {
            s.page(
                "content/help/_index.md",
                "title: Help\nsummary: Help section.\n",
                "Text.\n",
            );
            s.page(
                "content/help.md",
                "title: Help page\nsummary: Help page.\n",
                "Text.\n",
            );
        },
        expect("content/help/_index.md", None, "SRC004"),
    );
}

#[test]
fn alias_used_twice() {
    rejects(
        |s| {
            s.page(
                "content/about.md",
                "title: About\nsummary: Who we are.\naliases: [/old/]\n",
                "Text.\n",
            );
            s.page(
                "content/contact.md",
                "title: Contact\nsummary: How to reach us.\naliases: [/old/]\n",
                "Text.\n",
            );
        },
        expect("content/contact.md", 4, "SRC004"),
    );
}

#[test]
fn content_folder_missing() {
    rejects(
        |s| std::fs::remove_dir_all(s.path("content")).expect("remove content/"),
        expect("content", None, "SRC002"),
    );
}
