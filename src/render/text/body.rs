//! A page's body in plain text: one pass over the markdown events of the
//! page, by a [`Writer`] that holds what is open (lists, quotes, a table, a
//! picture, a code block) and the line being gathered.
//!
//! - Blocks (headings, paragraphs, lists, quotes, code, rules) end the line
//!   being gathered and write it wrapped, indented for the lists and quotes
//!   around it ([`indent`]).
//! - Inline events (text, links, pictures, breaks) add to that line, or to
//!   the table cell being read.
//! - Links become numbered references, listed with their full addresses at
//!   the end of each section (before each `##` heading and at the end).

use pulldown_cmark::{Event, HeadingLevel, Tag, TagEnd};

use super::lines::{display_width, wrap};
use super::table::Table;
use crate::markdown::Events;
use crate::model::{Doc, Target};
use crate::render::LinkMap;

/// Renders a body as plain text.
pub fn render_body(doc: &Doc, parsed: &Events<'_>, links: &LinkMap<'_>) -> String {
    let mut writer = Writer::new(doc, parsed, links);
    for event in &parsed.events {
        writer.event(event);
    }
    writer.finish()
}

/// A block that is open around the line being gathered.
enum Frame {
    List { next: Option<u64> },
    Item { first_line_done: bool },
    Quote,
}

/// A picture being read: its alt text so far, and the symbol's own alt
/// text to use when the markdown gives none.
struct Picture {
    alt: String,
    fallback: Option<String>,
}

/// What the plain-text writer holds while it walks a body's events.
struct Writer<'a> {
    doc: &'a Doc,
    parsed: &'a Events<'a>,
    links: &'a LinkMap<'a>,
    /// Right-to-left text: digit groups are held together.
    rtl: bool,
    out: String,
    /// The line (paragraph, item, heading) being gathered.
    inline: String,
    stack: Vec<Frame>,
    /// This section's links: number, text, address.
    section_links: Vec<(usize, String, String)>,
    link_no: usize,
    /// The next of the page's link and picture targets, in source order.
    link_index: usize,
    /// Where each open link's text starts, and its address.
    link_text_start: Vec<(usize, Option<String>)>,
    heading_numbers: [usize; 7],
    table: Option<Table>,
    table_no: usize,
    picture: Option<Picture>,
    code_block: Option<String>,
}

