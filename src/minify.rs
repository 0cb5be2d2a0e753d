//! Minifying HTML: the rendered pages, and the theme's templates once
//! before rendering (so each page comes out of the template already small).
//! A low-level helper with no knowledge of the site: the theme, the output
//! stage and the tests all call it.

/// Deepest element nesting `minify_html` is given: its parser recurses once
/// per level and would overflow a thread's stack on pathological pages
/// (thousands of nested quotes or list levels). Deeper pages are written
/// as rendered, unminified.
pub const MAX_MINIFY_DEPTH: usize = 200;

/// Minifies a rendered HTML page, keeping it valid HTML.
pub fn minify_html(html: &str) -> Vec<u8> {
    if crate::sanitise::nesting_depth(html) > MAX_MINIFY_DEPTH {
        return html.as_bytes().to_vec();
    }
    minify_html::minify(html.as_bytes(), &minify_cfg())
}

/// Minifies a template's source once, keeping its `{{ }}`, `{% %}` and
/// `{# #}` tags as written. `None` when it cannot be done safely (then the
/// pages are minified instead).
///
/// minify-html keeps template tags in text, but inside an HTML tag it would
/// sort them with the attributes (`<h1{% if x %} lang=..{% endif %}>`) or
/// unquote an attribute whose rendered value needs quotes. So every HTML
/// tag with template syntax in it is swapped for a placeholder tag of the
/// same element before minifying, and put back as written after.
pub fn minify_template(source: &str) -> Option<String> {
    const KEEP: &str = "data-signpost-keep-";
    let mut protected = String::with_capacity(source.len());
    let mut kept: Vec<(String, &str)> = Vec::new();
    let b = source.as_bytes();
    let mut i = 0;
    let mut copied = 0;
    while i < b.len() {
        if b[i] == b'<' && matches!(b.get(i + 1..i + 3), Some(b"{{" | b"/{")) {
            // A tag whose name is a template value: cannot be protected.
            return None;
        }
        let starts_tag = b[i] == b'<' && b.get(i + 1).is_some_and(u8::is_ascii_alphabetic);
        if !starts_tag {
            i += 1;
            continue;
        }
        let end = tag_end(b, i)?;
        let tag = &source[i..=end];
        if tag.contains('{') {
            let name: String = tag[1..]
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric())
                .collect();
            let placeholder = format!("<{name} {KEEP}{}>", kept.len());
            protected.push_str(&source[copied..i]);
            protected.push_str(&placeholder);
            kept.push((placeholder, tag));
            copied = end + 1;
        }
        i = end + 1;
    }
    protected.push_str(&source[copied..]);
    let mut cfg = minify_cfg();
    cfg.preserve_brace_template_syntax = true;
    let mut out = String::from_utf8(minify_html::minify(protected.as_bytes(), &cfg)).ok()?;
    for (placeholder, tag) in &kept {
        if out.matches(placeholder.as_str()).count() != 1 {
            return None;
        }
        out = out.replacen(placeholder.as_str(), tag, 1);
    }
    (!out.contains(KEEP)).then_some(out)
}

/// The index of the `>` that ends the HTML tag starting at `start`, past
/// quoted attribute values and template tags (which may hold `>`).
fn tag_end(b: &[u8], start: usize) -> Option<usize> {
    let mut i = start + 1;
    let mut quote: Option<u8> = None;
    while i < b.len() {
        let c = b[i];
        match quote {
            Some(q) if c == q => quote = None,
            Some(_) => {}
            None if c == b'"' || c == b'\'' => quote = Some(c),
            None if c == b'>' => return Some(i),
            None => {}
        }
        if c == b'{' && matches!(b.get(i + 1), Some(b'{' | b'%' | b'#')) {
            let close: &[u8] = match b[i + 1] {
                b'{' => b"}}",
                b'%' => b"%}",
                _ => b"#}",
            };
            i = b[i + 2..]
                .windows(2)
                .position(|w| w == close)
                .map(|p| i + 2 + p + 2)?;
            continue;
        }
        i += 1;
    }
    None
}

fn minify_cfg() -> minify_html::Cfg {
    let mut cfg = minify_html::Cfg::new();
    cfg.keep_closing_tags = true;
    cfg.keep_html_and_head_opening_tags = true;
    cfg.minify_css = false;
    cfg.minify_js = false;
    cfg.minify_doctype = false;
    cfg.allow_noncompliant_unquoted_attribute_values = false;
    cfg.allow_removing_spaces_between_attributes = false;
    cfg.allow_optimal_entities = false;
    cfg
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn template_tags_inside_html_tags_are_kept_as_written() {
        let t = "<ul>\n  <li{% if a %} lang=\"{{ a }}\" dir=\"auto\"{% endif %} class=\"x\">\n    {{ b }}\n  </li>\n</ul>\n";
        let m = minify_template(t).unwrap();
        assert_eq!(
            m,
            "<ul><li{% if a %} lang=\"{{ a }}\" dir=\"auto\"{% endif %} class=\"x\">{{ b }}</li></ul>"
        );
        // A tag whose name is a template value cannot be protected.
        assert_eq!(minify_template("<{{ h }} id=x>T</{{ h }}>"), None);
    }

    #[test]
    fn minified_html_keeps_structure() {
        let html = minify_html(
            "<!DOCTYPE html>\n<html lang=\"en\">\n<head><title>T</title></head>\n<body>\n  <p class=\"a b\">Hello   world</p>\n</body>\n</html>\n",
        );
        let s = String::from_utf8(html).unwrap();
        assert!(
            s.contains("<html lang=\"en\">") || s.contains("<html lang=en>"),
            "{s}"
        );
        assert!(s.contains("</p>"), "{s}");
        assert!(s.contains("class=\"a b\""), "{s}");
    }
}
