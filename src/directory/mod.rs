//! The service directory (SPEC sections 5 and 6).
//!
//! A section whose folder holds service entries (`NAME.yaml`) is a
//! directory. [`build`] runs once while the model is built: it parses every
//! entry and translation (in parallel), checks them against the directory's
//! `_index.md` (its `categories:` and `areas:` maps of id to name), parses
//! each description's markdown once and indexes the services by category and
//! area. The renderers then only read this model:
//!
//! - [`pages`]: one page per service, per category and per area, in every
//!   language and in HTML, large print and plain text; and the lists on the
//!   directory's home page (its `_index.md`);
//! - [`oruk`]: `services.json`, an Open Referral UK service list;
//! - [`jsonld`]: schema.org data in each service page.
//!
//! [`import`] goes the other way, from an Open Referral UK list to entries.

pub mod entry;
pub mod hours;
pub mod import;
pub mod jsonld;
pub mod langs;
pub mod oruk;
pub mod pages;

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::Arc;

use rayon::prelude::*;

use crate::codes::Code;
use crate::diagnostics::{Diagnostic, Diagnostics, Severity, SourceText};
use crate::format::Format;
use crate::frontmatter::{self, Date, FrontMatter};
use crate::model::{Doc, LinkIndex, LinkOrigin, Page, PageId, Site, Target};
use crate::render::extension::{Extension, ReviewItem};
use crate::render::html::PageCtx;
use crate::render::{PageView, RenderContext, SiteRenderer};
use crate::source::{self, SourceFile, Variant};
use entry::{Entry, Translation};

/// Service names that would clash with the directory's own folders.
const RESERVED_NAMES: &[&str] = &["category", "area", "large-print", "easy-read", "booklet"];

/// A category or an area of a directory.
#[derive(Debug, Clone)]
pub struct Facet {
    pub id: String,
    /// Display name by language (the default language is always there).
    pub names: BTreeMap<String, String>,
    /// Services in this facet, as indexes into [`Directory::services`].
    pub services: Vec<usize>,
}

impl Facet {
    /// The name in `lang`, and whether it really is in `lang`.
    pub fn name<'a>(&'a self, lang: &str, default_lang: &str) -> (&'a str, bool) {
        if let Some(n) = self.names.get(lang) {
            return (n, true);
        }
        let n = self
            .names
            .get(default_lang)
            .map(String::as_str)
            .unwrap_or(&self.id);
        (n, lang == default_lang)
    }
}

/// A translated entry file.
#[derive(Debug)]
pub struct Translated {
    pub fields: Translation,
    pub file: Arc<SourceText>,
}

/// A description: its markdown parsed once, and where it sits in its file.
#[derive(Debug)]
pub struct Description {
    /// The description as a document. Its `file` holds the description's
    /// own text, so positions in it are relative to the description.
    pub doc: Doc,
    /// The entry file (or translation) the description is in.
    pub file: Arc<SourceText>,
    /// File line (1-based) of the description's first line, and the
    /// indentation of its lines, to turn positions back into the file's.
    pub first_line: usize,
    pub indent: usize,
}

impl Description {
    /// Moves a diagnostic about the description text to the entry file.
    pub fn to_file(&self, d: Diagnostic) -> Diagnostic {
        match (d.line, d.column) {
            (Some(line), Some(col)) => {
                // Clamped to the file: quoted or folded descriptions do not
                // map line for line.
                let lines = self.file.text.split('\n').count().max(1);
                let line = (self.first_line + line).saturating_sub(1).clamp(1, lines);
                let width = self
                    .file
                    .text
                    .split('\n')
                    .nth(line - 1)
                    .map(|l| l.chars().count() + 1)
                    .unwrap_or(1);
                d.at_line(&self.file, line, (col + self.indent).clamp(1, width))
            }
            _ => d.in_file(self.file.name.clone()),
        }
    }
}

