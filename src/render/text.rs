//! Plain text: `index.txt` beside every page's `index.html`.
//!
//! UTF-8, wrapped at 72 columns (long addresses may run over), the title
//! underlined, headings numbered and underlined, lists kept, tables read row
//! by row with their header names, pictures as `[Picture: alt text]`, and
//! links as numbered references listed at the end of each section with full
//! addresses. Readable in any text viewer and fit for a braille transcriber.

use pulldown_cmark::{Event, Tag, TagEnd};

use crate::markdown::Events;
use crate::model::Doc;
use crate::render::{LinkMap, OutputFile, PageRenderer, PageView, RenderContext};
use crate::urls::Format;

pub const WIDTH: usize = 72;

pub struct PlainText;

impl PageRenderer for PlainText {
    fn formats(&self) -> &'static [Format] {
        &[Format::PlainText]
    }

    fn render(
        &self,
        ctx: &RenderContext<'_>,
        view: &PageView<'_>,
        format: Format,
    ) -> Result<Vec<OutputFile>, crate::diagnostics::Diagnostic> {
        let site = ctx.site;
        let strings = ctx.i18n.get(view.lang);
        let links = LinkMap {
            site,
            strings,
            lang: view.lang,
            variant: view.variant,
            format,
            absolute: format.absolute_links(),
        };
        let doc = view.doc;
        let mut out = String::new();
        text_title(&mut out, &doc.front.title);
        let address =
            site.absolute(&site.page_file(view.id, view.lang, view.variant, Format::PRIMARY));
        out.push_str(&wrap(
            &strings.fmt("page_address", &[("url", &address)]),
            "",
            "",
        ));
        if let Some(d) = doc.front.updated {
            out.push_str(&wrap(
                &strings.fmt("last_updated", &[("date", &strings.date(d))]),
                "",
                "",
            ));
        }
        if view.fallback {
            let this = site
                .config
                .language(view.lang)
                .map(|l| l.name.clone())
                .unwrap_or_default();
            let default = site.config.default_lang().name.clone();
            out.push('\n');
            out.push_str(&wrap(
                &strings.fmt(
                    "fallback_notice",
                    &[("language", &this), ("default_language", &default)],
                ),
                "",
                "",
            ));
        }
        out.push('\n');
        out.push_str(&wrap(&doc.front.summary, "", ""));
        out.push('\n');
        out.push_str(&render_body(doc, &view.events(), &links));
        for e in ctx.extensions {
            out.push_str(&e.page_text(ctx, view, format));
        }
        let file = site.page_file(view.id, view.lang, view.variant, format);
        Ok(vec![OutputFile::new(file, out.into_bytes())])
    }
}

fn display_width(s: &str) -> usize {
    textwrap::core::display_width(s)
}

/// A plain-text heading, numbered as the plain-text pages number theirs,
/// and underlined.
pub fn text_heading(out: &mut String, n: &std::cell::Cell<usize>, text: &str) {
    n.set(n.get() + 1);
    let text = format!("{}. {text}", n.get());
    out.push('\n');
    out.push_str(&text);
    out.push('\n');
    out.push_str(&"-".repeat(display_width(&text).max(3)));
    out.push_str("\n\n");
}

/// A plain-text title, underlined with `=`.
pub fn text_title(out: &mut String, title: &str) {
    out.push_str(title);
    out.push('\n');
    out.push_str(&"=".repeat(display_width(title).max(3)));
    out.push_str("\n\n");
}

/// Wraps one paragraph with a first-line and a following-lines prefix.
pub fn wrap(text: &str, first: &str, rest: &str) -> String {
    // Only ASCII white space separates words: no-break spaces hold
    // phone numbers together.
    let text = text.split_ascii_whitespace().collect::<Vec<_>>().join(" ");
    if text.is_empty() {
        return String::new();
    }
    let opts = textwrap::Options::new(WIDTH)
        .initial_indent(first)
        .subsequent_indent(rest)
        .break_words(false)
        .word_splitter(textwrap::WordSplitter::NoHyphenation)
        // Break only at ASCII spaces (no-break spaces hold numbers
        // together), filling each line in turn as `fmt` does: Unicode line
        // segmentation and optimal fit cost more than the rest of the
        // plain-text renderer together.
        .word_separator(textwrap::WordSeparator::AsciiSpace)
        .wrap_algorithm(textwrap::WrapAlgorithm::FirstFit);
    let mut s = textwrap::fill(&text, opts);
    s.push('\n');
    s
}

