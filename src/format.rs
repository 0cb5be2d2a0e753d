//! The format table: every output format of a page, one row each.
//!
//! Every part that needs to know about formats iterates [`FORMATS`] or asks
//! a [`Format`] for its row: addresses ([`crate::urls::file_in`]), the list
//! of formats on each page, link rewriting, sitemaps, the stylesheets of a
//! page, the site's generated pages and the directory's pages. A `match` on
//! `Format` lives only here (the enum is the row's index) and in each
//! format's renderer.
//!
//! Adding a format: a variant of [`Format`] and its row in [`FORMATS`]
//! (same position), a renderer in `src/render/` that lists the format in
//! [`formats`](crate::render::PageRenderer::formats) and is added to
//! `render::PAGE_RENDERERS`, its template in `themes/`, and its tests.

use crate::source::Variant;

/// An output format of a page: an index into [`FORMATS`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Format {
    /// The standard web page.
    Html,
    LargePrint,
    PlainText,
    /// Printable easy-read booklet, A4.
    Booklet,
    /// Printable easy-read booklet, A5 folded.
    BookletA5,
    /// Large-print PDF download (UKAAF clear print, PDF/UA-1).
    LargePrintPdf,
    /// Easy-read booklet PDF download, A4 (PDF/UA-1).
    BookletPdf,
    /// Easy-read booklet PDF download, A5, pages a multiple of 4 (PDF/UA-1).
    BookletA5Pdf,
    /// The A5 booklet imposed on A4 landscape sheets for saddle stitching.
    BookletImposedPdf,
    /// A braille file (`.brf`, 40 cells by 25 lines) to emboss or read on a
    /// braille display: Unified English Braille grade 2 for English.
    Braille,
}

/// What a reader gets in a format, which decides how pages list it and
/// how links inside it are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Media {
    /// A web page with the site's chrome (formats, languages, breadcrumbs),
    /// written from the theme's templates; links are site-relative.
    Page,
    /// A text file: links are written as full `https://` addresses, so they
    /// still work when the file is saved, printed or transcribed.
    Text,
    /// A file to download (a PDF): listed with its type and size, not
    /// written for the build's generated pages.
    Download,
}

/// One row of the format table.
#[derive(Debug, Clone, Copy)]
pub struct FormatRow {
    pub format: Format,
    /// Key used in templates and strings (`format.large_print`).
    pub key: &'static str,
    /// The file inside a page's folder (`large-print/index.html`).
    pub file: &'static str,
    /// Theme stylesheets the format's pages load, in order.
    pub stylesheets: &'static [&'static str],
    /// The interface string that names the format in format lists.
    pub label: &'static str,
    /// The variants of a page written in this format.
    pub variants: &'static [Variant],
    /// The format that links inside this one lead to: a large-print reader
    /// stays in large print; a booklet links to the web pages.
    pub links_to: Format,
    pub media: Media,
}

const BOTH: &[Variant] = &[Variant::Standard, Variant::EasyRead];
const EASY_READ: &[Variant] = &[Variant::EasyRead];

/// The format table, in the order of [`Format`] and of every format list.
pub const FORMATS: &[FormatRow] = &[
    FormatRow {
        format: Format::Html,
        key: "standard",
        file: "index.html",
        stylesheets: &["main"],
        label: "format.standard",
        variants: BOTH,
        links_to: Format::Html,
        media: Media::Page,
    },
    FormatRow {
        format: Format::LargePrint,
        key: "large_print",
        file: "large-print/index.html",
        stylesheets: &["main", "large-print"],
        label: "format.large_print",
        variants: BOTH,
        links_to: Format::LargePrint,
        media: Media::Page,
    },
    FormatRow {
        format: Format::PlainText,
        key: "plain_text",
        file: "index.txt",
        stylesheets: &["main"],
        label: "format.plain_text",
        variants: BOTH,
        links_to: Format::Html,
        media: Media::Text,
    },
    FormatRow {
        format: Format::Booklet,
        key: "booklet",
        file: "booklet/index.html",
        stylesheets: &["booklet"],
        label: "format.booklet",
        variants: EASY_READ,
        links_to: Format::Html,
        media: Media::Page,
    },
    FormatRow {
        format: Format::BookletA5,
        key: "booklet_a5",
        file: "booklet/a5/index.html",
        stylesheets: &["booklet", "booklet-a5"],
        label: "format.booklet_a5",
        variants: EASY_READ,
        links_to: Format::Html,
        media: Media::Page,
    },
    FormatRow {
        format: Format::LargePrintPdf,
        key: "large_print_pdf",
        file: "large-print.pdf",
        stylesheets: &[],
        label: "format.large_print_pdf",
        variants: BOTH,
        links_to: Format::Html,
        media: Media::Download,
    },
    FormatRow {
        format: Format::BookletPdf,
        key: "booklet_pdf",
        file: "booklet.pdf",
        stylesheets: &[],
        label: "format.booklet_pdf",
        variants: EASY_READ,
        links_to: Format::Html,
        media: Media::Download,
    },
    FormatRow {
        format: Format::BookletA5Pdf,
        key: "booklet_a5_pdf",
        file: "booklet-a5.pdf",
        stylesheets: &[],
        label: "format.booklet_a5_pdf",
        variants: EASY_READ,
        links_to: Format::Html,
        media: Media::Download,
    },
    FormatRow {
        format: Format::BookletImposedPdf,
        key: "booklet_imposed_pdf",
        file: "booklet-a5-print.pdf",
        stylesheets: &[],
        label: "format.booklet_imposed_pdf",
        variants: EASY_READ,
        links_to: Format::Html,
        media: Media::Download,
    },
    FormatRow {
        format: Format::Braille,
        key: "braille",
        file: "braille.brf",
        stylesheets: &[],
        label: "format.braille",
        variants: BOTH,
        links_to: Format::Html,
        media: Media::Download,
    },
];

