//! Output paths: where each page and copied file goes, and the checks
//! that no two land on the same address.

use std::collections::{BTreeSet, HashMap};

use crate::codes::Code;
use crate::config::SiteConfig;
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::frontmatter;
use crate::source::{SourceFile, Variant};
use crate::urls;

use super::types::*;

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

pub(super) fn assign_paths(pages: &mut [Page], default_lang: &str, diags: &Diagnostics) {
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
pub(super) fn check_output_paths(pages: &[Page], config: &SiteConfig, diags: &Diagnostics) {
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

/// Output path of a file copied from `content/`: beside its page, in the
/// folder's output path (which follows section slugs).
pub(super) fn asset_out_path(
    pages: &[Page],
    index: &HashMap<String, PageId>,
    f: &SourceFile,
    default_lang: &str,
) -> String {
    let file = f.rel.rsplit('/').next().unwrap_or(&f.rel);
    format!("{}{file}", folder_path(pages, index, &f.dir, default_lang))
}
