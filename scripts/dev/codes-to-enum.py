#!/usr/bin/env python3
"""Rewrites diagnostic code literals in src/ to the typed enum.

    python3 scripts/dev/codes-to-enum.py && cargo fmt

Every string literal in src/**/*.rs (except src/codes.rs) that is exactly a
code of the catalogue, such as "SRC001", becomes `Code::SRC001`, and the
file gets `use crate::codes::Code;` if it has no import of `Code` yet: at the
top of the file, or inside its `#[cfg(test)] mod tests` when every rewritten
literal is in that module (so that no build has an unused import).

The codes are read from the catalogue in src/codes.rs (its lines
`CODE E "title"` or, before the enum, `"CODE" E "title"`). Literals that are
not codes of the catalogue are left alone; so are codes in comments, in
longer strings and in tests/ (those compare JSON output or printed text,
which keep the codes as text).

Idempotent: a second run changes nothing. After a run, `cargo build` names
what the script cannot change: code that treats a code as text (write
`code.as_str()`), and functions that take a code as `&'static str` (make them
take `Code`).
"""

import pathlib
import re
import sys

ROOT = pathlib.Path(__file__).resolve().parents[2]
SRC = ROOT / "src"
CATALOGUE = SRC / "codes.rs"


def catalogue_codes():
    text = CATALOGUE.read_text(encoding="utf-8")
    codes = re.findall(r'^\s+"?([A-Z][A-Z0-9]*[0-9]{3})"?\s+[EW]\s+"', text, re.M)
    if not codes:
        sys.exit(f"no codes found in {CATALOGUE}")
    return set(codes)


def test_module_start(lines):
    """Index of the `mod tests {` line that follows `#[cfg(test)]`, if any."""
    for i, line in enumerate(lines):
        if line.strip() == "#[cfg(test)]" and i + 1 < len(lines):
            if re.match(r"^mod \w+ \{$", lines[i + 1]):
                return i + 1
    return None


def has_code_import(text):
    return re.search(r"^\s*use crate::codes::(Code;|\{[^}]*\bCode\b)", text, re.M)


def add_import(lines, rewritten):
    start = test_module_start(lines)
    if start is not None and all(i > start for i in rewritten):
        # Inside the test module, after its first `use` line.
        at = start + 1
        for j in range(start + 1, len(lines)):
            if lines[j].startswith("    use "):
                at = j + 1
                break
            if lines[j].strip() and not lines[j].startswith("    #"):
                break
        lines.insert(at, "    use crate::codes::Code;")
        return
    # Top level: after the last `use crate::` line before any item, or the
    # last `use` line, or the module doc.
    last_crate = last_use = None
    doc_end = 0
    for j, line in enumerate(lines):
        if line.startswith("//!") or (not line.strip() and last_use is None):
            doc_end = j + 1
            continue
        if line.startswith("use crate::"):
            last_crate = j
        if line.startswith("use "):
            last_use = j
            # A use tree over several lines ends at its `};`.
            k = j
            while not lines[k].rstrip().endswith(";"):
                k += 1
            if line.startswith("use crate::"):
                last_crate = k
            last_use = k
            continue
        if line.strip() and last_use is not None and not line.startswith((" ", "}")):
            break
    at = (last_crate if last_crate is not None else last_use)
    if at is None:
        lines.insert(doc_end, "use crate::codes::Code;")
        lines.insert(doc_end + 1, "")
    else:
        lines.insert(at + 1, "use crate::codes::Code;")


def comment_start(line):
    """Where a `//` comment starts in a line, outside string literals."""
    in_str = False
    i = 0
    while i < len(line):
        c = line[i]
        if in_str:
            if c == "\\":
                i += 1
            elif c == '"':
                in_str = False
        elif c == '"':
            in_str = True
        elif line.startswith("//", i):
            return i
        i += 1
    return len(line)


def convert(path, codes):
    text = path.read_text(encoding="utf-8")
    lines = text.split("\n")
    literal = re.compile(r'"([A-Z][A-Z0-9]*[0-9]{3})"')
    rewritten = []
    for i, line in enumerate(lines):
        # Only rewrite outside line comments.
        cut = comment_start(line)
        code_part = line[:cut]
        new = literal.sub(
            lambda m: f"Code::{m.group(1)}" if m.group(1) in codes else m.group(0),
            code_part,
        )
        if new != code_part:
            lines[i] = new + line[cut:]
            rewritten.append(i)
    if not rewritten:
        return False
    new_text = "\n".join(lines)
    if not has_code_import(new_text):
        add_import(lines, rewritten)
        new_text = "\n".join(lines)
    path.write_text(new_text, encoding="utf-8")
    return True


def main():
    codes = catalogue_codes()
    changed = [
        p.relative_to(ROOT)
        for p in sorted(SRC.rglob("*.rs"))
        if p != CATALOGUE and convert(p, codes)
    ]
    for p in changed:
        print(f"rewrote {p}")
    print(f"{len(changed)} files changed; now run `cargo fmt` and `cargo build`")


if __name__ == "__main__":
    main()
