//! The typed site: every page with its variants and languages, sections,
//! resolved links, assets and symbols. Built once from the sources; all
//! renderers read it and none goes back to the files.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;

use crate::codes::Code;
use crate::config::SiteConfig;
use crate::diagnostics::{Diagnostic, Diagnostics, SourceText};
use crate::frontmatter::{self, FrontMatter};
use crate::markdown::{self, Markdown};
use crate::source::{self, SourceFile, SourceKind, Variant};
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

/// A markdown file read and parsed, before pages are formed. Public so
/// that `serve` can keep parsed files between rebuilds ([`build_with`]).
#[derive(Debug, Clone)]
pub struct Parsed {
    pub source: SourceFile,
    pub file: Arc<SourceText>,
    pub front: FrontMatter,
    pub body: Markdown,
    pub variant: Variant,
}

/// Reads a text file: UTF-8 only, BOM removed, not empty.
pub fn read_text(path: &Path, display: &str) -> Result<String, Diagnostic> {
    let bytes = std::fs::read(path).map_err(|e| {
        Diagnostic::new(
            Code::SRC001,
            format!("could not read the file: {e}"),
            "check the file exists and can be read",
        )
        .in_file(display)
    })?;
    let text = String::from_utf8(bytes).map_err(|e| {
        let at = e.utf8_error().valid_up_to();
        let (line, column) = crate::diagnostics::byte_position(e.as_bytes(), at);
        let utf16 =
            e.as_bytes().starts_with(&[0xff, 0xfe]) || e.as_bytes().starts_with(&[0xfe, 0xff]);
        let mut d = Diagnostic::new(
            Code::SRC001,
            if utf16 {
                "the file is UTF-16 text, not UTF-8".to_string()
            } else {
                format!("the file is not UTF-8 text (bad byte at line {line}, column {column})")
            },
            "open the file in your editor and save it again with the UTF-8 encoding",
        )
        .in_file(display);
        d.line = Some(line);
        d.column = Some(column);
        d
    })?;
    let text = text
        .strip_prefix('\u{feff}')
        .map(String::from)
        .unwrap_or(text);
    if text.trim().is_empty() {
        return Err(Diagnostic::new(
            Code::SRC006,
            "the file is empty",
            "add front matter (title and summary) and the page's text, or delete the file",
        )
        .in_file(display));
    }
    Ok(text)
}

/// Reads and parses one markdown source; problems go to `diags`.
pub fn parse_page(source: SourceFile, variant: Variant, diags: &Diagnostics) -> Option<Parsed> {
    let display = source.display();
    let text = match read_text(&source.path, &display) {
        Ok(t) => t,
        Err(d) => {
            diags.push(d);
            return None;
        }
    };
    let file = Arc::new(SourceText::new(display, text));
    let split = match frontmatter::split(&file, &file.text) {
        Ok(s) => s,
        Err(d) => {
            diags.push_with_source(d, &file);
            return None;
        }
    };
    let front = match frontmatter::parse(&file, &split) {
        Ok(f) => f,
        Err(d) => {
            diags.push_with_source(d, &file);
            return None;
        }
    };
    let body_offset = split.body_offset;
    let (body, _events) = markdown::parse(&file, split.body, body_offset, diags);
    Some(Parsed {
        source,
        file: file.clone(),
        front,
        body,
        variant,
    })
}

