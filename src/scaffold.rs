//! `signpost new`: correctly shaped source files for editors to fill in.
//!
//! Each file builds as it is (the tests build a site after every kind),
//! and says in its placeholder text what to write. Nothing is ever
//! overwritten: an existing file is a usage error.

use std::path::{Component, Path, PathBuf};

use crate::config::SiteConfig;
use crate::diagnostics::{Diagnostics, Fatal, SourceText};
use crate::frontmatter::{self, Date};

/// What to create.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum New {
    /// A page, `content/DIR/NAME.md` (or `_index.md` for a section).
    Page { path: PathBuf },
    /// The easy-read version `NAME.easy.md` of an existing page.
    EasyRead { path: PathBuf },
    /// A service entry `NAME.yaml` in a directory section.
    Service { path: PathBuf },
    /// A copy of a page (or service entry) to translate into `lang`.
    Translation { path: PathBuf, lang: String },
    /// A minimal working site in a new folder.
    Site { dir: PathBuf },
}

fn usage(msg: impl Into<String>) -> Fatal {
    Fatal::Usage(msg.into())
}

/// `path` as a file inside `root/content/`: `content/a/b.md`, `a/b.md` and
/// an absolute path inside the content folder all name `root/content/a/b.md`.
pub fn content_path(root: &Path, path: &Path) -> Result<PathBuf, Fatal> {
    let content = root.join("content");
    let rel: PathBuf = if path.is_absolute() {
        let canon_content = content.canonicalize().unwrap_or_else(|_| content.clone());
        let parent = path.parent().and_then(|p| p.canonicalize().ok());
        match parent
            .as_deref()
            .and_then(|p| p.strip_prefix(&canon_content).ok())
        {
            Some(dir) => dir.join(path.file_name().unwrap_or_default()),
            None => match path.strip_prefix(&content) {
                Ok(r) => r.to_path_buf(),
                Err(_) => {
                    return Err(usage(format!(
                        "{} is not inside {}",
                        path.display(),
                        content.display()
                    )));
                }
            },
        }
    } else {
        path.strip_prefix("content").unwrap_or(path).to_path_buf()
    };
    if rel.as_os_str().is_empty() || rel.components().any(|c| !matches!(c, Component::Normal(_))) {
        return Err(usage(format!(
            "`{}` is not a file path inside content/; write it like content/carers/respite.md",
            path.display()
        )));
    }
    Ok(content.join(rel))
}

fn display(root: &Path, p: &Path) -> String {
    crate::diagnostics::display_path(root, p)
}

/// Writes a new file, refusing to overwrite one.
fn write_new(root: &Path, path: &Path, text: &str) -> Result<(), Fatal> {
    if path.exists() {
        return Err(usage(format!(
            "{} already exists; Signpost never overwrites a file: choose another name, or delete the file first",
            display(root, path)
        )));
    }
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).map_err(|e| Fatal::io(dir, e))?;
    }
    let mut f = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
        .map_err(|e| match e.kind() {
            std::io::ErrorKind::AlreadyExists => usage(format!(
                "{} already exists; Signpost never overwrites a file",
                display(root, path)
            )),
            _ => Fatal::io(path, e),
        })?;
    std::io::Write::write_all(&mut f, text.as_bytes()).map_err(|e| Fatal::io(path, e))
}

/// "carers-assessment" -> "Carers assessment".
pub fn title_from_name(name: &str) -> String {
    let words = name.replace(['-', '_'], " ");
    let words = words.split_whitespace().collect::<Vec<_>>().join(" ");
    let mut chars = words.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => "New page".into(),
    }
}

/// A date one year later (29 February becomes 28 February).
pub fn a_year_later(d: Date) -> Date {
    d.0.checked_add(jiff::Span::new().years(1))
        .map(Date)
        .unwrap_or(d.add_days(365))
}

fn yaml_string(s: &str) -> String {
    serde_json::to_string(s).unwrap_or_else(|_| "\"\"".into())
}

/// Creates what `what` asks for under the site `root`. Returns the files
/// created, relative to `root` where possible.
pub fn create(root: &Path, what: &New, today: Date) -> Result<Vec<String>, Fatal> {
    match what {
        New::Page { path } => new_page(root, path, today),
        New::EasyRead { path } => new_easy_read(root, path, today),
        New::Service { path } => new_service(root, path, today),
        New::Translation { path, lang } => new_translation(root, path, lang),
        New::Site { dir } => new_site(dir, today),
    }
}

