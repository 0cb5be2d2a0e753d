//! The site's types: pages, their documents and variants, link targets,
//! assets, symbols and the site that holds them.

use std::collections::{BTreeMap, HashMap};
use std::path::PathBuf;
use std::sync::Arc;

use crate::config::SiteConfig;
use crate::diagnostics::{Diagnostics, SourceText};
use crate::frontmatter::FrontMatter;
use crate::markdown::{self, Markdown};
use crate::source::{SourceFile, Variant};
use crate::urls;

pub type PageId = usize;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PageKind {
    Home,
    Section,
    Regular,
}

/// Where a link or image goes, resolved once.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    /// Another page of the site (or this one), in the reader's language and format.
    Page {
        page: PageId,
        variant: Variant,
        fragment: Option<String>,
    },
    /// A heading on the same page.
    Fragment(String),
    /// A file copied from `content/`, as an output path (`a/chart.svg`).
    Asset(String),
    /// A service directory entry, by its content path (`services/x.yaml`):
    /// its page's address is the directory's to give.
    Service(String),
    /// A picture from the symbol set.
    Symbol(String),
    /// A web, mail or phone address.
    External(String),
    /// An address that is not allowed (javascript:, data:...): the link is dropped.
    Removed,
}

/// One source file of a page: a language and a variant of it.
#[derive(Debug, Clone)]
pub struct Doc {
    pub file: Arc<SourceText>,
    pub source: SourceFile,
    pub lang: String,
    pub variant: Variant,
    pub front: FrontMatter,
    pub body: Markdown,
    /// Where each of `body.links` goes.
    pub targets: Vec<Target>,
}

impl Doc {
    /// The body's events, parsed again from the source text (the model
    /// keeps only what the rest of the site needs; see [`markdown`]).
    /// Problems were reported by the first parse.
    pub fn events(&self) -> markdown::Events<'_> {
        let text = self.file.text.get(self.body.body_offset..).unwrap_or("");
        markdown::parse(&self.file, text, self.body.body_offset, &Diagnostics::new()).1
    }
}

/// A page with all its versions.
#[derive(Debug)]
pub struct Page {
    /// `dir/NAME.md` of the default-language standard source.
    pub key: String,
    pub kind: PageKind,
    /// Output folder, relative, ending in `/` (`""` for the home page).
    pub path: String,
    pub parent: Option<PageId>,
    /// Pages of a section, in order (weight, then title).
    pub children: Vec<PageId>,
    /// Versions by (variant, language).
    pub docs: BTreeMap<(Variant, String), Box<Doc>>,
}

impl Page {
    /// The default-language standard version (always present).
    pub fn main(&self, default_lang: &str) -> &Doc {
        self.docs
            .get(&(Variant::Standard, default_lang.to_string()))
            .or_else(|| self.docs.values().next())
            .unwrap_or_else(|| unreachable!("a page always has its default document"))
    }

    /// The version to show in `lang`, and whether it is a fallback.
    pub fn doc_for(
        &self,
        variant: Variant,
        lang: &str,
        default_lang: &str,
    ) -> Option<(&Doc, bool)> {
        if let Some(d) = self.docs.get(&(variant, lang.to_string())) {
            return Some((d, false));
        }
        self.docs
            .get(&(variant, default_lang.to_string()))
            .map(|d| (&**d, lang != default_lang))
    }

    pub fn has_variant(&self, variant: Variant, default_lang: &str) -> bool {
        self.docs.contains_key(&(variant, default_lang.to_string()))
    }
}

/// A file copied to the output as it is.
#[derive(Debug, Clone)]
pub struct Asset {
    pub source: PathBuf,
    /// Output path, relative.
    pub out: String,
}

/// An easy-read picture.
#[derive(Debug, Clone)]
pub struct Symbol {
    pub svg: Arc<Vec<u8>>,
    /// Default alt text, in English.
    pub alt: String,
}

/// What extensions add to the model, one value of each type (the service
/// directory keeps its directories here); see `render::extension`.
#[derive(Default)]
pub struct Extras(Vec<Box<dyn std::any::Any + Send + Sync>>);

impl Extras {
    /// Keeps `value`, replacing an earlier value of its type.
    pub fn insert<T: std::any::Any + Send + Sync>(&mut self, value: T) {
        self.0.retain(|v| !v.is::<T>());
        self.0.push(Box::new(value));
    }

    /// The value of type `T`, if an extension added one.
    pub fn get<T: std::any::Any>(&self) -> Option<&T> {
        self.0.iter().find_map(|v| v.downcast_ref())
    }
}

impl std::fmt::Debug for Extras {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Extras({} values)", self.0.len())
    }
}

/// The whole site, ready to render.
#[derive(Debug)]
pub struct Site {
    pub root: PathBuf,
    pub config: SiteConfig,
    pub pages: Vec<Page>,
    pub assets: Vec<Asset>,
    pub symbols: BTreeMap<String, Symbol>,
    /// Service entry files found in `content/`, for the directory.
    pub service_files: Vec<SourceFile>,
    /// Service directories: sections whose folder holds service entries.
    pub extras: Extras,
    /// Output folders of entries an extension publishes, by content path
    /// (`services/x.yaml` -> `services/x/`): where [`Target::Service`] leads.
    pub addresses: HashMap<String, String>,
    /// Include draft pages.
    pub drafts: bool,
}

impl Site {
    pub fn default_lang(&self) -> &str {
        &self.config.default_language
    }

    /// Language prefix of output paths (`None` for the default language).
    pub fn lang_prefix<'a>(&self, lang: &'a str) -> Option<&'a str> {
        (lang != self.config.default_language).then_some(lang)
    }

    /// The folder of a language's files: `pl/`, or `` for the default language.
    pub fn lang_dir(&self, lang: &str) -> String {
        self.lang_prefix(lang)
            .map(|l| format!("{l}/"))
            .unwrap_or_default()
    }

    /// A file (`rest`, from the site's root) in a language's folder.
    pub fn lang_file(&self, lang: &str, rest: &str) -> String {
        format!("{}{rest}", self.lang_dir(lang))
    }

    /// Output path of a page in a language, variant and format.
    pub fn page_file(
        &self,
        page: PageId,
        lang: &str,
        variant: Variant,
        format: urls::Format,
    ) -> String {
        let dir = urls::page_dir(self.lang_prefix(lang), &self.pages[page].path, variant);
        urls::file_in(&dir, format)
    }

    /// The address to link to a page with (root-relative, with the base path).
    pub fn page_href(
        &self,
        page: PageId,
        lang: &str,
        variant: Variant,
        format: urls::Format,
    ) -> String {
        urls::href_of_file(
            &self.config.base_path(),
            &self.page_file(page, lang, variant, format),
        )
    }

    /// The full address of an output file (`https://host/path/`).
    pub fn absolute(&self, file: &str) -> String {
        let file = file.strip_suffix("index.html").unwrap_or(file);
        format!("{}{}", self.config.absolute_base(), urls::encode_path(file))
    }

    pub fn home(&self) -> Option<PageId> {
        self.pages.iter().position(|p| p.kind == PageKind::Home)
    }

    /// Ancestors of a page, from the home page down (not the page itself).
    pub fn ancestors(&self, page: PageId) -> Vec<PageId> {
        let mut chain = Vec::new();
        let mut at = self.pages[page].parent;
        while let Some(p) = at {
            if chain.contains(&p) {
                break;
            }
            chain.push(p);
            at = self.pages[p].parent;
        }
        chain.reverse();
        chain
    }
}
