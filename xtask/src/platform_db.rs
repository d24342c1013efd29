//! The demo platform's back end: its cases and their checklist records in SQLite, behind a
//! small JSON API, as a real 案件办理 platform keeps them on its server.
//!
//! - `GET /api/cases/<name>`: the case (JSON as stored).
//! - `GET /api/cases/<name>/record`: the case's checklist record, 404 when there is none.
//! - `PUT /api/cases/<name>/record`: the widget's record, merged with the stored one (two
//!   officers saving at once lose nothing: `rules_core::ChecklistRecord::merge`); answers the
//!   record now stored. A record that does not check is refused (400, with why); when the
//!   stored one does not check, nothing is overwritten (409, with why).
//! - `DELETE /api/cases/<name>/record`: forget it; `DELETE /api/records`: forget every record
//!   (tests start clean).
//! - `GET /api/signing-key`: the public key the server signs log heads with.
//!
//! The server signs the head of every record it stores (Ed25519, `rules_core::SignedHead`),
//! with a key made on the first start and kept beside the database (`<db>.signing-key`, the
//! 32-byte seed in hex, readable by its owner only; the public key in `<db>.signing-key.pub`).
//! The officers' browsers never see the private key, so a log they rewrite — recomputing its
//! chain — no longer verifies with the platform's public key (`rules log verify --key`).
//!
//! Cases are read into the database from `pkg/demo/cases/*.json` when the database is created
//! (and any sample added since is added); they are stored as text, unparsed, so the
//! deliberately malformed sample stays as it is.
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use rusqlite::{params, Connection, OptionalExtension};

/// The demo's data folder: the database lives here, made on the first start.
pub fn data_dir() -> PathBuf {
    crate::cmd::root().join("target/demo-data")
}

/// Who signs, as the signatures name the demo platform.
pub const SIGNER: &str = "演示平台（案件办理）服务器";

/// The platform's database, and the key its server signs log heads with.
pub struct PlatformDb {
    conn: Mutex<Connection>,
    seed: [u8; 32],
    public_key: String,
}

/// An answer of the API: status, and a JSON body.
pub struct Answer {
    /// HTTP status.
    pub status: u16,
    /// JSON text.
    pub body: String,
}

fn answer(status: u16, body: String) -> Answer {
    Answer { status, body }
}

fn error(status: u16, message: &str) -> Answer {
    answer(status, serde_json::json!({ "error": message }).to_string())
}