fn site_config(root: &Path) -> Result<SiteConfig, Fatal> {
    let diags = Diagnostics::new();
    SiteConfig::load(root, &diags).ok_or_else(|| {
        usage(format!(
            "{} has no readable site.yaml; run this in a site's folder, or use --root (`signpost new site DIR` makes a new site)",
            root.display()
        ))
    })
}

/// The page text of a new page.
pub fn page_text(title: &str, today: Date) -> String {
    format!(
        "---\n\
         title: {title}\n\
         summary: Say in one or two sentences who this page is for and what it helps them do.\n\
         updated: {today}\n\
         review_by: {review}\n\
         # owner: the team that looks after this page\n\
         ---\n\
         \n\
         Write the page here. Start with what the reader most needs to know.\n\
         Use short sentences and everyday words.\n\
         \n\
         ## What you can do\n\
         \n\
         Say what the reader can do next, and how to get in touch.\n",
        title = yaml_string(title),
        review = a_year_later(today),
    )
}

fn new_page(root: &Path, path: &Path, today: Date) -> Result<Vec<String>, Fatal> {
    let config = site_config(root)?;
    let mut file = content_path(root, path)?;
    if file.extension().is_none() {
        file.set_extension("md");
    }
    let rel = file
        .strip_prefix(root.join("content"))
        .map(|r| r.to_string_lossy().replace('\\', "/"))
        .unwrap_or_default();
    let classified = crate::source::classify(&rel, &config)
        .map_err(|d| usage(format!("{}: {}", rel, d.help)))?;
    match classified.kind {
        crate::source::SourceKind::Page {
            variant: crate::source::Variant::Standard,
        } if classified.lang.is_none() => {}
        _ => {
            return Err(usage(format!(
                "`{rel}` is not the name of a page: write NAME.md (use `signpost new easy-read` or `signpost new translation` for other versions)"
            )));
        }
    }
    let name = if classified.name == "_index" {
        Path::new(&classified.dir)
            .file_name()
            .map(|n| n.to_string_lossy().to_string())
            .unwrap_or_else(|| "home".into())
    } else {
        classified.name.clone()
    };
    write_new(root, &file, &page_text(&title_from_name(&name), today))?;
    Ok(vec![display(root, &file)])
}

/// The front matter lines of a page, less the keys that belong to one file
/// only (`aliases`, `slug`), with their values.
fn front_lines_without(yaml: &str, drop: &[&str]) -> String {
    let mut out = String::new();
    let mut skipping = false;
    for line in yaml.lines() {
        let top_level = !line.starts_with(' ')
            && !line.starts_with('\t')
            && !line.starts_with('-')
            && !line.trim().is_empty();
        if top_level {
            let key = line.split(':').next().unwrap_or("").trim();
            skipping = drop.contains(&key);
        }
        if !skipping {
            out.push_str(line);
            out.push('\n');
        }
    }
    out
}

fn read_page(root: &Path, file: &Path) -> Result<(String, String, String), Fatal> {
    let display_name = display(root, file);
    if !file.is_file() {
        return Err(usage(format!(
            "{display_name} does not exist; give the path of an existing page, like content/carers/respite.md"
        )));
    }
    let text = crate::model::read_text(file, &display_name)
        .map_err(|d| usage(format!("{display_name}: {}", d.message)))?;
    let source = SourceText::new(display_name.clone(), text.clone());
    let split = frontmatter::split(&source, &text)
        .map_err(|d| usage(format!("{display_name}: {}; {}", d.message, d.help)))?;
    Ok((display_name, split.yaml.to_string(), split.body.to_string()))
}

