//! A [`PrintDoc`] as typst markup.
//!
//! All user text goes through [`escape`]: every ASCII punctuation character
//! gets a backslash, which typst's lexer reads as that character and nothing
//! else, so no text can open markup, code (`#`), maths (`$`), a label, a
//! reference, a comment or a URL. Strings in code (titles, alt text, URLs)
//! go through [`string`]. In a right-to-left document each run of Western
//! digits (a phone number, a postcode, an address, a time) is wrapped in
//! Unicode left-to-right isolates, so it reads left to right whatever is
//! around it.

use std::fmt::Write;
use std::ops::Range;

use super::doc::{Block, BlockKind, Direction, Inline, Picture, PrintDoc};
use super::error::PrintError;
use super::images::Images;
use super::kind::PdfKind;

/// Generated markup, with where each block came from.
#[derive(Debug, Clone)]
pub struct Markup {
    pub source: String,
    /// Range of the generated source for each block, and the block's file
    /// offset: maps a typst error back to a source line.
    pub spans: Vec<(Range<usize>, usize)>,
    /// Virtual files the markup reads: path and the bytes' index in
    /// `Images`.
    pub files: Vec<(String, String)>,
}

impl Markup {
    /// File offset of the innermost block around a position of the
    /// generated source.
    pub fn offset_at(&self, pos: usize) -> Option<usize> {
        self.spans
            .iter()
            .filter(|(r, _)| r.start <= pos && pos < r.end.max(r.start + 1))
            .min_by_key(|(r, _)| r.end - r.start)
            .map(|(_, o)| *o)
    }
}

/// Left-to-right isolate and pop directional isolate.
const LRI: char = '\u{2066}';
const PDI: char = '\u{2069}';

/// Sizes and measures of one kind of PDF.
struct Style {
    paper: &'static str,
    margin: &'static str,
    body_pt: u32,
    h1_pt: u32,
    h2_pt: u32,
    h3_pt: u32,
    picture: &'static str,
}

fn style(kind: PdfKind) -> Style {
    match kind {
        // UKAAF clear print: 18 pt and up, headings larger still; the A4
        // easy-read booklet is set the same, with smaller pictures.
        PdfKind::LargePrint | PdfKind::BookletA4 => Style {
            paper: "a4",
            margin: "(x: 2cm, y: 2cm)",
            body_pt: 18,
            h1_pt: 28,
            h2_pt: 24,
            h3_pt: 20,
            picture: if kind == PdfKind::LargePrint {
                "4cm"
            } else {
                "3.5cm"
            },
        },
        // Easy read: at least 16 pt even on A5.
        PdfKind::BookletA5 | PdfKind::Imposed => Style {
            paper: "a5",
            margin: "(x: 1.5cm, y: 1.5cm)",
            body_pt: 16,
            h1_pt: 24,
            h2_pt: 20,
            h3_pt: 18,
            picture: "2.5cm",
        },
    }
}

/// Font families for a language, most specific first. The Latin family
/// comes second so names and addresses in Latin letters have a face too.
pub fn families(lang: &str) -> &'static [&'static str] {
    match lang.split(['-', '_']).next().unwrap_or("") {
        "ar" | "fa" | "ps" | "sd" | "ckb" => &["Noto Sans Arabic", "Noto Sans"],
        "ur" => &["Noto Nastaliq Urdu", "Noto Sans Arabic", "Noto Sans"],
        "ne" | "hi" | "mr" => &["Noto Sans Devanagari", "Noto Sans"],
        _ => &["Noto Sans", "Noto Sans Arabic", "Noto Sans Devanagari"],
    }
}

/// Options that change the markup.
#[derive(Debug, Clone, Default)]
pub struct MarkupOptions {
    /// Site address that root-relative links (`/get-support/`) resolve
    /// against; without it such links print as their text only.
    pub base_url: Option<String>,
}

struct Writer<'a> {
    out: String,
    spans: Vec<(Range<usize>, usize)>,
    files: Vec<(String, String)>,
    images: &'a Images,
    rtl: bool,
    /// Quotes and lists the writer is inside.
    depth: usize,
    style: Style,
    opts: &'a MarkupOptions,
}

