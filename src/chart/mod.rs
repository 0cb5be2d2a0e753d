//! Charts from data: a ```` ```chart ```` block of small YAML in a page
//! becomes, in every format, the same numbers three ways:
//!
//! - a picture ([`svg`]), drawn for a 320 px phone first, with patterns and
//!   markers as well as colours; it is `aria-hidden`, because
//! - a sentence made from the numbers ([`summary`]: highest, lowest, how a
//!   line moved), in the reader's language, and
//! - the numbers as a real table (caption, header row, units), which a
//!   screen reader can walk cell by cell, carry the meaning. Giving the
//!   picture `role="img"` as well would make a screen reader say the
//!   summary twice and add nothing the table does not say better.
//!
//! Easy read gets one simple bar with words a value instead of the picture
//! and the table; plain text gets the title, the summary and the table read
//! row by row, like any other table.
//!
//! [`crate::markdown::parse`] reads the block ([`parse`]), reports bad data
//! at its line, and leaves a marker event that the HTML and plain-text
//! renderers turn into [`html`] or [`text`]. The SVG is ours, not the
//! editor's raw HTML, so it does not go through the sanitiser: every editor
//! string in it is escaped here.

pub mod parse;
pub mod summary;
pub mod svg;

use crate::i18n::Strings;

/// What a chart draws.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Upright columns.
    Bar,
    /// Bars across, one under another: the best fit on a phone.
    HorizontalBar,
    /// One or more lines over x labels.
    Line,
}

/// Numbers under one name: the values of a bar chart, or one line.
#[derive(Debug, Clone, PartialEq)]
pub struct Series {
    pub name: String,
    pub values: Vec<parse::Number>,
}

/// A chart as the editor wrote it, checked.
#[derive(Debug, Clone, PartialEq)]
pub struct Chart {
    pub kind: Kind,
    pub title: String,
    pub units: String,
    /// The heading of the labels' column (`Town`, `Year`).
    pub category: Option<String>,
    pub source: Option<String>,
    pub caption: Option<String>,
    /// The categories (bar) or x labels (line).
    pub labels: Vec<String>,
    /// One series for a bar chart; one a line for a line chart.
    pub series: Vec<Series>,
}

/// How and for whom a chart is rendered.
#[derive(Debug, Clone, Copy)]
pub struct Look<'a> {
    pub strings: &'a Strings,
    /// Large print: a bigger picture.
    pub large: bool,
    /// Easy read: a simple bar with words for each value.
    pub easy_read: bool,
    /// The content reads right to left: the picture is mirrored.
    pub rtl: bool,
    /// The language of the generated words when it differs from the
    /// content's (a page shown untranslated).
    pub words_lang: Option<&'a str>,
}

/// The marker event a chart leaves in the event stream (see
/// [`crate::markdown::Events::chart`]). Raw HTML from an editor never
/// holds comments (the sanitiser removes them), so it cannot forge one.
pub fn marker(index: usize) -> String {
    format!("<!--signpost:chart {index}-->")
}

/// The chart index of a marker.
pub fn marker_index(html: &str) -> Option<usize> {
    html.strip_prefix("<!--signpost:chart ")?
        .strip_suffix("-->")?
        .parse()
        .ok()
}

impl Chart {
    fn amounts(&self, strings: &Strings) -> Vec<Vec<String>> {
        self.series
            .iter()
            .map(|s| {
                s.values
                    .iter()
                    .map(|v| summary::amount(strings, &v.text, &self.units))
                    .collect()
            })
            .collect()
    }

    fn caption_text(&self, strings: &Strings) -> String {
        strings.fmt(
            "chart.table_caption",
            &[("title", &self.title), ("units", &self.units)],
        )
    }

    /// The header row of the table: labels, then one column a series.
    fn header(&self, strings: &Strings) -> Vec<String> {
        let mut head = vec![
            self.category
                .clone()
                .unwrap_or_else(|| strings.get("chart.category")),
        ];
        for s in &self.series {
            let name = match self.kind {
                Kind::Line => s.name.clone(),
                _ => strings.get("chart.value"),
            };
            head.push(strings.fmt("chart.column", &[("name", &name), ("units", &self.units)]));
        }
        head
    }

    /// A label that will not fit under its column on a phone: the reason
    /// to suggest a horizontal bar chart.
    pub fn crowded_label(&self) -> Option<&str> {
        if self.kind != Kind::Bar {
            return None;
        }
        let col = svg::STANDARD.width / self.labels.len().max(1) as f64;
        self.labels.iter().map(String::as_str).find(|l| {
            l.split_whitespace()
                .any(|w| svg::text_width(w, svg::STANDARD.font) > col - 4.0)
                || svg::wrap(l, col - 4.0, svg::STANDARD.font).len() > 3
        })
    }
}

