//! The print document: what a PDF or a braille file is made from.
//!
//! A small tree of blocks and inline runs, independent of typst and of
//! HTML, built from a page body's markdown events by
//! [`crate::print::events::blocks`]. Every block that came from the source
//! keeps the file byte offset of its first event, so a problem found while
//! typesetting (a picture typst cannot read) becomes a diagnostic at the
//! right source line.

/// Which way a language's text runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Direction {
    #[default]
    Ltr,
    Rtl,
}

impl Direction {
    /// The direction of a built-in or BCP 47 language tag (Arabic, Urdu,
    /// Persian, Hebrew and Pashto scripts run right to left).
    pub fn of_lang(lang: &str) -> Direction {
        let primary = lang.split(['-', '_']).next().unwrap_or("");
        match primary {
            "ar" | "ur" | "fa" | "he" | "ps" | "sd" | "yi" | "dv" | "ckb" => Direction::Rtl,
            _ => Direction::Ltr,
        }
    }
}

/// A run of inline content.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Inline {
    Text(String),
    /// Strong importance. Emphasis is printed the same way: large print and
    /// easy read use bold, never italic.
    Strong(Vec<Inline>),
    Emphasis(Vec<Inline>),
    Code(String),
    Link {
        url: String,
        content: Vec<Inline>,
    },
    /// A hard line break.
    Break,
}

impl Inline {
    /// The plain text of inline runs, as a reader hears it.
    pub fn plain(runs: &[Inline]) -> String {
        let mut out = String::new();
        for run in runs {
            match run {
                Inline::Text(t) | Inline::Code(t) => out.push_str(t),
                Inline::Strong(c) | Inline::Emphasis(c) | Inline::Link { content: c, .. } => {
                    out.push_str(&Inline::plain(c))
                }
                Inline::Break => out.push(' '),
            }
        }
        out
    }
}

/// A picture, by its source as written (`symbol:money`, `/images/a.png`);
/// the caller supplies the bytes of each source in an [`crate::print::Images`].
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Picture {
    pub src: String,
    /// `None` for a decorative picture (printed, but an artifact that
    /// assistive technology skips).
    pub alt: Option<String>,
}

/// A block of the document.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum BlockKind {
    Heading {
        level: u8,
        content: Vec<Inline>,
    },
    Paragraph(Vec<Inline>),
    List {
        /// `Some(first number)` for a numbered list.
        start: Option<u64>,
        items: Vec<Vec<Block>>,
    },
    Table {
        header: Vec<Vec<Inline>>,
        rows: Vec<Vec<Vec<Inline>>>,
    },
    Figure {
        picture: Picture,
        caption: Vec<Inline>,
    },
    /// An easy-read row: a picture beside the point it illustrates.
    EasyRead {
        picture: Picture,
        content: Vec<Inline>,
    },
    Quote(Vec<Block>),
    Rule,
    /// Blocks in another language than the document's (a fallback showing
    /// English in a Welsh page): the PDF marks their language.
    Lang {
        lang: String,
        blocks: Vec<Block>,
    },
}

/// A block and where it came from.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Block {
    pub kind: BlockKind,
    /// Byte offset in the source file of the block's first event.
    pub offset: usize,
}

impl Block {
    pub fn new(kind: BlockKind, offset: usize) -> Block {
        Block { kind, offset }
    }
}

/// A whole document for print or braille.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct PrintDoc {
    pub title: String,
    /// BCP 47 language tag of the document (`en`, `cy`, `ar`).
    pub lang: String,
    pub dir: Direction,
    pub blocks: Vec<Block>,
    /// Interface strings in the document's language.
    pub labels: Labels,
}

/// Words the renderers print themselves, in the document's language.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Labels {
    /// Heading of the notes page that pads an A5 booklet (`Notes`).
    pub notes: String,
    /// Page label before a page number (`Page`).
    pub page: String,
}

impl Default for Labels {
    fn default() -> Self {
        Labels {
            notes: "Notes".into(),
            page: "Page".into(),
        }
    }
}

impl PrintDoc {
    pub fn new(title: impl Into<String>, lang: impl Into<String>, blocks: Vec<Block>) -> Self {
        let lang = lang.into();
        PrintDoc {
            title: title.into(),
            dir: Direction::of_lang(&lang),
            lang,
            blocks,
            labels: Labels::default(),
        }
    }
}
