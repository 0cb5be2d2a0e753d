//! Building the site from the sources: reading and parsing each page,
//! loading symbols, assigning paths, linking sections and resolving links.

use std::collections::{BTreeMap, HashMap};
use std::path::Path;
use std::sync::Arc;

use rayon::prelude::*;

use crate::codes::Code;
use crate::config::SiteConfig;
use crate::diagnostics::{Diagnostic, Diagnostics, SourceText};
use crate::frontmatter::{self, FrontMatter};
use crate::markdown::{self, Markdown};
use crate::source::{self, SourceFile, SourceKind, Variant};

use super::links::resolve_links;
use super::paths::{asset_out_path, assign_paths, check_output_paths};
use super::types::*;

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
    let theme = crate::source::ThemeFiles::load(root, config);
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
            if !crate::urls::is_inside(&out) {
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
