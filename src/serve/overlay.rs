//! What the browser shows in serve mode: the live-reload script, and the
//! diagnostics page served for HTML requests while the site does not build.
//!
//! The page is plain, accessible HTML in the site's default language: a
//! heading, what happened, and a numbered list of the problems, each with
//! its file, line and column, the line itself and what to do. It reloads by
//! itself once a fix builds. A link gives the last good version of the page.

use std::path::Path;

use crate::codes::Code;
use crate::diagnostics::{Diagnostic, Diagnostics, Severity};
use crate::i18n::Strings;

/// Ask for the last good version of a page while the site is broken: the
/// overlay links to it, the server answers it.
pub const LAST_GOOD: &str = "last-good";

/// The live-reload script: follows the build generation over Server-Sent
/// Events and reloads the page when it moves on. `loaded` is the
/// generation when the script was fetched (just after its page).
pub fn reload_script(loaded: u64) -> String {
    format!(
        r#"/* Signpost live reload: exists only in `signpost serve`. */
(function () {{
  'use strict';
  if (!window.EventSource) return;
  var loaded = '{loaded}';
  var events = new EventSource('/__signpost/events');
  events.onmessage = function (e) {{
    if (e.data !== loaded) {{
      events.close();
      window.location.reload();
    }}
  }};
}})();
"#
    )
}

