//! The theme: templates, stylesheets, static files and symbols.
//!
//! The default theme is compiled into the binary; a site's
//! `themes/<name>/` overrides it file by file. Templates are compiled once
//! into a Tera instance; stylesheets go through lightningcss (minified, for
//! set browser targets) and get content-hashed names; theme colours are
//! checked for WCAG contrast.

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Arc;

use lightningcss::stylesheet::{MinifyOptions, ParserOptions, PrinterOptions, StyleSheet};
use lightningcss::targets::{Browsers, Targets};

use crate::codes::Code;
use crate::config::SiteConfig;
use crate::diagnostics::{Diagnostic, Diagnostics, SourceText};
use crate::source::ThemeFiles;

/// A compiled stylesheet.
#[derive(Debug, Clone)]
pub struct Stylesheet {
    /// Output path, with a content hash (`css/main.1a2b3c4d.css`).
    pub out: String,
    pub css: String,
}

/// The theme, ready to render with.
pub struct Theme {
    pub tera: tera::Tera,
    /// Stylesheets by name (`main`, `large-print`, `booklet`).
    pub styles: BTreeMap<String, Stylesheet>,
    /// Static files to copy: output path and bytes.
    pub statics: Vec<(String, Arc<Vec<u8>>)>,
    /// Rendered pages must be minified: the site overrides a template, so
    /// the templates were not minified at load (see [`Theme::finish_html`]).
    pub minify_output: bool,
}

impl Theme {
    /// Compiles templates and stylesheets. Errors go to `diags`.
    pub fn load(root: &Path, config: &SiteConfig, diags: &Diagnostics) -> Option<Theme> {
        let files = ThemeFiles::load(root, config);
        let mut tera = tera::Tera::new();
        tera.autoescape_on([".html", ".xml", ".svg"]);
        // `{{ phone | tel }}`: the tap-to-call destination of a number.
        tera.register_filter("tel", |x: &str, _: tera::Kwargs, _: &tera::State| {
            crate::contact::tel_href(x)
        });
        let mut templates = Vec::new();
        for (path, bytes) in files.under("templates/") {
            let name = path.trim_start_matches("templates/").to_string();
            match String::from_utf8(bytes.to_vec()) {
                Ok(text) => templates.push((name, text)),
                Err(_) => diags.push(
                    Diagnostic::new(
                        Code::THEME001,
                        "the template is not UTF-8 text",
                        "save it again as UTF-8",
                    )
                    .in_file(files.display(root, config, path)),
                ),
            }
        }
        // The built-in templates are minified once here, so the pages they
        // render need no minifying (it was a quarter of the build time).
        // A site's own templates are left as written and every page they
        // render is minified instead: minifying a template is checked only
        // for ours (tests/renderers.rs, `stock_templates_render_minified_pages`).
        let stock = templates.iter().all(|(name, text)| {
            crate::builtin::THEME_FILES.iter().any(|(p, b)| {
                p.strip_prefix("templates/") == Some(name.as_str()) && *b == text.as_bytes()
            })
        });
        let minified: Option<Vec<(String, String)>> = stock
            .then(|| {
                templates
                    .iter()
                    .map(|(name, text)| match name.ends_with(".html") {
                        true => crate::minify::minify_template(text).map(|m| (name.clone(), m)),
                        false => Some((name.clone(), text.clone())),
                    })
                    .collect()
            })
            .flatten();
        let minify_output = minified.is_none();
        if let Some(m) = minified {
            templates = m;
        }
        let mut ok = true;
        if let Err(e) =
            tera.add_raw_templates(templates.iter().map(|(n, t)| (n.as_str(), t.as_str())))
        {
            diags.push(template_error(&e, root, config, &files));
            ok = false;
        }
        let mut styles = BTreeMap::new();
        for (path, bytes) in files.under("css/") {
            let Some(name) = path
                .strip_prefix("css/")
                .and_then(|p| p.strip_suffix(".css"))
            else {
                continue;
            };
            if name.starts_with('_') || name.contains('/') {
                continue;
            }
            let display = files.display(root, config, path);
            let text = String::from_utf8_lossy(bytes).to_string();
            let source = SourceText::new(display.clone(), text);
            match compile_css(&source) {
                Ok(css) => {
                    check_contrast(&source, diags);
                    let hash = blake3::hash(css.as_bytes()).to_hex();
                    let out = format!("css/{name}.{}.css", &hash[..10]);
                    styles.insert(name.to_string(), Stylesheet { out, css });
                }
                Err(d) => {
                    diags.push_with_source(d, &source);
                    ok = false;
                }
            }
        }
        let statics = files
            .under("static/")
            .map(|(p, b)| (p.trim_start_matches("static/").to_string(), b.clone()))
            .collect();
        ok.then_some(Theme {
            tera,
            styles,
            statics,
            minify_output,
        })
    }

