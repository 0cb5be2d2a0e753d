#[test]
fn scratch() {
    let text = &std::fs::read_to_string("/tmp/rb/x1/content/_index.md").unwrap()[40..];
    for (e, r) in pulldown_cmark::Parser::new_ext(text, signpost::markdown::options()).into_offset_iter() {
        println!("{e:?} {r:?}");
    }
    let f = signpost::diagnostics::SourceText::new("a.md", text);
    let d = signpost::diagnostics::Diagnostics::new();
    let m = signpost::markdown::parse(&f, text, 0, &d);
    
    println!("{:?}", d.sorted());
}
