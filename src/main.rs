//! The `signpost` command line. Only this file prints.

use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};

use signpost::diagnostics::{Diagnostics, Fatal};

/// A faster allocator for the many small allocations of a render.
#[cfg(feature = "mimalloc")]
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;
use signpost::{Options, Outcome};

#[derive(Parser)]
#[command(
    name = "signpost",
    version,
    about = "Static site generator for accessible public information"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Clone, Copy, ValueEnum, PartialEq, Eq)]
enum Format {
    Text,
    Json,
}

#[derive(Subcommand)]
enum Command {
    /// Build the site into DIR/public (or --output).
    Build {
        /// The site's folder (holding site.yaml and content/).
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Where to write the site.
        #[arg(long)]
        output: Option<PathBuf>,
        /// Overrides base_url from site.yaml.
        #[arg(long)]
        base_url: Option<String>,
        /// Include pages marked draft.
        #[arg(long)]
        drafts: bool,
        /// Print only problems.
        #[arg(long)]
        quiet: bool,
        /// Treat warnings as errors.
        #[arg(long)]
        deny_warnings: bool,
        /// While another build writes the same output folder, wait up to
        /// this many seconds for it to finish (0: refuse at once).
        #[arg(long, value_name = "SECONDS", default_value_t = signpost::lock::DEFAULT_WAIT_SECONDS)]
        wait: u64,
    },
    /// Run every check without writing the site.
    Check {
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// text (for people) or json (for scripts, on stdout).
        #[arg(long, value_enum, default_value = "text")]
        format: Format,
        #[arg(long)]
        drafts: bool,
        #[arg(long)]
        deny_warnings: bool,
    },
    /// Write a copy of the site that works when opened from a folder or a
    /// USB stick (no web server): a .zip file, or a folder.
    Offline {
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Only this language's pages (a code from site.yaml, such as pl).
        #[arg(long, value_name = "CODE")]
        lang: Option<String>,
        /// A .zip file, or a folder (default: offline.zip, or
        /// offline-CODE.zip with --lang, in the site's folder).
        #[arg(long, value_name = "PATH")]
        output: Option<PathBuf>,
        #[arg(long)]
        drafts: bool,
        #[arg(long)]
        deny_warnings: bool,
    },
    /// Explain a diagnostic code, with a bad and a good example.
    Explain {
        /// A code such as A11Y001.
        code: String,
    },
    /// Preview the site on 127.0.0.1: rebuilds on every change and reloads the browser.
    Serve {
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Port on 127.0.0.1; 0 picks a free one.
        #[arg(long, default_value_t = 8000)]
        port: u16,
        #[arg(long)]
        drafts: bool,
    },
    /// Create a correctly shaped source file for an editor to fill in.
    New {
        /// The site's folder; PATHs are inside its content/ folder.
        #[arg(long, default_value = ".", global = true)]
        root: PathBuf,
        #[command(subcommand)]
        what: NewCommand,
    },
    /// Turn another system's data into source files.
    Import {
        #[command(subcommand)]
        from: ImportCommand,
    },
}

#[derive(Subcommand)]
enum ImportCommand {
    /// An Open Referral UK service list (JSON) into service entries.
    OpenReferral {
        /// The JSON file: a page of services ({"contents": [...]}), a list, or one service.
        file: PathBuf,
        /// The directory's folder, e.g. content/services/.
        #[arg(long)]
        into: PathBuf,
        /// Take over entry files of the same name that were not imported from this feed.
        #[arg(long)]
        overwrite: bool,
        /// The taxonomy map (default: open-referral-map.yaml beside site.yaml).
        #[arg(long, value_name = "FILE")]
        map: Option<PathBuf>,
        /// Say what would change, and write nothing.
        #[arg(long)]
        dry_run: bool,
    },
}

