//! Accessibility rules on content: alt text, heading order, link text,
//! tables.

use std::collections::BTreeMap;

use crate::codes::Code;
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::model::{Doc, Target};

const VAGUE: &[&str] = &[
    "click here",
    "here",
    "read more",
    "more",
    "click",
    "this",
    "link",
    "this link",
    "more information",
    "find out more",
    "learn more",
    "this page",
    "go",
    "details",
];

const DOCUMENT_TYPES: &[&str] = &[
    "pdf", "doc", "docx", "odt", "xls", "xlsx", "ods", "ppt", "pptx", "odp", "csv", "zip", "rtf",
];

fn push(doc: &Doc, d: Diagnostic, offset: usize, diags: &Diagnostics) {
    diags.push_with_source(d.at(&doc.file, offset), &doc.file);
}

/// The rules for one document.
pub fn check_doc(doc: &Doc, diags: &Diagnostics) {
    // Images and link text.
    let mut seen_text: BTreeMap<String, (String, usize)> = BTreeMap::new();
    for (link, target) in doc.body.links.iter().zip(&doc.targets) {
        if link.image {
            let decorative = link.decorative;
            let symbol = matches!(target, Target::Symbol(_));
            if link.text.trim().is_empty() && !decorative && !symbol {
                push(
                    doc,
                    Diagnostic::new(
                        Code::A11Y001,
                        "this image has no alt text",
                        "describe what the picture shows in the [square brackets]; if it adds nothing, write ![](file \"decorative\")",
                    ),
                    link.offset,
                    diags,
                );
            } else if !link.text.is_empty() && poor_alt(&link.text, &link.dest) {
                push(
                    doc,
                    Diagnostic::new(
                        Code::A11Y002,
                        format!(
                            "the alt text `{}` does not say what the picture shows",
                            link.text
                        ),
                        "describe the picture's content or message, for example \"Bar chart: waiting times fell from 40 to 26 days\"",
                    ),
                    link.offset,
                    diags,
                );
            }
            continue;
        }
        let text = link.text.trim().to_lowercase();
        let text = text.trim_end_matches(['.', ':', '!']);
        if VAGUE.contains(&text) {
            push(
                doc,
                Diagnostic::new(
                    Code::LINK004,
                    format!(
                        "the link text `{}` does not say where the link goes",
                        link.text
                    ),
                    "use words that make sense on their own, such as \"Apply for a carer's assessment\"",
                ),
                link.offset,
                diags,
            );
        }
        let dest_key = format!("{target:?}");
        if !text.is_empty() {
            if let Some((other, _)) = seen_text.get(text) {
                if *other != dest_key {
                    push(
                        doc,
                        Diagnostic::new(
                            Code::LINK005,
                            format!(
                                "the link text `{}` is used for two different places on this page",
                                link.text
                            ),
                            "make the words of each link say where it goes, so people can tell them apart",
                        ),
                        link.offset,
                        diags,
                    );
                }
            } else {
                seen_text.insert(text.to_string(), (dest_key, link.offset));
            }
        }
        let ext = link
            .dest
            .split(['#', '?'])
            .next()
            .unwrap_or("")
            .rsplit('.')
            .next()
            .unwrap_or("")
            .to_ascii_lowercase();
        if link.dest.contains('.') && DOCUMENT_TYPES.contains(&ext.as_str()) {
            let lower = link.text.to_lowercase();
            let has_type = lower.contains(&ext);
            let has_size = ["kb", "mb", "gb", "bytes"]
                .iter()
                .any(|u| lower.contains(u));
            if !(has_type && has_size) {
                push(
                    doc,
                    Diagnostic::new(
                        Code::LINK006,
                        format!(
                            "the link to a {} document does not say its type and size",
                            ext.to_uppercase()
                        ),
                        format!(
                            "add them to the link text, for example \"{} ({}, 2 MB)\"",
                            link.text,
                            ext.to_uppercase()
                        ),
                    ),
                    link.offset,
                    diags,
                );
            }
        }
    }

    // Headings: no h1 in the body, no skipped levels, none empty.
    let mut last = 1u8;
    for h in &doc.body.headings {
        if h.level == 1 {
            push(
                doc,
                Diagnostic::new(
                    Code::A11Y004,
                    "the text has a level 1 heading (#), but the page title is already the level 1 heading",
                    "start the headings of the text at ## and go down one level at a time",
                ),
                h.offset,
                diags,
            );
        } else if h.level > last + 1 {
            push(
                doc,
                Diagnostic::new(
                    Code::A11Y003,
                    format!("this heading jumps from level {last} to level {}", h.level),
                    format!(
                        "use {} here, so the headings go down one level at a time",
                        "#".repeat(last as usize + 1)
                    ),
                ),
                h.offset,
                diags,
            );
        }
        if h.text.trim().is_empty() {
            push(
                doc,
                Diagnostic::new(
                    Code::A11Y006,
                    "this heading is empty",
                    "write the heading's words or remove it",
                ),
                h.offset,
                diags,
            );
        }
        last = h.level;
    }

    // Tables need a header row with words in it.
    for head in doc.body.table_heads.iter().filter(|h| !h.has_words) {
        push(
            doc,
            Diagnostic::new(
                Code::A11Y005,
                "this table's header row is empty",
                "write a name for each column in the first row of the table",
            ),
            head.offset,
            diags,
        );
    }
}

fn poor_alt(alt: &str, dest: &str) -> bool {
    let a = alt.trim().to_lowercase();
    let file = dest.rsplit('/').next().unwrap_or(dest).to_lowercase();
    let stem = file.rsplit_once('.').map(|(s, _)| s).unwrap_or(&file);
    a == file
        || a == stem
        || a.replace(['-', '_'], " ") == stem.replace(['-', '_'], " ")
        || [
            "image", "picture", "photo", "graphic", "img", "icon", "chart", "logo",
        ]
        .contains(&a.as_str())
        || a.starts_with("image of")
        || a.starts_with("picture of")
        || a.starts_with("photo of")
        || [".png", ".jpg", ".jpeg", ".svg", ".gif", ".webp"]
            .iter()
            .any(|e| a.ends_with(e))
}
