//! Interface strings, plural rules and dates, per language.
//!
//! Built-in strings (`translations/*.yaml` compiled into the binary) are
//! overridden key by key by the site's own `translations/LANG.yaml`. A key
//! missing in a language falls back to English. Plurals use the CLDR rules
//! through `intl_pluralrules`; dates use each language's month names and
//! order.

use std::collections::BTreeMap;
use std::path::Path;

use intl_pluralrules::{PluralCategory, PluralRuleType, PluralRules};
use serde_json::Value as Json;

use crate::codes::Code;
use crate::config::SiteConfig;
use crate::diagnostics::{Diagnostic, Diagnostics, SourceText};
use crate::frontmatter::Date;

/// The strings of one language, merged and flattened (`format.easy_read`).
pub struct Strings {
    pub lang: String,
    /// Flattened values: strings, lists and plural maps.
    values: BTreeMap<String, Json>,
    plural: Option<PluralRules>,
}

impl std::fmt::Debug for Strings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Strings").field("lang", &self.lang).finish()
    }
}

impl Strings {
    /// A plain string; the key itself when it is missing everywhere.
    pub fn get(&self, key: &str) -> String {
        match self.values.get(key) {
            Some(Json::String(s)) => s.clone(),
            _ => key.to_string(),
        }
    }

    /// A string with `{name}` placeholders filled in.
    pub fn fmt(&self, key: &str, args: &[(&str, &str)]) -> String {
        fill(&self.get(key), args)
    }

    /// A plural string for `n`, with `{count}` and other placeholders filled.
    pub fn plural(&self, key: &str, n: u64, args: &[(&str, &str)]) -> String {
        let Some(Json::Object(forms)) = self.values.get(key) else {
            return self.fmt(key, args);
        };
        let category = self
            .plural
            .as_ref()
            .and_then(|p| p.select(n).ok())
            .unwrap_or(PluralCategory::OTHER);
        let name = match category {
            PluralCategory::ZERO => "zero",
            PluralCategory::ONE => "one",
            PluralCategory::TWO => "two",
            PluralCategory::FEW => "few",
            PluralCategory::MANY => "many",
            PluralCategory::OTHER => "other",
        };
        let form = forms
            .get(name)
            .or_else(|| forms.get("other"))
            .and_then(Json::as_str)
            .unwrap_or(key);
        let count = n.to_string();
        let mut all: Vec<(&str, &str)> = vec![("count", &count)];
        all.extend_from_slice(args);
        fill(form, &all)
    }

    /// A date as this language writes it ("1 November 2026", "1 listopada 2026").
    pub fn date(&self, d: Date) -> String {
        let month = match self.values.get("months") {
            Some(Json::Array(m)) => m
                .get((d.month() - 1) as usize)
                .and_then(Json::as_str)
                .unwrap_or("")
                .to_string(),
            _ => d.month().to_string(),
        };
        fill(
            &self.get("date_format"),
            &[
                ("day", &d.day().to_string()),
                ("month", &month),
                ("year", &d.year().to_string()),
            ],
        )
    }

    /// Every string as a nested JSON object, for templates (`t.format.easy_read`).
    pub fn as_tree(&self) -> Json {
        let mut root = Json::Object(Default::default());
        for (k, v) in &self.values {
            insert_path(&mut root, k, v.clone());
        }
        root
    }

    /// A list of strings (`statement.can`).
    pub fn list(&self, key: &str) -> Vec<String> {
        match self.values.get(key) {
            Some(Json::Array(a)) => a
                .iter()
                .filter_map(|v| v.as_str().map(String::from))
                .collect(),
            _ => Vec::new(),
        }
    }
}

fn insert_path(node: &mut Json, path: &str, value: Json) {
    let (head, rest) = match path.split_once('.') {
        Some((h, r)) => (h, Some(r)),
        None => (path, None),
    };
    if !node.is_object() {
        *node = Json::Object(Default::default());
    }
    let Json::Object(map) = node else {
        return;
    };
    match rest {
        None => {
            map.insert(head.to_string(), value);
        }
        Some(r) => {
            let child = map
                .entry(head.to_string())
                .or_insert_with(|| Json::Object(Default::default()));
            insert_path(child, r, value);
        }
    }
}

