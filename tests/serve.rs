//! `signpost serve` end to end: a real server on a free port over a temporary
//! site, driven through the file system and plain HTTP (a std TcpStream).
//! Timeouts are generous for busy machines; nothing here asserts a timing.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::{Duration, Instant};

const WAIT: Duration = Duration::from_secs(120);

fn write(root: &Path, rel: &str, text: &str) {
    let p = root.join(rel);
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(p, text).unwrap();
}

/// A small site: two languages, a section with a page, and a service directory.
fn small_site() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    write(
        root,
        "site.yaml",
        "title: Serve test\nlanguages:\n  - { code: en, name: English }\n  - { code: pl, name: Polski }\norganisation:\n  name: Test Council\n  email: info@example.org\n",
    );
    write(
        root,
        "content/_index.md",
        "---\ntitle: Serve test home\nsummary: The home page of the serve test.\n---\n\nRead about [money](help/money.md).\n",
    );
    write(
        root,
        "content/help/_index.md",
        "---\ntitle: Help\nsummary: Help you can get.\n---\n\nThe help section.\n",
    );
    write(
        root,
        "content/help/money.md",
        "---\ntitle: Money advice\nsummary: Where to get advice about money.\n---\n\nThe first version of this page.\n\n## Who can help\n\nAn adviser can help.\n",
    );
    write(
        root,
        "content/services/_index.md",
        "---\ntitle: Services\nsummary: Services near you.\ncategories:\n  advice: Advice\nareas:\n  town: The town\n---\n\nServices that can help.\n",
    );
    write(
        root,
        "content/services/advice-desk.yaml",
        "name: Advice desk\nsummary: Advice about money and benefits.\ncategories: [advice]\nareas: [town]\ncontact:\n  email: desk@example.org\nlast_verified: 2026-10-01\n",
    );
    dir
}

/// A running `signpost serve`, stopped when dropped.
struct Server {
    child: Child,
    port: u16,
    stderr: Arc<Mutex<String>>,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn spawn_serve(root: &Path, port: u16) -> (Child, mpsc::Receiver<String>, Arc<Mutex<String>>) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_signpost"))
        .args(["serve", "--port", &port.to_string(), "--root"])
        .arg(root)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start signpost serve");
    let (tx, rx) = mpsc::channel();
    let stdout = child.stdout.take().unwrap();
    thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            let _ = tx.send(line);
        }
    });
    let stderr = Arc::new(Mutex::new(String::new()));
    let sink = stderr.clone();
    let mut err = child.stderr.take().unwrap();
    thread::spawn(move || {
        let mut buf = [0u8; 4096];
        while let Ok(n) = err.read(&mut buf) {
            if n == 0 {
                break;
            }
            sink.lock()
                .unwrap()
                .push_str(&String::from_utf8_lossy(&buf[..n]));
        }
    });
    (child, rx, stderr)
}

fn start(root: &Path) -> Server {
    let (child, rx, stderr) = spawn_serve(root, 0);
    let deadline = Instant::now() + WAIT;
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        match rx.recv_timeout(left) {
            Ok(line) => {
                if let Some(url) = line.strip_prefix("Serving on http://127.0.0.1:") {
                    let port = url.trim_end_matches('/').parse().expect("a port number");
                    return Server {
                        child,
                        port,
                        stderr,
                    };
                }
            }
            Err(_) => panic!(
                "serve printed no address; stderr:\n{}",
                stderr.lock().unwrap()
            ),
        }
    }
}

struct Reply {
    status: u16,
    head: String,
    body: String,
}

