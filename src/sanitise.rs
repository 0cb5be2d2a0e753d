//! Raw HTML in markdown is untrusted. Blocks of HTML go through `ammonia`
//! with an allow-list of harmless tags and attributes; single inline tags are
//! rebuilt from the same allow-list. Whatever is removed is reported so that
//! the editor knows.

use std::collections::HashSet;
use std::sync::OnceLock;

const TAGS: &[&str] = &[
    "a",
    "abbr",
    "b",
    "bdi",
    "bdo",
    "blockquote",
    "br",
    "caption",
    "cite",
    "code",
    "dd",
    "del",
    "details",
    "dfn",
    "div",
    "dl",
    "dt",
    "em",
    "figcaption",
    "figure",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "hr",
    "i",
    "img",
    "ins",
    "kbd",
    "li",
    "mark",
    "ol",
    "p",
    "pre",
    "q",
    "s",
    "samp",
    "small",
    "span",
    "strong",
    "sub",
    "summary",
    "sup",
    "table",
    "tbody",
    "td",
    "tfoot",
    "th",
    "thead",
    "time",
    "tr",
    "u",
    "ul",
];
const GENERIC_ATTRS: &[&str] = &["lang", "dir", "title"];
const INLINE_TAGS: &[&str] = &[
    "abbr", "b", "bdi", "br", "cite", "code", "del", "dfn", "em", "i", "ins", "kbd", "mark", "q",
    "s", "samp", "small", "span", "strong", "sub", "sup", "time", "u",
];

fn builder() -> &'static ammonia::Builder<'static> {
    static B: OnceLock<ammonia::Builder<'static>> = OnceLock::new();
    B.get_or_init(|| {
        let mut b = ammonia::Builder::empty();
        b.add_tags(TAGS.iter().copied())
            .add_generic_attributes(GENERIC_ATTRS.iter().copied())
            .add_tag_attributes("a", ["href"])
            .add_tag_attributes("img", ["src", "alt", "width", "height"])
            .add_tag_attributes("td", ["colspan", "rowspan"])
            .add_tag_attributes("th", ["colspan", "rowspan", "scope"])
            .add_tag_attributes("time", ["datetime"])
            .add_tag_attributes("ol", ["start"])
            .add_url_schemes(["http", "https", "mailto", "tel"])
            .link_rel(Some("noopener noreferrer"))
            .strip_comments(true);
        b.add_clean_content_tags(["script", "style", "iframe", "object", "embed", "template"]);
        b
    })
}

/// Sanitises a block of raw HTML. Returns the clean HTML and a description
/// of each thing removed (empty when nothing was).
pub fn clean_block(html: &str) -> (String, Vec<String>) {
    let clean = builder().clean(html).to_string();
    (clean, unsafe_parts(html))
}

/// Rebuilds one inline tag (`<abbr title="...">`, `</abbr>`, `<br>`) from the
/// allow-list. `None` when the tag is not allowed (or is a comment).
pub fn clean_inline_tag(tag: &str) -> Option<String> {
    let t = Tag::parse(tag)?;
    if !INLINE_TAGS.contains(&t.name.as_str()) {
        return None;
    }
    if t.closing {
        return Some(format!("</{}>", t.name));
    }
    let mut out = format!("<{}", t.name);
    for (k, v) in &t.attrs {
        let allowed = GENERIC_ATTRS.contains(&k.as_str()) || (t.name == "time" && k == "datetime");
        if allowed {
            out.push_str(&format!(" {k}=\"{}\"", escape_attr(v)));
        }
    }
    out.push('>');
    Some(out)
}

/// Lists what the allow-list removes from `html`, in plain words.
pub fn unsafe_parts(html: &str) -> Vec<String> {
    let allowed: &HashSet<&str> = {
        static S: OnceLock<HashSet<&'static str>> = OnceLock::new();
        S.get_or_init(|| TAGS.iter().copied().collect())
    };
    let mut found = Vec::new();
    let mut rest = html;
    while let Some(i) = rest.find('<') {
        rest = &rest[i..];
        let end = rest.find('>').map(|j| j + 1).unwrap_or(rest.len());
        let raw = &rest[..end];
        rest = &rest[end..];
        if raw.starts_with("<!--") {
            continue;
        }
        let Some(tag) = Tag::parse(raw) else {
            continue;
        };
        if !allowed.contains(tag.name.as_str()) {
            if !tag.closing {
                found.push(format!("the <{}> tag", tag.name));
            }
            continue;
        }
        for (k, v) in &tag.attrs {
            // Browsers ignore spaces, tabs and newlines in a scheme.
            let lower: String = v
                .chars()
                .filter(|c| !c.is_ascii_control() && *c != ' ')
                .collect::<String>()
                .to_ascii_lowercase();
            if k.starts_with("on") {
                found.push(format!("the {k} attribute (scripts are not allowed)"));
            } else if k == "style" {
                found.push("a style attribute".to_string());
            } else if lower.starts_with("javascript:")
                || lower.starts_with("data:")
                || lower.starts_with("vbscript:")
            {
                found.push(format!(
                    "a `{}` address",
                    lower.split(':').next().unwrap_or("")
                ));
            } else if !GENERIC_ATTRS.contains(&k.as_str())
                && !matches!(
                    (tag.name.as_str(), k.as_str()),
                    ("a", "href")
                        | ("img", "src" | "alt" | "width" | "height")
                        | ("td" | "th", "colspan" | "rowspan")
                        | ("th", "scope")
                        | ("time", "datetime")
                        | ("ol", "start")
                )
            {
                found.push(format!("the {k} attribute on <{}>", tag.name));
            }
        }
    }
    found.sort();
    found.dedup();
    found
}