/// One service: its entry, its translations and its description, parsed once.
#[derive(Debug)]
pub struct Service {
    /// NAME of `NAME.yaml`: the last part of the page's address.
    pub name: String,
    /// `dir/NAME.yaml`, relative to `content/`.
    pub rel: String,
    /// Output folder of the service's page, relative (`services/NAME/`).
    pub path: String,
    pub file: Arc<SourceText>,
    pub entry: Entry,
    /// Translated fields by language.
    pub translations: BTreeMap<String, Translated>,
    /// The description, by language (the default's too).
    pub descriptions: BTreeMap<String, Description>,
}

impl Service {
    /// Is there a translation of this entry in `lang` (or is it the default)?
    pub fn is_translated(&self, lang: &str, default_lang: &str) -> bool {
        lang == default_lang || self.translations.contains_key(lang)
    }

    fn pick<'a>(
        &'a self,
        lang: &str,
        t: impl Fn(&'a Translation) -> Option<&'a str>,
        d: Option<&'a str>,
    ) -> Option<(&'a str, bool)> {
        if let Some(v) = self.translations.get(lang).and_then(|tr| t(&tr.fields)) {
            return Some((v, true));
        }
        d.map(|v| (v, false))
    }

    /// The name to show in `lang`, and whether it is translated.
    pub fn name_in(&self, lang: &str) -> (&str, bool) {
        self.pick(lang, |t| t.name.as_deref(), Some(&self.entry.name))
            .unwrap_or((&self.entry.name, false))
    }
    pub fn summary_in(&self, lang: &str) -> (&str, bool) {
        self.pick(lang, |t| t.summary.as_deref(), Some(&self.entry.summary))
            .unwrap_or((&self.entry.summary, false))
    }
    pub fn cost_in(&self, lang: &str) -> Option<(&str, bool)> {
        self.pick(lang, |t| t.cost.as_deref(), self.entry.cost.as_deref())
    }
    pub fn eligibility_in(&self, lang: &str) -> Option<(&str, bool)> {
        self.pick(
            lang,
            |t| t.eligibility.as_deref(),
            self.entry.eligibility.as_deref(),
        )
    }
    pub fn accessibility_in(&self, lang: &str) -> (&[String], bool) {
        match self
            .translations
            .get(lang)
            .and_then(|t| t.fields.accessibility.as_deref())
        {
            Some(list) => (list, true),
            None => (&self.entry.accessibility, false),
        }
    }
    /// The description in `lang`, or in the default language.
    pub fn description_in(&self, lang: &str, default_lang: &str) -> Option<&Doc> {
        self.descriptions
            .get(lang)
            .or_else(|| self.descriptions.get(default_lang))
            .map(|d| &d.doc)
    }
}

/// A directory: its home page, facets and services.
#[derive(Debug)]
pub struct Directory {
    /// The directory's `_index.md` page.
    pub page: PageId,
    /// Folder in `content/`.
    pub dir: String,
    /// Output folder of the directory's home page (`services/`).
    pub path: String,
    pub categories: Vec<Facet>,
    pub areas: Vec<Facet>,
    /// Services, A to Z by their default-language name.
    pub services: Vec<Service>,
    /// The team that looks after the directory (`owner` of `_index.md`).
    pub owner: Option<String>,
    by_rel: HashMap<String, usize>,
    /// The date freshness is judged by: set by [`lint`] (from the build's
    /// options), so the pages mark the same entries `check` reports.
    today: std::sync::OnceLock<Date>,
}

impl Directory {
    pub fn category(&self, id: &str) -> Option<&Facet> {
        self.categories.iter().find(|f| f.id == id)
    }
    pub fn area(&self, id: &str) -> Option<&Facet> {
        self.areas.iter().find(|f| f.id == id)
    }
    /// The date entries are judged fresh or stale by (today unless the
    /// build said otherwise).
    pub fn today(&self) -> Date {
        self.today.get().copied().unwrap_or_else(Date::today)
    }

    /// The service an entry file (or one of its translations) belongs to.
    pub fn service_by_rel(&self, rel: &str) -> Option<&Service> {
        self.by_rel.get(rel).map(|i| &self.services[*i])
    }
}

