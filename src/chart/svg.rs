//! Drawing a chart as SVG, made for a phone first.
//!
//! The picture is drawn in a narrow coordinate space (320 units wide,
//! labels 15 units high) and scaled to the column it sits in, no wider
//! than the stylesheet allows (`.chart-svg`), so labels are about 13.5 px
//! on a 320 px phone and about body size (19.5 px) on a desktop. Large
//! print draws in a narrower space (180 units), so the same labels come
//! out at 24 px on a phone, the size of large-print body text. Colours are classes (`chart-s1`...), set by the theme from its
//! `--sp-chart-*` colours, which are checked for contrast against the
//! background; series also differ by marker shape and dash, never by
//! colour alone. Every string from the editor is escaped ([`esc`]).

use super::{Chart, Kind, esc};

/// The coordinate space: width and label height.
#[derive(Debug, Clone, Copy)]
pub struct Size {
    pub width: f64,
    pub font: f64,
}

pub const STANDARD: Size = Size {
    width: 320.0,
    font: 15.0,
};
pub const LARGE: Size = Size {
    width: 180.0,
    font: 15.0,
};

/// A coordinate, with at most one decimal.
fn n(x: f64) -> String {
    let s = format!("{x:.1}");
    s.strip_suffix(".0").map(str::to_string).unwrap_or(s)
}

/// About how wide a text is, in units (a generous average letter width).
pub fn text_width(s: &str, font: f64) -> f64 {
    s.chars().count() as f64 * font * 0.56
}

/// Splits a label into lines no wider than `width`, at spaces.
pub fn wrap(label: &str, width: f64, font: f64) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    for word in label.split_whitespace() {
        match lines.last_mut() {
            Some(l) if text_width(&format!("{l} {word}"), font) <= width => {
                l.push(' ');
                l.push_str(word);
            }
            _ => lines.push(word.to_string()),
        }
    }
    lines
}

/// Which way a chart reads. A right-to-left chart is the left-to-right
/// drawing mirrored: bars grow from the right, the first point of a line is
/// on the right and the axis numbers stand on the right; words read right
/// to left and numbers stay left to right.
#[derive(Debug, Clone, Copy)]
struct Pen {
    width: f64,
    rtl: bool,
}

impl Pen {
    /// A position across, measured from where reading starts.
    fn x(self, x: f64) -> f64 {
        if self.rtl { self.width - x } else { x }
    }

    /// The left edge of a shape `w` wide that starts at `x` across.
    fn left(self, x: f64, w: f64) -> f64 {
        if self.rtl { self.width - x - w } else { x }
    }
}

/// What a text holds: words (labels, amounts with units) or a bare number
/// (an axis step), which reads left to right in every language.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Says {
    Words,
    Number,
}

/// A text at `x` across (from where reading starts); `anchor` is where it
/// hangs from that point in reading order (`start`, `middle`, `end`).
#[allow(clippy::too_many_arguments)]
fn text(out: &mut String, pen: Pen, x: f64, y: f64, anchor: &str, font: f64, s: &str, says: Says) {
    let (anchor, dir, s) = match (pen.rtl, says) {
        (false, _) => (anchor, "", esc(s)),
        // A bare number is laid out left to right: its start is its left.
        (true, Says::Number) => (
            match anchor {
                "start" => "end",
                "end" => "start",
                a => a,
            },
            " direction=\"ltr\"",
            esc(s),
        ),
        (true, Says::Words) => (anchor, " direction=\"rtl\"", esc(&isolate_numbers(s))),
    };
    out.push_str(&format!(
        "<text x=\"{}\" y=\"{}\" font-size=\"{}\" text-anchor=\"{anchor}\"{dir} class=\"chart-text\">{s}</text>",
        n(pen.x(x)),
        n(y),
        n(font),
    ));
}

