//! The case log: every event the widget produces for a case, each entry carrying the SHA-256
//! of the previous one, so an edited, reordered or truncated log is found by [`verify`].
//!
//! An entry's hash is the SHA-256 (lowercase hex) of its canonical form: the compact JSON of
//! `{"seq","at","event","prev"}` in that order, as [`serde_json`] writes it. The first entry's
//! `prev` is [`genesis`] of the case id, so a log cannot be passed off as another case's.
//!
//! A chain alone cannot show that entries were cut off its end: the verifier needs a head
//! (entry count and last hash) kept elsewhere. The exported file carries one, and the printed
//! 核查表 prints it, so a truncated log is detected against either.
//!
//! The chain has no key. It proves the absence of accidental damage and of edits made without
//! recomputing the chain; against a head kept where an editor cannot reach it, also the
//! absence of truncation and rewrites up to that head. Anyone holding the file can rewrite an
//! entry and recompute every later hash, and [`verify`] then passes: what people are told
//! beside a pass says so.
//!
//! Every member of an entry is hashed or refused on reading: an event's unknown members are
//! refused, and `at` is read only in the form it is written and hashed. The hash input has not
//! changed, so logs written before these checks verify as they did.
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::signed::SignedHead;
use crate::time::Time;

mod error;
mod event;

pub use error::{BreakReason, LogBreak, LogError};
pub use event::{
    ConfigApplied, ItemAcknowledged, ItemUnacknowledged, LogEvent, MediaHashed, Merged, PackVersion, SubmitAllowed,
    SubmitAttempted, SubmitBlocked,
};

/// The `format` of an exported log file.
pub const LOG_FORMAT: &str = "law-record-log/1";

/// One event in a case's log.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct LogEntry {
    /// Position in the log, from 0.
    pub seq: u32,
    /// When the event happened (the device clock, Beijing time), written
    /// `YYYY-MM-DDTHH:MM:SS` as the log writes it.
    #[serde(deserialize_with = "exact_time")]
    #[cfg_attr(feature = "schema", schemars(with = "LogTime"))]
    pub at: Time,
    /// What happened.
    pub event: LogEvent,
    /// The previous entry's hash ([`genesis`] for the first entry).
    pub prev: String,
    /// SHA-256 of this entry's canonical form.
    pub hash: String,
}

/// Reads an entry's `at` only in the form the log writes it. Any other spelling of the same
/// second would verify (the hash covers the time as written back), so a fraction of a second, an
/// offset or a leap second could be changed in the file without the chain noticing.
pub(crate) fn exact_time<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Time, D::Error> {
    crate::text_value::deserialize(d, "a time written `YYYY-MM-DDTHH:MM:SS`", |s| {
        let t = Time::parse(s).map_err(|e| e.to_string())?;
        let mut written = String::with_capacity(19);
        t.write_iso(&mut written);
        if written == s {
            Ok(t)
        } else {
            Err(format!(
                "`{s}` is not written as the log writes times (`YYYY-MM-DDTHH:MM:SS`, here `{written}`): \
                 the chain's hash covers only that form"
            ))
        }
    })
}

/// The schema of [`LogEntry::at`].
#[cfg(feature = "schema")]
pub(crate) struct LogTime;

#[cfg(feature = "schema")]
impl schemars::JsonSchema for LogTime {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "LogTime".into()
    }
    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "type": "string",
            "description": "Beijing civil time to the second, exactly `YYYY-MM-DDTHH:MM:SS` (the form the chain's hash covers)",
            "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}$",
            "examples": ["2026-03-02T09:30:00"]
        })
    }
}

/// The part of an entry its hash covers, in canonical field order.
#[derive(Serialize)]
struct Hashed<'a> {
    seq: u32,
    at: Time,
    event: &'a LogEvent,
    prev: &'a str,
}

/// Where a log ends: how many entries and the last one's hash. Kept apart from the log (in
/// the export's header, on the printed report) so a cut-off log can be told from a whole one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct LogHead {
    /// Number of entries.
    pub count: u32,
    /// Hash of the last entry ([`genesis`] of the case for an empty log).
    pub hash: String,
}

/// A case's log as exported: the header names the case and the head, then every entry.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct CaseLog {
    /// Always [`LOG_FORMAT`].
    pub format: String,
    /// The case the log belongs to.
    pub case_id: String,
    /// The head when the log was exported.
    pub head: LogHead,
    /// The platform's signature of a head of this log (the latest the widget was given with
    /// the case's checklist record), when there is one: see [`crate::SignedHead`].
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub signature: Option<SignedHead>,
    /// The entries, oldest first.
    pub entries: Vec<LogEntry>,
}

