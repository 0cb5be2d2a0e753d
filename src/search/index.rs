//! What search finds, per language: every page (standard and easy read, with
//! the default-language version where a page is not translated) and every
//! service entry; and the index files built from them.
//!
//! Layout, per language LANG (all paths under `search/`):
//!
//! ```text
//! index.LANG.json      {"v":1,"count":N,"chunk":C,"prefix":P,"shards":["63",...]}
//! LANG/t-HEX.json      {"word":[doc,weight,doc,weight,...],...} for the words
//!                      whose first P characters are HEX (UTF-8, in hex); P is
//!                      1 on small sites and 2 on large ones
//! LANG/d-K.json        [[title,href,summary,kind,lang],...] for docs K*C..
//! ```
//!
//! A query loads the small manifest, one shard per word typed and the
//! document chunks of the results it shows: a few kilobytes on a small site,
//! and well under a megabyte on a 10,000-page one.

use std::collections::{BTreeMap, HashMap};

use pulldown_cmark::Event;
use rayon::prelude::*;
use serde::Serialize;
use serde_json::{Value as Json, json};

use crate::model::{PageKind, Site};
use crate::render::{OutputFile, RenderContext, views};
use crate::source::Variant;
use crate::urls::Format;

use super::tokens;

/// Documents per `d-K.json` chunk.
pub const CHUNK: usize = 100;

/// Below this many (word, document) pairs, shards are by first letter.
pub const SMALL_INDEX: usize = 100_000;

/// What kind of thing a search entry is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Kind {
    Page,
    EasyRead,
    Service,
}

impl Kind {
    /// The code in `d-K.json` (`""`, `"e"`, `"s"`).
    pub fn code(self) -> &'static str {
        match self {
            Kind::Page => "",
            Kind::EasyRead => "e",
            Kind::Service => "s",
        }
    }
}

/// One thing search can find, in one language.
#[derive(Debug, Clone)]
pub struct Entry {
    pub title: String,
    pub href: String,
    pub summary: String,
    pub kind: Kind,
    /// Language of the text (the default language for a fallback).
    pub lang: String,
    /// Heading texts (pages) or categories and areas (services).
    pub headings: Vec<String>,
    /// Home page: listed first in the A to Z of its letter.
    pub home: bool,
}