    /// The bytes of a rendered HTML page: minified here only when its
    /// templates were not minified at load.
    pub fn finish_html(&self, html: String) -> Vec<u8> {
        if self.minify_output {
            crate::minify::minify_html(&html)
        } else {
            html.into_bytes()
        }
    }

    pub fn style_href(&self, base_path: &str, name: &str) -> String {
        self.styles
            .get(name)
            .map(|s| format!("{base_path}{}", s.out))
            .unwrap_or_default()
    }
}

/// Turns a Tera error into a diagnostic naming the template and line.
pub fn template_error(
    e: &tera::Error,
    root: &Path,
    config: &SiteConfig,
    files: &ThemeFiles,
) -> Diagnostic {
    let mut message = e.to_string();
    let (name, line, col) = match e.kind() {
        tera::ErrorKind::SyntaxError(r) | tera::ErrorKind::RenderingError(r) => {
            message = r.message().to_string();
            (
                r.filename().to_string(),
                Some(r.span().start_line),
                Some(r.span().start_col + 1),
            )
        }
        tera::ErrorKind::MissingParent { current, parent } => {
            message = format!("`{current}` extends `{parent}`, which does not exist");
            (current.clone(), None, None)
        }
        tera::ErrorKind::TemplateNotFound(n) => (n.clone(), None, None),
        _ => (String::new(), None, None),
    };
    let mut chain = std::error::Error::source(e);
    while let Some(inner) = chain {
        message.push_str(&format!(": {inner}"));
        chain = inner.source();
    }
    let file = if name.is_empty() {
        "themes".to_string()
    } else {
        files.display(root, config, &format!("templates/{name}"))
    };
    let mut d = Diagnostic::new(
        Code::THEME001,
        format!("template `{name}`: {message}"),
        "fix the template at this line; see the Tera documentation for the template language",
    )
    .in_file(file);
    d.line = line;
    d.column = col;
    d
}

fn targets() -> Targets {
    Targets::from(Browsers {
        chrome: Some(100 << 16),
        edge: Some(100 << 16),
        firefox: Some(100 << 16),
        safari: Some(15 << 16),
        ios_saf: Some(15 << 16),
        samsung: Some(18 << 16),
        android: Some(100 << 16),
        ..Browsers::default()
    })
}

/// Parses, minifies and prints a stylesheet with lightningcss.
pub fn compile_css(source: &SourceText) -> Result<String, Diagnostic> {
    let err = |line: Option<u32>, col: Option<u32>, msg: String| {
        let mut d = Diagnostic::new(
            Code::THEME002,
            format!("the stylesheet cannot be read: {msg}"),
            "fix the CSS at this line",
        );
        d = match (line, col) {
            (Some(l), Some(c)) => d.at_line(source, l as usize + 1, c as usize),
            _ => d.in_file(source.name.clone()),
        };
        d
    };
    let mut sheet = StyleSheet::parse(
        &source.text,
        ParserOptions {
            filename: source.name.clone(),
            ..ParserOptions::default()
        },
    )
    .map_err(|e| {
        err(
            e.loc.as_ref().map(|l| l.line),
            e.loc.as_ref().map(|l| l.column),
            e.kind.to_string(),
        )
    })?;
    sheet
        .minify(MinifyOptions {
            targets: targets(),
            ..MinifyOptions::default()
        })
        .map_err(|e| err(None, None, e.kind.to_string()))?;
    let out = sheet
        .to_css(PrinterOptions {
            minify: true,
            targets: targets(),
            ..PrinterOptions::default()
        })
        .map_err(|e| err(None, None, e.kind.to_string()))?;
    Ok(out.code)
}

/// Pairs of theme colour variables (foreground, background) that must meet
/// WCAG contrast, with the minimum ratio.
const CONTRAST_PAIRS: &[(&str, &str, f64)] = &[
    ("--sp-text", "--sp-background", 4.5),
    ("--sp-secondary-text", "--sp-background", 4.5),
    ("--sp-link", "--sp-background", 4.5),
    ("--sp-link-visited", "--sp-background", 4.5),
    ("--sp-focus-text", "--sp-focus", 4.5),
    ("--sp-notice-text", "--sp-notice-background", 4.5),
    ("--sp-header-text", "--sp-header-background", 4.5),
    ("--sp-text", "--sp-panel-background", 4.5),
    ("--sp-border", "--sp-background", 3.0),
    // Chart series (WCAG 1.4.11: 3:1 for graphics).
    ("--sp-chart-1", "--sp-background", 3.0),
    ("--sp-chart-2", "--sp-background", 3.0),
    ("--sp-chart-3", "--sp-background", 3.0),
    ("--sp-chart-4", "--sp-background", 3.0),
];

