//! One service entry (SPEC section 5): `NAME.yaml` parsed and checked, and
//! `NAME.LANG.yaml` holding the fields translated into LANG.
//!
//! Parsing is typed (serde) with small value types that check their own
//! format (phone numbers, email and web addresses, times, days, dates) while
//! they are read, so every problem is reported at the line and column of the
//! value that is wrong. Checks that need the directory (known categories and
//! areas) run afterwards and find their line with [`locate`].

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize};

use crate::codes::Code;
use crate::diagnostics::{Diagnostic, SourceText};
use crate::frontmatter::{self, Date};

/// Marks a message written by a value type, so that the code and the help
/// survive serde's error formatting: `[[SVC005]]message[[help]]help`.
const MARK: &str = "[[";

fn tagged<E: serde::de::Error>(
    code: Code,
    message: impl fmt::Display,
    help: impl fmt::Display,
) -> E {
    E::custom(format!("[[{code}]]{message}[[help]]{help}"))
}

/// A problem found while reading a value: code, message, help.
type Problem = (Code, String, String);

/// Reads a text value and checks it inside the deserializer's own visit, so
/// that an error carries the value's line, column and path
/// (`contact.email`), not its parent's.
fn checked<'de, D, T, F>(d: D, expecting: &'static str, check: F) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    F: FnOnce(&str) -> Result<T, Problem>,
{
    struct V<F>(F, &'static str);
    impl<'de, T, F: FnOnce(&str) -> Result<T, Problem>> serde::de::Visitor<'de> for V<F> {
        type Value = T;
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str(self.1)
        }
        fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<T, E> {
            (self.0)(v).map_err(|(code, message, help)| tagged(code, message, help))
        }
    }
    d.deserialize_str(V(check, expecting))
}

/// `last_verified`: a date, checked where it is written.
pub fn date_field<'de, D: Deserializer<'de>>(d: D) -> Result<Date, D::Error> {
    checked(d, "a date written YYYY-MM-DD", |s| {
        Date::parse(s).map_err(|m| {
            (
                Code::SVC001,
                m,
                "write the date as YYYY-MM-DD, for example 2026-10-01, and check the day exists"
                    .into(),
            )
        })
    })
}

/// `source_id`: text or a whole number (feeds use both), kept as text.
fn id_field<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Id {
        Text(String),
        Number(i64),
    }
    Ok(Option::<Id>::deserialize(d)?.map(|id| match id {
        Id::Text(s) => s.trim().to_string(),
        Id::Number(n) => n.to_string(),
    }))
}

/// A phone number: digits and spaces, maybe a leading `+` and brackets.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(transparent)]
pub struct Phone(pub String);

impl Phone {
    pub fn check(s: &str) -> Result<Phone, String> {
        let s = s.trim();
        let mut digits = 0;
        for (i, c) in s.chars().enumerate() {
            match c {
                '0'..='9' => digits += 1,
                ' ' | '(' | ')' | '-' => {}
                '+' if i == 0 => {}
                _ => return Err(format!("`{s}` is not a phone number: it has `{c}` in it")),
            }
        }
        if !(3..=20).contains(&digits) {
            return Err(format!(
                "`{s}` is not a phone number: it has {digits} digits"
            ));
        }
        Ok(Phone(s.to_string()))
    }

    /// The number for a `tel:` or `sms:` address: digits and a leading `+`.
    pub fn dial(&self) -> String {
        self.0
            .chars()
            .filter(|c| c.is_ascii_digit() || *c == '+')
            .collect()
    }
}

impl<'de> Deserialize<'de> for Phone {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        checked(d, "a phone number", |s| {
            Phone::check(s).map_err(|m| {
                (
                    Code::SVC005,
                    m,
                    "write the number with digits and spaces, as people would dial it in the UK, for example 01632 960123".into(),
                )
            })
        })
    }
}

/// An email address.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(transparent)]
pub struct Email(pub String);