fn request(port: u16, method: &str, path: &str) -> Reply {
    let mut s = TcpStream::connect(("127.0.0.1", port)).expect("connect");
    s.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
    write!(
        s,
        "{method} {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut raw = Vec::new();
    s.read_to_end(&mut raw).unwrap();
    let text = String::from_utf8_lossy(&raw).to_string();
    let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
    let status = head
        .split_whitespace()
        .nth(1)
        .and_then(|c| c.parse().ok())
        .unwrap_or(0);
    Reply {
        status,
        head: head.to_string(),
        body: body.to_string(),
    }
}

fn get(port: u16, path: &str) -> Reply {
    request(port, "GET", path)
}

/// Polls `path` until `ok` holds; panics with the last reply after `WAIT`.
fn wait_for(server: &Server, path: &str, what: &str, ok: impl Fn(&Reply) -> bool) -> Reply {
    let deadline = Instant::now() + WAIT;
    loop {
        let r = get(server.port, path);
        if ok(&r) {
            return r;
        }
        if Instant::now() > deadline {
            panic!(
                "timed out waiting for {path} to {what}; last reply {}:\n{}\n--- serve's stderr:\n{}",
                r.status,
                &r.body[..r.body.len().min(2000)],
                server.stderr.lock().unwrap()
            );
        }
        thread::sleep(Duration::from_millis(50));
    }
}

fn edit(root: &Path, rel: &str, from: &str, to: &str) {
    let p = root.join(rel);
    let text = std::fs::read_to_string(&p).unwrap();
    assert!(text.contains(from), "{rel} has no `{from}`");
    std::fs::write(&p, text.replace(from, to)).unwrap();
}

#[test]
fn serves_from_memory_and_rebuilds_an_edited_page() {
    let site = small_site();
    let root = site.path();
    let server = start(root);
    let port = server.port;

    let page = get(port, "/help/money/");
    assert_eq!(page.status, 200);
    assert!(
        page.head.contains("Content-Type: text/html; charset=utf-8"),
        "{}",
        page.head
    );
    assert!(page.body.contains("The first version of this page."));
    assert!(
        page.body.contains("/__signpost/reload.js"),
        "serve pages load the reload script"
    );
    assert!(
        !root.join("public").exists(),
        "serve writes nothing to disk"
    );

    // HEAD, redirects to the folder, 404 page, nothing outside the site.
    let head = request(port, "HEAD", "/help/money/");
    assert_eq!(head.status, 200);
    assert!(head.body.is_empty());
    let moved = get(port, "/help/money");
    assert_eq!(moved.status, 301);
    assert!(
        moved.head.contains("Location: /help/money/"),
        "{}",
        moved.head
    );
    let missing = get(port, "/no/such/page/");
    assert_eq!(missing.status, 404);
    assert!(missing.body.contains("<html"), "the site's 404 page");
    assert_eq!(get(port, "/../../../etc/passwd").status, 404);
    assert_eq!(get(port, "/%2e%2e/site.yaml").status, 404);
    assert_eq!(get(port, "/site.yaml").status, 404);
    assert_eq!(request(port, "POST", "/").status, 405);
    let css = get(port, "/search/index.en.json");
    assert!(css.head.contains("application/json"), "{}", css.head);
    let script = get(port, "/__signpost/reload.js");
    assert_eq!(script.status, 200);
    assert!(script.body.contains("EventSource"));

    // A body edit: served at the same address, in every language view.
    edit(
        root,
        "content/help/money.md",
        "The first version",
        "The second version",
    );
    wait_for(&server, "/help/money/", "show the edit", |r| {
        r.status == 200 && r.body.contains("The second version of this page.")
    });
    wait_for(
        &server,
        "/pl/help/money/",
        "show the edit in the Polish fallback",
        |r| r.body.contains("The second version of this page."),
    );
    wait_for(
        &server,
        "/help/money/index.txt",
        "show the edit in plain text",
        |r| r.body.contains("second version"),
    );
    // A title edit changes other pages too (the section lists it).
    edit(
        root,
        "content/help/money.md",
        "title: Money advice",
        "title: Money and debt advice",
    );
    wait_for(&server, "/help/", "list the new title", |r| {
        r.body.contains("Money and debt advice")
    });
    // The search index follows.
    wait_for(&server, "/search/en/t-73.json", "index the new word", |r| {
        r.body.contains("\"second\"")
    });
}

#[test]
fn a_broken_edit_shows_the_problems_and_keeps_the_last_good_site() {
    let site = small_site();
    let root = site.path();
    let server = start(root);
    let port = server.port;
    let good = get(port, "/help/money/");
    assert_eq!(good.status, 200);

    // Break the front matter of the page.
    edit(
        root,
        "content/help/money.md",
        "title: Money advice",
        "title: [Money advice",
    );
    // Every HTML request now gets the diagnostics page (status 500)...
    let overlay = wait_for(&server, "/help/money/", "show the diagnostics page", |r| {
        r.status == 500
    });
    assert!(
        overlay.body.contains("<html lang=\"en\""),
        "{}",
        overlay.body
    );
    assert!(
        overlay
            .body
            .contains("<h1>The site could not be rebuilt</h1>")
    );
    assert!(
        overlay.body.contains("content/help/money.md:2:"),
        "file and line: {}",
        overlay.body
    );
    assert!(overlay.body.contains("FM0"), "the code: {}", overlay.body);
    assert!(
        overlay.body.contains("/__signpost/reload.js"),
        "reloads itself when fixed"
    );
    assert!(
        overlay.body.contains("?last-good"),
        "links to the last good version"
    );
    assert_eq!(get(port, "/").status, 500, "every page shows it");
    // ...the last good version is still there at the same address...
    let last = get(port, "/help/money/?last-good");
    assert_eq!(last.status, 200);
    assert_eq!(last.body, good.body);
    // ...and so is everything that is not a page.
    assert_eq!(get(port, "/help/money/index.txt").status, 200);
    // The terminal says what is wrong, where.
    let deadline = Instant::now() + WAIT;
    while !server
        .stderr
        .lock()
        .unwrap()
        .contains("content/help/money.md:2")
    {
        assert!(
            Instant::now() < deadline,
            "stderr: {}",
            server.stderr.lock().unwrap()
        );
        thread::sleep(Duration::from_millis(50));
    }

    // Fixing the file recovers without a restart.
    edit(
        root,
        "content/help/money.md",
        "title: [Money advice",
        "title: Money advice fixed",
    );
    let fixed = wait_for(&server, "/help/money/", "recover", |r| r.status == 200);
    assert!(fixed.body.contains("Money advice fixed"));
    assert_eq!(get(port, "/").status, 200);
}

#[test]
fn creating_renaming_and_deleting_files_rebuild_the_site() {
    let site = small_site();
    let root = site.path();
    let server = start(root);
    assert_eq!(get(server.port, "/help/benefits/").status, 404);

    // A new page.
    write(
        root,
        "content/help/benefits.md",
        "---\ntitle: Benefits\nsummary: Money you may be able to get.\n---\n\nA brand new page about benefits.\n",
    );
    wait_for(&server, "/help/benefits/", "appear", |r| {
        r.status == 200 && r.body.contains("A brand new page")
    });
    wait_for(&server, "/help/", "list the new page", |r| {
        r.body.contains("/help/benefits/")
    });

    // A translation of it.
    write(
        root,
        "content/help/benefits.pl.md",
        "---\ntitle: Zasiłki\nsummary: Pieniądze, które możesz otrzymać.\n---\n\nZupełnie nowa strona o zasiłkach.\n",
    );
    wait_for(&server, "/pl/help/benefits/", "show the translation", |r| {
        r.body.contains("Zupełnie nowa strona")
    });

    // Renamed: the old address goes, the new one comes.
    std::fs::rename(
        root.join("content/help/benefits.pl.md"),
        root.join("content/help/money.pl.md"),
    )
    .unwrap();
    wait_for(
        &server,
        "/pl/help/money/",
        "show the renamed translation",
        |r| r.body.contains("Zupełnie nowa strona"),
    );
    wait_for(&server, "/pl/help/benefits/", "fall back to English", |r| {
        r.body.contains("A brand new page")
    });

    // A new service entry, then its translation.
    write(
        root,
        "content/services/food-bank.yaml",
        "name: Food bank\nsummary: Free food parcels for people in need.\ncategories: [advice]\nareas: [town]\ncontact:\n  email: food@example.org\nlast_verified: 2026-10-01\n",
    );
    wait_for(&server, "/services/", "list the new service", |r| {
        r.body.contains("Food bank")
    });
    write(
        root,
        "content/services/food-bank.pl.yaml",
        "name: Bank żywności\n",
    );
    wait_for(
        &server,
        "/pl/services/",
        "list the translated service",
        |r| r.body.contains("Bank żywności"),
    );

    // Deleted: gone.
    std::fs::remove_file(root.join("content/help/benefits.md")).unwrap();
    wait_for(&server, "/help/benefits/", "disappear", |r| r.status == 404);
    std::fs::remove_file(root.join("content/services/food-bank.pl.yaml")).unwrap();
    std::fs::remove_file(root.join("content/services/food-bank.yaml")).unwrap();
    wait_for(&server, "/services/", "drop the service", |r| {
        r.status == 200 && !r.body.contains("Food bank")
    });

    // Interface strings of the site itself.
    write(
        root,
        "translations/en.yaml",
        "search:\n  link: Find something\n",
    );
    wait_for(&server, "/", "use the site's own strings", |r| {
        r.body.contains("Find something")
    });
}

#[test]
fn a_port_in_use_is_a_clear_error() {
    let site = small_site();
    let taken = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = taken.local_addr().unwrap().port();
    let out = Command::new(env!("CARGO_BIN_EXE_signpost"))
        .args(["serve", "--port", &port.to_string(), "--root"])
        .arg(site.path())
        .stdin(Stdio::null())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains(&format!("port {port} is already in use")),
        "{err}"
    );
    assert!(err.contains("--port"), "says what to do: {err}");
}

