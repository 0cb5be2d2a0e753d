//! Real PDFs, opened with poppler (pdfinfo, pdftotext) and pikepdf
//! (tests/print/check_pdf.py; `scripts/test` installs both).

mod common;

use std::path::{Path, PathBuf};

use common::pdf::{elements, pages, pdf_ua_verdict, pdfinfo, run, structure, text};

use pulldown_cmark::Parser;
use signpost::print::{
    Block, BlockKind, EventOptions, Images, PdfKind, PdfSettings, PrintDoc, PrintError, blocks,
    render_booklets, render_pdf,
};

fn out_dir() -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("print");
    std::fs::create_dir_all(&dir).expect("target tmp dir");
    dir
}

fn parse(md: &str, easy_read: bool) -> Vec<Block> {
    let events = Parser::new_ext(md, signpost::markdown::options())
        .into_offset_iter()
        .map(|(e, r)| (e, r.start));
    blocks(events, EventOptions { easy_read })
}

fn symbols() -> Images {
    let mut images = Images::new();
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/default/symbols");
    for entry in std::fs::read_dir(dir).expect("symbols") {
        let path = entry.expect("entry").path();
        let name = path
            .file_stem()
            .and_then(|s| s.to_str())
            .unwrap_or("")
            .to_string();
        images.insert(
            format!("symbol:{name}"),
            std::fs::read(&path).expect("symbol"),
        );
    }
    images
}

fn write(name: &str, bytes: &[u8]) -> PathBuf {
    let path = out_dir().join(name);
    std::fs::write(&path, bytes).expect("write pdf");
    path
}

const PAGE: &str = "## Getting help at home\n\nWe can help you stay **independent** and *safe* at home. \
Call us on 01632 960000 or read [our guide](https://example.org/guide).\n\n\
![A care worker visiting a home](symbol:home-care)\n\n\
![](symbol:tick \"decorative\")\n\n\
### What you need\n\n\
1. Your name\n2. Your address\n   - the postcode too\n\n\
| Day | Opening time |\n| --- | --- |\n| Monday | 9am to 5pm |\n| Tuesday | 9am to 1pm |\n";

fn page_doc(lang: &str, title: &str, md: &str, easy: bool) -> PrintDoc {
    PrintDoc::new(title, lang, parse(md, easy))
}

#[test]
fn large_print_is_tagged_pdf_ua_in_reading_order() {
    let doc = page_doc("en", "Help at home", PAGE, false);
    let pdf = render_pdf(
        &doc,
        PdfKind::LargePrint,
        &symbols(),
        &PdfSettings::default(),
    )
    .expect("large print");
    let path = write("large-print-en.pdf", &pdf.bytes);
    assert_eq!(pages(&path), pdf.pages);
    assert!(
        pdfinfo(&path).contains("595.276 x 841.89"),
        "A4: {}",
        pdfinfo(&path)
    );

    let t = text(&path);
    let order = [
        "Help at home",
        "Getting help at home",
        "independent",
        "01632 960000",
        "our guide",
        "What you need",
        "Your name",
        "the postcode too",
        "Monday",
        "9am to 5pm",
        "Tuesday",
    ];
    let mut at = 0;
    for word in order {
        let found = t[at..]
            .find(word)
            .unwrap_or_else(|| panic!("{word:?} after {at} in {t}"));
        at += found + word.len();
    }

    let report = structure(&path);
    assert_eq!(report["lang"], "en");
    assert_eq!(report["marked"], true);
    assert_eq!(report["title"], "Help at home");
    assert_eq!(report["display_title"], true);
    assert_eq!(report["pdfua_part"], "1");
    let outline: Vec<&str> = report["outline"]
        .as_array()
        .map(|a| a.iter().filter_map(|v| v.as_str()).collect())
        .unwrap_or_default();
    assert_eq!(
        outline,
        ["Help at home", "Getting help at home", "What you need"]
    );
    let elems = elements(&report);
    let types: Vec<&str> = elems.iter().filter_map(|e| e["type"].as_str()).collect();
    for t in [
        "H1", "H2", "H3", "P", "L", "LI", "Table", "TH", "TD", "Link", "Figure",
    ] {
        assert!(types.contains(&t), "no {t} in {types:?}");
    }
    let figures: Vec<&serde_json::Value> = elems.iter().filter(|e| e["type"] == "Figure").collect();
    // The decorative tick is an artifact: one figure, with its alt text.
    assert_eq!(figures.len(), 1, "{figures:?}");
    assert_eq!(figures[0]["alt"], "A care worker visiting a home");
    pdf_ua_verdict(&report);
}

