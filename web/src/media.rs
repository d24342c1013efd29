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
    /// Where its hashing is.
    pub state: MediaState,
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
    /// Where the check is.
    pub state: VerifyState,
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

/// Where a file's hashing is, as the loader's hashing workers report it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum MediaState {
    /// Waiting for a worker.
    #[default]
    Queued,
    /// Being read.
    Hashing,
    /// Hashed: the entry has its digests.
    Done,
    /// The page went away while it was read.
    Interrupted,
    /// The file changed while it was read: no hash is recorded.
    Changed,
    /// The officer cancelled it.
    Cancelled,
    /// A reviewer's check of a file against a hash the case records (no hash of its own).
    Check,
    /// It could not be read. A state this widget does not know reads as this one.
    #[serde(other)]
    Failed,
}

impl MediaState {
    /// Its code, as the loader writes it and the entry's `data-state` shows it.
    pub fn code(self) -> &'static str {
        match self {
            MediaState::Queued => "queued",
            MediaState::Hashing => "hashing",
            MediaState::Done => "done",
            MediaState::Interrupted => "interrupted",
            MediaState::Changed => "changed",
            MediaState::Cancelled => "cancelled",
            MediaState::Check => "check",
            MediaState::Failed => "failed",
        }
    }

    /// Why a file has no hash, in the officer's words.
    pub fn zh(self) -> &'static str {
        match self {
            MediaState::Queued => "排队等待计算",
            MediaState::Hashing => "正在计算",
            MediaState::Done => "计算完成",
            MediaState::Interrupted => "已中断",
            MediaState::Changed => "文件已变化，未记录哈希",
            MediaState::Cancelled => "已取消",
            MediaState::Check => "核验",
            MediaState::Failed => "计算失败",
        }
    }
}

/// Where the check of a file against a recorded hash is.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum VerifyState {
    /// Being read.
    #[default]
    Hashing,
    /// Same SHA-256 as recorded.
    Match,
    /// Another SHA-256.
    Mismatch,
    /// The file changed while it was read.
    Changed,
    /// It could not be read. A state this widget does not know reads as this one.
    #[serde(other)]
    Failed,
}

impl VerifyState {
    /// Its code, as the loader writes it and the line's `data-verify` shows it.
    pub fn code(self) -> &'static str {
        match self {
            VerifyState::Hashing => "hashing",
            VerifyState::Match => "match",
            VerifyState::Mismatch => "mismatch",
            VerifyState::Changed => "changed",
            VerifyState::Failed => "failed",
        }
    }

    /// Why a file could not be compared, in the officer's words.
    pub fn zh(self) -> &'static str {
        match self {
            VerifyState::Hashing => "正在核验",
            VerifyState::Match => "核验一致",
            VerifyState::Mismatch => "核验不一致",
            VerifyState::Changed => MediaState::Changed.zh(),
            VerifyState::Failed => MediaState::Failed.zh(),
        }
    }
}

impl MediaEntry {
    /// Whether the file has its digests.
    pub fn is_done(&self) -> bool {
        self.state == MediaState::Done && self.sha256.is_some()
    }

    /// Whether it is still being read.
    pub fn is_running(&self) -> bool {
        matches!(self.state, MediaState::Queued | MediaState::Hashing)
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

    #[test]
    fn states_read_as_the_loader_writes_them() {
        let entry = |state: &str| {
            serde_json::from_str::<MediaEntry>(&format!(
                r#"{{"id":"1","state":"{state}","verify":{{"state":"{state}"}}}}"#
            ))
        };
        for s in ["queued", "hashing", "done", "interrupted", "changed", "cancelled", "failed", "check"] {
            let e = entry(s).unwrap();
            assert_eq!(e.state.code(), s);
            assert_eq!(serde_json::to_value(e.state).unwrap(), s);
        }
        for s in ["hashing", "match", "mismatch", "changed", "failed"] {
            let v = entry(s).unwrap().verify.unwrap();
            assert_eq!(v.state.code(), s);
        }
        // A state from a newer loader is a failure to this widget, not a lost list.
        let e = entry("paused").unwrap();
        assert_eq!((e.state, e.verify.unwrap().state), (MediaState::Failed, VerifyState::Failed));
    }

    fn done() -> MediaEntry {
        MediaEntry {
            id: "1".into(),
            item: "13-inspection-av@A1".into(),
            name: "a.mp4".into(),
            size: 2048.0,
            bytes: 2048.0,
            state: crate::media::MediaState::Done,
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
        let running = MediaEntry { state: crate::media::MediaState::Hashing, sha256: None, ..done() };
        assert!(running.to_media().is_none());
    }

    #[test]
    fn progress_and_words() {
        let a = MediaEntry { state: crate::media::MediaState::Hashing, bytes: 512.0, rate: Some(100.0), ..done() };
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
