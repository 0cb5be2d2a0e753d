//! A page body as HTML: the parsed events with links resolved for the
//! reader's language and format, tables made scrollable and labelled, and
//! (in easy read) each picture-led paragraph laid out as a row.

use pulldown_cmark::{Alignment, CowStr, Event, Tag, TagEnd};

use crate::markdown::Events;
use crate::model::{Doc, Target};
use crate::render::LinkMap;

/// How to render a body.
#[derive(Debug, Clone, Copy, Default)]
pub struct BodyOptions {
    /// Lay out picture-led paragraphs as easy-read rows.
    pub easy_read_rows: bool,
    /// The text is right-to-left: keep numbers written in groups
    /// ("01632 960000") in one piece, or they show in the wrong order.
    pub rtl: bool,
}

/// Joins digit groups with no-break spaces, which the bidirectional
/// algorithm treats as part of the number.
pub fn join_digit_groups(text: &str) -> Option<String> {
    let chars: Vec<char> = text.chars().collect();
    let mut changed = false;
    let mut out = String::with_capacity(text.len());
    for (i, c) in chars.iter().enumerate() {
        if *c == ' '
            && i > 0
            && chars[i - 1].is_ascii_digit()
            && chars.get(i + 1).is_some_and(|n| n.is_ascii_digit())
        {
            out.push('\u{a0}');
            changed = true;
        } else {
            out.push(*c);
        }
    }
    changed.then_some(out)
}

/// Renders a document's body as HTML.
pub fn to_html<'e>(
    doc: &Doc,
    parsed: &'e Events<'e>,
    links: &LinkMap<'_>,
    opts: BodyOptions,
) -> String {
    let events = &parsed.events;
    let mut out_events: Vec<Event<'e>> = Vec::with_capacity(events.len() + 16);
    let mut link_index = 0usize;
    let mut table_number = 0usize;
    let mut row_open: Vec<bool> = Vec::new();
    // Links whose target was removed: drop their Start/End, keep the text.
    let mut dropped: Vec<bool> = Vec::new();
    // Table cells are written here (not by pulldown-cmark) so that column
    // alignment is a class, never an inline style the CSP would block.
    let mut aligns: Vec<Alignment> = Vec::new();
    let mut in_head = false;
    let mut cell = 0usize;
    let mut i = 0;
    while i < events.len() {
        let event = &events[i];
        match event {
            Event::Start(Tag::Paragraph) if opts.easy_read_rows => {
                let is_row = matches!(events.get(i + 1), Some(Event::Start(Tag::Image { .. })));
                row_open.push(is_row);
                if is_row {
                    out_events.push(Event::Html(CowStr::Borrowed(
                        "<div class=\"er-row\"><div class=\"er-picture\">",
                    )));
                    // The image itself, then open the text column.
                    let mut j = i + 1;
                    while j < events.len() {
                        let e = &events[j];
                        push_mapped(
                            e,
                            events,
                            doc,
                            links,
                            &mut link_index,
                            &mut dropped,
                            &mut out_events,
                        );
                        if matches!(e, Event::End(TagEnd::Image)) {
                            break;
                        }
                        j += 1;
                    }
                    out_events.push(Event::Html(CowStr::Borrowed(
                        "</div><div class=\"er-text\"><p>",
                    )));
                    // Skip leading whitespace after the picture.
                    i = j + 1;
                    if let Some(Event::Text(t)) = events.get(i) {
                        out_events.push(Event::Text(CowStr::from(t.trim_start().to_string())));
                        i += 1;
                    } else if matches!(events.get(i), Some(Event::SoftBreak)) {
                        i += 1;
                    }
                    continue;
                }
                out_events.push(event.clone());
            }
            Event::End(TagEnd::Paragraph) if opts.easy_read_rows => {
                if row_open.pop().unwrap_or(false) {
                    out_events.push(Event::Html(CowStr::Borrowed("</p></div></div>")));
                } else {
                    out_events.push(event.clone());
                }
            }
            Event::Start(Tag::Table(a)) => {
                table_number += 1;
                let label = links
                    .strings
                    .fmt("table_label", &[("number", &table_number.to_string())]);
                out_events.push(Event::Html(CowStr::from(format!(
                    "<div class=\"table-wrap\" role=\"region\" tabindex=\"0\" aria-label=\"{}\">",
                    escape_attr(&label)
                ))));
                aligns = a.clone();
                out_events.push(Event::Start(Tag::Table(vec![Alignment::None; a.len()])));
            }
            Event::Start(Tag::TableHead) => {
                in_head = true;
                cell = 0;
                out_events.push(event.clone());
            }
            Event::End(TagEnd::TableHead) => {
                in_head = false;
                out_events.push(event.clone());
            }
            Event::Start(Tag::TableRow) => {
                cell = 0;
                out_events.push(event.clone());
            }
            Event::Start(Tag::TableCell) => {
                let class = match aligns.get(cell) {
                    Some(Alignment::Right) => " class=\"align-end\"",
                    Some(Alignment::Center) => " class=\"align-center\"",
                    _ => "",
                };
                let open = if in_head {
                    format!("<th scope=\"col\"{class}>")
                } else {
                    format!("<td{class}>")
                };
                out_events.push(Event::Html(CowStr::from(open)));
                cell += 1;
            }
            Event::End(TagEnd::TableCell) => {
                out_events.push(Event::Html(CowStr::Borrowed(if in_head {
                    "</th>"
                } else {
                    "</td>"
                })));
            }
            Event::FootnoteReference(label) => {
                let id = crate::markdown::slugify(label);
                out_events.push(Event::Html(CowStr::from(format!(
                    "<sup class=\"footnote-ref\"><a href=\"#fn-{id}\" id=\"fnref-{id}\">{}</a></sup>",
                    escape_attr(label)
                ))));
            }
            Event::Start(Tag::FootnoteDefinition(label)) => {
                let id = crate::markdown::slugify(label);
                out_events.push(Event::Html(CowStr::from(format!(
                    "<div class=\"footnote\" id=\"fn-{id}\"><p class=\"footnote-label\"><a href=\"#fnref-{id}\">{}</a></p>",
                    escape_attr(label)
                ))));
            }
            Event::End(TagEnd::FootnoteDefinition) => {
                out_events.push(Event::Html(CowStr::Borrowed("</div>")));
            }
            Event::End(TagEnd::Table) => {
                out_events.push(event.clone());
                out_events.push(Event::Html(CowStr::Borrowed("</div>")));
            }
            // A chart from data (src/chart): the whole figure, ours and escaped.
            Event::Html(h) if parsed.chart(h).is_some() => {
                if let Some(chart) = parsed.chart(h) {
                    let look = crate::chart::Look {
                        strings: links.strings,
                        large: links.format == crate::urls::Format::LargePrint,
                        easy_read: opts.easy_read_rows,
                        rtl: opts.rtl,
                        words_lang: (links.lang != doc.lang).then_some(links.lang),
                    };
                    out_events.push(Event::Html(CowStr::from(crate::chart::html(chart, look))));
                }
            }
            Event::Text(t) if opts.rtl => match join_digit_groups(t) {
                Some(joined) => out_events.push(Event::Text(CowStr::from(joined))),
                None => out_events.push(event.clone()),
            },
            _ => push_mapped(
                event,
                events,
                doc,
                links,
                &mut link_index,
                &mut dropped,
                &mut out_events,
            ),
        }
        i += 1;
    }
    let out_events = link_contacts(out_events, opts.rtl);
    let mut html = String::with_capacity(doc.file.text.len() * 2);
    pulldown_cmark::html::push_html(&mut html, out_events.into_iter());
    html
}