/// The directories of a site, kept in the model by [`ServiceDirectory`].
struct Directories(Vec<Directory>);

impl Site {
    /// The site's service directories (none until [`ServiceDirectory`]
    /// has built them).
    pub fn directories(&self) -> &[Directory] {
        self.extras
            .get::<Directories>()
            .map(|d| d.0.as_slice())
            .unwrap_or(&[])
    }

    /// The directory whose home page is `page`.
    pub fn directory_of_page(&self, page: PageId) -> Option<&Directory> {
        self.directories().iter().find(|d| d.page == page)
    }
}

/// The service directory as an extension of the build: it reads the
/// entries beside a section's `_index.md`, checks them, and adds a page
/// for every service, category and area, the lists on the directory's home
/// page and the open data.
pub struct ServiceDirectory;

impl Extension for ServiceDirectory {
    fn build(&self, site: &mut Site, diags: &Diagnostics) {
        let directories = build(site, diags);
        for d in &directories {
            for (rel, &i) in &d.by_rel {
                site.addresses
                    .insert(rel.clone(), d.services[i].path.clone());
            }
        }
        site.extras.insert(Directories(directories));
    }

    fn check(&self, site: &Site, today: Date, diags: &Diagnostics) {
        lint(site, today, diags);
    }

    fn site_renderers(&self) -> Vec<Box<dyn SiteRenderer>> {
        vec![Box::new(pages::DirectoryPages), Box::new(oruk::OpenData)]
    }

    fn page_html(
        &self,
        ctx: &RenderContext<'_>,
        view: &PageView<'_>,
        format: Format,
        page: &PageCtx,
    ) -> Option<Result<String, Diagnostic>> {
        pages::home_html(ctx, view, format, page)
    }

    fn page_text(&self, ctx: &RenderContext<'_>, view: &PageView<'_>, format: Format) -> String {
        pages::home_text(ctx, view, format)
    }

    fn sitemap(&self, ctx: &RenderContext<'_>) -> Vec<String> {
        sitemap_entries(ctx)
    }

    fn review_items(&self, site: &Site) -> Vec<ReviewItem> {
        let mut out = Vec::new();
        for dir in site.directories() {
            for service in &dir.services {
                out.push(ReviewItem {
                    owner: dir.owner.clone(),
                    due: service.entry.last_verified.add_days(365),
                    title: service.name.clone(),
                    file: format!("{}index.html", service.path),
                    source: service.file.name.clone(),
                });
            }
        }
        out
    }
}

/// Sitemap addresses of directory pages: every service, category and
/// area page in each language it is really translated into.
fn sitemap_entries(ctx: &RenderContext<'_>) -> Vec<String> {
    let site = ctx.site;
    let dl = site.default_lang();
    let mut out = Vec::new();
    for d in site.directories() {
        let home = &site.pages[d.page];
        for lang in &site.config.languages {
            let home_translated = home
                .docs
                .contains_key(&(Variant::Standard, lang.code.clone()));
            for s in &d.services {
                if s.is_translated(&lang.code, dl) {
                    out.push(site.absolute(&pages::file_of(
                        site,
                        &lang.code,
                        &s.path,
                        crate::urls::Format::Html,
                    )));
                }
            }
            if home_translated {
                for (kind, facets) in [("category", &d.categories), ("area", &d.areas)] {
                    for f in facets.iter().filter(|f| !f.services.is_empty()) {
                        let dir = pages::facet_path(d, kind, &f.id);
                        out.push(site.absolute(&pages::file_of(
                            site,
                            &lang.code,
                            &dir,
                            crate::urls::Format::Html,
                        )));
                    }
                }
            }
        }
    }
    out
}

/// Has the entry gone unchecked for 12 months by `today`?
pub fn is_stale(verified: Date, today: Date) -> bool {
    match today.0.checked_sub(jiff::Span::new().years(1)) {
        Ok(limit) => verified.0 < limit,
        Err(_) => false,
    }
}

