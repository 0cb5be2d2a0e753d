//! Braille files made with Debian's liblouis (`lou_translate`; scripts/test
//! installs liblouis-bin), checked by translating them back.

mod common;

use common::braille::{back_translated_share, check_layout, louis, pages};
use pulldown_cmark::Parser;
use signpost::braille::render_brf;
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