impl PlatformDb {
    /// Opens (creating when missing) the database at `path`, with the demo's sample cases.
    pub fn open(path: &Path, cases: &Path) -> Result<PlatformDb, String> {
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
        }
        let conn = Connection::open(path).map_err(|e| format!("cannot open {}: {e}", path.display()))?;
        conn.execute_batch(
            "CREATE TABLE IF NOT EXISTS cases (name TEXT PRIMARY KEY, body TEXT NOT NULL, updated TEXT NOT NULL);
             CREATE TABLE IF NOT EXISTS records (name TEXT PRIMARY KEY, body TEXT NOT NULL, updated TEXT NOT NULL);",
        )
        .map_err(|e| format!("{}: {e}", path.display()))?;
        let mut files: Vec<PathBuf> = std::fs::read_dir(cases)
            .map_err(|e| format!("cannot read {}: {e}", cases.display()))?
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|x| x == "json"))
            .collect();
        files.sort();
        for f in files {
            let Some(name) = f.file_stem().and_then(|s| s.to_str()) else { continue };
            let body = std::fs::read_to_string(&f).map_err(|e| format!("cannot read {}: {e}", f.display()))?;
            conn.execute(
                "INSERT OR IGNORE INTO cases (name, body, updated) VALUES (?1, ?2, datetime('now'))",
                params![name, body],
            )
            .map_err(|e| format!("{}: {e}", path.display()))?;
        }
        let seed = signing_key(&key_path(path))?;
        Ok(PlatformDb { conn: Mutex::new(conn), public_key: rules_core::public_key_of(&seed), seed })
    }

    /// The public key of the server's signatures (64 hex digits).
    pub fn public_key(&self) -> &str {
        &self.public_key
    }

    /// Answers an API request (`path` below `/api/`), or `None` when it is not one.
    pub fn handle(&self, method: &str, path: &str, body: &[u8]) -> Option<Answer> {
        let path = path.split(['?', '#']).next()?;
        if path == "/api/signing-key" {
            let body = serde_json::json!({
                "algorithm": "Ed25519",
                "public_key": self.public_key,
                "signer": SIGNER,
                "format": rules_core::SIGNED_HEAD_FORMAT,
            });
            return Some(if method == "GET" {
                answer(200, body.to_string())
            } else {
                error(405, "method not allowed")
            });
        }
        if path == "/api/records" {
            let Ok(conn) = self.conn.lock() else { return Some(error(500, "database unavailable")) };
            return Some(match (method, conn.execute("DELETE FROM records", [])) {
                ("DELETE", Ok(_)) => answer(200, "{}".to_owned()),
                ("DELETE", Err(e)) => error(500, &e.to_string()),
                _ => error(405, "method not allowed"),
            });
        }
        let rest = path.strip_prefix("/api/cases/")?;
        let (name, record) = match rest.strip_suffix("/record") {
            Some(n) => (n, true),
            None => (rest, false),
        };
        // Demo case names are plain words (`complete`, `missing-receipt`).
        if name.is_empty() || !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_') {
            return Some(error(404, "no such case"));
        }
        let Ok(conn) = self.conn.lock() else { return Some(error(500, "database unavailable")) };
        let text = String::from_utf8_lossy(body);
        Some(match (method, record) {
            ("GET", false) => get(&conn, "cases", name),
            ("GET", true) => get(&conn, "records", name),
            ("PUT", true) => put_record(&conn, name, &text, &self.seed),
            ("DELETE", true) => match conn.execute("DELETE FROM records WHERE name = ?1", params![name]) {
                Ok(_) => answer(200, "{}".to_owned()),
                Err(e) => error(500, &e.to_string()),
            },
            _ => error(405, "method not allowed"),
        })
    }
}

fn get(conn: &Connection, table: &str, name: &str) -> Answer {
    let sql = format!("SELECT body FROM {table} WHERE name = ?1");
    match conn.query_row(&sql, params![name], |r| r.get::<_, String>(0)).optional() {
        Ok(Some(body)) => answer(200, body),
        Ok(None) => error(404, "not stored"),
        Err(e) => error(500, &e.to_string()),
    }
}

fn put(conn: &Connection, table: &str, name: &str, body: &str) -> Answer {
    let sql = format!(
        "INSERT INTO {table} (name, body, updated) VALUES (?1, ?2, datetime('now'))
         ON CONFLICT(name) DO UPDATE SET body = excluded.body, updated = excluded.updated"
    );
    match conn.execute(&sql, params![name, body]) {
        Ok(_) => answer(200, body.to_owned()),
        Err(e) => error(500, &e.to_string()),
    }
}

/// Stores the widget's record merged with the stored one. The platform checks both: it stores
/// no record it could not hand back, and overwrites no stored record that fails its check (the
/// evidence of what went wrong stays for whoever looks into it).
fn put_record(conn: &Connection, name: &str, body: &str, seed: &[u8; 32]) -> Answer {
    let incoming = match rules_core::ChecklistRecord::from_json(body) {
        Ok(r) => r,
        Err(e) => return error(400, &format!("清单记录未保存：{}", e.zh())),
    };
    let stored = match get(conn, "records", name) {
        a if a.status == 200 => match rules_core::ChecklistRecord::from_json(&a.body) {
            Ok(r) => Some(r),
            Err(e) => {
                return error(409, &format!("平台保存的清单记录未通过校验（{}），未覆盖，请联系平台管理员", e.zh()))
            }
        },
        a if a.status == 404 => None,
        a => return a,
    };
    let Some(now) = beijing_now() else { return error(500, "服务器时钟无效") };
    let mut merged = match stored {
        None => incoming,
        Some(s) => match s.merge(&incoming, now) {
            Ok(m) => m.record,
            Err(e) => return error(409, &format!("清单记录未保存：{}", e.zh())),
        },
    };
    // The head stored is signed: from now on its entries cannot be rewritten unnoticed, by
    // anyone without this server's key.
    match rules_core::SignedHead::sign(seed, &merged.case_id, &merged.log.head, SIGNER, now) {
        Ok(s) => merged.log.signature = Some(s),
        Err(e) => return error(500, &format!("清单记录未保存：无法签名（{}）", e.zh())),
    }
    put(conn, "records", name, &(merged.to_json() + "\n"))
}

