//! Braille files made with Debian's liblouis (`lou_translate`; scripts/test
//! installs liblouis-bin), checked by translating them back.

use pulldown_cmark::Parser;
use signpost::braille::{CELLS, LINES, Louis, render_brf, table_for, to_unicode};
use signpost::print::{EventOptions, PrintDoc, blocks};

fn doc(lang: &str, title: &str, md: &str) -> PrintDoc {
    let events = Parser::new_ext(md, signpost::markdown::options())
        .into_offset_iter()
        .map(|(e, r)| (e, r.start));
    PrintDoc::new(
        title,
        lang,
        blocks(events, EventOptions { easy_read: true }),
    )
}

fn louis() -> Louis {
    Louis::find().unwrap_or_else(|e| panic!("{e}"))
}

/// Pages of a BRF file, each as its lines.
fn pages(brf: &str) -> Vec<Vec<&str>> {
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

fn check_layout(brf: &str) -> usize {
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
fn words(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| w.chars().any(char::is_alphabetic))
        .map(str::to_lowercase)
        .collect()
}

/// Share of the source's words found in the back-translation of the file.
fn back_translated_share(brf: &str, lang: &str, source: &str) -> f64 {
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
fn bharati_fold(text: &str) -> String {
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

const EN: &str = "## What direct payments are\n\n\
![Money](symbol:money) Direct payments are money from us for your care. You use the money to choose your own help.\n\n\
![A person](symbol:person) You choose who helps you. You choose when they help you.\n\n\
## What you can use them for\n\n\
- You can pay someone to help you at home. This person is called a personal assistant and they can help with washing, dressing and meals.\n\
- You can pay for a club or something fun to do in the day.\n\
  - A short break is fine too.\n\n\
1. Ask for an assessment.\n2. Make a plan with us.\n\n\
### Call us\n\nPhone 01632 960000 from Monday to Friday.\n";

#[test]
fn english_is_ueb_grade_2_laid_out_40_by_25() {
    let mut md = String::from(EN);
    for i in 0..8 {
        md.push_str(&format!(
            "\n## More help {i}\n\nWiltshire Centre for Independent Living can help you. It is run by disabled people and it can help you plan how to use your money.\n"
        ));
    }
    let d = doc("en", "Direct payments", &md);
    let brf = render_brf(&d, &louis()).expect("brf");
    std::fs::write(
        std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("direct-payments.en.brf"),
        &brf,
    )
    .expect("write");
    let n = check_layout(&brf);
    assert!(n >= 2, "{n} pages");
    // Grade 2: "you" is the single letter y; "and" a one-cell contraction.
    assert!(brf.contains(" Y "), "no 'you' contraction");
    // Back-translation finds the source's words.
    let share = back_translated_share(&brf, "en", &format!("Direct payments {md}"));
    assert!(share > 0.95, "only {share:.2} of the words back");
    // Headings are centred: the title line starts with blank cells.
    let first = pages(&brf)[0][0];
    assert!(first.starts_with("   "), "{first:?}");
    // List runover at cell 3: a line starting with two blanks follows an item.
    assert!(brf.contains("\r\n  "), "no runover lines");
}

#[test]
fn other_languages_use_their_own_tables() {
    let samples = [
        (
            "cy",
            "Taliadau uniongyrchol",
            "Mae taliadau uniongyrchol yn arian gennym ni ar gyfer eich gofal.",
        ),
        (
            "pl",
            "Płatności bezpośrednie",
            "Płatności bezpośrednie to pieniądze od nas na Twoją opiekę.",
        ),
        (
            "ro",
            "Plăți directe",
            "Plățile directe sunt bani de la noi pentru îngrijirea dumneavoastră.",
        ),
        (
            "uk",
            "Прямі платежі",
            "Прямі платежі це гроші від нас на ваш догляд.",
        ),
        (
            "ar",
            "المدفوعات المباشرة",
            "المدفوعات المباشرة هي أموال منا لرعايتك.",
        ),
        (
            "ur",
            "براہ راست ادائیگیاں",
            "براہ راست ادائیگیاں آپ کی دیکھ بھال کے لیے ہماری طرف سے رقم ہیں۔",
        ),
        (
            "ne",
            "प्रत्यक्ष भुक्तानी",
            "प्रत्यक्ष भुक्तानी तपाईंको हेरचाहको लागि हाम्रो पैसा हो।",
        ),
    ];
    for (lang, title, body) in samples {
        let md = format!("## {title}\n\n{body}\n");
        let brf =
            render_brf(&doc(lang, title, &md), &louis()).unwrap_or_else(|e| panic!("{lang}: {e}"));
        check_layout(&brf);
        let share = back_translated_share(&brf, lang, body);
        eprintln!("{lang}: {:.2} of the words back-translate", share);
        let least = match lang {
            // Measured 0.56 (5 of 9 words). Ukrainian і is ⠽ (dots 1-3-4-5-6),
            // which uk.utb tells from Latin y only by its virtual dot 9; a
            // six-dot BRF cannot keep dot 9, so back-translation reads
            // прямі, платежі, гроші and від with a Latin y. The forward
            // cells are checked exactly below instead.
            "uk" => 0.55,
            // Measured 0.90 (9 of 10): ro.ctb back-translates ț (U+021B,
            // comma below) as ţ (U+0163, cedilla), so "plățile" differs.
            "ro" => 0.85,
            // Measured 0.86 (12 of 14): ur-pk-g1.utb gives both « (line 48)
            // and ھ, do-chashmi he (line 104), dots 2-3-6 and back-translates
            // the cell as «, so "دیکھ" and "بھال" come back as "دیک«" and "ب«ال".
            "ur" => 0.8,
            // Measured 1.00 for cy, pl, ar and ne (ne compared after bharati_fold).
            _ => 0.95,
        };
        if lang == "uk" {
            // і ⠽ (Y), я ⠫ ($): "прямі"; before ru-unicode.dis the і was a blank.
            assert!(brf.contains("PR$MY PLATEJY"), "uk: {brf}");
        }
        assert!(
            share >= least,
            "{lang}: only {share:.2} of the words back: {brf}"
        );
    }
}