/// Wraps each number in right-to-left words (`-3`, `1,200`, `12.5%`) in a
/// left-to-right isolate, so that its sign and separators stay in place.
pub fn isolate_numbers(s: &str) -> String {
    let chars: Vec<char> = s.chars().collect();
    let mut out = String::with_capacity(s.len() + 8);
    let mut i = 0;
    while i < chars.len() {
        let signed = matches!(chars[i], '-' | '\u{2212}')
            && chars.get(i + 1).is_some_and(char::is_ascii_digit)
            && (i == 0 || chars[i - 1].is_whitespace());
        if chars[i].is_ascii_digit() || signed {
            let start = i;
            i += 1;
            while i < chars.len()
                && (chars[i].is_ascii_digit()
                    || (matches!(chars[i], '.' | ',')
                        && chars.get(i + 1).is_some_and(char::is_ascii_digit)))
            {
                i += 1;
            }
            if chars.get(i) == Some(&'%') {
                i += 1;
            }
            out.push('\u{2066}');
            out.extend(&chars[start..i]);
            out.push('\u{2069}');
        } else {
            out.push(chars[i]);
            i += 1;
        }
    }
    out
}

/// Draws `chart`; `amounts[s][i]` is value `i` of series `s` with its
/// units; `rtl` mirrors it for a right-to-left language.
pub fn draw(chart: &Chart, amounts: &[Vec<String>], size: Size, rtl: bool) -> String {
    let pen = Pen {
        width: size.width,
        rtl,
    };
    let (body, height) = match chart.kind {
        Kind::HorizontalBar => horizontal(chart, amounts, size, pen),
        Kind::Bar => columns(chart, amounts, size, pen),
        Kind::Line => lines(chart, size, pen),
    };
    format!(
        "<svg class=\"chart-svg\" viewBox=\"0 0 {} {}\" aria-hidden=\"true\" focusable=\"false\">{body}</svg>",
        n(size.width),
        n(height.ceil())
    )
}

fn max_value(chart: &Chart) -> f64 {
    chart
        .series
        .iter()
        .flat_map(|s| s.values.iter().map(|v| v.value))
        .fold(0.0, f64::max)
}

/// One row a category: its label, then its bar with the value after it.
fn horizontal(chart: &Chart, amounts: &[Vec<String>], size: Size, pen: Pen) -> (String, f64) {
    let Size { width, font } = size;
    let values = chart.series.first().map(|s| &s.values[..]).unwrap_or(&[]);
    let amounts = amounts.first().map(|a| &a[..]).unwrap_or(&[]);
    let value_w = amounts
        .iter()
        .map(|a| text_width(a, font))
        .fold(0.0, f64::max);
    let bar_max = (width - value_w - 8.0).max(width / 3.0);
    let max = max_value(chart);
    let bar_h = font * 1.2;
    let mut out = String::new();
    let mut y = 0.0;
    for (i, label) in chart.labels.iter().enumerate() {
        for line in wrap(label, width, font) {
            y += font * 1.25;
            text(&mut out, pen, 0.0, y, "start", font, &line, Says::Words);
        }
        y += font * 0.4;
        let v = values.get(i).map(|v| v.value).unwrap_or(0.0);
        let w = if max > 0.0 { v / max * bar_max } else { 0.0 };
        out.push_str(&format!(
            "<rect class=\"chart-bar chart-s1\" x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\"/>",
            n(pen.left(0.0, w)),
            n(y),
            n(w),
            n(bar_h)
        ));
        if let Some(a) = amounts.get(i) {
            text(
                &mut out,
                pen,
                w + 6.0,
                y + font * 0.95,
                "start",
                font,
                a,
                Says::Words,
            );
        }
        y += bar_h + font * 0.9;
    }
    (out, y)
}