fn escape_attr(v: &str) -> String {
    v.replace('&', "&amp;")
        .replace('"', "&quot;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// A start or end tag, loosely parsed for inspection.
struct Tag {
    name: String,
    closing: bool,
    attrs: Vec<(String, String)>,
}

impl Tag {
    fn parse(raw: &str) -> Option<Tag> {
        let inner = raw.strip_prefix('<')?;
        let inner = inner.strip_suffix('>').unwrap_or(inner);
        let inner = inner.strip_suffix('/').unwrap_or(inner);
        let (closing, inner) = match inner.strip_prefix('/') {
            Some(r) => (true, r),
            None => (false, inner),
        };
        let name_end = inner
            .find(|c: char| c.is_whitespace() || c == '/')
            .unwrap_or(inner.len());
        let name = inner[..name_end].to_ascii_lowercase();
        if name.is_empty() || !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '-') {
            return None;
        }
        let mut attrs = Vec::new();
        let mut s = inner[name_end..].trim_start_matches(|c: char| c.is_whitespace() || c == '/');
        while !s.is_empty() {
            let key_end = s
                .find(|c: char| c.is_whitespace() || c == '=' || c == '/')
                .unwrap_or(s.len());
            let key = s[..key_end].to_ascii_lowercase();
            s = s[key_end..].trim_start();
            let mut value = String::new();
            if let Some(r) = s.strip_prefix('=') {
                let r = r.trim_start();
                if let Some(q) = r.chars().next().filter(|c| *c == '"' || *c == '\'') {
                    let body = &r[1..];
                    let end = body.find(q).unwrap_or(body.len());
                    value = body[..end].to_string();
                    s = body.get(end + 1..).unwrap_or("");
                } else {
                    let end = r.find(char::is_whitespace).unwrap_or(r.len());
                    value = r[..end].to_string();
                    s = &r[end..];
                }
            }
            if !key.is_empty() {
                attrs.push((key, decode_entities(&value)));
            }
            s = s.trim_start_matches(|c: char| c.is_whitespace() || c == '/');
        }
        Some(Tag {
            name,
            closing,
            attrs,
        })
    }
}

/// Decodes character references as a browser does in an attribute value:
/// numeric ones (with or without `;`) and the named ones that can hide an
/// address's scheme (`jav&#x09;ascript&colon;`).
fn decode_entities(v: &str) -> String {
    const NAMED: &[(&str, char)] = &[
        ("quot;", '"'),
        ("apos;", '\''),
        ("lt;", '<'),
        ("gt;", '>'),
        ("amp;", '&'),
        ("colon;", ':'),
        ("tab;", '\t'),
        ("newline;", '\n'),
        ("lpar;", '('),
        ("rpar;", ')'),
    ];
    let mut out = String::with_capacity(v.len());
    let mut rest = v;
    while let Some(i) = rest.find('&') {
        out.push_str(&rest[..i]);
        rest = &rest[i + 1..];
        if let Some(num) = rest.strip_prefix('#') {
            let (radix, digits) = match num.strip_prefix(['x', 'X']) {
                Some(h) => (16, h),
                None => (10, num),
            };
            let len = digits.chars().take_while(|c| c.is_digit(radix)).count();
            if len > 0 {
                let c = u32::from_str_radix(&digits[..len.min(8)], radix)
                    .ok()
                    .and_then(char::from_u32)
                    .filter(|c| *c != '\0')
                    .unwrap_or('\u{fffd}');
                out.push(c);
                rest = &digits[len..];
                rest = rest.strip_prefix(';').unwrap_or(rest);
                continue;
            }
        } else if let Some((name, c)) = NAMED.iter().find(|(n, _)| {
            rest.get(..n.len())
                .is_some_and(|p| p.eq_ignore_ascii_case(n))
        }) {
            out.push(*c);
            rest = &rest[name.len()..];
            continue;
        }
        out.push('&');
    }
    out.push_str(rest);
    out
}

/// The deepest element nesting of an HTML page, estimated from its tags
/// (void elements, comments and the text of `<script>`/`<style>` skipped).
pub fn nesting_depth(html: &str) -> usize {
    const VOID: &[&str] = &[
        "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
        "track", "wbr",
    ];
    let b = html.as_bytes();
    let (mut i, mut depth, mut max) = (0, 0usize, 0usize);
    while let Some(n) = memchr_lt(&b[i..]) {
        i += n + 1;
        if b[i..].starts_with(b"!--") {
            i = html[i..].find("-->").map(|e| i + e + 3).unwrap_or(b.len());
            continue;
        }
        let closing = b.get(i) == Some(&b'/');
        let start = if closing { i + 1 } else { i };
        let end = b[start..]
            .iter()
            .position(|c| !c.is_ascii_alphanumeric())
            .map(|e| start + e)
            .unwrap_or(b.len());
        if end == start {
            continue;
        }
        let name = html[start..end].to_ascii_lowercase();
        let tag_end = b[end..]
            .iter()
            .position(|c| *c == b'>')
            .map(|e| end + e)
            .unwrap_or(b.len());
        if closing {
            depth = depth.saturating_sub(1);
        } else if !VOID.contains(&name.as_str()) && b.get(tag_end.wrapping_sub(1)) != Some(&b'/') {
            depth += 1;
            max = max.max(depth);
            if name == "script" || name == "style" {
                let close = format!("</{name}");
                i = html[tag_end.min(b.len())..]
                    .find(&close)
                    .map(|e| tag_end + e)
                    .unwrap_or(b.len());
                continue;
            }
        }
        i = tag_end.min(b.len());
    }
    max
}

fn memchr_lt(b: &[u8]) -> Option<usize> {
    b.iter().position(|c| *c == b'<')
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The classic vectors (OWASP XSS filter evasion cheat sheet kinds).
    const VECTORS: &[&str] = &[
        "<script>alert(1)</script>",
        "<SCRIPT SRC=https://xss.example/xss.js></SCRIPT>",
        "<img src=x onerror=alert(1)>",
        "<IMG SRC=\"javascript:alert('XSS');\">",
        "<IMG SRC=JaVaScRiPt:alert('XSS')>",
        "<a href=\"&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert(1)\">x</a>",
        "<a href=\"jav&#x09;ascript:alert(1)\">x</a>",
        "<svg/onload=alert(1)>",
        "<body onload=alert(1)>",
        "<iframe src=\"https://evil.example\"></iframe>",
        "<div style=\"background:url(javascript:alert(1))\">x</div>",
        "<a href=\"data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==\">x</a>",
        "<object data=\"x.swf\"></object>",
        "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
        "<form action=\"https://evil.example\"><input name=a></form>",
        "<meta http-equiv=\"refresh\" content=\"0;url=javascript:alert(1)\">",
        "<link rel=stylesheet href=\"https://evil.example/x.css\">",
        "<details open ontoggle=alert(1)>",
        "<<script>alert(1)//<</script>",
        "<p onmouseover=\"alert(1)\">hover</p>",
        "<base href=\"javascript:alert(1)//\">",
    ];

    #[test]
    fn classic_vectors_are_neutralised() {
        for v in VECTORS {
            let (clean, _) = clean_block(v);
            let lower = clean.to_ascii_lowercase();
            for bad in [
                "<script",
                "javascript:",
                "onerror",
                "onload",
                "<iframe",
                "style=",
                "data:",
                "<object",
                "<form",
                "<input",
                "<meta",
                "<link",
                "ontoggle",
                "onmouseover",
                "<base",
                "<svg",
                "<style",
            ] {
                assert!(!lower.contains(bad), "{v:?} left {bad:?} in {clean:?}");
            }
        }
    }

    #[test]
    fn removals_are_reported() {
        assert!(!clean_block("<script>x</script>").1.is_empty());
        assert!(!clean_block("<p onclick=\"x\">a</p>").1.is_empty());
        assert!(clean_block("<p lang=\"cy\">Croeso</p>").1.is_empty());
    }

    #[test]
    fn harmless_html_is_kept() {
        let (clean, removed) = clean_block("<details><summary>More</summary><p>Text</p></details>");
        assert!(removed.is_empty());
        assert!(clean.contains("<summary>More</summary>"));
    }

    #[test]
    fn inline_tags_are_rebuilt() {
        assert_eq!(
            clean_inline_tag("<abbr title=\"Care Quality Commission\" onclick=x>").as_deref(),
            Some("<abbr title=\"Care Quality Commission\">")
        );
        assert_eq!(clean_inline_tag("</abbr>").as_deref(), Some("</abbr>"));
        assert_eq!(clean_inline_tag("<script>"), None);
        assert_eq!(clean_inline_tag("<img src=x onerror=alert(1)>"), None);
        assert_eq!(
            clean_inline_tag("<span title='\"><script>'>").as_deref(),
            Some("<span title=\"&quot;&gt;&lt;script&gt;\">")
        );
    }
}
