//! Problems found in a site, for editors.
//!
//! Every problem is a [`Diagnostic`]: a stable code from [`crate::codes`], a
//! severity, the file and position it is about, what is wrong in plain words
//! and what to do. Library code only collects them; `main` prints them, as
//! rustc does (through `codespan-reporting`) or as JSON.

use std::collections::BTreeMap;
use std::fmt;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use codespan_reporting::diagnostic::{Diagnostic as Report, Label};
use codespan_reporting::files::SimpleFiles;
use codespan_reporting::term::{self, Chars, Config};
use serde::Serialize;

use crate::codes::Code;
pub use crate::codes::Severity;

/// One problem, tied to a place in a source file where one is known.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    /// Stable code such as `A11Y001`; see `signpost explain CODE`.
    pub code: Code,
    pub severity: Severity,
    /// Path of the file, relative to the site root where possible.
    pub file: Option<String>,
    /// 1-based line, where known.
    pub line: Option<usize>,
    /// 1-based column (in characters), where known.
    pub column: Option<usize>,
    /// What is wrong, in plain words.
    pub message: String,
    /// What to do about it.
    pub help: String,
    /// Byte range within the file, for the source excerpt.
    #[serde(skip)]
    pub span: Option<Range<usize>>,
}

impl Diagnostic {
    /// A problem with the given code; severity comes from the code's default.
    pub fn new(code: Code, message: impl Into<String>, help: impl Into<String>) -> Self {
        Diagnostic {
            code,
            severity: code.severity(),
            file: None,
            line: None,
            column: None,
            message: message.into(),
            help: help.into(),
            span: None,
        }
    }

    /// Names the file (without a position).
    pub fn in_file(mut self, file: impl Into<String>) -> Self {
        self.file = Some(file.into());
        self
    }

    /// Names the file and the position of `offset` in `text`.
    pub fn at(mut self, file: &SourceText, offset: usize) -> Self {
        let (line, column) = file.line_col(offset);
        self.file = Some(file.name.clone());
        self.line = Some(line);
        self.column = Some(column);
        let end = file.text[offset.min(file.text.len())..]
            .find('\n')
            .map(|n| offset + n)
            .unwrap_or(file.text.len())
            .max(offset);
        self.span = Some(offset.min(file.text.len())..end);
        self
    }

    /// Names the file and a known line and column (1-based).
    pub fn at_line(mut self, file: &SourceText, line: usize, column: usize) -> Self {
        let offset = file.offset_of(line, column);
        self = self.at(file, offset);
        // A parser may report the end of the text as the line after the
        // last; then the position of the end (set by `at`) stands.
        if line <= file.line_starts().len() {
            self.line = Some(line);
            self.column = Some(column);
        }
        self
    }

    pub fn with_severity(mut self, severity: Severity) -> Self {
        self.severity = severity;
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let level = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        write!(f, "{level}[{}]: {}", self.code, self.message)?;
        if let Some(file) = &self.file {
            write!(f, "\n  --> {file}")?;
            if let (Some(l), Some(c)) = (self.line, self.column) {
                write!(f, ":{l}:{c}")?;
            }
        }
        if !self.help.is_empty() {
            write!(f, "\n  = help: {}", self.help)?;
        }
        Ok(())
    }
}

/// The text of a source file, with its display name, for positions.
#[derive(Debug, Clone)]
pub struct SourceText {
    pub name: String,
    pub text: String,
    /// Where each line starts: worked out the first time a position is
    /// needed (most files never have a problem to point at).
    line_starts: std::sync::OnceLock<Vec<usize>>,
}

impl SourceText {
    pub fn new(name: impl Into<String>, text: impl Into<String>) -> Self {
        SourceText {
            name: name.into(),
            text: text.into(),
            line_starts: std::sync::OnceLock::new(),
        }
    }

    fn line_starts(&self) -> &[usize] {
        self.line_starts.get_or_init(|| {
            let mut starts = vec![0];
            starts.extend(self.text.match_indices('\n').map(|(i, _)| i + 1));
            starts
        })
    }

