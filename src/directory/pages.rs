//! Directory pages: one per service, per category and per area, in every
//! language of the site and in three formats (HTML, large print, plain
//! text), and the lists added to the directory's home page.
//!
//! Pages are rendered in parallel; each reads only the model. Every page has
//! the chrome of other pages (breadcrumbs, formats and languages near the top,
//! footer) and works without JavaScript.

use std::cell::Cell;

use rayon::prelude::*;
use serde::Serialize;

use crate::diagnostics::Diagnostic;
use crate::directory::{Directory, Facet, Service, hours, is_stale, jsonld, langs};
use crate::format::Media;
use crate::frontmatter::Date;
use crate::i18n::Strings;
use crate::model::{PageKind, Site};
use crate::print::PrintDoc;
use crate::render::context::{Alternate, Chrome, LinkItem, chrome, language_switcher};
use crate::render::html::{Fallback, PageCtx, render_template};
use crate::render::text::{text_heading, text_title, wrap};
use crate::render::{LinkMap, OutputFile, PageView, RenderContext};
use crate::source::Variant;
use crate::urls::{self, Format};

type Result<T> = std::result::Result<T, Diagnostic>;

/// Output file of a directory page (`path` without language) in a language and format.
pub fn file_of(site: &Site, lang: &str, path: &str, format: Format) -> String {
    urls::file_in(&site.lang_file(lang, path), format)
}

/// Output folder of a category or area page (`services/category/carers/`).
pub fn facet_path(d: &Directory, kind: &str, id: &str) -> String {
    format!("{}{kind}/{}/", d.path, urls::segment_from_name(id))
}

/// A piece of content, with its language when it differs from the page's.
#[derive(Debug, Clone, Serialize)]
pub struct Field {
    pub text: String,
    pub lang: Option<String>,
    pub dir: Option<&'static str>,
}

#[derive(Debug, Serialize)]
pub struct ContactItem {
    pub kind: &'static str,
    pub label: String,
    pub text: String,
    pub href: String,
}

#[derive(Debug, Serialize)]
pub struct Spoken {
    pub own: String,
    pub code: String,
    pub dir: &'static str,
    /// The name in the reader's language, when it differs from `own`.
    pub translated: Option<String>,
}

#[derive(Debug, Serialize)]
pub struct ServiceCtx {
    pub name: Field,
    pub summary: Field,
    pub description: Option<Field>,
    pub eligibility: Option<Field>,
    pub cost: Option<Field>,
    pub referral: Vec<String>,
    pub contact: Vec<ContactItem>,
    pub hours: Vec<String>,
    pub bank_holidays: Option<String>,
    pub address: Vec<String>,
    pub accessibility: Vec<String>,
    pub accessibility_lang: Option<String>,
    pub languages: Vec<Spoken>,
    pub last_checked: String,
    pub last_checked_iso: String,
    pub stale: Option<String>,
    pub report: LinkItem,
    /// For plain text: where and what to write to report a mistake.
    pub report_email: Option<String>,
    pub report_subject: String,
    pub categories: Vec<LinkItem>,
    pub areas: Vec<LinkItem>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ListItem {
    pub name: Field,
    pub href: String,
    pub summary: Field,
    pub place: Option<String>,
}

#[derive(Debug, Serialize)]
pub struct ListingCtx {
    pub count: String,
    pub items: Vec<ListItem>,
    pub empty: String,
    pub home: LinkItem,
}

#[derive(Debug, Serialize)]
pub struct FacetLink {
    pub name: Field,
    pub href: String,
    pub count: String,
}

#[derive(Debug, Serialize)]
pub struct Letter {
    pub letter: String,
    pub id: String,
    pub items: Vec<ListItem>,
}

/// What the directory's home page gets besides its own text (`directory` in
/// the template).
#[derive(Debug, Serialize)]
pub struct HomeCtx {
    pub total: String,
    pub categories: Vec<FacetLink>,
    pub areas: Vec<FacetLink>,
    pub letters: Vec<Letter>,
    pub open_data: LinkItem,
}

/// A directory page's template context.
#[derive(Debug, Serialize)]
struct DirPageCtx {
    #[serde(flatten)]
    chrome: Chrome,
    kind: &'static str,
    variant: &'static str,
    title: String,
    heading: Field,
    summary: String,
    content_lang: String,
    content_dir: &'static str,
    fallback: Option<Fallback>,
    service: Option<ServiceCtx>,
    listing: Option<ListingCtx>,
    jsonld: Option<String>,
}

/// One reader's view: a language and a format.
struct Gen<'a, 'b> {
    ctx: &'a RenderContext<'b>,
    site: &'a Site,
    lang: &'a str,
    dl: &'a str,
    strings: &'a Strings,
    format: Format,
}

impl<'a, 'b> Gen<'a, 'b> {
    fn new(ctx: &'a RenderContext<'b>, lang: &'a str, format: Format) -> Self {
        Gen {
            ctx,
            site: ctx.site,
            lang,
            dl: ctx.site.default_lang(),
            strings: ctx.i18n.get(lang),
            format,
        }
    }

