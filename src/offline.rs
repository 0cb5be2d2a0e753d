//! The offline copy: the rendered site, or one language of it, rewritten to
//! work when it is opened from a folder or a USB stick (`file://`), for a
//! library, a care home or a resident without a connection.
//!
//! A built site links root-relative (`/css/main.css`, `/pl/carers/`), which
//! a browser reading files resolves against the top of the disk. Here every
//! link, picture, stylesheet, script, form and redirect in a page is
//! rewritten, with a real HTML tokenizer (lol_html), to a path relative to
//! the page, ending in the file itself (`../carers/index.html`), because no
//! browser opens a folder's `index.html` from disk. Canonical, hreflang and
//! sitemap addresses are already absolute and stay so. A link to a page the
//! copy leaves out (another language) becomes its address on the web.
//!
//! Browsers do not let a page read files with `fetch` from `file://`, so
//! each search index file also gets a script twin (`index.en.json` ->
//! `index.en.js`) that `search.js` loads with a script element when the
//! page comes from disk.

use std::collections::BTreeSet;
use std::fmt;
use std::io::Write;
use std::path::Path;

use lol_html::html_content::Element;
use lol_html::{RewriteStrSettings, element, rewrite_str};

use crate::config::SiteConfig;
use crate::render::OutputFile;

/// Why an offline copy could not be made.
#[derive(Debug)]
pub enum OfflineError {
    /// `--lang` names a language the site does not have.
    UnknownLanguage { lang: String, known: Vec<String> },
    /// A page could not be read as HTML.
    Rewrite { file: String, message: String },
    /// The copy could not be written.
    Write { path: String, message: String },
}

impl fmt::Display for OfflineError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            OfflineError::UnknownLanguage { lang, known } => write!(
                f,
                "the site has no language `{lang}`; its languages are {} (the codes in site.yaml)",
                known.join(", ")
            ),
            OfflineError::Rewrite { file, message } => {
                write!(f, "could not rewrite the links of {file}: {message}")
            }
            OfflineError::Write { path, message } => write!(
                f,
                "could not write the offline copy to {path}: {message}; check the folder exists and you can write to it"
            ),
        }
    }
}

impl std::error::Error for OfflineError {}

/// The files of an offline copy of `files` (a whole rendered site): all
/// of them, or with `lang` only that language's pages and what they use.
pub fn relocate(
    files: &[OutputFile],
    config: &SiteConfig,
    lang: Option<&str>,
) -> Result<Vec<OutputFile>, OfflineError> {
    if let Some(code) = lang
        && !config.languages.iter().any(|l| l.code == code)
    {
        return Err(OfflineError::UnknownLanguage {
            lang: code.to_string(),
            known: config.languages.iter().map(|l| l.code.clone()).collect(),
        });
    }
    let copy = Copy::new(files, config, lang);
    let mut out = Vec::new();
    for f in files.iter().filter(|f| copy.kept.contains(f.path.as_str())) {
        let bytes = if f.path.ends_with(".html") {
            copy.page(f)?.into_bytes()
        } else if f.path.ends_with(".css") {
            copy.stylesheet(f).into_bytes()
        } else {
            f.bytes.clone()
        };
        if f.path.starts_with("search/") && f.path.ends_with(".json") {
            out.push(copy.script_twin(f, config));
        }
        out.push(OutputFile::new(f.path.clone(), bytes));
    }
    out.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(out)
}

/// What a copy keeps, and how its links are written.
struct Copy<'a> {
    /// Paths of the files in the copy.
    kept: BTreeSet<&'a str>,
    /// The site's path on its host (`/`, `/care/`).
    base_path: String,
    /// The site's address, for links to pages the copy leaves out.
    base_url: String,
}