/// Checks on the built directory that need today's date or the lint rules:
/// entries not checked for 12 months (FRESH002), and the accessibility rules
/// on each description.
fn lint(site: &Site, today: Date, diags: &Diagnostics) {
    for d in site.directories() {
        let _ = d.today.set(today);
        for s in &d.services {
            if is_stale(s.entry.last_verified, today) {
                let (line, col) = entry::locate(&s.file.text, "last_verified", None);
                let owner = d
                    .owner
                    .as_ref()
                    .map(|o| format!(" (owner: {o})"))
                    .unwrap_or_default();
                diags.push_with_source(
                    Diagnostic::new(
                        Code::FRESH002,
                        format!("`{}` was last checked on {}, more than 12 months ago", s.entry.name.0, s.entry.last_verified),
                        format!("contact the service, check every detail of the entry, then set last_verified to the date you checked{owner}"),
                    )
                    .at_line(&s.file, line, col),
                    &s.file,
                );
            }
            for desc in s.descriptions.values() {
                lint_description(desc, diags);
            }
        }
    }
}

/// The accessibility rules on a description. It is shown under the page's
/// own level 2 headings, so its headings start at ### (not ##).
fn lint_description(desc: &Description, diags: &Diagnostics) {
    let tmp = Diagnostics::new();
    crate::lint::a11y::check_doc(&desc.doc, &tmp);
    let mut found: Vec<Diagnostic> = tmp
        .sorted()
        .into_iter()
        .filter(|d| !matches!(d.code, Code::A11Y003 | Code::A11Y004))
        .collect();
    let mut last = 2u8;
    for h in &desc.doc.body.headings {
        let at = |d: Diagnostic| d.at(&desc.doc.file, h.offset);
        if h.level <= 2 {
            found.push(at(Diagnostic::new(
                Code::A11Y004,
                format!("a heading in a service description cannot be level {}: the page's own sections are level 2", h.level),
                "start the description's headings at ### and go down one level at a time",
            )));
        } else if h.level > last + 1 {
            found.push(at(Diagnostic::new(
                Code::A11Y003,
                format!("this heading jumps from level {last} to level {}", h.level),
                format!(
                    "use {} here, so the headings go down one level at a time",
                    "#".repeat(last as usize + 1)
                ),
            )));
        }
        last = h.level.max(2);
    }
    for d in found {
        diags.push_with_source(desc.to_file(d), &desc.file);
    }
}

/// A parsed entry file, before services are formed.
enum ParsedFile {
    Entry(ParsedEntry),
    Translation(ParsedTranslation),
}
type ParsedEntry = (SourceFile, Arc<SourceText>, Box<Entry>);
type ParsedTranslation = (SourceFile, Arc<SourceText>, Translation);

