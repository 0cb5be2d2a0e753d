//! Easy-read rules (Mencap guidance): short sentences, a picture beside
//! each point, no abbreviations, contractions, number words, percentages or
//! italics, and a reading grade within the site's limit.

use pulldown_cmark::{Event, Tag, TagEnd};

use crate::codes::Code;
use crate::config::EasyReadSettings;
use crate::diagnostics::{Diagnostic, Diagnostics, Severity};
use crate::markdown::Events;
use crate::model::{Doc, Site};
use crate::source::Variant;

/// A block of easy-read text with where it starts.
#[derive(Debug)]
struct Block {
    text: String,
    offset: usize,
    /// A paragraph (not a heading, list item or table cell).
    paragraph: bool,
    starts_with_picture: bool,
}

/// The Flesch-Kincaid grade of each easy-read document (English only),
/// for the report of `signpost check`.
pub fn grades(site: &Site) -> Vec<(String, f64)> {
    let mut out = Vec::new();
    for page in &site.pages {
        for doc in page
            .docs
            .values()
            .filter(|d| d.variant == Variant::EasyRead && d.lang == "en")
        {
            let text: Vec<String> = blocks(&doc.events()).into_iter().map(|b| b.text).collect();
            if let Some(g) = grade(&text) {
                out.push((doc.file.name.clone(), g));
            }
        }
    }
    out
}

fn blocks(parsed: &Events<'_>) -> Vec<Block> {
    let mut out = Vec::new();
    let mut current: Option<Block> = None;
    let mut in_image = false;
    let mut depth_item = 0;
    for (i, e) in parsed.events.iter().enumerate() {
        let offset = parsed.offsets[i];
        match e {
            Event::Start(Tag::Paragraph) => {
                current = Some(Block {
                    text: String::new(),
                    offset,
                    paragraph: depth_item == 0,
                    starts_with_picture: matches!(
                        parsed.events.get(i + 1),
                        Some(Event::Start(Tag::Image { .. }))
                    ),
                });
            }
            Event::Start(Tag::Heading { .. }) | Event::Start(Tag::TableCell) => {
                current = Some(Block {
                    text: String::new(),
                    offset,
                    paragraph: false,
                    starts_with_picture: false,
                });
            }
            Event::Start(Tag::Item) => depth_item += 1,
            Event::End(TagEnd::Item) => depth_item -= 1,
            Event::End(TagEnd::Paragraph)
            | Event::End(TagEnd::Heading(_))
            | Event::End(TagEnd::TableCell) => {
                if let Some(b) = current.take() {
                    out.push(b);
                }
            }
            Event::Start(Tag::Image { .. }) => in_image = true,
            Event::End(TagEnd::Image) => in_image = false,
            Event::Text(t) | Event::Code(t) if !in_image => {
                if let Some(b) = current.as_mut() {
                    b.text.push_str(t);
                }
            }
            Event::SoftBreak | Event::HardBreak => {
                if let Some(b) = current.as_mut() {
                    b.text.push(' ');
                }
            }
            _ => {}
        }
    }
    out
}

/// Splits text into sentences.
pub fn sentences(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let chars: Vec<char> = text.chars().collect();
    for (i, c) in chars.iter().enumerate() {
        cur.push(*c);
        let end = matches!(c, '.' | '!' | '?' | '؟' | '۔' | '।');
        let next_space = chars.get(i + 1).is_none_or(|n| n.is_whitespace());
        if end && next_space {
            if !cur.trim().is_empty() {
                out.push(cur.trim().to_string());
            }
            cur.clear();
        }
    }
    if !cur.trim().is_empty() {
        out.push(cur.trim().to_string());
    }
    out
}

fn words(s: &str) -> Vec<&str> {
    s.split_whitespace()
        .filter(|w| w.chars().any(|c| c.is_alphanumeric()))
        .collect()
}

