use super::*;
use crate::codes::Code;
use crate::config::SiteConfig;
use crate::diagnostics::{Diagnostic, Diagnostics, SourceText};
use crate::i18n::I18n;

const LANGS: [&str; 8] = ["en", "cy", "pl", "ro", "uk", "ar", "ur", "ne"];

fn i18n() -> I18n {
    let d = Diagnostics::new();
    let langs: String = LANGS
        .iter()
        .map(|c| format!("  - {{ code: {c}, name: {c} }}\n"))
        .collect();
    let cfg = SiteConfig::parse(
        &SourceText::new("site.yaml", format!("title: T\nlanguages:\n{langs}")),
        &d,
    )
    .expect("test config");
    I18n::load(std::path::Path::new("/nonexistent"), &cfg, &d)
}

/// Parses a page whose body holds `block` after two lines of text, so
/// positions are checked against the file, not the block.
fn page(block: &str) -> (crate::markdown::Events<'static>, Vec<Diagnostic>) {
    let text: &'static str =
        Box::leak(format!("Intro.\n\n```chart\n{block}```\n").into_boxed_str());
    let f = SourceText::new("a.md", text);
    let d = Diagnostics::new();
    let (_, ev) = crate::markdown::parse(&f, text, 0, &d);
    (ev, d.sorted())
}

fn chart(block: &str) -> Chart {
    let (ev, d) = page(block);
    assert!(d.is_empty(), "{d:?}");
    ev.charts.into_iter().next().expect("a chart")
}

fn error(block: &str) -> Diagnostic {
    let (ev, d) = page(block);
    assert!(ev.charts.is_empty());
    d.into_iter().next().expect("a diagnostic")
}

const BARS: &str = "kind: horizontal-bar\ntitle: Waiting times\nunits: days\ncategory: Town\nsource: Care records\nvalues:\n  Trowbridge: 26\n  Salisbury: 31.5\n  Devizes: 19\n";

#[test]
fn reads_a_bar_chart_in_order() {
    let c = chart(BARS);
    assert_eq!(c.kind, Kind::HorizontalBar);
    assert_eq!(c.labels, ["Trowbridge", "Salisbury", "Devizes"]);
    let texts: Vec<_> = c.series[0].values.iter().map(|v| v.text.as_str()).collect();
    assert_eq!(texts, ["26", "31.5", "19"]);
    assert_eq!(c.category.as_deref(), Some("Town"));
}

#[test]
fn reads_a_line_chart_with_years() {
    let c = chart(
        "kind: line\ntitle: T\nunits: people\nx: [2022, 2023, 2024]\nseries:\n  Wiltshire: [412, 365, 298]\n  England: [400, 380, 350]\n",
    );
    assert_eq!(c.labels, ["2022", "2023", "2024"]);
    assert_eq!(c.series.len(), 2);
    assert_eq!(c.series[1].name, "England");
}

#[test]
fn the_block_leaves_one_marker_event() {
    let (ev, _) = page(BARS);
    let markers: Vec<_> = ev
        .events
        .iter()
        .filter_map(|e| match e {
            pulldown_cmark::Event::Html(h) => ev.chart(h),
            _ => None,
        })
        .collect();
    assert_eq!(markers.len(), 1);
    assert!(
        !ev.events
            .iter()
            .any(|e| matches!(e, pulldown_cmark::Event::Text(t) if t.contains("Trowbridge")))
    );
}

#[test]
fn an_unknown_kind_is_reported_at_its_line() {
    let d = error("title: T\nunits: days\nkind: pie\nvalues:\n  A: 1\n");
    assert_eq!(d.code, Code::CHART002);
    // Line 1 "Intro.", 2 blank, 3 the fence, 4 title, 5 units, 6 kind.
    assert_eq!((d.line, d.column), (Some(6), Some(1)));
    assert!(d.message.contains("pie"));
}