/// The text of a page's body, without markup.
fn body_text(events: &[Event<'_>]) -> String {
    let mut out = String::new();
    for e in events {
        match e {
            Event::Text(t) | Event::Code(t) => {
                out.push_str(t);
                out.push(' ');
            }
            Event::SoftBreak | Event::HardBreak => out.push(' '),
            _ => {}
        }
    }
    out
}

/// The words of a page's charts (title, labels, series, units, note,
/// source and the summary sentence in the reader's language), which the
/// body's events hold only as markers: a reader searching for a town or a
/// year named in a chart finds its page.
fn chart_text(charts: &[crate::chart::Chart], strings: &crate::i18n::Strings, out: &mut String) {
    for c in charts {
        let words = [c.title.as_str(), c.units.as_str()]
            .into_iter()
            .chain(c.category.as_deref())
            .chain(c.caption.as_deref())
            .chain(c.source.as_deref())
            .chain(c.labels.iter().map(String::as_str))
            .chain(c.series.iter().map(|s| s.name.as_str()));
        for w in words {
            out.push_str(w);
            out.push(' ');
        }
        out.push_str(&crate::chart::summary::summary(c, strings));
        out.push(' ');
    }
}

/// Each word of a language's index with its postings: `[doc, weight, doc,
/// weight, ...]`, docs in ascending order.
pub type Postings = BTreeMap<String, Vec<u32>>;

/// Pages weighed at a time: enough to keep both cores busy, few enough that
/// the text of every page is never held at once.
const BATCH: usize = 512;

/// Every entry of a language, in a stable order (pages in site order, then
/// services by file name), and the postings of their words. Entries are
/// weighed as they are made, in parallel batches, and keep no body text.
pub fn entries(ctx: &RenderContext<'_>, lang: &str) -> (Vec<Entry>, Postings) {
    let site = ctx.site;
    let views: Vec<_> = views(site).into_iter().filter(|v| v.lang == lang).collect();
    let mut entries = Vec::new();
    let mut postings = Postings::new();
    for batch in views.chunks(BATCH) {
        let weighed: Vec<(Entry, Vec<(String, u32)>)> = batch
            .par_iter()
            .map(|view| {
                let doc = view.doc;
                let entry = Entry {
                    title: doc.front.title.clone(),
                    href: site.page_href(view.id, lang, view.variant, Format::Html),
                    summary: doc.front.summary.clone(),
                    kind: if view.variant == Variant::EasyRead {
                        Kind::EasyRead
                    } else {
                        Kind::Page
                    },
                    lang: doc.lang.clone(),
                    headings: doc.body.headings.iter().map(|h| h.text.clone()).collect(),
                    home: site.pages[view.id].kind == PageKind::Home,
                };
                let events = doc.events();
                let mut body = body_text(&events.events);
                chart_text(&events.charts, ctx.i18n.get(lang), &mut body);
                let words = weights(&entry, &body);
                (entry, words)
            })
            .collect();
        add(&mut entries, &mut postings, weighed);
    }
    let services = services(site, lang)
        .into_iter()
        .map(|(entry, body)| {
            let words = weights(&entry, &body);
            (entry, words)
        })
        .collect();
    add(&mut entries, &mut postings, services);
    (entries, postings)
}

/// Appends weighed entries and their postings.
fn add(
    entries: &mut Vec<Entry>,
    postings: &mut Postings,
    weighed: Vec<(Entry, Vec<(String, u32)>)>,
) {
    for (entry, words) in weighed {
        let id = entries.len() as u32;
        for (word, weight) in words {
            match postings.get_mut(word.as_str()) {
                Some(p) => p.extend([id, weight]),
                None => {
                    postings.insert(word, vec![id, weight]);
                }
            }
        }
        entries.push(entry);
    }
}

/// Service entries in a language, from the directory model: the entry's
/// translated fields where it has them, the default language's otherwise;
/// each with the rest of its text (description, eligibility, cost,
/// accessibility).
fn services(site: &Site, lang: &str) -> Vec<(Entry, String)> {
    let dl = site.default_lang();
    let base = site.config.base_path();
    let lang_dir = site.lang_dir(lang);
    let mut out = Vec::new();
    for d in site.directories() {
        for s in &d.services {
            let (name, translated) = s.name_in(lang);
            let (summary, _) = s.summary_in(lang);
            let mut headings = Vec::new();
            for c in &s.entry.categories {
                if let Some(f) = d.category(c) {
                    headings.push(f.name(lang, dl).0.to_string());
                }
            }
            for a in &s.entry.areas {
                match d.area(a) {
                    Some(f) => headings.push(f.name(lang, dl).0.to_string()),
                    None => headings.push(a.to_string()),
                }
            }
            let mut body = String::new();
            if let Some(doc) = s.description_in(lang, dl) {
                body.push_str(&body_text(&doc.events().events));
            }
            for extra in [s.eligibility_in(lang), s.cost_in(lang)]
                .into_iter()
                .flatten()
            {
                body.push_str(extra.0);
                body.push(' ');
            }
            body.push_str(&s.accessibility_in(lang).0.join(" "));
            let entry = Entry {
                title: name.to_string(),
                href: crate::urls::href_of_file(&base, &format!("{lang_dir}{}", s.path)),
                summary: summary.to_string(),
                kind: Kind::Service,
                lang: if lang == dl || translated {
                    lang.to_string()
                } else {
                    dl.to_string()
                },
                headings,
                home: false,
            };
            out.push((entry, body));
        }
    }
    out
}

/// Weight of each word in an entry: where it appears (title, summary, a
/// heading) and how often in the rest of its text, `body`.
fn weights(entry: &Entry, body: &str) -> Vec<(String, u32)> {
    let title = tokens::fold(&entry.title);
    let summary = tokens::fold(&entry.summary);
    let headings: Vec<String> = entry.headings.iter().map(|h| tokens::fold(h)).collect();
    let body = tokens::fold(body);
    let mut w: HashMap<&str, (bool, bool, bool, u32)> = HashMap::new();
    for word in tokens::words_in(&title) {
        w.entry(word).or_default().0 = true;
    }
    for word in tokens::words_in(&summary) {
        w.entry(word).or_default().1 = true;
    }
    for h in &headings {
        for word in tokens::words_in(h) {
            w.entry(word).or_default().2 = true;
        }
    }
    for word in tokens::words_in(&body) {
        let e = w.entry(word).or_default();
        e.3 = (e.3 + 1).min(5);
    }
    w.into_iter()
        .map(|(k, (t, s, h, n))| {
            (
                k.to_string(),
                10 * t as u32 + 5 * s as u32 + 3 * h as u32 + n,
            )
        })
        .collect()
}

/// Whether `path` is one of the index's data files (`search/index.en.json`,
/// `search/en/t-61.json`, `search/en/d-0.json`): which of them exist changes
/// with the words of the site.
pub fn is_index_file(path: &str) -> bool {
    path.starts_with("search/") && path.ends_with(".json")
}

/// The index files of one language, from its entries and postings.
pub fn index_files(lang: &str, entries: &[Entry], postings: &Postings) -> Vec<OutputFile> {
    // Small sites: one shard per first letter (a few dozen files); large
    // ones: per first two letters, so each query stays a small download.
    let pairs: usize = postings.values().map(|p| p.len() / 2).sum();
    let prefix = if pairs < SMALL_INDEX { 1 } else { 2 };
    let mut shards: BTreeMap<String, BTreeMap<&str, &Vec<u32>>> = BTreeMap::new();
    for (word, p) in postings {
        shards
            .entry(tokens::shard_key(word, prefix))
            .or_default()
            .insert(word.as_str(), p);
    }
    let mut out = Vec::new();
    let manifest = json!({
        "v": 1,
        "count": entries.len(),
        "chunk": CHUNK,
        "prefix": prefix,
        "shards": shards.keys().collect::<Vec<_>>(),
    });
    out.push(OutputFile::new(
        format!("search/index.{lang}.json"),
        manifest.to_string(),
    ));
    for (key, words) in &shards {
        let body = serde_json::to_string(words).unwrap_or_else(|_| "{}".into());
        out.push(OutputFile::new(format!("search/{lang}/t-{key}.json"), body));
    }
    for (k, chunk) in entries.chunks(CHUNK).enumerate() {
        let docs: Vec<Json> = chunk
            .iter()
            .map(|e| {
                let doc_lang = if e.lang == lang { "" } else { e.lang.as_str() };
                json!([e.title, e.href, e.summary, e.kind.code(), doc_lang])
            })
            .collect();
        out.push(OutputFile::new(
            format!("search/{lang}/d-{k}.json"),
            Json::Array(docs).to_string(),
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(title: &str) -> Entry {
        Entry {
            title: title.into(),
            href: format!("/{}/", title.to_lowercase()),
            summary: String::new(),
            kind: Kind::Page,
            lang: "en".into(),
            headings: Vec::new(),
            home: false,
        }
    }

    /// Entries with their body text, weighed and indexed in order.
    fn weigh_all(list: &[(&str, &str)]) -> (Vec<Entry>, Postings) {
        let mut entries = Vec::new();
        let mut postings = Postings::new();
        let weighed = list
            .iter()
            .map(|(title, body)| {
                let e = entry(title);
                let w = weights(&e, body);
                (e, w)
            })
            .collect();
        add(&mut entries, &mut postings, weighed);
        (entries, postings)
    }

    #[test]
    fn titles_weigh_more_than_text() {
        let w = weights(&entry("Respite care"), "care care care");
        let w: BTreeMap<String, u32> = w.into_iter().collect();
        assert_eq!(w["respite"], 10);
        assert_eq!(w["care"], 13);
    }

    #[test]
    fn shards_hold_postings() {
        let (entries, postings) = weigh_all(&[("Carers", "support"), ("Cars", "parking")]);
        let files = index_files("en", &entries, &postings);
        let manifest: Json = serde_json::from_slice(&files[0].bytes).unwrap();
        assert_eq!(manifest["count"], 2);
        let ca = files
            .iter()
            .find(|f| f.path == "search/en/t-63.json")
            .unwrap();
        let words: BTreeMap<String, Vec<u32>> = serde_json::from_slice(&ca.bytes).unwrap();
        assert_eq!(words["carers"], vec![0, 10]);
        assert_eq!(words["cars"], vec![1, 10]);
        let docs = files
            .iter()
            .find(|f| f.path == "search/en/d-0.json")
            .unwrap();
        let docs: Json = serde_json::from_slice(&docs.bytes).unwrap();
        assert_eq!(docs[1][1], "/cars/");
    }
}
