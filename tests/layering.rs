//! The module import graph of `src/`: no import cycles, and layers import
//! one way only (issue 12).
//!
//! The graph is read from the source text, in plain Rust: a module (a file,
//! or an inline `mod x { .. }`) imports another when it has a `use` of it
//! (`use crate::x`, `use super::x`, `use self::x`, `use child::x`, and
//! `use signpost::x` in `main.rs`) or names a path into it (`crate::x::f()`,
//! `super::x::T`). A parent's bare `child::f()` paths are not read: a
//! parent may call the children it declares. Comments, strings and
//! `#[cfg(test)]` modules and imports do not count.
//!
//! `layers_import_one_way_and_no_cycles` lists every violation: modules
//! with no layer in [`LAYERS`], import cycles (a strongly connected
//! component of more than one module), and imports from a lower layer into
//! a higher one. It runs with every `cargo test`.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// The layers, lowest first. A module may import modules of its own layer
/// and of lower layers only. An entry names a module and everything under
/// it (`render` is `render/mod.rs` and `render/*.rs`); the longest entry
/// that matches a module decides its layer. `lib` is the crate root.
const LAYERS: &[(&str, &[&str])] = &[
    (
        "base",
        &[
            "builtin",
            "chart",
            "codes",
            "config",
            "contact",
            "diagnostics",
            "fault",
            "frontmatter",
            "i18n",
            "lock",
            "markdown",
            "minify",
            "sanitise",
        ],
    ),
    ("typeset", &["print", "braille"]),
    ("source", &["source"]),
    ("model", &["model", "urls", "format"]),
    ("lint", &["lint"]),
    ("render", &["render", "theme"]),
    ("extensions", &["directory", "search"]),
    ("output", &["output", "offline"]),
    ("top", &["fuzzing", "lib", "main", "scaffold", "serve"]),
];

// ---------------------------------------------------------------------------
// Reading the source

/// Tokens that matter for paths: identifiers and punctuation.
#[derive(Debug, Clone, PartialEq)]
enum Tok {
    Ident(String),
    /// `::`
    Path,
    Punct(char),
}

/// Splits Rust source into tokens, dropping comments, string, char and
/// number literals and lifetimes. Each token carries its line.
fn tokens(src: &str) -> Vec<(Tok, usize)> {
    let b: Vec<char> = src.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    let mut line = 1;
    while i < b.len() {
        let c = b[i];
        let next = b.get(i + 1).copied();
        if c == '\n' {
            line += 1;
            i += 1;
        } else if c.is_whitespace() {
            i += 1;
        } else if c == '/' && next == Some('/') {
            while i < b.len() && b[i] != '\n' {
                i += 1;
            }
        } else if c == '/' && next == Some('*') {
            let mut depth = 0;
            while i < b.len() {
                if b[i] == '/' && b.get(i + 1) == Some(&'*') {
                    depth += 1;
                    i += 2;
                } else if b[i] == '*' && b.get(i + 1) == Some(&'/') {
                    depth -= 1;
                    i += 2;
                    if depth == 0 {
                        break;
                    }
                } else {
                    if b[i] == '\n' {
                        line += 1;
                    }
                    i += 1;
                }
            }
        } else if let Some(len) = raw_string_start(&b, i) {
            // r"..", r#".."#, br#".."#: ends at a quote and as many hashes.
            let hashes = b[i..i + len].iter().filter(|&&h| h == '#').count();
            i += len;
            while i < b.len() {
                if b[i] == '"'
                    && b[i + 1..]
                        .iter()
                        .take(hashes)
                        .filter(|&&h| h == '#')
                        .count()
                        == hashes
                {
                    i += 1 + hashes;
                    break;
                }
                if b[i] == '\n' {
                    line += 1;
                }
                i += 1;
            }
        } else if c == '"' || (c == 'b' && next == Some('"')) {
            i += if c == 'b' { 2 } else { 1 };
            while i < b.len() && b[i] != '"' {
                if b[i] == '\\' {
                    i += 1;
                }
                if b.get(i) == Some(&'\n') {
                    line += 1;
                }
                i += 1;
            }
            i += 1;
        } else if c == '\'' {
            // A char literal ('a', '\n', '\u{1F600}') or a lifetime ('a).
            if next == Some('\\') {
                i += 2;
                while i < b.len() && b[i] != '\'' {
                    i += 1;
                }
                i += 1;
            } else if b.get(i + 2) == Some(&'\'') {
                i += 3;
            } else {
                i += 1;
                while i < b.len() && (b[i].is_alphanumeric() || b[i] == '_') {
                    i += 1;
                }
            }
        } else if c.is_ascii_digit() {
            while i < b.len() && (b[i].is_alphanumeric() || b[i] == '_') {
                i += 1;
            }
        } else if c.is_alphabetic() || c == '_' {
            let start = i;
            while i < b.len() && (b[i].is_alphanumeric() || b[i] == '_') {
                i += 1;
            }
            let word: String = b[start..i].iter().collect();
            let word = word.strip_prefix("r#").unwrap_or(&word).to_string();
            out.push((Tok::Ident(word), line));
        } else if c == ':' && next == Some(':') {
            out.push((Tok::Path, line));
            i += 2;
        } else {
            out.push((Tok::Punct(c), line));
            i += 1;
        }
    }
    out
}