fn new_easy_read(root: &Path, path: &Path, today: Date) -> Result<Vec<String>, Fatal> {
    let config = site_config(root)?;
    let file = content_path(root, path)?;
    let rel = file
        .strip_prefix(root.join("content"))
        .map(|r| r.to_string_lossy().replace('\\', "/"))
        .unwrap_or_default();
    let classified =
        crate::source::classify(&rel, &config).map_err(|d| usage(format!("{rel}: {}", d.help)))?;
    if classified.kind
        != (crate::source::SourceKind::Page {
            variant: crate::source::Variant::Standard,
        })
    {
        return Err(usage(format!(
            "`{rel}` is not a standard page: give the page an easy-read version is made from, like content/carers/respite.md"
        )));
    }
    let (_, yaml, _) = read_page(root, &file)?;
    let lang = classified
        .lang
        .as_deref()
        .map(|l| format!(".{l}"))
        .unwrap_or_default();
    let target = file.with_file_name(format!("{}.easy{lang}.md", classified.name));
    let front = front_lines_without(&yaml, &["aliases", "slug", "updated", "review_by"]);
    let text = format!(
        "---\n{front}updated: {today}\nreview_by: {review}\n---\n\
         \n\
         ## What this is about\n\
         \n\
         ![A person with a question](symbol:question) Say what this page is about. Use 1 short sentence.\n\
         \n\
         ![A person helping](symbol:help) Say who can help. Write 1 idea on each row.\n\
         \n\
         ## What to do next\n\
         \n\
         ![A phone](symbol:phone) Say how to get in touch. Write the phone number in numbers.\n\
         \n\
         ![A calendar](symbol:calendar) Say when things will happen. Write dates in full.\n",
        review = a_year_later(today),
    );
    write_new(root, &target, &text)?;
    Ok(vec![display(root, &target)])
}

/// The first category and area ids of a directory section's `_index.md`.
fn section_ids(dir: &Path) -> (Option<String>, Option<String>) {
    let index = dir.join("_index.md");
    let Ok(text) = std::fs::read_to_string(&index) else {
        return (None, None);
    };
    let source = SourceText::new("_index.md", text.clone());
    let Ok(split) = frontmatter::split(&source, &text) else {
        return (None, None);
    };
    let Ok(map) = serde_yaml::from_str::<serde_yaml::Mapping>(split.yaml) else {
        return (None, None);
    };
    let first = |key: &str| -> Option<String> {
        match map.get(key)? {
            serde_yaml::Value::Mapping(m) => {
                m.keys().next().and_then(|k| k.as_str()).map(String::from)
            }
            _ => None,
        }
    };
    (first("categories"), first("areas"))
}

fn new_service(root: &Path, path: &Path, today: Date) -> Result<Vec<String>, Fatal> {
    site_config(root)?;
    let mut file = content_path(root, path)?;
    match file.extension().and_then(|e| e.to_str()) {
        None => {
            file.set_extension("yaml");
        }
        Some("yaml") | Some("yml") => {}
        Some(_) => {
            return Err(usage(
                "a service entry is a .yaml file, like content/services/carer-support.yaml",
            ));
        }
    }
    let stem = file
        .file_stem()
        .map(|s| s.to_string_lossy().to_string())
        .unwrap_or_default();
    if stem.contains('.') {
        return Err(usage(
            "name the entry NAME.yaml without other dots; use `signpost new translation` for a translated entry",
        ));
    }
    let dir = file.parent().map(Path::to_path_buf).unwrap_or_default();
    let (category, area) = section_ids(&dir);
    let category_line = match &category {
        Some(c) => format!("categories: [{c}]"),
        None => "categories: [advice]".to_string(),
    };
    let area_line = match &area {
        Some(a) => format!("areas: [{a}]"),
        None => "# areas: [county-wide]".to_string(),
    };
    let text = format!(
        "# A service directory entry. Lines starting with # are notes or optional\n\
         # fields: remove the # to use a field. Required: name, summary,\n\
         # categories, a way to contact (contact or address) and last_verified.\n\
         \n\
         # The service's name, as people know it.\n\
         name: {name}\n\
         # One or two sentences: what the service does and who it is for.\n\
         summary: Say in one or two sentences what this service does and who it is for.\n\
         # More about the service, in markdown. Short paragraphs and plain words.\n\
         description: |\n\
         \x20 Describe what the service offers, how to start and what happens next.\n\
         # What the service helps with: ids from the categories in this section's _index.md.\n\
         {category_line}\n\
         # Where it works: ids from the areas in this section's _index.md\n\
         # (or towns: [Trowbridge, Salisbury]).\n\
         {area_line}\n\
         # How to get in touch. Give at least one way, or an address below.\n\
         contact:\n\
         \x20 # Phone number, with spaces as people read it.\n\
         \x20 # phone: 01632 960000\n\
         \x20 # Text relay or textphone number.\n\
         \x20 # text_phone: 18001 01632 960000\n\
         \x20 # Email address: change this to the service's real address.\n\
         \x20 email: change-this@example.org\n\
         \x20 # Web page about the service.\n\
         \x20 # website: https://example.org/service\n\
         # Where to go in person.\n\
         # address: {{ line1: 1 Example Street, town: Devizes, postcode: SN10 1AA }}\n\
         # When it is open: days mon to sun, times as \"HH:MM\".\n\
         # opening_hours:\n\
         #   - {{ days: [mon, tue, wed, thu, fri], opens: \"09:00\", closes: \"17:00\" }}\n\
         # What it costs, in words (free, or the price).\n\
         # cost: free\n\
         # Who can use it.\n\
         # eligibility: Adults who live in the area.\n\
         # How people get to it: self, professional, gp, family.\n\
         # referral: [self, professional]\n\
         # Languages the service works in, as language codes.\n\
         # languages: [en]\n\
         # Access needs it meets.\n\
         # accessibility: [step-free access, hearing loop]\n\
         # The date you last checked every detail with the service (YYYY-MM-DD).\n\
         last_verified: {today}\n",
        name = yaml_string(&title_from_name(&stem)),
    );
    write_new(root, &file, &text)?;
    Ok(vec![display(root, &file)])
}