/// Loads the symbol set: the theme's, then the site's own `symbols/`.
fn load_symbols(root: &Path, config: &SiteConfig, diags: &Diagnostics) -> BTreeMap<String, Symbol> {
    let theme = crate::theme::ThemeFiles::load(root, config);
    let mut alts: BTreeMap<String, String> = BTreeMap::new();
    let mut symbols = BTreeMap::new();
    for (path, bytes) in theme.under("symbols/") {
        if let Some(name) = path
            .strip_prefix("symbols/")
            .and_then(|p| p.strip_suffix(".svg"))
        {
            symbols.insert(
                name.to_string(),
                Symbol {
                    svg: bytes.clone(),
                    alt: String::new(),
                },
            );
        } else if path.ends_with("symbols.yaml") {
            if let Ok(map) = serde_yaml::from_slice::<BTreeMap<String, String>>(bytes) {
                alts.extend(map);
            } else {
                diags.push(
                    Diagnostic::new(
                        Code::THEME001,
                        "symbols.yaml is not a list of `name: alt text`",
                        "write one `name: description` per line",
                    )
                    .in_file(path.to_string()),
                );
            }
        }
    }
    let site_dir = root.join("symbols");
    if let Ok(entries) = std::fs::read_dir(&site_dir) {
        let mut entries: Vec<_> = entries.filter_map(Result::ok).map(|e| e.path()).collect();
        entries.sort();
        for p in entries {
            let name = p
                .file_stem()
                .map(|s| s.to_string_lossy().to_string())
                .unwrap_or_default();
            match p.extension().and_then(|e| e.to_str()) {
                Some("svg") => {
                    if let Ok(bytes) = std::fs::read(&p) {
                        symbols.insert(
                            name,
                            Symbol {
                                svg: Arc::new(bytes),
                                alt: String::new(),
                            },
                        );
                    }
                }
                Some("yaml") => {
                    if let Ok(map) = std::fs::read(&p)
                        .ok()
                        .and_then(|b| serde_yaml::from_slice::<BTreeMap<String, String>>(&b).ok())
                        .ok_or(())
                    {
                        alts.extend(map);
                    }
                }
                _ => {}
            }
        }
    }
    for (name, sym) in symbols.iter_mut() {
        sym.alt = alts
            .get(name)
            .cloned()
            .unwrap_or_else(|| name.replace('-', " "));
    }
    symbols
}

/// Builds the model. Every problem goes to `diags`; the model is returned
/// even when there are errors (so `check` can report everything at once).
pub fn build(root: &Path, config: SiteConfig, drafts: bool, diags: &Diagnostics) -> Site {
    build_with(root, config, drafts, diags, &parse_page)
}

/// How [`build_with`] reads a markdown source: [`parse_page`], or `serve`'s
/// cache in front of it (parsing only files that changed).
pub type ParseFn<'a> = &'a (dyn Fn(SourceFile, Variant, &Diagnostics) -> Option<Parsed> + Sync);

