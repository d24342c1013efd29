//! Media files hashed on this machine, as the loader's hashing workers report them:
//! queued, hashing (with progress), done (with digests), or why not.
use serde::{Deserialize, Serialize};

/// One file attached to a checklist item.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct MediaEntry {
    /// Id of the record in this browser's store.
    pub id: String,
    /// The item the officer attached it to, `rule@target`.
    pub item: String,
    /// File name.
    pub name: String,
    /// Size in bytes when picked.
    pub size: f64,
    /// Last-modified time of the file, RFC 3339 (UTC).
    pub modified_at: Option<String>,
    /// `queued`, `hashing`, `done`, `interrupted`, `changed`, `cancelled` or `failed`.
    pub state: String,
    /// Bytes hashed so far.
    pub bytes: f64,
    /// Speed, MiB/s, while hashing.
    pub rate: Option<f64>,
    /// Seconds left, while hashing.
    pub eta: Option<f64>,
    /// SHA-256, lowercase hex, when done.
    pub sha256: Option<String>,
    /// SM3, lowercase hex, when the agency asked for it.
    pub sm3: Option<String>,
    /// When the hash was finished, RFC 3339 (UTC): the file is stored on this machine from then.
    pub hashed_at: Option<String>,
    /// Why it has no hash (changed, failed, interrupted).
    pub message: Option<String>,
    /// The last check of a file against this hash.
    pub verify: Option<Verification>,
    /// This machine's store refused the entry: it will not be listed after a reload.
    pub unsaved: bool,
}

/// A file picked again and compared with a recorded hash.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct Verification {
    /// `hashing`, `match`, `mismatch`, `changed` or `failed`.
    pub state: String,
    /// The name of the file picked.
    pub name: String,
    /// Its size.
    pub size: f64,
    /// Bytes hashed so far.
    pub bytes: f64,
    /// Its SHA-256, when finished.
    pub sha256: Option<String>,
    /// When it was checked.
    pub at: Option<String>,
    /// Why it could not be compared.
    pub message: Option<String>,
}

impl MediaEntry {
    /// Whether the file has its digests.
    pub fn is_done(&self) -> bool {
        self.state == "done" && self.sha256.is_some()
    }

    /// Whether it is still being read.
    pub fn is_running(&self) -> bool {
        matches!(self.state.as_str(), "queued" | "hashing")
    }

    /// Percent hashed (0–100).
    pub fn percent(&self) -> u32 {
        if self.size <= 0.0 {
            return if self.is_done() { 100 } else { 0 };
        }
        ((self.bytes / self.size) * 100.0).clamp(0.0, 100.0) as u32
    }

    /// The case's media entry for this file: digests, size, when recording ended (the file's
    /// last-modified time, as the camera finished writing it) and when it was stored (hashed).
    pub fn to_media(&self) -> Option<rules_core::Media> {
        if !self.is_done() {
            return None;
        }
        let time = |s: &Option<String>| s.as_deref().and_then(|t| rules_core::Time::parse(&whole_seconds(t)).ok());
        Some(rules_core::Media {
            name: self.name.clone(),
            size: Some(self.size as u64),
            sha256: self.sha256.clone(),
            sm3: self.sm3.clone(),
            recorded_to: time(&self.modified_at),
            stored_at: time(&self.hashed_at),
            ..rules_core::Media::default()
        })
    }
}

/// An RFC 3339 time without its fraction of a second (the case counts in whole seconds).
fn whole_seconds(t: &str) -> String {
    match t.split_once('.') {
        Some((head, tail)) => format!("{head}{}", tail.trim_start_matches(|c: char| c.is_ascii_digit())),
        None => t.to_owned(),
    }
}

