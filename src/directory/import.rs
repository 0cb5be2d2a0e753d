//! `signpost import open-referral FILE.json --into content/services/`: turns
//! an Open Referral UK service list into entry files, written in the same
//! shape editors write them by hand (flow lists, a literal block for the
//! description), so that they can be read and edited as usual.
//!
//! An import is planned in full before anything is written: every record
//! is read, its categories are mapped ([`map`]), it is matched to the entry
//! it made last time (by the `source_id` the entry keeps), and the entry is
//! merged and compared. Any problem that makes the feed unusable (no id,
//! two different services with one id, a file in the way) stops the import
//! with nothing written. Then the files that change are written beside
//! their place and renamed into it; unchanged files are not touched.

mod map;
mod problem;

pub use problem::Problem;

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};

use crate::diagnostics::{Fatal, SourceText};
use crate::directory::entry::{self, Entry, Line};
use crate::directory::oruk::{self, Imported};
use crate::frontmatter::Date;
pub use map::TaxonomyMap;

/// The taxonomy map's file name, at the site's root (beside `site.yaml`).
pub const MAP_FILE: &str = "open-referral-map.yaml";

/// How to import.
#[derive(Debug, Clone)]
pub struct ImportOptions {
    /// Take over entry files of the same name that did not come from the
    /// feed (they have no `source_id`, or another one).
    pub overwrite: bool,
    /// The taxonomy map; by default [`MAP_FILE`] at the site's root, when
    /// it exists.
    pub map: Option<PathBuf>,
    /// Plan and report, but write nothing.
    pub dry_run: bool,
    /// The date an entry is marked checked when the feed gives none.
    pub today: Date,
}

impl ImportOptions {
    pub fn new(today: Date) -> Self {
        ImportOptions {
            overwrite: false,
            map: None,
            dry_run: false,
            today,
        }
    }
}

/// What an import did (or, with problems, would not do).
#[derive(Debug, Default)]
pub struct ImportReport {
    /// New entry files.
    pub added: Vec<PathBuf>,
    /// Entry files changed, with the fields that changed.
    pub updated: Vec<(PathBuf, Vec<String>)>,
    /// Entries the feed did not change (their files were not touched).
    pub unchanged: Vec<PathBuf>,
    /// Entries imported before whose `source_id` is no longer in the feed:
    /// kept, for an editor to delete (path, id).
    pub removed_from_feed: Vec<(PathBuf, String)>,
    /// Records not imported, and why.
    pub skipped: Vec<String>,
    /// What the import did that an editor should know (merged duplicates,
    /// services of the same name).
    pub notes: Vec<String>,
    /// Per written entry: what could not be kept or needs checking, each
    /// once.
    pub warnings: Vec<(PathBuf, Vec<String>)>,
    /// Taxonomy terms no category was found for, each once, with the number
    /// of services tagged with it.
    pub unmapped: Vec<(String, usize)>,
    /// The taxonomy map used, or where one would be read from.
    pub map_file: Option<PathBuf>,
    /// Categories and areas the entries use that the directory's
    /// `_index.md` does not list yet (id, name).
    pub new_categories: BTreeMap<String, String>,
    pub new_areas: BTreeMap<String, String>,
    /// Problems that stopped the import; when there are any, nothing was
    /// written.
    pub problems: Vec<Problem>,
}

impl ImportReport {
    /// "Added 3, updated 2, unchanged 40, removed from feed 1 (kept; delete by hand)."
    pub fn summary(&self) -> String {
        let mut s = format!(
            "Added {}, updated {}, unchanged {}",
            self.added.len(),
            self.updated.len(),
            self.unchanged.len()
        );
        if !self.removed_from_feed.is_empty() {
            s.push_str(&format!(
                ", removed from feed {} (kept; delete by hand)",
                self.removed_from_feed.len()
            ));
        }
        if !self.skipped.is_empty() {
            s.push_str(&format!(", skipped {}", self.skipped.len()));
        }
        s.push('.');
        s
    }
}

/// An entry file already in the directory.
struct Existing {
    path: PathBuf,
    /// The entry, or why it cannot be read.
    entry: Result<Entry, String>,
    source_id: Option<String>,
}