/// [`build`], with the markdown sources read through `parse`.
pub fn build_with(
    root: &Path,
    config: SiteConfig,
    drafts: bool,
    diags: &Diagnostics,
    parse: ParseFn<'_>,
) -> Site {
    let files = source::discover(root, &config, diags);
    let symbols = load_symbols(root, &config, diags);
    let default_lang = config.default_language.clone();

    let mut md_files = Vec::new();
    let mut assets = Vec::new();
    let mut service_files = Vec::new();
    for f in files {
        match f.kind {
            SourceKind::Page { variant } => md_files.push((f, variant)),
            SourceKind::Service => service_files.push(f),
            SourceKind::Asset => assets.push(f),
        }
    }

    let parsed: Vec<Parsed> = md_files
        .into_par_iter()
        .filter_map(|(f, v)| parse(f, v, diags))
        .collect();

    // Group versions under their default-language standard page.
    let mut groups: BTreeMap<String, Vec<Parsed>> = BTreeMap::new();
    for p in parsed {
        groups.entry(p.source.page_rel()).or_default().push(p);
    }
    let mut pages: Vec<Page> = Vec::new();
    for (key, versions) in groups {
        let has_main = versions
            .iter()
            .any(|p| p.variant == Variant::Standard && p.source.lang.is_none());
        if !has_main {
            for p in &versions {
                diags.push(
                    Diagnostic::new(
                        Code::SRC003,
                        format!("there is no page `content/{key}` for this version to belong to"),
                        format!(
                            "create content/{key} in {} first, or rename this file to match an existing page",
                            config.default_lang().name
                        ),
                    )
                    .in_file(p.source.display()),
                );
            }
            continue;
        }
        if versions
            .iter()
            .any(|p| p.variant == Variant::EasyRead && p.source.lang.is_some())
            && !versions
                .iter()
                .any(|p| p.variant == Variant::EasyRead && p.source.lang.is_none())
        {
            for p in versions.iter().filter(|p| p.variant == Variant::EasyRead) {
                diags.push(
                    Diagnostic::new(
                        Code::SRC003,
                        "this translated easy-read page has no easy-read page in the default language",
                        format!("create the easy-read page {} first", key.replace(".md", ".easy.md")),
                    )
                    .in_file(p.source.display()),
                );
            }
        }
        let main_draft = versions
            .iter()
            .find(|p| p.variant == Variant::Standard && p.source.lang.is_none())
            .map(|p| p.front.draft)
            .unwrap_or(false);
        if main_draft && !drafts {
            continue;
        }
        let name = key
            .rsplit('/')
            .next()
            .unwrap_or(&key)
            .trim_end_matches(".md")
            .to_string();
        let kind = match (name.as_str(), key.contains('/')) {
            ("_index", false) => PageKind::Home,
            ("_index", true) => PageKind::Section,
            _ => PageKind::Regular,
        };
        let mut docs = BTreeMap::new();
        for p in versions {
            if p.front.draft && !drafts {
                continue;
            }
            let lang = p
                .source
                .lang
                .clone()
                .unwrap_or_else(|| default_lang.clone());
            // Boxed: a map node holds eleven values, and a Doc is big.
            docs.insert(
                (p.variant, lang.clone()),
                Box::new(Doc {
                    file: p.file,
                    lang,
                    variant: p.variant,
                    front: p.front,
                    body: p.body,
                    targets: Vec::new(),
                    source: p.source,
                }),
            );
        }
        pages.push(Page {
            key,
            kind,
            path: String::new(),
            parent: None,
            children: Vec::new(),
            docs,
        });
    }

    assign_paths(&mut pages, &default_lang, diags);
    check_output_paths(&pages, &config, diags);
    link_sections(&mut pages, &default_lang);

    let key_index: HashMap<String, PageId> = pages
        .iter()
        .enumerate()
        .map(|(i, p)| (p.key.clone(), i))
        .collect();
    let asset_list: Vec<Asset> = assets
        .into_iter()
        .map(|f| {
            let out = asset_out_path(&pages, &key_index, &f, &default_lang);
            if !crate::output::is_inside(&out) {
                diags.push(
                    Diagnostic::new(
                        Code::SRC005,
                        format!(
                            "`{}` gives no web address: a folder's name has no letters or digits",
                            f.display()
                        ),
                        "rename the folder using letters, digits and hyphens",
                    )
                    .in_file(f.display()),
                );
            }
            Asset {
                source: f.path,
                out,
            }
        })
        .collect();

    let mut site = Site {
        root: root.to_path_buf(),
        config,
        pages,
        assets: asset_list,
        symbols,
        service_files,
        extras: Extras::default(),
        addresses: HashMap::new(),
        drafts,
    };
    resolve_links(&mut site, diags);
    site
}

/// Output folder of the folder `dir` of `content/`, following section slugs.
fn folder_path(
    pages: &[Page],
    index: &HashMap<String, PageId>,
    dir: &str,
    default_lang: &str,
) -> String {
    if dir.is_empty() {
        return String::new();
    }
    let (parent, name) = match dir.rfind('/') {
        Some(i) => (&dir[..i], &dir[i + 1..]),
        None => ("", dir),
    };
    let seg = index
        .get(&format!("{dir}/_index.md"))
        .and_then(|id| pages[*id].main(default_lang).front.slug.clone())
        .unwrap_or_else(|| urls::segment_from_name(name));
    format!("{}{seg}/", folder_path(pages, index, parent, default_lang))
}

fn assign_paths(pages: &mut [Page], default_lang: &str, diags: &Diagnostics) {
    let index: HashMap<String, PageId> = pages
        .iter()
        .enumerate()
        .map(|(i, p)| (p.key.clone(), i))
        .collect();
    let mut paths = Vec::with_capacity(pages.len());
    for page in pages.iter() {
        let main = page.main(default_lang);
        for doc in page.docs.values() {
            if let Some(slug) = &doc.front.slug
                && !urls::is_safe_slug(slug)
            {
                let split = frontmatter::split(&doc.file, &doc.file.text).ok();
                let offset = split
                    .map(|s| frontmatter::key_offset(&s, "slug"))
                    .unwrap_or(0);
                diags.push_with_source(
                    Diagnostic::new(
                        Code::SRC005,
                        format!("the slug `{slug}` is not safe in a web address"),
                        "use lowercase letters, digits and hyphens only, for example `direct-payments`",
                    )
                    .at(&doc.file, offset),
                    &doc.file,
                );
            }
        }
        let dir = &main.source.dir;
        let path = match page.kind {
            PageKind::Home => String::new(),
            PageKind::Section => folder_path(pages, &index, dir, default_lang),
            PageKind::Regular => {
                let seg = main
                    .front
                    .slug
                    .clone()
                    .filter(|s| urls::is_safe_slug(s))
                    .unwrap_or_else(|| urls::segment_from_name(&main.source.name));
                format!("{}{seg}/", folder_path(pages, &index, dir, default_lang))
            }
        };
        paths.push(path);
    }
    for (page, path) in pages.iter_mut().zip(paths) {
        page.path = path;
    }
}

