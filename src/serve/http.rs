//! A small HTTP/1.1 server on `std::net`: GET and HEAD of the rendered
//! files held in memory, one thread per connection, `Connection: close`.
//!
//! Only paths of the rendered site can be answered (there is no file system
//! behind it), so nothing outside the site is ever served; `..` segments,
//! NUL bytes and malformed escapes are refused anyway. `/a/` answers
//! `a/index.html`, `/a` redirects to `/a/` when that exists, anything else
//! is the site's 404 page with status 404. While the last rebuild failed,
//! HTML requests get the diagnostics page instead ([`super::overlay`]);
//! `?last-good` shows the last version that built.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::Arc;
use std::time::Duration;

use super::Shared;
use super::overlay::{self, LAST_GOOD};

/// The server's own files live under this prefix; a site cannot publish there.
pub const PREFIX: &str = "/__signpost/";
/// The live-reload script, added to every page in serve mode.
pub const RELOAD_JS: &str = "/__signpost/reload.js";
const EVENTS: &str = "/__signpost/events";
const OVERLAY_CSS: &str = "/__signpost/overlay.css";

/// The Content-Type of a file, by its ending.
pub fn content_type(path: &str) -> &'static str {
    let ext = path
        .rsplit_once('.')
        .map(|(_, e)| e.to_ascii_lowercase())
        .unwrap_or_default();
    match ext.as_str() {
        "html" | "htm" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "json" => "application/json; charset=utf-8",
        "txt" => "text/plain; charset=utf-8",
        "xml" => "application/xml; charset=utf-8",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "avif" => "image/avif",
        "ico" => "image/x-icon",
        "pdf" => "application/pdf",
        "woff" => "font/woff",
        "woff2" => "font/woff2",
        "webmanifest" => "application/manifest+json",
        "csv" => "text/csv; charset=utf-8",
        _ => "application/octet-stream",
    }
}

/// A request line, parsed.
#[derive(Debug, PartialEq, Eq)]
pub struct Request {
    pub method: String,
    /// The decoded path segments (no empty, `.` or `..` ones).
    pub segments: Vec<String>,
    /// The path ended in `/` (or was `/`).
    pub trailing_slash: bool,
    /// The raw path as sent, for redirects.
    pub raw_path: String,
    pub query: String,
}

/// Why a request cannot be answered.
#[derive(Debug, PartialEq, Eq)]
pub enum BadRequest {
    Malformed,
    /// A `..` segment, a NUL byte or a backslash: never inside the site.
    Outside,
}

fn percent_decode(s: &str) -> Option<String> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = s.get(i + 1..i + 3)?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

/// Parses `GET /path?query HTTP/1.1`.
pub fn parse_request_line(line: &str) -> Result<Request, BadRequest> {
    let mut parts = line.split_whitespace();
    let (Some(method), Some(target), Some(version)) = (parts.next(), parts.next(), parts.next())
    else {
        return Err(BadRequest::Malformed);
    };
    if !version.starts_with("HTTP/") || !target.starts_with('/') {
        return Err(BadRequest::Malformed);
    }
    let target = target.split('#').next().unwrap_or(target);
    let (raw_path, query) = target.split_once('?').unwrap_or((target, ""));
    let path = percent_decode(raw_path).ok_or(BadRequest::Malformed)?;
    if path.contains('\0') || path.contains('\\') {
        return Err(BadRequest::Outside);
    }
    let mut segments = Vec::new();
    for seg in path.split('/') {
        match seg {
            "" | "." => {}
            ".." => return Err(BadRequest::Outside),
            s => segments.push(s.to_string()),
        }
    }
    Ok(Request {
        method: method.to_string(),
        trailing_slash: path.ends_with('/'),
        segments,
        raw_path: raw_path.to_string(),
        query: query.to_string(),
    })
}

/// What to send back.
pub struct Response {
    pub status: u16,
    pub content_type: &'static str,
    pub body: Arc<Vec<u8>>,
    pub location: Option<String>,
}

impl Response {
    fn text(status: u16, body: &str) -> Response {
        Response {
            status,
            content_type: "text/plain; charset=utf-8",
            body: Arc::new(body.as_bytes().to_vec()),
            location: None,
        }
    }
}

fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        301 => "Moved Permanently",
        400 => "Bad Request",
        404 => "Not Found",
        405 => "Method Not Allowed",
        500 => "Internal Server Error",
        _ => "",
    }
}