const NUMBER_WORDS: &[&str] = &[
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
    "twenty",
    "thirty",
    "forty",
    "fifty",
    "sixty",
    "seventy",
    "eighty",
    "ninety",
    "hundred",
    "thousand",
    "million",
];
const ABBREVIATIONS: &[&str] = &[
    "e.g.", "i.e.", "etc", "etc.", "eg", "ie", "approx.", "n.b.", "nb", "p.s.", "vs", "vs.",
];
const CONTRACTION_ENDINGS: &[&str] = &["n't", "'re", "'ll", "'ve", "'d", "'m"];
const CONTRACTION_WORDS: &[&str] = &[
    "it's", "that's", "there's", "what's", "let's", "here's", "who's", "where's", "he's", "she's",
];

/// The rules for one easy-read document.
pub fn check_doc(doc: &Doc, settings: &EasyReadSettings, diags: &Diagnostics) {
    if doc.variant != Variant::EasyRead {
        return;
    }
    let english = doc.lang == "en";
    let push =
        |d: Diagnostic, offset: usize| diags.push_with_source(d.at(&doc.file, offset), &doc.file);
    let parsed = doc.events();
    let all = blocks(&parsed);
    for b in &all {
        if b.paragraph && !b.starts_with_picture && !b.text.trim().is_empty() {
            push(
                Diagnostic::new(
                    Code::EASY003,
                    "this easy-read point has no picture",
                    "start the paragraph with a picture, for example ![A telephone](symbol:phone) Call us.",
                ),
                b.offset,
            );
        }
        for s in sentences(&b.text) {
            let n = words(&s).len();
            if n > settings.sentence_error_words {
                push(
                    Diagnostic::new(
                        Code::EASY002,
                        format!(
                            "this sentence has {n} words; easy read needs {} or fewer",
                            settings.sentence_warn_words
                        ),
                        "split it into shorter sentences with one idea each",
                    ),
                    b.offset,
                );
            } else if n > settings.sentence_warn_words {
                push(
                    Diagnostic::new(
                        Code::EASY001,
                        format!(
                            "this sentence has {n} words; easy read works best with {} or fewer",
                            settings.sentence_warn_words
                        ),
                        "split it into shorter sentences with one idea each",
                    ),
                    b.offset,
                );
            }
        }
        let lower = b.text.to_lowercase().replace('’', "'");
        for w in lower.split_whitespace() {
            let w = w.trim_matches(|c: char| !c.is_alphanumeric() && c != '.' && c != '\'');
            let bare = w.trim_end_matches('.');
            if english
                && (ABBREVIATIONS.contains(&w) || ABBREVIATIONS.contains(&bare) && w.contains('.'))
            {
                push(
                    Diagnostic::new(
                        Code::EASY004,
                        format!("`{w}` is an abbreviation"),
                        "write it out in full: \"for example\" instead of \"e.g.\", \"that means\" instead of \"i.e.\"",
                    ),
                    b.offset,
                );
            }
            let w = w.trim_end_matches('.');
            if english
                && (CONTRACTION_WORDS.contains(&w)
                    || CONTRACTION_ENDINGS
                        .iter()
                        .any(|e| w.ends_with(e) && w.len() > e.len()))
            {
                push(
                    Diagnostic::new(
                        Code::EASY005,
                        format!("`{w}` is a contraction"),
                        "write both words in full, such as \"do not\" or \"you are\"",
                    ),
                    b.offset,
                );
            }
            if english && NUMBER_WORDS.contains(&w) {
                push(
                    Diagnostic::new(
                        Code::EASY006,
                        format!("`{w}` is a number written as a word"),
                        "write numbers as digits, for example 3 instead of three",
                    ),
                    b.offset,
                );
            }
        }
        if b.text.contains('%') || lower.contains("per cent") || lower.contains("percent") {
            push(
                Diagnostic::new(
                    Code::EASY006,
                    "this point uses a percentage",
                    "say \"7 out of 10 people\" instead of a percentage",
                ),
                b.offset,
            );
        }
        for token in b.text.split(|c: char| !c.is_alphanumeric()) {
            let caps = token.chars().count() >= 2
                && token
                    .chars()
                    .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit())
                && token.chars().any(|c| c.is_ascii_uppercase());
            if caps
                && !settings.allowed_abbreviations.iter().any(|a| a == token)
                && !b.text.contains(&format!("({token})"))
                && !b.text.contains(&format!("{token} ("))
            {
                push(
                    Diagnostic::new(
                        Code::EASY004,
                        format!("`{token}` is a short form that is not explained"),
                        "write it in full, or explain it: \"Care Quality Commission (CQC)\"; or add it to easy_read.allowed_abbreviations in site.yaml",
                    ),
                    b.offset,
                );
            }
        }
    }
    for (i, e) in parsed.events.iter().enumerate() {
        if matches!(e, Event::Start(Tag::Emphasis)) {
            push(
                Diagnostic::new(
                    Code::EASY007,
                    "italic text is hard to read",
                    "remove the italics; use bold for one or two important words",
                ),
                parsed.offsets[i],
            );
        }
    }
    if english {
        let texts: Vec<String> = all.into_iter().map(|b| b.text).collect();
        if let Some(g) = grade(&texts)
            && g > settings.max_grade
        {
            diags.push_with_source(
                Diagnostic::new(
                    Code::EASY008,
                    format!(
                        "the page's reading grade is {g:.1}; the limit is {:.1}",
                        settings.max_grade
                    ),
                    "use shorter sentences and shorter, more common words",
                )
                .with_severity(Severity::Warning)
                .at(&doc.file, 0),
                &doc.file,
            );
        }
    }
}