/// Styles of the diagnostics page (served from the server: no inline style).
pub const CSS: &str = r#"body { margin: 0; font-family: system-ui, -apple-system, "Segoe UI", Roboto, Arial, sans-serif; font-size: 1.1875rem; line-height: 1.5; color: #0b0c0c; background: #ffffff; }
main { max-width: 60rem; margin: 0 auto; padding: 1.5rem 1rem 3rem; }
.banner { background: #d4351c; color: #ffffff; padding: 1rem; }
.banner p { max-width: 60rem; margin: 0 auto; font-weight: 700; }
h1 { font-size: 2rem; line-height: 1.2; margin: 1rem 0; }
h2 { font-size: 1.25rem; margin: 0 0 .5rem; overflow-wrap: anywhere; }
ol.problems { padding: 0; list-style: none; }
ol.problems > li { border-inline-start: .4rem solid #d4351c; padding: .75rem 1rem; margin: 0 0 1.25rem; background: #f3f2f1; }
ol.problems > li.warning { border-inline-start-color: #505a5f; }
.level { display: inline-block; padding: 0 .4rem; margin-inline-end: .4rem; color: #ffffff; background: #d4351c; font-size: .875em; }
li.warning .level { background: #505a5f; }
.where { font-family: ui-monospace, Menlo, Consolas, monospace; font-size: .95em; overflow-wrap: anywhere; }
pre { background: #ffffff; border: 1px solid #505a5f; padding: .5rem .75rem; overflow-x: auto; font-size: .9em; white-space: pre-wrap; overflow-wrap: anywhere; }
.help { margin: .5rem 0 0; }
a { color: #1d70b8; text-decoration: underline; }
a:visited { color: #4c2c92; }
a:focus-visible { outline: 3px solid transparent; color: #0b0c0c; background: #ffdd00; box-shadow: 0 -2px #ffdd00, 0 4px #0b0c0c; text-decoration: none; }
@media (prefers-color-scheme: dark) {
  body { color: #f3f2f1; background: #0b0c0c; }
  ol.problems > li { background: #1f2123; }
  pre { background: #0b0c0c; border-color: #b1b4b6; }
  a { color: #8fc3f7; }
  a:visited { color: #d2b8f5; }
}
"#;

/// The interface strings of the page, in the site's default language.
#[derive(Debug, Clone)]
pub struct OverlayStrings {
    pub lang: String,
    pub dir: &'static str,
    pub title: String,
    pub intro: String,
    pub fix: String,
    pub last_good: String,
    pub help: String,
    pub error: String,
    pub warning: String,
    pub problems: String,
}

impl OverlayStrings {
    pub fn new(strings: &Strings, lang: &str, dir: &'static str, count: usize) -> Self {
        OverlayStrings {
            lang: lang.to_string(),
            dir,
            title: strings.get("serve.title"),
            intro: strings.get("serve.intro"),
            fix: strings.get("serve.fix"),
            last_good: strings.get("serve.last_good"),
            help: strings.get("serve.help"),
            error: strings.get("serve.error"),
            warning: strings.get("serve.warning"),
            problems: strings.plural("serve.problems", count as u64, &[]),
        }
    }
}

/// One problem as the page shows it.
#[derive(Debug, Clone)]
pub struct Problem {
    pub diagnostic: Diagnostic,
    /// The line of the file the problem is on, as it is on disk now.
    pub excerpt: Option<String>,
}

/// The state of a failed build, for the page.
#[derive(Debug, Clone)]
pub struct Broken {
    pub strings: OverlayStrings,
    pub problems: Vec<Problem>,
}

impl Broken {
    /// From the diagnostics of a failed build (errors first) or a fatal
    /// message, reading each problem's line from `root`.
    pub fn new(
        root: &Path,
        diags: &Diagnostics,
        fatal: Option<String>,
        strings: impl Fn(usize) -> OverlayStrings,
    ) -> Self {
        let mut list = diags.sorted();
        // Errors first; among them, files that cannot be read before what
        // follows from them (a broken page before the links to it).
        let first = |code: &str| {
            ["CFG", "SRC", "FM", "I18N", "THEME"]
                .iter()
                .any(|p| code.starts_with(p))
        };
        list.sort_by_key(|d| (d.severity != Severity::Error, !first(d.code.as_str())));
        if let Some(message) = fatal {
            list.insert(
                0,
                Diagnostic::new(
                    Code::SRC001,
                    message,
                    "fix the problem and save; the site rebuilds by itself",
                ),
            );
        }
        let problems: Vec<Problem> = list
            .into_iter()
            .map(|d| {
                let excerpt = match (&d.file, d.line) {
                    (Some(f), Some(line)) if !f.starts_with('(') => {
                        std::fs::read_to_string(root.join(f)).ok().and_then(|t| {
                            t.lines()
                                .nth(line.saturating_sub(1))
                                .map(|l| format!("{line} | {l}"))
                        })
                    }
                    _ => None,
                };
                Problem {
                    diagnostic: d,
                    excerpt,
                }
            })
            .collect();
        let errors = problems
            .iter()
            .filter(|p| p.diagnostic.is_error())
            .count()
            .max(1);
        Broken {
            strings: strings(errors),
            problems,
        }
    }
}

fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// The diagnostics page for a request of `path`; with a link to the last
/// good version of that page when there is one.
pub fn page(b: &Broken, path: &str, has_last_good: bool) -> String {
    let s = &b.strings;
    let mut html = String::new();
    html.push_str(&format!(
        "<!DOCTYPE html>\n<html lang=\"{}\" dir=\"{}\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<meta name=\"robots\" content=\"noindex\">\n<title>{} ({}) – Signpost</title>\n<link rel=\"stylesheet\" href=\"/__signpost/overlay.css\">\n<script src=\"/__signpost/reload.js\" defer></script>\n</head>\n<body>\n",
        esc(&s.lang),
        s.dir,
        esc(&s.title),
        esc(&s.problems)
    ));
    html.push_str(&format!(
        "<header class=\"banner\"><p>{}</p></header>\n<main>\n",
        esc(&s.problems)
    ));
    html.push_str(&format!(
        "<h1>{}</h1>\n<p>{}</p>\n<p>{}</p>\n",
        esc(&s.title),
        esc(&s.intro),
        esc(&s.fix)
    ));
    if has_last_good {
        let sep = if path.contains('?') { '&' } else { '?' };
        html.push_str(&format!(
            "<p><a href=\"{}{sep}{}\">{}</a></p>\n",
            esc(path),
            LAST_GOOD,
            esc(&s.last_good)
        ));
    }
    html.push_str("<ol class=\"problems\">\n");
    for p in &b.problems {
        let d = &p.diagnostic;
        let (class, level) = if d.is_error() {
            ("error", &s.error)
        } else {
            ("warning", &s.warning)
        };
        html.push_str(&format!(
            "<li class=\"{class}\">\n<h2><span class=\"level\">{} {}</span> {}</h2>\n",
            esc(level),
            esc(d.code.as_str()),
            esc(&d.message)
        ));
        if let Some(file) = &d.file {
            let mut at = file.clone();
            if let Some(l) = d.line {
                at.push_str(&format!(":{l}"));
                if let Some(c) = d.column {
                    at.push_str(&format!(":{c}"));
                }
            }
            html.push_str(&format!(
                "<p class=\"where\" dir=\"ltr\">{}</p>\n",
                esc(&at)
            ));
        }
        if let Some(x) = &p.excerpt {
            html.push_str(&format!("<pre dir=\"auto\">{}</pre>\n", esc(x)));
        }
        if !d.help.is_empty() {
            html.push_str(&format!(
                "<p class=\"help\"><strong>{}:</strong> {}</p>\n",
                esc(&s.help),
                esc(&d.help)
            ));
        }
        html.push_str("</li>\n");
    }
    html.push_str("</ol>\n</main>\n</body>\n</html>\n");
    html
}

#[cfg(test)]
mod tests {
    use super::*;

    fn strings() -> OverlayStrings {
        OverlayStrings {
            lang: "en".into(),
            dir: "ltr",
            title: "The site could not be rebuilt".into(),
            intro: "intro".into(),
            fix: "fix".into(),
            last_good: "Show the last good version of this page".into(),
            help: "What to do".into(),
            error: "Error".into(),
            warning: "Warning".into(),
            problems: "1 problem".into(),
        }
    }

    #[test]
    fn lists_each_problem_with_its_place_and_help() {
        let diags = Diagnostics::new();
        let mut d = Diagnostic::new(
            Code::FM001,
            "the front matter is not <valid>",
            "close it with ---",
        )
        .in_file("content/a.md");
        d.line = Some(3);
        d.column = Some(1);
        diags.push(d);
        let b = Broken::new(Path::new("/nonexistent"), &diags, None, |_| strings());
        let html = page(&b, "/a/", true);
        assert!(html.contains("<html lang=\"en\" dir=\"ltr\">"));
        assert!(html.contains("content/a.md:3:1"));
        assert!(html.contains("not &lt;valid&gt;"));
        assert!(html.contains("close it with ---"));
        assert!(html.contains("href=\"/a/?last-good\""));
        assert!(html.contains("/__signpost/reload.js"));
    }
}