/// Offset of a front matter key in a document (its start when absent).
fn key_offset(doc: &Doc, key: &str) -> usize {
    frontmatter::split(&doc.file, &doc.file.text)
        .ok()
        .map(|s| frontmatter::key_offset(&s, key))
        .unwrap_or(0)
}

/// Addresses that cannot be written (a name with nothing to make a web
/// address from) and two sources for one address (two pages, a page and an
/// alias, two aliases), each reported at the file (and the `slug:` or
/// `aliases:` line) that causes it.
fn check_output_paths(pages: &[Page], config: &SiteConfig, diags: &Diagnostics) {
    let dl = config.default_language.as_str();
    // Output folder -> the page that is published there.
    let mut owners: HashMap<String, PageId> = HashMap::new();
    let mut reported: BTreeSet<(PageId, PageId)> = BTreeSet::new();
    for (id, page) in pages.iter().enumerate() {
        let main = page.main(dl);
        if page.kind != PageKind::Home
            && (page.path.starts_with('/')
                || page
                    .path
                    .trim_end_matches('/')
                    .split('/')
                    .any(str::is_empty))
        {
            diags.push(
                Diagnostic::new(
                    Code::SRC005,
                    format!("`{}` gives no web address: its name, or a folder's, has no letters or digits", main.source.display()),
                    "rename the file or folder using letters, digits and hyphens, or give the page a `slug:`",
                )
                .in_file(main.source.display()),
            );
            continue;
        }
        for variant in [Variant::Standard, Variant::EasyRead] {
            if !page.has_variant(variant, dl) {
                continue;
            }
            for lang in &config.languages {
                let prefix = (lang.code != dl).then_some(lang.code.as_str());
                let dir = urls::page_dir(prefix, &page.path, variant);
                let Some(&other) = owners.get(&dir) else {
                    owners.insert(dir, id);
                    continue;
                };
                if other == id || !reported.insert((other, id)) {
                    continue;
                }
                // Report at the page that chose its address with a slug, if either did.
                let (culprit, first) =
                    if main.front.slug.is_none() && pages[other].main(dl).front.slug.is_some() {
                        (pages[other].main(dl), main)
                    } else {
                        (main, pages[other].main(dl))
                    };
                let d = Diagnostic::new(
                    Code::SRC004,
                    format!(
                        "`{}` and `{}` would both be published at /{dir}",
                        culprit.source.display(),
                        first.source.display()
                    ),
                    "give one of the pages a different `slug:` or file name",
                );
                match culprit.front.slug {
                    Some(_) => diags.push_with_source(
                        d.at(&culprit.file, key_offset(culprit, "slug")),
                        &culprit.file,
                    ),
                    None => diags.push(d.in_file(culprit.source.display())),
                }
            }
        }
    }
    let mut aliases: HashMap<String, String> = HashMap::new();
    for page in pages {
        for doc in page.docs.values() {
            for alias in &doc.front.aliases {
                let Some(dir) = urls::safe_alias(alias) else {
                    continue;
                };
                let clash = match owners.get(&dir) {
                    Some(&owner) => Some(format!(
                        "the address of `{}`",
                        pages[owner].main(dl).source.display()
                    )),
                    None => aliases
                        .get(&dir)
                        .map(|other| format!("also an alias in `{other}`")),
                };
                match clash {
                    Some(what) => diags.push_with_source(
                        Diagnostic::new(
                            Code::SRC004,
                            format!("the alias `{alias}` is {what}"),
                            "remove the alias, or move the page it clashes with",
                        )
                        .at(&doc.file, key_offset(doc, "aliases")),
                        &doc.file,
                    ),
                    None => {
                        aliases.insert(dir, doc.source.display());
                    }
                }
            }
        }
    }
}