/// Upright columns with the value above each and the label below.
fn columns(chart: &Chart, amounts: &[Vec<String>], size: Size, pen: Pen) -> (String, f64) {
    let Size { width, font } = size;
    let values = chart.series.first().map(|s| &s.values[..]).unwrap_or(&[]);
    let amounts = amounts.first().map(|a| &a[..]).unwrap_or(&[]);
    let count = chart.labels.len().max(1) as f64;
    let col = width / count;
    let top = font * 1.6;
    let plot = width * 0.5;
    let base = top + plot;
    let max = max_value(chart);
    let mut out = String::new();
    let mut lowest = base;
    for (i, label) in chart.labels.iter().enumerate() {
        let v = values.get(i).map(|v| v.value).unwrap_or(0.0);
        let h = if max > 0.0 { v / max * plot } else { 0.0 };
        let mid = col * (i as f64 + 0.5);
        out.push_str(&format!(
            "<rect class=\"chart-bar chart-s1\" x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\"/>",
            n(pen.left(col * i as f64 + col * 0.18, col * 0.64)),
            n(base - h),
            n(col * 0.64),
            n(h)
        ));
        if let Some(a) = amounts.get(i) {
            // The units are in the title and the table when they do not fit.
            let shown = if text_width(a, font) <= col {
                a.clone()
            } else {
                values.get(i).map(|v| v.text.clone()).unwrap_or_default()
            };
            text(
                &mut out,
                pen,
                mid,
                base - h - font * 0.4,
                "middle",
                font,
                &shown,
                Says::Words,
            );
        }
        for (k, line) in wrap(label, col - 4.0, font).iter().enumerate() {
            let y = base + font * 1.3 * (k as f64 + 1.0);
            lowest = lowest.max(y);
            text(&mut out, pen, mid, y, "middle", font, line, Says::Words);
        }
    }
    out.push_str(&format!(
        "<line class=\"chart-axis\" x1=\"0\" y1=\"{b}\" x2=\"{}\" y2=\"{b}\"/>",
        n(width),
        b = n(base)
    ));
    (out, lowest + font * 0.5)
}

/// Round steps for an axis from `lo` to `hi`: (first, last, step).
pub fn ticks(lo: f64, hi: f64) -> (f64, f64, f64) {
    let lo = lo.min(0.0);
    let span = (hi - lo).max(f64::EPSILON);
    let raw = span / 5.0;
    let mag = 10f64.powf(raw.log10().floor());
    let step = [1.0, 2.0, 2.5, 5.0, 10.0]
        .iter()
        .map(|m| m * mag)
        .find(|s| *s >= raw)
        .unwrap_or(10.0 * mag);
    ((lo / step).floor() * step, (hi / step).ceil() * step, step)
}

/// Dash patterns and marker shapes, so series differ by more than colour.
const DASHES: [&str; 4] = ["", "8 4", "2 3", "10 3 2 3"];

fn marker(out: &mut String, series: usize, x: f64, y: f64) {
    let class = format!("chart-marker chart-s{}", series % 4 + 1);
    let s = 4.5;
    match series % 4 {
        0 => out.push_str(&format!(
            "<circle class=\"{class}\" cx=\"{}\" cy=\"{}\" r=\"{}\"/>",
            n(x),
            n(y),
            n(s)
        )),
        1 => out.push_str(&format!(
            "<rect class=\"{class}\" x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\"/>",
            n(x - s),
            n(y - s),
            n(2.0 * s),
            n(2.0 * s)
        )),
        2 => out.push_str(&format!(
            "<polygon class=\"{class}\" points=\"{},{} {},{} {},{}\"/>",
            n(x),
            n(y - s * 1.2),
            n(x + s * 1.2),
            n(y + s),
            n(x - s * 1.2),
            n(y + s)
        )),
        _ => out.push_str(&format!(
            "<polygon class=\"{class}\" points=\"{},{} {},{} {},{} {},{}\"/>",
            n(x),
            n(y - s * 1.3),
            n(x + s * 1.3),
            n(y),
            n(x),
            n(y + s * 1.3),
            n(x - s * 1.3),
            n(y)
        )),
    }
}

fn line_style(series: usize) -> String {
    let dash = DASHES[series % 4];
    let dash = if dash.is_empty() {
        String::new()
    } else {
        format!(" stroke-dasharray=\"{dash}\"")
    };
    format!("class=\"chart-line chart-s{}\"{dash}", series % 4 + 1)
}