impl<'a> Writer<'a> {
    fn new(doc: &'a Doc, parsed: &'a Events<'a>, links: &'a LinkMap<'a>) -> Writer<'a> {
        let rtl = links
            .site
            .config
            .language(&doc.lang)
            .is_some_and(|l| l.dir == crate::config::Direction::Rtl);
        Writer {
            doc,
            parsed,
            links,
            rtl,
            out: String::new(),
            inline: String::new(),
            stack: Vec::new(),
            section_links: Vec::new(),
            link_no: 0,
            link_index: 0,
            link_text_start: Vec::new(),
            heading_numbers: [0; 7],
            table: None,
            table_no: 0,
            picture: None,
            code_block: None,
        }
    }

    /// One event of the body.
    fn event(&mut self, event: &Event<'_>) {
        if self.code_block.is_some() {
            self.code_event(event);
        } else if self.picture.is_some() {
            self.picture_event(event);
        } else if !self.block_event(event) && !self.table_event(event) {
            self.inline_event(event);
        }
    }

    /// Where inline text goes: the table cell being read, or the line.
    fn buf(&mut self) -> &mut String {
        match self.table.as_mut() {
            Some(t) => &mut t.cell,
            None => &mut self.inline,
        }
    }

    /// Writes the line gathered so far, wrapped and indented.
    fn flush(&mut self) {
        if self.inline.trim().is_empty() {
            self.inline.clear();
            return;
        }
        let (first, rest) = indent(&self.stack);
        self.out.push_str(&wrap(&self.inline, &first, &rest));
        self.inline.clear();
        if let Some(Frame::Item { first_line_done }) = self
            .stack
            .iter_mut()
            .rev()
            .find(|f| matches!(f, Frame::Item { .. }))
        {
            *first_line_done = true;
        }
    }

    fn in_item(&self) -> bool {
        self.stack.iter().any(|f| matches!(f, Frame::Item { .. }))
    }

    /// Lists this section's links with their full addresses.
    fn list_links(&mut self) {
        if self.section_links.is_empty() {
            return;
        }
        self.out.push('\n');
        self.out.push_str(&self.links.strings.get("links_heading"));
        self.out.push_str(":\n");
        for (n, text, url) in self.section_links.drain(..) {
            let label = format!("[{n}] {text}: ");
            let pad = " ".repeat(format!("[{n}] ").len());
            let body = wrap(&format!("{label}{url}"), "  ", &format!("  {pad}"));
            self.out.push_str(&body);
        }
    }

    /// Inside a code block: its text, kept as written and indented.
    fn code_event(&mut self, event: &Event<'_>) {
        match event {
            Event::Text(t) => {
                if let Some(code) = self.code_block.as_mut() {
                    code.push_str(t);
                }
            }
            Event::End(TagEnd::CodeBlock) => {
                let code = self.code_block.take().unwrap_or_default();
                for line in code.lines() {
                    self.out.push_str("    ");
                    self.out.push_str(line);
                    self.out.push('\n');
                }
                self.out.push('\n');
            }
            _ => {}
        }
    }

    /// Inside a picture: its alt text, written as `[Picture: alt]`.
    fn picture_event(&mut self, event: &Event<'_>) {
        match event {
            Event::Text(t) | Event::Code(t) => {
                if let Some(p) = self.picture.as_mut() {
                    p.alt.push_str(t);
                }
            }
            Event::End(TagEnd::Image) => {
                let Some(p) = self.picture.take() else {
                    return;
                };
                let alt = if p.alt.trim().is_empty() {
                    p.fallback.unwrap_or_default()
                } else {
                    p.alt.trim().to_string()
                };
                if !alt.is_empty() {
                    let text = format!(
                        "[{}] ",
                        self.links.strings.fmt("picture_text", &[("alt", &alt)])
                    );
                    self.buf().push_str(&text);
                }
            }
            _ => {}
        }
    }

    /// Headings, paragraphs, lists, quotes, code, rules, footnotes and
    /// charts. `false` when the event is none of these.
    fn block_event(&mut self, event: &Event<'_>) -> bool {
        match event {
            Event::Start(Tag::Heading { level, .. }) => self.start_heading(*level),
            Event::End(TagEnd::Heading(level)) => self.end_heading(*level),
            Event::Start(Tag::Paragraph) => {}
            Event::End(TagEnd::Paragraph) if self.table.is_none() => {
                self.flush();
                if !self.in_item() {
                    self.out.push('\n');
                }
            }
            Event::Start(Tag::List(start)) => {
                self.flush();
                self.stack.push(Frame::List { next: *start });
            }
            Event::End(TagEnd::List(_)) => {
                self.flush();
                self.stack.pop();
                if !self.in_item() {
                    self.out.push('\n');
                }
            }
            Event::Start(Tag::Item) => {
                self.flush();
                if let Some(Frame::List { next: Some(n) }) = self.stack.last_mut() {
                    *n += 1;
                }
                self.stack.push(Frame::Item {
                    first_line_done: false,
                });
            }
            Event::Start(Tag::BlockQuote(_)) => {
                self.flush();
                self.stack.push(Frame::Quote);
            }
            Event::End(TagEnd::Item) | Event::End(TagEnd::BlockQuote(_)) => {
                self.flush();
                self.stack.pop();
            }
            Event::Start(Tag::CodeBlock(_)) => {
                self.flush();
                self.code_block = Some(String::new());
            }
            // A chart from data (src/chart): its title, summary and table.
            Event::Html(h) if self.parsed.chart(h).is_some() => {
                self.flush();
                if let Some(chart) = self.parsed.chart(h) {
                    self.out
                        .push_str(&crate::chart::text(chart, self.links.strings, &wrap));
                }
            }
            Event::Start(Tag::FootnoteDefinition(label)) => {
                self.flush();
                self.inline.push_str(&format!("[^{label}] "));
            }
            Event::Rule => {
                self.flush();
                self.out.push_str("* * *\n\n");
            }
            _ => return false,
        }
        true
    }

    /// A heading starts: links of the section it ends are listed first,
    /// then its number (`2.`, `2.1`) begins the line.
    fn start_heading(&mut self, level: HeadingLevel) {
        self.flush();
        let lvl = crate::markdown::level_number(level) as usize;
        if lvl <= 2 {
            self.list_links();
        }
        self.heading_numbers[lvl] += 1;
        for n in self.heading_numbers.iter_mut().skip(lvl + 1) {
            *n = 0;
        }
        let number: Vec<String> = (2..=lvl.max(2))
            .map(|l| self.heading_numbers[l].to_string())
            .collect();
        self.inline.push_str(&number.join("."));
        self.inline.push_str(if lvl <= 2 { ". " } else { " " });
    }

    /// A heading ends: written on its own, underlined (`-` for sections,
    /// `~` below them).
    fn end_heading(&mut self, level: HeadingLevel) {
        let lvl = crate::markdown::level_number(level);
        let text = self
            .inline
            .split_ascii_whitespace()
            .collect::<Vec<_>>()
            .join(" ");
        self.inline.clear();
        self.out.push('\n');
        let wrapped = wrap(&text, "", "");
        self.out.push_str(&wrapped);
        let width = wrapped.lines().map(display_width).max().unwrap_or(3);
        let ch = if lvl <= 2 { "-" } else { "~" };
        self.out.push_str(&ch.repeat(width.max(3)));
        self.out.push_str("\n\n");
    }

    /// A table's events: collected, then written whole at its end.
    /// `false` when the event is not one of them.
    fn table_event(&mut self, event: &Event<'_>) -> bool {
        match event {
            Event::Start(Tag::Table(_)) => {
                self.flush();
                self.table_no += 1;
                self.table = Some(Table::new());
            }
            Event::Start(Tag::TableHead) | Event::End(TagEnd::TableHead) => {
                let in_head = matches!(event, Event::Start(_));
                if let Some(t) = self.table.as_mut() {
                    t.set_in_head(in_head);
                }
            }
            Event::Start(Tag::TableRow) => {
                if let Some(t) = self.table.as_mut() {
                    t.start_row();
                }
            }
            Event::End(TagEnd::TableCell) => {
                if let Some(t) = self.table.as_mut() {
                    t.end_cell();
                }
            }
            Event::End(TagEnd::Table) => {
                if let Some(t) = self.table.take() {
                    let label = self
                        .links
                        .strings
                        .fmt("table_label", &[("number", &self.table_no.to_string())]);
                    t.write(&mut self.out, &label);
                }
            }
            _ => return false,
        }
        true
    }

    /// Text, links, pictures, breaks and inline HTML.
    fn inline_event(&mut self, event: &Event<'_>) {
        match event {
            Event::Start(Tag::Image { .. }) => {
                let target = self.next_target();
                self.picture = Some(Picture {
                    alt: String::new(),
                    fallback: match target {
                        Some(Target::Symbol(n)) => Some(self.links.symbol_alt(n)),
                        _ => None,
                    },
                });
            }
            Event::Start(Tag::Link { .. }) => {
                let href = self.next_target().and_then(|t| self.links.href(t));
                let start = self.buf().len();
                self.link_text_start.push((start, href));
            }
            Event::End(TagEnd::Link) => self.end_link(),
            Event::Text(t) | Event::Code(t) => {
                let joined = self
                    .rtl
                    .then(|| crate::render::body::join_digit_groups(t))
                    .flatten();
                match joined {
                    Some(joined) => self.buf().push_str(&joined),
                    None => self.buf().push_str(t),
                }
            }
            Event::SoftBreak | Event::HardBreak => self.buf().push(' '),
            Event::Html(h) | Event::InlineHtml(h) => {
                let text = strip_tags(h);
                self.buf().push_str(&text);
                if matches!(event, Event::Html(_)) {
                    self.flush();
                }
            }
            Event::FootnoteReference(label) => {
                self.buf().push_str(&format!("[^{label}]"));
            }
            Event::TaskListMarker(done) => {
                self.inline.push_str(if *done { "[x] " } else { "[ ] " });
            }
            _ => {}
        }
    }

    /// The target of the next link or picture, in source order.
    fn next_target(&mut self) -> Option<&'a Target> {
        let target = self.doc.targets.get(self.link_index);
        self.link_index += 1;
        target
    }

