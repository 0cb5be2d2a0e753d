//! Markdown, parsed once per file.
//!
//! [`parse`] turns a page's body into two things:
//!
//! - a [`Markdown`]: what the rest of the site needs to know of the page
//!   (headings with their ids, links and images in order, the word count),
//!   kept in the model for the whole build;
//! - its [`Events`]: the pulldown-cmark event stream, with the file offset of
//!   every event, borrowed from the source text. Events are big (about 80
//!   bytes each, 140 a page), so the model does not keep them: the
//!   easy-read checks, each page view and the search index parse the body
//!   again, and every format of a view
//!   (HTML, large print, easy read, plain text, booklet) walks the same
//!   events. Parsing is deterministic, so link and event indices agree.

use std::collections::HashSet;

use pulldown_cmark::{CodeBlockKind, CowStr, Event, HeadingLevel, Options, Parser, Tag, TagEnd};

use crate::codes::Code;
use crate::diagnostics::{Diagnostic, Diagnostics, SourceText};

/// A heading of the body.
#[derive(Debug, Clone)]
pub struct Heading {
    pub level: u8,
    pub id: String,
    pub text: String,
    /// Byte offset in the file.
    pub offset: usize,
}

/// A link or image of the body, in document order.
#[derive(Debug, Clone)]
pub struct LinkRef {
    /// Index of its `Start` event.
    pub event: usize,
    pub image: bool,
    /// The destination as written.
    pub dest: String,
    /// The link text, or the image's alt text.
    pub text: String,
    /// An image marked as decorative (its title is `decorative`).
    pub decorative: bool,
    /// Byte offset in the file.
    pub offset: usize,
}

/// The header row of a table.
#[derive(Debug, Clone)]
pub struct TableHead {
    /// Byte offset in the file.
    pub offset: usize,
    /// Some cell of the row has words in it.
    pub has_words: bool,
}

/// What the model keeps of a parsed body.
#[derive(Debug, Clone, Default)]
pub struct Markdown {
    /// Where the body starts in its file (it runs to the end).
    pub body_offset: usize,
    pub headings: Vec<Heading>,
    pub links: Vec<LinkRef>,
    /// The header row of each table, in order.
    pub table_heads: Vec<TableHead>,
    /// Number of words in the text.
    pub words: usize,
}

/// Ids used by the templates; headings never take them.
pub const RESERVED_IDS: &[&str] = &[
    "main-content",
    "contents",
    "top",
    "formats",
    "languages",
    "footer",
    "search",
    "fallback",
    "skip",
];

pub fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_HEADING_ATTRIBUTES
        | Options::ENABLE_SMART_PUNCTUATION
}

/// A body's event stream, borrowed from its source text.
#[derive(Debug, Clone, Default)]
pub struct Events<'a> {
    pub events: Vec<Event<'a>>,
    /// File byte offset of each event.
    pub offsets: Vec<usize>,
    /// The charts of the body: each ```` ```chart ```` block is read once
    /// here and leaves a marker event ([`crate::chart::marker`]) that the
    /// renderers replace by the chart in their format.
    pub charts: Vec<crate::chart::Chart>,
}

/// Limits on what one source file may hold, so that hostile or broken
/// content (a pasted page of 100,000 nested `<div>`s) cannot stall a build:
/// the work for a page stays bounded. Real pages are far inside them. A
/// page over one gets an error at the line where it went over, and its
/// body is not rendered.
pub mod limits {
    /// Deepest nesting of elements in one block of raw HTML. The HTML
    /// parser looks through every open element for each new one (the
    /// "has an element in button scope" step of the HTML standard), so its
    /// work grows with the square of the depth.
    pub const HTML_DEPTH: usize = 100;
    /// Deepest nesting of markdown containers (lists, block quotes, and the
    /// emphasis, links and images inside them).
    pub const DEPTH: usize = 50;
    /// Table cells in one page.
    pub const TABLE_CELLS: usize = 100_000;
    /// Links and images in one page.
    pub const LINKS: usize = 50_000;
    /// Bytes in one line.
    pub const LINE_BYTES: usize = 20_000;
}

/// A limit a body goes over: (file offset, code, message, help).
type Over = (usize, Code, String, String);

