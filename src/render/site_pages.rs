//! Site-wide outputs: stylesheets, copied files, sitemap, robots.txt, the
//! 404 page, the accessibility statement, alias redirects, the translation
//! status report and security headers for common static hosts.

use crate::render::context::CSP;
use serde::Serialize;

use crate::codes::Code;
use crate::format::Media;
use crate::model::PageKind;
use crate::render::context::{LinkItem, chrome};
use crate::render::html::render_template;
use crate::render::{OutputFile, RenderContext, SiteRenderer, views};
use crate::source::Variant;
use crate::urls::Format;

type Result<T> = std::result::Result<T, crate::diagnostics::Diagnostic>;

pub struct Stylesheets;
impl SiteRenderer for Stylesheets {
    fn render(&self, ctx: &RenderContext<'_>) -> Result<Vec<OutputFile>> {
        Ok(ctx
            .theme
            .styles
            .values()
            .map(|s| OutputFile::new(s.out.clone(), s.css.clone().into_bytes()))
            .collect())
    }
}

/// Content assets, theme static files and the symbols in use.
pub struct CopiedFiles;
impl SiteRenderer for CopiedFiles {
    fn render(&self, ctx: &RenderContext<'_>) -> Result<Vec<OutputFile>> {
        let mut out = Vec::new();
        for (path, bytes) in &ctx.theme.statics {
            out.push(OutputFile::new(path.clone(), bytes.to_vec()));
        }
        for asset in &ctx.site.assets {
            let bytes = std::fs::read(&asset.source).map_err(|e| {
                crate::diagnostics::Diagnostic::new(
                    Code::SRC001,
                    format!("could not read the file: {e}"),
                    "check the file can be read",
                )
                .in_file(crate::diagnostics::display_path(
                    &ctx.site.root,
                    &asset.source,
                ))
            })?;
            out.push(OutputFile::new(asset.out.clone(), bytes));
        }
        for (name, sym) in &ctx.site.symbols {
            out.push(OutputFile::new(
                format!("symbols/{name}.svg"),
                sym.svg.to_vec(),
            ));
        }
        Ok(out)
    }
}

pub struct Sitemap;
impl SiteRenderer for Sitemap {
    fn render(&self, ctx: &RenderContext<'_>) -> Result<Vec<OutputFile>> {
        let site = ctx.site;
        let mut xml = String::from(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\" xmlns:xhtml=\"http://www.w3.org/1999/xhtml\">\n",
        );
        for view in views(site).iter().filter(|v| !v.fallback) {
            let file = site.page_file(view.id, view.lang, view.variant, Format::PRIMARY);
            xml.push_str("  <url>\n    <loc>");
            xml.push_str(&xml_escape(&site.absolute(&file)));
            xml.push_str("</loc>\n");
            if let Some(d) = view.doc.front.updated {
                xml.push_str(&format!("    <lastmod>{d}</lastmod>\n"));
            }
            for alt in
                crate::render::context::alternates(ctx, view.id, view.variant, Format::PRIMARY)
            {
                xml.push_str(&format!(
                    "    <xhtml:link rel=\"alternate\" hreflang=\"{}\" href=\"{}\"/>\n",
                    xml_escape(&alt.hreflang),
                    xml_escape(&alt.href)
                ));
            }
            xml.push_str("  </url>\n");
        }
        for extra in ctx.extensions.iter().flat_map(|e| e.sitemap(ctx)) {
            xml.push_str(&format!(
                "  <url>\n    <loc>{}</loc>\n  </url>\n",
                xml_escape(&extra)
            ));
        }
        xml.push_str("</urlset>\n");
        Ok(vec![OutputFile::new("sitemap.xml", xml)])
    }
}

