//! From a body's pulldown-cmark events to print [`Block`]s.
//!
//! Every format walks the same event stream (see [`crate::markdown`]); this
//! walk keeps what print and braille need: headings, paragraphs with their
//! inline runs, lists, tables with their header row, pictures with their alt
//! text (or marked decorative) and, in easy read, each picture-led paragraph
//! as a row. Raw HTML (already sanitised) is left out of print.

use pulldown_cmark::{Event, Tag, TagEnd};

use super::doc::{Block, BlockKind, Inline, Picture};

/// How to read the events.
#[derive(Debug, Clone, Copy, Default)]
pub struct EventOptions {
    /// A paragraph that starts with a picture is an easy-read row.
    pub easy_read: bool,
}

/// An open block container.
enum Container {
    Root(Vec<Block>),
    Quote(usize, Vec<Block>),
    List(usize, Option<u64>, Vec<Vec<Block>>),
    Item(Vec<Block>),
    Table(usize, TableBuild),
}

#[derive(Default)]
struct TableBuild {
    header: Vec<Vec<Inline>>,
    rows: Vec<Vec<Vec<Inline>>>,
    in_head: bool,
    row: Vec<Vec<Inline>>,
}

/// What the open inline runs belong to.
enum InlineOwner {
    Paragraph,
    Heading(u8),
    Cell,
    CodeBlock,
}

/// An open inline span (strong, emphasis, link).
enum Span {
    Strong,
    Emphasis,
    Link(String),
}

struct Walk {
    containers: Vec<Container>,
    /// The inline owner, its offset and, when implicit (text straight in a
    /// tight list item), true.
    owner: Option<(InlineOwner, usize, bool)>,
    spans: Vec<(Span, Vec<Inline>)>,
    runs: Vec<Inline>,
    /// Picture opening the current paragraph.
    lead_picture: Option<Picture>,
    /// Alt text being collected: (dest, title, text).
    image: Option<(String, String, String)>,
    opts: EventOptions,
}