/// Quotes and lists deeper than this print at this depth: typst stops at
/// 64 nested show rules, and no reader of print follows more levels.
const MAX_NESTING: usize = 8;

/// The longest link address typst takes; a longer one prints as its text.
const MAX_URL: usize = 8_000;

/// Writes the typst markup for one kind of PDF.
pub fn markup(
    doc: &PrintDoc,
    kind: PdfKind,
    images: &Images,
    opts: &MarkupOptions,
) -> Result<Markup, PrintError> {
    let mut w = Writer {
        out: String::new(),
        spans: Vec::new(),
        files: Vec::new(),
        images,
        rtl: doc.dir == Direction::Rtl,
        depth: 0,
        style: style(kind),
        opts,
    };
    w.preamble(doc);
    w.out.push_str("#heading(level: 1)[");
    w.text(&doc.title);
    w.out.push_str("]\n\n");
    for block in &doc.blocks {
        w.block(block)?;
    }
    if kind == PdfKind::BookletA5 || kind == PdfKind::Imposed {
        w.notes_padding(&doc.labels.notes);
    }
    Ok(Markup {
        source: w.out,
        spans: w.spans,
        files: w.files,
    })
}

impl Writer<'_> {
    fn preamble(&mut self, doc: &PrintDoc) {
        let s = &self.style;
        let fonts = font_array(families(&doc.lang));
        let dir = if self.rtl { "rtl" } else { "ltr" };
        let _ = write!(
            self.out,
            "#set document(title: {title})\n\
             #set text(lang: {lang}, dir: {dir}, font: {fonts}, size: {body}pt, hyphenate: false)\n\
             #set page(paper: {paper}, margin: {margin}, numbering: \"1\", number-align: center + bottom)\n\
             #set par(justify: false, leading: 0.8em, spacing: 1.5em)\n\
             #set strong(delta: 300)\n\
             #show heading: set text(weight: \"bold\")\n\
             #show heading: set block(above: 1.6em, below: 0.9em)\n\
             #show heading.where(level: 1): set text(size: {h1}pt)\n\
             #show heading.where(level: 2): set text(size: {h2}pt)\n\
             #show heading.where(level: 3): set text(size: {h3}pt)\n\
             #show heading.where(level: 4): set text(size: {body}pt)\n\
             #show heading.where(level: 5): set text(size: {body}pt)\n\
             #show heading.where(level: 6): set text(size: {body}pt)\n\
             #set list(spacing: 0.9em, body-indent: 0.6em)\n\
             #set enum(spacing: 0.9em, body-indent: 0.6em)\n\
             #set table(inset: 0.4em, align: start, stroke: 1pt)\n\
             #show table.cell.where(y: 0): strong\n\
             #show link: underline\n\n",
            title = string(&doc.title),
            lang = string(&doc.lang),
            body = s.body_pt,
            paper = string(s.paper),
            margin = s.margin,
            h1 = s.h1_pt,
            h2 = s.h2_pt,
            h3 = s.h3_pt,
        );
    }

    fn block(&mut self, block: &Block) -> Result<(), PrintError> {
        let start = self.out.len();
        match &block.kind {
            BlockKind::Heading { level, content } => {
                let _ = write!(self.out, "#heading(level: {})[", level.clamp(&1, &6));
                self.inlines(content);
                self.out.push_str("]\n\n");
            }
            BlockKind::Paragraph(runs) => {
                self.inlines(runs);
                self.out.push_str("\n\n");
            }
            BlockKind::List { items, .. } if self.depth >= MAX_NESTING => {
                for item in items {
                    self.nested(item)?;
                }
            }
            BlockKind::List { start, items } => {
                self.depth += 1;
                match start {
                    Some(n) => {
                        let _ = write!(self.out, "#enum(start: {n}");
                    }
                    None => self.out.push_str("#list("),
                }
                for (i, item) in items.iter().enumerate() {
                    if i > 0 || start.is_some() {
                        self.out.push_str(", ");
                    }
                    self.out.push('[');
                    self.blocks_inline(item)?;
                    self.out.push(']');
                }
                self.depth -= 1;
                self.out.push_str(")\n\n");
            }
            BlockKind::Table { header, rows } => {
                let columns = header
                    .len()
                    .max(rows.iter().map(Vec::len).max().unwrap_or(0))
                    .max(1);
                let _ = write!(self.out, "#table(columns: {columns}");
                if !header.is_empty() {
                    self.out.push_str(", table.header(");
                    self.cells(header, columns);
                    self.out.push(')');
                }
                for row in rows {
                    self.out.push_str(", ");
                    self.cells(row, columns);
                }
                self.out.push_str(")\n\n");
            }
            BlockKind::Figure { picture, caption } => {
                let image = self.image(picture, "auto", block.offset)?;
                match &picture.alt {
                    None => {
                        let _ = write!(self.out, "#pdf.artifact({image})\n\n");
                    }
                    Some(_) => {
                        let _ = write!(self.out, "#figure({image}");
                        if !caption.is_empty() {
                            self.out.push_str(", caption: [");
                            self.inlines(caption);
                            self.out.push(']');
                        }
                        self.out.push_str(")\n\n");
                    }
                }
            }
            BlockKind::EasyRead { picture, content } => {
                let width = self.style.picture;
                let image = self.image(picture, width, block.offset)?;
                let image = match picture.alt {
                    None => format!("pdf.artifact({image})"),
                    Some(_) => image,
                };
                let _ = write!(
                    self.out,
                    "#block(breakable: false, below: 1.5em, grid(columns: ({width}, 1fr), column-gutter: 1em, align: horizon, {image}, ["
                );
                self.inlines(content);
                self.out.push_str("]))\n\n");
            }
            BlockKind::Quote(blocks) if self.depth >= MAX_NESTING => self.nested(blocks)?,
            BlockKind::Quote(blocks) => {
                self.depth += 1;
                self.out.push_str("#quote(block: true)[");
                self.blocks_inline(blocks)?;
                self.depth -= 1;
                self.out.push_str("]\n\n");
            }
            BlockKind::Rule => self.out.push_str("#line(length: 100%)\n\n"),
            BlockKind::Lang { lang, blocks } => {
                let dir = if Direction::of_lang(lang) == Direction::Rtl {
                    "rtl"
                } else {
                    "ltr"
                };
                let _ = write!(
                    self.out,
                    "#text(lang: {}, dir: {dir}, font: {})[",
                    string(lang),
                    font_array(families(lang))
                );
                let rtl = std::mem::replace(&mut self.rtl, dir == "rtl");
                let done = self.blocks_inline(blocks);
                self.rtl = rtl;
                done?;
                self.out.push_str("]\n\n");
            }
        }
        self.spans.push((start..self.out.len(), block.offset));
        Ok(())
    }

    /// Blocks of a quote or list item past [`MAX_NESTING`], written at the
    /// depth reached, each as its own block.
    fn nested(&mut self, blocks: &[Block]) -> Result<(), PrintError> {
        for b in blocks {
            self.block(b)?;
            if !self.out.ends_with("\n\n") {
                self.out.push_str("\n\n");
            }
        }
        Ok(())
    }

    /// Blocks inside a content block (a list item, a quote).
    fn blocks_inline(&mut self, blocks: &[Block]) -> Result<(), PrintError> {
        for (i, b) in blocks.iter().enumerate() {
            if i > 0 {
                self.out.push_str("\n\n");
            }
            self.block(b)?;
            // A content block ends at `]`: drop the block's own blank line.
            let trimmed = self.out.trim_end_matches('\n').len();
            self.out.truncate(trimmed);
        }
        Ok(())
    }

    fn cells(&mut self, cells: &[Vec<Inline>], columns: usize) {
        for i in 0..columns {
            if i > 0 {
                self.out.push_str(", ");
            }
            self.out.push('[');
            if let Some(cell) = cells.get(i) {
                self.inlines(cell);
            }
            self.out.push(']');
        }
    }

    /// A typst `image(...)` call for a picture.
    fn image(
        &mut self,
        picture: &Picture,
        width: &str,
        offset: usize,
    ) -> Result<String, PrintError> {
        let Some(bytes) = self.images.get(&picture.src) else {
            return Err(PrintError::MissingImage {
                src: picture.src.clone(),
                offset,
            });
        };
        let Some(format) = image_format(bytes) else {
            return Err(PrintError::UnsupportedImage {
                src: picture.src.clone(),
                offset,
            });
        };
        let path = format!("/images/{}.{format}", self.files.len());
        self.files.push((path.clone(), picture.src.clone()));
        let mut call = format!(
            "image({}, format: {}, width: {width}",
            string(&path),
            string(format)
        );
        if let Some(alt) = &picture.alt {
            let _ = write!(call, ", alt: {}", string(alt));
        }
        call.push(')');
        Ok(call)
    }

    fn inlines(&mut self, runs: &[Inline]) {
        for run in runs {
            match run {
                Inline::Text(t) | Inline::Code(t) => self.text(t),
                Inline::Strong(c) | Inline::Emphasis(c) => {
                    self.out.push_str("#strong[");
                    self.inlines(c);
                    self.out.push(']');
                }
                Inline::Link { url, content } => {
                    match self.resolve(url).filter(|u| u.len() <= MAX_URL) {
                        Some(url) => {
                            let _ = write!(self.out, "#link({})[", string(&url));
                            self.inlines(content);
                            self.out.push(']');
                        }
                        None => self.inlines(content),
                    }
                }
                Inline::Break => self.out.push_str("#linebreak()"),
            }
        }
    }

    /// A link target a PDF can follow, or `None` (an in-page anchor, or a
    /// site-relative link with no site address).
    fn resolve(&self, url: &str) -> Option<String> {
        if url.contains("://") || url.starts_with("mailto:") || url.starts_with("tel:") {
            return Some(url.to_string());
        }
        if url.starts_with('/') && !url.starts_with("//") {
            let base = self.opts.base_url.as_deref()?;
            return Some(format!("{}{url}", base.trim_end_matches('/')));
        }
        None
    }

    fn text(&mut self, text: &str) {
        escape_into(&mut self.out, text, self.rtl);
    }

    /// Pads an A5 booklet to a multiple of 4 pages with notes pages after
    /// the story: the story itself never gets a blank page. The story's
    /// last page is read from a marker before the padding: `here()` inside
    /// the context block is after its first page break, one page late.
    fn notes_padding(&mut self, label: &str) {
        let mut heading = String::new();
        escape_into(&mut heading, label, self.rtl);
        let _ = write!(
            self.out,
            "#metadata(none) <signpost-story-end>\n\
             #context {{\n\
             let n = locate(<signpost-story-end>).page()\n\
             let k = calc.rem(4 - calc.rem(n, 4), 4)\n\
             for i in range(k) {{\n\
             pagebreak()\n\
             heading(level: 2, outlined: i == 0, bookmarked: i == 0)[{heading}]\n\
             for j in range(9) {{ v(1.6em); line(length: 100%, stroke: 0.75pt + luma(120)) }}\n\
             }}\n\
             }}\n"
        );
    }
}

