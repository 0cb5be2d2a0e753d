//! Names of the languages a service speaks: each in its own script (its
//! autonym), and in English for English readers and for open data.

/// (code, English name, own name, right to left)
const LANGUAGES: &[(&str, &str, &str, bool)] = &[
    ("ar", "Arabic", "العربية", true),
    (
        "bfi",
        "British Sign Language",
        "British Sign Language",
        false,
    ),
    ("bg", "Bulgarian", "Български", false),
    ("bn", "Bengali", "বাংলা", false),
    ("cs", "Czech", "Čeština", false),
    ("cy", "Welsh", "Cymraeg", false),
    ("de", "German", "Deutsch", false),
    ("el", "Greek", "Ελληνικά", false),
    ("en", "English", "English", false),
    ("es", "Spanish", "Español", false),
    ("fa", "Persian (Farsi)", "فارسی", true),
    ("fr", "French", "Français", false),
    ("ga", "Irish", "Gaeilge", false),
    ("gd", "Scottish Gaelic", "Gàidhlig", false),
    ("gu", "Gujarati", "ગુજરાતી", false),
    ("he", "Hebrew", "עברית", true),
    ("hi", "Hindi", "हिन्दी", false),
    ("hu", "Hungarian", "Magyar", false),
    ("it", "Italian", "Italiano", false),
    ("ja", "Japanese", "日本語", false),
    ("ko", "Korean", "한국어", false),
    ("ku", "Kurdish", "Kurdî", false),
    ("lt", "Lithuanian", "Lietuvių", false),
    ("lv", "Latvian", "Latviešu", false),
    ("ml", "Malayalam", "മലയാളം", false),
    ("ne", "Nepali", "नेपाली", false),
    ("nl", "Dutch", "Nederlands", false),
    ("pa", "Punjabi", "ਪੰਜਾਬੀ", false),
    ("pl", "Polish", "Polski", false),
    ("ps", "Pashto", "پښتو", true),
    ("pt", "Portuguese", "Português", false),
    ("ro", "Romanian", "Română", false),
    ("ru", "Russian", "Русский", false),
    ("sk", "Slovak", "Slovenčina", false),
    ("so", "Somali", "Soomaali", false),
    ("sq", "Albanian", "Shqip", false),
    ("sw", "Swahili", "Kiswahili", false),
    ("ta", "Tamil", "தமிழ்", false),
    ("th", "Thai", "ไทย", false),
    ("ti", "Tigrinya", "ትግርኛ", false),
    ("tl", "Tagalog", "Tagalog", false),
    ("tr", "Turkish", "Türkçe", false),
    ("uk", "Ukrainian", "Українська", false),
    ("ur", "Urdu", "اردو", true),
    ("vi", "Vietnamese", "Tiếng Việt", false),
    ("yue", "Cantonese", "廣東話", false),
    ("zh", "Chinese (Mandarin)", "中文", false),
];

/// A known language.
#[derive(Debug, Clone, Copy)]
pub struct LanguageName {
    pub code: &'static str,
    pub english: &'static str,
    pub own: &'static str,
    pub rtl: bool,
}

/// Looks a code up (`pt-BR` finds `pt`).
pub fn lookup(code: &str) -> Option<LanguageName> {
    let lower = code.to_ascii_lowercase();
    let primary = lower.split(['-', '_']).next().unwrap_or("");
    let primary = if primary == "sgn" { "bfi" } else { primary };
    LANGUAGES
        .iter()
        .find(|(c, ..)| *c == primary)
        .map(|&(code, english, own, rtl)| LanguageName {
            code,
            english,
            own,
            rtl,
        })
}

/// Every code known, for messages.
pub fn known_codes() -> Vec<&'static str> {
    LANGUAGES.iter().map(|(c, ..)| *c).collect()
}

/// The code of a language by its English or own name (for imports).
pub fn code_for_name(name: &str) -> Option<&'static str> {
    let n = name.trim().to_lowercase();
    LANGUAGES
        .iter()
        .find(|(_, en, own, _)| en.to_lowercase() == n || own.to_lowercase() == n)
        .map(|(c, ..)| *c)
}