fn link_sections(pages: &mut [Page], default_lang: &str) {
    let index: HashMap<String, PageId> = pages
        .iter()
        .enumerate()
        .map(|(i, p)| (p.key.clone(), i))
        .collect();
    let section_of = |dir: &str| -> Option<PageId> {
        let mut d = dir.to_string();
        loop {
            let key = source::join(&d, "_index.md");
            if let Some(id) = index.get(&key) {
                return Some(*id);
            }
            if d.is_empty() {
                return None;
            }
            d = d.rfind('/').map(|i| d[..i].to_string()).unwrap_or_default();
        }
    };
    let mut parents = Vec::with_capacity(pages.len());
    for page in pages.iter() {
        let dir = page.main(default_lang).source.dir.clone();
        let parent = match page.kind {
            PageKind::Home => None,
            PageKind::Section => {
                let up = dir
                    .rfind('/')
                    .map(|i| dir[..i].to_string())
                    .unwrap_or_default();
                section_of(&up)
            }
            PageKind::Regular => section_of(&dir),
        };
        parents.push(parent);
    }
    for (i, parent) in parents.iter().enumerate() {
        pages[i].parent = *parent;
        if let Some(p) = parent {
            pages[*p].children.push(i);
        }
    }
    let order: Vec<(Option<i64>, String)> = pages
        .iter()
        .map(|p| {
            let m = p.main(default_lang);
            (m.front.weight, m.front.title.to_lowercase())
        })
        .collect();
    for page in pages.iter_mut() {
        page.children.sort_by(|a, b| {
            let (wa, ta) = &order[*a];
            let (wb, tb) = &order[*b];
            (wa.unwrap_or(i64::MAX), ta).cmp(&(wb.unwrap_or(i64::MAX), tb))
        });
    }
}

/// Output path of a file copied from `content/`: beside its page, in the
/// folder's output path (which follows section slugs).
fn asset_out_path(
    pages: &[Page],
    index: &HashMap<String, PageId>,
    f: &SourceFile,
    default_lang: &str,
) -> String {
    let file = f.rel.rsplit('/').next().unwrap_or(&f.rel);
    format!("{}{file}", folder_path(pages, index, &f.dir, default_lang))
}

/// Normalises `a/./b/../c` to `a/c`; `None` when it climbs above the root.
pub fn normalise(path: &str) -> Option<String> {
    let mut parts: Vec<&str> = Vec::new();
    for seg in path.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            s => parts.push(s),
        }
    }
    Some(parts.join("/"))
}

fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%'
            && i + 2 < bytes.len()
            && bytes[i + 1].is_ascii_hexdigit()
            && bytes[i + 2].is_ascii_hexdigit()
            && let Ok(b) = u8::from_str_radix(&s[i + 1..i + 3], 16)
        {
            out.push(b);
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8(out).unwrap_or_else(|_| s.to_string())
}

/// Resolves every link and image of every document.
fn resolve_links(site: &mut Site, diags: &Diagnostics) {
    let default_lang = site.config.default_language.clone();
    // Known targets.
    let mut by_key: HashMap<String, PageId> = HashMap::new();
    let mut by_path: HashMap<String, PageId> = HashMap::new();
    for (i, p) in site.pages.iter().enumerate() {
        by_key.insert(p.key.clone(), i);
        by_path.insert(p.path.clone(), i);
    }
    let asset_by_rel: HashMap<String, String> = site
        .assets
        .iter()
        .filter_map(|a| {
            a.source
                .strip_prefix(site.root.join("content"))
                .ok()
                .map(|r| (r.to_string_lossy().replace('\\', "/"), a.out.clone()))
        })
        .collect();
    let services: BTreeSet<String> = site.service_files.iter().map(|f| f.rel.clone()).collect();
    let headings: Vec<BTreeMap<(Variant, String), BTreeSet<String>>> = site
        .pages
        .iter()
        .map(|p| {
            p.docs
                .iter()
                .map(|(k, d)| {
                    (
                        k.clone(),
                        d.body.headings.iter().map(|h| h.id.clone()).collect(),
                    )
                })
                .collect()
        })
        .collect();
    let config = &site.config;
    let symbols = &site.symbols;

    type DocTargets = Vec<((Variant, String), Vec<Target>)>;
    let results: Vec<DocTargets> = site
        .pages
        .par_iter()
        .enumerate()
        .map(|(page_id, page)| {
            page.docs
                .iter()
                .map(|(k, doc)| {
                    let targets = doc
                        .body
                        .links
                        .iter()
                        .map(|l| {
                            let ctx = ResolveCtx {
                                page_id,
                                doc,
                                by_key: &by_key,
                                by_path: &by_path,
                                assets: &asset_by_rel,
                                services: &services,
                                headings: &headings,
                                default_lang: &default_lang,
                                config,
                                symbols,
                            };
                            match resolve(&ctx, l) {
                                Ok(t) => t,
                                Err(d) => {
                                    diags.push_with_source(d.at(&doc.file, l.offset), &doc.file);
                                    Target::Removed
                                }
                            }
                        })
                        .collect();
                    (k.clone(), targets)
                })
                .collect()
        })
        .collect();
    for (page, docs) in site.pages.iter_mut().zip(results) {
        for (k, targets) in docs {
            if let Some(d) = page.docs.get_mut(&k) {
                d.targets = targets;
            }
        }
    }
}