/// The `prev` of a case's first entry: SHA-256 of `law-record-log/1` and the case id.
pub fn genesis(case_id: &str) -> String {
    let mut h = Sha256::new();
    h.update(LOG_FORMAT.as_bytes());
    h.update(b"\n");
    h.update(case_id.as_bytes());
    hex(&h.finalize())
}

/// SHA-256 of `data`, lowercase hex (e.g. a configuration's digest for [`ConfigApplied`]).
pub fn sha256_hex(data: &[u8]) -> String {
    hex(&Sha256::digest(data))
}

fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write;
    let mut s = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        let _ = write!(s, "{b:02x}");
    }
    s
}

impl LogEntry {
    /// The hash this entry's content calls for (compare with `hash` to find an edit).
    pub fn content_hash(&self) -> String {
        let canonical = Hashed { seq: self.seq, at: self.at, event: &self.event, prev: &self.prev };
        // Serialising plain structs and strings to a Vec cannot fail; an empty input would
        // only make the hash differ, which verify reports.
        let bytes = serde_json::to_vec(&canonical).unwrap_or_default();
        hex(&Sha256::digest(&bytes))
    }
}

/// The entry that follows `last` (or starts the log of `case_id` when `last` is `None`).
///
/// The widget stores entries one by one; this is how it makes the next one.
pub fn next_entry(case_id: &str, last: Option<&LogEntry>, at: Time, event: LogEvent) -> LogEntry {
    let (seq, prev) = match last {
        Some(l) => (l.seq.saturating_add(1), l.hash.clone()),
        None => (0, genesis(case_id)),
    };
    let mut e = LogEntry { seq, at, event, prev, hash: String::new() };
    e.hash = e.content_hash();
    e
}

/// The head of a log of `case_id` with these entries.
pub fn head_of(case_id: &str, entries: &[LogEntry]) -> LogHead {
    LogHead {
        count: u32::try_from(entries.len()).unwrap_or(u32::MAX),
        hash: entries.last().map(|e| e.hash.clone()).unwrap_or_else(|| genesis(case_id)),
    }
}

/// Re-walks the chain of `case_id`'s log and names the first entry that does not match.
///
/// With `expected`, a head kept elsewhere (the export header, the printed report), the log
/// must also reach it: fewer entries is a truncation, a different hash at that position a
/// rewrite. More entries than `expected.count` is fine (events logged since).
///
/// A log holding a merge entry ([`LogEvent::Merged`], two copies joined) is walked as branches:
/// see [`merge_logs`].
pub fn verify(case_id: &str, entries: &[LogEntry], expected: Option<&LogHead>) -> Result<LogHead, LogBreak> {
    if entries.iter().any(|e| matches!(e.event, LogEvent::Merged(_))) {
        return verify_branched(case_id, entries, expected);
    }
    let start = genesis(case_id);
    let mut prev: &str = &start;
    for (index, e) in entries.iter().enumerate() {
        let at = |reason| LogBreak { index, seq: e.seq, reason };
        if e.content_hash() != e.hash {
            return Err(at(BreakReason::Edited));
        }
        if e.prev != prev {
            let elsewhere = entries.iter().any(|o| o.hash == e.prev);
            let seq = usize::try_from(e.seq).unwrap_or(usize::MAX);
            return Err(at(if elsewhere || seq < index {
                BreakReason::Reordered
            } else if seq > index {
                BreakReason::Removed { missing: seq - index }
            } else if index == 0 {
                BreakReason::OtherCase
            } else {
                BreakReason::BrokenLink
            }));
        }
        if usize::try_from(e.seq).ok() != Some(index) {
            return Err(at(BreakReason::Reordered));
        }
        prev = &e.hash;
    }
    let head = head_of(case_id, entries);
    if let Some(x) = expected {
        let want = usize::try_from(x.count).unwrap_or(usize::MAX);
        if entries.len() < want {
            return Err(LogBreak {
                index: entries.len(),
                seq: head.count,
                reason: BreakReason::Truncated { expected: x.count, found: head.count },
            });
        }
        let reached = match want.checked_sub(1) {
            None => genesis(case_id),
            Some(i) => entries.get(i).map(|e| e.hash.clone()).unwrap_or_default(),
        };
        if reached != x.hash {
            return Err(LogBreak {
                index: want.saturating_sub(1),
                seq: x.count.saturating_sub(1),
                reason: BreakReason::HeadMismatch { expected: x.hash.clone() },
            });
        }
    }
    Ok(head)
}