impl<'a> Copy<'a> {
    fn new(files: &'a [OutputFile], config: &SiteConfig, lang: Option<&str>) -> Copy<'a> {
        let mut copy = Copy {
            kept: BTreeSet::new(),
            base_path: config.base_path(),
            base_url: config.base_url.trim_end_matches('/').to_string(),
        };
        let default = config.default_language.as_str();
        let Some(code) = lang else {
            copy.kept = files.iter().map(|f| f.path.as_str()).collect();
            return copy;
        };
        // A language's own files: its folder (none for the default
        // language, whose pages are at the top) and its search index.
        let theirs = |path: &str, code: &str| {
            (code != default && path.starts_with(&format!("{code}/")))
                || path == format!("search/index.{code}.json")
                || path.starts_with(&format!("search/{code}/"))
        };
        if code == default {
            let others: Vec<&str> = config
                .languages
                .iter()
                .map(|l| l.code.as_str())
                .filter(|c| *c != code)
                .collect();
            copy.kept = files
                .iter()
                .map(|f| f.path.as_str())
                .filter(|p| !others.iter().any(|c| theirs(p, c)))
                .collect();
            return copy;
        }
        // Another language: its own files, then the files they use that
        // are not pages (stylesheets, pictures, scripts, documents), found
        // by reading its pages' links.
        copy.kept = files
            .iter()
            .map(|f| f.path.as_str())
            .filter(|p| theirs(p, code))
            .collect();
        let all: BTreeSet<&str> = files.iter().map(|f| f.path.as_str()).collect();
        let mut used = BTreeSet::new();
        for f in files.iter().filter(|f| copy.kept.contains(f.path.as_str())) {
            if f.path.ends_with(".html") {
                for value in links(&String::from_utf8_lossy(&f.bytes)) {
                    if let Some(file) = copy.target(&value, &all)
                        && !file.ends_with(".html")
                    {
                        used.insert(file);
                    }
                }
            }
        }
        for file in used {
            if let Some(p) = all.get(file.as_str()) {
                copy.kept.insert(p);
            }
        }
        copy
    }

    /// The file a same-site address leads to, if it is one of `files`.
    fn target(&self, value: &str, files: &BTreeSet<&str>) -> Option<String> {
        if value.starts_with("//") {
            return None;
        }
        let path = value.strip_prefix(self.base_path.as_str())?;
        let path = &path[..path.find(['?', '#']).unwrap_or(path.len())];
        let file = if path.is_empty() || path.ends_with('/') {
            format!("{path}index.html")
        } else if files.contains(path) {
            path.to_string()
        } else {
            format!("{path}/index.html")
        };
        files.contains(file.as_str()).then_some(file)
    }

    /// A page with every same-site address made relative to it.
    fn page(&self, f: &OutputFile) -> Result<String, OfflineError> {
        let html = String::from_utf8_lossy(&f.bytes);
        let from = f.path.as_str();
        let attr = |name: &'static str| {
            move |el: &mut Element| {
                if let Some(value) = el.get_attribute(name) {
                    let new = self.address(from, &value);
                    if new != value {
                        el.set_attribute(name, &new)?;
                    }
                }
                Ok(())
            }
        };
        let refresh = |el: &mut Element| {
            let Some(content) = el.get_attribute("content") else {
                return Ok(());
            };
            if let Some((delay, url)) = content.split_once("url=") {
                let new = format!("{delay}url={}", self.address(from, url));
                el.set_attribute("content", &new)?;
            }
            Ok(())
        };
        let settings = RewriteStrSettings::new()
            .append_element_content_handler(element!("a[href], area[href]", attr("href")))
            .append_element_content_handler(element!(
                "link[href]:not([rel=canonical]):not([rel=alternate])",
                attr("href")
            ))
            .append_element_content_handler(element!(
                "img[src], script[src], source[src]",
                attr("src")
            ))
            .append_element_content_handler(element!("form[action]", attr("action")))
            .append_element_content_handler(element!("[data-index]", attr("data-index")))
            .append_element_content_handler(element!("meta[http-equiv=refresh]", refresh));
        rewrite_str(&html, settings).map_err(|e| OfflineError::Rewrite {
            file: f.path.clone(),
            message: e.to_string(),
        })
    }

