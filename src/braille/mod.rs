//! Braille files (`.brf`) of a print document, translated by liblouis.
//!
//! Translation is liblouis's `lou_translate` program (Debian's
//! `liblouis-bin`), run as a subprocess: one call a document, one line of
//! print a line of input. Its output is asked for as Unicode braille
//! (`unicode.dis`, `ru-unicode.dis` for Ukrainian) whatever the table, and turned into North American
//! Braille ASCII here, so every language's file is the same BRF encoding.
//!
//! Layout follows braille transcribers' conventions (BANA Braille Formats,
//! UKAAF): pages of 40 cells by 25 lines, the braille page number at the
//! bottom right of every page, main headings centred, a blank line before
//! each heading (none at the top of a page), minor headings at cell 5,
//! paragraphs at cell 3 with runover at cell 1, list items at cell 1 with
//! runover at cell 3 (two cells deeper a level), a heading never alone at
//! the foot of a page, and a form feed after each page.

mod ascii;
mod layout;

use std::ffi::OsString;
use std::fmt;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use crate::print::PrintDoc;

pub use ascii::{to_ascii, to_unicode};
pub use layout::{CELLS, LINES, Line, Style, layout_doc, paginate};

/// The liblouis table for a language: Unified English Braille grade 2 for
/// English, each language's own table for the others.
pub fn table_for(lang: &str) -> Option<&'static str> {
    Some(match lang.split(['-', '_']).next().unwrap_or("") {
        "en" => "en-ueb-g2.ctb",
        // Welsh contracted (grade 2) braille, as RNIB transcribes Welsh.
        "cy" => "cy-cy-g2.ctb",
        "pl" => "Pl-Pl-g1.utb",
        "ro" => "ro.ctb",
        "uk" => "uk.utb",
        "ar" => "ar-ar-g1.utb",
        "ur" => "ur-pk-g1.utb",
        // Bharati braille for Nepali: `ne.ctb` leaves vowel signs such as
        // U+0940 untranslated.
        "ne" => "np-in-g1.utb",
        _ => return None,
    })
}

/// The display table that turns a table's cells into Unicode braille.
/// liblouis's Russian-based tables (Ukrainian includes `ru-litbrl.ctb`)
/// mark their Cyrillic cells with the virtual dot 9, which `unicode.dis`
/// cannot show: with it, `uk.utb` passes і, ї, є and ґ through as print.
/// `ru-unicode.dis` drops dot 9, giving і ⠽, ї ⠹, є ⠜ and ґ ⠻.
pub fn display_for(table: &str) -> &'static str {
    if table.starts_with("uk") || table.starts_with("ru") {
        "ru-unicode.dis"
    } else {
        "unicode.dis"
    }
}

/// Why braille could not be made.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BrailleError {
    /// `lou_translate` is not installed.
    Missing,
    /// No braille table is known for the language.
    UnknownLanguage { lang: String },
    /// `lou_translate` ran but failed (a table missing or broken).
    Failed { table: String, message: String },
    /// liblouis passed a character through as print instead of braille.
    Untranslated { table: String, character: char },
}

impl fmt::Display for BrailleError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            BrailleError::Missing => write!(
                f,
                "braille needs liblouis's `lou_translate` program, which is not installed; \
                 install it with `apt-get install liblouis-bin` (Debian and Ubuntu), \
                 `dnf install liblouis-utils` (Fedora) or `brew install liblouis` (macOS)"
            ),
            BrailleError::UnknownLanguage { lang } => write!(
                f,
                "no braille table is known for the language `{lang}`; braille is made for \
                 en, cy, pl, ro, uk, ar, ur and ne"
            ),
            BrailleError::Failed { table, message } => write!(
                f,
                "liblouis could not translate with the table `{table}`: {message}; \
                 check that `apt-get install liblouis-data` installed its tables"
            ),
            BrailleError::Untranslated { table, character } => write!(
                f,
                "liblouis left the character `{character}` (U+{:04X}) as print, not braille, \
                 with the table `{table}`; the braille file would have a blank cell there. \
                 Report it to Signpost with the language and the character",
                *character as u32
            ),
        }
    }
}

impl std::error::Error for BrailleError {}

/// The liblouis translator program.
#[derive(Debug, Clone)]
pub struct Louis {
    program: PathBuf,
    /// The first line of `lou_translate --version` (`lou_translate
    /// (Liblouis) 3.24.0`): a new liblouis may translate differently, so
    /// cached braille is keyed by it.
    version: String,
}

impl Louis {
    /// Finds `lou_translate` on the `PATH`.
    pub fn find() -> Result<Louis, BrailleError> {
        Louis::find_in(std::env::var_os("PATH").unwrap_or_default())
    }

    /// Finds `lou_translate` in a `PATH`-style list of folders.
    pub fn find_in(path: OsString) -> Result<Louis, BrailleError> {
        std::env::split_paths(&path)
            .map(|dir| dir.join("lou_translate"))
            .find(|p| p.is_file())
            .map(|program| {
                let version = Command::new(&program)
                    .arg("--version")
                    .stdin(Stdio::null())
                    .stderr(Stdio::null())
                    .output()
                    .map(|o| {
                        let text = String::from_utf8_lossy(&o.stdout);
                        text.lines().next().unwrap_or("").trim().to_string()
                    })
                    .unwrap_or_default();
                Louis { program, version }
            })
            .ok_or(BrailleError::Missing)
    }