struct ResolveCtx<'a> {
    page_id: PageId,
    doc: &'a Doc,
    by_key: &'a HashMap<String, PageId>,
    by_path: &'a HashMap<String, PageId>,
    assets: &'a HashMap<String, String>,
    services: &'a BTreeSet<String>,
    headings: &'a [BTreeMap<(Variant, String), BTreeSet<String>>],
    default_lang: &'a str,
    config: &'a SiteConfig,
    symbols: &'a BTreeMap<String, Symbol>,
}

/// The kinds of address a link may leave the site for.
pub const SAFE_SCHEMES: &[&str] = &["http", "https", "mailto", "tel", "sms"];

/// A link that leaves the site (`https:`, `mailto:`, `//host/`), or `None`
/// for a link inside it. Other schemes (`javascript:`, `data:`) are refused
/// with a warning; the link is then dropped.
pub fn external_target(dest: &str) -> Option<Result<Target, Diagnostic>> {
    if let Some((scheme, _)) = dest.split_once(':') {
        let scheme_l = scheme.to_ascii_lowercase();
        let looks_like_scheme = !scheme.is_empty()
            && scheme
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '+' || c == '-' || c == '.');
        if looks_like_scheme {
            return Some(if SAFE_SCHEMES.contains(&scheme_l.as_str()) {
                Ok(Target::External(dest.to_string()))
            } else {
                Err(Diagnostic::new(
                    Code::LINK007,
                    format!("the `{scheme_l}:` address was removed: it is not a safe kind of link"),
                    "link to a web page (https://...), an email address (mailto:), a phone number (tel:) or a page of this site",
                )
                .with_severity(crate::diagnostics::Severity::Warning))
            });
        }
    }
    if dest.starts_with("//") {
        return Some(Ok(Target::External(format!("https:{dest}"))));
    }
    None
}

