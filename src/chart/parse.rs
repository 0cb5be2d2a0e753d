//! Reading a ```` ```chart ```` block: small YAML, checked, with every
//! problem at its line and column in the page's file.

use serde::Deserialize;
use serde::de::{self, Deserializer, MapAccess, Visitor};

use super::{Chart, Kind, Series};
use crate::codes::Code;
use crate::diagnostics::{Diagnostic, SourceText};

/// The keys a chart block may hold, for suggestions.
pub const KEYS: &[&str] = &[
    "kind", "title", "units", "category", "source", "caption", "values", "x", "series",
];

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Raw {
    kind: String,
    title: String,
    units: String,
    #[serde(default)]
    category: Option<String>,
    #[serde(default)]
    source: Option<String>,
    #[serde(default)]
    caption: Option<String>,
    #[serde(default)]
    values: Option<Pairs<Number>>,
    #[serde(default)]
    x: Option<Vec<Label>>,
    #[serde(default)]
    series: Option<Pairs<Vec<Number>>>,
}

/// A number as the editor wrote it (kept, so every format shows the same
/// digits) and its value.
#[derive(Debug, Clone, PartialEq)]
pub struct Number {
    pub text: String,
    pub value: f64,
}

impl<'de> Deserialize<'de> for Number {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = Number;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a number such as 26 or 19.5")
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Number, E> {
                Ok(Number {
                    text: v.to_string(),
                    value: v as f64,
                })
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Number, E> {
                Ok(Number {
                    text: v.to_string(),
                    value: v as f64,
                })
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<Number, E> {
                if v.is_finite() {
                    Ok(Number {
                        text: v.to_string(),
                        value: v,
                    })
                } else {
                    Err(E::custom("not a number: write digits, such as 26 or 19.5"))
                }
            }
        }
        d.deserialize_any(V)
    }
}

/// A label: text, or a number written as a label (a year).
struct Label(String);

impl<'de> Deserialize<'de> for Label {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = Label;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a label such as 2024 or Trowbridge")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Label, E> {
                Ok(Label(v.to_string()))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Label, E> {
                Ok(Label(v.to_string()))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Label, E> {
                Ok(Label(v.to_string()))
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<Label, E> {
                Ok(Label(v.to_string()))
            }
        }
        d.deserialize_any(V)
    }
}

/// A YAML mapping read in the order it was written.
struct Pairs<V>(Vec<(Label, V)>);

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Pairs<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V<T>(std::marker::PhantomData<T>);
        impl<'de, T: Deserialize<'de>> Visitor<'de> for V<T> {
            type Value = Pairs<T>;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("one `label: number` a line")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Pairs<T>, A::Error> {
                let mut out = Vec::new();
                while let Some((k, v)) = map.next_entry::<Label, T>()? {
                    out.push((k, v));
                }
                Ok(Pairs(out))
            }
        }
        d.deserialize_map(V(std::marker::PhantomData))
    }
}