/// Flesch-Kincaid grade level of English text.
pub fn grade(blocks: &[String]) -> Option<f64> {
    let mut n_sentences = 0usize;
    let mut n_words = 0usize;
    let mut n_syllables = 0usize;
    for b in blocks {
        for s in sentences(b) {
            let ws = words(&s);
            if ws.is_empty() {
                continue;
            }
            n_sentences += 1;
            n_words += ws.len();
            n_syllables += ws.iter().map(|w| syllables(w)).sum::<usize>();
        }
    }
    if n_words == 0 || n_sentences == 0 {
        return None;
    }
    Some(
        0.39 * (n_words as f64 / n_sentences as f64) + 11.8 * (n_syllables as f64 / n_words as f64)
            - 15.59,
    )
}

/// Syllables in an English word, by vowel groups.
pub fn syllables(word: &str) -> usize {
    let w: String = word
        .to_lowercase()
        .chars()
        .filter(|c| c.is_ascii_alphabetic())
        .collect();
    if w.is_empty() {
        return if word.chars().any(|c| c.is_ascii_digit()) {
            1
        } else {
            0
        };
    }
    let vowel = |c: char| "aeiouy".contains(c);
    let mut count = 0;
    let mut prev = false;
    for c in w.chars() {
        let v = vowel(c);
        if v && !prev {
            count += 1;
        }
        prev = v;
    }
    if w.ends_with('e') && !w.ends_with("le") && count > 1 {
        count -= 1;
    }
    count.max(1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_sentences() {
        assert_eq!(sentences("We help you. Call us! Is it free? Yes").len(), 4);
    }

    #[test]
    fn syllable_counts() {
        assert_eq!(syllables("care"), 1);
        assert_eq!(syllables("support"), 2);
        assert_eq!(syllables("assessment"), 3);
        assert_eq!(syllables("people"), 2);
    }

    #[test]
    fn easy_text_has_a_low_grade() {
        let easy = vec!["We can help you. You can call us. We will listen to you.".to_string()];
        let hard = vec!["Comprehensive multidisciplinary assessments determine eligibility for commissioned interventions.".to_string()];
        assert!(grade(&easy).unwrap() < 3.0);
        assert!(grade(&hard).unwrap() > 12.0);
    }
}
