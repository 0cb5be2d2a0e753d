//! Lines of plain text: paragraphs wrapped at [`WIDTH`] columns, the
//! underlined title and the numbered, underlined headings.

/// The width plain text is wrapped at.
pub const WIDTH: usize = 72;

pub(super) fn display_width(s: &str) -> usize {
    textwrap::core::display_width(s)
}

/// A plain-text heading, numbered as the plain-text pages number theirs,
/// and underlined.
pub fn text_heading(out: &mut String, n: &std::cell::Cell<usize>, text: &str) {
    n.set(n.get() + 1);
    let text = format!("{}. {text}", n.get());
    out.push('\n');
    out.push_str(&text);
    out.push('\n');
    out.push_str(&"-".repeat(display_width(&text).max(3)));
    out.push_str("\n\n");
}

/// A plain-text title, underlined with `=`.
pub fn text_title(out: &mut String, title: &str) {
    out.push_str(title);
    out.push('\n');
    out.push_str(&"=".repeat(display_width(title).max(3)));
    out.push_str("\n\n");
}

/// Wraps one paragraph with a first-line and a following-lines prefix.
pub fn wrap(text: &str, first: &str, rest: &str) -> String {
    // Only ASCII white space separates words: no-break spaces hold
    // phone numbers together.
    let text = text.split_ascii_whitespace().collect::<Vec<_>>().join(" ");
    if text.is_empty() {
        return String::new();
    }
    let opts = textwrap::Options::new(WIDTH)
        .initial_indent(first)
        .subsequent_indent(rest)
        .break_words(false)
        .word_splitter(textwrap::WordSplitter::NoHyphenation)
        // Break only at ASCII spaces (no-break spaces hold numbers
        // together), filling each line in turn as `fmt` does: Unicode line
        // segmentation and optimal fit cost more than the rest of the
        // plain-text renderer together.
        .word_separator(textwrap::WordSeparator::AsciiSpace)
        .wrap_algorithm(textwrap::WrapAlgorithm::FirstFit);
    let mut s = textwrap::fill(&text, opts);
    s.push('\n');
    s
}