    pub fn program(&self) -> &Path {
        &self.program
    }

    /// The first line of `lou_translate --version`.
    pub fn version(&self) -> &str {
        &self.version
    }

    /// Translates lines of print to lines of Unicode braille, one for one.
    /// A character left as print is an error, not a silent blank cell.
    pub fn translate(&self, table: &str, lines: &[String]) -> Result<Vec<String>, BrailleError> {
        let out = self.run(table, "--forward", lines)?;
        let print = out
            .iter()
            .flat_map(|l| l.chars())
            .find(|c| !c.is_whitespace() && !('\u{2800}'..='\u{28ff}').contains(c));
        match print {
            Some(character) => Err(BrailleError::Untranslated {
                table: table.to_string(),
                character,
            }),
            None => Ok(out),
        }
    }

    /// Translates lines of Unicode braille back to print.
    pub fn back_translate(
        &self,
        table: &str,
        lines: &[String],
    ) -> Result<Vec<String>, BrailleError> {
        self.run(table, "--backward", lines)
    }

    fn run(
        &self,
        table: &str,
        direction: &str,
        lines: &[String],
    ) -> Result<Vec<String>, BrailleError> {
        if lines.is_empty() {
            return Ok(Vec::new());
        }
        let failed = |message: String| BrailleError::Failed {
            table: table.to_string(),
            message,
        };
        let mut child = Command::new(&self.program)
            .arg(direction)
            .arg(format!("{},{table}", display_for(table)))
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .map_err(|e| match e.kind() {
                std::io::ErrorKind::NotFound => BrailleError::Missing,
                _ => failed(e.to_string()),
            })?;
        let mut input = String::new();
        for line in lines {
            // One line of input is one line of output: no line breaks inside.
            input.extend(
                line.chars()
                    .map(|c| if c == '\n' || c == '\r' { ' ' } else { c }),
            );
            input.push('\n');
        }
        // Write from another thread so a full stdout pipe cannot deadlock us.
        let mut stdin = child.stdin.take();
        let writer = std::thread::spawn(move || {
            if let Some(s) = stdin.as_mut() {
                let _ = s.write_all(input.as_bytes());
            }
        });
        let output = child
            .wait_with_output()
            .map_err(|e| failed(e.to_string()))?;
        let _ = writer.join();
        let stdout = String::from_utf8_lossy(&output.stdout);
        let out: Vec<String> = stdout.lines().map(str::to_string).collect();
        if !output.status.success() || out.len() != lines.len() {
            let stderr = String::from_utf8_lossy(&output.stderr);
            let message = stderr.lines().next().unwrap_or("no output").to_string();
            return Err(failed(message));
        }
        Ok(out)
    }
}

/// A document as a `.brf` file: Braille ASCII, CR LF line ends, a form
/// feed after each page.
pub fn render_brf(doc: &PrintDoc, louis: &Louis) -> Result<String, BrailleError> {
    let table = table_for(&doc.lang).ok_or_else(|| BrailleError::UnknownLanguage {
        lang: doc.lang.clone(),
    })?;
    let items = layout::items(doc);
    let texts: Vec<String> = items.iter().map(|i| i.text.clone()).collect();
    let braille = louis.translate(table, &texts)?;
    let lines = layout_doc(&items, &braille);
    let pages = paginate(&lines);
    let mut out = String::new();
    for page in pages {
        for line in page {
            out.push_str(line.trim_end());
            out.push_str("\r\n");
        }
        out.push('\u{c}');
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ascii_table_round_trips_and_matches_liblouis_ascii() {
        // ⠠⠓⠑⠇⠇⠕ is ",hello" in Braille ASCII.
        assert_eq!(to_ascii("⠠⠓⠑⠇⠇⠕⠀⠼⠁"), ",HELLO #A");
        for i in 0..64u32 {
            let c = char::from_u32(0x2800 + i).unwrap_or(' ').to_string();
            assert_eq!(to_unicode(&to_ascii(&c)), c);
        }
    }

    #[test]
    fn missing_liblouis_says_how_to_install_it() {
        let err = Louis::find_in(OsString::from("/nonexistent")).unwrap_err();
        assert_eq!(err, BrailleError::Missing);
        assert!(err.to_string().contains("apt-get install liblouis-bin"));
    }

    #[test]
    fn every_built_in_language_has_a_table() {
        for lang in ["en", "cy", "pl", "ro", "uk", "ar", "ur", "ne"] {
            let table = table_for(lang).unwrap_or("none");
            assert!(
                Path::new("/usr/share/liblouis/tables")
                    .join(table)
                    .is_file()
                    || !Path::new("/usr/share/liblouis/tables").is_dir(),
                "{lang}: {table}"
            );
        }
        assert_eq!(table_for("fr"), None);
    }
}