/// One record to write: where, the entry, and what the record was.
struct Planned {
    record: usize,
    path: PathBuf,
    entry: Entry,
    old: Option<Entry>,
    warnings: Vec<String>,
}

/// Imports an Open Referral document (a page of services, a list, or one
/// service) into `into`, one `NAME.yaml` per service. I/O failures and a
/// file that is not a service list are `Err`; problems with the feed are
/// in the report's `problems`, and then nothing was written.
pub fn open_referral(
    file: &Path,
    into: &Path,
    opts: &ImportOptions,
) -> Result<ImportReport, Fatal> {
    let bytes = std::fs::read(file).map_err(|e| Fatal::io(file, e))?;
    let doc: serde_json::Value = serde_json::from_slice(&bytes).map_err(|e| {
        Fatal::Usage(format!(
            "{} is not JSON: {e} (line {}, column {})",
            file.display(),
            e.line(),
            e.column()
        ))
    })?;
    let services = oruk::services_of(&doc);
    if services.is_empty() {
        return Err(Fatal::Usage(format!(
            "{} holds no services: expected an Open Referral service list ({{\"contents\": [...]}}), a list of services or one service",
            file.display()
        )));
    }
    let feed = file.display().to_string();
    let (known_categories, known_areas) = directory_facets(into);
    let area_names: Vec<(String, String)> = known_areas
        .iter()
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    let mut report = ImportReport::default();

    // The taxonomy map.
    let map_path = match &opts.map {
        Some(p) if !p.is_file() => {
            return Err(Fatal::Usage(format!(
                "the taxonomy map {} does not exist",
                p.display()
            )));
        }
        Some(p) => Some(p.clone()),
        None => site_root(into).map(|r| r.join(MAP_FILE)),
    };
    report.map_file = map_path.clone();
    let map = match map_path.as_deref().filter(|p| p.is_file()) {
        Some(p) => match TaxonomyMap::load(p, &p.display().to_string(), &known_categories) {
            Ok(m) => m,
            Err(problems) => {
                report.problems = problems;
                return Ok(report);
            }
        },
        None => TaxonomyMap::default(),
    };

    // The entries already there, and which feed record each came from.
    let existing = existing_entries(into);
    let mut by_id: HashMap<&str, usize> = HashMap::new();
    let mut by_name: HashMap<String, usize> = HashMap::new();
    for (i, e) in existing.iter().enumerate() {
        if let Some(stem) = e.path.file_stem().and_then(|s| s.to_str()) {
            by_name.insert(stem.to_string(), i);
        }
        if let Some(id) = &e.source_id {
            if let Some(&j) = by_id.get(id.as_str()) {
                report.problems.push(Problem::new(
                    e.path.display().to_string(),
                    format!(
                        "this entry and {} have the same source_id `{id}`",
                        existing[j].path.display()
                    ),
                    "the import cannot tell which of the two to update: delete one, or remove the source_id line from the one that is not from the feed",
                ));
            } else {
                by_id.insert(id, i);
            }
        }
    }

    // Read every record.
    let mut records: Vec<(usize, String, Imported)> = Vec::new();
    let mut feed_ids: BTreeSet<String> = BTreeSet::new();
    for (n, v) in services.into_iter().enumerate() {
        let n = n + 1;
        let imported = match oruk::import_service(v, &area_names, opts.today) {
            Ok(i) => i,
            Err(m) => {
                let id = v
                    .get("id")
                    .map(|i| {
                        format!(
                            " (id `{}`)",
                            i.as_str()
                                .map(String::from)
                                .unwrap_or_else(|| i.to_string())
                        )
                    })
                    .unwrap_or_default();
                report
                    .skipped
                    .push(format!("{feed}: record {n}{id}: {m}; it was not imported"));
                if let Some(id) = v.get("id").and_then(|i| i.as_str()) {
                    feed_ids.insert(id.trim().to_string());
                }
                continue;
            }
        };
        let Some(id) = imported.id.clone() else {
            report.problems.push(Problem::new(
                feed.clone(),
                format!("record {n} (“{}”) has no id", imported.entry.name.0),
                "Open Referral gives every service an id, and the import needs it to find the entry again next time: ask the feed's publisher for a feed with ids",
            ));
            continue;
        };
        feed_ids.insert(id.clone());
        records.push((n, id, imported));
    }

    // One record per id: identical copies are merged, different services
    // with one id stop the import.
    let mut groups: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    for (i, (_, id, _)) in records.iter().enumerate() {
        groups.entry(id.as_str()).or_default().push(i);
    }
    let mut drop: BTreeSet<usize> = BTreeSet::new();
    let mut dup_groups: Vec<&Vec<usize>> = groups.values().filter(|g| g.len() > 1).collect();
    dup_groups.sort_by_key(|g| g[0]);
    for g in dup_groups {
        let first = &records[g[0]].2;
        let same = g[1..].iter().all(|&i| {
            let r = &records[i].2;
            r.entry == first.entry && r.terms == first.terms && r.file_name == first.file_name
        });
        let id = &records[g[0]].1;
        let numbers = list_records(
            g.iter()
                .map(|&i| (records[i].0, records[i].2.entry.name.0.as_str())),
        );
        if same {
            report.notes.push(format!(
                "{feed}: {numbers} have the same id `{id}` and say the same: imported once"
            ));
            drop.extend(g[1..].iter().copied());
        } else {
            report.problems.push(Problem::new(
                feed.clone(),
                format!("{numbers} have the same id `{id}` but are not the same service"),
                "an id must name one service: ask the feed's publisher to give each service its own id, or remove all but one of these records from the file, then import again",
            ));
        }
    }

    // Categories, then where each record goes.
    let mut unmapped: BTreeMap<String, usize> = BTreeMap::new();
    let mut taken: BTreeMap<String, (usize, String)> = BTreeMap::new();
    let mut planned: Vec<Planned> = Vec::new();
    for (i, (n, id, imported)) in records.iter().enumerate() {
        if drop.contains(&i) {
            continue;
        }
        let (n, imported) = (*n, imported.clone());
        let (categories, missing) = map_categories(
            &imported,
            &map,
            &known_categories,
            &mut report.new_categories,
        );
        for m in &missing {
            *unmapped.entry(m.clone()).or_default() += 1;
        }
        // The entry this record made before, or a file name for a new one.
        let (name, path, old) = if let Some(&j) = by_id.get(id.as_str()) {
            let e = &existing[j];
            let name = stem(&e.path);
            match &e.entry {
                Ok(old) => (name, e.path.clone(), Some(old.clone())),
                Err(m) => {
                    report.problems.push(Problem::new(
                        e.path.display().to_string(),
                        format!("this entry came from record {n} of the feed (source_id `{id}`) but cannot be read: {m}"),
                        "fix the entry (or delete it), then import again",
                    ));
                    continue;
                }
            }
        } else {
            let base = imported
                .file_name
                .clone()
                .unwrap_or_else(|| oruk::slug(&imported.entry.name));
            let base = if base.is_empty() || super::RESERVED_NAMES.contains(&base.as_str()) {
                format!("service-{n}")
            } else {
                base
            };
            let clash = by_name
                .get(&base)
                .map(|&j| &existing[j])
                .filter(|e| e.source_id.as_deref().is_none_or(|s| !feed_ids.contains(s)));
            match clash {
                Some(e) if !opts.overwrite && !taken.contains_key(&base) => {
                    let why = match &e.source_id {
                        None => "it has no source_id".to_string(),
                        Some(s) => format!("its source_id `{s}` is not in the feed"),
                    };
                    report.problems.push(Problem::new(
                        e.path.display().to_string(),
                        format!(
                            "record {n} (“{}”, id `{id}`) would be written here, but this file did not come from that record ({why})",
                            imported.entry.name.0
                        ),
                        format!("if it is the same service, add the line `source_id: {}` to it, so that the import keeps it up to date, or import again with --overwrite; if it is another service, rename this file", import_scalar(id)),
                    ));
                    continue;
                }
                Some(e) if opts.overwrite && !taken.contains_key(&base) => {
                    let old = e.entry.as_ref().ok().cloned();
                    (base, e.path.clone(), old)
                }
                _ => {
                    let mut name = base.clone();
                    let mut k = 2;
                    while taken.contains_key(&name) || by_name.contains_key(&name) {
                        name = format!("{base}-{k}");
                        k += 1;
                    }
                    if name != base {
                        let other = taken
                            .get(&base)
                            .map(|(m, mid)| format!("record {m} (id `{mid}`)"))
                            .unwrap_or_else(|| format!("{base}.yaml"));
                        report.notes.push(format!(
                            "{feed}: record {n} (“{}”, id `{id}`) has the same file name as {other}: it is written as {name}.yaml",
                            imported.entry.name.0
                        ));
                    }
                    (name.clone(), into.join(format!("{name}.yaml")), None)
                }
            }
        };
        taken.insert(name.clone(), (n, id.clone()));

        let mut warnings = imported.warnings.clone();
        let mut feed_entry = imported.entry.clone();
        feed_entry.categories = categories.into_iter().map(Line).collect();
        feed_entry.source_id = Some(id.clone());
        let entry = match &old {
            Some(old) => merge(feed_entry, old, &imported),
            None => {
                if let Some(p) = &imported.date_problem {
                    warnings.push(format!(
                        "{p}; last_verified is set to today: check the entry"
                    ));
                }
                feed_entry
            }
        };
        if entry.categories.is_empty() {
            warnings.push(if missing.is_empty() {
                "the service has no category: add one (categories: [...]) before the site will build".to_string()
            } else {
                format!(
                    "the service has no category: its terms {} are not mapped; map them (see below) or add categories: [...] by hand, before the site will build",
                    missing.iter().map(|m| format!("“{m}”")).collect::<Vec<_>>().join(", ")
                )
            });
        }
        for (id, label) in &imported.areas {
            if !known_areas.is_empty() && !known_areas.contains_key(id) {
                report.new_areas.insert(id.clone(), label.clone());
            }
        }
        planned.push(Planned {
            record: n,
            path,
            entry,
            old,
            warnings,
        });
    }
    report.unmapped = unmapped.into_iter().collect();
    report
        .unmapped
        .sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));

    // What changes.
    let mut writes: Vec<(PathBuf, String)> = Vec::new();
    for p in planned {
        let text = to_yaml(&p.entry);
        let read_back: Entry = match serde_yaml::from_str(&text) {
            Ok(e) => e,
            Err(e) => {
                report.problems.push(Problem::new(
                    feed.clone(),
                    format!("record {} (“{}”) could not be written as an entry that reads back the same: {e}", p.record, p.entry.name.0),
                    "please report this; meanwhile, write the entry by hand",
                ));
                continue;
            }
        };
        if p.old.as_ref() == Some(&read_back) {
            report.unchanged.push(p.path);
            continue;
        }
        // Problems the site will have with the entry, besides a missing
        // category (reported above, once).
        let mut probe = read_back.clone();
        if probe.categories.is_empty() {
            probe.categories.push(Line("x".into()));
        }
        if let Err(d) = entry::parse_entry(&SourceText::new(
            p.path.display().to_string(),
            to_yaml(&probe),
        )) {
            let w = format!("{}: fix the entry before the site will build", d.message);
            let mut warnings = p.warnings;
            warnings.push(w);
            report.warnings.push((p.path.clone(), dedup(warnings)));
        } else if !p.warnings.is_empty() {
            report.warnings.push((p.path.clone(), dedup(p.warnings)));
        }
        match &p.old {
            Some(old) => report
                .updated
                .push((p.path.clone(), changed_fields(old, &read_back))),
            None => report.added.push(p.path.clone()),
        }
        writes.push((p.path, text));
    }

    for e in &existing {
        if let Some(id) = &e.source_id
            && !feed_ids.contains(id)
        {
            report.removed_from_feed.push((e.path.clone(), id.clone()));
        }
    }

    if !report.problems.is_empty() || opts.dry_run {
        return Ok(report);
    }
    write_all(into, &writes)?;
    Ok(report)
}

