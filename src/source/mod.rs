//! Finding the sources: walk `content/` and classify every file by its name
//! (SPEC section 2): `NAME[.easy][.LANG].md` pages, `NAME[.LANG].yaml`
//! service entries, and any other file as an asset copied beside its page.

mod theme_files;

use std::path::{Path, PathBuf};

use crate::codes::Code;
use crate::config::SiteConfig;
use crate::diagnostics::{Diagnostic, Diagnostics};

pub use theme_files::ThemeFiles;

/// Which version of a page a file holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Variant {
    Standard,
    EasyRead,
}

/// What a file in `content/` is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SourceKind {
    /// A markdown page (`_index` names make section pages).
    Page { variant: Variant },
    /// A service directory entry.
    Service,
    /// Any other file: copied beside its page.
    Asset,
}

/// One file found in `content/`.
#[derive(Debug, Clone)]
pub struct SourceFile {
    /// Full path on disk.
    pub path: PathBuf,
    /// Path relative to `content/`, with `/` separators.
    pub rel: String,
    /// Folder relative to `content/` (`""` at the top).
    pub dir: String,
    /// NAME: the file name without variant, language and extension.
    pub name: String,
    /// Language code; `None` for the default language.
    pub lang: Option<String>,
    pub kind: SourceKind,
}

impl SourceFile {
    /// Path relative to the site root, for messages.
    pub fn display(&self) -> String {
        format!("content/{}", self.rel)
    }

    /// The content-relative path of the default-language standard page this
    /// file belongs to (`dir/NAME.md`).
    pub fn page_rel(&self) -> String {
        join(&self.dir, &format!("{}.md", self.name))
    }
}

pub fn join(dir: &str, name: &str) -> String {
    if dir.is_empty() {
        name.to_string()
    } else {
        format!("{dir}/{name}")
    }
}

/// Walks `content/` in a stable order. Problems with names go to `diags`.
pub fn discover(root: &Path, config: &SiteConfig, diags: &Diagnostics) -> Vec<SourceFile> {
    let content = root.join("content");
    let mut files = Vec::new();
    if !content.is_dir() {
        diags.push(
            Diagnostic::new(
                Code::SRC002,
                "there is no content/ folder",
                "create content/ with an _index.md home page",
            )
            .in_file("content"),
        );
        return files;
    }
    let walker = walkdir::WalkDir::new(&content)
        .follow_links(true)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !e.file_name().to_string_lossy().starts_with('.'));
    for entry in walker {
        let entry = match entry {
            Ok(e) => e,
            Err(e) => {
                // Symlink loops and unreadable folders: skip them, say so.
                let path = e
                    .path()
                    .map(|p| crate::diagnostics::display_path(root, p))
                    .unwrap_or_else(|| "content".into());
                let what = if e.loop_ancestor().is_some() {
                    "a symbolic link loops back to a folder that contains it; it was skipped"
                        .to_string()
                } else {
                    format!("could not read this file or folder: {e}")
                };
                diags.push(
                    Diagnostic::new(
                        Code::SRC001,
                        what,
                        "remove the link or fix the folder's permissions",
                    )
                    .with_severity(crate::diagnostics::Severity::Warning)
                    .in_file(path),
                );
                continue;
            }
        };
        if !entry.file_type().is_file() {
            continue;
        }
        let path = entry.path().to_path_buf();
        let Ok(rel) = path.strip_prefix(&content) else {
            continue;
        };
        let Some(rel) = rel.to_str().map(|s| s.replace('\\', "/")) else {
            diags.push(
                Diagnostic::new(
                    Code::SRC002,
                    "a file name is not valid Unicode",
                    "rename the file using letters, digits and hyphens",
                )
                .in_file(crate::diagnostics::display_path(root, &path)),
            );
            continue;
        };
        match classify(&rel, config) {
            Ok(f) => files.push(SourceFile { path, ..f }),
            Err(d) => diags.push(d.in_file(format!("content/{rel}"))),
        }
    }
    files
}