#[derive(Subcommand)]
enum NewCommand {
    /// A page, e.g. content/carers/respite.md (title from the file name).
    Page { path: PathBuf },
    /// The easy-read version of an existing page: x.md gives x.easy.md.
    EasyRead { path: PathBuf },
    /// A service directory entry, e.g. content/services/carer-support.yaml.
    Service { path: PathBuf },
    /// A copy of a page or service entry to translate: x.md gives x.LANG.md.
    Translation { path: PathBuf, lang: String },
    /// A minimal working site in a new folder.
    Site { dir: PathBuf },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Build {
            root,
            output,
            base_url,
            drafts,
            quiet,
            deny_warnings,
            wait,
        } => {
            let mut opts = Options::new(root);
            opts.wait = signpost::lock::Wait {
                up_to: std::time::Duration::from_secs(wait),
                notify: Some(std::sync::Arc::new(|m: &str| eprintln!("{m}"))),
            };
            opts.output = output;
            opts.base_url = base_url;
            opts.drafts = drafts;
            opts.deny_warnings = deny_warnings;
            let bar = (!quiet && std::io::stderr().is_terminal()).then(ProgressBar::start);
            opts.progress = bar.as_ref().map(|b| b.progress.clone());
            let (outcome, result) = signpost::build(&opts);
            drop(bar);
            print_diagnostics(&outcome.diagnostics);
            match result {
                Ok(()) => {
                    if !quiet {
                        let w = outcome.written.unwrap_or_default();
                        let c = outcome.diagnostics.counts();
                        eprintln!(
                            "Built {} HTML pages ({} files in all: {} written, {} unchanged, {} removed) in {:.2} s into {}{}",
                            outcome.pages,
                            outcome.file_count,
                            w.written,
                            w.unchanged,
                            w.removed,
                            outcome.seconds,
                            opts.output_dir().display(),
                            if c.warnings > 0 {
                                format!(", with {} warnings", c.warnings)
                            } else {
                                String::new()
                            }
                        );
                        let pdfs = outcome.pdfs_rendered + outcome.pdf_cache_hits;
                        if pdfs > 0 {
                            eprintln!(
                                "PDFs: {} typeset, {} unchanged from the print cache",
                                outcome.pdfs_rendered, outcome.pdf_cache_hits
                            );
                        }
                        let brfs = outcome.braille_made + outcome.braille_reused;
                        if brfs > 0 {
                            eprintln!(
                                "Braille files: {} translated, {} unchanged from the print cache",
                                outcome.braille_made, outcome.braille_reused
                            );
                        }
                    }
                    ExitCode::SUCCESS
                }
                Err(e) => fail(&e, &outcome),
            }
        }
        Command::Check {
            root,
            format,
            drafts,
            deny_warnings,
        } => {
            let mut opts = Options::new(root);
            opts.drafts = drafts;
            opts.deny_warnings = deny_warnings;
            // The PDFs are typeset to check them; the build's print cache
            // spares typesetting the unchanged ones again.
            opts.print_cache = Some(opts.print_cache_dir());
            let (outcome, result) = signpost::check(&opts);
            if format == Format::Json {
                let list = outcome.diagnostics.sorted();
                let json = serde_json::to_string_pretty(&list).unwrap_or_else(|_| "[]".into());
                println!("{json}");
            } else {
                print_diagnostics(&outcome.diagnostics);
                print_summary(&outcome);
            }
            match result {
                Ok(()) => ExitCode::SUCCESS,
                Err(e) => {
                    if format == Format::Json {
                        match e {
                            Fatal::Content => ExitCode::from(1),
                            _ => {
                                eprintln!("error: {e}");
                                ExitCode::from(2)
                            }
                        }
                    } else {
                        fail(&e, &outcome)
                    }
                }
            }
        }
        Command::Offline {
            root,
            lang,
            output,
            drafts,
            deny_warnings,
        } => {
            let name = match &lang {
                Some(code) => format!("offline-{code}.zip"),
                None => "offline.zip".into(),
            };
            let output = output.unwrap_or_else(|| root.join(name));
            let target = if output
                .extension()
                .is_some_and(|e| e.eq_ignore_ascii_case("zip"))
            {
                signpost::OfflineTarget::Zip(output.clone())
            } else {
                signpost::OfflineTarget::Folder(output.clone())
            };
            let mut opts = Options::new(root);
            opts.drafts = drafts;
            opts.deny_warnings = deny_warnings;
            let (outcome, result) = signpost::offline_copy(&opts, lang.as_deref(), &target);
            print_diagnostics(&outcome.diagnostics);
            match result {
                Ok(files) => {
                    let open = match &target {
                        signpost::OfflineTarget::Zip(_) => {
                            "unzip it and open index.html in its folder".to_string()
                        }
                        signpost::OfflineTarget::Folder(dir) => {
                            format!("open {} in a browser", dir.join("index.html").display())
                        }
                    };
                    eprintln!(
                        "Wrote an offline copy of {} files to {} in {:.2} s: {open}",
                        files,
                        output.display(),
                        outcome.seconds
                    );
                    ExitCode::SUCCESS
                }
                Err(e) => fail(&e, &outcome),
            }
        }
        Command::Explain { code } => match signpost::codes::lookup(&code) {
            Some(c) => {
                let level = match c.severity {
                    signpost::diagnostics::Severity::Error => "error",
                    signpost::diagnostics::Severity::Warning => "warning",
                };
                println!("{} ({level}): {}\n\n{}", c.code, c.title, c.explanation);
                ExitCode::SUCCESS
            }
            None => {
                eprintln!(
                    "error: there is no diagnostic code `{code}`; codes look like A11Y001 or FM004"
                );
                ExitCode::from(2)
            }
        },
        Command::Serve { root, port, drafts } => {
            let opts = signpost::serve::ServeOptions { root, port, drafts };
            let report: signpost::serve::Report = Box::new(|m| match m {
                signpost::serve::Message::Serving(url) => {
                    println!("Serving on {url}");
                    let _ = std::io::stdout().flush();
                }
                signpost::serve::Message::Info(line) => eprintln!("{line}"),
                signpost::serve::Message::Problems(text) => {
                    let _ = std::io::stderr().lock().write_all(text.as_bytes());
                }
            });
            match signpost::serve::serve(opts, report) {
                Ok(()) => ExitCode::SUCCESS,
                Err(e) => {
                    eprintln!("error: {e}");
                    ExitCode::from(2)
                }
            }
        }
        Command::Import {
            from:
                ImportCommand::OpenReferral {
                    file,
                    into,
                    overwrite,
                    map,
                    dry_run,
                },
        } => {
            let mut opts = signpost::directory::import::ImportOptions::new(
                signpost::frontmatter::Date::today(),
            );
            opts.overwrite = overwrite;
            opts.map = map;
            opts.dry_run = dry_run;
            import_open_referral(&file, &into, &opts)
        }
        Command::New { root, what } => {
            use signpost::scaffold::New;
            let what = match what {
                NewCommand::Page { path } => New::Page { path },
                NewCommand::EasyRead { path } => New::EasyRead { path },
                NewCommand::Service { path } => New::Service { path },
                NewCommand::Translation { path, lang } => New::Translation { path, lang },
                NewCommand::Site { dir } => New::Site { dir },
            };
            match signpost::scaffold::create(&root, &what, signpost::frontmatter::Date::today()) {
                Ok(files) => {
                    for f in files {
                        println!("Created {f}");
                    }
                    eprintln!(
                        "Fill in the text that says what to write, then run `signpost serve` to see it."
                    );
                    ExitCode::SUCCESS
                }
                Err(e) => {
                    eprintln!("error: {e}");
                    ExitCode::from(2)
                }
            }
        }
    }
}