/// Builds every directory of the site. `pages` have their paths and
/// sections; problems go to `diags`.
pub fn build(site: &Site, diags: &Diagnostics) -> Vec<Directory> {
    let (pages, files, config) = (&site.pages, &site.service_files, &site.config);
    if files.is_empty() {
        return Vec::new();
    }
    let links = LinkIndex::new(site);
    let dl = config.default_language.as_str();
    let by_key: HashMap<&str, PageId> = pages
        .iter()
        .enumerate()
        .map(|(i, p)| (p.key.as_str(), i))
        .collect();
    let page_paths: HashMap<&str, PageId> = pages
        .iter()
        .enumerate()
        .map(|(i, p)| (p.path.as_str(), i))
        .collect();

    let parsed: Vec<ParsedFile> = files
        .par_iter()
        .filter_map(|f| {
            let display = f.display();
            let text = match crate::model::read_text(&f.path, &display) {
                Ok(t) => t,
                Err(mut d) => {
                    if d.code == Code::SRC006 {
                        d.message = "the service entry is empty".into();
                        d.help = "write the entry's fields (name, summary, categories, contact, last_verified), or delete the file".into();
                    }
                    diags.push(d);
                    return None;
                }
            };
            let file = Arc::new(SourceText::new(display, text));
            let result = match f.lang {
                None => entry::parse_entry(&file).map(|e| ParsedFile::Entry((f.clone(), file.clone(), Box::new(e)))),
                Some(_) => entry::parse_translation(&file).map(|t| ParsedFile::Translation((f.clone(), file.clone(), t))),
            };
            match result {
                Ok(p) => Some(p),
                Err(d) => {
                    diags.push_with_source(d, &file);
                    None
                }
            }
        })
        .collect();

    // Group by folder.
    let mut folders: BTreeMap<String, (Vec<ParsedEntry>, Vec<ParsedTranslation>)> = BTreeMap::new();
    for p in parsed {
        match p {
            ParsedFile::Entry(p) => folders.entry(p.0.dir.clone()).or_default().0.push(p),
            ParsedFile::Translation(p) => folders.entry(p.0.dir.clone()).or_default().1.push(p),
        }
    }

    let mut out = Vec::new();
    for (dir, (entries, translations)) in folders {
        let index_key = source::join(&dir, "_index.md");
        let Some(&page_id) = by_key.get(index_key.as_str()) else {
            report_no_index(
                &dir,
                &index_key,
                entries
                    .first()
                    .map(|e| e.0.display())
                    .or_else(|| translations.first().map(|t| t.0.display())),
                diags,
            );
            continue;
        };
        let page = &pages[page_id];
        let main = page.main(dl);
        let categories = facets_from(page, "categories", dl, diags, |f| f.categories.as_ref());
        let areas = facets_from(page, "areas", dl, diags, |f| f.areas.as_ref());

        let mut services: Vec<Service> = Vec::new();
        let mut names: HashMap<String, usize> = HashMap::new();
        for (f, file, mut e) in entries {
            resolve_towns(&file, &mut e, areas.as_deref(), diags);
            if !crate::urls::is_safe_slug(&f.name) || RESERVED_NAMES.contains(&f.name.as_str()) {
                diags.push(
                    Diagnostic::new(
                        Code::SVC001,
                        format!("`{}` cannot be the name of a service's page", f.name),
                        if RESERVED_NAMES.contains(&f.name.as_str()) {
                            format!("`{}` is used by the directory's own pages; rename the file, for example {}-service.yaml", f.name, f.name)
                        } else {
                            "rename the file with lowercase letters, digits and hyphens, for example carer-support.yaml".to_string()
                        },
                    )
                    .in_file(f.display()),
                );
                continue;
            }
            let path = format!("{}{}/", page.path, f.name);
            if let Some(&other) = page_paths.get(path.as_str()) {
                diags.push(
                    Diagnostic::new(
                        Code::SRC004,
                        format!("this service and the page content/{} would both be published at /{path}", pages[other].key),
                        "rename the service entry or the page",
                    )
                    .in_file(f.display()),
                );
                continue;
            }
            check_facets(
                &file,
                &e,
                &categories,
                "categories",
                |e| &e.categories,
                diags,
                main.front.categories.is_some(),
            );
            check_facets(
                &file,
                &e,
                &areas,
                "areas",
                |e| &e.areas,
                diags,
                main.front.areas.is_some(),
            );
            for code in &e.languages {
                if langs::lookup(&code.0).is_none() {
                    let (line, col) = entry::locate(&file.text, "languages", Some(&code.0));
                    diags.push_with_source(
                        Diagnostic::new(
                            Code::SVC006,
                            format!("Signpost does not know the language `{}`; the page will show the code", code.0),
                            format!("use a two-letter ISO 639 code where there is one (bfi is British Sign Language); known codes: {}", langs::known_codes().join(", ")),
                        )
                        .at_line(&file, line, col),
                        &file,
                    );
                }
            }
            names.insert(f.name.clone(), services.len());
            services.push(Service {
                name: f.name.clone(),
                rel: f.rel.clone(),
                path,
                file,
                entry: *e,
                translations: BTreeMap::new(),
                descriptions: BTreeMap::new(),
            });
        }
        for (f, file, t) in translations {
            let lang = f.lang.clone().unwrap_or_default();
            match names.get(&f.name) {
                Some(&i) => {
                    services[i].translations.insert(lang, Translated { fields: t, file });
                }
                None => diags.push(
                    Diagnostic::new(
                        Code::SRC003,
                        format!("there is no service entry `content/{}` for this translation to belong to", source::join(&dir, &format!("{}.yaml", f.name))),
                        "create the entry in the default language first, or rename this file to match an existing entry",
                    )
                    .in_file(f.display()),
                ),
            }
        }

        // Descriptions: parsed once, their links resolved once.
        services.par_iter_mut().for_each(|s| {
            let mut docs = BTreeMap::new();
            if let Some(text) = s.entry.description.as_deref() {
                docs.insert(
                    dl.to_string(),
                    description_doc(s, &s.file, text, dl, &links, diags),
                );
            }
            for (lang, t) in &s.translations {
                if let Some(text) = t.fields.description.as_deref() {
                    docs.insert(
                        lang.clone(),
                        description_doc(s, &t.file, text, lang, &links, diags),
                    );
                }
            }
            s.descriptions = docs;
        });

        services.sort_by(|a, b| {
            (a.entry.name.to_lowercase(), &a.name).cmp(&(b.entry.name.to_lowercase(), &b.name))
        });
        let mut categories =
            categories.unwrap_or_else(|| derived_facets(&services, dl, |e| &e.categories));
        let mut areas = areas.unwrap_or_else(|| derived_facets(&services, dl, |e| &e.areas));
        for (i, s) in services.iter().enumerate() {
            for c in &s.entry.categories {
                if let Some(f) = categories.iter_mut().find(|f| f.id == c.0) {
                    f.services.push(i);
                }
            }
            for a in &s.entry.areas {
                if let Some(f) = areas.iter_mut().find(|f| f.id == a.0) {
                    f.services.push(i);
                }
            }
        }
        let mut by_rel = HashMap::new();
        for (i, s) in services.iter().enumerate() {
            by_rel.insert(s.rel.clone(), i);
            for lang in s.translations.keys() {
                by_rel.insert(source::join(&dir, &format!("{}.{lang}.yaml", s.name)), i);
            }
        }
        out.push(Directory {
            page: page_id,
            dir,
            path: page.path.clone(),
            categories,
            areas,
            services,
            owner: main.front.owner.clone(),
            by_rel,
            today: std::sync::OnceLock::new(),
        });
    }
    out
}

