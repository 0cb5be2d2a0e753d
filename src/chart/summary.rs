//! The sentence under a chart, made from its numbers in the reader's
//! language: which is highest and lowest (bars), how each line moved from
//! its first point to its last, and where it peaked.

use super::{Chart, Kind};
use crate::i18n::Strings;

/// A number with its units, as the reader's language writes it.
pub fn amount(strings: &Strings, value: &str, units: &str) -> String {
    if units == "%" {
        format!("{value}%")
    } else {
        strings.fmt("chart.amount", &[("value", value), ("units", units)])
    }
}

/// The summary of a chart, one or more sentences.
pub fn summary(chart: &Chart, strings: &Strings) -> String {
    let units = &chart.units;
    match chart.kind {
        Kind::Bar | Kind::HorizontalBar => {
            let Some(series) = chart.series.first() else {
                return String::new();
            };
            let values = &series.values;
            if values.len() == 1 {
                return strings.fmt(
                    "chart.summary_single",
                    &[
                        ("label", &chart.labels[0]),
                        ("value", &amount(strings, &values[0].text, units)),
                    ],
                );
            }
            let (hi, lo) = extremes(values.iter().map(|n| n.value));
            if values[hi].value == values[lo].value {
                return strings.fmt(
                    "chart.summary_all_same",
                    &[("value", &amount(strings, &values[0].text, units))],
                );
            }
            strings.fmt(
                "chart.summary_bar",
                &[
                    ("highest", &chart.labels[hi]),
                    ("highest_value", &amount(strings, &values[hi].text, units)),
                    ("lowest", &chart.labels[lo]),
                    ("lowest_value", &amount(strings, &values[lo].text, units)),
                ],
            )
        }
        Kind::Line => {
            let n = chart.labels.len();
            let mut sentences = Vec::new();
            for s in &chart.series {
                let (Some(first), Some(last)) = (s.values.first(), s.values.last()) else {
                    continue;
                };
                let key = if n < 2 || last.value == first.value {
                    "chart.summary_same"
                } else if last.value > first.value {
                    "chart.summary_rise"
                } else {
                    "chart.summary_fall"
                };
                sentences.push(strings.fmt(
                    key,
                    &[
                        ("series", &s.name),
                        ("first", &amount(strings, &first.text, units)),
                        ("first_label", &chart.labels[0]),
                        ("last", &amount(strings, &last.text, units)),
                        ("last_label", &chart.labels[n - 1]),
                    ],
                ));
                let (hi, _) = extremes(s.values.iter().map(|v| v.value));
                // A peak between the ends is news the trend sentence hides.
                if hi != 0 && hi != n - 1 && s.values[hi].value > first.value.max(last.value) {
                    sentences.push(strings.fmt(
                        "chart.summary_peak",
                        &[
                            ("series", &s.name),
                            ("label", &chart.labels[hi]),
                            ("value", &amount(strings, &s.values[hi].text, units)),
                        ],
                    ));
                }
            }
            sentences.join(" ")
        }
    }
}

/// Indices of the first highest and the first lowest value.
fn extremes(values: impl Iterator<Item = f64>) -> (usize, usize) {
    let mut hi = (0, f64::MIN);
    let mut lo = (0, f64::MAX);
    for (i, v) in values.enumerate() {
        if v > hi.1 {
            hi = (i, v);
        }
        if v < lo.1 {
            lo = (i, v);
        }
    }
    (hi.0, lo.0)
}
