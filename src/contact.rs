//! Contact details in running text: UK phone numbers and email addresses,
//! found so that a page can make them tap-to-call and mailto links.
//!
//! The detector is deliberately strict. A phone number must be written the
//! way UK numbers are written, in groups (`01632 960000`, `0300 123 4567`,
//! `+44 (0)1632 960000`, `18001 01632 960123` for text relay), so that
//! dates, years, money, postcodes and unspaced reference numbers are left
//! alone.

/// What a piece of contact text is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Kind {
    /// A phone number; the `tel:` destination.
    Phone(String),
    /// An email address; the `mailto:` destination.
    Email(String),
}

/// A contact detail found in a text: bytes `start..end`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Found {
    pub start: usize,
    pub end: usize,
    pub kind: Kind,
}

impl Found {
    pub fn href(&self) -> &str {
        match &self.kind {
            Kind::Phone(h) | Kind::Email(h) => h,
        }
    }
}

/// Words that, just before a grouped number, make it a reference rather
/// than a phone number ("case 0123 456 7890").
const REFERENCE_WORDS: &[&str] = &[
    "ref",
    "reference",
    "case",
    "account",
    "invoice",
    "order",
    "policy",
    "claim",
    "nhs",
    "registration",
    "charity",
    "company",
];

/// The `tel:` destination of a phone number as an editor wrote it (in
/// site.yaml or a directory entry): E.164 for a UK number
/// (`tel:+441632960000`), the digits alone otherwise.
pub fn tel_href(number: &str) -> String {
    match phone_at(number, 0) {
        Some((end, href)) if number[end..].trim().is_empty() => href,
        _ => {
            let digits: String = number
                .chars()
                .filter(|c| c.is_ascii_digit() || *c == '+')
                .collect();
            format!("tel:{digits}")
        }
    }
}

/// Every phone number and email address in `text`, in order.
pub fn find(text: &str) -> Vec<Found> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if starts_word(text, i) {
            if let Some((end, href)) = phone_at(text, i)
                && !after_reference_word(text, i)
            {
                out.push(Found {
                    start: i,
                    end,
                    kind: Kind::Phone(href),
                });
                i = end;
                continue;
            }
            if let Some(end) = email_at(text, i) {
                out.push(Found {
                    start: i,
                    end,
                    kind: Kind::Email(format!("mailto:{}", &text[i..end])),
                });
                i = end;
                continue;
            }
        }
        i += 1;
        while i < bytes.len() && !text.is_char_boundary(i) {
            i += 1;
        }
    }
    out
}

/// Position `i` may start a number or an address: nothing word-like, or
/// money, or part of a path or an address just before it.
fn starts_word(text: &str, i: usize) -> bool {
    match text[..i].chars().next_back() {
        None => true,
        Some(c) => !(c.is_alphanumeric() || "£$€+/.-_@#%&:=".contains(c)),
    }
}

fn after_reference_word(text: &str, i: usize) -> bool {
    let before = text[..i].trim_end_matches([' ', '\u{a0}', ':', '#', '.']);
    let word: String = before
        .chars()
        .rev()
        .take_while(|c| c.is_alphabetic())
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .collect();
    let word = word.to_lowercase();
    REFERENCE_WORDS.contains(&word.as_str())
}

/// Position `end` may end a number or an address.
fn ends_word(text: &str, end: usize) -> bool {
    let mut rest = text[end..].chars();
    match rest.next() {
        None => true,
        Some(c) if c.is_alphanumeric() || "/-_@%£$€+".contains(c) => false,
        // "01632 960000." ends a sentence; "01632 960000.5" is no number.
        Some('.') | Some(',') => !rest.next().is_some_and(|n| n.is_alphanumeric()),
        Some(_) => true,
    }
}

fn is_gap(c: u8) -> bool {
    c == b' '
}