fn report_no_index(dir: &str, index_key: &str, first: Option<String>, diags: &Diagnostics) {
    // A draft directory page is left out on purpose: so are its entries.
    let Some(first) = first else {
        return;
    };
    diags.push(
        Diagnostic::new(
            Code::SVC007,
            format!("service entries are in content/{dir}/, which has no directory page"),
            format!(
                "create content/{index_key} with a title, a summary and the directory's `categories:` and `areas:` (id: name)"
            ),
        )
        .in_file(first),
    );
}

/// Reads a facet map (`categories:` or `areas:`) of a directory page in every
/// language. `None` when the default page lists none.
fn facets_from(
    page: &Page,
    key: &str,
    dl: &str,
    diags: &Diagnostics,
    get: impl Fn(&FrontMatter) -> Option<&serde_yaml::Mapping>,
) -> Option<Vec<Facet>> {
    let main = page.main(dl);
    let map = get(&main.front)?;
    let mut facets: Vec<Facet> = Vec::new();
    let as_pairs = |doc: &Doc, map: &serde_yaml::Mapping| -> Vec<(String, String)> {
        let mut pairs = Vec::new();
        for (k, v) in map {
            let id = match k {
                serde_yaml::Value::String(s) => Some(s.clone()),
                serde_yaml::Value::Number(n) => Some(n.to_string()),
                _ => None,
            };
            let name = match v {
                serde_yaml::Value::String(s) if !s.trim().is_empty() => Some(s.trim().to_string()),
                serde_yaml::Value::Number(n) => Some(n.to_string()),
                _ => None,
            };
            match (id, name) {
                (Some(id), Some(name)) => pairs.push((id, name)),
                (id, _) => {
                    let (line, col) = entry::locate(&doc.file.text, key, id.as_deref());
                    diags.push_with_source(
                        Diagnostic::new(
                            Code::SVC001,
                            format!("`{key}` must map each id to a name"),
                            format!("write one `id: Name` per line under `{key}:`, for example `carers: Support for carers`"),
                        )
                        .at_line(&doc.file, line, col),
                        &doc.file,
                    );
                }
            }
        }
        pairs
    };
    for (id, name) in as_pairs(main, map) {
        let mut names = BTreeMap::new();
        names.insert(dl.to_string(), name);
        facets.push(Facet {
            id,
            names,
            services: Vec::new(),
        });
    }
    for ((variant, lang), doc) in &page.docs {
        if *variant != Variant::Standard || lang == dl {
            continue;
        }
        if let Some(m) = get(&doc.front) {
            for (id, name) in as_pairs(doc, m) {
                if let Some(f) = facets.iter_mut().find(|f| f.id == id) {
                    f.names.insert(lang.clone(), name);
                } else {
                    let (line, col) = entry::locate(&doc.file.text, key, Some(&id));
                    diags.push_with_source(
                        Diagnostic::new(
                            Code::SVC004,
                            format!("`{id}` is not one of the {key} of the directory's page in the default language"),
                            format!("translate only the ids listed in content/{}", page.key),
                        )
                        .with_severity(Severity::Warning)
                        .at_line(&doc.file, line, col),
                        &doc.file,
                    );
                }
            }
        }
    }
    Some(facets)
}