    /// A field's text; `translated` says it is in the reader's language.
    fn field(&self, text: impl Into<String>, translated: bool) -> Field {
        let foreign = !translated && self.lang != self.dl;
        Field {
            text: text.into(),
            lang: foreign.then(|| self.dl.to_string()),
            dir: foreign.then(|| self.site.config.default_lang().dir.as_str()),
        }
    }

    /// The address of another directory page, in this language and format.
    fn href(&self, path: &str) -> String {
        let file = file_of(self.site, self.lang, path, self.format.links_to());
        if self.format.absolute_links() {
            self.site.absolute(&file)
        } else {
            urls::href_of_file(&self.site.config.base_path(), &file)
        }
    }

    fn count(&self, n: usize) -> String {
        self.strings
            .plural("directory.services_count", n as u64, &[])
    }

    fn facet_name(&self, f: &Facet) -> Field {
        let (name, ok) = f.name(self.lang, self.dl);
        self.field(name, ok)
    }

    fn list_item(&self, d: &Directory, s: &Service) -> ListItem {
        let (name, n_ok) = s.name_in(self.lang);
        let (summary, s_ok) = s.summary_in(self.lang);
        let place = match &s.entry.address {
            Some(a) => Some(self.strings.fmt("directory.town", &[("town", &a.town)])),
            None if !s.entry.areas.is_empty() => {
                let names: Vec<String> = s
                    .entry
                    .areas
                    .iter()
                    .map(|a| {
                        d.area(a)
                            .map(|f| f.name(self.lang, self.dl).0.to_string())
                            .unwrap_or_else(|| a.0.clone())
                    })
                    .collect();
                Some(self.strings.fmt(
                    "directory.covers",
                    &[("areas", &hours::join_list(&names, self.strings))],
                ))
            }
            None => None,
        };
        ListItem {
            name: self.field(name, n_ok),
            href: self.href(&s.path),
            summary: self.field(summary, s_ok),
            place,
        }
    }

    /// Breadcrumbs: the directory's ancestors and its home page, then (in
    /// large print) the standard version of this page.
    fn crumbs(&self, d: &Directory, here: Option<(&str, &str)>) -> Vec<LinkItem> {
        let site = self.site;
        let mut chain = site.ancestors(d.page);
        chain.push(d.page);
        let mut out: Vec<LinkItem> = chain
            .into_iter()
            .map(|p| {
                let page = &site.pages[p];
                let label = if page.kind == PageKind::Home {
                    self.strings.get("home")
                } else {
                    page.doc_for(Variant::Standard, self.lang, self.dl)
                        .map(|(doc, _)| doc.front.title.clone())
                        .unwrap_or_default()
                };
                LinkItem {
                    label,
                    href: site.page_href(p, self.lang, Variant::Standard, self.format.links_to()),
                    current: false,
                }
            })
            .collect();
        // Other formats offer the standard version of the page.
        if let Some((title, path)) = here.filter(|_| self.format != Format::PRIMARY) {
            out.push(LinkItem {
                label: title.to_string(),
                href: urls::href_of_file(
                    &site.config.base_path(),
                    &file_of(site, self.lang, path, Format::PRIMARY),
                ),
                current: false,
            });
        }
        out
    }