/// Answers a parsed GET or HEAD from the shared state.
pub fn respond(shared: &Shared, req: &Request) -> Response {
    let key = req.segments.join("/");
    if key == RELOAD_JS.trim_start_matches('/') {
        return Response {
            status: 200,
            content_type: "text/javascript; charset=utf-8",
            body: Arc::new(overlay::reload_script(shared.generation()).into_bytes()),
            location: None,
        };
    }
    if key == OVERLAY_CSS.trim_start_matches('/') {
        return Response {
            status: 200,
            content_type: "text/css; charset=utf-8",
            body: Arc::new(overlay::CSS.as_bytes().to_vec()),
            location: None,
        };
    }
    let file = if req.trailing_slash || key.is_empty() {
        if key.is_empty() {
            "index.html".to_string()
        } else {
            format!("{key}/index.html")
        }
    } else {
        key.clone()
    };
    let files = shared.files();
    let broken = shared.broken();
    let last_good = req
        .query
        .split('&')
        .any(|p| p == LAST_GOOD || p.starts_with("last-good="));
    let (status, path, body) = match files.get(&file) {
        Some(b) => (200, file.clone(), Some(b.clone())),
        None => {
            let index = format!("{key}/index.html");
            if !key.is_empty() && !req.trailing_slash && files.contains_key(&index) {
                let mut location = format!("{}/", req.raw_path);
                if !req.query.is_empty() {
                    location.push('?');
                    location.push_str(&req.query);
                }
                return Response {
                    status: 301,
                    content_type: "text/plain; charset=utf-8",
                    body: Arc::new(b"Moved\n".to_vec()),
                    location: Some(location),
                };
            }
            // The nearest folder's page-not-found page (`pl/404.html`
            // under `/pl/`), as Cloudflare Pages and the hosting notes do.
            let page = not_found_page(&key, |p| files.contains_key(p));
            let body = files.get(&page).cloned();
            (404, page, body)
        }
    };
    let is_html = content_type(&path).starts_with("text/html");
    if let Some(b) = broken.as_ref()
        && is_html
        && !last_good
    {
        let page = overlay::page(b, &req.raw_path, status == 200);
        return Response {
            status: 500,
            content_type: "text/html; charset=utf-8",
            body: Arc::new(page.into_bytes()),
            location: None,
        };
    }
    match body {
        Some(body) => Response {
            status,
            content_type: content_type(&path),
            body,
            location: None,
        },
        None => Response::text(404, "404 Not Found\n"),
    }
}

fn write_head(stream: &mut TcpStream, r: &Response, length: Option<usize>) -> std::io::Result<()> {
    let mut head = format!(
        "HTTP/1.1 {} {}\r\nContent-Type: {}\r\nCache-Control: no-store\r\nX-Content-Type-Options: nosniff\r\nContent-Security-Policy: {}\r\nConnection: close\r\n",
        r.status,
        reason(r.status),
        r.content_type,
        crate::render::context::CSP
    );
    if let Some(n) = length {
        head.push_str(&format!("Content-Length: {n}\r\n"));
    }
    if let Some(l) = &r.location {
        head.push_str(&format!("Location: {l}\r\n"));
    }
    if r.status == 405 {
        head.push_str("Allow: GET, HEAD\r\n");
    }
    head.push_str("\r\n");
    stream.write_all(head.as_bytes())
}

/// Reads the request head: the request line and headers, at most 16 KiB.
fn read_head(stream: &TcpStream) -> Option<String> {
    let mut reader = BufReader::new(stream.take(16 * 1024));
    let mut first = String::new();
    reader.read_line(&mut first).ok()?;
    loop {
        let mut line = String::new();
        match reader.read_line(&mut line) {
            Ok(0) => break,
            Ok(_) if line == "\r\n" || line == "\n" => break,
            Ok(_) => {}
            Err(_) => return None,
        }
    }
    Some(first)
}

/// Answers one connection.
pub fn handle(mut stream: TcpStream, shared: Arc<Shared>) {
    let _ = stream.set_read_timeout(Some(Duration::from_secs(10)));
    let _ = stream.set_write_timeout(Some(Duration::from_secs(30)));
    let Some(line) = read_head(&stream) else {
        return;
    };
    let req = match parse_request_line(line.trim_end()) {
        Ok(r) => r,
        Err(BadRequest::Malformed) => {
            let r = Response::text(400, "400 Bad Request\n");
            let _ = write_head(&mut stream, &r, Some(r.body.len()))
                .and_then(|_| stream.write_all(&r.body));
            return;
        }
        Err(BadRequest::Outside) => {
            let r = Response::text(404, "404 Not Found\n");
            let _ = write_head(&mut stream, &r, Some(r.body.len()))
                .and_then(|_| stream.write_all(&r.body));
            return;
        }
    };
    if req.method != "GET" && req.method != "HEAD" {
        let r = Response::text(405, "405 Method Not Allowed: use GET or HEAD\n");
        let _ =
            write_head(&mut stream, &r, Some(r.body.len())).and_then(|_| stream.write_all(&r.body));
        return;
    }
    if req.segments.join("/") == EVENTS.trim_start_matches('/') {
        events(stream, &shared, req.method == "HEAD");
        return;
    }
    let r = respond(&shared, &req);
    let result = write_head(&mut stream, &r, Some(r.body.len())).and_then(|_| {
        if req.method == "GET" {
            stream.write_all(&r.body)
        } else {
            Ok(())
        }
    });
    if result.is_ok() {
        let _ = stream.flush();
    }
}