pub fn xml_escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// `robots.txt`, and the settings files of common static hosts: security
/// headers for every page (`_headers` for Netlify and Cloudflare Pages,
/// `.htaccess` for Apache) and the page-not-found page of each language
/// (`_redirects` for Netlify, an `ErrorDocument` per language folder for
/// Apache; Cloudflare Pages finds `LANG/404.html` by itself).
pub struct Robots;
impl SiteRenderer for Robots {
    fn render(&self, ctx: &RenderContext<'_>) -> Result<Vec<OutputFile>> {
        let site = ctx.site;
        let base = site.config.base_path();
        let text = format!(
            "User-agent: *\nDisallow: {base}translation-status/\nDisallow: {base}content-report/\n\nSitemap: {}\n",
            site.absolute("sitemap.xml")
        );
        let headers = format!(
            "/*\n  Content-Security-Policy: {CSP}; frame-ancestors 'none'\n  X-Content-Type-Options: nosniff\n  Referrer-Policy: strict-origin-when-cross-origin\n"
        );
        let htaccess = format!(
            "<IfModule mod_headers.c>\n  Header always set Content-Security-Policy \"{CSP}; frame-ancestors 'none'\"\n  Header always set X-Content-Type-Options \"nosniff\"\n  Header always set Referrer-Policy \"strict-origin-when-cross-origin\"\n</IfModule>\nAddDefaultCharset UTF-8\nAddCharset UTF-8 .txt\nErrorDocument 404 {base}{}\n",
            not_found_file(site, site.default_lang())
        );
        // Netlify reads the first rule that matches: languages' folders
        // first, the whole site last.
        let mut redirects = String::new();
        let mut out = Vec::new();
        for lang in site.config.languages.iter().skip(1) {
            let Some(prefix) = site.lang_prefix(&lang.code) else {
                continue;
            };
            let page = not_found_file(site, &lang.code);
            redirects.push_str(&format!("{base}{prefix}/*  {base}{page}  404\n"));
            // Apache: the folder's own .htaccess overrides the root's
            // ErrorDocument for everything under it.
            out.push(OutputFile::new(
                format!("{prefix}/.htaccess"),
                format!("ErrorDocument 404 {base}{page}\n"),
            ));
        }
        redirects.push_str(&format!(
            "{base}*  {base}{}  404\n",
            not_found_file(site, site.default_lang())
        ));
        out.extend([
            OutputFile::new("robots.txt", text),
            OutputFile::new("_headers", headers),
            OutputFile::new("_redirects", redirects),
            OutputFile::new(".htaccess", htaccess),
        ]);
        Ok(out)
    }
}

#[derive(Serialize)]
struct GeneratedCtx {
    #[serde(flatten)]
    chrome: crate::render::context::Chrome,
    kind: &'static str,
    variant: &'static str,
    title: String,
    summary: String,
    content: String,
    content_lang: String,
    content_dir: &'static str,
    rows: Vec<ReportRow>,
    /// Column headings of a report table.
    columns: Vec<String>,
}

#[derive(Serialize, Clone)]
struct ReportRow {
    group: String,
    title: String,
    href: String,
    state: String,
    detail: String,
}

fn generated(
    ctx: &RenderContext<'_>,
    lang: &str,
    format: Format,
    file: &str,
    title: String,
    summary: String,
    kind: &'static str,
) -> GeneratedCtx {
    let site = ctx.site;
    let strings = ctx.i18n.get(lang);
    let languages = crate::render::context::language_switcher(ctx, lang, |code| {
        crate::urls::href_of_file(&site.config.base_path(), &swap_lang(site, file, lang, code))
    });
    // The page's folder, when it is a page of the format table (not `404.html`).
    let folder = file.strip_suffix(format.row().file);
    let std_file = match folder {
        Some(dir) => crate::urls::file_in(dir, Format::PRIMARY),
        None => file.to_string(),
    };
    let formats = crate::format::generated_formats(true)
        .map(|f| LinkItem {
            label: strings.get(f.row().label),
            href: crate::urls::href_of_file(
                &site.config.base_path(),
                &folder.map_or_else(|| file.to_string(), |dir| crate::urls::file_in(dir, f)),
            ),
            current: f == format,
        })
        .collect();
    let home = site.home().map(|h| LinkItem {
        label: strings.get("home"),
        href: site.page_href(h, lang, Variant::Standard, format.links_to()),
        current: false,
    });
    let dir = site
        .config
        .language(lang)
        .map(|l| l.dir.as_str())
        .unwrap_or("ltr");
    GeneratedCtx {
        chrome: chrome(
            ctx,
            lang,
            format,
            site.absolute(&std_file),
            Vec::new(),
            formats,
            languages,
            home.into_iter().collect(),
        ),
        kind,
        variant: "standard",
        title,
        summary,
        content: String::new(),
        content_lang: lang.to_string(),
        content_dir: dir,
        rows: Vec::new(),
        columns: Vec::new(),
    }
}

