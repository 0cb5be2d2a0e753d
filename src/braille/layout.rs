//! Braille page layout: items of print, lines of cells, pages.

use crate::print::{Block, BlockKind, Inline, PrintDoc};

/// Cells a line.
pub const CELLS: usize = 40;
/// Lines a page, the page number line included.
pub const LINES: usize = 25;

/// How an item is laid out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Style {
    /// Centred, a blank line after it.
    Title,
    /// Centred, a blank line before it.
    Centred,
    /// Starts and runs over at cell 5, a blank line before it.
    Cell5,
    /// First line at cell 3, runover at cell 1.
    Paragraph,
    /// First line at cell `1 + 2 * depth`, runover two cells in.
    Item { depth: usize },
}

/// One piece of print to translate, with its layout.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Item {
    pub text: String,
    pub style: Style,
}

/// A laid-out line, or a heading's mark that it must not end a page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Line {
    Text(String),
    Blank,
    /// The next `n` lines must be on one page (a heading and the first line
    /// after it).
    Keep(usize),
}

/// The document as items of print, in reading order.
pub fn items(doc: &PrintDoc) -> Vec<Item> {
    let mut out = vec![Item {
        text: doc.title.clone(),
        style: Style::Title,
    }];
    blocks(&doc.blocks, 0, &mut out);
    out.retain(|i| !i.text.trim().is_empty());
    out
}

fn blocks(blocks: &[Block], depth: usize, out: &mut Vec<Item>) {
    for b in blocks {
        block(b, depth, out);
    }
}

fn block(b: &Block, depth: usize, out: &mut Vec<Item>) {
    let para = |depth: usize| {
        if depth == 0 {
            Style::Paragraph
        } else {
            Style::Item { depth: depth - 1 }
        }
    };
    match &b.kind {
        BlockKind::Heading { level, content } => out.push(Item {
            text: text(content),
            style: if *level <= 2 {
                Style::Centred
            } else {
                Style::Cell5
            },
        }),
        BlockKind::Paragraph(runs) | BlockKind::EasyRead { content: runs, .. } => out.push(Item {
            text: text(runs),
            style: para(depth),
        }),
        BlockKind::List { start, items } => {
            for (i, item) in items.iter().enumerate() {
                let first = out.len();
                blocks(item, depth + 1, out);
                // The item's number goes before its first words.
                if let (Some(n), Some(it)) = (start, out.get_mut(first)) {
                    it.text = format!("{}. {}", n + i as u64, it.text);
                }
            }
        }
        BlockKind::Table { header, rows } => {
            // Linearised as transcribers do for simple tables: one item a
            // row, each cell after its column heading.
            for row in rows {
                let cells: Vec<String> = row
                    .iter()
                    .enumerate()
                    .map(|(i, cell)| match header.get(i).map(|h| text(h)) {
                        Some(h) if !h.is_empty() => format!("{h}: {}", text(cell)),
                        _ => text(cell),
                    })
                    .collect();
                out.push(Item {
                    text: cells.join("; "),
                    style: Style::Item { depth },
                });
            }
        }
        BlockKind::Figure { picture, caption } => {
            let mut words = picture.alt.clone().unwrap_or_default();
            let caption = text(caption);
            if !caption.is_empty() {
                words = format!("{words} {caption}");
            }
            out.push(Item {
                text: words,
                style: para(depth),
            });
        }
        BlockKind::Quote(inner) | BlockKind::Lang { blocks: inner, .. } => {
            blocks(inner, depth, out)
        }
        BlockKind::Rule => {}
    }
}