/// Overall progress of the files being hashed: `(bytes, size, MiB/s, seconds left)`.
pub fn overall(entries: &[MediaEntry]) -> Option<(f64, f64, f64, Option<f64>)> {
    let running: Vec<&MediaEntry> = entries.iter().filter(|e| e.is_running()).collect();
    if running.is_empty() {
        return None;
    }
    let bytes: f64 = running.iter().map(|e| e.bytes).sum();
    let size: f64 = running.iter().map(|e| e.size).sum();
    let rate: f64 = running.iter().filter_map(|e| e.rate).sum();
    let eta = (rate > 0.0).then(|| (size - bytes) / 1_048_576.0 / rate);
    Some((bytes, size, rate, eta))
}

/// A size as officers read it, as the 核查表 prints it: `256.0 KB`, `734.0 MB`, `1.50 GB`. Integer arithmetic: float formatting
/// would add its tables to the widget's wasm.
pub fn show_size(bytes: f64) -> String {
    const MB: f64 = 1_048_576.0;
    if bytes >= 1024.0 * MB {
        let hundredths = (bytes / 1024.0 / MB * 100.0).round() as u64;
        format!("{}.{:02} GB", hundredths / 100, hundredths % 100)
    } else if bytes >= MB {
        let tenths = (bytes / MB * 10.0).round() as u64;
        format!("{}.{} MB", tenths / 10, tenths % 10)
    } else if bytes >= 1024.0 {
        let tenths = (bytes / 1024.0 * 10.0).round() as u64;
        format!("{}.{} KB", tenths / 10, tenths % 10)
    } else {
        format!("{} 字节", bytes.max(0.0) as u64)
    }
}

/// A speed in MiB/s, rounded: `153 MB/s`.
pub fn show_rate(mib_per_s: f64) -> String {
    format!("{} MB/s", mib_per_s.max(0.0).round() as u64)
}

/// Seconds left as officers read them: `约 3 分 20 秒`.
pub fn show_eta(seconds: f64) -> String {
    let s = seconds.max(0.0).round() as u64;
    if s >= 3600 {
        format!("约 {} 小时 {} 分", s / 3600, s % 3600 / 60)
    } else if s >= 60 {
        format!("约 {} 分 {} 秒", s / 60, s % 60)
    } else {
        format!("约 {s} 秒")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn done() -> MediaEntry {
        MediaEntry {
            id: "1".into(),
            item: "13-inspection-av@A1".into(),
            name: "a.mp4".into(),
            size: 2048.0,
            bytes: 2048.0,
            state: "done".into(),
            sha256: Some("ab".repeat(32)),
            modified_at: Some("2026-03-02T02:30:00.000Z".into()),
            hashed_at: Some("2026-03-02T10:00:59.123Z".into()),
            ..MediaEntry::default()
        }
    }

    #[test]
    fn a_done_entry_becomes_case_media_in_beijing_time() {
        let m = done().to_media().unwrap();
        assert_eq!(m.size, Some(2048));
        assert_eq!(m.recorded_to, Some(rules_core::Time::parse("2026-03-02T10:30").unwrap()));
        assert_eq!(m.stored_at, Some(rules_core::Time::parse("2026-03-02T18:00:59").unwrap()));
        let running = MediaEntry { state: "hashing".into(), sha256: None, ..done() };
        assert!(running.to_media().is_none());
    }

    #[test]
    fn progress_and_words() {
        let a = MediaEntry { state: "hashing".into(), bytes: 512.0, rate: Some(100.0), ..done() };
        assert_eq!(a.percent(), 25);
        let (bytes, size, rate, eta) = overall(&[a, done()]).unwrap();
        assert_eq!((bytes, size, rate), (512.0, 2048.0, 100.0));
        assert!(eta.unwrap() < 0.001);
        assert!(overall(&[done()]).is_none());
        assert_eq!(show_size(1.5 * 1024.0 * 1_048_576.0), "1.50 GB");
        assert_eq!(show_eta(200.0), "约 3 分 20 秒");
        assert_eq!(show_size(734.0 * 1_048_576.0), "734.0 MB");
        assert_eq!(show_size(5.0), "5 字节");
        assert_eq!(show_size(262_144.0), "256.0 KB");
        assert_eq!(show_rate(152.6), "153 MB/s");
    }
}