/// Where the signing key of the database at `db` is kept: beside it.
pub fn key_path(db: &Path) -> PathBuf {
    db.with_extension("signing-key")
}

/// The signing key's seed at `path`, made (with the operating system's random source) and
/// written there, readable by its owner only, when missing; the public key goes beside it
/// (`.pub`) for whoever checks the signatures.
fn signing_key(path: &Path) -> Result<[u8; 32], String> {
    let bad = |e: &dyn std::fmt::Display| format!("signing key {}: {e}", path.display());
    match std::fs::read_to_string(path) {
        Ok(text) => {
            let hex = text.trim();
            let mut seed = [0u8; 32];
            if hex.len() != 64 {
                return Err(bad(&"not 64 hex digits; delete it to make a new key (earlier signatures then no longer verify with the new public key)"));
            }
            for (i, b) in seed.iter_mut().enumerate() {
                *b = hex
                    .get(i * 2..i * 2 + 2)
                    .and_then(|h| u8::from_str_radix(h, 16).ok())
                    .ok_or_else(|| bad(&"not hex"))?;
            }
            Ok(seed)
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            let mut seed = [0u8; 32];
            getrandom::fill(&mut seed).map_err(|e| bad(&e))?;
            let hex: String = seed.iter().map(|b| format!("{b:02x}")).collect();
            write_private(path, &(hex + "\n")).map_err(|e| bad(&e))?;
            let public = path.with_extension("signing-key.pub");
            std::fs::write(&public, rules_core::public_key_of(&seed) + "\n")
                .map_err(|e| format!("{}: {e}", public.display()))?;
            Ok(seed)
        }
        Err(e) => Err(bad(&e)),
    }
}

/// Writes a new file that only its owner can read (mode 0600 on Unix), refusing to replace one.
fn write_private(path: &Path, text: &str) -> std::io::Result<()> {
    use std::io::Write;
    let mut o = std::fs::OpenOptions::new();
    o.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut o, 0o600);
    o.open(path)?.write_all(text.as_bytes())
}

/// Now, Beijing time, to the second (the merge entry's time); `None` with a clock out of range.
fn beijing_now() -> Option<rules_core::Time> {
    let ms = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).ok()?.as_millis();
    rules_core::Time::from_unix_millis(i64::try_from(ms).ok()?)
}

#[cfg(test)]
#[allow(clippy::panic, clippy::indexing_slicing)] // test code: failing loudly is the point
mod tests {
    use super::*;

    fn db() -> (PlatformDb, PathBuf) {
        let dir =
            std::env::temp_dir().join(format!("xtask-db-{}-{:?}", std::process::id(), std::thread::current().id()));
        let _ = std::fs::remove_dir_all(&dir);
        let path = dir.join("platform.sqlite");
        let db = PlatformDb::open(&path, &crate::cmd::root().join("pkg/demo/cases")).unwrap_or_else(|e| panic!("{e}"));
        (db, dir)
    }

    fn record(case: &str, by: &str, note: &str) -> rules_core::ChecklistRecord {
        let mut r = rules_core::ChecklistRecord::new(case);
        let at = rules_core::Time::parse("2026-03-25T10:00").unwrap_or_else(|e| panic!("{e}"));
        r.acknowledgments.push(rules_core::Acknowledgment {
            item: format!("x@{by}"),
            at,
            by: Some(by.into()),
            note: Some(note.into()),
        });
        let e = rules_core::next_entry(
            case,
            None,
            at,
            rules_core::LogEvent::ItemAcknowledged(rules_core::ItemAcknowledged {
                item: format!("x@{by}"),
                by: Some(by.into()),
                note: Some(note.into()),
            }),
        );
        r.log.entries.push(e);
        r.log.head = rules_core::head_of(case, &r.log.entries);
        r
    }