#[test]
fn large_print_body_is_18_point_sans_serif() {
    let doc = page_doc("en", "Sizes", "Body text.\n", false);
    let pdf = render_pdf(
        &doc,
        PdfKind::LargePrint,
        &symbols(),
        &PdfSettings::default(),
    )
    .expect("pdf");
    let path = write("large-print-size.pdf", &pdf.bytes);
    let fonts = run("pdffonts", &[path.to_str().unwrap_or("")]);
    assert!(
        fonts.contains("NotoSans-Regular") && fonts.contains("NotoSans-Bold"),
        "{fonts}"
    );
    assert!(!fonts.to_lowercase().contains("italic"), "{fonts}");
    // pdftotext's bounding boxes give the text height: 18 pt body.
    let html = run("pdftotext", &["-bbox", path.to_str().unwrap_or(""), "-"]);
    let line = html
        .lines()
        .find(|l| l.contains(">Body<"))
        .expect("body word box");
    let num = |key: &str| -> f64 {
        let start = line.find(key).map(|i| i + key.len()).unwrap_or(0);
        line[start..]
            .split('"')
            .next()
            .and_then(|n| n.parse().ok())
            .unwrap_or(0.0)
    };
    let height = num("yMax=\"") - num("yMin=\"");
    assert!(height >= 18.0, "body text box {height} pt high: {line}");
}

const EASY: &str = "## What direct payments are\n\n\
![Money](symbol:money) Direct payments are money from us for your care.\n\n\
![A person](symbol:person) You choose who helps you.\n\n\
![A form](symbol:form) First we need to know what help you need.\n\n\
## Help with direct payments\n\n\
![A phone](symbol:phone) Call us on 01632 960000.\n\n\
![A tick](symbol:tick) We can help you plan how to use your money.\n";

#[test]
fn a5_booklet_pads_to_a_multiple_of_four_with_notes_and_imposes() {
    let mut md = String::from(EASY);
    // A longer story: 5 or more A5 pages.
    for i in 0..6 {
        md.push_str(&format!(
            "\n## Part {i}\n\n![A person](symbol:person) You choose who helps you. You choose when they help you.\n\n![A bed](symbol:bed) You can pay for a short break.\n"
        ));
    }
    let doc = page_doc("en", "Direct payments", &md, true);
    let b = render_booklets(&doc, &symbols(), &PdfSettings::default()).expect("booklets");
    let a4 = write("booklet-a4-en.pdf", &b.a4.bytes);
    let a5 = write("booklet-a5-en.pdf", &b.a5.bytes);
    let imposed = write("booklet-imposed-en.pdf", &b.imposed.bytes);
    assert!(pages(&a4) >= 1);
    let n = pages(&a5);
    assert_eq!(n % 4, 0, "A5 booklet has {n} pages");
    assert!(
        pdfinfo(&a5).contains("419.528 x 595.276"),
        "{}",
        pdfinfo(&a5)
    );
    // The story ends before the notes pages and every page after it is a
    // notes page: no blank page inside the story.
    let pages_text: Vec<String> = (1..=n)
        .map(|p| {
            let p = p.to_string();
            run(
                "pdftotext",
                &["-f", &p, "-l", &p, a5.to_str().unwrap_or(""), "-"],
            )
        })
        .collect();
    let last_story = pages_text
        .iter()
        .rposition(|t| t.contains("short break"))
        .expect("story");
    for (i, t) in pages_text.iter().enumerate() {
        let words = t
            .split_whitespace()
            .filter(|w| w.parse::<u32>().is_err())
            .count();
        assert!(words > 0, "page {} is blank", i + 1);
        if i > last_story {
            assert!(
                t.contains("Notes"),
                "page {} is not a notes page: {t}",
                i + 1
            );
        }
    }
    // Imposed: A4 landscape (297 by 210 mm), two A5 pages a side.
    assert_eq!(pages(&imposed), n / 2);
    assert!(
        pdfinfo(&imposed).contains("841.89 x 595.276"),
        "{}",
        pdfinfo(&imposed)
    );
    // The first side carries the last page (left) and the first (right).
    let first_side = run(
        "pdftotext",
        &[
            "-f",
            "1",
            "-l",
            "1",
            "-layout",
            imposed.to_str().unwrap_or(""),
            "-",
        ],
    );
    assert!(first_side.contains("Direct payments"), "{first_side}");
    assert!(
        first_side.contains("Notes") || first_side.contains("short break"),
        "{first_side}"
    );

    let report = structure(&a5);
    pdf_ua_verdict(&report);
    assert_eq!(report["pdfua_part"], "1");
    let alts: Vec<&str> = report["elements"]
        .as_array()
        .map(|a| a.iter().filter_map(|e| e["alt"].as_str()).collect())
        .unwrap_or_default();
    assert!(
        alts.contains(&"Money") && alts.contains(&"A phone"),
        "{alts:?}"
    );
}