impl Email {
    pub fn check(s: &str) -> Result<Email, String> {
        let s = s.trim();
        let bad = || format!("`{s}` is not an email address");
        let (local, domain) = s.split_once('@').ok_or_else(bad)?;
        let ok = !local.is_empty()
            && !domain.contains('@')
            && domain.contains('.')
            && !domain.starts_with('.')
            && !domain.ends_with('.')
            && !domain.contains("..")
            && !s.chars().any(|c| {
                c.is_whitespace()
                    || matches!(
                        c,
                        '<' | '>' | '(' | ')' | ',' | ';' | ':' | '"' | '[' | ']' | '\\'
                    )
            });
        if ok {
            Ok(Email(s.to_string()))
        } else {
            Err(bad())
        }
    }
}

impl<'de> Deserialize<'de> for Email {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        checked(d, "an email address", |s| {
            Email::check(s).map_err(|m| {
                (
                    Code::SVC005,
                    m,
                    "write the address in full, for example carers@example.org".into(),
                )
            })
        })
    }
}

/// A web address (`https://` or `http://`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(transparent)]
pub struct WebAddress(pub String);

impl WebAddress {
    pub fn check(s: &str) -> Result<WebAddress, String> {
        let s = s.trim();
        let rest = s
            .strip_prefix("https://")
            .or_else(|| s.strip_prefix("http://"))
            .ok_or_else(|| format!("`{s}` is not a web address: it must start with https://"))?;
        let host = rest.split(['/', '?', '#']).next().unwrap_or("");
        let host_ok = !host.is_empty()
            && (host.contains('.') || host.starts_with("localhost"))
            && host
                .chars()
                .all(|c| c.is_alphanumeric() || matches!(c, '.' | '-' | ':' | '_'));
        if !host_ok
            || s.chars()
                .any(|c| c.is_whitespace() || matches!(c, '<' | '>' | '"'))
        {
            return Err(format!("`{s}` is not a web address"));
        }
        Ok(WebAddress(s.to_string()))
    }
}

impl<'de> Deserialize<'de> for WebAddress {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        checked(d, "a web address", |s| {
            WebAddress::check(s).map_err(|m| {
                (
                    Code::SVC005,
                    m,
                    "copy the address from your browser, for example https://example.org/carers"
                        .into(),
                )
            })
        })
    }
}

/// A time of day, `HH:MM` (24-hour clock; `24:00` is the end of the day).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Time(pub u16);

impl Time {
    pub fn parse(s: &str) -> Result<Time, String> {
        let t = s.trim();
        let bad = || format!("`{t}` is not a time written HH:MM (24-hour clock)");
        let (h, m) = t.split_once(':').ok_or_else(bad)?;
        if h.is_empty()
            || h.len() > 2
            || m.len() != 2
            || !h.bytes().all(|b| b.is_ascii_digit())
            || !m.bytes().all(|b| b.is_ascii_digit())
        {
            return Err(bad());
        }
        let h: u16 = h.parse().map_err(|_| bad())?;
        let m: u16 = m.parse().map_err(|_| bad())?;
        if m > 59 || h > 24 || (h == 24 && m != 0) {
            return Err(format!("`{t}` is not a time of day"));
        }
        Ok(Time(h * 60 + m))
    }
    pub fn hour(self) -> u16 {
        self.0 / 60
    }
    pub fn minute(self) -> u16 {
        self.0 % 60
    }
}

impl fmt::Display for Time {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:02}:{:02}", self.hour(), self.minute())
    }
}

impl<'de> Deserialize<'de> for Time {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        checked(d, "a time HH:MM", |s| {
            Time::parse(s).map_err(|m| {
                (
                    Code::SVC001,
                    m,
                    "write times in quotes on the 24-hour clock, for example opens: \"09:00\", closes: \"17:30\"".into(),
                )
            })
        })
    }
}

impl Serialize for Time {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.to_string())
    }
}

/// A day of the week.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Day {
    Mon,
    Tue,
    Wed,
    Thu,
    Fri,
    Sat,
    Sun,
}