/// `signpost import open-referral`: writes the entries, then says what
/// changed and what to check. The changes go to stdout, problems to stderr.
fn import_open_referral(
    file: &std::path::Path,
    into: &std::path::Path,
    opts: &signpost::directory::import::ImportOptions,
) -> ExitCode {
    let report = match signpost::directory::import::open_referral(file, into, opts) {
        Ok(r) => r,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::from(2);
        }
    };
    let err = &mut std::io::stderr().lock();
    if !report.problems.is_empty() {
        for p in &report.problems {
            let _ = writeln!(
                err,
                "error: {}\n --> {}\n  = help: {}",
                p.message, p.at, p.help
            );
        }
        let _ = writeln!(
            err,
            "Nothing was written: fix {} above, then import again.",
            if report.problems.len() == 1 {
                "the problem".to_string()
            } else {
                format!("the {} problems", report.problems.len())
            }
        );
        return ExitCode::from(1);
    }
    let verb = |v: &str| {
        if opts.dry_run {
            format!("Would be {}", v.to_lowercase())
        } else {
            v.to_string()
        }
    };
    for p in &report.added {
        println!("{} {}", verb("Added"), p.display());
    }
    for (p, fields) in &report.updated {
        println!(
            "{} {} ({})",
            verb("Updated"),
            p.display(),
            fields.join(", ")
        );
    }
    for (p, id) in &report.removed_from_feed {
        println!(
            "Not in the feed any more: {} (source_id {id}); kept, delete it by hand if the service has closed",
            p.display()
        );
    }
    for n in &report.notes {
        let _ = writeln!(err, "note: {n}");
    }
    for s in &report.skipped {
        let _ = writeln!(err, "warning: {s}");
    }
    for (p, list) in &report.warnings {
        for w in list {
            let _ = writeln!(err, "warning: {}: {w}", p.display());
        }
    }
    if !report.unmapped.is_empty() {
        let map = report
            .map_file
            .as_ref()
            .map(|m| m.display().to_string())
            .unwrap_or_else(|| "a file given with --map".into());
        let n = report.unmapped.len();
        let _ = writeln!(
            err,
            "warning: {n} taxonomy {} not mapped to a category of the directory:",
            if n == 1 { "term is" } else { "terms are" }
        );
        for (term, count) in &report.unmapped {
            let _ = writeln!(
                err,
                "    {}:    # {count} {}",
                signpost::directory::import::yaml_key(term),
                if *count == 1 { "service" } else { "services" }
            );
        }
        let _ = writeln!(
            err,
            "  = help: copy these lines under `categories:` in {map}, write after each colon a category id from the directory's _index.md (or [] to leave the term out), then import again"
        );
    }
    for (what, list) in [
        ("categories", &report.new_categories),
        ("areas", &report.new_areas),
    ] {
        if !list.is_empty() {
            let _ = writeln!(
                err,
                "Add these {what} to the directory's _index.md (or change the entries):"
            );
            for (id, name) in list {
                let _ = writeln!(err, "  {id}: {name}");
            }
        }
    }
    println!("{}", report.summary());
    if opts.dry_run {
        println!("Nothing was written (--dry-run).");
    } else if !report.added.is_empty() || !report.updated.is_empty() {
        println!("Run `signpost check` to see what needs attention.");
    }
    ExitCode::SUCCESS
}