/// The same generated file in another language.
fn swap_lang(site: &crate::model::Site, file: &str, from: &str, to: &str) -> String {
    let bare = match site.lang_prefix(from) {
        Some(p) => file.strip_prefix(&format!("{p}/")).unwrap_or(file),
        None => file,
    };
    match site.lang_prefix(to) {
        Some(p) => format!("{p}/{bare}"),
        None => bare.to_string(),
    }
}

/// The page-not-found page of every language: `404.html` for the default
/// language and `LANG/404.html` for each other, so a reader who mistypes an
/// address under `/pl/` is told so in Polish. Hosts pick the page by folder
/// ([`Robots`] writes the rules for Netlify and Apache; see the README's
/// hosting notes). Its links are from the site's root, so it works at any
/// address it is served for; the other languages lead to their home pages.
pub struct NotFound;
impl SiteRenderer for NotFound {
    fn render(&self, ctx: &RenderContext<'_>) -> Result<Vec<OutputFile>> {
        let site = ctx.site;
        let base = site.config.base_path();
        let mut out = Vec::new();
        for lang in &site.config.languages {
            let strings = ctx.i18n.get(&lang.code);
            let file = not_found_file(site, &lang.code);
            let mut c = generated(
                ctx,
                &lang.code,
                Format::Html,
                &file,
                strings.get("not_found.title"),
                strings.get("not_found.body"),
                "not_found",
            );
            c.chrome.noindex = true;
            c.chrome.formats.clear();
            c.chrome.languages =
                crate::render::context::language_switcher(ctx, &lang.code, |code| {
                    format!("{base}{}", site.lang_dir(code))
                });
            let html = render_template(ctx, "404.html", &c)?;
            out.push(OutputFile::new(file, ctx.theme.finish_html(html)));
        }
        Ok(out)
    }
}

/// The page-not-found file of a language (`404.html`, `pl/404.html`).
pub fn not_found_file(site: &crate::model::Site, lang: &str) -> String {
    site.lang_file(lang, "404.html")
}

#[derive(Serialize)]
struct StatementCtx {
    site_title: String,
    organisation: String,
    url: String,
    email: Option<String>,
    phone: Option<String>,
    compliant: bool,
    known_issues: Vec<String>,
    prepared: Option<String>,
    reviewed: Option<String>,
}