impl Day {
    pub const ALL: [Day; 7] = [
        Day::Mon,
        Day::Tue,
        Day::Wed,
        Day::Thu,
        Day::Fri,
        Day::Sat,
        Day::Sun,
    ];
    pub fn key(self) -> &'static str {
        ["mon", "tue", "wed", "thu", "fri", "sat", "sun"][self.index()]
    }
    pub fn index(self) -> usize {
        self as usize
    }
    /// iCalendar's two-letter name (`MO`), used by Open Referral.
    pub fn ical(self) -> &'static str {
        ["MO", "TU", "WE", "TH", "FR", "SA", "SU"][self.index()]
    }
    /// schema.org's day (`Monday`).
    pub fn schema_org(self) -> &'static str {
        [
            "Monday",
            "Tuesday",
            "Wednesday",
            "Thursday",
            "Friday",
            "Saturday",
            "Sunday",
        ][self.index()]
    }
    pub fn from_key(s: &str) -> Option<Day> {
        Day::ALL.into_iter().find(|d| d.key() == s)
    }
    pub fn from_ical(s: &str) -> Option<Day> {
        Day::ALL
            .into_iter()
            .find(|d| d.ical().eq_ignore_ascii_case(s.trim()))
    }
}

impl<'de> Deserialize<'de> for Day {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        checked(d, "a day (mon to sun)", |s| {
            let lower = s.trim().to_lowercase();
            Day::from_key(&lower).ok_or_else(|| {
                let near = lower
                    .get(..3)
                    .and_then(Day::from_key)
                    .map(|d| format!("did you mean `{}`? ", d.key()))
                    .unwrap_or_default();
                (
                    Code::SVC001,
                    format!("`{s}` is not a day"),
                    format!("{near}write days as mon, tue, wed, thu, fri, sat or sun"),
                )
            })
        })
    }
}

impl Serialize for Day {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.key())
    }
}

/// Who can ask for the service.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Referral {
    /// People can contact the service themselves.
    SelfReferral,
    Professional,
    Gp,
    Family,
}

impl Referral {
    pub const ALL: [Referral; 4] = [
        Referral::SelfReferral,
        Referral::Professional,
        Referral::Gp,
        Referral::Family,
    ];
    pub fn key(self) -> &'static str {
        match self {
            Referral::SelfReferral => "self",
            Referral::Professional => "professional",
            Referral::Gp => "gp",
            Referral::Family => "family",
        }
    }
    pub fn from_key(s: &str) -> Option<Referral> {
        Referral::ALL.into_iter().find(|r| r.key() == s)
    }
}

impl<'de> Deserialize<'de> for Referral {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        checked(d, "a way to be referred", |s| {
            let lower = s.trim().to_lowercase();
            Referral::from_key(&lower).ok_or_else(|| {
                let keys: Vec<&str> = Referral::ALL.iter().map(|r| r.key()).collect();
                let near = frontmatter::nearest(&lower, &keys)
                    .map(|k| format!("did you mean `{k}`? "))
                    .unwrap_or_default();
                (
                    Code::SVC001,
                    format!("`{s}` is not a way to be referred"),
                    format!("{near}use self, professional, gp or family"),
                )
            })
        })
    }
}

impl Serialize for Referral {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.key())
    }
}

/// A language code such as `pl` or `pt-BR`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(transparent)]
pub struct LangCode(pub String);

impl<'de> Deserialize<'de> for LangCode {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        checked(d, "a language code", |s| {
            let t = s.trim();
            let ok = !t.is_empty()
                && t.len() <= 12
                && t.parse::<unic_langid::LanguageIdentifier>().is_ok();
            if ok {
                Ok(LangCode(t.to_string()))
            } else {
                Err((
                    Code::SVC001,
                    format!("`{s}` is not a language code"),
                    "write languages as short codes, for example [en, pl, ar]; bfi is British Sign Language".into(),
                ))
            }
        })
    }
}

/// A non-empty line of text.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(transparent)]
pub struct Line(pub String);

impl<'de> Deserialize<'de> for Line {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        checked(d, "text", |s| {
            if s.trim().is_empty() {
                Err((
                    Code::SVC002,
                    "this text is empty".into(),
                    "write the text, or remove the line".into(),
                ))
            } else {
                Ok(Line(s.trim().to_string()))
            }
        })
    }
}