/// Inline runs as print for braille: a link to another site keeps its
/// address after its words.
fn text(runs: &[Inline]) -> String {
    let mut out = String::new();
    for run in runs {
        match run {
            Inline::Link { url, content } => {
                let words = Inline::plain(content);
                out.push_str(&words);
                if url.contains("://") && !words.contains(url.as_str()) {
                    out.push_str(" (");
                    out.push_str(
                        url.trim_start_matches("https://")
                            .trim_start_matches("http://"),
                    );
                    out.push(')');
                }
            }
            other => out.push_str(&Inline::plain(std::slice::from_ref(other))),
        }
    }
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Lays out translated items (`braille[i]` is `items[i]` in Unicode
/// braille) as lines of Braille ASCII, at most [`CELLS`] cells each.
pub fn layout_doc(items: &[Item], braille: &[String]) -> Vec<Line> {
    let mut lines = Vec::new();
    for (item, cells) in items.iter().zip(braille) {
        let ascii = super::ascii::to_ascii(cells);
        let words: Vec<&str> = ascii.split(' ').filter(|w| !w.is_empty()).collect();
        match item.style {
            Style::Title | Style::Centred => {
                if item.style == Style::Centred {
                    lines.push(Line::Blank);
                }
                // Centred lines keep at least three blank cells each side.
                let wrapped = wrap(&words, 0, 0, CELLS - 6);
                lines.push(Line::Keep(wrapped.len() + 1));
                for l in wrapped {
                    let pad = (CELLS - l.len()) / 2;
                    lines.push(Line::Text(format!("{}{l}", " ".repeat(pad))));
                }
                if item.style == Style::Title {
                    lines.push(Line::Blank);
                }
            }
            Style::Cell5 => {
                lines.push(Line::Blank);
                let wrapped = wrap(&words, 4, 4, CELLS);
                lines.push(Line::Keep(wrapped.len() + 1));
                lines.extend(wrapped.into_iter().map(Line::Text));
            }
            Style::Paragraph => lines.extend(wrap(&words, 2, 0, CELLS).into_iter().map(Line::Text)),
            Style::Item { depth } => {
                let first = (2 * depth).min(CELLS / 2);
                lines.extend(
                    wrap(&words, first, first + 2, CELLS)
                        .into_iter()
                        .map(Line::Text),
                )
            }
        }
    }
    lines
}

/// Fills lines of `width` cells with words, the first line indented by
/// `first` cells and the rest by `runover`. A word longer than a line is cut.
fn wrap(words: &[&str], first: usize, runover: usize, width: usize) -> Vec<String> {
    let mut lines = Vec::new();
    let mut line = " ".repeat(first);
    let mut empty = true;
    for word in words {
        let mut word: &str = word;
        loop {
            let need = if empty { word.len() } else { word.len() + 1 };
            if line.len() + need <= width {
                if !empty {
                    line.push(' ');
                }
                line.push_str(word);
                empty = false;
                break;
            }
            if empty {
                // Longer than a whole line: cut it.
                let room = width.saturating_sub(line.len()).max(1);
                let (head, tail) = word.split_at(room.min(word.len()));
                line.push_str(head);
                lines.push(std::mem::replace(&mut line, " ".repeat(runover)));
                word = tail;
                if word.is_empty() {
                    break;
                }
                continue;
            }
            lines.push(std::mem::replace(&mut line, " ".repeat(runover)));
            empty = true;
        }
    }
    if !empty {
        lines.push(line);
    }
    lines
}

/// Splits lines into pages of [`LINES`] lines, the last of each page
/// holding the braille page number at the right margin. Blank lines at the
/// top of a page are dropped, and a heading never ends a page.
pub fn paginate(lines: &[Line]) -> Vec<Vec<String>> {
    let body = LINES - 1;
    let mut pages: Vec<Vec<String>> = Vec::new();
    let mut page: Vec<String> = Vec::new();
    let mut keep = 0;
    for (i, line) in lines.iter().enumerate() {
        match line {
            Line::Keep(n) => {
                // The heading and the line after it (when there is one).
                let after = lines[i + 1..]
                    .iter()
                    .filter(|l| matches!(l, Line::Text(_)))
                    .count()
                    .min(*n);
                keep = after;
                if page.len() + after > body && !page.is_empty() {
                    pages.push(std::mem::take(&mut page));
                }
            }
            Line::Blank => {
                if !page.is_empty() && page.len() < body {
                    page.push(String::new());
                }
            }
            Line::Text(t) => {
                if page.len() >= body {
                    pages.push(std::mem::take(&mut page));
                }
                page.push(t.clone());
                keep = keep.saturating_sub(1);
            }
        }
    }
    let _ = keep;
    if !page.is_empty() || pages.is_empty() {
        pages.push(page);
    }
    let count = pages.len();
    for (n, page) in pages.iter_mut().enumerate() {
        // Trailing blank lines carry nothing.
        while page.last().is_some_and(|l| l.is_empty()) {
            page.pop();
        }
        page.resize(body, String::new());
        let number = page_number(n + 1);
        page.push(format!("{number:>CELLS$}"));
        debug_assert!(n < count);
    }
    pages
}

/// A braille page number in Braille ASCII: the numeric indicator and the
/// digits as the letters a to j.
pub fn page_number(n: usize) -> String {
    let mut s = String::from("#");
    for d in n.to_string().bytes() {
        s.push(match d {
            b'0' => 'J',
            d => (b'A' + (d - b'1')) as char,
        });
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wrap_indents_and_runs_over() {
        let words = ["AAAA"; 12];
        let lines = wrap(&words, 2, 0, CELLS);
        assert!(lines[0].starts_with("  AAAA"));
        assert!(lines[1].starts_with("AAAA"));
        assert!(lines.iter().all(|l| l.len() <= CELLS));
        let long = "B".repeat(90);
        let lines = wrap(&[long.as_str()], 0, 2, CELLS);
        assert_eq!(lines.len(), 3);
        assert!(lines.iter().all(|l| l.len() <= CELLS));
    }

    #[test]
    fn page_numbers() {
        assert_eq!(page_number(1), "#A");
        assert_eq!(page_number(10), "#AJ");
        assert_eq!(page_number(25), "#BE");
    }

    #[test]
    fn pages_hold_25_lines_and_headings_keep_with_next() {
        let mut lines = Vec::new();
        for _ in 0..23 {
            lines.push(Line::Text("X".into()));
        }
        lines.push(Line::Blank);
        lines.push(Line::Keep(2));
        lines.push(Line::Text("    HEADING".into()));
        lines.push(Line::Text("after".into()));
        let pages = paginate(&lines);
        assert_eq!(pages.len(), 2);
        assert!(pages.iter().all(|p| p.len() == LINES));
        assert_eq!(pages[1][0], "    HEADING");
        assert!(pages[0][24].ends_with("#A"));
        assert_eq!(pages[0][24].len(), CELLS);
    }
}