    /// 1-based line and column (in characters) of a byte offset.
    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        let offset = offset.min(self.text.len());
        let line = match self.line_starts().binary_search(&offset) {
            Ok(i) => i,
            Err(i) => i.saturating_sub(1),
        };
        let start = self.line_starts()[line];
        let column = self
            .text
            .get(start..offset)
            .map(|s| s.chars().count())
            .unwrap_or(0);
        (line + 1, column + 1)
    }

    /// Byte offset of a 1-based line and column.
    pub fn offset_of(&self, line: usize, column: usize) -> usize {
        let Some(&start) = self.line_starts().get(line.saturating_sub(1)) else {
            return self.text.len();
        };
        let rest = &self.text[start..];
        let skip: usize = rest
            .chars()
            .take(column.saturating_sub(1))
            .take_while(|c| *c != '\n')
            .map(char::len_utf8)
            .sum();
        start + skip
    }
}

/// A thread-safe collection of diagnostics with the sources they point into.
#[derive(Debug, Default)]
pub struct Diagnostics {
    inner: Mutex<Inner>,
}

#[derive(Debug, Default)]
struct Inner {
    list: Vec<Diagnostic>,
    sources: BTreeMap<String, String>,
}

impl Diagnostics {
    pub fn new() -> Self {
        Self::default()
    }

    /// Records a problem.
    pub fn push(&self, d: Diagnostic) {
        if let Ok(mut inner) = self.inner.lock() {
            inner.list.push(d);
        }
    }

    /// Records a problem and keeps the file's text for the excerpt.
    pub fn push_with_source(&self, d: Diagnostic, source: &SourceText) {
        if let Ok(mut inner) = self.inner.lock() {
            inner
                .sources
                .entry(source.name.clone())
                .or_insert_with(|| source.text.clone());
            inner.list.push(d);
        }
    }

    /// Remembers a file's text so that excerpts can be shown.
    pub fn add_source(&self, source: &SourceText) {
        if let Ok(mut inner) = self.inner.lock() {
            inner
                .sources
                .entry(source.name.clone())
                .or_insert_with(|| source.text.clone());
        }
    }

    pub fn has_errors(&self) -> bool {
        self.inner
            .lock()
            .map(|i| i.list.iter().any(Diagnostic::is_error))
            .unwrap_or(true)
    }

    /// Turns every warning into an error (`--deny-warnings`).
    pub fn deny_warnings(&self) {
        if let Ok(mut inner) = self.inner.lock() {
            for d in &mut inner.list {
                d.severity = Severity::Error;
            }
        }
    }

    /// All diagnostics, in a stable order: by file, line, column, code.
    pub fn sorted(&self) -> Vec<Diagnostic> {
        let mut list = self
            .inner
            .lock()
            .map(|i| i.list.clone())
            .unwrap_or_default();
        list.sort_by(|a, b| {
            (&a.file, a.line, a.column, a.code.as_str(), &a.message).cmp(&(
                &b.file,
                b.line,
                b.column,
                b.code.as_str(),
                &b.message,
            ))
        });
        list.dedup();
        list
    }

    /// Renders every diagnostic as rustc does, with source excerpts.
    pub fn render_text(&self) -> String {
        let list = self.sorted();
        let sources = self
            .inner
            .lock()
            .map(|i| i.sources.clone())
            .unwrap_or_default();
        render_text(&list, &sources)
    }

    pub fn counts(&self) -> Counts {
        let mut c = Counts::default();
        for d in self.sorted() {
            match d.severity {
                Severity::Error => c.errors += 1,
                Severity::Warning => c.warnings += 1,
            }
            *c.by_code.entry(d.code.as_str()).or_default() += 1;
        }
        c
    }

    pub fn into_sorted(self) -> Vec<Diagnostic> {
        self.sorted()
    }
}

/// How many problems of each kind.
#[derive(Debug, Default, Clone)]
pub struct Counts {
    pub errors: usize,
    pub warnings: usize,
    pub by_code: BTreeMap<&'static str, usize>,
}