/// Digit groups from `i`: (groups, end). Groups are separated by one space
/// or no-break space; a hyphen is not accepted (dates and references use it).
fn groups_at(text: &str, mut i: usize) -> (Vec<&str>, usize) {
    let bytes = text.as_bytes();
    let mut groups = Vec::new();
    let mut end = i;
    loop {
        let start = i;
        while i < bytes.len() && bytes[i].is_ascii_digit() {
            i += 1;
        }
        if i == start {
            break;
        }
        groups.push(&text[start..i]);
        end = i;
        if i < bytes.len() && is_gap(bytes[i]) {
            i += 1;
        } else if text[i..].starts_with('\u{a0}') {
            i += '\u{a0}'.len_utf8();
        } else {
            break;
        }
    }
    (groups, end)
}

/// A UK phone number starting at `i`: (end, `tel:` href).
fn phone_at(text: &str, i: usize) -> Option<(usize, String)> {
    let rest = &text[i..];
    // Text relay: "18001 " or "18002 " before a number.
    for relay in ["18001 ", "18002 ", "18001\u{a0}", "18002\u{a0}"] {
        if let Some(after) = rest.strip_prefix(relay)
            && let Some((end, national)) = national_at(text, i + (rest.len() - after.len()))
        {
            return Some((end, format!("tel:{}{national}", &relay[..5])));
        }
    }
    let (end, national) = national_at(text, i)?;
    Some((end, format!("tel:+44{}", &national[1..])))
}

/// A national number ("01632 960000", "+44 (0)1632 960000") at `i`:
/// (end, its digits with the leading 0).
fn national_at(text: &str, i: usize) -> Option<(usize, String)> {
    let rest = &text[i..];
    let (start, paren, international) = if let Some(after) = rest.strip_prefix("+44") {
        let after_gap = after.trim_start_matches([' ', '\u{a0}']);
        let after_zero = after_gap
            .strip_prefix("(0)")
            .map(|a| a.trim_start_matches([' ', '\u{a0}']));
        let body = after_zero.unwrap_or(after_gap);
        (text.len() - body.len(), false, true)
    } else if let Some(after) = rest.strip_prefix('(') {
        (text.len() - after.len(), true, false)
    } else {
        (i, false, false)
    };
    let (mut groups, mut end) = groups_at(text, start);
    if paren {
        // "(01632) 960000": one group inside the brackets.
        if groups.len() != 1 || !text[end..].starts_with(") ") {
            return None;
        }
        let (more, e) = groups_at(text, end + 2);
        if more.is_empty() {
            return None;
        }
        groups.extend(more);
        end = e;
    }
    if groups.len() < 2 || groups.len() > 3 || !ends_word(text, end) {
        return None;
    }
    let mut digits: String = groups.concat();
    if international {
        if digits.starts_with('0') {
            return None;
        }
        digits.insert(0, '0');
    } else if !groups[0].starts_with('0') {
        return None;
    }
    let first = groups[0].len() + usize::from(international);
    let valid = (3..=6).contains(&first)
        && groups[1..].iter().all(|g| (3..=8).contains(&g.len()))
        && (digits.len() == 10 || digits.len() == 11)
        && matches!(
            digits.as_bytes()[1],
            b'1' | b'2' | b'3' | b'5' | b'7' | b'8' | b'9'
        );
    valid.then_some((end, digits))
}