#[test]
fn a_value_that_is_not_a_number_is_reported_where_it_is() {
    let d =
        error("kind: bar\ntitle: T\nunits: days\nvalues:\n  Trowbridge: 26\n  Salisbury: lots\n");
    assert_eq!(d.code, Code::CHART001);
    assert_eq!(d.line, Some(9), "{d:?}");
    assert!(d.column.unwrap_or(0) > 3, "{d:?}");
    assert!(d.message.contains("not a number"), "{}", d.message);
}

#[test]
fn a_missing_title_is_reported() {
    let d = error("kind: bar\nunits: days\nvalues:\n  A: 1\n");
    assert_eq!(d.code, Code::CHART003);
    assert!(d.message.contains("`title`"), "{}", d.message);
    assert_eq!(d.line, Some(4));
}

#[test]
fn mismatched_series_lengths_are_reported_at_the_series() {
    let d = error(
        "kind: line\ntitle: T\nunits: people\nx: [2022, 2023, 2024]\nseries:\n  Wiltshire: [412, 365, 298]\n  England: [400, 380]\n",
    );
    assert_eq!(d.code, Code::CHART004);
    assert_eq!((d.line, d.column), (Some(10), Some(3)));
    assert!(d.message.contains("2 numbers") && d.message.contains("3 labels"));
}

#[test]
fn yaml_errors_and_unknown_keys_are_reported() {
    let d = error("kind: bar\ntitle: T\nunits: days\nvalues:\n  A: [1\n");
    assert_eq!(d.code, Code::CHART001);
    assert!(d.line.is_some_and(|l| l >= 8), "{d:?}");
    let d = error("kind: bar\ntitel: T\nunits: days\nvalues:\n  A: 1\n");
    assert!(d.help.contains("did you mean `title`"), "{d:?}");
    assert_eq!(d.line, Some(5));
}

#[test]
fn a_bad_chart_is_shown_as_written() {
    let (ev, _) = page("kind: pie\n");
    assert!(
        ev.events
            .iter()
            .any(|e| matches!(e, pulldown_cmark::Event::Text(t) if t.contains("kind: pie")))
    );
}

#[test]
fn crowded_columns_are_a_warning() {
    let (ev, d) = page(
        "kind: bar\ntitle: T\nunits: score\nvalues:\n  Assessing needs: 2\n  Supporting healthier lives: 3\n  Equity in experience: 3\n  Partnerships and communities: 2\n",
    );
    assert_eq!(ev.charts.len(), 1);
    assert_eq!(d.len(), 1);
    assert_eq!(d[0].code, Code::CHART005);
}

#[test]
fn summaries_name_the_highest_the_lowest_and_the_trend() {
    let i18n = i18n();
    let en = i18n.get("en");
    assert_eq!(
        summary::summary(&chart(BARS), en),
        "Salisbury is the highest, at 31.5 days. Devizes is the lowest, at 19 days."
    );
    let line = chart(
        "kind: line\ntitle: T\nunits: \"%\"\nx: [2022, 2023, 2024, 2025]\nseries:\n  Wiltshire: [20, 24, 22, 19.5]\n  England: [25, 26, 26, 27]\n",
    );
    assert_eq!(
        summary::summary(&line, en),
        "Wiltshire fell from 20% (2022) to 19.5% (2025). Wiltshire was highest at 24% (2023). England rose from 25% (2022) to 27% (2025)."
    );
}

#[test]
fn every_language_has_the_chart_strings() {
    let i18n = i18n();
    let c = chart(BARS);
    for lang in LANGS {
        let s = i18n.get(lang);
        let text = summary::summary(&c, s);
        assert!(
            !text.contains("chart.") && !text.contains('{'),
            "{lang}: {text}"
        );
        assert!(
            text.contains("Salisbury") && text.contains("31.5"),
            "{lang}: {text}"
        );
        for key in [
            "title",
            "category",
            "value",
            "column",
            "amount",
            "source",
            "table_caption",
        ] {
            let v = s.get(&format!("chart.{key}"));
            assert!(!v.starts_with("chart."), "{lang} lacks chart.{key}");
        }
        if lang != "en" {
            assert_ne!(
                text,
                summary::summary(&c, i18n.get("en")),
                "{lang} is English"
            );
        }
    }
}