    /// A link ends: a reference number after its text, and its address
    /// listed at the end of the section. Same-page anchors and links whose
    /// text is their address need none.
    fn end_link(&mut self) {
        let Some((start, Some(href))) = self.link_text_start.pop() else {
            return;
        };
        let text = self.buf().get(start..).unwrap_or("").trim().to_string();
        let visible = href.starts_with('#')
            || text == href
            || format!("mailto:{text}") == href
            || format!("tel:{}", text.replace(' ', "")) == href.replace(' ', "");
        if !visible {
            self.link_no += 1;
            let n = self.link_no;
            self.buf().push_str(&format!(" [{n}]"));
            self.section_links.push((n, text, href));
        }
    }

    /// The last line and links, with no more than one blank line in a row,
    /// ending with one newline.
    fn finish(mut self) -> String {
        self.flush();
        self.list_links();
        let mut tidy = String::with_capacity(self.out.len());
        let mut blank = 0;
        for line in self.out.lines() {
            if line.trim().is_empty() {
                blank += 1;
                if blank > 1 {
                    continue;
                }
                tidy.push('\n');
            } else {
                blank = 0;
                tidy.push_str(line.trim_end());
                tidy.push('\n');
            }
        }
        tidy.trim_end().to_string() + "\n"
    }
}

/// The prefixes of a line's first and following lines, for the lists and
/// quotes around it: `| ` per quote, the bullet or number of the innermost
/// item on its first line, and spaces under every item's marker.
fn indent(stack: &[Frame]) -> (String, String) {
    let mut first = String::new();
    let mut rest = String::new();
    let depth_items = stack
        .iter()
        .filter(|f| matches!(f, Frame::Item { .. }))
        .count();
    let mut items_seen = 0;
    for (i, f) in stack.iter().enumerate() {
        match f {
            Frame::Quote => {
                first.push_str("| ");
                rest.push_str("| ");
            }
            Frame::Item { first_line_done } => {
                items_seen += 1;
                let bullet = match stack.get(i.wrapping_sub(1)) {
                    Some(Frame::List { next: Some(n) }) => format!("{}. ", n.saturating_sub(1)),
                    _ => "- ".to_string(),
                };
                let pad = " ".repeat(bullet.chars().count());
                if items_seen == depth_items && !first_line_done {
                    first.push_str(&bullet);
                } else {
                    first.push_str(&pad);
                }
                rest.push_str(&pad);
            }
            Frame::List { .. } => {}
        }
    }
    (first, rest)
}

fn strip_tags(html: &str) -> String {
    let mut out = String::new();
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' => in_tag = false,
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    out.replace("&amp;", "&")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
}