#[test]
fn arabic_runs_right_to_left_with_numbers_left_to_right() {
    let md = "## المساعدة في المنزل\n\nاتصل بنا على 01632 960000 من الساعة 9:00.\n\nالرمز البريدي SN15 1ER.\n";
    let doc = page_doc("ar", "المساعدة", md, false);
    let pdf = render_pdf(
        &doc,
        PdfKind::LargePrint,
        &symbols(),
        &PdfSettings::default(),
    )
    .expect("arabic");
    let path = write("large-print-ar.pdf", &pdf.bytes);
    let t = text(&path);
    assert!(t.contains("01632 960000"), "phone number order: {t}");
    assert!(!t.contains("960000 01632"), "{t}");
    assert!(t.contains("SN15 1ER"), "{t}");
    let report = structure(&path);
    assert_eq!(report["lang"], "ar");
    pdf_ua_verdict(&report);
    // Right to left: the heading's text ends at the right margin.
    let bbox = run("pdftotext", &["-bbox", path.to_str().unwrap_or(""), "-"]);
    let x_max = bbox
        .lines()
        .filter(|l| l.contains("<word"))
        .filter_map(|l| {
            let s = l.find("xMax=\"")? + 6;
            l[s..].split('"').next()?.parse::<f64>().ok()
        })
        .fold(0.0, f64::max);
    assert!(x_max > 595.0 - 2.0 * 28.35 - 5.0, "text ends at {x_max}");
}

#[test]
fn fallback_blocks_carry_their_language() {
    let mut blocks = parse("## Help\n\nCroeso.\n", false);
    blocks.push(Block::new(
        BlockKind::Lang {
            lang: "en".into(),
            blocks: parse("This part is in English only.\n", false),
        },
        0,
    ));
    let doc = PrintDoc::new("Cymorth", "cy", blocks);
    let pdf = render_pdf(
        &doc,
        PdfKind::LargePrint,
        &symbols(),
        &PdfSettings::default(),
    )
    .expect("welsh");
    let path = write("large-print-cy-fallback.pdf", &pdf.bytes);
    let report = structure(&path);
    assert_eq!(report["lang"], "cy");
    let langs: Vec<String> = elements(&report)
        .iter()
        .filter_map(|e| e["lang"].as_str().map(str::to_string))
        .collect();
    assert!(
        langs.iter().any(|l| l == "en"),
        "no element in English: {report}"
    );
}

#[test]
fn every_typst_special_character_prints_as_itself() {
    let specials = r"a # b $ c * d _ e ` f < g > h @ i [ j ] k \ l ~ m = n - o + p / q // r /* s https://x.org t";
    let doc = PrintDoc::new(
        "Specials # $ [ ]",
        "en",
        vec![Block::new(
            BlockKind::Paragraph(vec![signpost::print::Inline::Text(specials.into())]),
            0,
        )],
    );
    let pdf = render_pdf(
        &doc,
        PdfKind::LargePrint,
        &symbols(),
        &PdfSettings::default(),
    )
    .expect("specials");
    let path = write("specials.pdf", &pdf.bytes);
    let t = text(&path).split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(t.contains(specials), "{t}");
    assert!(t.contains("Specials # $ [ ]"), "{t}");
}

#[test]
fn pictures_that_cannot_be_printed_are_errors_at_their_line() {
    let md = "## A\n\nText.\n\n![A chart](chart.bmp)\n";
    let mut images = Images::new();
    images.insert("chart.bmp", b"BM\x36\0\0\0\0\0".to_vec());
    let doc = page_doc("en", "Chart", md, false);
    let err =
        render_pdf(&doc, PdfKind::LargePrint, &images, &PdfSettings::default()).expect_err("bmp");
    assert_eq!(
        err,
        PrintError::UnsupportedImage {
            src: "chart.bmp".into(),
            offset: md.find("![A chart]").unwrap_or(0)
        }
    );
    assert!(err.to_string().contains("PNG, JPEG"), "{err}");

    let err = render_pdf(
        &doc,
        PdfKind::LargePrint,
        &Images::new(),
        &PdfSettings::default(),
    )
    .expect_err("missing");
    assert!(matches!(err, PrintError::MissingImage { .. }), "{err:?}");

    // A PNG signature over bytes typst cannot decode: typst's own error,
    // mapped back to the picture's line.
    let mut broken = Images::new();
    broken.insert("chart.bmp", b"\x89PNG\r\n\x1a\nnot really a png".to_vec());
    let err = render_pdf(&doc, PdfKind::LargePrint, &broken, &PdfSettings::default())
        .expect_err("broken png");
    let PrintError::Typeset { offset, .. } = &err else {
        panic!("{err:?}");
    };
    assert_eq!(*offset, md.find("![A chart]"), "{err}");
}

#[test]
fn deep_nesting_and_very_long_addresses_still_print() {
    // Within the site's limits (50 levels, 20,000-character lines), but past
    // what typst takes: 64 nested show rules, 8,000-byte link addresses.
    let url = format!("https://example.org/{}", "a".repeat(10_000));
    let md = format!(
        "{} deep words\n\n{}\n\nSee [the long address]({url}).\n",
        ">".repeat(40),
        (0..20)
            .map(|i| format!("{}- level {i}", "  ".repeat(i)))
            .collect::<Vec<_>>()
            .join("\n")
    );
    let doc = page_doc("en", "Deep", &md, false);
    let pdf = render_pdf(
        &doc,
        PdfKind::LargePrint,
        &symbols(),
        &PdfSettings::default(),
    )
    .expect("deep nesting prints");
    let path = write("deep.pdf", &pdf.bytes);
    let t = text(&path);
    for words in ["deep words", "level 0", "level 19", "the long address"] {
        assert!(t.contains(words), "{words} missing: {t}");
    }
}