    /// The chrome of a directory page at `path` (no language prefix).
    fn chrome(
        &self,
        path: &str,
        translated: &dyn Fn(&str) -> bool,
        crumbs: Vec<LinkItem>,
    ) -> Chrome {
        let site = self.site;
        let base = site.config.base_path();
        let mut formats: Vec<LinkItem> = crate::format::generated_formats(true)
            .map(|f| LinkItem {
                label: self.strings.get(f.row().label),
                href: urls::href_of_file(&base, &file_of(site, self.lang, path, f)),
                current: f == self.format,
            })
            .collect();
        // Downloads made for this page (a service's braille file), with
        // their type and size.
        for row in crate::format::FORMATS {
            let file = file_of(site, self.lang, path, row.format);
            if row.media != Media::Download {
                continue;
            }
            if let Some(size) = self.ctx.downloads.size(&file) {
                formats.push(LinkItem {
                    label: format!(
                        "{} ({})",
                        self.strings.get(row.label),
                        crate::render::pdf::type_and_size(&row.format.file_type(), size)
                    ),
                    href: urls::href_of_file(&base, &file),
                    current: false,
                });
            }
        }
        let languages = language_switcher(self.ctx, self.lang, |code| {
            urls::href_of_file(&base, &file_of(site, code, path, self.format.links_to()))
        });
        let mut alternates: Vec<Alternate> = site
            .config
            .languages
            .iter()
            .filter(|l| translated(&l.code))
            .map(|l| Alternate {
                hreflang: l.code.clone(),
                href: site.absolute(&file_of(site, &l.code, path, self.format.links_to())),
            })
            .collect();
        alternates.push(Alternate {
            hreflang: "x-default".into(),
            href: site.absolute(&file_of(site, self.dl, path, self.format.links_to())),
        });
        let canonical_lang = if translated(self.lang) {
            self.lang
        } else {
            self.dl
        };
        let canonical = site.absolute(&file_of(site, canonical_lang, path, Format::PRIMARY));
        chrome(
            self.ctx,
            self.lang,
            self.format,
            canonical,
            alternates,
            formats,
            languages,
            crumbs,
        )
    }

    fn fallback(&self, title: &str) -> Fallback {
        let site = self.site;
        let this = site
            .config
            .language(self.lang)
            .map(|l| l.name.clone())
            .unwrap_or_default();
        let default = site.config.default_lang().name.clone();
        let ask_href = match &site.config.organisation.email {
            Some(email) => format!(
                "mailto:{email}?subject={}",
                encode_query(&format!("{title} ({})", self.lang))
            ),
            None => format!(
                "{}#feedback",
                crate::render::context::site_ctx(self.ctx, self.lang).statement_href
            ),
        };
        Fallback {
            notice: self.strings.fmt(
                "fallback_notice",
                &[("language", &this), ("default_language", &default)],
            ),
            ask_text: self.strings.get("fallback_ask"),
            ask_href,
            content_lang: self.dl.to_string(),
            content_dir: site.config.default_lang().dir.as_str(),
        }
    }

    fn page_ctx(
        &self,
        kind: &'static str,
        title: Field,
        summary: String,
        fallback: bool,
        chrome: Chrome,
    ) -> DirPageCtx {
        let dir = self
            .site
            .config
            .language(self.lang)
            .map(|l| l.dir.as_str())
            .unwrap_or("ltr");
        DirPageCtx {
            chrome,
            kind,
            variant: "standard",
            title: title.text.clone(),
            fallback: fallback.then(|| self.fallback(&title.text)),
            heading: title,
            summary,
            content_lang: self.lang.to_string(),
            content_dir: dir,
            service: None,
            listing: None,
            jsonld: None,
        }
    }
}

/// Percent-encodes a mailto query value.
pub fn encode_query(s: &str) -> String {
    let mut out = String::new();
    for b in s.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                out.push(b as char)
            }
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

/// Service, category and area pages.
pub struct DirectoryPages;

enum Job {
    Service(usize),
    Facet(&'static str, usize),
}

impl DirectoryPages {
    /// Every page to render: each service, category and area, in each
    /// language.
    fn jobs(site: &crate::model::Site) -> Vec<(usize, Job, &str)> {
        let mut jobs = Vec::new();
        for (di, d) in site.directories().iter().enumerate() {
            for lang in &site.config.languages {
                for si in 0..d.services.len() {
                    jobs.push((di, Job::Service(si), lang.code.as_str()));
                }
                for fi in 0..d.categories.len() {
                    jobs.push((di, Job::Facet("category", fi), lang.code.as_str()));
                }
                for fi in 0..d.areas.len() {
                    jobs.push((di, Job::Facet("area", fi), lang.code.as_str()));
                }
            }
        }
        jobs
    }