/// Verifies a log joined from copies that grew apart. Each entry must follow an earlier entry
/// (its `prev`) with the next `seq`, a merge entry must follow one of the two heads it names and
/// count on from the later of them, and every entry must be reached from the last one through
/// `prev` and merge heads: an entry on a branch no merge joins was put in, or its merge taken
/// out. The first entry that breaks one of these is named, on whichever branch it sits.
fn verify_branched(case_id: &str, entries: &[LogEntry], expected: Option<&LogHead>) -> Result<LogHead, LogBreak> {
    use std::collections::HashMap;
    let start = genesis(case_id);
    let mut seen: HashMap<&str, usize> = HashMap::with_capacity(entries.len());
    // The seq an entry following `hash` takes: 0 after the genesis, else one more.
    let next_seq = |seen: &HashMap<&str, usize>, hash: &str| -> Option<u32> {
        if hash == start {
            return Some(0);
        }
        seen.get(hash).and_then(|i| entries.get(*i)).map(|p| p.seq.saturating_add(1))
    };
    for (index, e) in entries.iter().enumerate() {
        let at = |reason| LogBreak { index, seq: e.seq, reason };
        if e.content_hash() != e.hash {
            return Err(at(BreakReason::Edited));
        }
        if seen.contains_key(e.hash.as_str()) {
            return Err(at(BreakReason::Reordered));
        }
        let Some(mut want) = next_seq(&seen, &e.prev) else {
            let later = entries.get(index + 1..).unwrap_or_default().iter().any(|o| o.hash == e.prev);
            return Err(at(if later {
                BreakReason::Reordered
            } else if matches!(e.event, LogEvent::Merged(_)) {
                BreakReason::BadMerge
            } else if index == 0 {
                BreakReason::OtherCase
            } else {
                BreakReason::BrokenLink
            }));
        };
        if let LogEvent::Merged(m) = &e.event {
            if m.heads.len() != 2 || !m.heads.contains(&e.prev) {
                return Err(at(BreakReason::BadMerge));
            }
            for h in &m.heads {
                want = want.max(next_seq(&seen, h).ok_or_else(|| at(BreakReason::BadMerge))?);
            }
        }
        if e.seq != want {
            return Err(at(BreakReason::Reordered));
        }
        seen.insert(&e.hash, index);
    }
    if let Some(last) = entries.len().checked_sub(1) {
        let reached = ancestry(entries, &seen, last);
        if let Some(index) = reached.iter().position(|r| !r) {
            let seq = entries.get(index).map_or(0, |e| e.seq);
            return Err(LogBreak { index, seq, reason: BreakReason::Unmerged });
        }
    }
    let head = head_of(case_id, entries);
    if let Some(x) = expected {
        // A head kept from before a merge (either copy's) is an entry of the joined log with as
        // many entries behind it, itself included, as that copy had.
        let found = if x.count == 0 {
            (x.hash == start).then_some(0)
        } else {
            seen.get(x.hash.as_str()).map(|i| ancestry(entries, &seen, *i).iter().filter(|r| **r).count())
        };
        match found {
            Some(n) if u32::try_from(n).ok() == Some(x.count) => {}
            _ if entries.len() < usize::try_from(x.count).unwrap_or(usize::MAX) => {
                return Err(LogBreak {
                    index: entries.len(),
                    seq: head.count,
                    reason: BreakReason::Truncated { expected: x.count, found: head.count },
                })
            }
            _ => {
                return Err(LogBreak {
                    index: entries.len().saturating_sub(1),
                    seq: x.count.saturating_sub(1),
                    reason: BreakReason::HeadMismatch { expected: x.hash.clone() },
                })
            }
        }
    }
    Ok(head)
}

/// Which entries are reached from entry `from` (itself included) through `prev` and merge
/// heads; `seen` maps each hash to its index.
fn ancestry(entries: &[LogEntry], seen: &std::collections::HashMap<&str, usize>, from: usize) -> Vec<bool> {
    let mut reached = vec![false; entries.len()];
    let mut stack = vec![from];
    while let Some(i) = stack.pop() {
        let (Some(e), Some(r)) = (entries.get(i), reached.get_mut(i)) else { continue };
        if std::mem::replace(r, true) {
            continue;
        }
        stack.extend(seen.get(e.prev.as_str()));
        if let LogEvent::Merged(m) = &e.event {
            stack.extend(m.heads.iter().filter_map(|h| seen.get(h.as_str())));
        }
    }
    reached
}

