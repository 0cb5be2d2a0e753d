//! The catalogue of diagnostic codes: each has a default severity, a short
//! title and a long explanation with a bad and a good example, printed by
//! `signpost explain CODE`. Codes are stable: never reuse or renumber one.
//!
//! The catalogue generates the [`Code`] enum, so a diagnostic can only be
//! made with a code that is in it: `Code::A11Y001`. A mistyped or unknown
//! code does not compile. To add a code, add a line below.

use serde::Serialize;

/// How serious a problem is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Allowed, but the site is better without it.
    Warning,
    /// The site cannot be published like this.
    Error,
}

/// One entry of the catalogue.
#[derive(Debug)]
pub struct Entry {
    pub code: Code,
    pub severity: Severity,
    pub title: &'static str,
    pub explanation: &'static str,
}

use Severity::{Error as E, Warning as W};

macro_rules! codes {
    ($( $code:ident $sev:ident $title:literal $expl:literal ;)*) => {
        /// A diagnostic code of the catalogue. Its text (`A11Y001`) is what
        /// editors see, in messages and in JSON. Not ordered: sort by
        /// [`Code::as_str`], as the output does.
        // The codes are written as editors see them.
        #[allow(clippy::upper_case_acronyms)]
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum Code {
            $( #[doc = $title] $code, )*
        }

        impl Code {
            /// The code as editors see it, such as `A11Y001`.
            pub const fn as_str(self) -> &'static str {
                match self {
                    $( Code::$code => stringify!($code), )*
                }
            }
        }

        /// Every code Signpost can report, in the order of [`Code`].
        pub static CODES: &[Entry] = &[
            $( Entry { code: Code::$code, severity: $sev, title: $title, explanation: $expl }, )*
        ];
    };
}

