//! The checklist record: what the widget learns about a case beyond the platform's data — the
//! officers' acknowledgments with their notes, the reasons given at submit, the digests of media
//! files hashed on their PCs, and the case log — as one versioned JSON document per case, so
//! the platform can store it with the case and any PC can show and check the same thing.
//!
//! The record is read with the case ([`ChecklistRecord::apply_to`]): an evaluation on another
//! PC then gives the same report. Two copies that grew apart (two people at once, or a page
//! and the platform's stored copy) are joined by [`ChecklistRecord::merge`], losing nothing.
//!
//! A record is refused, with the place named, when it is malformed, of another version or
//! another case, when its log does not verify, or when an acknowledgment or media digest it
//! lists is not in its log (the log is what can be checked; a list edited apart from it is not
//! to be trusted).
use serde::{Deserialize, Serialize};

use crate::case::{Acknowledgment, Case, Media};
use crate::log::{head_of, merge_logs, verify, BreakReason, LogBreak, LogEntry, LogEvent, LogHead};
use crate::pack::Pack;
use crate::signed::{later, SignatureError, SignedHead};
use crate::time::Time;

/// The `format` of a checklist record.
pub const RECORD_FORMAT: &str = "law-record-checklist/1";

/// One case's checklist record, as the platform stores it beside the case.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct ChecklistRecord {
    /// Always [`RECORD_FORMAT`]; another version is refused, never guessed at.
    pub format: String,
    /// The platform's case number (the case's `id`).
    pub case_id: String,
    /// The items confirmed by hand, one per item (the latest, when two people confirmed the
    /// same item differently; both are in the log).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub acknowledgments: Vec<Acknowledgment>,
    /// Reasons given for submitting over warnings (or unchecked), oldest first.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub reasons: Vec<SubmitReason>,
    /// Media files hashed on an officer's PC (the footage itself stays there).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub media: Vec<MediaDigest>,
    /// The case log, with its head.
    pub log: RecordLog,
}

/// The case log inside a record.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct RecordLog {
    /// Entry count and last hash when the record was written.
    pub head: LogHead,
    /// The platform server's Ed25519 signature of the head it last stored (its first `count`
    /// entries), when the platform signs: see [`crate::SignedHead`]. Entries logged since are
    /// not covered until the platform stores the record again. A record without it reads as
    /// before this member was added.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub signature: Option<SignedHead>,
    /// The entries, oldest first (branches joined by merge entries).
    pub entries: Vec<LogEntry>,
}

/// A reason an officer gave at submit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct SubmitReason {
    /// Keys of the open warnings it covers (empty when the case could not be checked).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub items: Vec<String>,
    /// The reason as typed.
    pub reason: String,
    /// When it was given.
    pub at: Time,
    /// Who gave it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub by: Option<String>,
}

/// The digests of one media file, filed under the checklist item it was attached to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct MediaDigest {
    /// The item, `rule@target`.
    pub item: String,
    /// File name.
    pub name: String,
    /// Size in bytes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub size: Option<u64>,
    /// SHA-256, lowercase hex.
    pub sha256: String,
    /// SM3, lowercase hex, where the agency records it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sm3: Option<String>,
    /// When recording ended (the file's modification time).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub recorded_to: Option<Time>,
    /// When it was hashed, and so stored, on the officer's PC.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stored_at: Option<Time>,
}

impl MediaDigest {
    /// The file as the case lists media.
    pub fn to_media(&self) -> Media {
        Media {
            name: self.name.clone(),
            size: self.size,
            sha256: Some(self.sha256.clone()),
            sm3: self.sm3.clone(),
            recorded_to: self.recorded_to,
            stored_at: self.stored_at,
            ..Media::default()
        }
    }
}