/// An email address at `i`: its end.
fn email_at(text: &str, i: usize) -> Option<usize> {
    let bytes = text.as_bytes();
    let local_char = |c: u8| c.is_ascii_alphanumeric() || b"._%+-".contains(&c);
    let mut j = i;
    while j < bytes.len() && local_char(bytes[j]) {
        j += 1;
    }
    if j == i || bytes.get(j) != Some(&b'@') || bytes[i] == b'.' || bytes[j - 1] == b'.' {
        return None;
    }
    // Domain: labels of letters, digits and hyphens, at least two, the last
    // one letters only.
    let mut k = j + 1;
    let mut labels: Vec<(usize, usize)> = Vec::new();
    loop {
        let s = k;
        while k < bytes.len() && (bytes[k].is_ascii_alphanumeric() || bytes[k] == b'-') {
            k += 1;
        }
        if k == s {
            break;
        }
        labels.push((s, k));
        if bytes.get(k) == Some(&b'.')
            && bytes.get(k + 1).is_some_and(|c| c.is_ascii_alphanumeric())
        {
            k += 1;
        } else {
            break;
        }
    }
    let (ls, le) = *labels.last()?;
    let tld_ok =
        labels.len() >= 2 && le - ls >= 2 && bytes[ls..le].iter().all(|c| c.is_ascii_alphabetic());
    let end = le;
    (tld_ok && ends_word(text, end)).then_some(end)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn links(text: &str) -> Vec<(&str, String)> {
        find(text)
            .into_iter()
            .map(|f| (&text[f.start..f.end], f.href().to_string()))
            .collect()
    }

    fn phone(text: &str) -> Vec<String> {
        links(text).into_iter().map(|(_, h)| h).collect()
    }

    #[test]
    fn uk_numbers_in_their_usual_groups() {
        assert_eq!(
            links("Call us on 01632 960000."),
            vec![("01632 960000", "tel:+441632960000".to_string())]
        );
        assert_eq!(phone("ring 0300 123 4567 today"), ["tel:+443001234567"]);
        assert_eq!(phone("London 020 7946 0000"), ["tel:+442079460000"]);
        assert_eq!(phone("mobile 07700 900123,"), ["tel:+447700900123"]);
        assert_eq!(phone("free on 0800 123 456"), ["tel:+44800123456"]);
        assert_eq!(phone("(01632) 960000"), ["tel:+441632960000"]);
        assert_eq!(phone("+44 1632 960000"), ["tel:+441632960000"]);
        assert_eq!(phone("+44 (0)1632 960000"), ["tel:+441632960000"]);
        assert_eq!(phone("01632\u{a0}960000"), ["tel:+441632960000"]);
    }

    #[test]
    fn text_relay_keeps_its_prefix_digits_only() {
        assert_eq!(
            links("Text relay: 18001 01632 960123"),
            vec![("18001 01632 960123", "tel:1800101632960123".to_string())]
        );
    }

    #[test]
    fn dates_years_money_postcodes_and_references_are_not_numbers() {
        for text in [
            "On 01 11 2026 we met",
            "from 2025 to 2026",
            "in 2026 10 000 people",
            "£0300 123 4567",
            "costs £1 500 000",
            "County Hall, Trowbridge, BA14 8AA",
            "Reference 01632960000",
            "ref: 0300 123 4567",
            "case 01632 960000",
            "NHS number 943 476 5919",
            "01632-960000",
            "01/11/2026",
            "open 0900 1730",
            "12345 67890",
            "version 0.300 123 4567",
            "01632 960000123",
            "x01632 960000",
            "01632 9600001 1",
        ] {
            assert!(find(text).is_empty(), "{text:?} gave {:?}", find(text));
        }
    }

    #[test]
    fn email_addresses() {
        assert_eq!(
            links("email care@example.org."),
            vec![("care@example.org", "mailto:care@example.org".to_string())]
        );
        assert_eq!(
            phone("write to a.b-c+d@mail.example.org, or"),
            ["mailto:a.b-c+d@mail.example.org"]
        );
        for text in [
            "@example.org",
            "a@b",
            "x@example.1",
            "user@.org",
            ".a@example.org",
        ] {
            assert!(find(text).is_empty(), "{text:?} gave {:?}", find(text));
        }
    }

    #[test]
    fn numbers_and_addresses_together_in_rtl_text() {
        let text = "اتصل 01632\u{a0}960000 أو directory@example.org";
        assert_eq!(
            phone(text),
            ["tel:+441632960000", "mailto:directory@example.org"]
        );
    }

    #[test]
    fn tel_href_of_a_configured_number() {
        assert_eq!(tel_href("01632 960000"), "tel:+441632960000");
        assert_eq!(tel_href("18001 01632 960000"), "tel:1800101632960000");
        assert_eq!(tel_href("+1 555 0100"), "tel:+15550100");
    }
}