codes! {
    CFG001 E "site.yaml is missing or cannot be read"
        "Every site needs a site.yaml file at its root with at least a title.\n\nGood:\n    title: Care and support in Wiltshire\n";
    CFG002 E "site.yaml is not valid"
        "site.yaml must be valid YAML with the keys described in the README.\n\nBad:\n    title Care and support\nGood:\n    title: Care and support\n";
    CFG003 E "a language setting is wrong"
        "Each language in site.yaml needs a short code (like pl) and its name in its own language. The default language must be one of them, and dir must be ltr or rtl.\n\nGood:\n    languages:\n      - { code: en, name: English }\n      - { code: ar, name: العربية, dir: rtl }\n";
    CFG004 W "a language has no site title"
        "The site's title shows in the header of every page and in the browser tab. Give it in each language with `title:` beside the language's name; a language without one shows the default language's title.\n\nGood:\n    languages:\n      - { code: en, name: English }\n      - { code: pl, name: Polski, title: Opieka i wsparcie w Wiltshire }\n";
    SRC001 E "a file is not readable text"
        "Pages and service entries must be saved as UTF-8 text. Save the file again as UTF-8 in your editor.";
    SRC002 E "a file name names an unknown language or variant"
        "File names are NAME.md, NAME.easy.md, NAME.LANG.md or NAME.easy.LANG.md, where LANG is a code listed in site.yaml.\n\nBad:\n    carers.fr.md   (fr is not in site.yaml)\nGood:\n    carers.pl.md\n";
    SRC003 E "a translation or easy-read file has no standard page"
        "An easy-read version or a translation belongs to a default-language page with the same NAME in the same folder. Create that page first, or fix the file name.\n\nBad:\n    strategies/plan.pl.md   without strategies/plan.md\n";
    SRC004 E "two files would be published at the same address"
        "Two sources produce the same URL (often through slug). Give one of them a different slug or file name.";
    SRC005 E "a slug or alias is unsafe"
        "Slugs and aliases become folder names on the web server. Use lowercase letters, digits and hyphens; aliases are paths such as /old/address/. They must not contain .. or start outside the site.\n\nBad:\n    slug: ../../etc\nGood:\n    slug: direct-payments\n";
    SRC006 E "a file is empty"
        "An empty page cannot be published. Add front matter and some text, or delete the file.";
    FM001 E "the page has no front matter"
        "Every page starts with front matter between two lines of three dashes.\n\nGood:\n    ---\n    title: Direct payments\n    summary: Get money from us to arrange your own care.\n    ---\n";
    FM002 E "the front matter is not closed"
        "The front matter must end with a line of three dashes (---) before the text of the page.";
    FM003 E "the front matter is not valid YAML"
        "Front matter is YAML: one key per line, a colon and a space, then the value. Put values containing a colon in quotes.\n\nBad:\n    title: Care: what to expect\nGood:\n    title: \"Care: what to expect\"\n";
    FM004 E "the front matter has an unknown key"
        "Only the keys listed in the README are allowed, so that a typo never goes unnoticed.\n\nBad:\n    titel: Carers\nGood:\n    title: Carers\n";
    FM005 E "a front matter value has the wrong type"
        "Each key takes a certain kind of value: text, a date (YYYY-MM-DD), a whole number, true/false or a list.\n\nBad:\n    weight: first\nGood:\n    weight: 1\n";
    FM006 E "a required front matter key is missing"
        "Every page needs a title and a summary (one or two sentences used in listings, search results and the page description).";
    FM007 E "a date is not a real date"
        "Dates are written YYYY-MM-DD and must exist in the calendar.\n\nBad:\n    updated: 2026-02-30\nGood:\n    updated: 2026-02-28\n";
    LINK001 E "a link points to a page that does not exist"
        "Link to other pages by the path of their source file, relative to this file or to content/.\n\nBad:\n    [Carers](carer.md)\nGood:\n    [Support for carers](../carers/_index.md)\n";
    LINK002 E "a link points to a heading that does not exist"
        "Heading anchors are the heading text in lowercase with hyphens for spaces. Check the heading's spelling on the page you link to.\n\nBad:\n    [who pays](paying.md#who-pay)\nGood:\n    [who pays](paying.md#who-pays)\n";
    LINK003 E "a picture or file is missing"
        "Images and documents are files beside the page. Check the file name, including its ending (.png, .svg, .pdf).";
    LINK004 W "the link text does not say where it goes"
        "Screen reader users often list the links on a page. \"Click here\" or \"read more\" tells them nothing.\n\nBad:\n    To apply, [click here](apply.md).\nGood:\n    [Apply for a carer's assessment](apply.md).\n";
    LINK005 W "the same link text goes to different places"
        "Two links with the same words should go to the same place, or readers cannot tell them apart. Make the words say the difference.";
    LINK006 W "a link to a document does not say its type and size"
        "Tell people what they will download before they do, especially on a slow connection.\n\nBad:\n    [Our plan](plan.pdf)\nGood:\n    [Our plan (PDF, 2 MB)](plan.pdf)\n";
    LINK007 W "a link uses an address that is not safe or not web"
        "Links must be web addresses (https://), email (mailto:), phone (tel:) or pages of this site. Other kinds are removed.";
    A11Y001 E "an image has no alt text"
        "Alt text is read out to people who cannot see the picture. Describe what the picture shows or tells; mark it decorative (an empty alt with a title of \"decorative\") only if it adds nothing.\n\nBad:\n    ![](chart.svg)\nGood:\n    ![Bar chart: waiting times fell from 40 days to 26 days](chart.svg)\n";
    A11Y002 W "the alt text does not describe the picture"
        "Alt text like a file name, \"image\" or \"picture of\" does not help. Say what the picture shows.\n\nBad:\n    ![chart.png](chart.png)\nGood:\n    ![Line chart: more carers asked for help each year since 2020](chart.png)\n";
    A11Y003 E "a heading level is skipped"
        "Headings form an outline. The page title is the level 1 heading, so the text starts at ## and each level goes down one step at a time.\n\nBad:\n    ## Who can get help\n    #### Carers\nGood:\n    ## Who can get help\n    ### Carers\n";
    A11Y004 E "the text has a level 1 heading"
        "The page title from the front matter is the page's only level 1 heading. Start the text's headings at ##.";
    A11Y005 E "a table has no header row"
        "Every table needs a header row that names its columns, so screen readers can announce them.";
    A11Y006 W "a heading is empty"
        "An empty heading is announced but says nothing. Write the heading or remove it.";
    STRUCT001 W "a long page has no subheadings"
        "Headings let people scan a page, and let screen reader users jump to the part they need. A long page with none (often text pasted from a PDF) is a wall of words. Break it into parts, each under a ## heading that says what the part is about. The limit is structure.max_words_without_heading in site.yaml (400 words unless it says otherwise).\n\nBad:\n    (600 words in 12 paragraphs)\nGood:\n    ## Who can get help\n    ...\n    ## How to apply\n    ...\n";
    STRUCT002 W "a line looks like a page number from a printed document"
        "Text copied from a PDF or a printed report brings its page furniture with it: page numbers on their own line, \"Page 4 of 12\", \"4 |\". On a web page they mean nothing and are read out by screen readers. Delete the line.\n\nBad:\n    ...the end of a paragraph.\n\n    4 |\n\n    The next paragraph...\nGood:\n    ...the end of a paragraph.\n\n    The next paragraph...\n";
    STRUCT003 W "the same line is repeated many times, like a running header"
        "A short line that appears again and again in one page is usually the running header or footer of the document it was copied from (the report's title, the council's name). Delete every copy; the page title already says what the page is. The number of times is structure.repeated_line_times in site.yaml (3 unless it says otherwise).\n\nBad:\n    Annual report 2025\n    (repeated before every page's text)\n";
    STRUCT004 W "a word is broken across two lines with a hyphen"
        "Printed documents break long words at the end of a line (\"inde-\" / \"pendent\"). Copied into a page, the hyphen stays and the word reads as two. Join the two parts into one word.\n\nBad:\n    we help you live inde-\n    pendently\nGood:\n    we help you live independently\n";
    LIM001 E "content is nested too deep"
        "Lists, block quotes and emphasis may be nested at most 50 levels deep, and the elements of a block of raw HTML at most 100. Deeper nesting is never needed by a reader (more than a few levels cannot be followed) and makes the build slow: it is usually a page pasted from another program. The page's text is not published until it is fixed.\n\nBad:\n    <div><div><div><div> ... (thousands of levels)\nGood:\n    ## Who can get help\n\n    - people who live in the county\n";
    LIM002 E "a page has too many table cells"
        "A page may hold at most 100,000 table cells. Split a very large table over several pages, or publish the data as a spreadsheet to download and link to it.";
    LIM003 E "a line is too long"
        "A line of a source file may be at most 20,000 characters long. Very long lines are usually pasted data or a missing line break; break the text into paragraphs with a blank line between them.";
    LIM004 E "a page has too many links"
        "A page may hold at most 50,000 links and images together. No reader can use that many on one page: split it into smaller pages that link to each other.";
    LIM005 E "a file uses too many YAML aliases"
        "YAML lets a value be named with &name and reused with *name. A few lines of aliases of aliases can stand for billions of values (the \"billion laughs\" attack), so a front matter or service entry may use at most 50. Write each value out in full.\n\nBad:\n    a: &a [x, x, x]\n    b: &b [*a, *a, *a]\n    categories: [*b, *b, *b]\nGood:\n    categories: [carers, housing]\n";
    SEC001 W "unsafe HTML was removed from the page"
        "Raw HTML in markdown is not trusted. Scripts, event handlers, styles, frames, forms and javascript: addresses are removed. Use markdown instead.";
    EASY001 W "an easy-read sentence is long"
        "Easy read uses short sentences of 15 words or fewer, one idea each. Split the sentence.";
    EASY002 E "an easy-read sentence is far too long"
        "Sentences of more than 20 words are too hard for an easy-read reader. Split the sentence into two or three.";
    EASY003 W "an easy-read point has no picture"
        "Each easy-read point starts with a picture that shows its idea: ![A telephone](symbol:phone) Call us.";
    EASY004 W "an easy-read page uses an abbreviation"
        "Write words in full. Say \"for example\", not \"e.g.\"; explain a short form the first time, or do not use it.";
    EASY005 W "an easy-read page uses a contraction"
        "Write \"do not\", not \"don't\"; \"you are\", not \"you're\".";
    EASY006 W "an easy-read page writes a number in words or as a percentage"
        "Use digits (3, not three) and say \"7 out of 10 people\", not \"70%\".";
    EASY007 W "an easy-read page uses italics"
        "Italic text is hard to read. Use bold for the one or two words that matter most.";
    EASY008 W "an easy-read page is hard to read"
        "The page's Flesch-Kincaid grade is above the limit (6 unless site.yaml says otherwise). Use shorter sentences and shorter, common words.";
    EASY009 E "an easy-read picture does not exist"
        "symbol:NAME pictures come from the theme's symbols folder or the site's symbols/ folder. Check the name with the list in the README.";
    FRESH001 W "a page is past its review date"
        "The page's review_by date has passed. Check the page is still right, then set updated and a new review_by.";
    FRESH002 W "a service has not been checked for 12 months"
        "Services change. Call or email them, check every detail, and set last_verified to today.";
    I18N001 W "a translation is older than its source page"
        "The default-language page was updated after this translation. Ask for the translation to be updated, then set its updated date.";
    I18N002 E "an interface strings file is not valid"
        "translations/LANG.yaml holds interface strings as key: text. Plural strings are maps with CLDR categories (one, few, many, other).";
    THEME001 E "a theme template has an error"
        "A template in themes/NAME/templates could not be read or rendered. The message gives the template and line.";
    THEME002 E "a stylesheet has an error"
        "A stylesheet in themes/NAME/css could not be parsed. The message gives the file and line.";
    THEME003 E "theme colours do not have enough contrast"
        "Text needs a contrast ratio of at least 4.5:1 with its background (WCAG 2.2, 1.4.3). Pick a darker or lighter colour.";
    SVC001 E "a service entry is not valid"
        "Service entries follow the format in the README. The message says which field is wrong.";
    SVC002 E "a service entry is missing a required field"
        "Every service needs a name, a summary, at least one category, a way to contact it (contact or address) and last_verified.";
    SVC003 E "a service entry has an unknown field"
        "Only the fields listed in the README are allowed, so that a typo never goes unnoticed.";
    SVC004 E "a service entry uses a category or area the directory does not list"
        "The directory's _index.md lists its categories and areas. Use one of those ids, or add it there.";
    SVC005 E "a phone number, email address or web address is not valid"
        "Phone numbers are UK numbers with digits and spaces; email addresses look like name@example.org; web addresses start with https://.";
    CHART001 E "a chart's data is not valid"
        "A chart block is small YAML: one `key: value` a line, and under `values:` one `label: number` a line. Numbers are digits only: the units go in `units:`. Bar charts start at zero, so their values cannot be below zero.\n\nBad:\n    ```chart\n    kind: horizontal-bar\n    title: Waiting times\n    units: days\n    values:\n      Trowbridge: 26 days\n    ```\nGood:\n      Trowbridge: 26\n";
    CHART002 E "a chart has a kind Signpost cannot draw"
        "A chart's kind is horizontal-bar (bars across, the easiest to read on a phone), bar (upright columns, for a few short labels) or line (one or more lines over labels such as years).\n\nBad:\n    kind: pie\nGood:\n    kind: horizontal-bar\n";
    CHART003 E "a chart is missing its title, units or numbers"
        "Every chart needs a kind, a title, units (days, people, %) and its numbers: `values:` for a bar chart, or `x:` and `series:` for a line chart.\n\nGood:\n    ```chart\n    kind: line\n    title: People waiting for an assessment\n    units: people\n    x: [2022, 2023, 2024]\n    series:\n      Wiltshire: [412, 365, 298]\n    ```\n";
    CHART004 E "a chart's series do not match its labels"
        "In a line chart every series has one number for each label of `x`, in the same order.\n\nBad:\n    x: [2022, 2023, 2024]\n    series:\n      Wiltshire: [412, 365]\nGood:\n      Wiltshire: [412, 365, 298]\n";
    CHART005 W "a bar chart's labels will not fit on a phone"
        "Upright columns share the width of a phone screen, so a long label or many columns leave each label too little room to be read. A horizontal bar chart gives each label a line of its own.\n\nBad:\n    kind: bar   (with labels such as Assessing needs, Supporting healthier lives, ...)\nGood:\n    kind: horizontal-bar\n";
    SVC006 W "a service speaks a language Signpost cannot name"
        "Languages are short ISO 639 codes. Signpost shows each language in its own name (Polski, العربية); for a code it does not know, the page shows the code itself. Check the code.\n\nBad:\n    languages: [english, polish]\nGood:\n    languages: [en, pl]\n";
    SVC007 E "service entries are in a folder with no directory page"
        "A folder of service entries is a directory: it needs an _index.md with a title, a summary, and the directory's categories and areas (id: name), which the entries' categories and areas must use.\n\nGood (content/services/_index.md):\n    ---\n    title: Find care and support services\n    summary: Services by what you need and where you live.\n    categories:\n      carers: Support for carers\n    areas:\n      county-wide: All of Wiltshire\n    ---\n";
    PRINT001 E "a PDF of the page could not be made"
        "Signpost typesets a large-print PDF of every page and easy-read booklet PDFs of every easy-read page. A picture that cannot be printed stops the PDF: use a PNG, JPEG, GIF, WebP or SVG file, and give every picture alt text (or mark it decorative). To publish without PDFs, switch them off in site.yaml.\n\nBad:\n    ![A map](map.tiff)\nGood:\n    ![A map of the town centre](map.png)\n\nOr, in site.yaml:\n    print:\n      large_print_pdf: false\n      booklet_pdf: false\n";
    PRINT002 W "a page is too long to typeset as a PDF"
        "Signpost typesets a PDF of a page of up to 50,000 words (a long strategy has about 20,000). A longer page, often a whole report pasted into one file, is published without its PDFs, because its PDF would run to hundreds of pages and take minutes to make. Split it into shorter pages, each under a heading that says what it covers.\n";
    BRAILLE001 W "braille is switched on but liblouis is not installed"
        "Signpost makes braille files (.brf) with liblouis's lou_translate program. Without it the site is built without braille, and this warning says so (with --deny-warnings it stops the build). Install it:\n\n    Debian, Ubuntu:  sudo apt-get install liblouis-bin liblouis-data\n    Fedora:          sudo dnf install liblouis-utils\n    macOS:           brew install liblouis\n\nOr switch braille off in site.yaml:\n    print:\n      braille: false\n";
    BRAILLE002 E "a braille file of the page could not be made"
        "liblouis could not translate the page: usually a liblouis table that is missing (install liblouis-data) or a character the language's table does not know. The message names the table and the character. Switch braille off in site.yaml (print: braille: false) until it is fixed.";
}