/// "records 3 (“A”), 9 (“B”) and 12 (“C”)", at most five named.
fn list_records<'a>(records: impl Iterator<Item = (usize, &'a str)>) -> String {
    let all: Vec<String> = records.map(|(n, name)| format!("{n} (“{name}”)")).collect();
    let shown: Vec<&str> = all.iter().take(5).map(String::as_str).collect();
    let mut s = format!("records {}", shown[..shown.len() - 1].join(", "));
    if all.len() > 5 {
        s.push_str(&format!(
            ", {} and {} more",
            shown[shown.len() - 1],
            all.len() - 5
        ));
    } else {
        s.push_str(&format!(" and {}", shown[shown.len() - 1]));
    }
    s
}

fn dedup(list: Vec<String>) -> Vec<String> {
    let mut seen = BTreeSet::new();
    list.into_iter()
        .filter(|w| seen.insert(w.clone()))
        .collect()
}

fn stem(path: &Path) -> String {
    path.file_stem()
        .and_then(|s| s.to_str())
        .unwrap_or_default()
        .to_string()
}

fn import_scalar(s: &str) -> String {
    scalar(s, false)
}

/// A term as a key of the taxonomy map (quoted when YAML needs it).
pub fn yaml_key(term: &str) -> String {
    scalar(term, false)
}

