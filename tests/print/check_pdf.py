"""Reads a PDF's accessibility structure and prints it as JSON.

Used by tests/print_pdf.rs: `python check_pdf.py FILE.pdf`. Prints the
catalogue's /Lang, whether it is marked as tagged, its title (and whether
the viewer shows it), the PDF/UA identification in its XMP metadata, the
outline (bookmark) titles, every structure element's type in reading order
with its /Lang and /Alt, and the page_validation checker's verdict when
that package (import name `page`) is installed.
"""

import json
import sys

import pikepdf


def text(value):
    if value is None:
        return None
    return str(value)


def walk(node, out, depth=0):
    if isinstance(node, pikepdf.Array):
        for kid in node:
            walk(kid, out, depth)
        return
    if not isinstance(node, pikepdf.Dictionary):
        return
    if "/S" in node:
        out.append(
            {
                "type": str(node.S)[1:],
                "lang": text(node.get("/Lang")),
                "alt": text(node.get("/Alt")),
                "depth": depth,
            }
        )
        depth += 1
    kids = node.get("/K")
    if kids is not None:
        walk(kids, out, depth)


def outline(pdf):
    titles = []
    with pdf.open_outline() as o:
        stack = list(o.root)
        while stack:
            item = stack.pop(0)
            titles.append(item.title)
            stack = list(item.children) + stack
    return titles


def validate(path):
    """The page_validation (PyPI `page-validation`) PDF/UA-1 verdict."""
    try:
        import page
    except ImportError:
        return None
    report = page.validate_pdf(path, profile=page.ValidationProfile.PDF_UA_1)
    return {
        "compliant": report.is_compliant,
        "rules_failed": report.rules.failed,
        "rules_passed": report.rules.passed,
        "failures": [
            {"rule": f.rule_id, "message": f.message} for f in report.failures[:20]
        ],
    }


def main():
    path = sys.argv[1]
    pdf = pikepdf.open(path)
    root = pdf.Root
    mark = root.get("/MarkInfo")
    viewer = root.get("/ViewerPreferences")
    xmp = pdf.open_metadata()
    elems = []
    tree = root.get("/StructTreeRoot")
    if tree is not None:
        walk(tree.get("/K"), elems)
    report = {
        "lang": text(root.get("/Lang")),
        "marked": bool(mark.get("/Marked")) if mark is not None else False,
        "title": text(pdf.docinfo.get("/Title")),
        "display_title": bool(viewer.get("/DisplayDocTitle")) if viewer is not None else False,
        "pdfua_part": xmp.get("pdfuaid:part"),
        "outline": outline(pdf),
        "elements": elems,
        "pages": len(pdf.pages),
        "validation": validate(path),
    }
    print(json.dumps(report, ensure_ascii=False))


if __name__ == "__main__":
    main()