/// Joins two copies of a case's log that grew apart (two people on two PCs, or a page and the
/// platform's stored copy) so that nothing is lost and the result verifies end to end. The
/// result always starts with `ours` as it is, so a store that only appends (the widget's
/// IndexedDB) can take it:
/// - when `ours` holds every entry of `theirs`, it is the result;
/// - when `theirs` holds every entry of `ours`, the result is `ours`, then the entries only
///   `theirs` holds in their order: the same entries and the same head as `theirs`, with no
///   merge entry (each entry follows its `prev`, and `theirs` already joins its branches);
/// - else `ours`, then the entries only `theirs` holds in their order (each keeps its hash),
///   then a [`LogEvent::Merged`] entry at `at` following their head and naming both heads,
///   with `conflicts` (items acknowledged differently on the two sides).
///
/// Both copies should have been verified: a broken copy joined stays broken.
pub fn merge_logs(
    case_id: &str,
    ours: &[LogEntry],
    theirs: &[LogEntry],
    at: Time,
    conflicts: Vec<String>,
) -> Vec<LogEntry> {
    use std::collections::HashSet;
    let have: HashSet<&str> = ours.iter().map(|e| e.hash.as_str()).collect();
    let only_theirs: Vec<&LogEntry> = theirs.iter().filter(|e| !have.contains(e.hash.as_str())).collect();
    if only_theirs.is_empty() {
        return ours.to_vec();
    }
    let in_theirs: HashSet<&str> = theirs.iter().map(|e| e.hash.as_str()).collect();
    let ours_within = ours.iter().all(|e| in_theirs.contains(e.hash.as_str()));
    let our_head = head_of(case_id, ours);
    let their_head = head_of(case_id, theirs);
    let mut out: Vec<LogEntry> = ours.to_vec();
    out.extend(only_theirs.into_iter().cloned());
    if ours_within {
        return out;
    }
    let seq = |h: &LogHead, entries: &[LogEntry]| entries.iter().find(|e| e.hash == h.hash).map_or(0, |e| e.seq);
    let mut m = LogEntry {
        seq: seq(&our_head, ours).max(seq(&their_head, theirs)).saturating_add(1),
        at,
        event: LogEvent::Merged(Merged { heads: vec![our_head.hash, their_head.hash.clone()], conflicts }),
        prev: their_head.hash,
        hash: String::new(),
    };
    m.hash = m.content_hash();
    out.push(m);
    out
}

impl CaseLog {
    /// An empty log for a case.
    pub fn new(case_id: &str) -> Self {
        CaseLog {
            format: LOG_FORMAT.to_owned(),
            case_id: case_id.to_owned(),
            head: head_of(case_id, &[]),
            signature: None,
            entries: Vec::new(),
        }
    }

    /// A log of entries kept elsewhere (e.g. read back from IndexedDB), with its head.
    pub fn from_entries(case_id: &str, entries: Vec<LogEntry>) -> Self {
        CaseLog {
            format: LOG_FORMAT.to_owned(),
            case_id: case_id.to_owned(),
            head: head_of(case_id, &entries),
            signature: None,
            entries,
        }
    }

    /// Appends an event and returns the new head.
    pub fn append(&mut self, at: Time, event: LogEvent) -> LogHead {
        let e = next_entry(&self.case_id, self.entries.last(), at, event);
        self.entries.push(e);
        self.head = head_of(&self.case_id, &self.entries);
        self.head.clone()
    }

    /// Re-walks the chain, and checks it reaches the head in the header and the signed head,
    /// when there is one (without a key: [`crate::SignedHead::verify`] checks the signature).
    pub fn verify(&self) -> Result<LogHead, LogBreak> {
        let head = verify(&self.case_id, &self.entries, Some(&self.head))?;
        if let Some(s) = &self.signature {
            verify(&self.case_id, &self.entries, Some(&s.head()))?;
        }
        Ok(head)
    }

    /// As [`CaseLog::verify`], and also against a head kept elsewhere (e.g. printed on a report).
    pub fn verify_against(&self, known: &LogHead) -> Result<LogHead, LogBreak> {
        self.verify()?;
        verify(&self.case_id, &self.entries, Some(known))
    }

    /// The log as a JSON file (pretty-printed, one field per line).
    pub fn to_json(&self) -> String {
        crate::json_pretty::pretty(&serde_json::to_string(self).unwrap_or_default())
    }

    /// Reads an exported log; the error names the location of a malformed part. The chain is
    /// not checked here: call [`CaseLog::verify`].
    pub fn from_json(text: &str) -> Result<Self, LogError> {
        let text = crate::json_reader::without_bom(text);
        let log: CaseLog = crate::json_reader::from_str(text).map_err(|e| LogError::Malformed {
            location: crate::json_path::error_path(text, &e),
            message: e.to_string(),
        })?;
        if log.format != LOG_FORMAT {
            return Err(LogError::Format { found: log.format });
        }
        Ok(log)
    }
}

#[cfg(test)]
mod tests;