/// Classifies a content-relative path by its name.
pub fn classify(rel: &str, config: &SiteConfig) -> Result<SourceFile, Diagnostic> {
    let (dir, file) = match rel.rfind('/') {
        Some(i) => (&rel[..i], &rel[i + 1..]),
        None => ("", rel),
    };
    let (stem, ext) = match file.rfind('.') {
        Some(i) if i > 0 => (&file[..i], &file[i + 1..]),
        _ => (file, ""),
    };
    let kind_ext = match ext.to_ascii_lowercase().as_str() {
        "md" => Some(false),
        "yaml" | "yml" => Some(true),
        _ => None,
    };
    let base = SourceFile {
        path: PathBuf::new(),
        rel: rel.to_string(),
        dir: dir.to_string(),
        name: stem.to_string(),
        lang: None,
        kind: SourceKind::Asset,
    };
    let Some(is_service) = kind_ext else {
        return Ok(base);
    };
    let mut parts: Vec<&str> = stem.split('.').collect();
    let name = parts.remove(0).to_string();
    let mut variant = Variant::Standard;
    let mut lang = None;
    let known = |c: &str| config.language(c).is_some();
    match parts.as_slice() {
        [] => {}
        ["easy"] if !is_service => variant = Variant::EasyRead,
        [l] if known(l) => lang = Some(l.to_string()),
        ["easy", l] if !is_service && known(l) => {
            variant = Variant::EasyRead;
            lang = Some(l.to_string());
        }
        _ => {
            let listed: Vec<&str> = config.languages.iter().map(|l| l.code.as_str()).collect();
            let odd = parts.last().copied().unwrap_or_default();
            return Err(Diagnostic::new(
                Code::SRC002,
                format!(
                    "`{file}` names `{odd}`, which is not a language of this site or a known variant"
                ),
                format!(
                    "name the file NAME.md, NAME.easy.md, NAME.LANG.md or NAME.easy.LANG.md, where LANG is one of: {} (or add the language to site.yaml); avoid other dots in file names",
                    listed.join(", ")
                ),
            ));
        }
    }
    // The default language may also be written out (`x.en.md`).
    if lang.as_deref() == Some(config.default_language.as_str()) {
        lang = None;
    }
    if name.is_empty() {
        return Err(Diagnostic::new(
            Code::SRC002,
            format!("`{file}` has no name before its first dot"),
            "rename the file, for example carers.md",
        ));
    }
    Ok(SourceFile {
        name,
        lang,
        kind: if is_service {
            SourceKind::Service
        } else {
            SourceKind::Page { variant }
        },
        ..base
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostics::SourceText;

    fn config() -> SiteConfig {
        let d = Diagnostics::new();
        SiteConfig::parse(
            &SourceText::new(
                "site.yaml",
                "title: T\nlanguages:\n  - { code: en, name: English }\n  - { code: pl, name: Polski }\n",
            ),
            &d,
        )
        .unwrap()
    }

    #[test]
    fn names() {
        let c = config();
        let f = classify("a/b.easy.pl.md", &c).unwrap();
        assert_eq!(f.name, "b");
        assert_eq!(f.dir, "a");
        assert_eq!(f.lang.as_deref(), Some("pl"));
        assert_eq!(
            f.kind,
            SourceKind::Page {
                variant: Variant::EasyRead
            }
        );
        assert_eq!(classify("x.yaml", &c).unwrap().kind, SourceKind::Service);
        assert_eq!(
            classify("x.pl.yaml", &c).unwrap().lang.as_deref(),
            Some("pl")
        );
        assert_eq!(classify("a/chart.png", &c).unwrap().kind, SourceKind::Asset);
        assert_eq!(classify("x.en.md", &c).unwrap().lang, None);
    }

    #[test]
    fn unknown_language_is_an_error() {
        let e = classify("a/b.fr.md", &config()).unwrap_err();
        assert_eq!(e.code, Code::SRC002);
        assert!(e.help.contains("en, pl"));
        assert!(classify("b.easy.yaml", &config()).is_err());
    }
}
