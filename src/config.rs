//! `site.yaml`: the site's settings (SPEC section 3).

use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::codes::Code;
use crate::diagnostics::{Diagnostic, Diagnostics, SourceText};
use crate::frontmatter::{Date, yaml_error};

/// Text direction of a language.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Direction {
    #[default]
    Ltr,
    Rtl,
}

impl Direction {
    pub fn as_str(self) -> &'static str {
        match self {
            Direction::Ltr => "ltr",
            Direction::Rtl => "rtl",
        }
    }
}

/// Names of well-known languages in themselves, for sites that list only a
/// code.
pub fn native_name(code: &str) -> Option<&'static str> {
    Some(match code {
        "en" => "English",
        "cy" => "Cymraeg",
        "pl" => "Polski",
        "ar" => "العربية",
        "ur" => "اردو",
        "ro" => "Română",
        "uk" => "Українська",
        "ne" => "नेपाली",
        _ => return None,
    })
}

/// The usual direction of a language's script.
pub fn natural_direction(code: &str) -> Direction {
    match code {
        "ar" | "ur" | "fa" | "he" | "ps" | "ku" | "yi" => Direction::Rtl,
        _ => Direction::Ltr,
    }
}

/// One language the site is published in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Language {
    pub code: String,
    /// The language's name in that language ("Polski").
    pub name: String,
    #[serde(default)]
    pub dir: Direction,
    /// The site's title in this language (the top-level `title` is the
    /// default language's); a language without one shows the default's.
    #[serde(default)]
    pub title: Option<String>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Organisation {
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub phone: Option<String>,
    #[serde(default)]
    pub email: Option<String>,
    #[serde(default)]
    pub address: Option<String>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AccessibilitySettings {
    #[serde(default)]
    pub contact_email: Option<String>,
    #[serde(default)]
    pub contact_phone: Option<String>,
    #[serde(default)]
    pub last_reviewed: Option<Date>,
    /// Date the statement was first prepared.
    #[serde(default)]
    pub prepared: Option<Date>,
    /// Known problems, listed under "Non-accessible content".
    #[serde(default)]
    pub known_issues: Vec<String>,
}

/// Thresholds of the easy-read checks.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct EasyReadSettings {
    /// Sentences longer than this are a warning.
    pub sentence_warn_words: usize,
    /// Sentences longer than this are an error.
    pub sentence_error_words: usize,
    /// Highest acceptable Flesch-Kincaid grade for a page.
    pub max_grade: f64,
    /// Short forms that need no explanation (NHS, GP...).
    pub allowed_abbreviations: Vec<String>,
}

impl Default for EasyReadSettings {
    fn default() -> Self {
        EasyReadSettings {
            sentence_warn_words: 15,
            sentence_error_words: 20,
            max_grade: 6.0,
            allowed_abbreviations: vec!["NHS".into(), "GP".into(), "OK".into()],
        }
    }
}

/// Thresholds of the structure checks (STRUCT001 to STRUCT004).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct StructureSettings {
    /// A page with more words than this and no subheading is a warning.
    pub max_words_without_heading: usize,
    /// A short line that appears this many times or more in one page is
    /// taken for a running header or footer.
    pub repeated_line_times: usize,
}

impl Default for StructureSettings {
    fn default() -> Self {
        StructureSettings {
            max_words_without_heading: 400,
            repeated_line_times: 3,
        }
    }
}

/// The parsed `site.yaml`.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SiteConfig {
    pub title: String,
    #[serde(default = "default_base_url")]
    pub base_url: String,
    #[serde(default = "default_language")]
    pub default_language: String,
    #[serde(default)]
    pub languages: Vec<Language>,
    #[serde(default = "default_theme")]
    pub theme: String,
    #[serde(default)]
    pub organisation: Organisation,
    #[serde(default)]
    pub accessibility: AccessibilitySettings,
    #[serde(default)]
    pub easy_read: EasyReadSettings,
    #[serde(default)]
    pub structure: StructureSettings,
    #[serde(default)]
    pub print: PrintSettings,
}

/// Which print downloads the site writes (`print:` in site.yaml).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct PrintSettings {
    /// A large-print PDF of every page, in every language.
    pub large_print_pdf: bool,
    /// The easy-read booklet PDFs (A4, A5 and the A5 imposed for printing)
    /// of every page that has easy read.
    pub booklet_pdf: bool,
    /// A braille file (`.brf`) of every page and service, in every
    /// language. Off unless switched on: it needs liblouis installed.
    pub braille: bool,
}