/// Why a record was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RecordError {
    /// The JSON does not fit the record format.
    #[error("record is malformed at `{location}`: {message}")]
    Malformed {
        /// Where, e.g. `acknowledgments[0].at`.
        location: String,
        /// What is wrong there.
        message: String,
    },
    /// Another format or version.
    #[error("record has format `{found}`, expected `law-record-checklist/1`")]
    Format {
        /// The `format` given (empty when missing).
        found: String,
    },
    /// The record belongs to another case.
    #[error("record is of case `{found}`, not `{expected}`")]
    OtherCase {
        /// The case shown.
        expected: String,
        /// The record's `case_id`.
        found: String,
    },
    /// The log does not verify.
    #[error("record's log does not verify at `log.entries[{index}]`: {0}", index = .0.index)]
    Log(LogBreak),
    /// The platform's signature is malformed, or the log does not reach the head it signed
    /// (checked without a key; a key checks the signature itself).
    #[error("record's platform signature at `log.signature`: {0}")]
    Signature(SignatureError),
    /// An acknowledgment or a media digest the log does not hold.
    #[error("record lists at `{location}` {what} that its log does not hold")]
    NotLogged {
        /// Where, e.g. `acknowledgments[1]`.
        location: String,
        /// What, e.g. the acknowledgment of `13-inspection-av@A1`.
        what: String,
    },
}

impl RecordError {
    /// What the officer is told (Chinese).
    pub fn zh(&self) -> String {
        match self {
            RecordError::Malformed { location, message } => format!("记录格式错误（位置 {location}：{message}）"),
            RecordError::Format { found } => {
                format!("记录版本“{found}”无法识别（本清单读取 law-record-checklist/1）")
            }
            RecordError::OtherCase { expected, found } => format!("记录属于案件 {found}，不是本案 {expected}"),
            RecordError::Log(b) => format!("记录中的操作日志未通过校验：第 {} 条{}", b.index + 1, b.reason.zh()),
            RecordError::NotLogged { location, what } => {
                format!("记录中 {location}（{what}）在操作日志中没有对应记录，可能被改动")
            }
            RecordError::Signature(e) => format!("记录的平台签名未通过校验：{}", e.zh()),
        }
    }

    /// A hint for the person holding the file.
    pub fn help(&self) -> &'static str {
        match self {
            RecordError::Malformed { .. }
            | RecordError::NotLogged { .. }
            | RecordError::Log(_)
            | RecordError::Signature(_) => {
                "take the record the platform stored, or export it again from the checklist; a hand-edited record cannot be trusted"
            }
            RecordError::Format { .. } => "the file may be a case, a report or an exported log rather than a checklist record",
            RecordError::OtherCase { .. } => "the platform passed the record of another case",
        }
    }
}

/// An item acknowledged differently by the two copies joined.
#[derive(Debug, Clone, PartialEq)]
pub struct AckConflict {
    /// The one kept (the later).
    pub kept: Acknowledgment,
    /// The other; it stays in the log.
    pub other: Acknowledgment,
}

/// What [`ChecklistRecord::merge`] made.
#[derive(Debug, Clone, PartialEq)]
pub struct MergeOutcome {
    /// The joined record.
    pub record: ChecklistRecord,
    /// Items acknowledged differently on the two sides.
    pub conflicts: Vec<AckConflict>,
}

impl ChecklistRecord {
    /// An empty record of a case.
    pub fn new(case_id: &str) -> Self {
        ChecklistRecord {
            format: RECORD_FORMAT.to_owned(),
            case_id: case_id.to_owned(),
            acknowledgments: Vec::new(),
            reasons: Vec::new(),
            media: Vec::new(),
            log: RecordLog { head: head_of(case_id, &[]), signature: None, entries: Vec::new() },
        }
    }

    /// Reads a record and checks it: format and version, its log against its head, and every
    /// acknowledgment and media digest against its log. The error names the place.
    pub fn from_json(text: &str) -> Result<Self, RecordError> {
        let record = Self::parse(text)?;
        record.check()?;
        Ok(record)
    }