/// Reads the YAML `text` of a chart block that starts at byte `offset` of
/// `file`. Problems are diagnostics at their line (CHART001-CHART005).
pub fn parse(file: &SourceText, text: &str, offset: usize) -> Result<Chart, Diagnostic> {
    let (first_line, _) = file.line_col(offset);
    // The line and column (1-based) of a line of the block holding `key:`.
    let line_of = |key: &str| -> (usize, usize) {
        for (i, line) in text.lines().enumerate() {
            let t = line.trim_start();
            let k = t
                .trim_start_matches("- ")
                .trim_matches(|c| c == '"' || c == '\'');
            if k.starts_with(key) && k[key.len()..].trim_start().starts_with([':', '"', '\'']) {
                return (first_line + i, line.len() - t.len() + 1);
            }
        }
        (first_line, 1)
    };
    let at = |d: Diagnostic, key: &str| {
        let (l, c) = line_of(key);
        d.at_line(file, l, c)
    };
    if text.trim().is_empty() {
        return Err(Diagnostic::new(
            Code::CHART003,
            "this chart block is empty",
            "write the chart's kind, title, units and values inside the block; see `signpost explain CHART003`",
        )
        .at(file, offset));
    }
    let raw: Raw = serde_yaml::from_str(text).map_err(|e| yaml_error(&e, file, first_line))?;
    let kind = match raw.kind.trim() {
        "bar" => Kind::Bar,
        "horizontal-bar" | "horizontal bar" => Kind::HorizontalBar,
        "line" => Kind::Line,
        other => {
            return Err(at(
                Diagnostic::new(
                    Code::CHART002,
                    format!("`{other}` is not a kind of chart Signpost can draw"),
                    "write `kind: horizontal-bar` (best on phones), `kind: bar` or `kind: line`",
                ),
                "kind",
            ));
        }
    };
    for (key, value) in [("title", &raw.title), ("units", &raw.units)] {
        if value.trim().is_empty() {
            return Err(at(
                Diagnostic::new(
                    Code::CHART003,
                    format!("the chart's `{key}` is empty"),
                    format!("write the chart's {key} after `{key}:`"),
                ),
                key,
            ));
        }
    }
    let (labels, series) = match kind {
        Kind::Bar | Kind::HorizontalBar => {
            let Some(values) = raw.values else {
                return Err(missing(
                    file,
                    offset,
                    "values",
                    "a bar chart needs `values:`, then one `label: number` a line below it",
                ));
            };
            if raw.series.is_some() || raw.x.is_some() {
                return Err(at(
                    Diagnostic::new(
                        Code::CHART003,
                        "a bar chart takes `values`, not `x` or `series`",
                        "use `kind: line` for series over x labels, or remove `x:` and `series:`",
                    ),
                    if raw.x.is_some() { "x" } else { "series" },
                ));
            }
            let (labels, numbers): (Vec<String>, Vec<Number>) =
                values.0.into_iter().map(|(k, v)| (k.0, v)).unzip();
            if let Some(n) = numbers.iter().position(|n| n.value < 0.0) {
                return Err(at(
                    Diagnostic::new(
                        Code::CHART001,
                        format!("`{}` is below zero; bars start at zero", numbers[n].text),
                        "use a line chart for values below zero, or check the number",
                    ),
                    &labels[n],
                ));
            }
            (
                labels,
                vec![Series {
                    name: raw.units.clone(),
                    values: numbers,
                }],
            )
        }
        Kind::Line => {
            let (Some(x), Some(series)) = (raw.x, raw.series) else {
                return Err(missing(
                    file,
                    offset,
                    "x` and `series",
                    "a line chart needs `x:` (the labels along the bottom, such as years) and `series:`, one `name: [numbers]` a line",
                ));
            };
            if raw.values.is_some() {
                return Err(at(
                    Diagnostic::new(
                        Code::CHART003,
                        "a line chart takes `x` and `series`, not `values`",
                        "write the numbers as `series:`, one `name: [numbers]` a line, or use `kind: bar`",
                    ),
                    "values",
                ));
            }
            let labels: Vec<String> = x.into_iter().map(|l| l.0).collect();
            let mut out = Vec::new();
            for (name, values) in series.0 {
                if values.len() != labels.len() {
                    return Err(at(
                        Diagnostic::new(
                            Code::CHART004,
                            format!(
                                "`{}` has {} numbers but `x` has {} labels",
                                name.0,
                                values.len(),
                                labels.len()
                            ),
                            "give every series one number for each label of `x`, in the same order",
                        ),
                        &name.0,
                    ));
                }
                out.push(Series {
                    name: name.0,
                    values,
                });
            }
            (labels, out)
        }
    };
    if labels.is_empty() || series.is_empty() {
        return Err(missing(
            file,
            offset,
            "values",
            "give the chart at least one label with a number",
        ));
    }
    Ok(Chart {
        kind,
        title: raw.title.trim().to_string(),
        units: raw.units.trim().to_string(),
        category: raw.category.map(|c| c.trim().to_string()),
        source: raw.source.map(|s| s.trim().to_string()),
        caption: raw.caption.map(|s| s.trim().to_string()),
        labels,
        series,
    })
}

fn missing(file: &SourceText, offset: usize, what: &str, help: &str) -> Diagnostic {
    Diagnostic::new(Code::CHART003, format!("the chart has no `{what}`"), help).at(file, offset)
}

fn yaml_error(e: &serde_yaml::Error, file: &SourceText, first_line: usize) -> Diagnostic {
    let raw = e.to_string();
    let message = match raw.rfind(" at line ") {
        Some(i) => raw[..i].to_string(),
        None => raw.clone(),
    };
    let (line, col) = match e.location() {
        Some(loc) => (first_line + loc.line() - 1, loc.column()),
        None => (first_line, 1),
    };
    let (code, message, help) = if let Some(field) =
        crate::frontmatter::between(&message, "missing field `", "`")
    {
        (
            Code::CHART003,
            format!("the chart has no `{field}`"),
            format!("add a line `{field}: ...`; a chart needs kind, title, units and its numbers"),
        )
    } else if let Some(field) = crate::frontmatter::between(&message, "unknown field `", "`") {
        let suggestion = KEYS
            .iter()
            .map(|k| (strsim::levenshtein(k, field), k))
            .filter(|(d, _)| *d <= 2)
            .min()
            .map(|(_, k)| format!("did you mean `{k}`? "))
            .unwrap_or_default();
        (
            Code::CHART001,
            format!("unknown key `{field}` in a chart"),
            format!(
                "{suggestion}the keys a chart can have are: {}",
                KEYS.join(", ")
            ),
        )
    } else if message.contains("a number such as") || message.contains("not a number") {
        (
            Code::CHART001,
            format!("a chart value is not a number: {}", plain(&message)),
            "write each value as digits only, such as 26 or 19.5, without units or commas (the units go in `units:`)".to_string(),
        )
    } else {
        (
            Code::CHART001,
            format!("the chart's YAML is not valid: {}", plain(&message)),
            "write one `key: value` a line; values under `values:` are `label: number`, indented by two spaces".to_string(),
        )
    };
    Diagnostic::new(code, message, help).at_line(file, line, col)
}

/// A serde message in plainer words.
fn plain(m: &str) -> String {
    m.replace("invalid type: ", "")
        .replace("string ", "the text ")
        .replace(", expected", ", where Signpost expects")
}