/// The categories of a record: Signpost's own, or its terms through the
/// map, then by a category's id or name. Also the terms that found none.
fn map_categories(
    imported: &Imported,
    map: &TaxonomyMap,
    known: &BTreeMap<String, String>,
    new_categories: &mut BTreeMap<String, String>,
) -> (Vec<String>, Vec<String>) {
    let mut out: Vec<String> = Vec::new();
    let mut missing = Vec::new();
    let push = |id: &str, out: &mut Vec<String>| {
        if !out.iter().any(|o| o == id) {
            out.push(id.to_string());
        }
    };
    for (id, label) in &imported.categories {
        push(id, &mut out);
        if !known.is_empty() && !known.contains_key(id) {
            new_categories.insert(id.clone(), label.clone());
        }
    }
    for t in &imported.terms {
        if let Some(ids) = map.lookup(t) {
            for id in ids {
                push(id, &mut out);
            }
            continue;
        }
        let slug = oruk::slug(&t.name);
        let by_id = [Some(&slug), t.code.as_ref()]
            .into_iter()
            .flatten()
            .find(|k| known.contains_key(k.as_str()));
        let by_name = known
            .iter()
            .find(|(_, name)| name.trim().eq_ignore_ascii_case(t.name.trim()))
            .map(|(id, _)| id);
        match by_id.or(by_name) {
            Some(id) => push(id, &mut out),
            None if known.is_empty() && !slug.is_empty() => {
                push(&slug, &mut out);
                new_categories.insert(slug.clone(), t.name.clone());
            }
            None => {
                if !missing.contains(&t.name) {
                    missing.push(t.name.clone());
                }
            }
        }
    }
    (out, missing)
}