impl std::ops::Deref for Line {
    type Target = str;
    fn deref(&self) -> &str {
        &self.0
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Contact {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phone: Option<Phone>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub text_phone: Option<Phone>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sms: Option<Phone>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<Email>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub website: Option<WebAddress>,
}

impl Contact {
    pub fn is_empty(&self) -> bool {
        self.phone.is_none()
            && self.text_phone.is_none()
            && self.sms.is_none()
            && self.email.is_none()
            && self.website.is_none()
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Address {
    pub line1: Line,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub line2: Option<Line>,
    pub town: Line,
    pub postcode: Line,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Hours {
    pub days: Vec<Day>,
    pub opens: Time,
    pub closes: Time,
}

/// A service entry in the default language.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Entry {
    pub name: Line,
    pub summary: Line,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    pub categories: Vec<Line>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub areas: Vec<Line>,
    /// Town names instead of area ids (SPEC section 5); the directory turns
    /// them into `areas` when it is built, so this is empty afterwards.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub towns: Vec<Line>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub contact: Option<Contact>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub address: Option<Address>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub opening_hours: Vec<Hours>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub closed_on_bank_holidays: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cost: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub eligibility: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub referral: Vec<Referral>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub languages: Vec<LangCode>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub accessibility: Vec<String>,
    #[serde(deserialize_with = "date_field")]
    pub last_verified: Date,
    /// The service's id in the Open Referral feed it was imported from, so
    /// that the next import updates this entry (not shown on the site).
    #[serde(
        default,
        deserialize_with = "id_field",
        skip_serializing_if = "Option::is_none"
    )]
    pub source_id: Option<String>,
}

/// The keys of an entry, in the order the README lists them.
pub const ENTRY_KEYS: &[&str] = &[
    "name",
    "summary",
    "description",
    "categories",
    "areas",
    "towns",
    "contact",
    "address",
    "opening_hours",
    "closed_on_bank_holidays",
    "cost",
    "eligibility",
    "referral",
    "languages",
    "accessibility",
    "last_verified",
    "source_id",
];

/// The fields of an entry a translation may hold.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Translation {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<Line>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub summary: Option<Line>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cost: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub eligibility: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub accessibility: Option<Vec<String>>,
}

pub const TRANSLATION_KEYS: &[&str] = &[
    "name",
    "summary",
    "description",
    "cost",
    "eligibility",
    "accessibility",
];

/// Parses a default-language entry. Only problems of the file itself are
/// checked here; categories and areas are checked against the directory.
pub fn parse_entry(file: &SourceText) -> Result<Entry, Diagnostic> {
    if file.text.trim().is_empty() {
        return Err(empty(file));
    }
    if let Some(at) = crate::frontmatter::too_many_aliases(&file.text) {
        return Err(crate::frontmatter::aliases_diagnostic(file, at));
    }
    let entry: Entry =
        serde_yaml::from_str(&file.text).map_err(|e| yaml_problem(&e, file, ENTRY_KEYS, false))?;
    if entry.categories.is_empty() {
        return Err(Diagnostic::new(
            Code::SVC002,
            "the service has no category",
            "list at least one category from the directory's _index.md, for example categories: [carers]",
        )
        .at_line(file, locate(&file.text, "categories", None).0, 1));
    }
    let has_contact = entry.contact.as_ref().is_some_and(|c| !c.is_empty());
    if !has_contact && entry.address.is_none() {
        let line = locate(&file.text, "contact", None).0;
        return Err(Diagnostic::new(
            Code::SVC002,
            "the service has no way to contact it: there is no contact and no address",
            "add contact: with a phone, text_phone, sms, email or website, or an address: with line1, town and postcode",
        )
        .at_line(file, line, 1));
    }
    for (i, h) in entry.opening_hours.iter().enumerate() {
        let problem = if h.days.is_empty() {
            Some((
                "the opening hours list no days",
                "list the days, for example days: [mon, tue, wed, thu, fri]",
                "days",
            ))
        } else if h.opens.0 >= 24 * 60 {
            Some((
                "a service cannot open at 24:00",
                "write 00:00 for midnight",
                "opens",
            ))
        } else if h.opens == h.closes {
            Some((
                "the service opens and closes at the same time",
                "check the times; for a service open all day write opens: \"00:00\", closes: \"24:00\"",
                "closes",
            ))
        } else {
            None
        };
        if let Some((message, help, key)) = problem {
            let (line, col) = locate_hours(&file.text, i, key);
            return Err(Diagnostic::new(Code::SVC001, message, help).at_line(file, line, col));
        }
    }
    Ok(entry)
}

/// Parses a translated entry (`NAME.LANG.yaml`).
pub fn parse_translation(file: &SourceText) -> Result<Translation, Diagnostic> {
    if file.text.trim().is_empty() {
        return Err(empty(file));
    }
    serde_yaml::from_str(&file.text).map_err(|e| yaml_problem(&e, file, TRANSLATION_KEYS, true))
}

fn empty(file: &SourceText) -> Diagnostic {
    Diagnostic::new(
        Code::SRC006,
        "the service entry is empty",
        "write the entry's fields (name, summary, categories, contact, last_verified), or delete the file",
    )
    .in_file(file.name.clone())
}

/// Turns a serde error into a diagnostic at the value's line.
pub fn yaml_problem(
    e: &serde_yaml::Error,
    file: &SourceText,
    keys: &[&str],
    translation: bool,
) -> Diagnostic {
    let message = without_positions(&e.to_string());
    let (line, col) = e
        .location()
        .map(|l| (l.line(), l.column()))
        .unwrap_or((1, 1));
    // libyaml may point one line past the end of a file without a final
    // newline: keep the position inside the file.
    let lines = file.text.split('\n').count();
    let (line, col) = if line > lines {
        let last = file.text.rsplit('\n').next().unwrap_or("");
        (lines, last.chars().count() + 1)
    } else {
        (line.max(1), col.max(1))
    };
    // The path serde gives (`contact.phone: ...`), for messages.
    let (path, rest) = split_path(&message);
    let field = |p: &str| {
        if p.is_empty() {
            String::new()
        } else {
            format!("`{p}`: ")
        }
    };

    if let Some(i) = rest.find(MARK) {
        let body = &rest[i + MARK.len()..];
        let (code, body) = match body.split_once("]]") {
            Some((code, body)) => (crate::codes::lookup(code).map(|c| c.code), body),
            None => (None, body),
        };
        let code = code.unwrap_or(Code::SVC001);
        let (msg, help) = body.split_once("[[help]]").unwrap_or((body, ""));
        return Diagnostic::new(code, format!("{}{msg}", field(path)), help)
            .at_line(file, line, col);
    }
    if let Some(name) = between(rest, "unknown field `", "`") {
        let expected = expected_list(rest);
        let choices: Vec<&str> = if expected.is_empty() {
            keys.to_vec()
        } else {
            expected
        };
        if translation && ENTRY_KEYS.contains(&name) && path.is_empty() {
            return Diagnostic::new(
                Code::SVC003,
                format!("`{name}` cannot be translated: it is taken from the entry in the default language"),
                format!("remove `{name}` from this file; a translated entry holds only {}", TRANSLATION_KEYS.join(", ")),
            )
            .at_line(file, line, col);
        }
        let near = frontmatter::nearest(name, &choices)
            .map(|k| format!("did you mean `{k}`? "))
            .unwrap_or_default();
        let place = if path.is_empty() {
            String::new()
        } else {
            format!(" in `{path}`")
        };
        return Diagnostic::new(
            Code::SVC003,
            format!("unknown field `{name}`{place}"),
            format!(
                "{near}the fields you can use here are: {}",
                choices.join(", ")
            ),
        )
        .at_line(file, line, col);
    }
    if let Some(name) = between(rest, "missing field `", "`") {
        let place = if path.is_empty() {
            String::new()
        } else {
            format!(" in `{path}`")
        };
        let help = match name {
            "name" => "add a line `name: ...` with the service's name".to_string(),
            "summary" => "add a line `summary: ...`: one or two sentences about what the service does".to_string(),
            "categories" => "add a line `categories: [...]` with at least one category from the directory's _index.md".to_string(),
            "last_verified" => "add a line `last_verified: YYYY-MM-DD` with the date you last checked the entry with the service".to_string(),
            "days" => "add `days: [mon, tue, wed, thu, fri]`".to_string(),
            "opens" | "closes" => format!("add `{name}: \"09:00\"` (24-hour clock, in quotes)"),
            other => format!("add `{other}: ...`"),
        };
        return Diagnostic::new(Code::SVC002, format!("`{name}` is missing{place}"), help)
            .at_line(file, line, col);
    }
    if rest.contains("is not a real date") || rest.contains("is not a date written") {
        return Diagnostic::new(
            Code::SVC001,
            format!("{}{}", field(path), rest.trim()),
            "write the date as YYYY-MM-DD, for example 2026-10-01, and check the day exists",
        )
        .at_line(file, line, col);
    }
    if rest.starts_with("invalid type")
        || rest.starts_with("invalid value")
        || rest.starts_with("invalid length")
    {
        let plain = rest
            .replace("expected a sequence", "expected a list, for example [a, b]")
            .replace("expected a boolean", "expected true or false")
            .replace("expected a string", "expected text")
            .replace("expected struct Contact", "expected `phone:`, `email:` and the other contact fields, one per line and indented")
            .replace("expected struct Address", "expected `line1:`, `town:` and `postcode:`")
            .replace("expected struct Hours", "expected `{ days: [...], opens: \"09:00\", closes: \"17:00\" }`")
            .replace("expected struct Entry", "expected the fields of a service entry, one `key: value` per line")
            .replace("expected struct Translation", "expected translated fields, one `key: value` per line");
        return Diagnostic::new(
            Code::SVC001,
            format!("{}the value has the wrong type: {plain}", field(path)),
            "check the value against the README: text, a date (YYYY-MM-DD), true or false, a list [a, b] or fields indented under the key",
        )
        .at_line(file, line, col);
    }
    Diagnostic::new(
        Code::SVC001,
        format!("the YAML is not valid: {}", message.trim()),
        "write one `key: value` per line; put values that contain `: ` or start with a quote, `[` or `{` in double quotes",
    )
    .at_line(file, line, col)
}

/// Removes libyaml's " at line N column M" (the diagnostic has the position).
fn without_positions(message: &str) -> String {
    let mut out = String::with_capacity(message.len());
    let mut rest = message;
    while let Some(i) = rest.find(" at line ") {
        out.push_str(&rest[..i]);
        let after = &rest[i + " at line ".len()..];
        let digits = |s: &str| s.len() - s.trim_start_matches(|c: char| c.is_ascii_digit()).len();
        let n = digits(after);
        let tail = &after[n..];
        match tail.strip_prefix(" column ") {
            Some(c) if n > 0 => rest = &c[digits(c)..],
            _ => {
                out.push_str(" at line ");
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// Splits serde's `path.to.field: message` (the path is absent at the top).
fn split_path(message: &str) -> (&str, &str) {
    if let Some((head, tail)) = message.split_once(": ")
        && !head.is_empty()
        && head
            .chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '_' | '.' | '[' | ']' | '-'))
    {
        return (head, tail);
    }
    ("", message)
}

fn between<'a>(s: &'a str, start: &str, end: &str) -> Option<&'a str> {
    let i = s.find(start)? + start.len();
    let j = s[i..].find(end)? + i;
    Some(&s[i..j])
}

/// The names after "expected one of" in a serde message.
fn expected_list(message: &str) -> Vec<&str> {
    let Some(i) = message.find("expected") else {
        return Vec::new();
    };
    message[i..].split('`').skip(1).step_by(2).collect()
}

/// Finds a top-level key (line, column), and within its value the first
/// occurrence of `value` as a whole word. Falls back to line 1.
pub fn locate(text: &str, key: &str, value: Option<&str>) -> (usize, usize) {
    let lines: Vec<&str> = text.lines().collect();
    let Some(start) = lines.iter().position(|l| is_key_line(l, key)) else {
        return (1, 1);
    };
    let Some(value) = value else {
        return (start + 1, 1);
    };
    // The key's block: its own line and the indented or `-` lines after it.
    let mut end = start + 1;
    while end < lines.len() {
        let l = lines[end];
        let top = l
            .chars()
            .next()
            .is_some_and(|c| !c.is_whitespace() && c != '-' && c != '#');
        if top {
            break;
        }
        end += 1;
    }
    for (n, l) in lines.iter().enumerate().take(end).skip(start) {
        let from = if n == start { key.len() + 1 } else { 0 };
        if let Some(col) = find_word(l, value, from) {
            return (n + 1, col);
        }
    }
    (start + 1, 1)
}

fn is_key_line(line: &str, key: &str) -> bool {
    line.strip_prefix(key)
        .is_some_and(|rest| rest.trim_start().starts_with(':'))
}

/// 1-based character column of `word` in `line` at or after byte `from`,
/// not inside a longer word.
fn find_word(line: &str, word: &str, from: usize) -> Option<usize> {
    if word.is_empty() {
        return None;
    }
    let mut at = from.min(line.len());
    while let Some(i) = line.get(at..).and_then(|s| s.find(word)).map(|i| i + at) {
        let before = line[..i].chars().next_back();
        let after = line[i + word.len()..].chars().next();
        let edge =
            |c: Option<char>| c.is_none_or(|c| !(c.is_alphanumeric() || c == '-' || c == '_'));
        if edge(before) && edge(after) {
            return Some(line[..i].chars().count() + 1);
        }
        at = i + word.len();
    }
    None
}

/// Line and column of a key inside the `index`-th opening hours row.
fn locate_hours(text: &str, index: usize, key: &str) -> (usize, usize) {
    let lines: Vec<&str> = text.lines().collect();
    let Some(start) = lines.iter().position(|l| is_key_line(l, "opening_hours")) else {
        return (1, 1);
    };
    let mut row = 0usize;
    let mut in_row = false;
    for (n, l) in lines.iter().enumerate().skip(start + 1) {
        let t = l.trim_start();
        if l.chars()
            .next()
            .is_some_and(|c| !c.is_whitespace() && c != '-' && c != '#')
        {
            break;
        }
        if t.starts_with('-') {
            if in_row {
                row += 1;
            }
            in_row = true;
        }
        if in_row && row == index {
            if let Some(col) = find_word(l, key, 0) {
                return (n + 1, col);
            }
        } else if row > index {
            break;
        }
    }
    (start + 1, 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    const GOOD: &str = "name: A\nsummary: B\ncategories: [carers]\ncontact:\n  phone: 01632 960123\nlast_verified: 2026-10-01\n";

    fn parse(text: &str) -> Result<Entry, Diagnostic> {
        parse_entry(&SourceText::new("content/services/a.yaml", text))
    }

    #[test]
    fn good_entry() {
        let e = parse(GOOD).unwrap();
        assert_eq!(&*e.name, "A");
        assert_eq!(e.contact.unwrap().phone.unwrap().dial(), "01632960123");
    }

    #[test]
    fn bad_phone_is_at_its_line() {
        let e = parse(&GOOD.replace("01632 960123", "call us")).unwrap_err();
        assert_eq!(e.code, Code::SVC005);
        assert_eq!(e.line, Some(5));
        assert!(e.message.contains("`call us`"), "{e:?}");
    }

    #[test]
    fn unknown_nested_key_suggests() {
        let e = parse(&GOOD.replace("  phone:", "  phnoe:")).unwrap_err();
        assert_eq!(e.code, Code::SVC003);
        assert_eq!(e.line, Some(5));
        assert!(e.help.contains("did you mean `phone`"), "{e:?}");
    }

    #[test]
    fn unknown_top_key_suggests() {
        let e = parse(&format!("{GOOD}sumary: x\n")).unwrap_err();
        assert_eq!(e.code, Code::SVC003);
        assert_eq!(e.line, Some(7));
        assert!(e.help.contains("did you mean `summary`"), "{e:?}");
    }

    #[test]
    fn missing_and_empty() {
        let e = parse(&GOOD.replace("last_verified: 2026-10-01\n", "")).unwrap_err();
        assert_eq!(e.code, Code::SVC002);
        let e = parse(&GOOD.replace("[carers]", "[]")).unwrap_err();
        assert_eq!((e.code, e.line), (Code::SVC002, Some(3)));
        let e = parse("name: A\nsummary: B\ncategories: [carers]\nlast_verified: 2026-10-01\n")
            .unwrap_err();
        assert_eq!(e.code, Code::SVC002);
    }

    #[test]
    fn times_days_and_dates() {
        let hours = "opening_hours:\n  - { days: [mon], opens: \"09:00\", closes: \"17:00\" }\n  - { days: [tue], opens: \"9am\", closes: \"17:00\" }\n";
        let e = parse(&format!("{GOOD}{hours}")).unwrap_err();
        assert_eq!((e.code, e.line), (Code::SVC001, Some(9)));
        let e = parse(&format!(
            "{GOOD}{}",
            hours.replace("9am", "09:00").replace("[tue]", "[tuesday]")
        ))
        .unwrap_err();
        assert_eq!((e.code, e.line), (Code::SVC001, Some(9)));
        assert!(e.help.contains("`tue`"), "{e:?}");
        let e = parse(&GOOD.replace("2026-10-01", "2026-02-30")).unwrap_err();
        assert_eq!((e.code, e.line), (Code::SVC001, Some(6)));
        let e = parse(&format!(
            "{GOOD}{}",
            hours.replace("9am", "10:00").replace(
                "\"17:00\" }\n  - { days: [tue]",
                "\"09:00\" }\n  - { days: [tue]"
            )
        ))
        .unwrap_err();
        assert_eq!((e.code, e.line), (Code::SVC001, Some(8)));
    }

    #[test]
    fn wrong_type() {
        let e = parse(&GOOD.replace("[carers]", "{ a: b }")).unwrap_err();
        assert_eq!((e.code, e.line), (Code::SVC001, Some(3)));
        let e = parse(&format!("{GOOD}closed_on_bank_holidays: sometimes\n")).unwrap_err();
        assert_eq!((e.code, e.line), (Code::SVC001, Some(7)));
    }

    #[test]
    fn translation_keeps_to_translated_fields() {
        let f = SourceText::new("a.pl.yaml", "summary: x\ncontact:\n  phone: 1\n");
        let e = parse_translation(&f).unwrap_err();
        assert_eq!((e.code, e.line), (Code::SVC003, Some(2)));
        assert!(e.message.contains("cannot be translated"), "{e:?}");
    }

    #[test]
    fn positions_stay_inside_the_file() {
        let e = parse("name: A\nsummary").unwrap_err();
        assert_eq!(e.code, Code::SVC001);
        assert!(e.line.unwrap() <= 2, "{e:?}");
        assert!(!e.message.contains("at line"), "{e:?}");
        assert_eq!(
            without_positions("x at line 3 column 1, y at line 2 column 9"),
            "x, y"
        );
    }

    #[test]
    fn locate_finds_values() {
        let text = "name: A\ncategories: [carers, advice]\nareas:\n  - calne\n  - devizes\n";
        assert_eq!(locate(text, "categories", Some("advice")), (2, 22));
        assert_eq!(locate(text, "areas", Some("devizes")), (5, 5));
        assert_eq!(locate(text, "missing", None), (1, 1));
    }

    #[test]
    fn formats() {
        assert!(Phone::check("+44 (0)1632 960123").is_ok());
        assert!(Phone::check("12").is_err());
        assert!(Email::check("a@b.org").is_ok());
        assert!(Email::check("a@b").is_err());
        assert!(Email::check("a b@c.org").is_err());
        assert!(WebAddress::check("https://example.org/x?y").is_ok());
        assert!(WebAddress::check("example.org").is_err());
        assert!(WebAddress::check("javascript:alert(1)").is_err());
        assert_eq!(Time::parse("9:05").unwrap().0, 545);
        assert!(Time::parse("24:01").is_err());
        assert!(Time::parse("12:60").is_err());
    }
}
