//! Opening hours in plain words, in the reader's language: "Monday to
//! Friday, 9am to 5pm", "Open 24 hours, every day", "Closed on bank
//! holidays". Day names, the clock (12- or 24-hour) and the small words come
//! from the `directory.*` interface strings, so each language can decline
//! day names after "from" and "to" as its grammar needs.

use crate::directory::entry::{Day, Hours, Time};
use crate::i18n::Strings;

/// One line per row of opening hours.
pub fn describe(hours: &[Hours], strings: &Strings) -> Vec<String> {
    hours.iter().map(|h| line(h, strings)).collect()
}

/// "Closed on bank holidays" / "Open on bank holidays", when the entry says.
pub fn bank_holidays(flag: Option<bool>, strings: &Strings) -> Option<String> {
    flag.map(|closed| {
        strings.get(if closed {
            "directory.hours.closed_bank_holidays"
        } else {
            "directory.hours.open_bank_holidays"
        })
    })
}

fn all_day(h: &Hours) -> bool {
    h.opens.0 == 0 && h.closes.0 >= 23 * 60 + 59
}

fn line(h: &Hours, strings: &Strings) -> String {
    let mut days: Vec<Day> = h.days.clone();
    days.sort();
    days.dedup();
    let every_day = days.len() == 7;
    let text = if all_day(h) && every_day {
        strings.get("directory.hours.open_24_every_day")
    } else {
        let day_text = if every_day {
            strings.get("directory.hours.every_day")
        } else {
            days_phrase(&days, strings)
        };
        let times = if all_day(h) {
            strings.get("directory.hours.open_24")
        } else {
            strings.fmt(
                "directory.hours.times",
                &[
                    ("opens", &time(h.opens, strings)),
                    ("closes", &time(h.closes, strings)),
                ],
            )
        };
        strings.fmt(
            "directory.hours.line",
            &[("days", &day_text), ("times", &times)],
        )
    };
    capitalise(&text)
}

/// Days as runs: three or more in a row become "Monday to Friday".
fn days_phrase(days: &[Day], strings: &Strings) -> String {
    let names = strings.list("directory.days");
    let from = strings.list("directory.days_from");
    let to = strings.list("directory.days_to");
    let name = |list: &[String], d: Day| {
        list.get(d.index())
            .cloned()
            .unwrap_or_else(|| d.key().to_string())
    };
    let mut parts = Vec::new();
    let mut i = 0;
    while i < days.len() {
        let mut j = i;
        while j + 1 < days.len() && days[j + 1].index() == days[j].index() + 1 {
            j += 1;
        }
        if j - i >= 2 {
            parts.push(strings.fmt(
                "directory.hours.range",
                &[("from", &name(&from, days[i])), ("to", &name(&to, days[j]))],
            ));
        } else {
            for d in &days[i..=j] {
                parts.push(name(&names, *d));
            }
        }
        i = j + 1;
    }
    join_list(&parts, strings)
}

/// "a, b and c" in the reader's language.
pub fn join_list(parts: &[String], strings: &Strings) -> String {
    match parts {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => {
            let sep = strings.get("directory.list.separator");
            strings.fmt(
                "directory.list.and",
                &[("list", &init.join(&sep)), ("last", last)],
            )
        }
    }
}

/// A time as the reader's language writes it.
pub fn time(t: Time, strings: &Strings) -> String {
    let (h, m) = (t.hour(), t.minute());
    let mm = format!("{m:02}");
    if strings.get("directory.time.clock") == "12" {
        let midnight = (h == 0 && m == 0) || h == 24 || (h == 23 && m == 59);
        if midnight {
            return strings.get("directory.time.midnight");
        }
        if h == 12 && m == 0 {
            return strings.get("directory.time.midday");
        }
        let h12 = match h % 12 {
            0 => 12,
            x => x,
        };
        let digits = if m == 0 {
            h12.to_string()
        } else {
            format!("{h12}:{mm}")
        };
        let key = if h < 12 {
            "directory.time.am"
        } else {
            "directory.time.pm"
        };
        strings.fmt(key, &[("time", &digits)])
    } else {
        let (h, m) = if h == 23 && m == 59 { (24, 0) } else { (h, m) };
        strings.fmt(
            "directory.time.h24",
            &[
                ("h", &h.to_string()),
                ("hh", &format!("{h:02}")),
                ("mm", &format!("{m:02}")),
            ],
        )
    }
}

fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::SiteConfig;
    use crate::diagnostics::{Diagnostics, SourceText};
    use crate::i18n::I18n;

    fn i18n() -> I18n {
        let d = Diagnostics::new();
        let langs = ["en", "cy", "pl", "ar", "ur", "ro", "uk", "ne"]
            .iter()
            .map(|c| format!("  - {{ code: {c}, name: {c} }}\n"))
            .collect::<String>();
        let cfg = SiteConfig::parse(
            &SourceText::new("site.yaml", format!("title: T\nlanguages:\n{langs}")),
            &d,
        )
        .unwrap();
        I18n::load(std::path::Path::new("/nonexistent"), &cfg, &d)
    }

    fn hours(days: &[Day], opens: &str, closes: &str) -> Hours {
        Hours {
            days: days.to_vec(),
            opens: Time::parse(opens).unwrap(),
            closes: Time::parse(closes).unwrap(),
        }
    }

    use Day::*;

    #[test]
    fn english_plain_words() {
        let i = i18n();
        let en = i.get("en");
        let weekdays = [Mon, Tue, Wed, Thu, Fri];
        assert_eq!(
            describe(&[hours(&weekdays, "09:00", "17:00")], en),
            ["Monday to Friday, 9am to 5pm"]
        );
        assert_eq!(
            describe(&[hours(&Day::ALL, "00:00", "23:59")], en),
            ["Open 24 hours, every day"]
        );
        assert_eq!(
            describe(&[hours(&Day::ALL, "08:00", "20:00")], en),
            ["Every day, 8am to 8pm"]
        );
        assert_eq!(
            describe(&[hours(&[Mon, Wed, Fri], "10:00", "14:00")], en),
            ["Monday, Wednesday and Friday, 10am to 2pm"]
        );
        assert_eq!(
            describe(&[hours(&[Mon, Tue, Wed, Sat], "08:45", "12:00")], en),
            ["Monday to Wednesday and Saturday, 8:45am to midday"]
        );
        assert_eq!(
            describe(&[hours(&[Sat, Sun], "18:30", "24:00")], en),
            ["Saturday and Sunday, 6:30pm to midnight"]
        );
        assert_eq!(
            describe(&[hours(&[Mon], "00:00", "24:00")], en),
            ["Monday, open 24 hours"]
        );
        assert_eq!(
            bank_holidays(Some(true), en).as_deref(),
            Some("Closed on bank holidays")
        );
    }

    #[test]
    fn other_languages_decline_days() {
        let i = i18n();
        let weekdays = [Mon, Tue, Wed, Thu, Fri];
        let row = [hours(&weekdays, "09:00", "17:00")];
        assert_eq!(
            describe(&row, i.get("pl")),
            ["Od poniedziałku do piątku, od 9:00 do 17:00"]
        );
        assert_eq!(
            describe(&row, i.get("cy")),
            ["Dydd Llun i ddydd Gwener, 9yb i 5yh"]
        );
        assert_eq!(
            describe(&row, i.get("uk")),
            ["З понеділка по п’ятницю, з 9:00 до 17:00"]
        );
        for lang in ["ar", "ur", "ro", "ne"] {
            let s = &describe(&row, i.get(lang))[0];
            assert!(
                s.contains("17:00") && !s.contains("directory."),
                "{lang}: {s}"
            );
        }
    }
}