    /// Reads a record's format, version and structure without checking its log (see
    /// [`ChecklistRecord::check`]): for tools that report a broken log rather than refuse it.
    pub fn parse(text: &str) -> Result<Self, RecordError> {
        let text = crate::json_reader::without_bom(text);
        let malformed = |e: serde_json::Error| RecordError::Malformed {
            location: crate::json_path::error_path(text, &e),
            message: e.to_string(),
        };
        // The version first: a later version may not fit this one's fields, and saying it is
        // malformed would hide why.
        #[derive(Deserialize)]
        struct Probe {
            #[serde(default)]
            format: Option<serde_json::Value>,
        }
        let probe: Probe = serde_json::from_str(text).map_err(malformed)?;
        match probe.format {
            Some(serde_json::Value::String(f)) if f == RECORD_FORMAT => {}
            Some(serde_json::Value::String(f)) => return Err(RecordError::Format { found: f }),
            Some(other) => return Err(RecordError::Format { found: other.to_string() }),
            None => return Err(RecordError::Format { found: String::new() }),
        }
        crate::json_reader::from_str(text).map_err(malformed)
    }

    /// As [`ChecklistRecord::from_json`], and refused unless it is of case `case_id`.
    pub fn from_json_for(text: &str, case_id: &str) -> Result<Self, RecordError> {
        let record = Self::parse(text)?;
        // Before the log: another case's log fails at its first entry, which would hide why.
        if record.case_id != case_id {
            return Err(RecordError::OtherCase { expected: case_id.to_owned(), found: record.case_id });
        }
        record.check()?;
        Ok(record)
    }

    /// Checks a record built or read: its log verifies up to its head, and what it lists is in
    /// its log.
    pub fn check(&self) -> Result<LogHead, RecordError> {
        let head = verify(&self.case_id, &self.log.entries, Some(&self.log.head)).map_err(RecordError::Log)?;
        // The recorded head must be the log's end: entries after it would be unprotected by it.
        if head != self.log.head {
            return Err(RecordError::Log(LogBreak {
                index: self.log.entries.len().saturating_sub(1),
                seq: self.log.entries.last().map_or(0, |e| e.seq),
                reason: BreakReason::HeadMismatch { expected: self.log.head.hash.clone() },
            }));
        }
        if let Some(s) = &self.log.signature {
            s.check_log(&self.case_id, &self.log.entries).map_err(RecordError::Signature)?;
        }
        for (i, a) in self.acknowledgments.iter().enumerate() {
            let logged = self.log.entries.iter().any(|e| {
                matches!(&e.event, LogEvent::ItemAcknowledged(l) if l.item == a.item && l.note == a.note && l.by == a.by)
            });
            if !logged {
                return Err(RecordError::NotLogged {
                    location: format!("acknowledgments[{i}]"),
                    what: format!("确认事项 {}", a.item),
                });
            }
        }
        for (i, m) in self.media.iter().enumerate() {
            let logged = self
                .log
                .entries
                .iter()
                .any(|e| matches!(&e.event, LogEvent::MediaHashed(l) if l.sha256 == m.sha256 && l.name == m.name));
            if !logged {
                return Err(RecordError::NotLogged {
                    location: format!("media[{i}]"),
                    what: format!("音像文件 {} 的哈希", m.name),
                });
            }
        }
        Ok(head)
    }

    /// The record as a JSON file (pretty-printed).
    pub fn to_json(&self) -> String {
        crate::json_pretty::pretty(&serde_json::to_string(self).unwrap_or_default())
    }

    /// Adds what the record holds to the case, as the widget does before evaluating: each
    /// acknowledgment the case does not already carry, and each media digest filed where its
    /// item looks for it. Returns, for each digest that could not be filed, why (the report is
    /// then made without it, and says so where the caller shows these).
    pub fn apply_to(&self, case: &mut Case, pack: &Pack) -> Vec<String> {
        for a in &self.acknowledgments {
            if !case.acknowledgments.iter().any(|x| x.item == a.item) {
                case.acknowledgments.push(a.clone());
            }
        }
        let mut unfiled = Vec::new();
        for m in &self.media {
            if let Err(e) = crate::attach::attach_media(case, pack, &m.item, m.to_media()) {
                unfiled.push(format!("{}: {e}", m.name));
            }
        }
        unfiled
    }

