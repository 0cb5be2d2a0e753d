//! Translation status: per language, the pages not translated yet and the
//! translations older than the page they translate (by `updated` dates).

use crate::codes::Code;
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::model::{PageId, Site};
use crate::source::Variant;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum State {
    Missing,
    Stale,
    UpToDate,
}

/// One line of the status report.
#[derive(Debug, Clone)]
pub struct Row {
    pub lang: String,
    pub page: PageId,
    pub variant: Variant,
    pub title: String,
    pub state: State,
    pub detail: String,
}

/// The status of every page in every language but the default.
pub fn status(site: &Site) -> Vec<Row> {
    let dl = site.default_lang();
    let mut rows = Vec::new();
    for lang in site.config.languages.iter().skip(1) {
        for (id, page) in site.pages.iter().enumerate() {
            for variant in [Variant::Standard, Variant::EasyRead] {
                let Some(source) = page.docs.get(&(variant, dl.to_string())) else {
                    continue;
                };
                let (state, detail) = match page.docs.get(&(variant, lang.code.clone())) {
                    None => (State::Missing, source.file.name.clone()),
                    Some(t) => match (t.front.updated, source.front.updated) {
                        (Some(tu), Some(su)) if tu < su => {
                            (State::Stale, format!("{} ({tu} < {su})", t.file.name))
                        }
                        (None, Some(su)) => {
                            (State::Stale, format!("{} (no date < {su})", t.file.name))
                        }
                        _ => (State::UpToDate, t.file.name.clone()),
                    },
                };
                let suffix = if variant == Variant::EasyRead {
                    " (easy read)"
                } else {
                    ""
                };
                rows.push(Row {
                    lang: lang.code.clone(),
                    page: id,
                    variant,
                    title: format!("{}{suffix}", source.front.title),
                    state,
                    detail,
                });
            }
        }
    }
    rows.sort_by(|a, b| (&a.lang, a.state, &a.title).cmp(&(&b.lang, b.state, &b.title)));
    rows
}

/// Warns about translations older than their source.
pub fn check(site: &Site, diags: &Diagnostics) {
    let dl = site.default_lang();
    for page in &site.pages {
        for ((variant, lang), doc) in &page.docs {
            if lang == dl {
                continue;
            }
            let Some(source) = page.docs.get(&(*variant, dl.to_string())) else {
                continue;
            };
            if let (Some(tu), Some(su)) = (doc.front.updated, source.front.updated)
                && tu < su
            {
                diags.push_with_source(
                    Diagnostic::new(
                        Code::I18N001,
                        format!("this translation was updated on {tu}, but {} was updated on {su}", source.file.name),
                        "ask for the translation to be brought up to date, then set its `updated` date",
                    )
                    .at(&doc.file, 0),
                    &doc.file,
                );
            }
        }
    }
}