pub struct Statement;
impl SiteRenderer for Statement {
    fn render(&self, ctx: &RenderContext<'_>) -> Result<Vec<OutputFile>> {
        let site = ctx.site;
        let cfg = &site.config;
        let mut out = Vec::new();
        for lang in &cfg.languages {
            let strings = ctx.i18n.get(&lang.code);
            let org = if cfg.organisation.name.is_empty() {
                cfg.title_in(&lang.code).to_string()
            } else {
                cfg.organisation.name.clone()
            };
            let acc = &cfg.accessibility;
            let data = StatementCtx {
                site_title: cfg.title_in(&lang.code).to_string(),
                organisation: org.clone(),
                url: cfg.absolute_base(),
                email: acc
                    .contact_email
                    .clone()
                    .or_else(|| cfg.organisation.email.clone()),
                phone: acc
                    .contact_phone
                    .clone()
                    .or_else(|| cfg.organisation.phone.clone()),
                compliant: acc.known_issues.is_empty(),
                known_issues: acc.known_issues.clone(),
                prepared: acc.prepared.or(acc.last_reviewed).map(|d| strings.date(d)),
                reviewed: acc.last_reviewed.map(|d| strings.date(d)),
            };
            for format in crate::format::generated_formats(true) {
                let rest = crate::urls::file_in("accessibility-statement/", format);
                let file = site.lang_file(&lang.code, &rest);
                let title = strings.fmt("statement.title", &[("site", cfg.title_in(&lang.code))]);
                if format.row().media == Media::Text {
                    let rtl = lang.dir == crate::config::Direction::Rtl;
                    let address = site.absolute(&site.lang_file(
                        &lang.code,
                        &crate::urls::file_in("accessibility-statement/", Format::PRIMARY),
                    ));
                    let text = statement_text(strings, &data, &title, &address, rtl);
                    out.push(OutputFile::new(file, text));
                    continue;
                }
                let c = generated(
                    ctx,
                    &lang.code,
                    format,
                    &file,
                    title,
                    strings.get("statement.summary"),
                    "statement",
                );
                let mut context = ctx.template_context(&c)?;
                context.insert("statement", &data);
                let html = ctx.render_template("statement.html", &context)?;
                out.push(OutputFile::new(file, ctx.theme.finish_html(html)));
            }
        }
        Ok(out)
    }
}

/// The accessibility statement as plain text (`index.txt`), with the same
/// words as `statement.html`: the title underlined, its sections numbered
/// as the plain-text pages number theirs, contact details and the EASS
/// link written out in full. In right-to-left languages a phone number's
/// digit groups are held together so that it reads left to right.
fn statement_text(
    strings: &crate::i18n::Strings,
    data: &StatementCtx,
    title: &str,
    address: &str,
    rtl: bool,
) -> String {
    use crate::render::text::{text_heading, text_title, wrap};
    let para = |out: &mut String, text: &str| {
        out.push_str(&wrap(text, "", ""));
        out.push('\n');
    };
    let ltr = |text: &str| {
        rtl.then(|| crate::render::body::join_digit_groups(text))
            .flatten()
            .unwrap_or_else(|| text.to_string())
    };
    let n = std::cell::Cell::new(0);
    let mut out = String::new();
    text_title(&mut out, title);
    para(&mut out, &strings.fmt("page_address", &[("url", address)]));
    para(
        &mut out,
        &strings.fmt("statement.applies", &[("url", &data.url)]),
    );
    para(
        &mut out,
        &strings.fmt("statement.run_by", &[("organisation", &data.organisation)]),
    );
    for item in strings.list("statement.can") {
        out.push_str(&wrap(&item, "- ", "  "));
    }
    out.push('\n');
    para(&mut out, &strings.get("statement.simple"));
    text_heading(
        &mut out,
        &n,
        &strings.get("statement.how_accessible_heading"),
    );
    if data.compliant {
        para(&mut out, &strings.get("statement.how_accessible_full"));
    } else {
        para(&mut out, &strings.get("statement.how_accessible_partial"));
        for issue in &data.known_issues {
            out.push_str(&wrap(issue, "- ", "  "));
        }
        out.push('\n');
    }
    text_heading(&mut out, &n, &strings.get("statement.feedback_heading"));
    para(&mut out, &strings.get("statement.feedback"));
    if let Some(email) = &data.email {
        out.push_str(&wrap(
            &format!("{}: {email}", strings.get("footer.email")),
            "- ",
            "  ",
        ));
    }
    if let Some(phone) = &data.phone {
        let line = format!("{}: {}", strings.get("footer.phone"), ltr(phone));
        out.push_str(&wrap(&line, "- ", "  "));
    }
    out.push('\n');
    para(&mut out, &strings.get("statement.response"));
    text_heading(&mut out, &n, &strings.get("statement.reporting_heading"));
    let email = data.email.clone().unwrap_or_default();
    para(
        &mut out,
        &strings.fmt("statement.reporting", &[("email", &email)]),
    );
    text_heading(&mut out, &n, &strings.get("statement.enforcement_heading"));
    para(&mut out, &strings.get("statement.enforcement"));
    para(
        &mut out,
        &format!(
            "{}: https://www.equalityadvisoryservice.com/",
            strings.get("statement.eass_link")
        ),
    );
    text_heading(&mut out, &n, &strings.get("statement.technical_heading"));
    para(
        &mut out,
        &strings.fmt(
            "statement.technical",
            &[("organisation", &data.organisation)],
        ),
    );
    // A level-3 heading, numbered and underlined as the plain-text pages
    // write theirs.
    let sub = format!(
        "{}.1 {}",
        n.get(),
        strings.get("statement.compliance_heading")
    );
    out.push('\n');
    out.push_str(&sub);
    out.push('\n');
    out.push_str(&"~".repeat(textwrap::core::display_width(&sub).max(3)));
    out.push_str("\n\n");
    para(
        &mut out,
        &strings.get(if data.compliant {
            "statement.compliant"
        } else {
            "statement.partially_compliant"
        }),
    );
    text_heading(&mut out, &n, &strings.get("statement.preparation_heading"));
    let mut dates = Vec::new();
    if let Some(d) = &data.prepared {
        dates.push(strings.fmt("statement.prepared", &[("date", d)]));
    }
    if let Some(d) = &data.reviewed {
        dates.push(strings.fmt("statement.reviewed", &[("date", d)]));
    }
    if !dates.is_empty() {
        para(&mut out, &dates.join(" "));
    }
    para(&mut out, &strings.get("statement.testing"));
    // One blank line between blocks, as the plain-text pages have.
    while out.contains("\n\n\n") {
        out = out.replace("\n\n\n", "\n\n");
    }
    while out.ends_with("\n\n") {
        out.pop();
    }
    out
}

