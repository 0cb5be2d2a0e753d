//! Reading braille files in tests: their pages and lines, and how many of
//! the source's words come back when liblouis translates them back.

use signpost::braille::{CELLS, LINES, Louis, table_for, to_unicode};

pub fn louis() -> Louis {
    Louis::find().unwrap_or_else(|e| panic!("{e}"))
}

/// Pages of a BRF file, each as its lines.
pub fn pages(brf: &str) -> Vec<Vec<&str>> {
    brf.split('\u{c}')
        .filter(|p| !p.is_empty())
        .map(|p| p.split("\r\n").filter(|_| true).collect::<Vec<_>>())
        .map(|mut lines| {
            if lines.last() == Some(&"") {
                lines.pop();
            }
            lines
        })
        .collect()
}

pub fn check_layout(brf: &str) -> usize {
    let pages = pages(brf);
    assert!(!pages.is_empty());
    for (n, page) in pages.iter().enumerate() {
        assert!(
            page.len() <= LINES,
            "page {} has {} lines",
            n + 1,
            page.len()
        );
        for line in page {
            assert!(line.len() <= CELLS, "line over {CELLS} cells: {line:?}");
            assert!(line.is_ascii(), "not Braille ASCII: {line:?}");
        }
        // The braille page number, at the right of the last line.
        let number = page.last().map(|l| l.trim()).unwrap_or("");
        assert!(number.starts_with('#'), "page {} ends {number:?}", n + 1);
        assert_eq!(page.last().map(|l| l.len()), Some(CELLS));
    }
    pages.len()
}

/// Words of print, lower case, letters only.
pub fn words(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| w.chars().any(char::is_alphabetic))
        .map(str::to_lowercase)
        .collect()
}

/// Share of the source's words found in the back-translation of the file.
pub fn back_translated_share(brf: &str, lang: &str, source: &str) -> f64 {
    let lines: Vec<String> = brf
        .split(['\u{c}', '\r', '\n'])
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(to_unicode)
        .collect();
    let table = table_for(lang).unwrap_or("");
    let back = louis()
        .back_translate(table, &lines)
        .expect("back translation");
    let back = back.join(" ");
    let (back, source) = if lang == "ne" {
        (bharati_fold(&back), bharati_fold(source))
    } else {
        (back, source.to_string())
    };
    // A word split over two lines is joined back by its words on each.
    let found: Vec<String> = words(&back);
    let source = words(&source);
    let hits = source
        .iter()
        .filter(|w| found.iter().any(|f| f == *w || f.contains(w.as_str())))
        .count();
    hits as f64 / source.len().max(1) as f64
}

/// Bharati braille writes a vowel sign and its vowel letter with one cell,
/// so np-in-g1.utb back-translates ु as उ; it also reads ो's cell as ऒ and
/// ै's as ऍ. Both sides are compared with vowel letters.
pub fn bharati_fold(text: &str) -> String {
    text.chars()
        .map(|c| match c {
            'ा' => 'आ',
            'ि' => 'इ',
            'ी' => 'ई',
            'ु' => 'उ',
            'ू' => 'ऊ',
            'ृ' => 'ऋ',
            'े' => 'ए',
            'ै' | 'ऍ' => 'ऐ',
            'ो' | 'ऒ' => 'ओ',
            'ौ' => 'औ',
            c => c,
        })
        .collect()
}