/// Renders diagnostics in rustc's style: `error[CODE]: message`,
/// `--> file:line:col`, the source line, and `= help: ...`.
pub fn render_text(list: &[Diagnostic], sources: &BTreeMap<String, String>) -> String {
    let mut files = SimpleFiles::new();
    let mut ids = BTreeMap::new();
    for (name, text) in sources {
        ids.insert(name.clone(), files.add(name.clone(), text.clone()));
    }
    let config = Config {
        chars: Chars::ascii(),
        ..Config::default()
    };
    let mut out = String::new();
    for d in list {
        let mut report = match d.severity {
            Severity::Error => Report::error(),
            Severity::Warning => Report::warning(),
        }
        .with_code(d.code.as_str())
        .with_message(&d.message);
        let label = d.file.as_ref().and_then(|f| ids.get(f)).zip(d.span.clone());
        let has_label = label.is_some();
        // A very long line is shown as a window around the problem, so a
        // 10 MB line does not flood the terminal; the location printed
        // stays the true one.
        let mut clipped = None;
        if let Some((id, span)) = label {
            let window = d
                .file
                .as_ref()
                .and_then(|f| sources.get(f))
                .and_then(|text| clip_line(text, span.clone()));
            match window {
                Some(w) => {
                    let mut one = SimpleFiles::new();
                    let name = d.file.clone().unwrap_or_default();
                    let wid = one.add(name.clone(), w.text);
                    report = report.with_label(Label::primary(wid, w.span));
                    clipped = Some((one, name, w.shown, w.real));
                }
                None => report = report.with_label(Label::primary(*id, span)),
            }
        }
        if !d.help.is_empty() {
            report = report.with_note(format!("help: {}", d.help));
        }
        let rendered = match (&clipped, has_label) {
            (Some((one, name, shown, real)), _) => {
                term::emit_into_string(&config, one, &report).ok().map(|s| {
                    let from = format!("{name}:{}:{}", shown.0, shown.1);
                    let to = format!("{name}:{}:{}", real.0, real.1);
                    s.replacen(&from, &to, 1)
                })
            }
            (None, true) => term::emit_into_string(&config, &files, &report).ok(),
            (None, false) => None,
        };
        match rendered {
            Some(s) => out.push_str(&s),
            None => {
                out.push_str(&d.to_string());
                out.push('\n');
            }
        }
        out.push('\n');
    }
    out
}

/// Lines longer than this many bytes are shown as a window around the
/// problem.
const SHOWN_LINE: usize = 160;

/// A long source line cut down to a window around a problem in it.
struct Window {
    /// The source up to the line, then the window (with `...` where it was
    /// cut) and a line break.
    text: String,
    span: Range<usize>,
    /// Line and column of the span's start in `text`, and in the source.
    shown: (usize, usize),
    real: (usize, usize),
}

/// The window of `text` around `span` when the span's line is longer than
/// [`SHOWN_LINE`]; `None` when the line can be shown whole.
fn clip_line(text: &str, span: Range<usize>) -> Option<Window> {
    let at = span.start.min(text.len());
    if !text.is_char_boundary(at) {
        return None;
    }
    let line_start = text[..at].rfind('\n').map_or(0, |i| i + 1);
    let line_end = text[at..].find('\n').map_or(text.len(), |i| at + i);
    if line_end - line_start <= SHOWN_LINE {
        return None;
    }
    let boundary_before = |mut i: usize| {
        while !text.is_char_boundary(i) {
            i -= 1;
        }
        i
    };
    let from = boundary_before(at.saturating_sub(SHOWN_LINE / 3).max(line_start));
    let to = boundary_before((from + SHOWN_LINE).min(line_end));
    let mut clipped = String::with_capacity(line_start + SHOWN_LINE + 8);
    clipped.push_str(&text[..line_start]);
    if from > line_start {
        clipped.push_str("...");
    }
    let start = clipped.len() + (at - from);
    clipped.push_str(&text[from..to]);
    if to < line_end {
        clipped.push_str("...");
    }
    clipped.push('\n');
    let end = start + span.end.clamp(at, to.max(at)) - at;
    let column = |s: &str, i: usize| s[line_start..i].chars().count() + 1;
    let line = text[..line_start].matches('\n').count() + 1;
    Some(Window {
        shown: (line, column(&clipped, start)),
        real: (line, column(text, at)),
        span: start..end,
        text: clipped,
    })
}