impl Default for PrintSettings {
    fn default() -> Self {
        PrintSettings {
            large_print_pdf: true,
            booklet_pdf: true,
            braille: false,
        }
    }
}

fn default_base_url() -> String {
    "/".into()
}
fn default_language() -> String {
    "en".into()
}
fn default_theme() -> String {
    "default".into()
}

const KEYS: &[&str] = &[
    "title",
    "base_url",
    "default_language",
    "languages",
    "theme",
    "organisation",
    "accessibility",
    "easy_read",
    "structure",
    "print",
];

impl SiteConfig {
    /// Reads and checks `site.yaml`. Problems go to `diags`; `None` means the
    /// site cannot be built.
    pub fn load(root: &Path, diags: &Diagnostics) -> Option<SiteConfig> {
        let path = root.join("site.yaml");
        let bytes = match std::fs::read(&path) {
            Ok(b) => b,
            Err(e) => {
                diags.push(
                    Diagnostic::new(
                        Code::CFG001,
                        format!("could not read site.yaml: {e}"),
                        "create site.yaml in the site's folder with at least `title: Your site name`",
                    )
                    .in_file("site.yaml"),
                );
                return None;
            }
        };
        let text = match String::from_utf8(bytes) {
            Ok(text) => text,
            Err(e) => {
                let (line, column) =
                    crate::diagnostics::byte_position(e.as_bytes(), e.utf8_error().valid_up_to());
                let mut d = Diagnostic::new(
                    Code::SRC001,
                    "site.yaml is not UTF-8 text",
                    "save it again as UTF-8",
                )
                .in_file("site.yaml");
                d.line = Some(line);
                d.column = Some(column);
                diags.push(d);
                return None;
            }
        };
        let text = text.strip_prefix('\u{feff}').unwrap_or(&text).to_string();
        let source = SourceText::new("site.yaml", text);
        Self::parse(&source, diags)
    }