/// The first line longer than [`limits::LINE_BYTES`].
fn long_line(body: &str, body_offset: usize) -> Option<Over> {
    let mut start = 0;
    for line in body.split_inclusive('\n') {
        if line.len() > limits::LINE_BYTES {
            return Some((
                body_offset + start,
                Code::LIM003,
                format!(
                    "this line is {} characters long; a line may have at most {}",
                    line.len(),
                    limits::LINE_BYTES
                ),
                "break the text into paragraphs with blank lines between them".to_string(),
            ));
        }
        start += line.len();
    }
    None
}

/// Counts what a body holds as its events go by.
#[derive(Default)]
struct Budget {
    depth: usize,
    cells: usize,
    links: usize,
}

impl Budget {
    fn take(&mut self, event: &Event<'_>, offset: usize) -> Option<Over> {
        match event {
            Event::Start(tag) => {
                self.depth += 1;
                if self.depth > limits::DEPTH {
                    return Some((
                        offset,
                        Code::LIM001,
                        format!(
                            "lists, quotes and emphasis are nested more than {} deep here",
                            limits::DEPTH
                        ),
                        "use fewer levels: a reader cannot follow more than a few".to_string(),
                    ));
                }
                if matches!(tag, Tag::TableCell) {
                    self.cells += 1;
                    if self.cells > limits::TABLE_CELLS {
                        return Some((
                            offset,
                            Code::LIM002,
                            format!("the page has more than {} table cells", limits::TABLE_CELLS),
                            "split the table over several pages, or publish the data as a file to download".to_string(),
                        ));
                    }
                }
                if matches!(tag, Tag::Link { .. } | Tag::Image { .. }) {
                    self.links += 1;
                    if self.links > limits::LINKS {
                        return Some((
                            offset,
                            Code::LIM004,
                            format!("the page has more than {} links and images", limits::LINKS),
                            "split the page into smaller pages".to_string(),
                        ));
                    }
                }
            }
            Event::End(_) => self.depth = self.depth.saturating_sub(1),
            _ => {}
        }
        None
    }
}

/// The HTML block `html` (at `offset`) nests too deep to sanitise.
fn deep_html(html: &str, offset: usize) -> Option<Over> {
    let depth = crate::sanitise::nesting_depth(html);
    (depth > limits::HTML_DEPTH).then(|| {
        (
            offset,
            Code::LIM001,
            format!(
                "this HTML nests elements {depth} deep; at most {} are allowed",
                limits::HTML_DEPTH
            ),
            "remove the extra levels of elements (often a pasted page): write the text in markdown instead".to_string(),
        )
    })
}

/// Parses `body` (which starts at `body_offset` in `file`). Raw HTML is
/// sanitised here, with a warning for what was removed. A body over one of
/// the [`limits`] gets an error and is left empty.
pub fn parse<'a>(
    file: &SourceText,
    body: &'a str,
    body_offset: usize,
    diags: &Diagnostics,
) -> (Markdown, Events<'a>) {
    match parse_bounded(file, body, body_offset, diags) {
        Ok(parsed) => parsed,
        Err((offset, code, message, help)) => {
            diags.push_with_source(Diagnostic::new(code, message, help).at(file, offset), file);
            let md = Markdown {
                body_offset,
                ..Markdown::default()
            };
            (md, Events::default())
        }
    }
}