/// Checks theme colours (hex custom properties) for WCAG contrast, for the
/// light scheme and, where given, the dark one.
pub fn check_contrast(source: &SourceText, diags: &Diagnostics) {
    let text = &source.text;
    let dark_start = text
        .find("prefers-color-scheme: dark")
        .or_else(|| text.find("prefers-color-scheme:dark"));
    type Colours = BTreeMap<String, ((u8, u8, u8), usize)>;
    let mut schemes: Vec<(&str, Colours)> =
        vec![("light", BTreeMap::new()), ("dark", BTreeMap::new())];
    let mut pos = 0;
    for line in text.split_inclusive('\n') {
        let trimmed = line.trim();
        if let Some(rest) = trimmed.strip_prefix("--sp-")
            && let Some((name, value)) = rest.split_once(':')
            && let Some(rgb) = parse_hex(value.trim().trim_end_matches(';').trim())
        {
            let in_dark = dark_start.is_some_and(|d| pos > d);
            let scheme = if in_dark { 1 } else { 0 };
            schemes[scheme].1.insert(
                format!("--sp-{name}"),
                (rgb, pos + line.find("--sp-").unwrap_or(0)),
            );
        }
        pos += line.len();
    }
    let light = schemes[0].1.clone();
    for (scheme, vars) in &schemes {
        if *scheme == "dark" && vars.is_empty() {
            continue;
        }
        let lookup = |k: &str| vars.get(k).or_else(|| light.get(k)).copied();
        for (fg, bg, min) in CONTRAST_PAIRS {
            let (Some((a, at)), Some((b, _))) = (lookup(fg), lookup(bg)) else {
                continue;
            };
            let ratio = contrast(a, b);
            if ratio + 1e-9 < *min {
                diags.push_with_source(
                    Diagnostic::new(
                        Code::THEME003,
                        format!("{fg} on {bg} has a contrast of {ratio:.2}:1 in the {scheme} colour scheme; it needs at least {min}:1"),
                        "choose a darker text colour or a lighter background (or the other way round)",
                    )
                    .at(source, at),
                    source,
                );
            }
        }
    }
}

fn parse_hex(v: &str) -> Option<(u8, u8, u8)> {
    let h = v.strip_prefix('#')?;
    let full: String = match h.len() {
        3 => h.chars().flat_map(|c| [c, c]).collect(),
        6 => h.to_string(),
        _ => return None,
    };
    let n = u32::from_str_radix(&full, 16).ok()?;
    Some(((n >> 16) as u8, (n >> 8) as u8, n as u8))
}

fn luminance((r, g, b): (u8, u8, u8)) -> f64 {
    let ch = |c: u8| {
        let c = c as f64 / 255.0;
        if c <= 0.04045 {
            c / 12.92
        } else {
            ((c + 0.055) / 1.055).powf(2.4)
        }
    };
    0.2126 * ch(r) + 0.7152 * ch(g) + 0.0722 * ch(b)
}

/// WCAG contrast ratio of two colours.
pub fn contrast(a: (u8, u8, u8), b: (u8, u8, u8)) -> f64 {
    let (la, lb) = (luminance(a), luminance(b));
    let (hi, lo) = if la > lb { (la, lb) } else { (lb, la) };
    (hi + 0.05) / (lo + 0.05)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn contrast_ratios() {
        assert!((contrast((0, 0, 0), (255, 255, 255)) - 21.0).abs() < 0.01);
        assert!((contrast((0x1d, 0x70, 0xb8), (255, 255, 255)) - 5.17).abs() < 0.05);
    }

    #[test]
    fn low_contrast_is_reported() {
        let src = SourceText::new(
            "x.css",
            ":root {\n  --sp-text: #999999;\n  --sp-background: #ffffff;\n}\n",
        );
        let d = Diagnostics::new();
        check_contrast(&src, &d);
        let list = d.sorted();
        assert_eq!(list.len(), 1);
        assert_eq!(list[0].code, Code::THEME003);
        assert_eq!(list[0].line, Some(2));
    }

    #[test]
    fn css_errors_have_lines() {
        let src = SourceText::new("x.css", "a {\n  color: red;\n}\n}\n@media (\n");
        // lightningcss is forgiving; a broken at-rule still parses, so just
        // check it never panics and returns CSS or a located error.
        let _ = compile_css(&src);
    }
}