/// Lines over x labels, a legend above when there is more than one.
fn lines(chart: &Chart, size: Size, pen: Pen) -> (String, f64) {
    let Size { width, font } = size;
    let mut out = String::new();
    let mut y = 0.0;
    if chart.series.len() > 1 {
        for (j, s) in chart.series.iter().enumerate() {
            for (k, line) in wrap(&s.name, width - 40.0, font).iter().enumerate() {
                y += font * 1.4;
                if k == 0 {
                    let mid = y - font * 0.35;
                    out.push_str(&format!(
                        "<line {} x1=\"{}\" y1=\"{m}\" x2=\"{}\" y2=\"{m}\"/>",
                        line_style(j),
                        n(pen.x(0.0)),
                        n(pen.x(30.0)),
                        m = n(mid)
                    ));
                    marker(&mut out, j, pen.x(15.0), mid);
                }
                text(&mut out, pen, 40.0, y, "start", font, line, Says::Words);
            }
        }
        y += font * 0.6;
    }
    let all = || {
        chart
            .series
            .iter()
            .flat_map(|s| s.values.iter().map(|v| v.value))
    };
    let (lo, hi, step) = ticks(
        all().fold(f64::MAX, f64::min),
        all().fold(f64::MIN, f64::max),
    );
    let tick_text: Vec<(f64, String)> = {
        let mut t = Vec::new();
        let mut v = lo;
        while v <= hi + step / 2.0 {
            t.push((v, n(v)));
            v += step;
        }
        t
    };
    let label_w = tick_text
        .iter()
        .map(|(_, s)| text_width(s, font))
        .fold(0.0, f64::max);
    let count = chart.labels.len();
    let last_w = chart
        .labels
        .last()
        .map(|l| text_width(l, font))
        .unwrap_or(0.0);
    let x0 = label_w + 8.0;
    let x1 = width - (last_w / 2.0).max(8.0);
    let top = y + font * 0.8;
    let plot = width * 0.5;
    let to_y = |v: f64| top + plot - (v - lo) / (hi - lo).max(f64::EPSILON) * plot;
    for (v, s) in &tick_text {
        let gy = to_y(*v);
        out.push_str(&format!(
            "<line class=\"chart-grid\" x1=\"{}\" y1=\"{g}\" x2=\"{}\" y2=\"{g}\"/>",
            n(pen.x(x0)),
            n(pen.x(width)),
            g = n(gy)
        ));
        text(
            &mut out,
            pen,
            x0 - 6.0,
            gy + font * 0.35,
            "end",
            font,
            s,
            Says::Number,
        );
    }
    let pad = 8.0;
    let to_x = |i: usize| {
        if count <= 1 {
            (x0 + x1) / 2.0
        } else {
            x0 + pad + i as f64 * (x1 - x0 - pad) / (count - 1) as f64
        }
    };
    // Every k-th label along the bottom, so they never overlap.
    let widest = chart
        .labels
        .iter()
        .map(|l| text_width(l, font))
        .fold(0.0, f64::max);
    let gap = if count > 1 {
        (x1 - x0 - pad) / (count - 1) as f64
    } else {
        width
    };
    let every = ((widest + font * 0.6) / gap).ceil().max(1.0) as usize;
    let base = top + plot;
    for (i, label) in chart.labels.iter().enumerate() {
        let last = i + 1 == count;
        let shown = i.is_multiple_of(every) && (last || count - 1 - i >= every);
        if shown || last {
            text(
                &mut out,
                pen,
                to_x(i),
                base + font * 1.3,
                "middle",
                font,
                label,
                Says::Words,
            );
        }
    }
    for (j, s) in chart.series.iter().enumerate() {
        let points: Vec<String> = s
            .values
            .iter()
            .enumerate()
            .map(|(i, v)| format!("{},{}", n(pen.x(to_x(i))), n(to_y(v.value))))
            .collect();
        out.push_str(&format!(
            "<polyline {} points=\"{}\"/>",
            line_style(j),
            points.join(" ")
        ));
        for (i, v) in s.values.iter().enumerate() {
            marker(&mut out, j, pen.x(to_x(i)), to_y(v.value));
        }
    }
    (out, base + font * 1.3 + font * 0.5)
}