fn print_diagnostics(diags: &Diagnostics) {
    let text = diags.render_text();
    if !text.is_empty() {
        let mut err = std::io::stderr().lock();
        let _ = err.write_all(text.as_bytes());
    }
}

fn print_summary(outcome: &Outcome) {
    let c = outcome.diagnostics.counts();
    let mut s = format!("{} errors, {} warnings", c.errors, c.warnings);
    if !c.by_code.is_empty() {
        let parts: Vec<String> = c.by_code.iter().map(|(k, v)| format!("{k}: {v}")).collect();
        s.push_str(&format!(" ({})", parts.join(", ")));
    }
    eprintln!("{s}");
    for (file, grade) in &outcome.grades {
        eprintln!("easy read: {file}: reading grade {grade:.1}");
    }
    for (lang, missing, stale) in &outcome.translation_summary {
        eprintln!(
            "translations: {lang}: {missing} pages not translated, {stale} older than their source"
        );
    }
}

fn fail(e: &Fatal, outcome: &Outcome) -> ExitCode {
    match e {
        Fatal::Content => {
            let c = outcome.diagnostics.counts();
            eprintln!(
                "error: the site was not built: {} errors, {} warnings. Nothing in the output folder was changed.",
                c.errors, c.warnings
            );
            ExitCode::from(1)
        }
        other => {
            eprintln!("error: {other}");
            ExitCode::from(2)
        }
    }
}

/// A progress line on stderr while a long build renders (terminals only).
struct ProgressBar {
    progress: std::sync::Arc<signpost::render::Progress>,
    stop: std::sync::Arc<std::sync::atomic::AtomicBool>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl ProgressBar {
    fn start() -> Self {
        use std::sync::atomic::Ordering::Relaxed;
        let progress = std::sync::Arc::new(signpost::render::Progress::default());
        let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
        let (p, s) = (progress.clone(), stop.clone());
        let thread = std::thread::spawn(move || {
            let started = std::time::Instant::now();
            let mut shown = false;
            while !s.load(Relaxed) {
                std::thread::sleep(std::time::Duration::from_millis(100));
                let (done, total) = (p.done.load(Relaxed), p.total.load(Relaxed));
                // Only long builds get a bar: after a second, with work left.
                if total > 0 && done < total && started.elapsed().as_millis() > 1000 {
                    let width = 30;
                    let filled = done * width / total;
                    eprint!(
                        "\rRendering [{}{}] {done}/{total} pages",
                        "#".repeat(filled),
                        " ".repeat(width - filled)
                    );
                    shown = true;
                }
            }
            if shown {
                eprint!("\r{}\r", " ".repeat(60));
            }
        });
        ProgressBar {
            progress,
            stop,
            thread: Some(thread),
        }
    }
}

impl Drop for ProgressBar {
    fn drop(&mut self) {
        self.stop.store(true, std::sync::atomic::Ordering::Relaxed);
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}