/// A redirect page for every alias of every page.
pub struct Redirects;
impl SiteRenderer for Redirects {
    fn render(&self, ctx: &RenderContext<'_>) -> Result<Vec<OutputFile>> {
        let site = ctx.site;
        let dl = site.default_lang();
        let mut out = Vec::new();
        for (id, page) in site.pages.iter().enumerate() {
            for ((variant, lang), doc) in &page.docs {
                for alias in &doc.front.aliases {
                    let Some(path) = crate::urls::safe_alias(alias) else {
                        let split = crate::frontmatter::split(&doc.file, &doc.file.text).ok();
                        let offset = split
                            .map(|s| crate::frontmatter::key_offset(&s, "aliases"))
                            .unwrap_or(0);
                        return Err(crate::diagnostics::Diagnostic::new(
                            Code::SRC005,
                            format!("the alias `{alias}` is not a safe address on this site"),
                            "write aliases as paths from the site's root, such as /old/page/, with letters, digits, hyphens and no ..",
                        )
                        .at(&doc.file, offset));
                    };
                    let file = format!("{path}index.html");
                    let target = site.page_href(id, lang, *variant, Format::Html);
                    let strings = ctx.i18n.get(lang);
                    let title = strings.get("redirect.title");
                    let mut c = generated(
                        ctx,
                        lang,
                        Format::Html,
                        &file,
                        title,
                        String::new(),
                        "redirect",
                    );
                    c.chrome.redirect_to = Some(target.clone());
                    c.chrome.noindex = true;
                    c.chrome.canonical =
                        site.absolute(&site.page_file(id, lang, *variant, Format::Html));
                    c.chrome.formats.clear();
                    c.chrome.languages.clear();
                    c.content = doc.front.title.clone();
                    let _ = dl;
                    let html = render_template(ctx, "redirect.html", &c)?;
                    out.push(OutputFile::new(file, ctx.theme.finish_html(html)));
                }
            }
        }
        Ok(out)
    }
}