/// Replaces `{name}` placeholders.
pub fn fill(template: &str, args: &[(&str, &str)]) -> String {
    let mut out = template.to_string();
    for (k, v) in args {
        out = out.replace(&format!("{{{k}}}"), v);
    }
    out
}

/// The strings of every language of a site.
#[derive(Debug)]
pub struct I18n {
    pub by_lang: BTreeMap<String, Strings>,
}

impl I18n {
    /// Loads built-in strings and the site's overrides for each language.
    pub fn load(root: &Path, config: &SiteConfig, diags: &Diagnostics) -> I18n {
        let builtin_en = builtin("en", diags);
        let mut by_lang = BTreeMap::new();
        for lang in &config.languages {
            let mut values = builtin_en.clone();
            values.extend(builtin(&lang.code, diags));
            for ext in ["yaml", "yml"] {
                let path = root
                    .join("translations")
                    .join(format!("{}.{ext}", lang.code));
                if let Ok(bytes) = std::fs::read(&path) {
                    let name = format!("translations/{}.{ext}", lang.code);
                    match String::from_utf8(bytes) {
                        Ok(text) => {
                            values.extend(parse_strings(&SourceText::new(name, text), diags))
                        }
                        Err(_) => diags.push(
                            Diagnostic::new(
                                Code::SRC001,
                                "this file is not UTF-8 text",
                                "save it again as UTF-8",
                            )
                            .in_file(name),
                        ),
                    }
                }
            }
            let plural = lang
                .code
                .parse::<unic_langid::LanguageIdentifier>()
                .ok()
                .and_then(|id| PluralRules::create(id, PluralRuleType::CARDINAL).ok());
            by_lang.insert(
                lang.code.clone(),
                Strings {
                    lang: lang.code.clone(),
                    values,
                    plural,
                },
            );
        }
        I18n { by_lang }
    }

    pub fn get(&self, lang: &str) -> &Strings {
        self.by_lang
            .get(lang)
            .or_else(|| self.by_lang.values().next())
            .unwrap_or_else(|| unreachable_strings())
    }
}

fn unreachable_strings() -> &'static Strings {
    static EMPTY: std::sync::OnceLock<Strings> = std::sync::OnceLock::new();
    EMPTY.get_or_init(|| Strings {
        lang: "en".into(),
        values: BTreeMap::new(),
        plural: None,
    })
}

/// The built-in strings of a language, flattened (empty when not built in).
pub fn builtin(lang: &str, diags: &Diagnostics) -> BTreeMap<String, Json> {
    let name = format!("{lang}.yaml");
    crate::builtin::STRING_FILES
        .iter()
        .find(|(n, _)| *n == name)
        .map(|(_, bytes)| {
            let text = String::from_utf8_lossy(bytes).to_string();
            parse_strings(
                &SourceText::new(format!("(built-in) translations/{name}"), text),
                diags,
            )
        })
        .unwrap_or_default()
}

/// Languages with built-in strings.
pub fn builtin_languages() -> Vec<String> {
    crate::builtin::STRING_FILES
        .iter()
        .filter_map(|(n, _)| n.strip_suffix(".yaml").map(String::from))
        .collect()
}

/// Parses and flattens a strings file.
pub fn parse_strings(file: &SourceText, diags: &Diagnostics) -> BTreeMap<String, Json> {
    let value: Json = match serde_yaml::from_str(&file.text) {
        Ok(v) => v,
        Err(e) => {
            diags.push_with_source(
                crate::frontmatter::yaml_error(&e, file, 0, Code::I18N002, &[]),
                file,
            );
            return BTreeMap::new();
        }
    };
    let mut out = BTreeMap::new();
    flatten("", &value, &mut out);
    out
}

const PLURAL_KEYS: &[&str] = &["zero", "one", "two", "few", "many", "other"];