/// The length of a raw string's opening (`r#"`, `br"`), if one starts at `i`.
fn raw_string_start(b: &[char], i: usize) -> Option<usize> {
    let mut j = i;
    if b.get(j) == Some(&'b') {
        j += 1;
    }
    if b.get(j) != Some(&'r') {
        return None;
    }
    // Not the end of an identifier such as `bar"`.
    if i > 0 && (b[i - 1].is_alphanumeric() || b[i - 1] == '_') {
        return None;
    }
    j += 1;
    while b.get(j) == Some(&'#') {
        j += 1;
    }
    (b.get(j) == Some(&'"')).then_some(j + 1 - i)
}

/// One path a module names, with where.
#[derive(Debug, Clone)]
struct Mention {
    /// The module that names it (`render::html`; `` for the crate root).
    from: String,
    /// The path from the crate root, or relative as written (resolved
    /// later): (`crate`|`super`|`self`|`signpost`|name, segments..).
    path: Vec<String>,
    line: usize,
}

/// A file's modules (its own and its inline ones) and the paths they name.
struct FileRead {
    modules: Vec<String>,
    mentions: Vec<Mention>,
}

/// Reads one file whose module path is `module` (`` for the crate root).
fn read_file(module: &str, src: &str) -> FileRead {
    let toks = tokens(src);
    let mut modules = vec![module.to_string()];
    let mut mentions = Vec::new();
    // Inline modules open: (module path, brace depth inside it).
    let mut stack: Vec<(String, usize)> = vec![(module.to_string(), 0)];
    let mut depth = 0usize;
    let mut cfg_test = false;
    let mut i = 0;
    let ident = |i: usize| match toks.get(i) {
        Some((Tok::Ident(w), _)) => Some(w.as_str()),
        _ => None,
    };
    let punct = |i: usize, c: char| matches!(toks.get(i), Some((Tok::Punct(p), _)) if *p == c);
    let is_path = |i: usize| matches!(toks.get(i), Some((Tok::Path, _)));
    while i < toks.len() {
        let here = stack.last().map(|s| s.0.clone()).unwrap_or_default();
        let line = toks[i].1;
        // `#[...]`: remember `cfg(test)`.
        if punct(i, '#') && punct(i + 1, '[') {
            let mut j = i + 2;
            let mut level = 1;
            let start = j;
            while j < toks.len() && level > 0 {
                if punct(j, '[') {
                    level += 1;
                } else if punct(j, ']') {
                    level -= 1;
                }
                j += 1;
            }
            let attr: Vec<&Tok> = toks[start..j.saturating_sub(1)]
                .iter()
                .map(|t| &t.0)
                .collect();
            if attr.len() == 4
                && attr[0] == &Tok::Ident("cfg".into())
                && attr[2] == &Tok::Ident("test".into())
            {
                cfg_test = true;
            }
            i = j;
            continue;
        }
        match ident(i) {
            Some("mod") if ident(i + 1).is_some() && punct(i + 2, '{') => {
                let name = ident(i + 1).unwrap_or_default();
                if cfg_test {
                    // Skip the whole test module.
                    let mut level = 0;
                    let mut j = i + 2;
                    while j < toks.len() {
                        if punct(j, '{') {
                            level += 1;
                        } else if punct(j, '}') {
                            level -= 1;
                            if level == 0 {
                                break;
                            }
                        }
                        j += 1;
                    }
                    i = j + 1;
                } else {
                    let path = join(&here, name);
                    modules.push(path.clone());
                    depth += 1;
                    stack.push((path, depth));
                    i += 3;
                }
                cfg_test = false;
                continue;
            }
            Some("use") => {
                let mut j = i + 1;
                let mut paths = Vec::new();
                use_tree(&toks, &mut j, Vec::new(), &mut paths);
                if !cfg_test {
                    for path in paths {
                        mentions.push(Mention {
                            from: here.clone(),
                            path,
                            line,
                        });
                    }
                }
                cfg_test = false;
                i = j;
                continue;
            }
            Some(w @ ("crate" | "super" | "self" | "signpost"))
                if is_path(i + 1)
                    && !is_path(i.wrapping_sub(1))
                    && !punct(i.wrapping_sub(1), '$') =>
            {
                let mut path = vec![w.to_string()];
                let mut j = i + 1;
                while is_path(j) {
                    match ident(j + 1) {
                        Some(seg) => path.push(seg.to_string()),
                        None => break,
                    }
                    j += 2;
                }
                mentions.push(Mention {
                    from: here.clone(),
                    path,
                    line,
                });
                i = j;
                continue;
            }
            _ => {}
        }
        if punct(i, '{') {
            depth += 1;
        } else if punct(i, '}') {
            if stack.len() > 1 && stack.last().map(|s| s.1) == Some(depth) {
                stack.pop();
            }
            depth = depth.saturating_sub(1);
        }
        if punct(i, ';') || punct(i, '{') || punct(i, '}') {
            cfg_test = false;
        }
        i += 1;
    }
    FileRead { modules, mentions }
}

