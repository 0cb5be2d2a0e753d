//! Front matter: the YAML between `---` lines at the top of a page
//! (SPEC section 4), split from the text and parsed into typed values with
//! positions for every problem.

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize};

use crate::codes::Code;
use crate::diagnostics::{Diagnostic, SourceText};

/// A calendar date written `YYYY-MM-DD`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date(pub jiff::civil::Date);

impl Date {
    pub fn year(self) -> i16 {
        self.0.year()
    }
    pub fn month(self) -> i8 {
        self.0.month()
    }
    pub fn day(self) -> i8 {
        self.0.day()
    }
    /// Parses `YYYY-MM-DD`, refusing dates that do not exist.
    pub fn parse(s: &str) -> Result<Date, String> {
        let s = s.trim();
        let shape_ok = s.len() == 10
            && s.char_indices().all(|(i, c)| {
                if i == 4 || i == 7 {
                    c == '-'
                } else {
                    c.is_ascii_digit()
                }
            });
        if !shape_ok {
            return Err(format!("`{s}` is not a date written YYYY-MM-DD"));
        }
        s.parse::<jiff::civil::Date>()
            .map(Date)
            .map_err(|_| format!("`{s}` is not a real date"))
    }
    /// Today's date in UTC (used for freshness checks only, never for output).
    pub fn today() -> Date {
        Date(jiff::Zoned::now().date())
    }
    /// This date plus a number of days (negative for earlier).
    pub fn add_days(self, days: i32) -> Date {
        self.0
            .checked_add(jiff::Span::new().days(days))
            .map(Date)
            .unwrap_or(self)
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

impl<'de> Deserialize<'de> for Date {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        // A visitor, so that the error is raised while the YAML scalar is
        // read and carries its line (a custom error after the fact points at
        // the start of the document).
        struct DateVisitor;
        impl serde::de::Visitor<'_> for DateVisitor {
            type Value = Date;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a date written YYYY-MM-DD")
            }
            fn visit_str<E: serde::de::Error>(self, s: &str) -> Result<Date, E> {
                Date::parse(s).map_err(E::custom)
            }
        }
        d.deserialize_str(DateVisitor)
    }
}

impl Serialize for Date {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.to_string())
    }
}

/// The keys of SPEC section 4, plus the directory keys of a directory's
/// `_index.md`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FrontMatter {
    pub title: String,
    pub summary: String,
    #[serde(default)]
    pub updated: Option<Date>,
    #[serde(default)]
    pub review_by: Option<Date>,
    #[serde(default)]
    pub owner: Option<String>,
    #[serde(default)]
    pub weight: Option<i64>,
    #[serde(default)]
    pub draft: bool,
    #[serde(default)]
    pub slug: Option<String>,
    #[serde(default)]
    pub aliases: Vec<String>,
    /// Directory sections only: category id -> name, in display order.
    #[serde(default)]
    pub categories: Option<serde_yaml::Mapping>,
    /// Directory sections only: area id -> name, in display order.
    #[serde(default)]
    pub areas: Option<serde_yaml::Mapping>,
}

/// Every key a page may use, for suggestions.
pub const PAGE_KEYS: &[&str] = &[
    "title",
    "summary",
    "updated",
    "review_by",
    "owner",
    "weight",
    "draft",
    "slug",
    "aliases",
    "categories",
    "areas",
];

/// Where the parts of a page are in its text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Split<'a> {
    pub yaml: &'a str,
    /// Byte offset of the YAML in the file.
    pub yaml_offset: usize,
    pub body: &'a str,
    /// Byte offset of the body in the file.
    pub body_offset: usize,
}

/// Splits front matter from the body. The text must not start with a BOM
/// (the reader strips it).
pub fn split<'a>(file: &SourceText, text: &'a str) -> Result<Split<'a>, Diagnostic> {
    let first_end = text.find('\n').unwrap_or(text.len());
    if text[..first_end].trim_end() != "---" {
        return Err(Diagnostic::new(
            Code::FM001,
            "the page does not start with front matter",
            "start the file with a line `---`, then `title:` and `summary:`, then another `---`",
        )
        .at(file, 0));
    }
    let yaml_offset = (first_end + 1).min(text.len());
    let mut pos = yaml_offset;
    while pos < text.len() {
        let end = text[pos..]
            .find('\n')
            .map(|n| pos + n)
            .unwrap_or(text.len());
        let line = text[pos..end].trim_end();
        if line == "---" || line == "..." {
            let body_offset = (end + 1).min(text.len());
            return Ok(Split {
                yaml: &text[yaml_offset..pos],
                yaml_offset,
                body: &text[body_offset..],
                body_offset,
            });
        }
        pos = end + 1;
    }
    Err(Diagnostic::new(
        Code::FM002,
        "the front matter is never closed",
        "add a line `---` after the last front matter key, before the text of the page",
    )
    .at(file, 0))
}

