//! What a page's rendered files depend on, as one number per page.
//!
//! A page view shows more than its own file: the titles of its ancestors (in
//! the breadcrumbs), the titles and summaries of its children (in a
//! section's list), and, through its links, other pages' addresses and
//! which versions they have. [`fingerprints`] hashes all of that for every
//! page of a model. After an edit, `serve` loads the model again (through
//! its parse cache, so only the edited file is parsed) and renders only the
//! pages whose fingerprint changed: a title edit re-renders the page, its
//! section's page and its children, not the whole site.
//!
//! Everything site-wide (site.yaml, the theme, interface strings, service
//! entries, files in `content/`) is not hashed here: a change to any of
//! them is a full render. `tests` in `serve/build.rs` check, over many
//! random edits, that the served site equals a full build byte for byte.

use std::collections::HashMap;
use std::hash::{DefaultHasher, Hash, Hasher};

use rayon::prelude::*;

use crate::model::{Page, Site, Target};

/// Each page's fingerprint, by its key (`dir/NAME.md`).
pub fn fingerprints(site: &Site) -> HashMap<String, u64> {
    site.pages
        .par_iter()
        .enumerate()
        .map(|(id, page)| {
            let mut h = DefaultHasher::new();
            own(page, &mut h);
            for a in site.ancestors(id) {
                let a = &site.pages[a];
                a.path.hash(&mut h);
                listed(a, &mut h);
            }
            0xA0u8.hash(&mut h);
            for &c in &page.children {
                let c = &site.pages[c];
                c.path.hash(&mut h);
                listed(c, &mut h);
            }
            0xC0u8.hash(&mut h);
            for doc in page.docs.values() {
                for t in &doc.targets {
                    target(site, t, &mut h);
                }
            }
            (page.key.clone(), h.finish())
        })
        .collect()
}

/// The page itself: its place, and every version's text.
fn own(page: &Page, h: &mut DefaultHasher) {
    page.key.hash(h);
    page.path.hash(h);
    format!("{:?}", page.kind).hash(h);
    page.parent.is_some().hash(h);
    for ((variant, lang), doc) in &page.docs {
        format!("{variant:?}").hash(h);
        lang.hash(h);
        doc.source.path.hash(h);
        doc.file.text.hash(h);
    }
}

/// What another page shows of this one: its versions, titles and summaries.
fn listed(page: &Page, h: &mut DefaultHasher) {
    format!("{:?}", page.kind).hash(h);
    for ((variant, lang), doc) in &page.docs {
        format!("{variant:?}").hash(h);
        lang.hash(h);
        doc.front.title.hash(h);
        doc.front.summary.hash(h);
    }
}

/// Where a link goes: the address and versions of the page it names.
fn target(site: &Site, t: &Target, h: &mut DefaultHasher) {
    match t {
        // By address, not by number: a new page renumbers the pages after it.
        Target::Page {
            page,
            variant,
            fragment,
        } => {
            let p = &site.pages[*page];
            p.path.hash(h);
            for key in p.docs.keys() {
                format!("{key:?}").hash(h);
            }
            format!("{variant:?}").hash(h);
            fragment.hash(h);
        }
        Target::Service(rel) => {
            rel.hash(h);
            site.addresses.get(rel).hash(h);
        }
        other => format!("{other:?}").hash(h),
    }
}