/// Facets made from the ids entries use, when `_index.md` lists none.
fn derived_facets(
    services: &[Service],
    dl: &str,
    get: impl Fn(&Entry) -> &Vec<entry::Line>,
) -> Vec<Facet> {
    let ids: BTreeSet<&str> = services
        .iter()
        .flat_map(|s| get(&s.entry).iter().map(|l| l.0.as_str()))
        .collect();
    ids.into_iter()
        .map(|id| {
            let spaced = id.replace(['-', '_'], " ");
            let mut chars = spaced.chars();
            let name: String = match chars.next() {
                Some(f) => f.to_uppercase().chain(chars).collect(),
                None => spaced.clone(),
            };
            let mut names = BTreeMap::new();
            names.insert(dl.to_string(), name);
            Facet {
                id: id.to_string(),
                names,
                services: Vec::new(),
            }
        })
        .collect()
}

/// Turns `towns: [Trowbridge]` into area ids: an area whose id or name (in
/// any language) is the town. Without a list of areas, the id is made from
/// the name.
fn resolve_towns(file: &SourceText, e: &mut Entry, areas: Option<&[Facet]>, diags: &Diagnostics) {
    for town in std::mem::take(&mut e.towns) {
        let id = match areas {
            Some(list) => list
                .iter()
                .find(|f| {
                    f.id.eq_ignore_ascii_case(&town)
                        || f.names
                            .values()
                            .any(|n| n.trim().eq_ignore_ascii_case(&town))
                })
                .map(|f| f.id.clone()),
            None => Some(oruk::slug(&town)),
        };
        match id {
            Some(id) => {
                if !e.areas.iter().any(|a| a.0 == id) {
                    e.areas.push(entry::Line(id));
                }
            }
            None => {
                let (line, col) = entry::locate(&file.text, "towns", Some(&town));
                let names: Vec<&str> = areas
                    .unwrap_or_default()
                    .iter()
                    .filter_map(|f| f.names.values().next().map(String::as_str))
                    .collect();
                diags.push_with_source(
                    Diagnostic::new(
                        Code::SVC004,
                        format!("`{}` is not a town or area of this directory", town.0),
                        format!(
                            "use one of the areas its _index.md lists: {}",
                            names.join(", ")
                        ),
                    )
                    .at_line(file, line, col),
                    file,
                );
            }
        }
    }
}