    /// A stylesheet with its `url(/...)` addresses made relative.
    fn stylesheet(&self, f: &OutputFile) -> String {
        let css = String::from_utf8_lossy(&f.bytes);
        let mut out = String::with_capacity(css.len());
        let mut rest: &str = &css;
        while let Some(i) = rest.find("url(") {
            out.push_str(&rest[..i + 4]);
            rest = &rest[i + 4..];
            let quote = rest
                .chars()
                .next()
                .filter(|c| *c == '"' || *c == '\'')
                .map(String::from)
                .unwrap_or_default();
            let inner = &rest[quote.len()..];
            let end = inner
                .find(|c: char| c == ')' || quote.starts_with(c) && !quote.is_empty())
                .unwrap_or(inner.len());
            out.push_str(&quote);
            out.push_str(&self.address(&f.path, &inner[..end]));
            rest = &inner[end..];
        }
        out.push_str(rest);
        out
    }

    /// `value` as written in the file at `from`: a same-site address
    /// becomes a relative path to the file in the copy, or its address on
    /// the web when the copy leaves it out; anything else is kept.
    fn address(&self, from: &str, value: &str) -> String {
        if value.starts_with("//") {
            return value.to_string();
        }
        let Some(path) = value.strip_prefix(self.base_path.as_str()) else {
            return value.to_string();
        };
        let split = path.find(['?', '#']).unwrap_or(path.len());
        let suffix = &path[split..];
        match self.target(value, &self.kept) {
            Some(file) => format!("{}{suffix}", relative(from, &file)),
            None => format!("{}/{path}", self.base_url),
        }
    }
}

impl Copy<'_> {
    /// A search index file as a script that hands its data to `search.js`:
    /// `search/en/t-6162.json` -> `search/en/t-6162.js`, holding
    /// `(self.signpostSearch = self.signpostSearch || {})["en/t-6162.json"] = {...};`.
    /// The addresses of the pages a language's results lead to
    /// (`search/LANG/d-N.json`) are made relative to its search page.
    fn script_twin(&self, f: &OutputFile, config: &SiteConfig) -> OutputFile {
        let key = f.path.strip_prefix("search/").unwrap_or(&f.path);
        let mut data = String::from_utf8_lossy(&f.bytes).into_owned();
        let docs_of = key
            .split_once('/')
            .filter(|(_, name)| name.starts_with("d-"))
            .map(|(code, _)| code);
        if let Some(code) = docs_of
            && let Ok(serde_json::Value::Array(mut docs)) = serde_json::from_str(&data)
        {
            let page = if code == config.default_language {
                "search/index.html".to_string()
            } else {
                format!("{code}/search/index.html")
            };
            for doc in &mut docs {
                if let Some(url) = doc.get_mut(1)
                    && let Some(text) = url.as_str()
                {
                    *url = serde_json::Value::String(self.address(&page, text));
                }
            }
            data = serde_json::Value::Array(docs).to_string();
        }
        let key = serde_json::Value::String(key.to_string()).to_string();
        let js = format!("(self.signpostSearch = self.signpostSearch || {{}})[{key}] = {data};\n");
        let path = format!("{}.js", f.path.trim_end_matches(".json"));
        OutputFile::new(path, js)
    }
}

/// Every address a page's links, pictures, stylesheets, scripts and forms
/// use.
fn links(html: &str) -> Vec<String> {
    let found = std::cell::RefCell::new(Vec::new());
    let take = |name: &'static str| {
        let found = &found;
        move |el: &mut Element| {
            if let Some(v) = el.get_attribute(name) {
                found.borrow_mut().push(v);
            }
            Ok(())
        }
    };
    let settings = RewriteStrSettings::new()
        .append_element_content_handler(element!("[href]", take("href")))
        .append_element_content_handler(element!("[src]", take("src")));
    // A page that cannot be read adds nothing here; rewriting it reports it.
    let _ = rewrite_str(html, settings);
    found.into_inner()
}

