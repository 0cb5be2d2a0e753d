//! Words for the search index. `themes/default/static/search.js` folds and
//! splits a query in exactly the same way (keep the two in step), so a word
//! typed with or without accents finds the same pages.

use unicode_normalization::UnicodeNormalization;

/// Shortest word kept in the index and in queries (in characters).
pub const MIN_LEN: usize = 2;

/// Longest word kept; longer words are cut (queries match by prefix).
pub const MAX_LEN: usize = 40;

/// Marks removed when folding: Latin, Greek and Cyrillic accents (after
/// NFD), the Arabic tatweel and Arabic vowel marks (harakat, superscript
/// alef). JS: `/[\u0300-\u036f\u0640\u064b-\u065f\u0670]/g`.
fn removed(c: char) -> bool {
    matches!(c, '\u{0300}'..='\u{036f}' | '\u{0640}' | '\u{064b}'..='\u{065f}' | '\u{0670}')
}

/// Letters written in more than one way that readers type interchangeably
/// (Polish ł; Arabic and Urdu forms of alef, yeh and kaf).
fn replaced(c: char) -> char {
    match c {
        'ł' => 'l',
        'ٱ' => 'ا',
        'ى' | 'ی' => 'ي',
        'ک' => 'ك',
        c => c,
    }
}

/// Accent-free lowercase text: NFD, lowercased, marks removed, variants
/// replaced. JS: `fold()` in search.js.
pub fn fold(text: &str) -> String {
    // ASCII has no accents, marks or variants: lowercase is the whole fold.
    if text.is_ascii() {
        return text.to_ascii_lowercase();
    }
    // NFD only the runs of non-ASCII text: ASCII characters are starters
    // that never decompose, so canonical reordering never crosses them and
    // the result is the NFD of the whole text.
    let mut nfd = String::with_capacity(text.len() + text.len() / 8);
    let mut rest = text;
    while !rest.is_empty() {
        let ascii = rest
            .bytes()
            .position(|b| !b.is_ascii())
            .unwrap_or(rest.len());
        nfd.push_str(&rest[..ascii]);
        rest = &rest[ascii..];
        let other = rest
            .bytes()
            .position(|b| b.is_ascii())
            .unwrap_or(rest.len());
        nfd.extend(rest[..other].nfd());
        rest = &rest[other..];
    }
    nfd.to_lowercase()
        .chars()
        .filter(|c| !removed(*c))
        .map(replaced)
        .collect()
}

/// Characters that belong to words: letters and digits of any script, every
/// Devanagari sign but the dandas, and the zero-width joiners.
/// JS: `/[\p{Alphabetic}\p{N}\u0900-\u0963\u0966-\u097f\u200c\u200d]+/gu`.
pub fn is_word_char(c: char) -> bool {
    c.is_alphanumeric()
        || matches!(c, '\u{0900}'..='\u{0963}' | '\u{0966}'..='\u{097f}' | '\u{200c}' | '\u{200d}')
}

/// The words of a text, folded, in order, with repeats.
pub fn words(text: &str) -> Vec<String> {
    words_in(&fold(text)).map(str::to_string).collect()
}

/// The words of an already folded text, as slices of it, in order, with
/// repeats: runs of word characters at least [`MIN_LEN`] long, cut to
/// [`MAX_LEN`] characters.
pub fn words_in(folded: &str) -> impl Iterator<Item = &str> {
    folded.split(|c: char| !is_word_char(c)).filter_map(|run| {
        let mut chars = run.char_indices();
        // The byte index just past the MAX_LEN-th character, if any.
        let end = chars.nth(MAX_LEN).map(|(i, _)| i).unwrap_or(run.len());
        let n = if end < run.len() {
            MAX_LEN
        } else {
            run.chars().count()
        };
        (n >= MIN_LEN).then(|| &run[..end])
    })
}

/// The shard a word is stored in: its first `prefix` characters (1 on small
/// sites, 2 on large ones), as hex of their UTF-8 bytes (safe in any file
/// name and URL). JS: `shardKey()`.
pub fn shard_key(word: &str, prefix: usize) -> String {
    let prefix: String = word.chars().take(prefix).collect();
    prefix.bytes().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folding_runs_is_folding_the_whole_text() {
        let text =
            "Café Łódź: ÀÉÎ ṩ e\u{0323}\u{0307} (q\u{0307}\u{0323}) أَحمد दिल्ली — “quoted” ΣΑΣ AΣ";
        let whole: String = text.nfd().collect::<String>().to_lowercase();
        let whole: String = whole
            .chars()
            .filter(|c| !removed(*c))
            .map(replaced)
            .collect();
        assert_eq!(fold(text), whole);
    }

    #[test]
    fn folds_accents_and_case() {
        assert_eq!(fold("Łódź Café"), "lodz cafe");
        assert_eq!(fold("Îngrijire"), "ingrijire");
        assert_eq!(fold("أحمد"), fold("احمد"));
        assert_eq!(fold("کتاب"), fold("كتاب"));
    }

    #[test]
    fn splits_words_in_every_script() {
        assert_eq!(
            words("Direct payments: who pays?"),
            vec!["direct", "payments", "who", "pays"]
        );
        assert_eq!(words("a I x 5 ok"), vec!["ok"]);
        // Devanagari vowel signs and the virama stay inside the word.
        assert_eq!(words("स्वास्थ्य सेवा।"), vec!["स्वास्थ्य", "सेवा"]);
        assert_eq!(words("Догляд за дітьми"), vec!["догляд", "за", "дітьми"]);
        assert_eq!(words("رعاية صحية"), vec!["رعاية", "صحية"]);
    }

    #[test]
    fn shard_keys_are_hex() {
        assert_eq!(shard_key("carers", 2), "6361");
        assert_eq!(shard_key("carers", 1), "63");
        assert_eq!(shard_key("łódź", 1), "c582");
    }
}
