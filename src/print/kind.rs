//! The kinds of PDF Signpost makes.

/// A kind of PDF.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PdfKind {
    LargePrint,
    BookletA4,
    BookletA5,
    /// The A5 booklet imposed on A4 landscape sheets in saddle-stitch order.
    Imposed,
}

impl PdfKind {
    pub const ALL: [PdfKind; 4] = [
        PdfKind::LargePrint,
        PdfKind::BookletA4,
        PdfKind::BookletA5,
        PdfKind::Imposed,
    ];

    /// Whether the PDF is PDF/UA-1 (all but the imposed print file).
    pub fn accessible(self) -> bool {
        self != PdfKind::Imposed
    }
}
