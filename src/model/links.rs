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