impl Format {
    /// The standard web page: the canonical address of every page, and the
    /// one sitemaps, redirects and search results point to.
    pub const PRIMARY: Format = Format::Html;

    /// This format's row of the table.
    pub fn row(self) -> &'static FormatRow {
        &FORMATS[self as usize]
    }

    /// Key used in templates and strings (`format.large_print`).
    pub fn key(self) -> &'static str {
        self.row().key
    }

    /// The format links inside this one lead to.
    pub fn links_to(self) -> Format {
        self.row().links_to
    }

    /// Is a page's `variant` written in this format?
    pub fn serves(self, variant: Variant) -> bool {
        self.row().variants.contains(&variant)
    }

    /// The type of file a download is, as its format list names it
    /// (`PDF`, `BRF`): the file's extension.
    pub fn file_type(self) -> String {
        let file = self.row().file;
        file.rsplit_once('.')
            .map(|(_, ext)| ext.to_ascii_uppercase())
            .unwrap_or_default()
    }

    /// Are links inside this format written as full addresses?
    pub fn absolute_links(self) -> bool {
        self.row().media == Media::Text
    }

    /// Does the site write this format? PDF downloads can be switched off
    /// and braille on in site.yaml (`print:`); every other format is always
    /// written.
    pub fn enabled(self, config: &crate::config::SiteConfig) -> bool {
        match self {
            Format::LargePrintPdf => config.print.large_print_pdf,
            Format::BookletPdf | Format::BookletA5Pdf | Format::BookletImposedPdf => {
                config.print.booklet_pdf
            }
            Format::Braille => config.print.braille,
            Format::Html
            | Format::LargePrint
            | Format::PlainText
            | Format::Booklet
            | Format::BookletA5 => true,
        }
    }
}

/// The formats a single-variant page made by the build (a service's page,
/// a category, the accessibility statement) is written in: every format
/// of the standard variant but downloads; `with_text` keeps the text
/// formats.
pub fn generated_formats(with_text: bool) -> impl Iterator<Item = Format> {
    FORMATS
        .iter()
        .filter(move |r| r.variants.contains(&Variant::Standard))
        .filter(move |r| r.media != Media::Download)
        .filter(move |r| with_text || r.media == Media::Page)
        .map(|r| r.format)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_are_in_the_order_of_the_enum() {
        for (i, row) in FORMATS.iter().enumerate() {
            assert_eq!(row.format as usize, i, "row {} is out of place", row.key);
            assert_eq!(row.format.row().key, row.key);
        }
    }

    #[test]
    fn every_format_has_its_own_file_and_key() {
        let mut files: Vec<_> = FORMATS.iter().map(|r| r.file).collect();
        let mut keys: Vec<_> = FORMATS.iter().map(|r| r.key).collect();
        files.sort_unstable();
        files.dedup();
        keys.sort_unstable();
        keys.dedup();
        assert_eq!(files.len(), FORMATS.len());
        assert_eq!(keys.len(), FORMATS.len());
        assert_eq!(Format::PRIMARY.row().file, "index.html");
    }

    #[test]
    fn links_lead_to_a_web_page_format() {
        for row in FORMATS {
            assert_eq!(row.links_to.row().media, Media::Page, "{}", row.key);
            assert_eq!(row.links_to.links_to(), row.links_to, "{}", row.key);
        }
    }

    #[test]
    fn generated_pages_skip_easy_read_only_formats() {
        let all: Vec<_> = generated_formats(true).collect();
        assert_eq!(all, [Format::Html, Format::LargePrint, Format::PlainText]);
        let pages: Vec<_> = generated_formats(false).collect();
        assert_eq!(pages, [Format::Html, Format::LargePrint]);
    }
}