impl Code {
    /// The code's entry in the catalogue.
    pub fn entry(self) -> &'static Entry {
        // `CODES` lists the entries in the order of the enum's variants.
        &CODES[self as usize]
    }

    /// The code's default severity.
    pub fn severity(self) -> Severity {
        self.entry().severity
    }
}

impl std::fmt::Display for Code {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.pad(self.as_str())
    }
}

impl Serialize for Code {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

/// Looks a code up in the catalogue by its text, in any case (`a11y001`).
pub fn lookup(code: &str) -> Option<&'static Entry> {
    CODES
        .iter()
        .find(|c| c.code.as_str().eq_ignore_ascii_case(code))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_unique_and_explained() {
        let mut seen = std::collections::BTreeSet::new();
        for (i, c) in CODES.iter().enumerate() {
            assert!(seen.insert(c.code.as_str()), "duplicate code {}", c.code);
            assert_eq!(c.code as usize, i, "{} is out of place", c.code);
            assert!(std::ptr::eq(c.code.entry(), c));
            assert!(
                c.explanation.len() > 40,
                "{} needs a real explanation",
                c.code
            );
        }
        assert_eq!(lookup("a11y001").map(|c| c.code), Some(Code::A11Y001));
        assert_eq!(Code::A11Y001.to_string(), "A11Y001");
        assert_eq!(Code::LINK004.severity(), Severity::Warning);
        assert_eq!(
            serde_json::to_string(&Code::SVC007).ok().as_deref(),
            Some("\"SVC007\"")
        );
        assert!(lookup("A11Y999").is_none());
    }
}