fn flatten(prefix: &str, v: &Json, out: &mut BTreeMap<String, Json>) {
    match v {
        Json::Object(map)
            if !map.is_empty() && map.keys().all(|k| PLURAL_KEYS.contains(&k.as_str())) =>
        {
            out.insert(prefix.to_string(), v.clone());
        }
        Json::Object(map) => {
            for (k, child) in map {
                let key = if prefix.is_empty() {
                    k.clone()
                } else {
                    format!("{prefix}.{k}")
                };
                flatten(&key, child, out);
            }
        }
        _ => {
            out.insert(prefix.to_string(), v.clone());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn strings(lang: &str) -> Strings {
        let d = Diagnostics::new();
        let mut values = builtin("en", &d);
        values.extend(builtin(lang, &d));
        assert!(d.sorted().is_empty(), "{:?}", d.sorted());
        Strings {
            lang: lang.into(),
            values,
            plural: lang
                .parse::<unic_langid::LanguageIdentifier>()
                .ok()
                .and_then(|id| PluralRules::create(id, PluralRuleType::CARDINAL).ok()),
        }
    }

    #[test]
    fn english_plurals_and_dates() {
        let s = strings("en");
        assert_eq!(s.plural("pages_count", 1, &[]), "1 page");
        assert_eq!(s.plural("pages_count", 5, &[]), "5 pages");
        let d = Date::parse("2026-11-01").unwrap();
        assert_eq!(s.date(d), "1 November 2026");
    }

    #[test]
    fn every_builtin_language_has_every_key() {
        let d = Diagnostics::new();
        let en = builtin("en", &d);
        for lang in builtin_languages() {
            let other = builtin(&lang, &d);
            for key in en.keys() {
                assert!(other.contains_key(key), "{lang}.yaml lacks `{key}`");
            }
            for key in other.keys() {
                assert!(en.contains_key(key), "{lang}.yaml has unknown key `{key}`");
            }
        }
        assert!(d.sorted().is_empty(), "{:?}", d.sorted());
        for lang in ["en", "cy", "pl", "ar", "ur", "ro", "uk", "ne"] {
            assert!(
                builtin_languages().contains(&lang.to_string()),
                "no built-in {lang}"
            );
        }
    }

    /// Strings for `lang` whose `t` key names each plural category.
    fn categories(lang: &str) -> Strings {
        let mut values = BTreeMap::new();
        let forms: serde_json::Map<String, Json> = PLURAL_KEYS
            .iter()
            .map(|k| (k.to_string(), Json::String(format!("{k}:{{count}}"))))
            .collect();
        values.insert("t".to_string(), Json::Object(forms));
        Strings {
            lang: lang.into(),
            values,
            plural: lang
                .parse::<unic_langid::LanguageIdentifier>()
                .ok()
                .and_then(|id| PluralRules::create(id, PluralRuleType::CARDINAL).ok()),
        }
    }

    #[test]
    fn polish_and_arabic_plurals_follow_cldr() {
        let pl = categories("pl");
        let got: Vec<String> = [1, 2, 5, 22, 25, 112]
            .iter()
            .map(|n| pl.plural("t", *n, &[]))
            .collect();
        assert_eq!(
            got,
            ["one:1", "few:2", "many:5", "few:22", "many:25", "many:112"]
        );
        let ar = categories("ar");
        let got: Vec<String> = [0, 1, 2, 3, 11, 100]
            .iter()
            .map(|n| ar.plural("t", *n, &[]))
            .collect();
        assert_eq!(
            got,
            ["zero:0", "one:1", "two:2", "few:3", "many:11", "other:100"]
        );
        let cy = categories("cy");
        let got: Vec<String> = [0, 1, 2, 3, 6, 7]
            .iter()
            .map(|n| cy.plural("t", *n, &[]))
            .collect();
        assert_eq!(
            got,
            ["zero:0", "one:1", "two:2", "few:3", "many:6", "other:7"]
        );
        // The built-in files hold every form their language uses.
        let d = Diagnostics::new();
        for (lang, needed) in [
            ("pl", &["one", "few", "many", "other"][..]),
            ("ar", PLURAL_KEYS),
            ("cy", PLURAL_KEYS),
        ] {
            let b = builtin(lang, &d);
            let Some(Json::Object(forms)) = b.get("pages_count") else {
                panic!("{lang}: pages_count is not a plural map");
            };
            for k in needed {
                assert!(forms.contains_key(*k), "{lang}: pages_count lacks `{k}`");
            }
        }
    }

    #[test]
    fn polish_dates_use_the_genitive() {
        let pl = strings("pl");
        assert_eq!(
            pl.date(Date::parse("2026-11-01").unwrap()),
            "1 listopada 2026"
        );
    }
}