    /// One job's page in every format.
    fn job(
        ctx: &RenderContext<'_>,
        (di, job, lang): &(usize, Job, &str),
    ) -> Result<Vec<OutputFile>> {
        let d = &ctx.site.directories()[*di];
        let mut out = Vec::new();
        // Downloads first: the pages' format lists show their sizes.
        if let (Job::Service(si), Some(louis)) = (job, &ctx.louis)
            && Format::Braille.enabled(&ctx.site.config)
        {
            let g = Gen::new(ctx, lang, Format::Braille);
            out.push(service_braille(&g, d, &d.services[*si], louis)?);
        }
        for format in crate::format::generated_formats(true) {
            let g = Gen::new(ctx, lang, format);
            out.push(match job {
                Job::Service(si) => service_page(&g, d, &d.services[*si], d.today())?,
                Job::Facet(kind, fi) => {
                    let f = if *kind == "category" {
                        &d.categories[*fi]
                    } else {
                        &d.areas[*fi]
                    };
                    facet_page(&g, d, kind, f)?
                }
            });
        }
        Ok(out)
    }
}

impl crate::render::SiteRenderer for DirectoryPages {
    fn render(&self, ctx: &RenderContext<'_>) -> Result<Vec<OutputFile>> {
        let files: Vec<Vec<OutputFile>> = Self::jobs(ctx.site)
            .par_iter()
            .map(|job| Self::job(ctx, job))
            .collect::<Result<_>>()?;
        Ok(files.into_iter().flatten().collect())
    }