/// A block being collected.
enum Frame {
    List { next: Option<u64> },
    Item { first_line_done: bool },
    Quote,
}

struct Table {
    head: Vec<String>,
    rows: Vec<Vec<String>>,
    in_head: bool,
    cell: String,
}

/// Renders a body as plain text.
pub fn render_body(doc: &Doc, parsed: &Events<'_>, links: &LinkMap<'_>) -> String {
    let rtl = links
        .site
        .config
        .language(&doc.lang)
        .is_some_and(|l| l.dir == crate::config::Direction::Rtl);
    let mut out = String::new();
    let mut inline = String::new();
    let mut stack: Vec<Frame> = Vec::new();
    let mut section_links: Vec<(usize, String, String)> = Vec::new();
    let mut link_no = 0usize;
    let mut link_index = 0usize;
    let mut link_text_start: Vec<(usize, Option<String>)> = Vec::new();
    let mut heading_numbers = [0usize; 7];
    let mut table: Option<Table> = None;
    let mut table_no = 0usize;
    let mut in_image = false;
    let mut image_alt = String::new();
    let mut image_target: Option<String> = None;
    let mut code_block: Option<String> = None;

    let indent = |stack: &[Frame]| -> (String, String) {
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
    };

    let flush = |inline: &mut String, out: &mut String, stack: &mut Vec<Frame>| {
        if inline.trim().is_empty() {
            inline.clear();
            return;
        }
        let (first, rest) = indent(stack);
        out.push_str(&wrap(inline, &first, &rest));
        inline.clear();
        if let Some(Frame::Item { first_line_done }) = stack
            .iter_mut()
            .rev()
            .find(|f| matches!(f, Frame::Item { .. }))
        {
            *first_line_done = true;
        }
    };

    let list_links = |out: &mut String, section_links: &mut Vec<(usize, String, String)>| {
        if section_links.is_empty() {
            return;
        }
        out.push('\n');
        out.push_str(&links.strings.get("links_heading"));
        out.push_str(":\n");
        for (n, text, url) in section_links.drain(..) {
            let label = format!("[{n}] {text}: ");
            let pad = " ".repeat(format!("[{n}] ").len());
            let body = wrap(&format!("{label}{url}"), "  ", &format!("  {pad}"));
            out.push_str(&body);
        }
    };

    for event in &parsed.events {
        if let Some(code) = code_block.as_mut() {
            match event {
                Event::Text(t) => {
                    code.push_str(t);
                    continue;
                }
                Event::End(TagEnd::CodeBlock) => {
                    for line in code.lines() {
                        out.push_str("    ");
                        out.push_str(line);
                        out.push('\n');
                    }
                    out.push('\n');
                    code_block = None;
                    continue;
                }
                _ => continue,
            }
        }
        if in_image {
            match event {
                Event::Text(t) | Event::Code(t) => image_alt.push_str(t),
                Event::End(TagEnd::Image) => {
                    in_image = false;
                    let alt = if image_alt.trim().is_empty() {
                        image_target.take().unwrap_or_default()
                    } else {
                        image_alt.trim().to_string()
                    };
                    let target = table.as_mut().map(|t| &mut t.cell).unwrap_or(&mut inline);
                    if !alt.is_empty() {
                        target.push_str(&format!(
                            "[{}] ",
                            links.strings.fmt("picture_text", &[("alt", &alt)])
                        ));
                    }
                    image_alt.clear();
                }
                _ => {}
            }
            continue;
        }
        match event {
            Event::Start(Tag::Heading { level, .. }) => {
                flush(&mut inline, &mut out, &mut stack);
                let lvl = crate::markdown::level_number(*level) as usize;
                if lvl <= 2 {
                    list_links(&mut out, &mut section_links);
                }
                heading_numbers[lvl] += 1;
                for n in heading_numbers.iter_mut().skip(lvl + 1) {
                    *n = 0;
                }
                let number: Vec<String> = (2..=lvl.max(2))
                    .map(|l| heading_numbers[l].to_string())
                    .collect();
                inline.push_str(&number.join("."));
                inline.push_str(if lvl <= 2 { ". " } else { " " });
            }
            Event::End(TagEnd::Heading(level)) => {
                let lvl = crate::markdown::level_number(*level);
                let text = inline
                    .split_ascii_whitespace()
                    .collect::<Vec<_>>()
                    .join(" ");
                inline.clear();
                out.push('\n');
                let wrapped = wrap(&text, "", "");
                out.push_str(&wrapped);
                let width = wrapped.lines().map(display_width).max().unwrap_or(3);
                let ch = if lvl <= 2 { "-" } else { "~" };
                out.push_str(&ch.repeat(width.max(3)));
                out.push_str("\n\n");
            }
            Event::Start(Tag::Paragraph) => {}
            Event::End(TagEnd::Paragraph) if table.is_none() => {
                flush(&mut inline, &mut out, &mut stack);
                if !stack.iter().any(|f| matches!(f, Frame::Item { .. })) {
                    out.push('\n');
                }
            }
            Event::Start(Tag::List(start)) => {
                flush(&mut inline, &mut out, &mut stack);
                stack.push(Frame::List { next: *start });
            }
            Event::End(TagEnd::List(_)) => {
                flush(&mut inline, &mut out, &mut stack);
                stack.pop();
                if !stack.iter().any(|f| matches!(f, Frame::Item { .. })) {
                    out.push('\n');
                }
            }
            Event::Start(Tag::Item) => {
                flush(&mut inline, &mut out, &mut stack);
                if let Some(Frame::List { next: Some(n) }) = stack.last_mut() {
                    *n += 1;
                }
                stack.push(Frame::Item {
                    first_line_done: false,
                });
            }
            Event::End(TagEnd::Item) => {
                flush(&mut inline, &mut out, &mut stack);
                stack.pop();
            }
            Event::Start(Tag::BlockQuote(_)) => {
                flush(&mut inline, &mut out, &mut stack);
                stack.push(Frame::Quote);
            }
            Event::End(TagEnd::BlockQuote(_)) => {
                flush(&mut inline, &mut out, &mut stack);
                stack.pop();
            }
            Event::Start(Tag::CodeBlock(_)) => {
                flush(&mut inline, &mut out, &mut stack);
                code_block = Some(String::new());
            }
            Event::Start(Tag::Table(_)) => {
                flush(&mut inline, &mut out, &mut stack);
                table_no += 1;
                table = Some(Table {
                    head: Vec::new(),
                    rows: Vec::new(),
                    in_head: false,
                    cell: String::new(),
                });
            }
            Event::Start(Tag::TableHead) => {
                if let Some(t) = table.as_mut() {
                    t.in_head = true;
                }
            }
            Event::End(TagEnd::TableHead) => {
                if let Some(t) = table.as_mut() {
                    t.in_head = false;
                }
            }
            Event::Start(Tag::TableRow) => {
                if let Some(t) = table.as_mut() {
                    t.rows.push(Vec::new());
                }
            }
            Event::End(TagEnd::TableCell) => {
                if let Some(t) = table.as_mut() {
                    let cell = std::mem::take(&mut t.cell)
                        .split_ascii_whitespace()
                        .collect::<Vec<_>>()
                        .join(" ");
                    if t.in_head {
                        t.head.push(cell);
                    } else if let Some(r) = t.rows.last_mut() {
                        r.push(cell);
                    }
                }
            }
            Event::End(TagEnd::Table) => {
                if let Some(t) = table.take() {
                    out.push_str(
                        &links
                            .strings
                            .fmt("table_label", &[("number", &table_no.to_string())]),
                    );
                    out.push_str(":\n");
                    for (i, row) in t.rows.iter().enumerate() {
                        out.push_str(&format!("\n  {}.\n", i + 1));
                        for (j, cell) in row.iter().enumerate() {
                            let name = t.head.get(j).cloned().unwrap_or_default();
                            let line = if name.is_empty() {
                                cell.clone()
                            } else {
                                format!("{name}: {cell}")
                            };
                            out.push_str(&wrap(&line, "    ", "      "));
                        }
                    }
                    out.push('\n');
                }
            }
            Event::Start(Tag::Image { .. }) => {
                in_image = true;
                let target = doc.targets.get(link_index);
                link_index += 1;
                image_target = match target {
                    Some(crate::model::Target::Symbol(n)) => Some(links.symbol_alt(n)),
                    _ => None,
                };
            }
            Event::Start(Tag::Link { .. }) => {
                let target = doc.targets.get(link_index);
                link_index += 1;
                let href = target.and_then(|t| links.href(t));
                let cur = table.as_ref().map(|t| t.cell.len()).unwrap_or(inline.len());
                link_text_start.push((cur, href));
            }
            Event::End(TagEnd::Link) => {
                if let Some((start, Some(href))) = link_text_start.pop() {
                    let buf = table.as_mut().map(|t| &mut t.cell).unwrap_or(&mut inline);
                    let text = buf.get(start..).unwrap_or("").trim().to_string();
                    if href.starts_with('#')
                        || text == href
                        || format!("mailto:{text}") == href
                        || format!("tel:{}", text.replace(' ', "")) == href.replace(' ', "")
                    {
                        // Same-page anchors and visible addresses need no reference.
                    } else {
                        link_no += 1;
                        buf.push_str(&format!(" [{link_no}]"));
                        section_links.push((link_no, text, href));
                    }
                }
            }
            Event::Text(t) | Event::Code(t) => {
                let buf = table.as_mut().map(|t| &mut t.cell).unwrap_or(&mut inline);
                match rtl
                    .then(|| crate::render::body::join_digit_groups(t))
                    .flatten()
                {
                    Some(joined) => buf.push_str(&joined),
                    None => buf.push_str(t),
                }
            }
            Event::SoftBreak | Event::HardBreak => {
                let buf = table.as_mut().map(|t| &mut t.cell).unwrap_or(&mut inline);
                buf.push(' ');
            }
            // A chart from data (src/chart): its title, summary and table.
            Event::Html(h) if parsed.chart(h).is_some() => {
                flush(&mut inline, &mut out, &mut stack);
                if let Some(chart) = parsed.chart(h) {
                    out.push_str(&crate::chart::text(chart, links.strings, &wrap));
                }
            }
            Event::Html(h) | Event::InlineHtml(h) => {
                let buf = table.as_mut().map(|t| &mut t.cell).unwrap_or(&mut inline);
                buf.push_str(&strip_tags(h));
                if matches!(event, Event::Html(_)) {
                    flush(&mut inline, &mut out, &mut stack);
                }
            }
            Event::FootnoteReference(label) => {
                let buf = table.as_mut().map(|t| &mut t.cell).unwrap_or(&mut inline);
                buf.push_str(&format!("[^{label}]"));
            }
            Event::Start(Tag::FootnoteDefinition(label)) => {
                flush(&mut inline, &mut out, &mut stack);
                inline.push_str(&format!("[^{label}] "));
            }
            Event::Rule => {
                flush(&mut inline, &mut out, &mut stack);
                out.push_str("* * *\n\n");
            }
            Event::TaskListMarker(done) => inline.push_str(if *done { "[x] " } else { "[ ] " }),
            _ => {}
        }
    }
    flush(&mut inline, &mut out, &mut stack);
    list_links(&mut out, &mut section_links);
    // No more than one blank line in a row; end with one newline.
    let mut tidy = String::with_capacity(out.len());
    let mut blank = 0;
    for line in out.lines() {
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