/// Makes phone numbers and email addresses in running text tap-to-call and
/// mailto links; never inside a link, a heading, code or an image's alt
/// text. In right-to-left text each is isolated left to right.
fn link_contacts(events: Vec<Event<'_>>, rtl: bool) -> Vec<Event<'_>> {
    let mut out = Vec::with_capacity(events.len());
    // Depth of the things whose text stays as it is.
    let mut inside = 0usize;
    for event in events {
        match &event {
            Event::Start(
                Tag::Link { .. } | Tag::Heading { .. } | Tag::CodeBlock(_) | Tag::Image { .. },
            ) => inside += 1,
            Event::End(TagEnd::Link | TagEnd::Heading(_) | TagEnd::CodeBlock | TagEnd::Image) => {
                inside = inside.saturating_sub(1)
            }
            Event::InlineHtml(h) if h.starts_with("<a ") || h.starts_with("<a>") => inside += 1,
            Event::InlineHtml(h) if h.starts_with("</a") => inside = inside.saturating_sub(1),
            Event::Text(t) if inside == 0 => {
                let found = crate::contact::find(t);
                if !found.is_empty() {
                    let dir = if rtl { " dir=\"ltr\"" } else { "" };
                    let mut html = String::with_capacity(t.len() + 64 * found.len());
                    let mut at = 0;
                    for f in &found {
                        html.push_str(&escape_attr(&t[at..f.start]));
                        html.push_str(&format!(
                            "<a href=\"{}\"{dir}>{}</a>",
                            escape_attr(f.href()),
                            escape_attr(&t[f.start..f.end])
                        ));
                        at = f.end;
                    }
                    html.push_str(&escape_attr(&t[at..]));
                    out.push(Event::InlineHtml(CowStr::from(html)));
                    continue;
                }
            }
            _ => {}
        }
        out.push(event);
    }
    out
}

fn push_mapped<'a>(
    event: &'a Event<'a>,
    events: &[Event<'_>],
    doc: &Doc,
    links: &LinkMap<'_>,
    link_index: &mut usize,
    dropped: &mut Vec<bool>,
    out: &mut Vec<Event<'a>>,
) {
    match event {
        Event::Start(Tag::Link {
            link_type,
            title,
            id,
            ..
        }) => {
            let target = doc.targets.get(*link_index);
            *link_index += 1;
            match target.and_then(|t| links.href(t)) {
                Some(href) => {
                    dropped.push(false);
                    out.push(Event::Start(Tag::Link {
                        link_type: *link_type,
                        dest_url: CowStr::from(href),
                        title: title.clone(),
                        id: id.clone(),
                    }));
                }
                None => dropped.push(true),
            }
        }
        Event::End(TagEnd::Link) => {
            if !dropped.pop().unwrap_or(false) {
                out.push(event.clone());
            }
        }
        Event::Start(Tag::Image {
            link_type,
            title,
            id,
            ..
        }) => {
            let target = doc.targets.get(*link_index);
            *link_index += 1;
            let href = target.and_then(|t| links.href(t)).unwrap_or_default();
            let decorative = title.eq_ignore_ascii_case("decorative");
            out.push(Event::Start(Tag::Image {
                link_type: *link_type,
                dest_url: CowStr::from(href),
                title: if decorative {
                    CowStr::Borrowed("")
                } else {
                    title.clone()
                },
                id: id.clone(),
            }));
            // A symbol with no alt text of its own gets the symbol's.
            if let Some(Target::Symbol(name)) = target
                && matches!(
                    events.get(event_index_after(doc, *link_index)),
                    Some(Event::End(TagEnd::Image))
                )
            {
                out.push(Event::Text(CowStr::from(links.symbol_alt(name))));
            }
        }
        _ => out.push(event.clone()),
    }
}

/// The event index just after the Start of link number `n` (1-based count).
fn event_index_after(doc: &Doc, n: usize) -> usize {
    doc.body
        .links
        .get(n - 1)
        .map(|l| l.event + 1)
        .unwrap_or(usize::MAX)
}

pub fn escape_attr(v: &str) -> String {
    v.replace('&', "&amp;")
        .replace('"', "&quot;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phone_numbers_stay_whole_in_rtl() {
        assert_eq!(
            join_digit_groups("اتصل 01632 960000 الآن").as_deref(),
            Some("اتصل 01632\u{a0}960000 الآن")
        );
        assert_eq!(join_digit_groups("no digits here"), None);
    }

    fn text(t: &str) -> Event<'_> {
        Event::Text(CowStr::Borrowed(t))
    }

    fn html_of(events: Vec<Event<'_>>) -> String {
        let mut html = String::new();
        pulldown_cmark::html::push_html(&mut html, events.into_iter());
        html
    }

    #[test]
    fn contacts_in_text_become_links() {
        let html = html_of(link_contacts(
            vec![text("Call 01632 960000 or email a@example.org & ask")],
            false,
        ));
        assert_eq!(
            html,
            "Call <a href=\"tel:+441632960000\">01632 960000</a> or email \
             <a href=\"mailto:a@example.org\">a@example.org</a> &amp; ask"
        );
    }

    #[test]
    fn contacts_are_isolated_left_to_right_in_rtl() {
        let html = html_of(link_contacts(vec![text("اتصل 01632\u{a0}960000")], true));
        assert_eq!(
            html,
            "اتصل <a href=\"tel:+441632960000\" dir=\"ltr\">01632\u{a0}960000</a>"
        );
    }

    #[test]
    fn no_contact_links_in_links_headings_or_code() {
        let link = Tag::Link {
            link_type: pulldown_cmark::LinkType::Inline,
            dest_url: CowStr::Borrowed("/x/"),
            title: CowStr::Borrowed(""),
            id: CowStr::Borrowed(""),
        };
        let heading = Tag::Heading {
            level: pulldown_cmark::HeadingLevel::H2,
            id: None,
            classes: vec![],
            attrs: vec![],
        };
        let events = vec![
            Event::Start(link),
            text("01632 960000"),
            Event::End(TagEnd::Link),
            Event::Start(heading),
            text("Call 01632 960000"),
            Event::End(TagEnd::Heading(pulldown_cmark::HeadingLevel::H2)),
            Event::Code(CowStr::Borrowed("a@example.org")),
            Event::Start(Tag::CodeBlock(pulldown_cmark::CodeBlockKind::Indented)),
            text("a@example.org"),
            Event::End(TagEnd::CodeBlock),
        ];
        let html = html_of(link_contacts(events, false));
        assert!(
            !html.contains("tel:") && !html.contains("mailto:"),
            "{html}"
        );
    }
}