#[test]
fn ctrl_c_stops_cleanly() {
    let site = small_site();
    let mut server = start(site.path());
    let pid = server.child.id().to_string();
    let status = Command::new("kill").args(["-INT", &pid]).status().unwrap();
    assert!(status.success());
    let deadline = Instant::now() + WAIT;
    let code = loop {
        if let Some(s) = server.child.try_wait().unwrap() {
            break s;
        }
        assert!(Instant::now() < deadline, "serve did not stop on Ctrl-C");
        thread::sleep(Duration::from_millis(50));
    };
    assert!(code.success(), "exit status {code:?}");
    assert!(server.stderr.lock().unwrap().contains("Stopped"));
    let _ = PathBuf::new();
}

/// Does the served index of `lang` list `word`, as search.js looks it up
/// (the manifest's shards, then the word's shard)?
fn indexed(port: u16, lang: &str, word: &str) -> bool {
    let manifest = get(port, &format!("/search/index.{lang}.json"));
    let Ok(manifest) = serde_json::from_str::<serde_json::Value>(&manifest.body) else {
        return false;
    };
    let prefix = manifest["prefix"].as_u64().unwrap_or(1) as usize;
    // The shard key: the word's first characters as hex of their UTF-8 bytes.
    let first: String = word.chars().take(prefix).collect();
    let key: String = first.bytes().map(|b| format!("{b:02x}")).collect();
    let listed = manifest["shards"]
        .as_array()
        .is_some_and(|s| s.iter().any(|k| k.as_str() == Some(key.as_str())));
    if !listed {
        return false;
    }
    let shard = get(port, &format!("/search/{lang}/t-{key}.json"));
    serde_json::from_str::<serde_json::Value>(&shard.body).is_ok_and(|s| s.get(word).is_some())
}

