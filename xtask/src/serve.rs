//! A small static file server on 127.0.0.1 for the demo and the browser tests: `pkg/` is
//! the web root, so the demo loads the widget from `/dist/` as an integrator would.
//!
//! Two more views of the demo platform stand in for a platform nobody can change, where only
//! the browser extension brings the widget: `/platform/` is `pkg/demo/` with the widget's
//! integration script taken out of its page, and `/platform-csp/` is the same under a strict
//! Content-Security-Policy header (no `'wasm-unsafe-eval'`, no inline code).
use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Component, Path, PathBuf};

/// A running server.
pub struct Server {
    /// The base URL, e.g. `http://127.0.0.1:8080/`.
    pub url: String,
    /// The demo platform's database (cases and checklist records).
    pub db: PathBuf,
    /// The public key the demo platform signs log heads with (64 hex digits).
    pub public_key: String,
}

/// Binds `127.0.0.1:port` (0: any free port) and serves `root` on background threads, with the
/// demo platform's JSON API (`/api/`, see [`crate::platform_db`]) over the SQLite database `db`
/// (created with the demo's sample cases when missing).
pub fn start(root: PathBuf, port: u16, db: &Path) -> Result<Server, String> {
    let platform = std::sync::Arc::new(crate::platform_db::PlatformDb::open(db, &root.join("demo/cases"))?);
    let public_key = platform.public_key().to_owned();
    let listener =
        TcpListener::bind(("127.0.0.1", port)).map_err(|e| format!("cannot listen on 127.0.0.1:{port}: {e}"))?;
    let addr = listener.local_addr().map_err(|e| e.to_string())?;
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let root = root.clone();
            let platform = platform.clone();
            std::thread::spawn(move || {
                // A client that goes away mid-request is not the server's problem.
                let _ = handle(stream, &root, &platform);
            });
        }
    });
    Ok(Server { url: format!("http://{addr}/"), db: db.to_path_buf(), public_key })
}

/// The most a request body may be: a checklist record of a long case with its log.
const MAX_BODY: usize = 16 << 20;

fn content_type(path: &Path) -> &'static str {
    match path.extension().and_then(|e| e.to_str()).unwrap_or_default() {
        "html" => "text/html; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "wasm" => "application/wasm",
        "json" => "application/json; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "ts" => "text/plain; charset=utf-8",
        "png" => "image/png",
        "svg" => "image/svg+xml",
        _ => "application/octet-stream",
    }
}

/// Maps a request path to a file under `root`, refusing anything that climbs out.
fn resolve(root: &Path, url_path: &str) -> Option<PathBuf> {
    let path = url_path.split(['?', '#']).next().unwrap_or_default();
    let mut out = root.to_path_buf();
    for c in Path::new(path.trim_start_matches('/')).components() {
        match c {
            Component::Normal(p) => out.push(p),
            Component::CurDir => {}
            _ => return None,
        }
    }
    if out.is_dir() {
        out.push("index.html");
    }
    out.is_file().then_some(out)
}

/// The CSP of `/platform-csp/`: what a locked-down platform sends. It allows the page's own
/// files only, so WebAssembly cannot be compiled in the page or in a content script.
pub const STRICT_CSP: &str =
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'";

/// A view of the demo platform without our script: the path under `demo/` it maps to, and
/// the CSP header it is served with, if any.
fn platform_view(target: &str) -> Option<(String, Option<&'static str>)> {
    let (rest, csp) = if let Some(rest) = target.strip_prefix("/platform-csp/") {
        (rest, Some(STRICT_CSP))
    } else {
        (target.strip_prefix("/platform/")?, None)
    };
    Some((format!("/demo/{rest}"), csp))
}

/// The demo page as the unchanged platform serves it: the lines that load the widget removed.
fn without_integration(page: &[u8]) -> Vec<u8> {
    String::from_utf8_lossy(page)
        .lines()
        .filter(|l| {
            ![
                "integration.js",
                "Integration of the checklist widget",
                "/dist/",
                "law-record-checklist",
                "agency-config.json",
            ]
            .iter()
            .any(|ours| l.contains(ours))
        })
        .flat_map(|l| [l, "\n"])
        .collect::<String>()
        .into_bytes()
}

/// A validator as common static servers make it (nginx: modification time and length): cheap,
/// and it changes whenever the file is rebuilt.
fn etag(file: &Path, body: &[u8], encoding: Option<&str>) -> String {
    let modified = std::fs::metadata(file)
        .and_then(|m| m.modified())
        .ok()
        .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
        .map_or(0, |d| d.as_nanos());
    // Each encoding is its own representation, with its own validator.
    let suffix = encoding.map(|e| format!("-{e}")).unwrap_or_default();
    format!("\"{modified:x}-{:x}{suffix}\"", body.len())
}

