//! Structure rules: what text pasted from a PDF or a printed report looks
//! like. A long page with no subheadings (STRUCT001), and lines of page
//! furniture: page numbers on their own (`4`, `Page 4 of 12`, `4 |`,
//! STRUCT002), running headers or footers repeated through the page
//! (STRUCT003), and words broken across lines with a hyphen (STRUCT004).
//!
//! The rules read the page's source lines (outside fenced code and
//! tables), so each problem is at its line and column.

use std::collections::BTreeMap;

use crate::codes::Code;
use crate::config::StructureSettings;
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::model::Doc;

/// A body line: its byte offset in the file and its text.
struct SourceLine<'a> {
    offset: usize,
    text: &'a str,
}

/// The body's lines outside fenced code blocks.
fn body_lines(doc: &Doc) -> Vec<SourceLine<'_>> {
    let text = &doc.file.text;
    let start = doc.body.body_offset.min(text.len());
    let mut out = Vec::new();
    let mut fence: Option<&str> = None;
    let mut offset = start;
    for line in text[start..].split_inclusive('\n') {
        let here = offset;
        offset += line.len();
        let line = line.trim_end_matches(['\n', '\r']);
        let t = line.trim_start();
        if let Some(f) = fence {
            if t.starts_with(f) {
                fence = None;
            }
            continue;
        }
        if t.starts_with("```") {
            fence = Some("```");
            continue;
        }
        if t.starts_with("~~~") {
            fence = Some("~~~");
            continue;
        }
        out.push(SourceLine {
            offset: here,
            text: line,
        });
    }
    out
}

/// Is this a table's separator row (`|---|:---:|`)?
fn is_table_rule(line: &str) -> bool {
    let t = line.trim();
    t.contains('-') && t.contains('|') && t.chars().all(|c| matches!(c, '|' | '-' | ':' | ' '))
}

fn is_number(s: &str) -> bool {
    !s.is_empty() && s.len() <= 4 && s.bytes().all(|b| b.is_ascii_digit())
}

/// A page number in the ways printed documents write one.
fn is_page_number(line: &str) -> bool {
    let t = line.trim();
    // `4`, `- 4 -`, `– 4 –`
    let bare = t.trim_matches(|c: char| c == '-' || c == '–' || c == '—' || c.is_whitespace());
    if is_number(bare) && (bare == t || t.starts_with(['-', '–', '—'])) {
        return true;
    }
    // `4 |`, `| 4`, `4 | Annual report 2025`, `Annual report 2025 | 4`
    if t.matches('|').count() == 1 {
        let (a, b) = t.split_once('|').unwrap_or((t, ""));
        let (a, b) = (a.trim(), b.trim());
        if is_number(a) || is_number(b) {
            return true;
        }
    }
    // `Page 4`, `Page 4 of 12`, `page 4/12`
    let lower = t.to_lowercase();
    if let Some(rest) = lower.strip_prefix("page ") {
        let rest = rest.trim();
        let mut parts = rest
            .split(|c: char| c == '/' || c.is_whitespace())
            .filter(|p| !p.is_empty());
        let first = parts.next().unwrap_or("");
        let tail: Vec<&str> = parts.collect();
        return is_number(first)
            && (tail.is_empty()
                || (tail.len() == 1 && is_number(tail[0]))
                || (tail.len() == 2 && tail[0] == "of" && is_number(tail[1])));
    }
    false
}

/// Could this line be a running header or footer: a short line of words,
/// not markdown structure?
fn header_candidate(line: &str) -> Option<&str> {
    let t = line.trim();
    let words = t.split_whitespace().count();
    let structural = t.starts_with(['#', '-', '*', '+', '>', '|', '!', '[', '<'])
        || t.chars().next().is_some_and(|c| c.is_ascii_digit()) && t.contains(". ");
    (!structural && (2..=12).contains(&words) && t.chars().count() <= 80).then_some(t)
}