/// Reads the body's events (each with its file byte offset) into blocks.
pub fn blocks<'a, I>(events: I, opts: EventOptions) -> Vec<Block>
where
    I: IntoIterator<Item = (Event<'a>, usize)>,
{
    let mut w = Walk {
        containers: vec![Container::Root(Vec::new())],
        owner: None,
        spans: Vec::new(),
        runs: Vec::new(),
        lead_picture: None,
        image: None,
        opts,
    };
    for (event, offset) in events {
        w.event(event, offset);
    }
    w.close_inline();
    while w.containers.len() > 1 {
        w.close_container();
    }
    match w.containers.pop() {
        Some(Container::Root(blocks)) => blocks,
        _ => Vec::new(),
    }
}

impl Walk {
    fn event(&mut self, event: Event<'_>, offset: usize) {
        if let Some((_, _, alt)) = self.image.as_mut() {
            match event {
                Event::Text(t) | Event::Code(t) => alt.push_str(&t),
                Event::SoftBreak | Event::HardBreak => alt.push(' '),
                Event::End(TagEnd::Image) => self.end_image(),
                _ => {}
            }
            return;
        }
        match event {
            Event::Start(tag) => self.start(tag, offset),
            Event::End(tag) => self.end(tag),
            Event::Text(t) => {
                if matches!(self.owner, Some((InlineOwner::CodeBlock, _, _))) {
                    self.push_run(Inline::Code(t.to_string()));
                } else {
                    self.open_implicit(offset);
                    self.push_text(&t);
                }
            }
            Event::Code(t) => {
                self.open_implicit(offset);
                self.push_run(Inline::Code(t.to_string()));
            }
            Event::SoftBreak => self.push_text(" "),
            Event::HardBreak => self.push_run(Inline::Break),
            Event::Rule => self.push_block(Block::new(BlockKind::Rule, offset)),
            Event::InlineMath(t) | Event::DisplayMath(t) => {
                self.open_implicit(offset);
                self.push_text(&t);
            }
            // Raw HTML is not printed; footnote references and task
            // markers carry no words.
            Event::Html(_)
            | Event::InlineHtml(_)
            | Event::FootnoteReference(_)
            | Event::TaskListMarker(_) => {}
        }
    }

    fn start(&mut self, tag: Tag<'_>, offset: usize) {
        match tag {
            Tag::Paragraph => self.open_inline(InlineOwner::Paragraph, offset),
            Tag::Heading { level, .. } => {
                self.close_inline();
                self.open_inline(
                    InlineOwner::Heading(crate::markdown::level_number(level)),
                    offset,
                )
            }
            Tag::CodeBlock(_) => {
                self.close_inline();
                self.open_inline(InlineOwner::CodeBlock, offset)
            }
            Tag::BlockQuote(_) => {
                self.close_inline();
                self.containers.push(Container::Quote(offset, Vec::new()))
            }
            Tag::List(start) => {
                self.close_inline();
                self.containers
                    .push(Container::List(offset, start, Vec::new()))
            }
            Tag::Item => {
                self.close_inline();
                self.containers.push(Container::Item(Vec::new()))
            }
            Tag::Table(_) => {
                self.close_inline();
                self.containers
                    .push(Container::Table(offset, TableBuild::default()))
            }
            Tag::TableHead => {
                if let Some(Container::Table(_, t)) = self.containers.last_mut() {
                    t.in_head = true;
                }
            }
            Tag::TableRow => {}
            Tag::TableCell => self.open_inline(InlineOwner::Cell, offset),
            Tag::Emphasis => self.spans.push((Span::Emphasis, Vec::new())),
            Tag::Strong => self.spans.push((Span::Strong, Vec::new())),
            Tag::Link { dest_url, .. } => {
                self.open_implicit(offset);
                self.spans
                    .push((Span::Link(dest_url.to_string()), Vec::new()))
            }
            Tag::Image {
                dest_url, title, ..
            } => {
                self.open_implicit(offset);
                self.image = Some((dest_url.to_string(), title.to_string(), String::new()))
            }
            Tag::FootnoteDefinition(_) => {
                self.close_inline();
                self.containers.push(Container::Quote(offset, Vec::new()))
            }
            // Strikethrough and the rest print as their words.
            _ => {}
        }
    }

    fn end(&mut self, tag: TagEnd) {
        match tag {
            TagEnd::Paragraph | TagEnd::Heading(_) | TagEnd::CodeBlock | TagEnd::TableCell => {
                self.close_inline()
            }
            TagEnd::BlockQuote(_)
            | TagEnd::List(_)
            | TagEnd::Item
            | TagEnd::Table
            | TagEnd::FootnoteDefinition => {
                self.close_inline();
                self.close_container()
            }
            TagEnd::TableHead | TagEnd::TableRow => {
                if let Some(Container::Table(_, t)) = self.containers.last_mut() {
                    let row = std::mem::take(&mut t.row);
                    if t.in_head {
                        t.header = row;
                        t.in_head = false;
                    } else {
                        t.rows.push(row);
                    }
                }
            }
            TagEnd::Emphasis | TagEnd::Strong | TagEnd::Link => {
                if let Some((span, runs)) = self.spans.pop() {
                    let run = match span {
                        Span::Strong => Inline::Strong(runs),
                        Span::Emphasis => Inline::Emphasis(runs),
                        Span::Link(url) => Inline::Link { url, content: runs },
                    };
                    self.push_run(run);
                }
            }
            _ => {}
        }
    }

    fn end_image(&mut self) {
        let Some((src, title, alt)) = self.image.take() else {
            return;
        };
        let alt = alt.trim().to_string();
        let decorative = title.trim().eq_ignore_ascii_case("decorative");
        let first = self.runs.is_empty()
            && self.spans.is_empty()
            && self.lead_picture.is_none()
            && matches!(self.owner, Some((InlineOwner::Paragraph, _, _)));
        if first {
            self.lead_picture = Some(Picture {
                src,
                alt: if decorative { None } else { Some(alt) },
            });
        } else if !decorative && !alt.is_empty() {
            // A picture inside a sentence prints as its alt text.
            self.push_text(&alt);
        }
    }

    fn open_inline(&mut self, owner: InlineOwner, offset: usize) {
        self.owner = Some((owner, offset, false));
        self.runs.clear();
        self.lead_picture = None;
    }

    /// Text straight inside a tight list item opens a paragraph.
    fn open_implicit(&mut self, offset: usize) {
        if self.owner.is_none() {
            self.owner = Some((InlineOwner::Paragraph, offset, true));
            self.runs.clear();
            self.lead_picture = None;
        }
    }

    fn push_text(&mut self, text: &str) {
        if let Some(Inline::Text(last)) = self.target().last_mut() {
            last.push_str(text);
        } else {
            self.push_run(Inline::Text(text.to_string()));
        }
    }

    fn push_run(&mut self, run: Inline) {
        self.target().push(run);
    }

    fn target(&mut self) -> &mut Vec<Inline> {
        match self.spans.last_mut() {
            Some((_, runs)) => runs,
            None => &mut self.runs,
        }
    }

    fn close_inline(&mut self) {
        // Unclosed spans (not produced by pulldown-cmark) fold into the runs.
        while let Some((_, runs)) = self.spans.pop() {
            self.runs.extend(runs);
        }
        let Some((owner, offset, _)) = self.owner.take() else {
            return;
        };
        let mut runs = std::mem::take(&mut self.runs);
        let picture = self.lead_picture.take();
        match owner {
            InlineOwner::Heading(level) => self.push_block(Block::new(
                BlockKind::Heading {
                    level,
                    content: trim_runs(runs),
                },
                offset,
            )),
            InlineOwner::Cell => {
                if let Some(Container::Table(_, t)) = self.containers.last_mut() {
                    t.row.push(trim_runs(runs));
                }
            }
            InlineOwner::CodeBlock => {
                if let Some(Inline::Code(last)) = runs.last_mut() {
                    let trimmed = last.trim_end_matches('\n').len();
                    last.truncate(trimmed);
                }
                self.push_block(Block::new(BlockKind::Paragraph(runs), offset))
            }
            InlineOwner::Paragraph => {
                runs = trim_runs(runs);
                match picture {
                    Some(picture) if self.opts.easy_read && !runs.is_empty() => {
                        self.push_block(Block::new(
                            BlockKind::EasyRead {
                                picture,
                                content: runs,
                            },
                            offset,
                        ))
                    }
                    Some(picture) => {
                        self.push_block(Block::new(
                            BlockKind::Figure {
                                picture,
                                caption: Vec::new(),
                            },
                            offset,
                        ));
                        if !runs.is_empty() {
                            self.push_block(Block::new(BlockKind::Paragraph(runs), offset));
                        }
                    }
                    None if runs.is_empty() => {}
                    None => self.push_block(Block::new(BlockKind::Paragraph(runs), offset)),
                }
            }
        }
    }

    fn push_block(&mut self, block: Block) {
        match self.containers.last_mut() {
            Some(Container::Root(b) | Container::Quote(_, b) | Container::Item(b)) => b.push(block),
            Some(Container::List(_, _, items)) => items.push(vec![block]),
            // A block straight in a table (not produced by pulldown-cmark).
            Some(Container::Table(..)) | None => {}
        }
    }

    fn close_container(&mut self) {
        if self.containers.len() <= 1 {
            return;
        }
        let Some(container) = self.containers.pop() else {
            return;
        };
        match container {
            Container::Root(_) => {}
            Container::Quote(offset, blocks) => {
                self.push_block(Block::new(BlockKind::Quote(blocks), offset))
            }
            Container::List(offset, start, items) => {
                self.push_block(Block::new(BlockKind::List { start, items }, offset))
            }
            Container::Item(blocks) => {
                if let Some(Container::List(_, _, items)) = self.containers.last_mut() {
                    items.push(blocks);
                }
            }
            Container::Table(offset, t) => self.push_block(Block::new(
                BlockKind::Table {
                    header: t.header,
                    rows: t.rows,
                },
                offset,
            )),
        }
    }
}

/// Trims white space at the start and end of inline runs.
fn trim_runs(mut runs: Vec<Inline>) -> Vec<Inline> {
    if let Some(Inline::Text(t)) = runs.first_mut() {
        *t = t.trim_start().to_string();
    }
    if let Some(Inline::Text(t)) = runs.last_mut() {
        *t = t.trim_end().to_string();
    }
    runs.retain(|r| !matches!(r, Inline::Text(t) if t.is_empty()));
    runs
}

#[cfg(test)]
mod tests {
    use super::*;
    use pulldown_cmark::Parser;

    fn parse(md: &str, easy_read: bool) -> Vec<Block> {
        let events = Parser::new_ext(md, crate::markdown::options())
            .into_offset_iter()
            .map(|(e, r)| (e, r.start));
        blocks(events, EventOptions { easy_read })
    }

    fn text(s: &str) -> Inline {
        Inline::Text(s.into())
    }

    #[test]
    fn headings_paragraphs_and_inline_runs() {
        let b = parse(
            "# Title\n\nSome **strong** and *soft* words, `code` and [a link](https://example.org).\n",
            false,
        );
        assert_eq!(
            b[0].kind,
            BlockKind::Heading {
                level: 1,
                content: vec![text("Title")]
            }
        );
        assert_eq!(
            b[1].kind,
            BlockKind::Paragraph(vec![
                text("Some "),
                Inline::Strong(vec![text("strong")]),
                text(" and "),
                Inline::Emphasis(vec![text("soft")]),
                text(" words, "),
                Inline::Code("code".into()),
                text(" and "),
                Inline::Link {
                    url: "https://example.org".into(),
                    content: vec![text("a link")]
                },
                text("."),
            ])
        );
        assert_eq!(b[1].offset, 9);
    }

    #[test]
    fn tight_and_loose_lists_with_nesting() {
        let b = parse("1. one\n2. two\n   - inner\n\n- a\n\n- b\n", false);
        let BlockKind::List { start, items } = &b[0].kind else {
            panic!("not a list: {b:?}");
        };
        assert_eq!(*start, Some(1));
        assert_eq!(items.len(), 2);
        assert_eq!(items[0][0].kind, BlockKind::Paragraph(vec![text("one")]));
        assert!(matches!(
            items[1][1].kind,
            BlockKind::List { start: None, .. }
        ));
        let BlockKind::List { start, items } = &b[1].kind else {
            panic!("not a list: {b:?}");
        };
        assert_eq!(*start, None);
        assert_eq!(items[1][0].kind, BlockKind::Paragraph(vec![text("b")]));
    }

    #[test]
    fn tables_keep_their_header_row() {
        let b = parse("| Day | Time |\n| --- | --- |\n| Monday | 9am |\n", false);
        assert_eq!(
            b[0].kind,
            BlockKind::Table {
                header: vec![vec![text("Day")], vec![text("Time")]],
                rows: vec![vec![vec![text("Monday")], vec![text("9am")]]],
            }
        );
    }

    #[test]
    fn pictures_rows_figures_and_decorative() {
        let md = "![Money](symbol:money) Direct payments are money.\n\n![](a.png \"decorative\")\n\n![A map](map.png)\n";
        let b = parse(md, true);
        assert_eq!(
            b[0].kind,
            BlockKind::EasyRead {
                picture: Picture {
                    src: "symbol:money".into(),
                    alt: Some("Money".into())
                },
                content: vec![text("Direct payments are money.")],
            }
        );
        assert_eq!(
            b[1].kind,
            BlockKind::Figure {
                picture: Picture {
                    src: "a.png".into(),
                    alt: None
                },
                caption: vec![]
            }
        );
        assert!(
            matches!(&b[2].kind, BlockKind::Figure { picture, .. } if picture.alt.as_deref() == Some("A map"))
        );
        // Outside easy read, a picture-led paragraph is a figure and a paragraph.
        let b = parse(md, false);
        assert!(matches!(b[0].kind, BlockKind::Figure { .. }));
        assert_eq!(
            b[1].kind,
            BlockKind::Paragraph(vec![text("Direct payments are money.")])
        );
    }

    #[test]
    fn quotes_code_blocks_and_rules() {
        let b = parse("> quoted\n\n```\nlet x = 1;\n```\n\n---\n", false);
        assert!(matches!(&b[0].kind, BlockKind::Quote(inner) if inner.len() == 1));
        assert_eq!(
            b[1].kind,
            BlockKind::Paragraph(vec![Inline::Code("let x = 1;".into())])
        );
        assert_eq!(b[2].kind, BlockKind::Rule);
    }
}
