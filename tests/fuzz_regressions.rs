//! Replays the kept fuzz corpus (`fuzz/corpus/TARGET/`) through the same
//! entry points the cargo-fuzz targets use (`signpost::fuzzing`), so every
//! input that once found a bug (or reached new code) is checked by a plain
//! `cargo test`, without nightly Rust or libFuzzer.
//!
//! Each target also runs a short, deterministic mutation loop over its
//! corpus (byte flips, insertions, truncations and splices driven by a
//! fixed-seed generator), a cheap stand-in for fuzzing on machines without
//! cargo-fuzz. `SIGNPOST_FUZZ_ROUNDS=N` runs N mutations per target instead
//! of the default.

use std::path::{Path, PathBuf};

use signpost::codes::Code;

fn corpus(target: &str) -> Vec<(PathBuf, Vec<u8>)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fuzz/corpus")
        .join(target);
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{} should hold the {target} corpus: {e}", dir.display()))
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.is_file())
        .collect();
    files.sort();
    assert!(!files.is_empty(), "the {target} corpus is empty");
    files
        .into_iter()
        .map(|p| {
            let bytes = std::fs::read(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()));
            (p, bytes)
        })
        .collect()
}

/// Runs `f` on one input, naming the input if it panics.
fn replay(name: &str, data: &[u8], f: fn(&[u8])) {
    let result = std::panic::catch_unwind(|| f(data));
    if let Err(e) = result {
        let msg = e
            .downcast_ref::<String>()
            .cloned()
            .or_else(|| e.downcast_ref::<&str>().map(|s| s.to_string()))
            .unwrap_or_default();
        panic!(
            "{name} ({} bytes: {:?}) failed: {msg}",
            data.len(),
            String::from_utf8_lossy(&data[..data.len().min(300)])
        );
    }
}

/// A small fixed-seed generator (xorshift64*), so runs are repeatable.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            (self.next() % n as u64) as usize
        }
    }
}

/// Bytes that matter to the parsers: YAML, markdown and HTML punctuation.
const INTERESTING: &[&[u8]] = &[
    b"---\n",
    b"\n",
    b"\r\n",
    b":",
    b"- ",
    b"[",
    b"]",
    b"{",
    b"}",
    b"\"",
    b"'",
    b"#",
    b"*",
    b"_",
    b"`",
    b"```",
    b">",
    b"<",
    b"</",
    b"<script>",
    b"<div>",
    b"<span lang=cy>",
    b"](",
    b")",
    b"![",
    b"|",
    b"|--|",
    b"&#",
    b";",
    b"%",
    b"%e",
    b"\xef\xbb\xbf",
    b"\xc3\xa9",
    b"\xd8\xb9",
    b"\xf0\x9f\x98\x80",
    b"\t",
    b"    ",
    b"\\",
    b"{#id onclick=x}",
    b"javascript:",
    b"symbol:",
    b"2026-02-30",
    b"title:",
    b"summary:",
    b"slug:",
    b"aliases:",
    b"!!",
    b"&",
];

fn mutate(rng: &mut Rng, input: &[u8], others: &[(PathBuf, Vec<u8>)]) -> Vec<u8> {
    let mut data = input.to_vec();
    for _ in 0..1 + rng.below(4) {
        let at = rng.below(data.len() + 1);
        match rng.below(6) {
            0 if !data.is_empty() => {
                let i = rng.below(data.len());
                data[i] ^= 1 << rng.below(8);
            }
            1 => {
                let piece = INTERESTING[rng.below(INTERESTING.len())];
                data.splice(at..at, piece.iter().copied());
            }
            2 => data.truncate(at),
            3 if !data.is_empty() => {
                let end = (at + rng.below(64)).min(data.len());
                data.drain(at..end);
            }
            4 => {
                let (_, other) = &others[rng.below(others.len())];
                let from = rng.below(other.len() + 1);
                let to = (from + rng.below(256)).min(other.len());
                data.splice(at..at, other[from..to].iter().copied());
            }
            _ => {
                // Repeat a piece: long lines and deep nesting.
                let end = (at + 1 + rng.below(8)).min(data.len());
                let piece = data[at.min(end)..end].to_vec();
                let times = 1 + rng.below(200);
                for _ in 0..times {
                    data.splice(at..at, piece.iter().copied());
                }
            }
        }
    }
    data
}

/// Mutations to run in all (`SIGNPOST_FUZZ_ROUNDS` overrides).
fn rounds(default: usize) -> usize {
    std::env::var("SIGNPOST_FUZZ_ROUNDS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn run_target(target: &str, f: fn(&[u8]), default_rounds: usize) {
    let inputs = corpus(target);
    for (path, data) in &inputs {
        replay(&path.display().to_string(), data, f);
    }
    let mut rng = Rng(0x5167_6e70_6f73_7421);
    for round in 0..rounds(default_rounds) {
        let (path, data) = &inputs[round % inputs.len()];
        let m = mutate(&mut rng, data, &inputs);
        replay(&format!("{} mutation {round}", path.display()), &m, f);
    }
}

#[test]
fn front_matter_corpus() {
    run_target("front_matter", signpost::fuzzing::front_matter, 3_000);
}

#[test]
fn page_corpus() {
    run_target("page", |d| drop(signpost::fuzzing::page(d)), 150);
}

#[test]
fn service_entry_corpus() {
    run_target("service_entry", signpost::fuzzing::service_entry, 3_000);
}

/// Inputs that once broke something, kept here with what they broke.
#[test]
fn known_bugs_stay_fixed() {
    // A `%` before a multi-byte letter in a link split the letter (panic).
    signpost::fuzzing::page(b"See [x](%a\xc3\xa9) and [y](%\xc3\xa9x).\n");
    // `{onclick=...}` heading attributes reached the HTML.
    let files = signpost::fuzzing::page(b"## Hi {#a onclick=alert(1) style=color:red}\n");
    assert!(files.iter().any(|f| f.path.ends_with("index.html")));
    // Thousands of nested quotes overflowed the minifier's stack.
    signpost::fuzzing::page(format!("{} deep\n", ">".repeat(5_000)).as_bytes());
    // A date's error pointed at the top of the front matter, not its line.
    let text = "---\ntitle: A\nsummary: B\nupdated: 2026-02-30\n---\n";
    let file = signpost::diagnostics::SourceText::new("a.md", text);
    let split = signpost::frontmatter::split(&file, text).expect("front matter");
    let e = signpost::frontmatter::parse(&file, &split).expect_err("an impossible date");
    assert_eq!((e.code, e.line), (Code::FM007, Some(4)), "{e:?}");
    // A name with no letters or digits made the page's address `/`, and
    // the build wrote to the root of the file system.
    assert!(!signpost::urls::is_inside("/index.html"));
    assert!(!signpost::urls::is_inside("a/../../x"));
    assert!(!signpost::urls::is_inside("a//b"));
    assert!(signpost::urls::is_inside("a b/index.html"));
}