/// An entry updated from the feed: the feed's fields replace the entry's;
/// what the feed does not give (an email the editor added, towns, a
/// category when no term maps) is kept as the editor wrote it.
fn merge(feed: Entry, old: &Entry, imported: &Imported) -> Entry {
    let contact = match (feed.contact, &old.contact) {
        (Some(f), Some(o)) => Some(entry::Contact {
            phone: f.phone.or_else(|| o.phone.clone()),
            text_phone: f.text_phone.or_else(|| o.text_phone.clone()),
            sms: f.sms.or_else(|| o.sms.clone()),
            email: f.email.or_else(|| o.email.clone()),
            website: f.website.or_else(|| o.website.clone()),
        }),
        (f, o) => f.or_else(|| o.clone()),
    };
    let (areas, towns) = if feed.areas.is_empty() {
        (old.areas.clone(), old.towns.clone())
    } else {
        (feed.areas, Vec::new())
    };
    Entry {
        name: feed.name,
        summary: if imported.summary_given {
            feed.summary
        } else {
            old.summary.clone()
        },
        description: feed.description.or_else(|| old.description.clone()),
        categories: or_vec(feed.categories, &old.categories),
        areas,
        towns,
        contact,
        address: feed.address.or_else(|| old.address.clone()),
        opening_hours: or_vec(feed.opening_hours, &old.opening_hours),
        closed_on_bank_holidays: feed.closed_on_bank_holidays.or(old.closed_on_bank_holidays),
        cost: feed.cost.or_else(|| old.cost.clone()),
        eligibility: feed.eligibility.or_else(|| old.eligibility.clone()),
        referral: or_vec(feed.referral, &old.referral),
        languages: or_vec(feed.languages, &old.languages),
        accessibility: or_vec(feed.accessibility, &old.accessibility),
        last_verified: if imported.date_problem.is_none() {
            feed.last_verified
        } else {
            old.last_verified
        },
        source_id: feed.source_id,
    }
}