fn font_array(families: &[&str]) -> String {
    let mut s = String::from("(");
    for f in families {
        s.push_str(&string(f));
        s.push_str(", ");
    }
    s.push(')');
    s
}

/// A typst string literal.
pub fn string(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// User text as typst markup that prints exactly that text.
pub fn escape(text: &str, rtl: bool) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    escape_into(&mut out, text, rtl);
    out
}

fn escape_into(out: &mut String, text: &str, rtl: bool) {
    let isolate = if rtl { ltr_runs(text) } else { Vec::new() };
    let mut runs = isolate.iter().peekable();
    for (i, c) in text.char_indices() {
        if let Some(r) = runs.peek()
            && r.start == i
        {
            out.push(LRI);
        }
        match c {
            // White space, line breaks included, is one space: a newline
            // could start a heading or list line.
            c if c.is_whitespace() && c != '\u{a0}' => {
                if !out.ends_with(' ') {
                    out.push(' ');
                }
            }
            c if c.is_ascii_punctuation() => {
                out.push('\\');
                out.push(c);
            }
            c => out.push(c),
        }
        if let Some(r) = runs.peek()
            && r.end == i + c.len_utf8()
        {
            out.push(PDI);
            runs.next();
        }
    }
}

/// Runs of text that must read left to right inside right-to-left text:
/// each maximal run of ASCII letters and digits, joined by spaces or
/// `-./:+()`, that holds a digit ("01632 960000", "SN15 1ER",
/// "9:30", "1 High Street").
pub fn ltr_runs(text: &str) -> Vec<Range<usize>> {
    let bytes = text.as_bytes();
    let mut runs = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if !bytes[i].is_ascii_alphanumeric() {
            i += 1;
            continue;
        }
        let start = i;
        let mut end = i;
        let mut j = i;
        while j < bytes.len() {
            let b = bytes[j];
            if b.is_ascii_alphanumeric() {
                j += 1;
                end = j;
            } else if matches!(b, b' ' | b'-' | b'.' | b'/' | b':' | b'+' | b'(' | b')')
                && bytes
                    .get(j + 1)
                    .is_some_and(|n| n.is_ascii_alphanumeric() || *n == b'(')
            {
                j += 1;
            } else {
                break;
            }
        }
        if bytes[start..end].iter().any(u8::is_ascii_digit) {
            runs.push(start..end);
        }
        i = end.max(start + 1);
    }
    runs
}