/// Whether `file` may have precompressed copies beside it.
fn served_compressed(file: &Path) -> bool {
    file.parent().is_some_and(|d| d.ends_with("dist"))
        && matches!(file.extension().and_then(|e| e.to_str()), Some("js" | "wasm" | "map" | "ts"))
}

/// The precompressed copy of `file` the client accepts (brotli first), and its encoding.
fn precompressed(file: &Path, accept_encoding: &str) -> Option<(PathBuf, &'static str)> {
    if !served_compressed(file) {
        return None;
    }
    let accepts = |enc: &str| {
        accept_encoding.split(',').any(|part| {
            let mut it = part.split(';');
            let name = it.next().unwrap_or_default().trim();
            let refused = it.any(|p| matches!(p.trim(), "q=0" | "q=0.0" | "q=0.00" | "q=0.000"));
            name == enc && !refused
        })
    };
    [("br", "br"), ("gz", "gzip")].into_iter().find_map(|(ext, enc)| {
        let copy = PathBuf::from(format!("{}.{ext}", file.display()));
        (accepts(enc) && copy.is_file()).then_some((copy, enc))
    })
}

fn handle(mut stream: TcpStream, root: &Path, platform: &crate::platform_db::PlatformDb) -> std::io::Result<()> {
    // Head and body go out as separate writes: without this, Nagle's algorithm holds the body
    // until the client's delayed ACK of the head (40 ms on Linux), on every request.
    stream.set_nodelay(true)?;
    let mut reader = BufReader::new(stream.try_clone()?);
    let mut line = String::new();
    reader.read_line(&mut line)?;
    let mut header = String::new();
    let mut if_none_match = None;
    let mut accept_encoding = String::new();
    let mut length = 0usize;
    while reader.read_line(&mut header)? > 2 {
        if let Some((name, value)) = header.split_once(':') {
            if name.eq_ignore_ascii_case("content-length") {
                length = value.trim().parse().unwrap_or(0);
            } else if name.eq_ignore_ascii_case("if-none-match") {
                if_none_match = Some(value.trim().to_owned());
            } else if name.eq_ignore_ascii_case("accept-encoding") {
                accept_encoding = value.trim().to_ascii_lowercase();
            }
        }
        header.clear();
    }
    let mut parts = line.split_whitespace();
    let method = parts.next().unwrap_or_default();
    let target = parts.next().unwrap_or("/");
    if target == "/" {
        return stream
            .write_all(b"HTTP/1.1 302 Found\r\nLocation: /demo/\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
    }
    if target.starts_with("/api/") {
        if length > MAX_BODY {
            return respond(&mut stream, 413, r#"{"error":"request too large"}"#);
        }
        let mut body = vec![0; length];
        std::io::Read::read_exact(&mut reader, &mut body)?;
        let a = platform
            .handle(method, target, &body)
            .unwrap_or(crate::platform_db::Answer { status: 404, body: r#"{"error":"not found"}"#.to_owned() });
        return respond(&mut stream, a.status, &a.body);
    }
    let view = platform_view(target);
    let path = view.as_ref().map_or(target, |(p, _)| p.as_str());
    let file = if method == "GET" || method == "HEAD" { resolve(root, path) } else { None };
    // A precompressed copy beside the file (`cargo xtask build` writes them), as nginx's
    // gzip_static / brotli_static serve them.
    let encoded = file.as_ref().filter(|_| view.is_none()).and_then(|f| precompressed(f, &accept_encoding));
    match file.and_then(|f| std::fs::read(&f).ok().map(|b| (f, b))) {
        Some((f, body)) => {
            let mut extra = String::new();
            let (body, encoding) = match encoded.and_then(|(p, enc)| std::fs::read(p).ok().map(|b| (b, enc))) {
                Some((b, enc)) => (b, Some(enc)),
                None => (body, None),
            };
            if let Some(enc) = encoding {
                extra.push_str(&format!("Content-Encoding: {enc}\r\n"));
            }
            if served_compressed(&f) {
                extra.push_str("Vary: Accept-Encoding\r\n");
            }
            let body = match &view {
                Some((_, csp)) => {
                    if let Some(csp) = csp {
                        extra = format!("Content-Security-Policy: {csp}\r\n");
                    }
                    if f.extension().is_some_and(|e| e == "html") {
                        without_integration(&body)
                    } else {
                        body
                    }
                }
                None => body,
            };
            // As pkg/README.md tells a platform to serve the files: the versioned wasm kept for
            // good (Chromium then reuses the code it compiled), everything else with a
            // validator and revalidated on each load (a 304 when nothing changed).
            let versioned = f.file_name().is_some_and(|n| crate::build::is_widget_wasm(&n.to_string_lossy()));
            let cache = if versioned { "max-age=31536000, immutable" } else { "no-cache" };
            let etag = etag(&f, &body, encoding);
            if if_none_match.as_deref() == Some(etag.as_str()) {
                let head = format!(
                    "HTTP/1.1 304 Not Modified\r\nETag: {etag}\r\n{extra}Cache-Control: {cache}\r\nConnection: close\r\n\r\n"
                );
                return stream.write_all(head.as_bytes());
            }
            let head = format!(
                "HTTP/1.1 200 OK\r\nContent-Type: {}\r\nContent-Length: {}\r\nETag: {etag}\r\n{extra}Cache-Control: {cache}\r\nConnection: close\r\n\r\n",
                content_type(&f),
                body.len()
            );
            stream.write_all(head.as_bytes())?;
            if method == "GET" {
                stream.write_all(&body)?;
            }
        }
        None => {
            let body = "not found";
            let head = format!(
                "HTTP/1.1 404 Not Found\r\nContent-Type: text/plain\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                body.len()
            );
            stream.write_all(head.as_bytes())?;
            stream.write_all(body.as_bytes())?;
        }
    }
    stream.flush()
}

/// A JSON answer of the API, never cached.
fn respond(stream: &mut TcpStream, status: u16, body: &str) -> std::io::Result<()> {
    let reason = match status {
        200 => "OK",
        400 => "Bad Request",
        404 => "Not Found",
        405 => "Method Not Allowed",
        409 => "Conflict",
        413 => "Payload Too Large",
        _ => "Internal Server Error",
    };
    let head = format!(
        "HTTP/1.1 {status} {reason}\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: {}\r\nCache-Control: no-store\r\nConnection: close\r\n\r\n",
        body.len()
    );
    stream.write_all(head.as_bytes())?;
    stream.write_all(body.as_bytes())?;
    stream.flush()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_paths_out_of_root() {
        let root = crate::cmd::root().join("xtask");
        assert!(resolve(&root, "/../Cargo.toml").is_none());
        assert!(resolve(&root, "/Cargo.toml").is_some());
        assert!(resolve(&root, "/Cargo.toml?x=1").is_some());
        assert!(resolve(&root, "/missing.txt").is_none());
    }

    #[test]
    fn precompressed_copies_follow_accept_encoding() {
        let dir = std::env::temp_dir().join(format!("xtask-serve-{}", std::process::id())).join("dist");
        std::fs::create_dir_all(&dir).unwrap_or_default();
        let js = dir.join("a.js");
        for (p, b) in [(&js, "x"), (&dir.join("a.js.br"), "b"), (&dir.join("a.js.gz"), "g")] {
            std::fs::write(p, b).unwrap_or_default();
        }
        let enc = |accept: &str| precompressed(&js, accept).map(|(_, e)| e);
        assert_eq!(enc("gzip, deflate, br"), Some("br"));
        assert_eq!(enc("gzip, deflate"), Some("gzip"));
        assert_eq!(enc("br;q=0, gzip"), Some("gzip"));
        assert_eq!(enc(""), None);
        assert_eq!(enc("identity"), None);
        assert_eq!(precompressed(&dir.join("missing.js"), "br"), None);
        let _ = std::fs::remove_dir_all(dir.parent().unwrap_or(&dir));
    }

    #[test]
    fn platform_views_map_to_the_demo_without_our_script() {
        assert_eq!(platform_view("/platform/index.html?case=x"), Some(("/demo/index.html?case=x".into(), None)));
        assert_eq!(platform_view("/platform-csp/"), Some(("/demo/".into(), Some(STRICT_CSP))));
        assert_eq!(platform_view("/demo/"), None);
        let page = std::fs::read(crate::cmd::root().join("pkg/demo/index.html")).unwrap_or_default();
        let plain = String::from_utf8_lossy(&without_integration(&page)).into_owned();
        assert!(String::from_utf8_lossy(&page).contains("integration.js"), "the demo page loads the widget");
        assert!(!plain.contains("integration.js") && plain.contains("platform.js"), "{plain}");
        assert!(!STRICT_CSP.contains("wasm-unsafe-eval") && !STRICT_CSP.contains("unsafe-inline"));
    }
}