fn new_translation(root: &Path, path: &Path, lang: &str) -> Result<Vec<String>, Fatal> {
    let config = site_config(root)?;
    let codes: Vec<&str> = config.languages.iter().map(|l| l.code.as_str()).collect();
    if config.language(lang).is_none() {
        return Err(usage(format!(
            "`{lang}` is not a language of this site; the languages in site.yaml are: {}",
            codes.join(", ")
        )));
    }
    if lang == config.default_language {
        return Err(usage(format!(
            "`{lang}` is the site's default language: the page is already in it"
        )));
    }
    let file = content_path(root, path)?;
    let rel = file
        .strip_prefix(root.join("content"))
        .map(|r| r.to_string_lossy().replace('\\', "/"))
        .unwrap_or_default();
    let classified =
        crate::source::classify(&rel, &config).map_err(|d| usage(format!("{rel}: {}", d.help)))?;
    if classified.lang.is_some() {
        return Err(usage(format!(
            "`{rel}` is already a translation: give the default-language file"
        )));
    }
    let language = config
        .language(lang)
        .map(|l| l.name.clone())
        .unwrap_or_default();
    match classified.kind {
        crate::source::SourceKind::Page { variant } => {
            let (_, yaml, body) = read_page(root, &file)?;
            let easy = if variant == crate::source::Variant::EasyRead {
                ".easy"
            } else {
                ""
            };
            let target = file.with_file_name(format!("{}{easy}.{lang}.md", classified.name));
            let front = front_lines_without(&yaml, &["aliases", "slug"]);
            let text = format!(
                "---\n\
                 # Translation into {language} ({lang}) of content/{rel}.\n\
                 # Translate: the title, the summary and all the text below the second\n\
                 # --- line, including headings, link text and picture descriptions.\n\
                 # Keep as they are: link addresses, file names, symbol: names, and the\n\
                 # dates. When the translation is done, set `updated` to that day.\n\
                 {front}---\n{body}"
            );
            write_new(root, &target, &text)?;
            Ok(vec![display(root, &target)])
        }
        crate::source::SourceKind::Service => {
            let text = std::fs::read_to_string(&file).map_err(|_| {
                usage(format!(
                    "content/{rel} does not exist; give the path of an existing service entry"
                ))
            })?;
            let entry: serde_yaml::Mapping = serde_yaml::from_str(&text)
                .map_err(|e| usage(format!("content/{rel} is not valid YAML: {e}")))?;
            let ext = file.extension().and_then(|e| e.to_str()).unwrap_or("yaml");
            let target = file.with_file_name(format!("{}.{lang}.{ext}", classified.name));
            let mut fields = serde_yaml::Mapping::new();
            for key in ["name", "summary", "description", "eligibility", "cost"] {
                if let Some(v) = entry.get(key) {
                    fields.insert(serde_yaml::Value::String(key.into()), v.clone());
                }
            }
            let yaml = serde_yaml::to_string(&fields)
                .map_err(|e| usage(format!("could not copy content/{rel}: {e}")))?;
            let out = format!(
                "# Translation into {language} ({lang}) of content/{rel}.\n\
                 # Translate each value below. This file holds only the fields it\n\
                 # translates; everything else comes from content/{rel}.\n\
                 # Delete a field to keep it as it is in the original.\n\
                 {yaml}"
            );
            write_new(root, &target, &out)?;
            Ok(vec![display(root, &target)])
        }
        crate::source::SourceKind::Asset => {
            Err(usage(format!("`{rel}` is not a page or a service entry")))
        }
    }
}