    /// Parses site settings from text.
    pub fn parse(source: &SourceText, diags: &Diagnostics) -> Option<SiteConfig> {
        let mut config: SiteConfig = match serde_yaml::from_str(&source.text) {
            Ok(c) => c,
            Err(e) => {
                diags.push_with_source(yaml_error(&e, source, 0, Code::CFG002, KEYS), source);
                return None;
            }
        };
        if config.title.trim().is_empty() {
            diags.push_with_source(
                Diagnostic::new(
                    Code::CFG002,
                    "the site has no title",
                    "set `title:` to the site's name",
                )
                .at(source, 0),
                source,
            );
            return None;
        }
        if config.languages.is_empty() {
            let name = native_name(&config.default_language)
                .unwrap_or(&config.default_language)
                .to_string();
            config.languages.push(Language {
                code: config.default_language.clone(),
                name,
                dir: natural_direction(&config.default_language),
                title: None,
            });
        }
        let mut ok = true;
        let mut seen = std::collections::BTreeSet::new();
        for lang in &config.languages {
            let valid = !lang.code.is_empty()
                && lang.code.len() <= 8
                && lang
                    .code
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c == '-' || c.is_ascii_digit());
            // The `code:` holding this code, quoted or not.
            let offset = source
                .text
                .match_indices("code:")
                .map(|(i, _)| i)
                .find(|i| {
                    let rest = source.text[i + 5..]
                        .trim_start()
                        .trim_start_matches(['"', '\'']);
                    rest.starts_with(lang.code.as_str())
                })
                .unwrap_or(0);
            if !valid || lang.code == "easy" {
                diags.push_with_source(
                    Diagnostic::new(
                        Code::CFG003,
                        format!("`{}` is not a language code", lang.code),
                        "use a short lowercase code such as en, pl or ar",
                    )
                    .at(source, offset),
                    source,
                );
                ok = false;
            }
            let untitled = lang.title.as_deref().is_none_or(|t| t.trim().is_empty());
            if valid && untitled && lang.code != config.default_language {
                diags.push_with_source(
                    Diagnostic::new(
                        Code::CFG004,
                        format!(
                            "the site has no title in {} ({}), so its pages show the title `{}`",
                            lang.name, lang.code, config.title
                        ),
                        format!(
                            "add `title:` to this language with the site's name in {}, such as {{ code: {}, name: {}, title: ... }}",
                            lang.name, lang.code, lang.name
                        ),
                    )
                    .at(source, offset),
                    source,
                );
            }
            if !seen.insert(lang.code.clone()) {
                diags.push_with_source(
                    Diagnostic::new(
                        Code::CFG003,
                        format!("the language `{}` is listed twice", lang.code),
                        "list each language once",
                    )
                    .at(source, offset),
                    source,
                );
                ok = false;
            }
        }
        if !seen.contains(&config.default_language) {
            diags.push_with_source(
                Diagnostic::new(
                    Code::CFG003,
                    format!(
                        "the default language `{}` is not in `languages`",
                        config.default_language
                    ),
                    "add it to `languages` or change `default_language`",
                )
                .at(source, source.text.find("default_language").unwrap_or(0)),
                source,
            );
            ok = false;
        }
        // The default language comes first, the rest keep their order.
        config
            .languages
            .sort_by_key(|l| l.code != config.default_language);
        ok.then_some(config)
    }

    pub fn default_lang(&self) -> &Language {
        &self.languages[0]
    }

    /// The site's title in a language: its own `title`, or the default.
    pub fn title_in(&self, code: &str) -> &str {
        self.language(code)
            .and_then(|l| l.title.as_deref())
            .map(str::trim)
            .filter(|t| !t.is_empty())
            .unwrap_or(&self.title)
    }

    pub fn language(&self, code: &str) -> Option<&Language> {
        self.languages.iter().find(|l| l.code == code)
    }

    /// The path part of `base_url`, always starting and ending with `/`.
    pub fn base_path(&self) -> String {
        let rest = self
            .base_url
            .split_once("://")
            .map(|(_, r)| r.find('/').map(|i| &r[i..]).unwrap_or("/"))
            .unwrap_or(&self.base_url);
        let trimmed = rest.trim_matches('/');
        if trimmed.is_empty() {
            "/".into()
        } else {
            format!("/{trimmed}/")
        }
    }

    /// The origin-qualified base (`https://host/path/`), or the base path when
    /// the site has no host.
    pub fn absolute_base(&self) -> String {
        let mut b = self.base_url.clone();
        if !b.ends_with('/') {
            b.push('/');
        }
        b
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> (Option<SiteConfig>, Vec<Diagnostic>) {
        let d = Diagnostics::new();
        let c = SiteConfig::parse(&SourceText::new("site.yaml", text), &d);
        (c, d.sorted())
    }

    #[test]
    fn only_title_is_required() {
        let (c, d) = parse("title: Test\n");
        let c = c.unwrap();
        assert!(d.is_empty());
        assert_eq!(c.languages.len(), 1);
        assert_eq!(c.default_lang().code, "en");
        assert_eq!(c.base_path(), "/");
    }

    #[test]
    fn base_path_from_url() {
        let (c, _) = parse("title: T\nbase_url: https://x.example.org/care\n");
        assert_eq!(c.unwrap().base_path(), "/care/");
    }

    #[test]
    fn unknown_key_is_reported_with_line() {
        let (c, d) = parse("title: T\nlanguage: pl\n");
        assert!(c.is_none());
        assert_eq!(d[0].code, Code::CFG002);
        assert_eq!(d[0].line, Some(2));
        assert!(d[0].help.contains("languages"), "{:?}", d[0]);
    }

    #[test]
    fn a_title_per_language() {
        let (c, d) = parse(
            "title: Care\nlanguages:\n  - { code: en, name: English }\n  - { code: pl, name: Polski, title: Opieka }\n  - { code: ar, name: العربية, dir: rtl }\n",
        );
        let c = c.unwrap();
        assert_eq!(c.title_in("en"), "Care");
        assert_eq!(c.title_in("pl"), "Opieka");
        assert_eq!(c.title_in("ar"), "Care");
        // Arabic has none: one warning, at its line, naming the language.
        assert_eq!(d.len(), 1, "{d:?}");
        assert_eq!(d[0].code, Code::CFG004);
        assert_eq!(d[0].line, Some(5));
        assert!(d[0].message.contains("العربية (ar)"), "{}", d[0].message);
    }

    #[test]
    fn default_language_must_be_listed() {
        let (c, d) =
            parse("title: T\ndefault_language: cy\nlanguages:\n  - { code: en, name: English }\n");
        assert!(c.is_none());
        assert_eq!(d[0].code, Code::CFG003);
    }
}