/// The feed's list, or the entry's when the feed gives none.
fn or_vec<T: Clone>(feed: Vec<T>, old: &[T]) -> Vec<T> {
    if feed.is_empty() { old.to_vec() } else { feed }
}

/// The top-level fields whose values differ, in the entry's order.
fn changed_fields(old: &Entry, new: &Entry) -> Vec<String> {
    let (Ok(a), Ok(b)) = (serde_json::to_value(old), serde_json::to_value(new)) else {
        return Vec::new();
    };
    entry::ENTRY_KEYS
        .iter()
        .filter(|k| a.get(**k) != b.get(**k))
        .map(|k| k.to_string())
        .collect()
}

/// The default-language entry files of `into` (NAME.yaml), A to Z.
fn existing_entries(into: &Path) -> Vec<Existing> {
    let Ok(dir) = std::fs::read_dir(into) else {
        return Vec::new();
    };
    let mut paths: Vec<PathBuf> = dir
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            p.is_file()
                && p.extension().is_some_and(|x| x == "yaml" || x == "yml")
                && p.file_stem()
                    .and_then(|s| s.to_str())
                    .is_some_and(|s| !s.contains('.') && !s.starts_with('.'))
        })
        .collect();
    paths.sort();
    paths
        .into_iter()
        .map(|path| {
            let text = std::fs::read_to_string(&path);
            let (entry, source_id) = match text {
                Err(e) => (Err(e.to_string()), None),
                Ok(text) => {
                    let file = SourceText::new(path.display().to_string(), text);
                    let entry = serde_yaml::from_str::<Entry>(&file.text).map_err(|e| {
                        let d = entry::yaml_problem(&e, &file, entry::ENTRY_KEYS, false);
                        format!("line {}: {}", d.line.unwrap_or(1), d.message)
                    });
                    let id = match &entry {
                        Ok(e) => e.source_id.clone(),
                        // A broken entry may still say where it came from.
                        Err(_) => serde_yaml::from_str::<serde_yaml::Value>(&file.text)
                            .ok()
                            .and_then(|v| {
                                v.get("source_id").and_then(|i| match i {
                                    serde_yaml::Value::String(s) => Some(s.trim().to_string()),
                                    serde_yaml::Value::Number(n) => Some(n.to_string()),
                                    _ => None,
                                })
                            }),
                    };
                    (entry, id)
                }
            };
            Existing {
                path,
                entry,
                source_id,
            }
        })
        .collect()
}

/// The folder holding `site.yaml` that `into` is in, if any.
fn site_root(into: &Path) -> Option<PathBuf> {
    let abs = if into.is_absolute() {
        into.to_path_buf()
    } else {
        std::env::current_dir().ok()?.join(into)
    };
    let mut dir = abs.as_path();
    loop {
        if dir.join("site.yaml").is_file() {
            return Some(if into.is_absolute() {
                dir.to_path_buf()
            } else {
                // Keep it relative, as the editor typed `into`.
                relative_root(into, abs.as_path(), dir)
            });
        }
        dir = dir.parent()?;
    }
}

fn relative_root(into: &Path, abs: &Path, root: &Path) -> PathBuf {
    let depth = abs
        .strip_prefix(root)
        .map(|r| r.components().count())
        .unwrap_or(0);
    let mut p = into.to_path_buf();
    for _ in 0..depth {
        if !p.pop() {
            return root.to_path_buf();
        }
    }
    p
}

/// Writes every file beside its place, then renames each into place; a
/// failure before the renames removes what was written.
fn write_all(into: &Path, writes: &[(PathBuf, String)]) -> Result<(), Fatal> {
    if writes.is_empty() {
        return Ok(());
    }
    std::fs::create_dir_all(into).map_err(|e| Fatal::io(into, e))?;
    let mut temps: Vec<(PathBuf, &Path)> = Vec::new();
    for (path, text) in writes {
        let tmp = path.with_file_name(format!(".{}.import-tmp", stem(path)));
        if let Err(e) = std::fs::write(&tmp, text) {
            let _ = std::fs::remove_file(&tmp);
            for (t, _) in &temps {
                let _ = std::fs::remove_file(t);
            }
            return Err(Fatal::io(&tmp, e));
        }
        temps.push((tmp, path));
    }
    for (tmp, path) in &temps {
        std::fs::rename(tmp, path).map_err(|e| Fatal::io(path, e))?;
    }
    Ok(())
}