    #[test]
    fn cases_are_seeded_and_records_merge_on_save() {
        let (db, dir) = db();
        let case = db.handle("GET", "/api/cases/complete", b"").unwrap_or_else(|| panic!("an API path"));
        assert_eq!(case.status, 200);
        assert!(case.body.contains("\"id\""));
        assert_eq!(db.handle("GET", "/api/cases/complete/record", b"").map(|a| a.status), Some(404));
        assert!(db.handle("GET", "/demo/index.html", b"").is_none());
        let a = record("K1", "张三", "纸质送达回证见卷宗第12页");
        let b = record("K1", "李四", "询问笔录纸质件见卷宗第5页");
        let put = |r: &rules_core::ChecklistRecord| {
            db.handle("PUT", "/api/cases/complete/record", r.to_json().as_bytes()).unwrap_or_else(|| panic!("API"))
        };
        assert_eq!(put(&a).status, 200);
        // B saved without having seen A's: both are kept, with a merge entry.
        let both = put(&b);
        assert_eq!(both.status, 200, "{}", both.body);
        let merged = rules_core::ChecklistRecord::from_json(&both.body).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(merged.acknowledgments.len(), 2);
        // The head stored is signed with the key the API publishes.
        let key = db.handle("GET", "/api/signing-key", b"").map(|a| a.body).unwrap_or_default();
        let key: serde_json::Value = serde_json::from_str(&key).unwrap_or_else(|e| panic!("{e}"));
        let key = key["public_key"].as_str().unwrap_or_default().to_owned();
        assert_eq!(key, db.public_key());
        let s = merged.log.signature.clone().unwrap_or_else(|| panic!("a signature"));
        assert_eq!((s.count, &s.hash, s.signer.as_str()), (3, &merged.log.head.hash, SIGNER));
        s.verify("K1", &merged.log.entries, &key).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(merged.log.entries.len(), 3);
        // A record that does not check is refused, and the stored one kept.
        let mut bad = a.clone();
        bad.acknowledgments[0].note = Some("改过的说明文字内容".into());
        let refused = put(&bad);
        assert_eq!(refused.status, 400);
        assert!(refused.body.contains("清单记录未保存"), "{}", refused.body);
        let kept = db.handle("GET", "/api/cases/complete/record", b"").map(|a| a.body).unwrap_or_default();
        assert_eq!(kept.trim(), merged.to_json().trim());
        // A stored record edited in the database is not overwritten.
        if let Ok(c) = db.conn.lock() {
            let _ = c.execute("UPDATE records SET body = replace(body, '第12页', '第13页')", []);
        }
        let blocked = put(&a);
        assert_eq!(blocked.status, 409, "{}", blocked.body);
        assert!(blocked.body.contains("平台保存的清单记录未通过校验"), "{}", blocked.body);
        assert_eq!(db.handle("DELETE", "/api/cases/complete/record", b"").map(|a| a.status), Some(200));
        assert_eq!(db.handle("GET", "/api/cases/complete/record", b"").map(|a| a.status), Some(404));
        assert_eq!(put(&a).status, 200);
        assert_eq!(db.handle("DELETE", "/api/records", b"").map(|a| a.status), Some(200));
        assert_eq!(db.handle("GET", "/api/cases/complete/record", b"").map(|a| a.status), Some(404));
        assert_eq!(db.handle("GET", "/api/cases/nope!/record", b"").map(|a| a.status), Some(404));
        // The key is kept, owner-only, and read again on the next start.
        let kp = key_path(&dir.join("platform.sqlite"));
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&kp).map(|m| m.permissions().mode() & 0o777).unwrap_or_default();
            assert_eq!(mode, 0o600);
        }
        let public = std::fs::read_to_string(kp.with_extension("signing-key.pub")).unwrap_or_default();
        assert_eq!(public.trim(), key);
        drop(db);
        let again = PlatformDb::open(&dir.join("platform.sqlite"), &crate::cmd::root().join("pkg/demo/cases"))
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(again.public_key(), key);
        let _ = std::fs::remove_dir_all(dir);
    }
}