fn parse_bounded<'a>(
    file: &SourceText,
    body: &'a str,
    body_offset: usize,
    diags: &Diagnostics,
) -> Result<(Markdown, Events<'a>), Over> {
    if let Some(over) = long_line(body, body_offset) {
        return Err(over);
    }
    let mut budget = Budget::default();
    let mut md = Markdown {
        body_offset,
        ..Markdown::default()
    };
    let mut ev = Events::default();
    let mut used_ids: HashSet<String> = RESERVED_IDS.iter().map(|s| s.to_string()).collect();
    // (event index of heading start, text so far)
    let mut heading: Option<(usize, String)> = None;
    // (index in md.links, text so far)
    let mut link_stack: Vec<(usize, String)> = Vec::new();
    let mut html_block: Option<(usize, String)> = None;
    let mut open_inline: Vec<String> = Vec::new();
    let mut in_table_head = false;
    // A ```chart block being read: (offset of its fence, its text, offset of the text).
    let mut chart_block: Option<(usize, String, Option<usize>)> = None;

    for (event, range) in Parser::new_ext(body, options()).into_offset_iter() {
        let offset = body_offset + range.start;
        if let Some(over) = budget.take(&event, offset) {
            return Err(over);
        }
        if let Some((fence, text, text_at)) = chart_block.as_mut() {
            match event {
                Event::Text(t) => {
                    text_at.get_or_insert(offset);
                    text.push_str(&t);
                }
                _ => {
                    let (fence, text, text_at) = (*fence, std::mem::take(text), *text_at);
                    chart_block = None;
                    read_chart(file, fence, text, text_at, diags, &mut ev);
                }
            }
            continue;
        }
        if let Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(info))) = &event
            && info.split_whitespace().next() == Some("chart")
        {
            chart_block = Some((offset, String::new(), None));
            continue;
        }
        if let Some((start, buf)) = html_block.as_mut() {
            match event {
                Event::Html(h) | Event::InlineHtml(h) => {
                    buf.push_str(&h);
                    continue;
                }
                Event::End(TagEnd::HtmlBlock) => {
                    if let Some(over) = deep_html(buf, *start) {
                        return Err(over);
                    }
                    let (clean, removed) = crate::sanitise::clean_block(buf);
                    report_removed(file, *start, &removed, diags);
                    ev.push(Event::Html(CowStr::from(clean)), *start);
                    html_block = None;
                    continue;
                }
                _ => {}
            }
        }
        match &event {
            Event::Start(Tag::HtmlBlock) => {
                html_block = Some((offset, String::new()));
                continue;
            }
            Event::InlineHtml(h) => {
                let h = h.to_string();
                if h.starts_with("<!--") {
                    continue;
                }
                match crate::sanitise::clean_inline_tag(&h) {
                    Some(tag) => {
                        let closing = tag.starts_with("</");
                        let name: String = tag
                            .trim_start_matches("</")
                            .trim_start_matches('<')
                            .chars()
                            .take_while(|c| c.is_ascii_alphanumeric())
                            .collect();
                        if closing {
                            if let Some(pos) = open_inline.iter().rposition(|n| *n == name) {
                                open_inline.remove(pos);
                                ev.push(Event::InlineHtml(CowStr::from(tag)), offset);
                            }
                        } else {
                            if name != "br" {
                                open_inline.push(name);
                            }
                            ev.push(Event::InlineHtml(CowStr::from(tag)), offset);
                        }
                    }
                    None => {
                        let removed = crate::sanitise::unsafe_parts(&h);
                        if !removed.is_empty() || !h.starts_with("</") {
                            let what = if removed.is_empty() {
                                vec![format!("`{}`", h.trim())]
                            } else {
                                removed
                            };
                            report_removed(file, offset, &what, diags);
                        }
                    }
                }
                continue;
            }
            Event::End(
                TagEnd::Paragraph | TagEnd::TableCell | TagEnd::Heading(_) | TagEnd::Item,
            ) => {
                // Close inline tags the editor left open, so the page stays valid.
                while let Some(name) = open_inline.pop() {
                    ev.push(
                        Event::InlineHtml(CowStr::from(format!("</{name}>"))),
                        offset,
                    );
                }
            }
            _ => {}
        }
        let index = ev.events.len();
        let mut event = event;
        // `## Title {#id .class key=value}`: the id and classes are kept;
        // other attributes (onclick=, style=...) are raw HTML by another name.
        if let Event::Start(Tag::Heading { attrs, .. }) = &mut event
            && !attrs.is_empty()
        {
            let what: Vec<String> = attrs
                .drain(..)
                .map(|(k, _)| format!("the {k} attribute on a heading"))
                .collect();
            report_removed(file, offset, &what, diags);
        }
        match &event {
            Event::Start(Tag::Heading { .. }) => heading = Some((index, String::new())),
            Event::End(TagEnd::Heading(level)) => {
                if let Some((start, text)) = heading.take() {
                    let text = text.trim().to_string();
                    let explicit = match &ev.events[start] {
                        Event::Start(Tag::Heading { id: Some(id), .. }) => Some(id.to_string()),
                        _ => None,
                    };
                    let id = unique_id(explicit.unwrap_or_else(|| slugify(&text)), &mut used_ids);
                    if let Event::Start(Tag::Heading { id: slot, .. }) = &mut ev.events[start] {
                        *slot = Some(CowStr::from(id.clone()));
                    }
                    md.headings.push(Heading {
                        level: level_number(*level),
                        id,
                        text,
                        offset: ev.offsets[start],
                    });
                }
            }
            Event::Start(Tag::Link { dest_url, .. })
            | Event::Start(Tag::Image { dest_url, .. }) => {
                let image = matches!(event, Event::Start(Tag::Image { .. }));
                let decorative = matches!(&event, Event::Start(Tag::Image { title, .. })
                    if title.eq_ignore_ascii_case("decorative"));
                md.links.push(LinkRef {
                    event: index,
                    image,
                    dest: dest_url.to_string(),
                    text: String::new(),
                    decorative,
                    offset,
                });
                link_stack.push((md.links.len() - 1, String::new()));
            }
            Event::Start(Tag::TableHead) => {
                in_table_head = true;
                md.table_heads.push(TableHead {
                    offset,
                    has_words: false,
                });
            }
            Event::End(TagEnd::TableHead) => in_table_head = false,
            Event::End(TagEnd::Link | TagEnd::Image) => {
                if let Some((i, text)) = link_stack.pop() {
                    md.links[i].text = text.trim().to_string();
                }
            }
            Event::Text(t) | Event::Code(t) => {
                if in_table_head
                    && !t.trim().is_empty()
                    && let Some(head) = md.table_heads.last_mut()
                {
                    head.has_words = true;
                }
                if let Some((_, h)) = heading.as_mut() {
                    h.push_str(t);
                }
                for (_, l) in link_stack.iter_mut() {
                    l.push_str(t);
                }
                md.words += t.split_whitespace().count();
            }
            _ => {}
        }
        ev.push(event, offset);
    }
    Ok((md, ev))
}

