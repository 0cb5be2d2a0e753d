//! Link resolution: every link in a page's Markdown becomes a typed
//! [`Target`], or a diagnostic naming what is wrong and how to fix it.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use rayon::prelude::*;

use crate::codes::Code;
use crate::config::SiteConfig;
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::frontmatter;
use crate::markdown;
use crate::source::{self, SourceKind, Variant};

use super::types::*;

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
pub(super) fn resolve_links(site: &mut Site, diags: &Diagnostics) {
    type DocTargets = Vec<((Variant, String), Vec<Target>)>;
    let results: Vec<DocTargets> = {
        let index = LinkIndex::new(site);
        site.pages
            .par_iter()
            .map(|page| {
                page.docs
                    .iter()
                    .map(|(k, doc)| {
                        let from = LinkOrigin::page(doc);
                        let targets = doc
                            .body
                            .links
                            .iter()
                            .map(|l| match index.resolve(&from, l) {
                                Ok(t) => t,
                                Err(d) => {
                                    diags.push_with_source(d.at(&doc.file, l.offset), &doc.file);
                                    Target::Removed
                                }
                            })
                            .collect();
                        (k.clone(), targets)
                    })
                    .collect()
            })
            .collect()
    };
    for (page, docs) in site.pages.iter_mut().zip(results) {
        for (k, targets) in docs {
            if let Some(d) = page.docs.get_mut(&k) {
                d.targets = targets;
            }
        }
    }
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

/// Everything a link inside the site can point to, gathered once from the
/// model: pages by source file and by address, their headings in every
/// version, files in `content/`, service entries and easy-read pictures.
/// The site's one link resolver: pages resolve their links with it, and so
/// does any extension whose text holds links (the service directory's
/// descriptions).
pub struct LinkIndex<'a> {
    by_key: HashMap<&'a str, PageId>,
    by_path: HashMap<&'a str, PageId>,
    assets: HashMap<String, &'a str>,
    services: BTreeSet<&'a str>,
    headings: Vec<BTreeMap<(Variant, &'a str), BTreeSet<&'a str>>>,
    default_lang: &'a str,
    config: &'a SiteConfig,
    symbols: &'a BTreeMap<String, Symbol>,
}

/// Where a link is written: the folder its file is in (relative to
/// `content/`), its language, the headings of its own text (for `#part`
/// links) and whether that text may show pictures.
pub struct LinkOrigin<'a> {
    pub dir: &'a str,
    pub lang: &'a str,
    pub headings: &'a [markdown::Heading],
    /// `None` when pictures are allowed; otherwise what to tell the editor
    /// who wrote one (a service description is shown as text in listings
    /// and in the open data, so it has none).
    pub no_pictures: Option<&'a str>,
}

impl<'a> LinkOrigin<'a> {
    /// A link in one version of a page.
    pub fn page(doc: &'a Doc) -> Self {
        LinkOrigin {
            dir: &doc.source.dir,
            lang: &doc.lang,
            headings: &doc.body.headings,
            no_pictures: None,
        }
    }
}

impl<'a> LinkIndex<'a> {
    pub fn new(site: &'a Site) -> Self {
        let content = site.root.join("content");
        LinkIndex {
            by_key: site
                .pages
                .iter()
                .enumerate()
                .map(|(i, p)| (p.key.as_str(), i))
                .collect(),
            by_path: site
                .pages
                .iter()
                .enumerate()
                .map(|(i, p)| (p.path.as_str(), i))
                .collect(),
            assets: site
                .assets
                .iter()
                .filter_map(|a| {
                    a.source
                        .strip_prefix(&content)
                        .ok()
                        .map(|r| (r.to_string_lossy().replace('\\', "/"), a.out.as_str()))
                })
                .collect(),
            services: site.service_files.iter().map(|f| f.rel.as_str()).collect(),
            headings: site
                .pages
                .iter()
                .map(|p| {
                    p.docs
                        .iter()
                        .map(|((variant, lang), d)| {
                            (
                                (*variant, lang.as_str()),
                                d.body.headings.iter().map(|h| h.id.as_str()).collect(),
                            )
                        })
                        .collect()
                })
                .collect(),
            default_lang: &site.config.default_language,
            config: &site.config,
            symbols: &site.symbols,
        }
    }

    /// Where `link`, written at `from`, leads; or what is wrong with it.
    pub fn resolve(
        &self,
        from: &LinkOrigin<'_>,
        link: &markdown::LinkRef,
    ) -> Result<Target, Diagnostic> {
        let dest = link.dest.trim();
        if link.image
            && let Some(why) = from.no_pictures
        {
            return Err(Diagnostic::new(
                Code::LINK003,
                why.to_string(),
                "describe in words what the picture shows, or put the picture on a page and link to it",
            ));
        }
        if let Some(name) = dest.strip_prefix("symbol:") {
            return if self.symbols.contains_key(name) {
                Ok(Target::Symbol(name.to_string()))
            } else {
                let names: Vec<&str> = self.symbols.keys().map(String::as_str).collect();
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
            return if from.headings.iter().any(|h| h.id == frag) || frag.starts_with("fn") {
                Ok(Target::Fragment(frag))
            } else {
                Err(missing_heading(&frag, "this page"))
            };
        }
        let joined = if let Some(abs) = path_part.strip_prefix('/') {
            abs.to_string()
        } else {
            source::join(from.dir, &path_part)
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
            let classified = source::classify(&norm, self.config).ok();
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
            let Some(&page) = self.by_key.get(page_rel.as_str()) else {
                let names: Vec<&str> = self.by_key.keys().copied().collect();
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
                self.check_fragment(from, page, variant, frag, &page_rel)?;
            }
            return Ok(Target::Page {
                page,
                variant,
                fragment,
            });
        }
        if lower.ends_with(".yaml") || lower.ends_with(".yml") {
            if self.services.contains(norm.as_str()) {
                return Ok(Target::Service(norm));
            }
            return Err(Diagnostic::new(
                Code::LINK001,
                format!("the link `{dest}` points to a service entry that does not exist"),
                "check the file name of the service entry",
            ));
        }
        if let Some(out) = self.assets.get(&norm) {
            return Ok(Target::Asset(out.to_string()));
        }
        // A link written as an output address (`/carers/`).
        let as_dir = if norm.is_empty() {
            String::new()
        } else {
            format!("{norm}/")
        };
        if let Some(&page) = self.by_path.get(as_dir.as_str()) {
            if let Some(frag) = &fragment {
                self.check_fragment(from, page, Variant::Standard, frag, &as_dir)?;
            }
            return Ok(Target::Page {
                page,
                variant: Variant::Standard,
                fragment,
            });
        }
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
                "link to another page by its source file, for example ../carers/_index.md"
                    .to_string()
            },
        ))
    }

    fn check_fragment(
        &self,
        from: &LinkOrigin<'_>,
        page: PageId,
        variant: Variant,
        frag: &str,
        what: &str,
    ) -> Result<(), Diagnostic> {
        let versions = &self.headings[page];
        let ids = versions
            .get(&(variant, from.lang))
            .or_else(|| versions.get(&(variant, self.default_lang)));
        match ids {
            Some(ids) if ids.contains(frag) => Ok(()),
            _ => Err(missing_heading(frag, &format!("content/{what}"))),
        }
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