    /// Pages go to `put` as they are rendered, in parallel.
    fn render_to(&self, ctx: &RenderContext<'_>, put: &(dyn Fn(OutputFile) + Sync)) -> Result<()> {
        Self::jobs(ctx.site).par_iter().try_for_each(|job| {
            for f in Self::job(ctx, job)? {
                put(f);
            }
            Ok(())
        })
    }
}

fn service_page(g: &Gen<'_, '_>, d: &Directory, s: &Service, today: Date) -> Result<OutputFile> {
    let site = g.site;
    let file = file_of(site, g.lang, &s.path, g.format);
    let translated = |l: &str| s.is_translated(l, g.dl);
    let fallback = !translated(g.lang);
    let data = service_ctx(g, d, s, today);
    if g.format.row().media == Media::Text {
        return Ok(OutputFile::new(file, service_text(g, s, &data, fallback)));
    }
    let (name, _) = s.name_in(g.lang);
    let chrome = g.chrome(&s.path, &translated, g.crumbs(d, Some((name, &s.path))));
    let mut page = g.page_ctx(
        "service",
        data.name.clone(),
        data.summary.text.clone(),
        fallback,
        chrome,
    );
    if g.format == Format::PRIMARY {
        let url = site.absolute(&file_of(site, g.lang, &s.path, Format::PRIMARY));
        page.jsonld = Some(jsonld::script_text(&jsonld::service(
            site, d, s, g.lang, &url,
        )));
    }
    page.service = Some(data);
    let html = render_template(g.ctx, "service.html", &page)?;
    Ok(OutputFile::new(file, g.ctx.theme.finish_html(html)))
}

fn service_ctx(g: &Gen<'_, '_>, d: &Directory, s: &Service, today: Date) -> ServiceCtx {
    let site = g.site;
    let e = &s.entry;
    let st = g.strings;
    let (name, name_ok) = s.name_in(g.lang);
    let (summary, summary_ok) = s.summary_in(g.lang);
    let links = LinkMap {
        site,
        strings: st,
        lang: g.lang,
        variant: Variant::Standard,
        format: g.format,
        absolute: g.format.absolute_links(),
    };
    let description = s.description_in(g.lang, g.dl).map(|doc| {
        let text = if g.format.row().media == Media::Text {
            crate::render::text::render_body(doc, &doc.events(), &links)
        } else {
            crate::render::body::to_html(doc, &doc.events(), &links, Default::default())
        };
        g.field(text, doc.lang == g.lang)
    });
    let cost = s.cost_in(g.lang).map(|(c, ok)| {
        if c.trim().eq_ignore_ascii_case("free") {
            g.field(st.get("directory.free"), true)
        } else {
            g.field(c, ok)
        }
    });
    let mut contact = Vec::new();
    if let Some(c) = &e.contact {
        let mut add = |kind: &'static str, label: &str, text: &str, href: String| {
            contact.push(ContactItem {
                kind,
                label: st.get(label),
                text: text.to_string(),
                href,
            })
        };
        if let Some(p) = &c.phone {
            add(
                "phone",
                "directory.contact.phone",
                &p.0,
                format!("tel:{}", p.dial()),
            );
        }
        if let Some(p) = &c.text_phone {
            add(
                "text_phone",
                "directory.contact.text_phone",
                &p.0,
                format!("tel:{}", p.dial()),
            );
        }
        if let Some(p) = &c.sms {
            add(
                "sms",
                "directory.contact.sms",
                &p.0,
                format!("sms:{}", p.dial()),
            );
        }
        if let Some(m) = &c.email {
            add(
                "email",
                "directory.contact.email",
                &m.0,
                format!("mailto:{}", m.0),
            );
        }
        if let Some(w) = &c.website {
            add("website", "directory.contact.website", &w.0, w.0.clone());
        }
    }
    let address = e
        .address
        .as_ref()
        .map(|a| {
            let mut lines = vec![a.line1.0.clone()];
            if let Some(l2) = &a.line2 {
                lines.push(l2.0.clone());
            }
            lines.push(a.town.0.clone());
            lines.push(a.postcode.0.clone());
            lines
        })
        .unwrap_or_default();
    let (access, access_ok) = s.accessibility_in(g.lang);
    let languages = e
        .languages
        .iter()
        .map(|code| match langs::lookup(&code.0) {
            Some(l) => Spoken {
                own: l.own.to_string(),
                code: code.0.clone(),
                dir: if l.rtl { "rtl" } else { "ltr" },
                translated: (g.lang == "en" && l.english != l.own).then(|| l.english.to_string()),
            },
            None => Spoken {
                own: code.0.clone(),
                code: code.0.clone(),
                dir: "ltr",
                translated: None,
            },
        })
        .collect();
    let checked = st.date(e.last_verified);
    let report_subject = st.fmt("directory.report_subject", &[("name", name)]);
    let report_href = match &site.config.organisation.email {
        Some(email) => format!("mailto:{email}?subject={}", encode_query(&report_subject)),
        None => format!(
            "{}#feedback",
            crate::render::context::site_ctx(g.ctx, g.lang).statement_href
        ),
    };
    let facet_links = |ids: &[crate::directory::entry::Line], kind: &str| -> Vec<LinkItem> {
        ids.iter()
            .filter_map(|id| {
                if kind == "category" {
                    d.category(id)
                } else {
                    d.area(id)
                }
            })
            .map(|f| LinkItem {
                label: f.name(g.lang, g.dl).0.to_string(),
                href: g.href(&facet_path(d, kind, &f.id)),
                current: false,
            })
            .collect()
    };
    ServiceCtx {
        name: g.field(name, name_ok),
        summary: g.field(summary, summary_ok),
        description,
        eligibility: s.eligibility_in(g.lang).map(|(t, ok)| g.field(t, ok)),
        cost,
        referral: e
            .referral
            .iter()
            .map(|r| st.get(&format!("directory.referral.{}", r.key())))
            .collect(),
        contact,
        hours: hours::describe(&e.opening_hours, st),
        bank_holidays: hours::bank_holidays(e.closed_on_bank_holidays, st),
        address,
        accessibility: access.to_vec(),
        accessibility_lang: (!access_ok && g.lang != g.dl && !access.is_empty())
            .then(|| g.dl.to_string()),
        languages,
        last_checked: st.fmt("directory.last_checked", &[("date", &checked)]),
        last_checked_iso: e.last_verified.to_string(),
        stale: is_stale(e.last_verified, today)
            .then(|| st.fmt("directory.out_of_date", &[("date", &checked)])),
        report: LinkItem {
            label: st.get("directory.report_link"),
            href: report_href,
            current: false,
        },
        report_email: site.config.organisation.email.clone(),
        report_subject,
        categories: facet_links(&e.categories, "category"),
        areas: facet_links(&e.areas, "area"),
    }
}

/// The description's own headings are numbered from 0 by the body
/// renderer; under section `section` they become `section.1`, ...
fn renumber(text: &str, section: usize) -> String {
    let lines: Vec<&str> = text.lines().collect();
    let mut out = String::with_capacity(text.len() + 16);
    for (i, line) in lines.iter().enumerate() {
        let underline = lines
            .get(i + 1)
            .is_some_and(|u| !u.is_empty() && u.chars().all(|c| c == '~' || c == '-'));
        match line.strip_prefix("0.") {
            Some(rest) if underline && rest.starts_with(|c: char| c.is_ascii_digit()) => {
                out.push_str(&format!("{section}.{rest}"));
            }
            _ => out.push_str(line),
        }
        out.push('\n');
    }
    out
}

fn service_text(g: &Gen<'_, '_>, s: &Service, c: &ServiceCtx, fallback: bool) -> String {
    let st = g.strings;
    let site = g.site;
    let mut out = String::new();
    text_title(&mut out, &c.name.text);
    let address = site.absolute(&file_of(site, g.lang, &s.path, Format::Html));
    out.push_str(&wrap(&st.fmt("page_address", &[("url", &address)]), "", ""));
    if fallback {
        out.push('\n');
        out.push_str(&wrap(&g.fallback(&c.name.text).notice, "", ""));
    }
    out.push('\n');
    out.push_str(&wrap(&c.summary.text, "", ""));
    if let Some(stale) = &c.stale {
        out.push('\n');
        out.push_str(&wrap(&format!("! {stale}"), "", "  "));
    }
    let n = Cell::new(0);
    let para = |out: &mut String, heading: &str, text: &str| {
        text_heading(out, &n, &st.get(heading));
        out.push_str(&wrap(text, "", ""));
    };
    let list = |out: &mut String, heading: &str, items: &[String]| {
        if items.is_empty() {
            return;
        }
        text_heading(out, &n, &st.get(heading));
        for i in items {
            out.push_str(&wrap(i, "- ", "  "));
        }
    };
    if let Some(d) = &c.description {
        text_heading(&mut out, &n, &st.get("directory.what_heading"));
        out.push_str(renumber(&d.text, n.get()).trim_end());
        out.push('\n');
    }
    if let Some(e) = &c.eligibility {
        para(&mut out, "directory.who_heading", &e.text);
    }
    if let Some(cost) = &c.cost {
        para(&mut out, "directory.cost_heading", &cost.text);
    }
    list(&mut out, "directory.referral_heading", &c.referral);
    let contact: Vec<String> = c
        .contact
        .iter()
        .map(|i| format!("{}: {}", i.label, i.text))
        .collect();
    list(&mut out, "directory.contact_heading", &contact);
    let mut when = c.hours.clone();
    when.extend(c.bank_holidays.clone());
    list(&mut out, "directory.hours_heading", &when);
    if !c.address.is_empty() {
        text_heading(&mut out, &n, &st.get("directory.address_heading"));
        for l in &c.address {
            out.push_str(l);
            out.push('\n');
        }
    }
    list(
        &mut out,
        "directory.accessibility_heading",
        &c.accessibility,
    );
    let spoken: Vec<String> = c
        .languages
        .iter()
        .map(|l| match &l.translated {
            Some(t) => format!("{} ({t})", l.own),
            None => l.own.clone(),
        })
        .collect();
    list(&mut out, "directory.languages_heading", &spoken);
    if !c.categories.is_empty() || !c.areas.is_empty() {
        text_heading(&mut out, &n, &st.get("directory.listed_heading"));
        for l in c.categories.iter().chain(&c.areas) {
            out.push_str(&wrap(&l.label, "- ", "  "));
            out.push_str(&format!("  {}\n", l.href));
        }
    }
    out.push('\n');
    out.push_str(&wrap(&c.last_checked, "", ""));
    out.push('\n');
    match &c.report_email {
        Some(email) => {
            out.push_str(&wrap(&format!("{}: {email}", c.report.label), "", "  "));
            out.push_str(&wrap(&format!("({})", c.report_subject), "", ""));
        }
        None => {
            out.push_str(&wrap(&c.report.label, "", ""));
            out.push_str(&format!("{}\n", c.report.href));
        }
    }
    out
}

/// A service's braille file: the words of its plain-text page, as a print
/// document with headings and lists, translated by liblouis.
fn service_braille(
    g: &Gen<'_, '_>,
    d: &Directory,
    s: &Service,
    louis: &crate::braille::Louis,
) -> Result<OutputFile> {
    let file = file_of(g.site, g.lang, &s.path, Format::Braille);
    let c = service_ctx(g, d, s, d.today());
    let doc = service_print_doc(g, s, &c);
    let bytes = crate::render::braille::brf(&g.ctx.downloads, louis, &doc).map_err(|e| {
        Diagnostic::new(
            crate::codes::Code::BRAILLE002,
            format!("the braille file of this service could not be made: {e}"),
            "switch braille off in site.yaml (print: braille: false) until it is fixed",
        )
        .at(&s.file, 0)
    })?;
    g.ctx.downloads.record(&file, bytes.len());
    Ok(OutputFile::new(file, bytes))
}

/// A service as a print document, in the order of its plain-text page.
fn service_print_doc(g: &Gen<'_, '_>, s: &Service, c: &ServiceCtx) -> PrintDoc {
    use crate::print::{Block, BlockKind, Inline};
    let st = g.strings;
    let text = |t: &str| vec![Inline::Text(t.to_string())];
    let para = |t: &str| Block::new(BlockKind::Paragraph(text(t)), 0);
    let heading = |key: &str| {
        Block::new(
            BlockKind::Heading {
                level: 2,
                content: text(&st.get(key)),
            },
            0,
        )
    };
    let list = |items: &[String]| {
        Block::new(
            BlockKind::List {
                start: None,
                items: items.iter().map(|i| vec![para(i)]).collect(),
            },
            0,
        )
    };
    let mut blocks = vec![para(&c.summary.text)];
    if let Some(stale) = &c.stale {
        blocks.push(para(stale));
    }
    if let Some(doc) = s.description_in(g.lang, g.dl) {
        blocks.push(heading("directory.what_heading"));
        let events = doc.events();
        let pairs = events
            .events
            .iter()
            .cloned()
            .zip(events.offsets.iter().copied());
        let mut described = crate::print::blocks(pairs, Default::default());
        // The description's headings sit under "What the service does".
        for b in &mut described {
            if let BlockKind::Heading { level, .. } = &mut b.kind {
                *level = (*level + 1).min(6);
            }
        }
        blocks.extend(described);
    }
    let mut section = |key: &str, items: Vec<String>| {
        if !items.is_empty() {
            blocks.push(heading(key));
            blocks.push(list(&items));
        }
    };
    if let Some(e) = &c.eligibility {
        section("directory.who_heading", vec![e.text.clone()]);
    }
    if let Some(cost) = &c.cost {
        section("directory.cost_heading", vec![cost.text.clone()]);
    }
    section("directory.referral_heading", c.referral.clone());
    section(
        "directory.contact_heading",
        c.contact
            .iter()
            .map(|i| format!("{}: {}", i.label, i.text))
            .collect(),
    );
    let mut when = c.hours.clone();
    when.extend(c.bank_holidays.clone());
    section("directory.hours_heading", when);
    section("directory.address_heading", c.address.clone());
    section("directory.accessibility_heading", c.accessibility.clone());
    section(
        "directory.languages_heading",
        c.languages
            .iter()
            .map(|l| match &l.translated {
                Some(t) => format!("{} ({t})", l.own),
                None => l.own.clone(),
            })
            .collect(),
    );
    blocks.push(para(&c.last_checked));
    let mut doc = PrintDoc::new(c.name.text.clone(), g.lang, blocks);
    doc.labels.page = st.get("print.page");
    doc
}

fn facet_page(g: &Gen<'_, '_>, d: &Directory, kind: &'static str, f: &Facet) -> Result<OutputFile> {
    let site = g.site;
    let path = facet_path(d, kind, &f.id);
    let file = file_of(site, g.lang, &path, g.format);
    let home = &site.pages[d.page];
    let translated = |l: &str| home.docs.contains_key(&(Variant::Standard, l.to_string()));
    let fallback = !translated(g.lang);
    let name = g.facet_name(f);
    let summary_key = if kind == "category" {
        "directory.category_summary"
    } else {
        "directory.area_summary"
    };
    let summary = g.strings.fmt(summary_key, &[("name", &name.text)]);
    let mut items: Vec<ListItem> = f
        .services
        .iter()
        .map(|i| g.list_item(d, &d.services[*i]))
        .collect();
    items.sort_by_cached_key(|i| i.name.text.to_lowercase());
    let home_title = home
        .doc_for(Variant::Standard, g.lang, g.dl)
        .map(|(doc, _)| doc.front.title.clone())
        .unwrap_or_default();
    let listing = ListingCtx {
        count: g.count(items.len()),
        empty: g.strings.get("directory.no_services"),
        home: LinkItem {
            label: g
                .strings
                .fmt("directory.back_to_home", &[("title", &home_title)]),
            href: site.page_href(d.page, g.lang, Variant::Standard, g.format.links_to()),
            current: false,
        },
        items,
    };
    if g.format.row().media == Media::Text {
        let mut out = String::new();
        text_title(&mut out, &name.text);
        let address = site.absolute(&file_of(site, g.lang, &path, Format::Html));
        out.push_str(&wrap(
            &g.strings.fmt("page_address", &[("url", &address)]),
            "",
            "",
        ));
        if fallback {
            out.push('\n');
            out.push_str(&wrap(&g.fallback(&name.text).notice, "", ""));
        }
        out.push('\n');
        out.push_str(&wrap(&summary, "", ""));
        text_heading(&mut out, &Cell::new(0), &listing.count);
        if listing.items.is_empty() {
            out.push_str(&wrap(&listing.empty, "", ""));
        }
        text_list(&mut out, &listing.items);
        return Ok(OutputFile::new(file, out));
    }
    let chrome = g.chrome(&path, &translated, g.crumbs(d, Some((&name.text, &path))));
    let mut page = g.page_ctx(kind, name, summary, fallback, chrome);
    page.listing = Some(listing);
    let html = render_template(g.ctx, "directory-list.html", &page)?;
    Ok(OutputFile::new(file, g.ctx.theme.finish_html(html)))
}

fn text_list(out: &mut String, items: &[ListItem]) {
    for i in items {
        out.push_str(&wrap(&i.name.text, "- ", "  "));
        out.push_str(&wrap(&i.summary.text, "  ", "  "));
        if let Some(p) = &i.place {
            out.push_str(&wrap(p, "  ", "  "));
        }
        out.push_str(&format!("  {}\n\n", i.href));
    }
}

/// The lists of the directory's home page for a view, or `None` when the
/// page is not a directory's home.
pub fn home_ctx(ctx: &RenderContext<'_>, view: &PageView<'_>, format: Format) -> Option<HomeCtx> {
    if view.variant != Variant::Standard {
        return None;
    }
    let d = ctx.site.directory_of_page(view.id)?;
    let g = Gen::new(ctx, view.lang, format);
    let facet_links = |kind: &str, facets: &[Facet]| -> Vec<FacetLink> {
        facets
            .iter()
            .map(|f| FacetLink {
                name: g.facet_name(f),
                href: g.href(&facet_path(d, kind, &f.id)),
                count: g.count(f.services.len()),
            })
            .collect()
    };
    let mut all: Vec<ListItem> = d.services.iter().map(|s| g.list_item(d, s)).collect();
    all.sort_by_cached_key(|i| i.name.text.to_lowercase());
    let mut letters: Vec<Letter> = Vec::new();
    for item in all {
        let letter: String = item
            .name
            .text
            .chars()
            .next()
            .map(|c| c.to_uppercase().collect())
            .unwrap_or_default();
        match letters.last_mut() {
            Some(l) if l.letter == letter => l.items.push(item),
            _ => {
                let id = format!("dir-letter-{}", letters.len() + 1);
                letters.push(Letter {
                    letter,
                    id,
                    items: vec![item],
                });
            }
        }
    }
    let json = format!("{}services.json", d.path);
    Some(HomeCtx {
        total: g.count(d.services.len()),
        categories: facet_links("category", &d.categories),
        areas: facet_links("area", &d.areas),
        letters,
        open_data: LinkItem {
            label: g.strings.get("directory.open_data"),
            href: if format.absolute_links() {
                ctx.site.absolute(&json)
            } else {
                urls::href_of_file(&ctx.site.config.base_path(), &json)
            },
            current: false,
        },
    })
}

/// Renders a directory's home page with its lists (`directory.html`), or
/// `None` when the view is not a directory's home.
pub fn home_html(
    ctx: &RenderContext<'_>,
    view: &PageView<'_>,
    format: Format,
    page: &PageCtx,
) -> Option<Result<String>> {
    let home = home_ctx(ctx, view, format)?;
    Some((|| {
        let mut context = ctx.template_context(page)?;
        context.insert("directory", &home);
        ctx.render_template("directory.html", &context)
    })())
}

/// The lists of a directory's home page as plain text ("" for other pages).
pub fn home_text(ctx: &RenderContext<'_>, view: &PageView<'_>, format: Format) -> String {
    let Some(home) = home_ctx(ctx, view, format) else {
        return String::new();
    };
    let st = ctx.i18n.get(view.lang);
    let mut out = String::new();
    // Numbered on from the page's own level 2 headings.
    let n = Cell::new(
        view.doc
            .body
            .headings
            .iter()
            .filter(|h| h.level <= 2)
            .count(),
    );
    for (heading, facets) in [
        ("directory.categories_heading", &home.categories),
        ("directory.areas_heading", &home.areas),
    ] {
        if facets.is_empty() {
            continue;
        }
        text_heading(&mut out, &n, &st.get(heading));
        for f in facets.iter() {
            out.push_str(&wrap(&format!("{} ({})", f.name.text, f.count), "- ", "  "));
            out.push_str(&format!("  {}\n", f.href));
        }
    }
    text_heading(
        &mut out,
        &n,
        &format!("{} ({})", st.get("directory.all_heading"), home.total),
    );
    for l in &home.letters {
        out.push_str(&format!("{}\n\n", l.letter));
        text_list(&mut out, &l.items);
    }
    out.push_str(&wrap(
        &format!("{}: {}", home.open_data.label, home.open_data.href),
        "",
        "  ",
    ));
    out.trim_end().to_string() + "\n"
}