#[test]
fn editor_strings_are_escaped_in_the_svg_and_the_table() {
    let c = chart(
        "kind: horizontal-bar\ntitle: \"<script>alert(1)</script>\"\nunits: \"days\\\" onload=\\\"x\"\nsource: \"A & B\"\nvalues:\n  \"<img src=x onerror=alert(1)>\": 3\n  \"O'Neil's\": 4\n",
    );
    let i18n = i18n();
    for (large, easy_read) in [(false, false), (true, false), (false, true)] {
        let html = html(
            &c,
            Look {
                strings: i18n.get("en"),
                large,
                easy_read,
                rtl: false,
                words_lang: None,
            },
        );
        assert!(!html.contains("<script"), "{html}");
        assert!(!html.contains("<img"), "{html}");
        assert!(!html.contains("\" onload"), "{html}");
        assert!(
            html.contains("&lt;img src=x onerror=alert(1)&gt;"),
            "{html}"
        );
        assert!(html.contains("A &amp; B"));
        assert!(html.contains("O&#39;Neil&#39;s"));
    }
}

#[test]
fn the_svg_is_hidden_and_the_table_has_caption_and_headers() {
    let i18n = i18n();
    let html = html(
        &chart(BARS),
        Look {
            strings: i18n.get("en"),
            large: false,
            easy_read: false,
            rtl: false,
            words_lang: None,
        },
    );
    assert!(html.contains("<svg class=\"chart-svg\" viewBox=\"0 0 320 "));
    assert!(html.contains("aria-hidden=\"true\""));
    assert!(html.contains("<caption>Waiting times (days)</caption>"));
    assert!(html.contains("<th scope=\"col\">Town</th>"));
    assert!(html.contains("<th scope=\"row\">Salisbury</th><td class=\"align-end\">31.5</td>"));
    assert!(html.contains(">31.5 days</text>"), "{html}");
    assert!(html.contains("Source: Care records"));
}

#[test]
fn line_series_differ_by_marker_and_dash() {
    let c = chart(
        "kind: line\ntitle: T\nunits: people\nx: [a, b]\nseries:\n  One: [1, 2]\n  Two: [2, 1]\n",
    );
    let s = svg::draw(&c, &[], svg::STANDARD, false);
    assert!(s.contains("<circle class=\"chart-marker chart-s1\""));
    assert!(s.contains("<rect class=\"chart-marker chart-s2\""));
    assert!(s.contains("stroke-dasharray=\"8 4\""));
}

#[test]
fn axis_steps_are_round() {
    assert_eq!(svg::ticks(0.0, 412.0), (0.0, 500.0, 100.0));
    assert_eq!(svg::ticks(19.0, 31.0), (0.0, 40.0, 10.0));
    assert_eq!(svg::ticks(-3.0, 7.0), (-4.0, 8.0, 2.0));
}

#[test]
fn plain_text_reads_the_table_row_by_row() {
    let i18n = i18n();
    // The plain-text renderer's wrap, without the wrapping.
    let wrap = |t: &str, first: &str, _rest: &str| format!("{first}{t}\n");
    let t = text(&chart(BARS), i18n.get("en"), &wrap);
    assert!(t.contains("Chart: Waiting times\n"), "{t}");
    assert!(t.contains("Waiting times (days):\n"), "{t}");
    assert!(
        t.contains("  2.\n    Town: Salisbury\n    Number (days): 31.5\n"),
        "{t}"
    );
    assert!(t.contains("Source: Care records"), "{t}");
}