/// Server-Sent Events: the build generation now, then each new one, with a
/// comment every 15 seconds so a closed tab ends its thread.
fn events(mut stream: TcpStream, shared: &Shared, head_only: bool) {
    let head = "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-store\r\nX-Content-Type-Options: nosniff\r\nConnection: close\r\n\r\n";
    if stream.write_all(head.as_bytes()).is_err() || head_only {
        return;
    }
    let mut seen = shared.generation();
    if stream
        .write_all(format!("retry: 1000\ndata: {seen}\n\n").as_bytes())
        .is_err()
    {
        return;
    }
    let _ = stream.flush();
    loop {
        if shared.is_stopping() {
            return;
        }
        let now = shared.wait_for_change(seen, Duration::from_secs(15));
        let msg = if now != seen {
            seen = now;
            format!("data: {now}\n\n")
        } else {
            ": still here\n\n".to_string()
        };
        if stream.write_all(msg.as_bytes()).is_err() || stream.flush().is_err() {
            return;
        }
    }
}

/// Accepts connections until the process ends.
pub fn run(listener: TcpListener, shared: Arc<Shared>) {
    for stream in listener.incoming() {
        if shared.is_stopping() {
            return;
        }
        let Ok(stream) = stream else {
            continue;
        };
        let shared = shared.clone();
        let _ = std::thread::Builder::new()
            .name("signpost-http".into())
            .spawn(move || handle(stream, shared));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_refuses_paths_outside() {
        let r = parse_request_line("GET /a/b%20c/?q=1 HTTP/1.1").unwrap();
        assert_eq!(r.segments, vec!["a", "b c"]);
        assert!(r.trailing_slash);
        assert_eq!(r.query, "q=1");
        assert_eq!(
            parse_request_line("GET /a/../../etc/passwd HTTP/1.1"),
            Err(BadRequest::Outside)
        );
        assert_eq!(
            parse_request_line("GET /a/%2e%2e/x HTTP/1.1"),
            Err(BadRequest::Outside)
        );
        assert_eq!(
            parse_request_line("GET /a%00 HTTP/1.1"),
            Err(BadRequest::Outside)
        );
        assert_eq!(
            parse_request_line("GET /%zz HTTP/1.1"),
            Err(BadRequest::Malformed)
        );
        assert_eq!(
            parse_request_line("GET http://x/ HTTP/1.1"),
            Err(BadRequest::Malformed)
        );
        assert_eq!(parse_request_line("nonsense"), Err(BadRequest::Malformed));
    }

    #[test]
    fn content_types() {
        assert_eq!(content_type("a/index.html"), "text/html; charset=utf-8");
        assert_eq!(
            content_type("search/index.en.json"),
            "application/json; charset=utf-8"
        );
        assert_eq!(content_type("x.SVG"), "image/svg+xml");
        assert_eq!(content_type("x"), "application/octet-stream");
    }
}

/// The page-not-found page for a missing `key` (a path without its leading
/// slash): `404.html` in the deepest folder of `key` that has one, or the
/// site's own.
fn not_found_page(key: &str, exists: impl Fn(&str) -> bool) -> String {
    let mut dir = key;
    while let Some((parent, _)) = dir.rsplit_once('/') {
        let page = format!("{parent}/404.html");
        if exists(&page) {
            return page;
        }
        dir = parent;
    }
    "404.html".to_string()
}

#[cfg(test)]
mod not_found_tests {
    use super::not_found_page;

    #[test]
    fn the_nearest_folder_picks_the_page() {
        let has = |p: &str| p == "pl/404.html" || p == "404.html";
        assert_eq!(not_found_page("pl/no/such/page", has), "pl/404.html");
        assert_eq!(not_found_page("pl/missing", has), "pl/404.html");
        assert_eq!(not_found_page("ar/missing", has), "404.html");
        assert_eq!(not_found_page("missing", has), "404.html");
    }
}