fn check_facets(
    file: &SourceText,
    e: &Entry,
    facets: &Option<Vec<Facet>>,
    key: &str,
    get: impl Fn(&Entry) -> &Vec<entry::Line>,
    diags: &Diagnostics,
    listed: bool,
) {
    let Some(facets) = facets.as_ref().filter(|_| listed) else {
        return;
    };
    let ids: Vec<&str> = facets.iter().map(|f| f.id.as_str()).collect();
    for v in get(e) {
        if !ids.contains(&v.0.as_str()) {
            let (line, col) = entry::locate(&file.text, key, Some(&v.0));
            let near = frontmatter::nearest(&v.0, &ids)
                .map(|n| format!("did you mean `{n}`? "))
                .unwrap_or_default();
            let what = if key == "categories" {
                "category"
            } else {
                "area"
            };
            diags.push_with_source(
                Diagnostic::new(
                    Code::SVC004,
                    format!("`{}` is not a {what} of this directory", v.0),
                    format!("{near}the directory's _index.md lists: {}", ids.join(", ")),
                )
                .at_line(file, line, col),
                file,
            );
        }
    }
}

/// The description of an entry as a document: parsed once, links resolved.
fn description_doc(
    s: &Service,
    file: &Arc<SourceText>,
    text: &str,
    lang: &str,
    links: &LinkIndex<'_>,
    diags: &Diagnostics,
) -> Description {
    let (first_line, indent) = description_position(&file.text);
    let own = Arc::new(SourceText::new(file.name.clone(), text.to_string()));
    let tmp = Diagnostics::new();
    let (body, _) = crate::markdown::parse(&own, text, 0, &tmp);
    let dir = s.rel.rsplit_once('/').map(|(d, _)| d).unwrap_or("");
    let from = LinkOrigin {
        dir,
        lang,
        headings: &body.headings,
        no_pictures: Some("a service description cannot show pictures"),
    };
    let targets = body
        .links
        .iter()
        .map(|l| match links.resolve(&from, l) {
            Ok(t) => t,
            Err(d) => {
                tmp.push(d.at(&own, l.offset));
                Target::Removed
            }
        })
        .collect();
    let front = FrontMatter {
        title: s.entry.name.0.clone(),
        summary: s.entry.summary.0.clone(),
        ..FrontMatter::default()
    };
    let rel = file
        .name
        .strip_prefix("content/")
        .unwrap_or(&file.name)
        .to_string();
    let source = SourceFile {
        path: std::path::PathBuf::from(&file.name),
        dir: dir.to_string(),
        name: s.name.clone(),
        lang: Some(lang.to_string()),
        kind: source::SourceKind::Service,
        rel,
    };
    let desc = Description {
        doc: Doc {
            file: own,
            source,
            lang: lang.to_string(),
            variant: Variant::Standard,
            front,
            body,
            targets,
        },
        file: file.clone(),
        first_line,
        indent,
    };
    for d in tmp.sorted() {
        diags.push_with_source(desc.to_file(d), file);
    }
    desc
}

/// Where the value of `description:` starts in an entry file: the file line
/// of its first line, and the indentation (or column) of its text.
fn description_position(text: &str) -> (usize, usize) {
    let (line, _) = entry::locate(text, "description", None);
    let lines: Vec<&str> = text.lines().collect();
    let Some(key_line) = lines.get(line - 1) else {
        return (1, 0);
    };
    let value = key_line.split_once(':').map(|(_, v)| v).unwrap_or("");
    let trimmed = value.trim_start();
    if trimmed.starts_with('|') || trimmed.starts_with('>') {
        let indent = lines
            .iter()
            .skip(line)
            .find(|l| !l.trim().is_empty())
            .map(|l| l.len() - l.trim_start().len())
            .unwrap_or(2);
        return (line + 1, indent);
    }
    let start = key_line.len() - trimmed.len();
    let quote = usize::from(trimmed.starts_with('"') || trimmed.starts_with('\''));
    (line, key_line[..start].chars().count() + quote)
}