/// Reads a chart block's text: a marker event for the renderers, or, when
/// the data is wrong, a diagnostic and the block shown as it was written.
fn read_chart<'a>(
    file: &SourceText,
    fence: usize,
    text: String,
    text_at: Option<usize>,
    diags: &Diagnostics,
    ev: &mut Events<'a>,
) {
    // The YAML starts on the line after the fence.
    let start = text_at.unwrap_or_else(|| {
        file.text[fence.min(file.text.len())..]
            .find('\n')
            .map(|n| fence + n + 1)
            .unwrap_or(fence)
    });
    match crate::chart::parse::parse(file, &text, start) {
        Ok(chart) => {
            if let Some(label) = chart.crowded_label() {
                diags.push_with_source(
                    Diagnostic::new(
                        Code::CHART005,
                        format!("the label `{label}` will not fit under its column on a phone"),
                        "use `kind: horizontal-bar`, which gives every label a line of its own, or shorten the labels",
                    )
                    .at(file, fence),
                    file,
                );
            }
            ev.push(
                Event::Html(CowStr::from(crate::chart::marker(ev.charts.len()))),
                fence,
            );
            ev.charts.push(chart);
        }
        Err(d) => {
            diags.push_with_source(d, file);
            ev.push(
                Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(CowStr::Borrowed(
                    "chart",
                )))),
                fence,
            );
            ev.push(Event::Text(CowStr::from(text)), start);
            ev.push(Event::End(TagEnd::CodeBlock), start);
        }
    }
}

fn report_removed(file: &SourceText, offset: usize, removed: &[String], diags: &Diagnostics) {
    if removed.is_empty() {
        return;
    }
    diags.push_with_source(
        Diagnostic::new(
            Code::SEC001,
            format!("unsafe HTML was removed: {}", removed.join(", ")),
            "raw HTML is not trusted: write this in markdown instead, or keep to simple tags such as <abbr title=\"...\">",
        )
        .at(file, offset),
        file,
    );
}

impl<'a> Events<'a> {
    /// The chart a marker event stands for.
    pub fn chart(&self, html: &str) -> Option<&crate::chart::Chart> {
        self.charts.get(crate::chart::marker_index(html)?)
    }

    fn push(&mut self, event: Event<'a>, offset: usize) {
        self.events.push(event);
        self.offsets.push(offset);
    }
}

pub fn level_number(level: HeadingLevel) -> u8 {
    match level {
        HeadingLevel::H1 => 1,
        HeadingLevel::H2 => 2,
        HeadingLevel::H3 => 3,
        HeadingLevel::H4 => 4,
        HeadingLevel::H5 => 5,
        HeadingLevel::H6 => 6,
    }
}