/// The typst image format of picture bytes, by their signature.
pub fn image_format(bytes: &[u8]) -> Option<&'static str> {
    if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        Some("png")
    } else if bytes.starts_with(&[0xff, 0xd8, 0xff]) {
        Some("jpg")
    } else if bytes.starts_with(b"GIF87a") || bytes.starts_with(b"GIF89a") {
        Some("gif")
    } else if bytes.len() > 12 && &bytes[..4] == b"RIFF" && &bytes[8..12] == b"WEBP" {
        Some("webp")
    } else {
        let head = &bytes[..bytes.len().min(1024)];
        let text = String::from_utf8_lossy(head);
        text.contains("<svg").then_some("svg")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_every_markup_character() {
        let s = escape(
            r#"# $ * _ ` < > @ [ ] \ ~ = - + / ' " : // /* 1. http://x"#,
            false,
        );
        assert_eq!(
            s,
            r#"\# \$ \* \_ \` \< \> \@ \[ \] \\ \~ \= \- \+ \/ \' \" \: \/\/ \/\* 1\. http\:\/\/x"#
        );
    }

    #[test]
    fn white_space_and_newlines_become_one_space() {
        assert_eq!(escape("a\n= b\n\n- c", false), r"a \= b \- c");
    }

    #[test]
    fn strings_escape_quotes_and_backslashes() {
        assert_eq!(string("a \"b\" \\ c\n"), r#""a \"b\" \\ c\n""#);
    }

    #[test]
    fn numbers_are_isolated_in_right_to_left_text() {
        let text = "اتصل بنا على 01632 960000 أو SN15 1ER";
        let runs: Vec<&str> = ltr_runs(text).into_iter().map(|r| &text[r]).collect();
        assert_eq!(runs, vec!["01632 960000", "SN15 1ER"]);
        let s = escape("على 01632 960000.", true);
        assert_eq!(s, "على \u{2066}01632 960000\u{2069}\\.");
        // Words without digits are left to the bidi algorithm.
        assert!(ltr_runs("Wiltshire Council").is_empty());
        // Left-to-right documents are left alone.
        assert_eq!(escape("01632 960000", false), "01632 960000");
    }

    #[test]
    fn image_formats_by_signature() {
        assert_eq!(image_format(b"\x89PNG\r\n\x1a\nrest"), Some("png"));
        assert_eq!(
            image_format(b"<?xml version=\"1.0\"?><svg></svg>"),
            Some("svg")
        );
        assert_eq!(image_format(b"BM6\0\0\0"), None);
    }
}