/// Turns a YAML error into a diagnostic at the right line of `file`.
/// `offset` is where the YAML starts in the file; `keys` are the allowed keys,
/// for suggestions when a key is unknown.
pub fn yaml_error(
    e: &serde_yaml::Error,
    file: &SourceText,
    offset: usize,
    code: Code,
    keys: &[&str],
) -> Diagnostic {
    let raw = e.to_string();
    let message = strip_location(&raw);
    let (line, col) = match e.location() {
        Some(loc) => {
            let (l0, _) = file.line_col(offset);
            (l0 + loc.line() - 1, loc.column())
        }
        None => file.line_col(offset),
    };
    let config = code.as_str().starts_with("CFG");
    if let Some(field) = between(&message, "unknown field `", "`") {
        let suggestion = nearest(field, keys)
            .map(|k| format!("did you mean `{k}`? "))
            .unwrap_or_default();
        return Diagnostic::new(
            if config { code } else { Code::FM004 },
            format!("unknown key `{field}`"),
            format!(
                "{suggestion}the keys you can use here are: {}",
                keys.join(", ")
            ),
        )
        .at_line(file, line, col);
    }
    if let Some(field) = between(&message, "missing field `", "`") {
        return Diagnostic::new(
            if config { code } else { Code::FM006 },
            format!("`{field}` is missing"),
            format!("add a line `{field}: ...`"),
        )
        .at_line(file, line, col);
    }
    if message.contains("is not a real date") || message.contains("is not a date written") {
        let text = message
            .split(" at line")
            .next()
            .unwrap_or(&message)
            .to_string();
        return Diagnostic::new(
            if config { code } else { Code::FM007 },
            text,
            "write the date as YYYY-MM-DD, for example 2026-11-01, and check the day exists",
        )
        .at_line(file, line, col);
    }
    // The message may start with the key's path (`draft: invalid type: ...`).
    if message.contains("invalid type: ") || message.contains("invalid value: ") {
        return Diagnostic::new(
            if config { code } else { Code::FM005 },
            plain_type_error(&message),
            "check the value: text, a whole number, true or false, a date (YYYY-MM-DD) or a list, as the README says for this key",
        )
        .at_line(file, line, col);
    }
    Diagnostic::new(
        if config { code } else { Code::FM003 },
        format!("the YAML is not valid: {message}"),
        "write one `key: value` per line; put values that contain `:` or start with a quote or `[` in double quotes",
    )
    .at_line(file, line, col)
}

fn strip_location(m: &str) -> String {
    match m.rfind(" at line ") {
        Some(i) => m[..i].to_string(),
        None => m.to_string(),
    }
}

pub(crate) fn between<'a>(s: &'a str, start: &str, end: &str) -> Option<&'a str> {
    let i = s.find(start)? + start.len();
    let j = s[i..].find(end)? + i;
    Some(&s[i..j])
}

fn plain_type_error(m: &str) -> String {
    // "key: invalid type: string \"x\", expected i64"
    let m = m
        .replace("expected i64", "expected a whole number")
        .replace("expected a boolean", "expected true or false")
        .replace("expected a sequence", "expected a list")
        .replace("expected a string", "expected text");
    format!("a value has the wrong type: {m}")
}

/// The known key closest to `word`, if it is close enough to be a typo.
pub fn nearest<'a>(word: &str, keys: &[&'a str]) -> Option<&'a str> {
    keys.iter()
        .map(|k| (strsim::damerau_levenshtein(word, k), *k))
        .filter(|(d, k)| *d <= 2.max(k.len() / 3))
        .min()
        .map(|(_, k)| k)
}

/// Most YAML aliases (`*name`, a reuse of an `&name` anchor) one file may
/// hold. Each alias can stand for a whole list, so a few lines of aliases
/// of aliases ("billion laughs") would stand for billions of values.
/// Front matter and service entries need none.
pub const MAX_YAML_ALIASES: usize = 50;

/// The offset in `yaml` of the first alias past [`MAX_YAML_ALIASES`], read
/// from the text before any YAML parser expands them. An alias is a `*`
/// followed by a name, where a value can start (after a space, `[`, `{`,
/// `,`, `:` or `-`, or at a line's start), outside quotes.
pub fn too_many_aliases(yaml: &str) -> Option<usize> {
    let b = yaml.as_bytes();
    let mut count = 0;
    let mut quote: Option<u8> = None;
    for i in 0..b.len() {
        let c = b[i];
        match quote {
            Some(q) if c == q => quote = None,
            Some(_) if c == b'\n' => quote = None,
            Some(_) => {}
            None if (c == b'"' || c == b'\'')
                && (i == 0 || matches!(b[i - 1], b' ' | b'[' | b'{' | b',' | b':' | b'\n')) =>
            {
                quote = Some(c)
            }
            None if c == b'"' || c == b'\'' => {}
            None if c == b'*' => {
                let starts = i == 0
                    || matches!(
                        b[i - 1],
                        b' ' | b'[' | b'{' | b',' | b':' | b'-' | b'\n' | b'\t'
                    );
                let named = b
                    .get(i + 1)
                    .is_some_and(|n| n.is_ascii_alphanumeric() || *n == b'_');
                if starts && named {
                    count += 1;
                    if count > MAX_YAML_ALIASES {
                        return Some(i);
                    }
                }
            }
            None => {}
        }
    }
    None
}