/// 1-based line and column (in characters) of byte `offset` of a file that
/// may not be valid UTF-8 (for "not UTF-8 text" errors).
pub fn byte_position(bytes: &[u8], offset: usize) -> (usize, usize) {
    let before = &bytes[..offset.min(bytes.len())];
    let line_start = before
        .iter()
        .rposition(|b| *b == b'\n')
        .map(|i| i + 1)
        .unwrap_or(0);
    let line = before.iter().filter(|b| **b == b'\n').count() + 1;
    let column = String::from_utf8_lossy(&before[line_start..])
        .chars()
        .count()
        + 1;
    (line, column)
}

/// Display path of a file relative to the site root.
pub fn display_path(root: &Path, path: &Path) -> String {
    path.strip_prefix(root)
        .unwrap_or(path)
        .to_string_lossy()
        .replace('\\', "/")
}

/// A failure that stops a command before any content is checked.
#[derive(Debug)]
pub enum Fatal {
    /// Reading or writing a file failed.
    Io {
        path: PathBuf,
        error: std::io::Error,
    },
    /// The content has errors; the diagnostics say which.
    Content,
    /// The command line or settings asked for something impossible.
    Usage(String),
}

impl fmt::Display for Fatal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Fatal::Io { path, error } => write!(f, "could not use {}: {error}", path.display()),
            Fatal::Content => write!(f, "the site has errors"),
            Fatal::Usage(m) => write!(f, "{m}"),
        }
    }
}

impl std::error::Error for Fatal {}

impl Fatal {
    pub fn io(path: impl Into<PathBuf>, error: std::io::Error) -> Self {
        Fatal::Io {
            path: path.into(),
            error,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_and_column_count_characters() {
        let s = SourceText::new("a.md", "ab\nłód x\n");
        assert_eq!(s.line_col(0), (1, 1));
        assert_eq!(s.line_col(3), (2, 1));
        let x = s.text.find('x').unwrap_or(0);
        assert_eq!(s.line_col(x), (2, 5));
        assert_eq!(s.offset_of(2, 5), x);
    }

    #[test]
    fn a_very_long_line_is_shown_as_a_window_at_its_true_column() {
        let long = format!("{}BAD{}", "word ".repeat(6_000), "more ".repeat(6_000));
        let text = format!("---\ntitle: A\n---\n{long}\n");
        let src = SourceText::new("content/a.md", &text);
        let at = text.find("BAD").unwrap_or(0);
        let mut d = Diagnostic::new(Code::LIM003, "this line is too long", "break it");
        d = d.at(&src, at);
        let mut sources = BTreeMap::new();
        sources.insert(src.name.clone(), src.text.clone());
        let out = render_text(&[d], &sources);
        assert!(out.len() < 1_000, "{} bytes: {out}", out.len());
        assert!(out.contains("--> content/a.md:4:30001"), "{out}");
        assert!(out.contains(" word word BADmore more "), "{out}");
        let caret = out.lines().find(|l| l.contains('^')).unwrap_or("");
        let shown = out.lines().find(|l| l.contains("BAD")).unwrap_or("");
        assert_eq!(caret.find('^'), shown.find("BAD"), "{out}");
    }

    #[test]
    fn renders_like_rustc() {
        let src = SourceText::new("content/a.md", "---\ntitle: A\n---\n![](x.png)\n");
        let d = Diagnostic::new(Code::A11Y001, "image has no alt text", "describe it")
            .at_line(&src, 4, 1);
        let mut sources = BTreeMap::new();
        sources.insert(src.name.clone(), src.text.clone());
        let out = render_text(&[d], &sources);
        assert!(
            out.contains("error[A11Y001]: image has no alt text"),
            "{out}"
        );
        assert!(out.contains("--> content/a.md:4:1"), "{out}");
        assert!(out.contains("= help: describe it"), "{out}");
    }
}