/// The chart as HTML: a figure with its title, the picture, the summary,
/// the table and its source; in easy read, a bar with words a value.
pub fn html(chart: &Chart, look: Look<'_>) -> String {
    let strings = look.strings;
    let amounts = chart.amounts(strings);
    let lang = look
        .words_lang
        .map(|l| format!(" lang=\"{}\" dir=\"auto\"", esc(l)))
        .unwrap_or_default();
    let mut out = String::from("<figure class=\"chart\">");
    out.push_str(&format!(
        "<figcaption class=\"chart-title\">{}</figcaption>",
        esc(&strings.fmt("chart.title", &[("title", &chart.title)]))
    ));
    if look.easy_read {
        easy_read(chart, &amounts, &mut out);
    } else {
        let size = if look.large {
            svg::LARGE
        } else {
            svg::STANDARD
        };
        out.push_str(&svg::draw(chart, &amounts, size, look.rtl));
    }
    out.push_str(&format!(
        "<p class=\"chart-summary\"{lang}>{}</p>",
        esc(&summary::summary(chart, strings))
    ));
    if !look.easy_read {
        table(chart, strings, &mut out);
    }
    if let Some(c) = &chart.caption {
        out.push_str(&format!("<p class=\"chart-note\">{}</p>", esc(c)));
    }
    if let Some(s) = &chart.source {
        out.push_str(&format!(
            "<p class=\"chart-source\">{}</p>",
            esc(&strings.fmt("chart.source", &[("source", s)]))
        ));
    }
    out.push_str("</figure>");
    out
}

fn table(chart: &Chart, strings: &Strings, out: &mut String) {
    let caption = chart.caption_text(strings);
    out.push_str(&format!(
        "<div class=\"table-wrap\" role=\"region\" tabindex=\"0\" aria-label=\"{}\"><table class=\"chart-table\"><caption>{}</caption><thead><tr>",
        esc(&caption),
        esc(&caption)
    ));
    for (i, h) in chart.header(strings).iter().enumerate() {
        let class = if i > 0 { " class=\"align-end\"" } else { "" };
        out.push_str(&format!("<th scope=\"col\"{class}>{}</th>", esc(h)));
    }
    out.push_str("</tr></thead><tbody>");
    for (i, label) in chart.labels.iter().enumerate() {
        out.push_str(&format!("<tr><th scope=\"row\">{}</th>", esc(label)));
        for s in &chart.series {
            let v = s.values.get(i).map(|v| v.text.as_str()).unwrap_or("");
            out.push_str(&format!("<td class=\"align-end\">{}</td>", esc(v)));
        }
        out.push_str("</tr>");
    }
    out.push_str("</tbody></table></div>");
}

/// Easy read: each value in words, with a plain bar beside it.
fn easy_read(chart: &Chart, amounts: &[Vec<String>], out: &mut String) {
    let max = chart
        .series
        .iter()
        .flat_map(|s| s.values.iter().map(|v| v.value))
        .fold(0.0, f64::max);
    for (j, s) in chart.series.iter().enumerate() {
        if chart.kind == Kind::Line {
            out.push_str(&format!(
                "<p class=\"chart-easy-name\">{}</p>",
                esc(&s.name)
            ));
        }
        out.push_str("<ul class=\"chart-easy\">");
        for (i, label) in chart.labels.iter().enumerate() {
            let v = s.values.get(i).map(|v| v.value).unwrap_or(0.0);
            let pct = if max > 0.0 { v / max * 100.0 } else { 0.0 };
            let amount = amounts
                .get(j)
                .and_then(|a| a.get(i))
                .cloned()
                .unwrap_or_default();
            out.push_str(&format!(
                "<li><span class=\"chart-easy-words\">{}: <strong>{}</strong></span><svg class=\"chart-easy-bar\" viewBox=\"0 0 100 10\" preserveAspectRatio=\"none\" aria-hidden=\"true\" focusable=\"false\"><rect class=\"chart-bar chart-s1\" x=\"0\" y=\"0\" width=\"{:.1}\" height=\"10\"/></svg></li>",
                esc(label),
                esc(&amount),
                pct
            ));
        }
        out.push_str("</ul>");
    }
}

/// The chart as plain text: its title, summary and table, the table read
/// row by row with its header names, like every other table. `wrap` is the
/// plain-text renderer's (text, first-line indent, other lines' indent).
pub fn text(chart: &Chart, strings: &Strings, wrap: &dyn Fn(&str, &str, &str) -> String) -> String {
    let mut out = String::from("\n");
    out.push_str(&wrap(
        &strings.fmt("chart.title", &[("title", &chart.title)]),
        "",
        "",
    ));
    out.push('\n');
    out.push_str(&wrap(&summary::summary(chart, strings), "", ""));
    out.push('\n');
    out.push_str(&chart.caption_text(strings));
    out.push_str(":\n");
    let head = chart.header(strings);
    for (i, label) in chart.labels.iter().enumerate() {
        out.push_str(&format!("\n  {}.\n", i + 1));
        out.push_str(&wrap(&format!("{}: {label}", head[0]), "    ", "      "));
        for (j, s) in chart.series.iter().enumerate() {
            let v = s.values.get(i).map(|v| v.text.as_str()).unwrap_or("");
            out.push_str(&wrap(
                &format!("{}: {v}", head.get(j + 1).map(String::as_str).unwrap_or("")),
                "    ",
                "      ",
            ));
        }
    }
    out.push('\n');
    if let Some(c) = &chart.caption {
        out.push_str(&wrap(c, "", ""));
        out.push('\n');
    }
    if let Some(s) = &chart.source {
        out.push_str(&wrap(
            &strings.fmt("chart.source", &[("source", s)]),
            "",
            "",
        ));
        out.push('\n');
    }
    out
}

/// Escapes text for an SVG or HTML text node or a quoted attribute.
pub fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests;
