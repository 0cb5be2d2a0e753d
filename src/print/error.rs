//! Why a PDF could not be made, with where in the source.

use std::fmt;

/// Why a PDF could not be made. Each names the source byte offset of the
/// block at fault when one is known, for a diagnostic at that line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PrintError {
    /// A picture's source was not among the [`Images`] given.
    MissingImage { src: String, offset: usize },
    /// A picture is in a format typst cannot read (PNG, JPEG, GIF, WebP
    /// and SVG can be printed).
    UnsupportedImage { src: String, offset: usize },
    /// Typst refused the document (a picture it could not decode, a
    /// PDF/UA rule).
    Typeset {
        message: String,
        hints: Vec<String>,
        offset: Option<usize>,
    },
}

impl PrintError {
    /// The source byte offset the problem is at, when known.
    pub fn offset(&self) -> Option<usize> {
        match self {
            PrintError::MissingImage { offset, .. }
            | PrintError::UnsupportedImage { offset, .. } => Some(*offset),
            PrintError::Typeset { offset, .. } => *offset,
        }
    }
}

impl fmt::Display for PrintError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PrintError::MissingImage { src, .. } => write!(
                f,
                "the picture `{src}` could not be found for the PDF; check the path"
            ),
            PrintError::UnsupportedImage { src, .. } => write!(
                f,
                "the picture `{src}` cannot be printed: use a PNG, JPEG, GIF, WebP or SVG file"
            ),
            PrintError::Typeset { message, hints, .. } => {
                write!(f, "the PDF could not be made: {message}")?;
                for h in hints {
                    write!(f, " ({h})")?;
                }
                Ok(())
            }
        }
    }
}

impl std::error::Error for PrintError {}