/// The path from the file `from` to the file `to`, both relative to the
/// top of the site (`pl/a/index.html`, `css/main.css` -> `../../css/main.css`).
pub fn relative(from: &str, to: &str) -> String {
    let from_dir: Vec<&str> = match from.rsplit_once('/') {
        Some((dir, _)) => dir.split('/').collect(),
        None => Vec::new(),
    };
    let to_parts: Vec<&str> = to.split('/').collect();
    let (to_dir, to_name) = to_parts.split_at(to_parts.len() - 1);
    let common = from_dir
        .iter()
        .zip(to_dir)
        .take_while(|(a, b)| a == b)
        .count();
    let mut out = String::new();
    for _ in common..from_dir.len() {
        out.push_str("../");
    }
    for part in &to_dir[common..] {
        out.push_str(part);
        out.push('/');
    }
    out.push_str(to_name.first().copied().unwrap_or(""));
    out
}

/// Writes the copy as a folder at `dir` (made if missing; files already
/// there are overwritten, others left alone).
pub fn write_folder(files: &[OutputFile], dir: &Path) -> Result<(), OfflineError> {
    let failed = |path: &Path, e: std::io::Error| OfflineError::Write {
        path: path.display().to_string(),
        message: e.to_string(),
    };
    for f in files {
        let path = dir.join(&f.path);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(|e| failed(parent, e))?;
        }
        std::fs::write(&path, &f.bytes).map_err(|e| failed(&path, e))?;
    }
    Ok(())
}

/// Writes the copy as a zip file at `path`, its files inside one folder
/// named after the zip (`care-offline.zip` holds `care-offline/index.html`,
/// ...), with fixed dates so the same site gives the same zip. Written under
/// a temporary name and moved into place, so a failed write leaves no half
/// zip.
pub fn write_zip(files: &[OutputFile], path: &Path) -> Result<(), OfflineError> {
    let failed = |message: String| OfflineError::Write {
        path: path.display().to_string(),
        message,
    };
    let folder = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| "offline".into());
    let tmp = path.with_extension(format!("zip.{}.tmp", std::process::id()));
    let file = std::fs::File::create(&tmp).map_err(|e| failed(e.to_string()))?;
    let mut zip = zip::ZipWriter::new(std::io::BufWriter::new(file));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .last_modified_time(zip::DateTime::default())
        .unix_permissions(0o644);
    let result = (|| -> Result<(), String> {
        for f in files {
            zip.start_file(format!("{folder}/{}", f.path), options)
                .map_err(|e| e.to_string())?;
            zip.write_all(&f.bytes).map_err(|e| e.to_string())?;
        }
        let mut inner = zip.finish().map_err(|e| e.to_string())?;
        inner.flush().map_err(|e| e.to_string())?;
        Ok(())
    })();
    match result.and_then(|()| std::fs::rename(&tmp, path).map_err(|e| e.to_string())) {
        Ok(()) => Ok(()),
        Err(message) => {
            let _ = std::fs::remove_file(&tmp);
            Err(failed(message))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_paths_climb_out_of_the_page_folder() {
        assert_eq!(relative("index.html", "css/main.css"), "css/main.css");
        assert_eq!(
            relative("pl/a/index.html", "css/main.css"),
            "../../css/main.css"
        );
        assert_eq!(
            relative("pl/a/index.html", "pl/b/index.html"),
            "../b/index.html"
        );
        assert_eq!(
            relative("pl/a/index.html", "pl/a/large-print/index.html"),
            "large-print/index.html"
        );
        assert_eq!(
            relative("a/large-print/index.html", "a/index.html"),
            "../index.html"
        );
    }
}
