//! Our typst [`World`]: one generated source, pictures from memory, fonts
//! from an embedded set. No file system, no network, no packages, no clock
//! (a document's date comes from its metadata, so builds are reproducible).

use std::sync::{Arc, LazyLock};

use typst::diag::{FileError, FileResult};
use typst::foundations::{Bytes, Datetime, Duration};
use typst::syntax::{FileId, RootedPath, Source, VirtualPath, VirtualRoot};
use typst::text::{Font, FontBook};
use typst::utils::LazyHash;
use typst::{Library, LibraryExt, World};

/// The fonts PDFs are set in: the theme's first, then the built-in ones.
pub struct FontSet {
    book: LazyHash<FontBook>,
    fonts: Vec<Font>,
    /// A hash of every font file, in order, for caches of typeset PDFs.
    fingerprint: blake3::Hash,
}

impl FontSet {
    /// Fonts from files (`.ttf`, `.otf`, `.ttc`), in order of preference;
    /// files that are not fonts are skipped.
    pub fn from_files<'a>(files: impl IntoIterator<Item = (&'a str, &'a [u8])>) -> FontSet {
        let mut fonts = Vec::new();
        let mut hash = blake3::Hasher::new();
        for (name, bytes) in files {
            let lower = name.to_ascii_lowercase();
            if [".ttf", ".otf", ".ttc", ".otc"]
                .iter()
                .any(|e| lower.ends_with(e))
            {
                hash.update(name.as_bytes());
                hash.update(bytes);
                fonts.extend(Font::iter(Bytes::new(bytes.to_vec())));
            }
        }
        FontSet {
            book: LazyHash::new(FontBook::from_fonts(&fonts)),
            fonts,
            fingerprint: hash.finalize(),
        }
    }

    /// The fonts that ship in the binary (`themes/default/fonts/`).
    pub fn builtin() -> Arc<FontSet> {
        static BUILTIN: LazyLock<Arc<FontSet>> =
            LazyLock::new(|| Arc::new(FontSet::from_files(builtin_font_files())));
        BUILTIN.clone()
    }

    /// A theme's fonts (`themes/NAME/fonts/*`) before the built-in ones, so
    /// a family of the same name is the theme's.
    pub fn with_theme<'a>(theme: impl IntoIterator<Item = (&'a str, &'a [u8])>) -> FontSet {
        let mut files: Vec<(&'a str, &'a [u8])> = theme.into_iter().collect();
        for (name, bytes) in builtin_font_files() {
            files.push((name, bytes));
        }
        FontSet::from_files(files)
    }

    /// A hash of the font files, in order: a set with other fonts has
    /// another fingerprint.
    pub fn fingerprint(&self) -> blake3::Hash {
        self.fingerprint
    }

    /// Family names, sorted, for messages and tests.
    pub fn families(&self) -> Vec<String> {
        let mut names: Vec<String> = self.fonts.iter().map(|f| f.info().family.clone()).collect();
        names.sort();
        names.dedup();
        names
    }
}

fn builtin_font_files() -> impl Iterator<Item = (&'static str, &'static [u8])> {
    crate::builtin::THEME_FILES
        .iter()
        .filter(|(p, _)| p.starts_with("fonts/"))
        .copied()
}

static LIBRARY: LazyLock<LazyHash<Library>> = LazyLock::new(|| LazyHash::new(Library::default()));

/// The path of the generated main source. File ids are interned for the
/// life of the process (at most 65,535), so every document reuses the same
/// few paths: this one and `/images/N.ext`.
const MAIN: &str = "/main.typ";

pub fn file_id(path: &str) -> Option<FileId> {
    let vpath = VirtualPath::new(path).ok()?;
    Some(RootedPath::new(VirtualRoot::Project, vpath).intern())
}

/// One document's world.
pub struct PrintWorld<'a> {
    main: FileId,
    source: Source,
    fonts: &'a FontSet,
    /// Virtual files: id and bytes.
    files: Vec<(FileId, Bytes)>,
}

impl<'a> PrintWorld<'a> {
    pub fn new(source: String, files: Vec<(String, Bytes)>, fonts: &'a FontSet) -> Option<Self> {
        let main = file_id(MAIN)?;
        let files = files
            .into_iter()
            .map(|(p, b)| file_id(&p).map(|id| (id, b)))
            .collect::<Option<Vec<_>>>()?;
        Some(PrintWorld {
            main,
            source: Source::new(main, source),
            fonts,
            files,
        })
    }

    pub fn main_source(&self) -> &Source {
        &self.source
    }
}

impl World for PrintWorld<'_> {
    fn library(&self) -> &LazyHash<Library> {
        &LIBRARY
    }

    fn book(&self) -> &LazyHash<FontBook> {
        &self.fonts.book
    }

    fn main(&self) -> FileId {
        self.main
    }

    fn source(&self, id: FileId) -> FileResult<Source> {
        if id == self.main {
            Ok(self.source.clone())
        } else {
            Err(FileError::NotSource)
        }
    }

    fn file(&self, id: FileId) -> FileResult<Bytes> {
        if id == self.main {
            return Ok(Bytes::from_string(self.source.clone()));
        }
        self.files
            .iter()
            .find(|(f, _)| *f == id)
            .map(|(_, b)| b.clone())
            .ok_or_else(|| FileError::NotFound(id.vpath().get_with_slash().into()))
    }

    fn font(&self, index: usize) -> Option<Font> {
        self.fonts.fonts.get(index).cloned()
    }

    fn today(&self, _offset: Option<Duration>) -> Option<Datetime> {
        None
    }
}