/// Reads a use tree from `toks[*j]` up to its end (`;`, `,` or `}`),
/// pushing every full path it names (a glob or `self` names its prefix).
fn use_tree(toks: &[(Tok, usize)], j: &mut usize, prefix: Vec<String>, out: &mut Vec<Vec<String>>) {
    let mut path = prefix;
    // A leading `::` names an external crate.
    if matches!(toks.get(*j), Some((Tok::Path, _))) {
        path.push("::".into());
        *j += 1;
    }
    loop {
        match toks.get(*j).map(|t| &t.0) {
            Some(Tok::Ident(w)) if w == "as" => {
                *j += 2;
            }
            Some(Tok::Ident(w)) => {
                if w != "self" || path.is_empty() {
                    path.push(w.clone());
                }
                *j += 1;
            }
            Some(Tok::Path) => *j += 1,
            Some(Tok::Punct('*')) => *j += 1,
            Some(Tok::Punct('{')) => {
                *j += 1;
                loop {
                    match toks.get(*j).map(|t| &t.0) {
                        Some(Tok::Punct('}')) => {
                            *j += 1;
                            break;
                        }
                        Some(Tok::Punct(',')) => *j += 1,
                        None => return,
                        _ => use_tree(toks, j, path.clone(), out),
                    }
                }
                return;
            }
            _ => {
                if matches!(toks.get(*j), Some((Tok::Punct(';'), _))) {
                    *j += 1;
                }
                out.push(path);
                return;
            }
        }
    }
}