fn new_site(dir: &Path, today: Date) -> Result<Vec<String>, Fatal> {
    let name = dir
        .canonicalize()
        .ok()
        .as_deref()
        .or(Some(dir))
        .and_then(|d| d.file_name())
        .map(|n| title_from_name(&n.to_string_lossy()))
        .unwrap_or_else(|| "Our information".into());
    let review = a_year_later(today);
    let files: Vec<(PathBuf, String)> = vec![
        (
            dir.join("site.yaml"),
            format!(
                "# Site settings. Only title is required; see the README for the rest.\n\
                 title: {title}\n\
                 # The address the site will be published at.\n\
                 base_url: /\n\
                 default_language: en\n\
                 languages:\n\
                 \x20 - {{ code: en, name: English }}\n\
                 # Who runs the site: shown in the footer and the accessibility statement.\n\
                 organisation:\n\
                 \x20 name: {title}\n\
                 \x20 # phone: 01632 960000\n\
                 \x20 # email: info@example.org\n\
                 accessibility:\n\
                 \x20 # Where people report accessibility problems.\n\
                 \x20 # contact_email: access@example.org\n\
                 \x20 last_reviewed: {today}\n",
                title = yaml_string(&name),
            ),
        ),
        (
            dir.join("content/_index.md"),
            format!(
                "---\n\
                 title: {title}\n\
                 summary: Say in one or two sentences what this website is for and who it helps.\n\
                 updated: {today}\n\
                 review_by: {review}\n\
                 ---\n\
                 \n\
                 Welcome. Say here what people can find on this website.\n\
                 \n\
                 ## Find information\n\
                 \n\
                 Read [about us](about/_index.md) to find out who we are and how to contact us.\n",
                title = yaml_string(&name),
            ),
        ),
        (
            dir.join("content/about/_index.md"),
            format!(
                "---\n\
                 title: About us\n\
                 summary: Who we are, what we do and how to get in touch.\n\
                 updated: {today}\n\
                 review_by: {review}\n\
                 ---\n\
                 \n\
                 Say here who runs this website and what you do.\n"
            ),
        ),
        (
            dir.join("content/about/contact-us.md"),
            page_text("Contact us", today),
        ),
    ];
    for (path, _) in &files {
        if path.exists() {
            return Err(usage(format!(
                "{} already exists; Signpost never overwrites a file: choose a new folder for the site",
                path.display()
            )));
        }
    }
    let mut created = Vec::new();
    for (path, text) in &files {
        write_new(dir, path, text)?;
        created.push(path.display().to_string());
    }
    Ok(created)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn titles_and_dates() {
        assert_eq!(title_from_name("carers-assessment"), "Carers assessment");
        assert_eq!(title_from_name("respite"), "Respite");
        let d = Date::parse("2028-02-29").unwrap();
        assert_eq!(a_year_later(d).to_string(), "2029-02-28");
    }

    #[test]
    fn drops_keys_with_their_values() {
        let yaml = "title: A\naliases:\n  - /old/\n  - /older/\nslug: a\nsummary: S\n";
        assert_eq!(
            front_lines_without(yaml, &["aliases", "slug"]),
            "title: A\nsummary: S\n"
        );
    }

    #[test]
    fn paths_stay_inside_content() {
        let root = Path::new("/site");
        assert_eq!(
            content_path(root, Path::new("content/a/b.md")).unwrap(),
            Path::new("/site/content/a/b.md")
        );
        assert_eq!(
            content_path(root, Path::new("a/b.md")).unwrap(),
            Path::new("/site/content/a/b.md")
        );
        assert!(content_path(root, Path::new("../x.md")).is_err());
        assert!(content_path(root, Path::new("content/../../x.md")).is_err());
    }
}