/// Translation status for editors: per language, each page missing or
/// older than its source. Not linked from public navigation.
pub struct TranslationStatus;
impl SiteRenderer for TranslationStatus {
    fn render(&self, ctx: &RenderContext<'_>) -> Result<Vec<OutputFile>> {
        let site = ctx.site;
        let dl = site.default_lang().to_string();
        let strings = ctx.i18n.get(&dl);
        let report = crate::lint::translations::status(site);
        let rows = report
            .into_iter()
            .map(|r| ReportRow {
                group: site
                    .config
                    .language(&r.lang)
                    .map(|l| l.name.clone())
                    .unwrap_or(r.lang.clone()),
                title: r.title,
                href: site.page_href(r.page, &r.lang, r.variant, Format::Html),
                state: strings.get(match r.state {
                    crate::lint::translations::State::Missing => "translation_status.missing",
                    crate::lint::translations::State::Stale => "translation_status.stale",
                    crate::lint::translations::State::UpToDate => "translation_status.up_to_date",
                }),
                detail: r.detail,
            })
            .collect();
        let file = "translation-status/index.html";
        let mut c = generated(
            ctx,
            &dl,
            Format::Html,
            file,
            strings.get("translation_status.title"),
            strings.get("translation_status.summary"),
            "report",
        );
        c.chrome.noindex = true;
        c.rows = rows;
        c.columns = [
            "translation_status.language",
            "translation_status.page",
            "translation_status.state",
        ]
        .iter()
        .map(|k| strings.get(k))
        .collect();
        c.chrome.formats.clear();
        c.chrome.languages.clear();
        let html = render_template(ctx, "report.html", &c)?;
        let _ = PageKind::Home;
        Ok(vec![OutputFile::new(file, ctx.theme.finish_html(html))])
    }
}

/// The editors' review report: every page by its review date and every
/// service by the date it is due to be checked again, grouped by the team
/// that looks after it, soonest first. It lists dates rather than judging
/// them against today, so the output stays the same from one day to the
/// next; `signpost check` warns about what is overdue now.
pub struct ContentReport;
impl SiteRenderer for ContentReport {
    fn render(&self, ctx: &RenderContext<'_>) -> Result<Vec<OutputFile>> {
        let site = ctx.site;
        let dl = site.default_lang().to_string();
        let strings = ctx.i18n.get(&dl);
        let unknown = strings.get("editors.owner_unknown");
        let mut rows: Vec<(String, crate::frontmatter::Date, ReportRow)> = Vec::new();
        for (id, page) in site.pages.iter().enumerate() {
            for ((variant, lang), doc) in &page.docs {
                let Some(due) = doc.front.review_by else {
                    continue;
                };
                let owner = doc.front.owner.clone().unwrap_or_else(|| unknown.clone());
                rows.push((
                    owner.clone(),
                    due,
                    ReportRow {
                        group: owner,
                        title: doc.front.title.clone(),
                        href: site.page_href(id, lang, *variant, Format::Html),
                        state: strings.date(due),
                        detail: doc.file.name.clone(),
                    },
                ));
            }
        }
        for item in ctx.extensions.iter().flat_map(|e| e.review_items(site)) {
            let owner = item.owner.unwrap_or_else(|| unknown.clone());
            rows.push((
                owner.clone(),
                item.due,
                ReportRow {
                    group: owner,
                    title: item.title,
                    href: crate::urls::href_of_file(&site.config.base_path(), &item.file),
                    state: strings.date(item.due),
                    detail: item.source,
                },
            ));
        }
        rows.sort_by(|a, b| {
            (&a.0, a.1, &a.2.title, &a.2.detail).cmp(&(&b.0, b.1, &b.2.title, &b.2.detail))
        });
        let file = "content-report/index.html";
        let mut c = generated(
            ctx,
            &dl,
            Format::Html,
            file,
            strings.get("editors.title"),
            strings.get("editors.summary"),
            "report",
        );
        c.chrome.noindex = true;
        c.rows = rows.into_iter().map(|r| r.2).collect();
        c.columns = ["editors.owner", "editors.item", "editors.due"]
            .iter()
            .map(|k| strings.get(k))
            .collect();
        c.chrome.formats.clear();
        c.chrome.languages.clear();
        let html = render_template(ctx, "report.html", &c)?;
        Ok(vec![OutputFile::new(file, ctx.theme.finish_html(html))])
    }
}