/// The `x` of every element of `tag` in an SVG, in order.
fn xs(svg: &str, tag: &str, attr: &str) -> Vec<f64> {
    svg.split(&format!("<{tag} "))
        .skip(1)
        .filter_map(|e| {
            let v = e.split(&format!("{attr}=\"")).nth(1)?.split('"').next()?;
            v.parse().ok()
        })
        .collect()
}

#[test]
fn right_to_left_bars_grow_from_the_right_and_words_read_right_to_left() {
    let c =
        chart("kind: horizontal-bar\ntitle: T\nunits: people\nvalues:\n  North: 40\n  South: 10\n");
    let amounts = vec![vec!["40 people".to_string(), "10 people".to_string()]];
    let ltr = svg::draw(&c, &amounts, svg::STANDARD, false);
    let rtl = svg::draw(&c, &amounts, svg::STANDARD, true);
    // Left to right: bars start at the left edge.
    assert_eq!(xs(&ltr, "rect", "x"), [0.0, 0.0]);
    assert!(!ltr.contains("direction="));
    // Right to left: each bar ends at the right edge, the longest filling
    // the width its value leaves.
    let widths = xs(&rtl, "rect", "width");
    for (x, w) in xs(&rtl, "rect", "x").iter().zip(&widths) {
        assert!(
            (x + w - 320.0).abs() < 0.11,
            "bar {x}+{w} does not end at 320: {rtl}"
        );
    }
    assert!(widths[0] > widths[1]);
    // Labels hang from the right edge and read right to left; the number
    // in an amount is isolated so it reads left to right.
    assert!(
        rtl.contains("<text x=\"320\" y=\"18.8\" font-size=\"15\" text-anchor=\"start\" direction=\"rtl\" class=\"chart-text\">North</text>"),
        "{rtl}"
    );
    assert!(rtl.contains(">\u{2066}40\u{2069} people</text>"), "{rtl}");
}

#[test]
fn right_to_left_lines_start_on_the_right_with_the_axis_numbers_there() {
    let c = chart(
        "kind: line\ntitle: T\nunits: people\nx: [2021, 2022, 2023]\nseries:\n  One: [1, 2, 3]\n",
    );
    let ltr = svg::draw(&c, &[], svg::STANDARD, false);
    let rtl = svg::draw(&c, &[], svg::STANDARD, true);
    let first = |s: &str| -> f64 {
        let pts = s
            .split("points=\"")
            .nth(1)
            .unwrap()
            .split('"')
            .next()
            .unwrap();
        pts.split(' ')
            .next()
            .unwrap()
            .split(',')
            .next()
            .unwrap()
            .parse()
            .unwrap()
    };
    // The first year is at the left in English and at the right in Arabic,
    // mirrored about the middle.
    assert!(first(&ltr) < 160.0 && first(&rtl) > 160.0);
    assert!((first(&ltr) + first(&rtl) - 320.0).abs() < 0.11);
    // Axis numbers: at the right, laid out left to right, hanging from
    // their left edge (the plot's side).
    assert!(
        rtl.contains("text-anchor=\"start\" direction=\"ltr\" class=\"chart-text\">0</text>"),
        "{rtl}"
    );
    assert!(
        ltr.contains("text-anchor=\"end\" class=\"chart-text\">0</text>"),
        "{ltr}"
    );
}

#[test]
fn numbers_in_right_to_left_words_are_isolated() {
    assert_eq!(svg::isolate_numbers("North"), "North");
    assert_eq!(svg::isolate_numbers("-3 أيام"), "\u{2066}-3\u{2069} أيام");
    assert_eq!(svg::isolate_numbers("1,200.5%"), "\u{2066}1,200.5%\u{2069}");
    assert_eq!(
        svg::isolate_numbers("2021-22"),
        "\u{2066}2021\u{2069}-\u{2066}22\u{2069}"
    );
}