fn join(parent: &str, name: &str) -> String {
    if parent.is_empty() {
        name.to_string()
    } else {
        format!("{parent}::{name}")
    }
}

fn parent_of(module: &str) -> String {
    module
        .rsplit_once("::")
        .map(|(p, _)| p.to_string())
        .unwrap_or_default()
}

/// The module a mention lands in: the longest known module its path
/// starts with. `None` for other crates (std, serde, ..).
fn resolve(m: &Mention, modules: &BTreeSet<String>, in_main: bool) -> Option<String> {
    let mut segs = m.path.iter().map(String::as_str);
    let first = segs.next()?;
    let mut base = match first {
        "::" => return None,
        // In `main.rs`, `crate` is the binary; the library is `signpost`.
        "crate" if in_main => return None,
        "crate" | "signpost" => String::new(),
        "self" => m.from.clone(),
        "super" => parent_of(&m.from),
        name => {
            // `use child::x` (2018 paths): a module of this module.
            let child = join(&m.from, name);
            if !modules.contains(&child) {
                return None;
            }
            child
        }
    };
    let mut found = base.clone();
    for seg in segs {
        if seg == "super" {
            base = parent_of(&base);
            found = base.clone();
            continue;
        }
        base = join(&base, seg);
        if modules.contains(&base) {
            found = base.clone();
        } else {
            break;
        }
    }
    Some(found)
}

/// The module graph: for each module, the modules it imports, with the
/// file and line of the first import and the path it names.
type Graph = BTreeMap<String, BTreeMap<String, String>>;

fn display(module: &str) -> &str {
    if module.is_empty() { "lib" } else { module }
}

/// Reads `src/` into a graph. Modules are named as in `crate::` paths;
/// the crate root is `lib` and the binary's root `main`.
fn read_src(src: &Path) -> Graph {
    let mut files = Vec::new();
    collect(src, &mut files);
    files.sort();
    let mut reads = Vec::new();
    let mut modules = BTreeSet::new();
    for file in &files {
        let rel = file
            .strip_prefix(src)
            .unwrap_or(file)
            .to_string_lossy()
            .replace('\\', "/");
        let rel = rel.trim_end_matches(".rs");
        let module = match rel {
            "lib" => String::new(),
            "main" => "main".to_string(),
            r => r.trim_end_matches("/mod").replace('/', "::"),
        };
        let text = std::fs::read_to_string(file)
            .unwrap_or_else(|e| panic!("{} should be readable: {e}", file.display()));
        let read = read_file(&module, &text);
        modules.extend(read.modules.iter().cloned());
        reads.push((format!("src/{rel}.rs"), read));
    }
    let mut graph = Graph::new();
    for (file, read) in &reads {
        let in_main = file == "src/main.rs";
        for m in &read.modules {
            graph.entry(display(m).to_string()).or_default();
        }
        for m in &read.mentions {
            let Some(to) = resolve(m, &modules, in_main) else {
                continue;
            };
            if to == m.from {
                continue;
            }
            graph
                .entry(display(&m.from).to_string())
                .or_default()
                .entry(display(&to).to_string())
                .or_insert_with(|| format!("{file}:{} ({})", m.line, m.path.join("::")));
        }
    }
    graph
}