/// The rules for one document.
pub fn check_doc(doc: &Doc, settings: &StructureSettings, diags: &Diagnostics) {
    let push =
        |d: Diagnostic, offset: usize| diags.push_with_source(d.at(&doc.file, offset), &doc.file);
    if doc.body.headings.is_empty() && doc.body.words > settings.max_words_without_heading {
        let at = body_lines(doc)
            .into_iter()
            .find(|l| !l.text.trim().is_empty())
            .map(|l| l.offset + (l.text.len() - l.text.trim_start().len()))
            .unwrap_or(doc.body.body_offset);
        push(
            Diagnostic::new(
                Code::STRUCT001,
                format!("this page has {} words and no subheadings", doc.body.words),
                format!(
                    "break the text into parts, each under a ## heading that says what it is about (more than {} words without one is hard to scan; the limit is structure.max_words_without_heading in site.yaml)",
                    settings.max_words_without_heading
                ),
            ),
            at,
        );
    }

    let lines = body_lines(doc);
    let in_table = |i: usize| {
        let near = |j: Option<usize>| {
            j.and_then(|j| lines.get(j))
                .is_some_and(|l| is_table_rule(l.text))
        };
        near(Some(i)) || near(i.checked_sub(1)) || near(Some(i + 1)) || near(i.checked_sub(2))
    };
    let indent = |l: &SourceLine<'_>| l.text.len() - l.text.trim_start().len();

    let mut repeated: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    for (i, l) in lines.iter().enumerate() {
        let t = l.text.trim();
        if t.is_empty() || in_table(i) {
            continue;
        }
        if is_page_number(t) {
            push(
                Diagnostic::new(
                    Code::STRUCT002,
                    format!("`{t}` looks like a page number copied from a printed document"),
                    "delete this line: a web page has no page numbers, and screen readers read them out",
                ),
                l.offset + indent(l),
            );
            continue;
        }
        if let Some(h) = header_candidate(t) {
            repeated.entry(h).or_default().push(i);
        }
        // `inde-` at the end of a line, `pendent` at the start of the next.
        let next = lines.get(i + 1).map(|n| n.text.trim_start()).unwrap_or("");
        let mut back = t.chars().rev();
        let broken = back.next() == Some('-')
            && back.next().is_some_and(char::is_alphabetic)
            && back.next().is_some_and(char::is_alphabetic)
            && !t.ends_with("--")
            && next.chars().next().is_some_and(char::is_lowercase);
        if broken {
            let word_start = t
                .rfind(|c: char| c.is_whitespace())
                .map(|i| i + 1)
                .unwrap_or(0);
            let first = &t[word_start..t.len() - 1];
            let second: String = next.chars().take_while(|c| c.is_alphabetic()).collect();
            push(
                Diagnostic::new(
                    Code::STRUCT004,
                    format!("`{first}-` / `{second}` looks like one word broken across two lines"),
                    format!(
                        "join the two parts into one word (`{first}{second}`), as the line break of a printed page is not part of the text"
                    ),
                ),
                l.offset + indent(l) + t.len() - 1,
            );
        }
    }
    let mut found: Vec<(usize, &str, usize)> = Vec::new();
    for (text, at) in repeated {
        if at.len() >= settings.repeated_line_times.max(2) {
            for &i in &at {
                found.push((i, text, at.len()));
            }
        }
    }
    found.sort();
    for (i, text, n) in found {
        let l = &lines[i];
        push(
            Diagnostic::new(
                Code::STRUCT003,
                format!(
                    "`{text}` appears {n} times in this page, like the running header or footer of a printed document"
                ),
                "delete the copies that are page furniture; if it is a real heading, write it once as a ## heading",
            ),
            l.offset + indent(l),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn page_numbers() {
        for yes in [
            "4",
            "12",
            "- 4 -",
            "– 4 –",
            "4 |",
            "| 4",
            "4 | Annual report 2025",
            "Annual report | 12",
            "Page 4",
            "Page 4 of 12",
            "page 3/10",
        ] {
            assert!(is_page_number(yes), "{yes}");
        }
        for no in [
            "4 people came",
            "Page four",
            "Pages 4 to 6",
            "a | b",
            "2025 was a good year",
            "1. First",
            "| a | 4 |",
            "12345",
        ] {
            assert!(!is_page_number(no), "{no}");
        }
    }

    #[test]
    fn header_candidates() {
        assert_eq!(
            header_candidate("Annual report 2025"),
            Some("Annual report 2025")
        );
        assert_eq!(header_candidate("## Heading here"), None);
        assert_eq!(header_candidate("- a list item"), None);
        assert_eq!(header_candidate("Word"), None);
        assert!(is_table_rule("|---|:--:|"));
        assert!(!is_table_rule("a - b"));
    }
}