/// The categories and areas the target directory's `_index.md` lists.
fn directory_facets(into: &Path) -> (BTreeMap<String, String>, BTreeMap<String, String>) {
    let mut cats = BTreeMap::new();
    let mut areas = BTreeMap::new();
    let Ok(text) = std::fs::read_to_string(into.join("_index.md")) else {
        return (cats, areas);
    };
    let file = SourceText::new("_index.md", text.trim_start_matches('\u{feff}'));
    let Ok(split) = crate::frontmatter::split(&file, &file.text) else {
        return (cats, areas);
    };
    let Ok(front) = crate::frontmatter::parse(&file, &split) else {
        return (cats, areas);
    };
    for (map, out) in [(&front.categories, &mut cats), (&front.areas, &mut areas)] {
        if let Some(m) = map {
            for (k, v) in m {
                if let (Some(k), Some(v)) = (k.as_str(), v.as_str()) {
                    out.insert(k.to_string(), v.to_string());
                }
            }
        }
    }
    (cats, areas)
}

/// Is `s` safe as a plain YAML scalar? `flow`: inside `[...]` or `{...}`.
fn plain_ok(s: &str, flow: bool) -> bool {
    let Some(first) = s.chars().next() else {
        return false;
    };
    if s != s.trim() || s.contains('\n') || s.contains(": ") || s.contains(" #") || s.ends_with(':')
    {
        return false;
    }
    if "-?:,[]{}#&*!|>'\"%@`".contains(first) {
        return false;
    }
    if flow && s.chars().any(|c| ",[]{}".contains(c)) {
        return false;
    }
    if s.chars().any(|c| c.is_control()) {
        return false;
    }
    let lower = s.to_ascii_lowercase();
    if [
        "true", "false", "yes", "no", "on", "off", "null", "~", "y", "n",
    ]
    .contains(&lower.as_str())
    {
        return false;
    }
    // Anything that could read as a number, a date or a time.
    let numberish = first.is_ascii_digit() || "+-.".contains(first);
    !numberish || s.contains(' ')
}

/// A scalar as YAML: plain when safe, else double-quoted (JSON escapes are
/// valid YAML escapes).
fn scalar(s: &str, flow: bool) -> String {
    if plain_ok(s, flow) {
        s.to_string()
    } else {
        serde_json::to_string(s).unwrap_or_else(|_| "\"\"".into())
    }
}

fn flow_list<S: AsRef<str>>(items: &[S]) -> String {
    let parts: Vec<String> = items.iter().map(|s| scalar(s.as_ref(), true)).collect();
    format!("[{}]", parts.join(", "))
}

/// A multi-line text as a literal block scalar.
fn block(key: &str, text: &str) -> String {
    if !text.contains('\n') {
        return format!("{key}: {}\n", scalar(text, false));
    }
    let chomp = if text.ends_with("\n\n") {
        "+"
    } else if text.ends_with('\n') {
        ""
    } else {
        "-"
    };
    let indent_hint = if text.starts_with(' ') || text.starts_with('\n') {
        "2"
    } else {
        ""
    };
    let mut out = format!("{key}: |{indent_hint}{chomp}\n");
    let body = text.strip_suffix('\n').unwrap_or(text);
    for line in body.split('\n') {
        if line.is_empty() {
            out.push('\n');
        } else {
            out.push_str("  ");
            out.push_str(line);
            out.push('\n');
        }
    }
    out
}