fn resolve(ctx: &ResolveCtx<'_>, link: &markdown::LinkRef) -> Result<Target, Diagnostic> {
    let dest = link.dest.trim();
    if let Some(name) = dest.strip_prefix("symbol:") {
        return if ctx.symbols.contains_key(name) {
            Ok(Target::Symbol(name.to_string()))
        } else {
            let names: Vec<&str> = ctx.symbols.keys().map(String::as_str).collect();
            let near = frontmatter::nearest(name, &names)
                .map(|n| format!("did you mean `{n}`? "))
                .unwrap_or_default();
            Err(Diagnostic::new(
                Code::EASY009,
                format!("there is no picture called `{name}`"),
                format!("{near}the pictures are: {}", names.join(", ")),
            ))
        };
    }
    if let Some(external) = external_target(dest) {
        return external;
    }
    let (path_part, fragment) = match dest.split_once('#') {
        Some((p, f)) => (p, Some(f.to_string()).filter(|f| !f.is_empty())),
        None => (dest, None),
    };
    let path_part = percent_decode(path_part);
    if path_part.is_empty() {
        let Some(frag) = fragment else {
            return Ok(Target::Fragment(String::new()));
        };
        return if ctx.doc.body.headings.iter().any(|h| h.id == frag) || frag.starts_with("fn") {
            Ok(Target::Fragment(frag))
        } else {
            Err(missing_heading(&frag, "this page"))
        };
    }
    let joined = if let Some(abs) = path_part.strip_prefix('/') {
        abs.to_string()
    } else {
        source::join(&ctx.doc.source.dir, &path_part)
    };
    let Some(norm) = normalise(&joined) else {
        return Err(Diagnostic::new(
            Code::LINK001,
            format!("the link `{dest}` points outside the site"),
            "link to a page inside content/ by its file path, for example ../carers/_index.md",
        ));
    };
    let lower = norm.to_ascii_lowercase();
    if lower.ends_with(".md") {
        let config_langs = ctx.config;
        let classified = source::classify(&norm, config_langs).ok();
        let (page_rel, variant) = match &classified {
            Some(f) => (
                f.page_rel(),
                match f.kind {
                    SourceKind::Page { variant } => variant,
                    _ => Variant::Standard,
                },
            ),
            None => (norm.clone(), Variant::Standard),
        };
        let Some(&page) = ctx.by_key.get(&page_rel) else {
            let names: Vec<&str> = ctx.by_key.keys().map(String::as_str).collect();
            let near = frontmatter::nearest(&page_rel, &names)
                .map(|n| format!("did you mean `content/{n}`? "))
                .unwrap_or_default();
            return Err(Diagnostic::new(
                Code::LINK001,
                format!(
                    "the link `{dest}` points to `content/{page_rel}`, which does not exist (or is a draft)"
                ),
                format!(
                    "{near}check the file name; links are relative to this file's folder, or start with / for content/"
                ),
            ));
        };
        if let Some(frag) = &fragment {
            check_fragment(ctx, page, variant, frag, &page_rel)?;
        }
        return Ok(Target::Page {
            page,
            variant,
            fragment,
        });
    }
    if lower.ends_with(".yaml") || lower.ends_with(".yml") {
        if ctx.services.contains(&norm) {
            return Ok(Target::Service(norm));
        }
        return Err(Diagnostic::new(
            Code::LINK001,
            format!("the link `{dest}` points to a service entry that does not exist"),
            "check the file name of the service entry",
        ));
    }
    if let Some(out) = ctx.assets.get(&norm) {
        return Ok(Target::Asset(out.clone()));
    }
    // A link written as an output address (`/carers/`).
    let as_dir = if norm.is_empty() {
        String::new()
    } else {
        format!("{norm}/")
    };
    if let Some(&page) = ctx.by_path.get(&as_dir) {
        if let Some(frag) = &fragment {
            check_fragment(ctx, page, Variant::Standard, frag, &as_dir)?;
        }
        return Ok(Target::Page {
            page,
            variant: Variant::Standard,
            fragment,
        });
    }
    let _ = ctx.page_id;
    Err(Diagnostic::new(
        if link.image {
            Code::LINK003
        } else {
            Code::LINK001
        },
        format!("`{dest}` does not exist (looked for content/{norm})"),
        if link.image {
            "put the picture beside the page in content/ and check the file name and its ending"
                .to_string()
        } else {
            "link to another page by its source file, for example ../carers/_index.md".to_string()
        },
    ))
}

fn check_fragment(
    ctx: &ResolveCtx<'_>,
    page: PageId,
    variant: Variant,
    frag: &str,
    what: &str,
) -> Result<(), Diagnostic> {
    let versions = &ctx.headings[page];
    let lang = ctx.doc.lang.clone();
    let ids = versions
        .get(&(variant, lang))
        .or_else(|| versions.get(&(variant, ctx.default_lang.to_string())));
    match ids {
        Some(ids) if ids.contains(frag) => Ok(()),
        _ => Err(missing_heading(frag, &format!("content/{what}"))),
    }
}

fn missing_heading(frag: &str, page: &str) -> Diagnostic {
    Diagnostic::new(
        Code::LINK002,
        format!("there is no heading `#{frag}` on {page}"),
        "heading anchors are the heading text in lowercase with hyphens, for example `## Who pays?` is #who-pays",
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalise_paths() {
        assert_eq!(normalise("a/./b/../c.md").as_deref(), Some("a/c.md"));
        assert_eq!(normalise("../x"), None);
        assert_eq!(percent_decode("my%20page.md"), "my page.md");
    }
}