/// The error for a file with too many YAML aliases at `offset`.
pub fn aliases_diagnostic(file: &SourceText, offset: usize) -> Diagnostic {
    Diagnostic::new(
        Code::LIM005,
        format!("this file uses more than {MAX_YAML_ALIASES} YAML aliases (*name)"),
        "write each value out in full instead of reusing an &anchor with *aliases",
    )
    .at(file, offset)
}

/// Parses a page's front matter. Errors carry the file's positions.
pub fn parse(file: &SourceText, split: &Split<'_>) -> Result<FrontMatter, Diagnostic> {
    if let Some(at) = too_many_aliases(split.yaml) {
        return Err(aliases_diagnostic(file, split.yaml_offset + at));
    }
    if split.yaml.trim().is_empty() {
        return Err(Diagnostic::new(
            Code::FM006,
            "the front matter is empty",
            "add `title:` and `summary:` between the `---` lines",
        )
        .at(file, 0));
    }
    serde_yaml::from_str::<FrontMatter>(split.yaml)
        .map_err(|e| yaml_error(&e, file, split.yaml_offset, Code::FM003, PAGE_KEYS))
        .and_then(|fm| {
            if fm.title.trim().is_empty() {
                Err(Diagnostic::new(
                    Code::FM006,
                    "the title is empty",
                    "write the page's title after `title:`",
                )
                .at(file, split.yaml_offset))
            } else {
                Ok(fm)
            }
        })
}

/// Byte offset of a top-level `key:` line within the front matter.
pub fn key_offset(split: &Split<'_>, key: &str) -> usize {
    let mut pos = 0;
    for line in split.yaml.split_inclusive('\n') {
        if line.starts_with(key) && line[key.len()..].trim_start().starts_with(':') {
            return split.yaml_offset + pos;
        }
        pos += line.len();
    }
    split.yaml_offset
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page(text: &str) -> Result<FrontMatter, Diagnostic> {
        let f = SourceText::new("p.md", text);
        let s = split(&f, text)?;
        parse(&f, &s)
    }

    #[test]
    fn splits_and_parses() {
        let fm = page("---\ntitle: A\nsummary: B\nupdated: 2026-01-02\n---\nBody\n").unwrap();
        assert_eq!(fm.title, "A");
        assert_eq!(fm.updated.unwrap().to_string(), "2026-01-02");
    }

    #[test]
    fn crlf_works() {
        let fm = page("---\r\ntitle: A\r\nsummary: B\r\n---\r\nBody\r\n").unwrap();
        assert_eq!(fm.summary, "B");
    }

    #[test]
    fn unterminated() {
        let e = page("---\ntitle: A\n").unwrap_err();
        assert_eq!(e.code, Code::FM002);
    }

    #[test]
    fn missing() {
        assert_eq!(page("# Hi\n").unwrap_err().code, Code::FM001);
    }

    #[test]
    fn unknown_key_suggests() {
        let e = page("---\ntitle: A\nsummary: B\ntitel: C\n---\n").unwrap_err();
        assert_eq!(e.code, Code::FM004);
        assert_eq!(e.line, Some(4));
        assert!(e.help.contains("did you mean `title`"), "{e:?}");
    }

    #[test]
    fn impossible_date() {
        let e = page("---\ntitle: A\nsummary: B\nupdated: 2026-02-30\n---\n").unwrap_err();
        assert_eq!(e.code, Code::FM007);
        assert_eq!(e.line, Some(4));
    }

    #[test]
    fn wrong_type() {
        let e = page("---\ntitle: A\nsummary: B\nweight: first\n---\n").unwrap_err();
        assert_eq!(e.code, Code::FM005);
        assert_eq!(e.line, Some(4));
    }

    #[test]
    fn missing_title() {
        let e = page("---\nsummary: B\n---\n").unwrap_err();
        assert_eq!(e.code, Code::FM006);
    }

    #[test]
    fn yaml_syntax() {
        let e = page("---\ntitle: A\nsummary: B\n  owner: : x\n---\n").unwrap_err();
        assert_eq!(e.code, Code::FM003);
    }
}
