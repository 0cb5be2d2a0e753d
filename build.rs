//! Embeds the built-in theme (`themes/default/`) and interface strings
//! (`translations/`) into the binary, so a folder holding only `site.yaml`
//! and `content/` builds a complete site.
use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

fn collect(dir: &Path, root: &Path, out: &mut Vec<(String, PathBuf)>) {
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    let mut entries: Vec<_> = entries.filter_map(Result::ok).collect();
    entries.sort_by_key(|e| e.file_name());
    for entry in entries {
        let path = entry.path();
        if path.is_dir() {
            collect(&path, root, out);
        } else if let Ok(rel) = path.strip_prefix(root) {
            let rel = rel.to_string_lossy().replace('\\', "/");
            out.push((rel, path));
        }
    }
}

fn main() {
    let root = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").unwrap_or_default());
    let mut files = Vec::new();
    collect(
        &root.join("themes/default"),
        &root.join("themes/default"),
        &mut files,
    );
    let mut strings = Vec::new();
    collect(
        &root.join("translations"),
        &root.join("translations"),
        &mut strings,
    );
    println!("cargo:rerun-if-changed=themes/default");
    println!("cargo:rerun-if-changed=translations");
    for (_, p) in files.iter().chain(strings.iter()) {
        println!("cargo:rerun-if-changed={}", p.display());
    }
    let out = PathBuf::from(std::env::var("OUT_DIR").unwrap_or_default()).join("builtin.rs");
    let mut code = String::new();
    code.push_str("/// Files of the built-in default theme, relative to `themes/default/`.\n");
    code.push_str("pub static THEME_FILES: &[(&str, &[u8])] = &[\n");
    for (rel, path) in &files {
        code.push_str(&format!(
            "    ({rel:?}, include_bytes!({:?})),\n",
            path.display().to_string()
        ));
    }
    code.push_str("];\n/// Built-in interface strings, relative to `translations/`.\n");
    code.push_str("pub static STRING_FILES: &[(&str, &[u8])] = &[\n");
    for (rel, path) in &strings {
        code.push_str(&format!(
            "    ({rel:?}, include_bytes!({:?})),\n",
            path.display().to_string()
        ));
    }
    code.push_str("];\n");
    let mut f = fs::File::create(out).expect("OUT_DIR is writable"); // ok: build script
    f.write_all(code.as_bytes()).expect("OUT_DIR is writable"); // ok: build script
}