/// Writes an entry as hand-written entries look.
pub fn to_yaml(e: &Entry) -> String {
    let mut out = String::new();
    out.push_str(&format!("name: {}\n", scalar(&e.name, false)));
    out.push_str(&format!("summary: {}\n", scalar(&e.summary, false)));
    if let Some(d) = &e.description {
        out.push_str(&block("description", d));
    }
    out.push_str(&format!(
        "categories: {}\n",
        flow_list(
            &e.categories
                .iter()
                .map(|c| c.0.as_str())
                .collect::<Vec<_>>()
        )
    ));
    if !e.areas.is_empty() {
        out.push_str(&format!(
            "areas: {}\n",
            flow_list(&e.areas.iter().map(|c| c.0.as_str()).collect::<Vec<_>>())
        ));
    }
    if let Some(c) = &e.contact {
        out.push_str("contact:\n");
        for (k, v) in [
            ("phone", c.phone.as_ref().map(|p| &p.0)),
            ("text_phone", c.text_phone.as_ref().map(|p| &p.0)),
            ("sms", c.sms.as_ref().map(|p| &p.0)),
            ("email", c.email.as_ref().map(|p| &p.0)),
            ("website", c.website.as_ref().map(|p| &p.0)),
        ] {
            if let Some(v) = v {
                out.push_str(&format!("  {k}: {}\n", scalar(v, false)));
            }
        }
    }
    if let Some(a) = &e.address {
        let mut parts = vec![format!("line1: {}", scalar(&a.line1, true))];
        if let Some(l2) = &a.line2 {
            parts.push(format!("line2: {}", scalar(l2, true)));
        }
        parts.push(format!("town: {}", scalar(&a.town, true)));
        parts.push(format!("postcode: {}", scalar(&a.postcode, true)));
        out.push_str(&format!("address: {{ {} }}\n", parts.join(", ")));
    }
    if !e.opening_hours.is_empty() {
        out.push_str("opening_hours:\n");
        for h in &e.opening_hours {
            let days: Vec<&str> = h.days.iter().map(|d| d.key()).collect();
            out.push_str(&format!(
                "  - {{ days: [{}], opens: \"{}\", closes: \"{}\" }}\n",
                days.join(", "),
                h.opens,
                h.closes
            ));
        }
    }
    if let Some(b) = e.closed_on_bank_holidays {
        out.push_str(&format!("closed_on_bank_holidays: {b}\n"));
    }
    if let Some(c) = &e.cost {
        out.push_str(&block("cost", c));
    }
    if let Some(el) = &e.eligibility {
        out.push_str(&block("eligibility", el));
    }
    if !e.referral.is_empty() {
        out.push_str(&format!(
            "referral: {}\n",
            flow_list(&e.referral.iter().map(|r| r.key()).collect::<Vec<_>>())
        ));
    }
    if !e.languages.is_empty() {
        out.push_str(&format!(
            "languages: {}\n",
            flow_list(&e.languages.iter().map(|l| l.0.as_str()).collect::<Vec<_>>())
        ));
    }
    if !e.accessibility.is_empty() {
        out.push_str(&format!("accessibility: {}\n", flow_list(&e.accessibility)));
    }
    out.push_str(&format!("last_verified: {}\n", e.last_verified));
    if let Some(id) = &e.source_id {
        out.push_str(&format!("source_id: {}\n", scalar(id, false)));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn round_trip(text: &str) {
        let e = entry::parse_entry(&SourceText::new("a.yaml", text)).unwrap();
        let written = to_yaml(&e);
        let back = entry::parse_entry(&SourceText::new("b.yaml", written.clone()))
            .unwrap_or_else(|d| panic!("{d}\n{written}"));
        assert_eq!(e, back, "{written}");
    }

    #[test]
    fn awkward_values_survive() {
        round_trip(
            "name: \"Care: what next?\"\nsummary: \"yes\"\ndescription: \"  indented\\n\\nsecond # not a comment\\n\\n\"\ncategories: [\"a, b\", \"[x]\"]\ncontact:\n  phone: \"01632960123\"\naddress: { line1: \"1, The Street\", town: \"#1 Town\", postcode: SN1 1AA }\nopening_hours:\n  - { days: [sat, mon], opens: \"00:00\", closes: \"24:00\" }\ncost: \"£2: a session\"\naccessibility: [\"ramp, at the back\", 'quote \" here']\nlast_verified: 2026-01-01\n",
        );
        round_trip(
            "name: A\nsummary: B\ndescription: |-\n  no newline at the end\ncategories: [c]\ncontact: { email: a@b.org }\nlast_verified: 2026-01-01\n",
        );
    }
}
