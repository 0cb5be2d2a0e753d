//! The taxonomy map an editor keeps for `signpost import open-referral`:
//! which of this directory's categories each term of a feed's taxonomies
//! stands for.
//!
//! ```yaml
//! categories:
//!   Carers: carers                        # a term's name (or code, or id)
//!   Mental health: [mental-health, advice]
//!   Adult social care: []                 # left out on purpose
//! ```
//!
//! Terms are matched by name, code or id, ignoring case and the spaces
//! around them.

use std::collections::BTreeMap;
use std::path::Path;

use serde::Deserialize;

use super::problem::Problem;
use crate::directory::oruk::Term;

/// A loaded map: lowercased term keys to category ids.
#[derive(Debug, Default)]
pub struct TaxonomyMap {
    terms: BTreeMap<String, Vec<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct MapFile {
    #[serde(default)]
    categories: BTreeMap<String, Option<Targets>>,
}

#[derive(Deserialize)]
#[serde(untagged)]
enum Targets {
    One(String),
    Many(Vec<String>),
}

impl TaxonomyMap {
    /// Reads and checks the map at `path` (shown as `shown`) against the
    /// directory's categories (`known`; empty when any id is allowed).
    pub fn load(
        path: &Path,
        shown: &str,
        known: &BTreeMap<String, String>,
    ) -> Result<TaxonomyMap, Vec<Problem>> {
        let text = std::fs::read_to_string(path).map_err(|e| {
            vec![Problem::new(
                shown,
                format!("the taxonomy map cannot be read: {e}"),
                "check the path given to --map",
            )]
        })?;
        let parsed: MapFile = if text.trim().is_empty() {
            MapFile {
                categories: BTreeMap::new(),
            }
        } else {
            serde_yaml::from_str(&text).map_err(|e| {
                let at = match e.location() {
                    Some(l) => format!("{shown}:{}:{}", l.line(), l.column()),
                    None => shown.to_string(),
                };
                vec![Problem::new(
                    at,
                    format!("the taxonomy map is not valid: {e}"),
                    "write `categories:` and under it one `term: category-id` per line (a list [a, b] for several, [] to leave a term out)",
                )]
            })?
        };
        let mut problems = Vec::new();
        let mut map = TaxonomyMap::default();
        let names: Vec<&str> = known.keys().map(String::as_str).collect();
        for (term, targets) in parsed.categories {
            let (line, col) = crate::directory::entry::locate(&text, "categories", Some(&term));
            let at = format!("{shown}:{line}:{col}");
            let ids = match targets {
                None => {
                    problems.push(Problem::new(
                        at,
                        format!("`{term}` has no category after its colon"),
                        "write a category id of the directory's _index.md, a list [a, b], or [] to leave the term out",
                    ));
                    continue;
                }
                Some(Targets::One(id)) => vec![id],
                Some(Targets::Many(ids)) => ids,
            };
            for id in &ids {
                let ok = if known.is_empty() {
                    crate::urls::is_safe_slug(id)
                } else {
                    known.contains_key(id)
                };
                if !ok {
                    let near = crate::frontmatter::nearest(id, &names)
                        .map(|k| format!("did you mean `{k}`? "))
                        .unwrap_or_default();
                    let (line, col) = locate_value(&text, line, id).unwrap_or((line, col));
                    problems.push(Problem::new(
                        format!("{shown}:{line}:{col}"),
                        format!("`{id}` (for the term `{term}`) is not a category of this directory"),
                        format!(
                            "{near}use one of the ids the directory's _index.md lists under categories: {}",
                            if names.is_empty() { "(none yet)".to_string() } else { names.join(", ") }
                        ),
                    ));
                }
            }
            map.terms.insert(key(&term), ids);
        }
        if problems.is_empty() {
            Ok(map)
        } else {
            Err(problems)
        }
    }

    /// The categories a term stands for (empty: left out on purpose), or
    /// `None` when the map does not name it.
    pub fn lookup(&self, t: &Term) -> Option<&[String]> {
        [Some(&t.name), t.code.as_ref(), t.id.as_ref()]
            .into_iter()
            .flatten()
            .find_map(|k| self.terms.get(&key(k)))
            .map(Vec::as_slice)
    }
}

fn key(s: &str) -> String {
    s.trim().to_lowercase()
}

/// Where `value` is on line `line` (1-based) or the lines after it.
fn locate_value(text: &str, line: usize, value: &str) -> Option<(usize, usize)> {
    for (n, l) in text.lines().enumerate().skip(line.saturating_sub(1)) {
        if let Some(i) = l.find(':').and_then(|c| l[c..].find(value).map(|i| i + c)) {
            return Some((n + 1, l[..i].chars().count() + 1));
        }
        if n + 1 > line && !l.starts_with("    ") && !l.trim_start().starts_with('-') {
            break;
        }
    }
    None
}