fn wait_until_indexed(server: &Server, word: &str, yes: bool) {
    let deadline = Instant::now() + WAIT;
    while indexed(server.port, "en", word) != yes {
        assert!(
            Instant::now() < deadline,
            "timed out waiting for the search index to {} `{word}`; serve's stderr:\n{}",
            if yes { "list" } else { "drop" },
            server.stderr.lock().unwrap()
        );
        thread::sleep(Duration::from_millis(50));
    }
}

#[test]
fn body_edits_reach_the_search_index() {
    let site = small_site();
    let root = site.path();
    let server = start(root);
    assert!(indexed(server.port, "en", "adviser"));
    assert!(!indexed(server.port, "en", "quokkas"));

    // A body-only edit re-renders the page at once; the search index
    // follows once the files are quiet.
    edit(
        root,
        "content/help/money.md",
        "An adviser can help.",
        "An adviser can help with quokkas.",
    );
    wait_for(&server, "/help/money/", "show the edit", |r| {
        r.body.contains("help with quokkas")
    });
    wait_until_indexed(&server, "quokkas", true);

    // Another body edit: the index drops the old word and takes the new.
    edit(root, "content/help/money.md", "quokkas", "wombats");
    wait_for(&server, "/help/money/", "show the edit", |r| {
        r.body.contains("help with wombats")
    });
    wait_until_indexed(&server, "wombats", true);
    wait_until_indexed(&server, "quokkas", false);

    // After a full render (a title edit), body edits still reach the index.
    edit(
        root,
        "content/help/money.md",
        "title: Money advice",
        "title: Money and debt advice",
    );
    wait_for(&server, "/help/", "list the new title", |r| {
        r.body.contains("Money and debt advice")
    });
    edit(root, "content/help/money.md", "wombats", "platypuses");
    wait_for(&server, "/help/money/", "show the edit", |r| {
        r.body.contains("help with platypuses")
    });
    wait_until_indexed(&server, "platypuses", true);
    wait_until_indexed(&server, "wombats", false);
    assert!(indexed(server.port, "en", "adviser"));
}
