//! `signpost import open-referral FILE.json --into content/services/`: turns
//! an Open Referral UK service list into entry files, written in the same
//! shape editors write them by hand (flow lists, a literal block for the
//! description), so that they can be read and edited as usual.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use crate::diagnostics::{Fatal, SourceText};
use crate::directory::entry::{self, Entry};
use crate::directory::oruk;
use crate::frontmatter::Date;

/// What an import did.
#[derive(Debug, Default)]
pub struct ImportReport {
    /// Entry files written.
    pub written: Vec<PathBuf>,
    /// Files left alone because they exist (without `--overwrite`), and why.
    pub skipped: Vec<(PathBuf, String)>,
    /// Per file: what could not be kept or needs checking.
    pub warnings: Vec<(PathBuf, String)>,
    /// Categories and areas the entries use that the directory's
    /// `_index.md` does not list yet (id, name).
    pub new_categories: BTreeMap<String, String>,
    pub new_areas: BTreeMap<String, String>,
}

/// Imports an Open Referral UK document (a page of services, a list, or one
/// service) into `into`, one `NAME.yaml` per service.
pub fn open_referral(
    file: &Path,
    into: &Path,
    overwrite: bool,
    today: Date,
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
    std::fs::create_dir_all(into).map_err(|e| Fatal::io(into, e))?;
    let (known_categories, known_areas) = directory_facets(into);
    let area_names: Vec<(String, String)> = known_areas
        .iter()
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();

    let mut report = ImportReport::default();
    let mut used: BTreeSet<String> = BTreeSet::new();
    for (n, v) in services.into_iter().enumerate() {
        let imported = match oruk::import_service(v, &area_names, today) {
            Ok(i) => i,
            Err(m) => {
                report
                    .skipped
                    .push((file.to_path_buf(), format!("service {}: {m}", n + 1)));
                continue;
            }
        };
        let wanted = imported
            .file_name
            .clone()
            .unwrap_or_else(|| oruk::slug(&imported.entry.name));
        let base = match wanted {
            s if s.is_empty()
                || ["category", "area", "large-print", "easy-read", "booklet"]
                    .contains(&s.as_str()) =>
            {
                format!("service-{}", n + 1)
            }
            s => s,
        };
        let mut name = base.clone();
        let mut k = 2;
        while used.contains(&name) {
            name = format!("{base}-{k}");
            k += 1;
        }
        used.insert(name.clone());
        let path = into.join(format!("{name}.yaml"));
        if path.exists() && !overwrite {
            report.skipped.push((
                path,
                "the file exists; use --overwrite to replace it".into(),
            ));
            continue;
        }
        let text = to_yaml(&imported.entry);
        // What we write must read back as the same entry.
        if let Err(d) =
            entry::parse_entry(&SourceText::new(path.display().to_string(), text.clone()))
        {
            report
                .warnings
                .push((path.clone(), format!("check this entry: {}", d.message)));
        }
        std::fs::write(&path, &text).map_err(|e| Fatal::io(&path, e))?;
        for w in imported.warnings {
            report.warnings.push((path.clone(), w));
        }
        for (id, label) in imported.categories {
            if !known_categories.contains_key(&id) {
                report.new_categories.insert(id, label);
            }
        }
        for (id, label) in imported.areas {
            if !known_areas.contains_key(&id) {
                report.new_areas.insert(id, label);
            }
        }
        report.written.push(path);
    }
    Ok(report)
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