/// A heading anchor: lowercase letters and digits (any script), hyphens for
/// spaces, punctuation dropped.
pub fn slugify(text: &str) -> String {
    let mut out = String::new();
    let mut hyphen = false;
    for c in text.chars() {
        if c.is_alphanumeric() {
            if hyphen && !out.is_empty() {
                out.push('-');
            }
            hyphen = false;
            out.extend(c.to_lowercase());
        } else if c.is_whitespace() || c == '-' || c == '_' {
            hyphen = true;
        }
    }
    if out.is_empty() {
        "section".into()
    } else {
        out
    }
}

fn unique_id(base: String, used: &mut HashSet<String>) -> String {
    let mut id = base.clone();
    let mut n = 1;
    while used.contains(&id) {
        id = format!("{base}-{n}");
        n += 1;
    }
    used.insert(id.clone());
    id
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The summary and the events (owned, for the tests), and problems.
    fn md(text: &str) -> (Parsed, Vec<Diagnostic>) {
        let f = SourceText::new("a.md", text);
        let d = Diagnostics::new();
        let (m, e) = parse(&f, text, 0, &d);
        let events = e.events.into_iter().map(Event::into_static).collect();
        (Parsed { m, events }, d.sorted())
    }

    struct Parsed {
        m: Markdown,
        events: Vec<Event<'static>>,
    }

    impl std::ops::Deref for Parsed {
        type Target = Markdown;
        fn deref(&self) -> &Markdown {
            &self.m
        }
    }

    #[test]
    fn heading_ids_are_slugs_and_unique() {
        let (m, _) = md("## Who pays?\n\n## Who pays?\n\n## Contents\n\n### Kto płaci {#kto}\n");
        let ids: Vec<_> = m.headings.iter().map(|h| h.id.as_str()).collect();
        assert_eq!(ids, ["who-pays", "who-pays-1", "contents-1", "kto"]);
    }

    #[test]
    fn links_in_order_with_text() {
        let (m, _) = md("See [the *plan*](plan.md) and ![A chart](c.svg).\n");
        assert_eq!(m.links.len(), 2);
        assert_eq!(m.links[0].text, "the plan");
        assert_eq!(m.links[0].dest, "plan.md");
        assert!(m.links[1].image);
        assert_eq!(m.links[1].text, "A chart");
    }

    #[test]
    fn raw_html_is_sanitised_with_a_warning() {
        let (m, d) = md(
            "Hello\n\n<div onclick=\"x()\">Hi<script>alert(1)</script></div>\n\nText <b onclick=x>bold</b> <script>y</script>\n",
        );
        let html: String = m
            .events
            .iter()
            .filter_map(|e| match e {
                Event::Html(h) | Event::InlineHtml(h) => Some(h.to_string()),
                _ => None,
            })
            .collect();
        assert!(!html.contains("script"), "{html}");
        assert!(!html.contains("onclick"), "{html}");
        assert!(d.iter().all(|d| d.code == Code::SEC001));
        assert!(d.len() >= 2, "{d:?}");
        assert_eq!(d[0].line, Some(3));
    }

    #[test]
    fn unclosed_inline_tags_are_closed() {
        let (m, _) = md("Some <span lang=\"cy\">Croeso\n");
        let n_open = m
            .events
            .iter()
            .filter(|e| matches!(e, Event::InlineHtml(h) if h.starts_with("<span")))
            .count();
        let n_close = m
            .events
            .iter()
            .filter(|e| matches!(e, Event::InlineHtml(h) if h.as_ref() == "</span>"))
            .count();
        assert_eq!(n_open, n_close);
    }

    #[test]
    fn deep_nesting_stops_at_the_limit_without_overflowing() {
        // Far past the nesting limit: one LIM001 error at the line, no stack overflow.
        let text = ">".repeat(5_000) + " deep\n";
        let (_, d) = md(&text);
        assert!(d.iter().any(|d| d.code == Code::LIM001), "{d:?}");
        let list: String = (0..5000)
            .map(|i| format!("{}- x\n", "  ".repeat(i)))
            .collect();
        let (_, d) = md(&list);
        assert!(d.iter().any(|d| d.code == Code::LIM001), "{d:?}");
        // Within the limit, nesting still parses.
        let (m, d) = md(&(">".repeat(10) + " fine\n"));
        assert!(d.is_empty(), "{d:?}");
        assert!(!m.events.is_empty());
    }
}