    /// Joins this copy with `theirs` (the same case), losing nothing:
    /// - the logs as [`merge_logs`] joins them, with a merge entry at `at` when both grew;
    /// - acknowledgments: every item either side confirmed; an item confirmed differently on
    ///   both keeps the later confirmation (the same on either PC: ties go to the greater note)
    ///   and is returned in `conflicts`; an item one side confirmed and the other side took back
    ///   afterwards (its log says so) is taken back;
    /// - reasons and media digests: the union;
    /// - the platform's signature: the one covering more entries (then the later).
    ///
    /// Both copies must pass [`ChecklistRecord::check`] (the error names the one that does not).
    pub fn merge(&self, theirs: &ChecklistRecord, at: Time) -> Result<MergeOutcome, RecordError> {
        if theirs.case_id != self.case_id {
            return Err(RecordError::OtherCase { expected: self.case_id.clone(), found: theirs.case_id.clone() });
        }
        self.check()?;
        theirs.check()?;
        let mut conflicts = Vec::new();
        let mut acks: Vec<Acknowledgment> = Vec::new();
        for a in &self.acknowledgments {
            match theirs.acknowledgments.iter().find(|b| b.item == a.item) {
                Some(b) if b == a => acks.push(a.clone()),
                Some(b) => {
                    // When each was logged (to the second, on the device clock) orders them
                    // first: a platform may fix the widget's clock, giving both the same `at`.
                    let key = |r: &ChecklistRecord, x: &Acknowledgment| {
                        (logged_at(r, x).unwrap_or(x.at), x.at, x.note.clone(), x.by.clone())
                    };
                    let a_later = key(self, a) > key(theirs, b);
                    let (kept, other) = if a_later { (a, b) } else { (b, a) };
                    conflicts.push(AckConflict { kept: kept.clone(), other: other.clone() });
                    acks.push(kept.clone());
                }
                None if !retracted_after(theirs, self, a) => acks.push(a.clone()),
                None => {}
            }
        }
        for b in &theirs.acknowledgments {
            if !self.acknowledgments.iter().any(|a| a.item == b.item) && !retracted_after(self, theirs, b) {
                acks.push(b.clone());
            }
        }
        let mut reasons = self.reasons.clone();
        for r in &theirs.reasons {
            if !reasons.contains(r) {
                reasons.push(r.clone());
            }
        }
        // Stable: reasons given at the same minute keep their order.
        reasons.sort_by_key(|r| r.at);
        let mut media = self.media.clone();
        for m in &theirs.media {
            if !media.iter().any(|x| x.item == m.item && x.sha256 == m.sha256 && x.name == m.name) {
                media.push(m.clone());
            }
        }
        let names = conflicts.iter().map(|c| c.kept.item.clone()).collect();
        let entries = merge_logs(&self.case_id, &self.log.entries, &theirs.log.entries, at, names);
        let record = ChecklistRecord {
            format: RECORD_FORMAT.to_owned(),
            case_id: self.case_id.clone(),
            acknowledgments: acks,
            reasons,
            media,
            log: RecordLog {
                head: head_of(&self.case_id, &entries),
                // Both heads are in the joined log; the one covering more of it is kept.
                signature: later(self.log.signature.as_ref(), theirs.log.signature.as_ref()).cloned(),
                entries,
            },
        };
        Ok(MergeOutcome { record, conflicts })
    }
}

/// When `ack` was last logged in `r`'s log.
fn logged_at(r: &ChecklistRecord, ack: &Acknowledgment) -> Option<Time> {
    r.log.entries.iter().rev().find_map(|e| match &e.event {
        LogEvent::ItemAcknowledged(l) if l.item == ack.item && l.note == ack.note && l.by == ack.by => Some(e.at),
        _ => None,
    })
}

/// Whether `other` took back the item of `ack` (held by `holder` only) after it was confirmed:
/// an unacknowledgment of that item in `other`'s log that `holder`'s log lacks, at or after the
/// acknowledgment.
fn retracted_after(other: &ChecklistRecord, holder: &ChecklistRecord, ack: &Acknowledgment) -> bool {
    other.log.entries.iter().any(|e| {
        matches!(&e.event, LogEvent::ItemUnacknowledged(u) if u.item == ack.item)
            && e.at >= ack.at
            && !holder.log.entries.iter().any(|h| h.hash == e.hash)
    })
}

#[cfg(test)]
mod tests;