fn collect(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    let entries = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{} should be readable: {e}", dir.display()));
    for entry in entries.filter_map(Result::ok) {
        let path = entry.path();
        if path.is_dir() {
            collect(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

// ---------------------------------------------------------------------------
// Checking the graph

/// Strongly connected components of more than one module (Tarjan), each
/// sorted, in a stable order.
fn cycles(graph: &Graph) -> Vec<Vec<String>> {
    struct State<'a> {
        graph: &'a Graph,
        index: BTreeMap<&'a str, usize>,
        low: BTreeMap<&'a str, usize>,
        on_stack: BTreeSet<&'a str>,
        stack: Vec<&'a str>,
        found: Vec<Vec<String>>,
    }
    fn visit<'a>(s: &mut State<'a>, v: &'a str) {
        let n = s.index.len();
        s.index.insert(v, n);
        s.low.insert(v, n);
        s.stack.push(v);
        s.on_stack.insert(v);
        let targets: Vec<&'a str> = s
            .graph
            .get(v)
            .map(|t| t.keys().map(String::as_str).collect())
            .unwrap_or_default();
        for w in targets {
            if !s.index.contains_key(w) {
                visit(s, w);
                let lw = s.low[w];
                let lv = s.low.get_mut(v).expect("visited");
                *lv = (*lv).min(lw);
            } else if s.on_stack.contains(w) {
                let iw = s.index[w];
                let lv = s.low.get_mut(v).expect("visited");
                *lv = (*lv).min(iw);
            }
        }
        if s.low[v] == s.index[v] {
            let mut component = Vec::new();
            while let Some(w) = s.stack.pop() {
                s.on_stack.remove(w);
                component.push(w.to_string());
                if w == v {
                    break;
                }
            }
            if component.len() > 1 {
                component.sort();
                s.found.push(component);
            }
        }
    }
    let mut s = State {
        graph,
        index: BTreeMap::new(),
        low: BTreeMap::new(),
        on_stack: BTreeSet::new(),
        stack: Vec::new(),
        found: Vec::new(),
    };
    for v in graph.keys() {
        if !s.index.contains_key(v.as_str()) {
            visit(&mut s, v);
        }
    }
    s.found.sort();
    s.found
}

/// The layer of a module: the position in `layers` of the longest entry
/// that is the module or one of its ancestors.
fn layer_of(module: &str, layers: &[(&str, &[&str])]) -> Option<usize> {
    let mut best: Option<(usize, usize)> = None;
    for (n, (_, entries)) in layers.iter().enumerate() {
        for e in entries.iter() {
            let hit = module == *e || module.starts_with(&format!("{e}::"));
            if hit && best.is_none_or(|(len, _)| e.len() > len) {
                best = Some((e.len(), n));
            }
        }
    }
    best.map(|(_, n)| n)
}

/// Every violation of the rules, one line each.
fn violations(graph: &Graph, layers: &[(&str, &[&str])]) -> Vec<String> {
    let mut out = Vec::new();
    for module in graph.keys() {
        if layer_of(module, layers).is_none() {
            out.push(format!(
                "no layer: `{module}` is in no layer of LAYERS (tests/layering.rs); add it to one"
            ));
        }
    }
    for component in cycles(graph) {
        let mut line = format!(
            "cycle of {} modules: {}",
            component.len(),
            component.join(", ")
        );
        for from in &component {
            for (to, at) in &graph[from] {
                if component.contains(to) {
                    line.push_str(&format!("\n    {from} -> {to}  at {at}"));
                }
            }
        }
        out.push(line);
    }
    for (from, targets) in graph {
        let Some(lf) = layer_of(from, layers) else {
            continue;
        };
        for (to, at) in targets {
            let Some(lt) = layer_of(to, layers) else {
                continue;
            };
            if lt > lf {
                out.push(format!(
                    "upward: {from} ({}) imports {to} ({})  at {at}",
                    layers[lf].0, layers[lt].0
                ));
            }
        }
    }
    out
}

#[test]
fn layers_import_one_way_and_no_cycles() {
    let graph = read_src(&Path::new(env!("CARGO_MANIFEST_DIR")).join("src"));
    let found = violations(&graph, LAYERS);
    assert!(
        found.is_empty(),
        "{} layering violations in src/:\n{}\n",
        found.len(),
        found.join("\n")
    );
}

// ---------------------------------------------------------------------------
// The checker's own tests: they run on every `cargo test`.

fn made_up(edges: &[(&str, &str)]) -> Graph {
    let mut g = Graph::new();
    for (a, b) in edges {
        g.entry(b.to_string()).or_default();
        g.entry(a.to_string())
            .or_default()
            .insert(b.to_string(), "made up".into());
    }
    g
}

#[test]
fn cycle_finder_finds_every_cycle_and_nothing_else() {
    let g = made_up(&[
        ("a", "b"),
        ("b", "c"),
        ("c", "a"),
        ("c", "d"),
        ("d", "e"),
        ("e", "d"),
        ("e", "f"),
        ("g", "f"),
    ]);
    assert_eq!(
        cycles(&g),
        vec![vec!["a", "b", "c"], vec!["d", "e"]],
        "two loops, and f, g in none"
    );
    assert!(cycles(&made_up(&[("a", "b"), ("b", "c"), ("a", "c")])).is_empty());
}

#[test]
fn layer_check_flags_upward_imports_and_unplaced_modules() {
    let layers: &[(&str, &[&str])] = &[("low", &["config", "render::util"]), ("high", &["render"])];
    assert_eq!(layer_of("render::html", layers), Some(1));
    assert_eq!(layer_of("render::util", layers), Some(0));
    assert_eq!(layer_of("renderer", layers), None);
    let g = made_up(&[
        ("render", "config"),
        ("config", "render::html"),
        ("render::util", "config"),
        ("config", "stray"),
    ]);
    let v = violations(&g, layers);
    assert_eq!(v.len(), 2, "{v:#?}");
    assert!(v[0].starts_with("no layer: `stray`"), "{v:#?}");
    assert!(
        v[1].starts_with("upward: config (low) imports render::html (high)"),
        "{v:#?}"
    );
}

#[test]
fn reader_follows_use_trees_paths_and_test_modules() {
    let src = r##"
//! Doc: [`crate::render::Nope`] does not count.
use std::fmt;
use crate::{config::SiteConfig, render::{self, html::Page}};
use super::sibling::*;
use child::Thing;
mod child {
    use super::super::codes::Code;
}
#[cfg(test)]
mod tests {
    use crate::serve::Server;
}
#[cfg(test)]
use crate::output::Stage;
fn f() -> &'static str {
    let _ = crate::model::Site::new();
    let _c = 'x';
    "crate::theme::Theme"
}
"##;
    let read = read_file("lint", src);
    assert_eq!(read.modules, vec!["lint", "lint::child"]);
    let modules: BTreeSet<String> = [
        "",
        "config",
        "render",
        "render::html",
        "sibling",
        "lint",
        "lint::child",
        "codes",
        "model",
        "serve",
        "output",
        "theme",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    let found: Vec<(String, String)> = read
        .mentions
        .iter()
        .filter_map(|m| resolve(m, &modules, false).map(|to| (m.from.clone(), to)))
        .collect();
    let pairs: Vec<(&str, &str)> = found
        .iter()
        .map(|(a, b)| (a.as_str(), b.as_str()))
        .collect();
    assert_eq!(
        pairs,
        vec![
            ("lint", "config"),
            ("lint", "render"),
            ("lint", "render::html"),
            ("lint", "sibling"),
            ("lint", "lint::child"),
            ("lint::child", "codes"),
            ("lint", "model"),
        ]
    );
}

#[test]
fn the_real_source_is_read() {
    let graph = read_src(&Path::new(env!("CARGO_MANIFEST_DIR")).join("src"));
    assert!(graph.len() > 20, "{:?}", graph.keys());
    // Edges that any layout of the code keeps.
    assert!(graph["main"].contains_key("lib"), "{:?}", graph["main"]);
    assert!(
        graph["lib"].contains_key("diagnostics"),
        "{:?}",
        graph["lib"]
    );
    assert!(graph.contains_key("builtin"));
}
