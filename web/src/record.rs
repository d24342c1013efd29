//! The checklist record (`rules_core::ChecklistRecord`) as the widget builds it from what it
//! holds, and what it takes back from a record the platform stored: the officers'
//! acknowledgments and reasons, the digests of files hashed on any PC, and the case log.
//!
//! Pure conversions; the store decides when to build, merge and hand records on.
use rules_core::{Acknowledgment, ChecklistRecord, LogEvent, MediaDigest, RecordLog, SubmitReason, Time};

use crate::media::MediaEntry;
use crate::model::OfficerAck;
use crate::state::{State, Stored, WarningReason};

/// The id given to a file known only from a record (hashed on another PC): the loader's
/// hashing never uses it, so it is never mistaken for a file of this machine.
pub const FOREIGN_PREFIX: &str = "record:";

/// A time as the engine writes it (`YYYY-MM-DDTHH:MM:SS`), which the widget's times parse back to.
fn iso(t: Time) -> String {
    serde_json::to_value(t).ok().and_then(|v| v.as_str().map(str::to_owned)).unwrap_or_default()
}

/// The digests of a file hashed on this machine, filed under its item.
pub fn digest_of(entry: &MediaEntry) -> Option<MediaDigest> {
    let media = entry.to_media()?;
    Some(MediaDigest {
        item: entry.item.clone(),
        name: entry.name.clone(),
        size: media.size,
        sha256: media.sha256?,
        sm3: media.sm3,
        recorded_to: media.recorded_to,
        stored_at: media.stored_at,
    })
}

/// A file known from a record as the widget lists files: finished, with its digests; its times
/// are Beijing time, written with their offset so they read back the same.
pub fn entry_of(d: &MediaDigest) -> MediaEntry {
    let at = |t: Option<Time>| t.map(|t| format!("{}+08:00", iso(t)));
    MediaEntry {
        id: format!("{FOREIGN_PREFIX}{}:{}", d.item, d.sha256),
        item: d.item.clone(),
        name: d.name.clone(),
        size: d.size.unwrap_or_default() as f64,
        modified_at: at(d.recorded_to),
        state: crate::media::MediaState::Done,
        bytes: d.size.unwrap_or_default() as f64,
        sha256: Some(d.sha256.clone()),
        sm3: d.sm3.clone(),
        hashed_at: at(d.stored_at),
        ..MediaEntry::default()
    }
}

/// Whether `d` is the digest of one of `entries` (the same file under the same item).
pub fn is_listed(d: &MediaDigest, entries: &[MediaEntry]) -> bool {
    // Finished files only: a reviewer's check of a file against this digest is not the file.
    entries.iter().any(|e| e.is_done() && e.item == d.item && e.sha256.as_deref() == Some(d.sha256.as_str()))
}

/// The acknowledgments the log does not hold yet (kept on this machine by a version that did
/// not log them): logged before a record is made, so the record's log backs every one.
pub fn unlogged_acks(state: &State) -> Vec<LogEvent> {
    let Some(log) = state.log.as_deref() else { return Vec::new() };
    state
        .stored
        .acks
        .iter()
        .filter(|a| {
            !log.entries.iter().any(|e| {
                matches!(&e.event, LogEvent::ItemAcknowledged(l) if l.item == a.item && l.note == a.note && l.by == a.by)
            })
        })
        .map(|a| {
            LogEvent::ItemAcknowledged(rules_core::ItemAcknowledged {
                item: a.item.clone(),
                by: a.by.clone(),
                note: a.note.clone(),
            })
        })
        .collect()
}

/// The record of the case shown: `None` without a case, or while its stored log is read (a
/// record then would lack what was stored). `foreign`: digests known from records only.
pub fn record_of(state: &State, foreign: &[MediaDigest]) -> Option<ChecklistRecord> {
    let case = state.case.as_ref()?;
    let log = state.log.as_deref().filter(|l| l.case_id == case.id && !state.log_loading)?;
    let acknowledgments = state
        .stored
        .acks
        .iter()
        .filter_map(|a| {
            Some(Acknowledgment {
                item: a.item.clone(),
                at: Time::parse(&a.at).ok()?,
                by: a.by.clone(),
                note: a.note.clone(),
            })
        })
        .collect();
    let reasons = state
        .stored
        .reasons
        .iter()
        .filter_map(|r| {
            Some(SubmitReason {
                items: r.items.clone(),
                reason: r.reason.clone(),
                at: Time::parse(&r.at).ok()?,
                by: r.by.clone(),
            })
        })
        .collect();
    let local: Vec<MediaEntry> = state
        .media
        .as_deref()
        .map(|m| m.iter().filter(|e| !e.id.starts_with(FOREIGN_PREFIX)).cloned().collect())
        .unwrap_or_default();
    let mut media: Vec<MediaDigest> = local.iter().filter_map(digest_of).collect();
    media.extend(foreign.iter().filter(|d| !is_listed(d, &local)).cloned());
    Some(ChecklistRecord {
        format: rules_core::RECORD_FORMAT.to_owned(),
        case_id: case.id.clone(),
        acknowledgments,
        reasons,
        media,
        log: RecordLog { head: log.head.clone(), signature: log.signature.clone(), entries: log.entries.clone() },
    })
}

/// What the widget keeps per case, from a record.
pub fn stored_of(r: &ChecklistRecord) -> Stored {
    Stored {
        acks: r
            .acknowledgments
            .iter()
            .map(|a| OfficerAck { item: a.item.clone(), at: iso(a.at), by: a.by.clone(), note: a.note.clone() })
            .collect(),
        reasons: r
            .reasons
            .iter()
            .map(|x| WarningReason {
                items: x.items.clone(),
                reason: x.reason.clone(),
                at: iso(x.at),
                by: x.by.clone(),
            })
            .collect(),
    }
}

/// What the officer is told of items two people confirmed differently (Chinese).
pub fn conflicts_notice(conflicts: &[rules_core::AckConflict]) -> Option<String> {
    if conflicts.is_empty() {
        return None;
    }
    let who = |a: &Acknowledgment| {
        format!("{} {}：{}", a.by.as_deref().unwrap_or("执法人员"), a.at, a.note.as_deref().unwrap_or(""))
    };
    let each: Vec<String> = conflicts
        .iter()
        .map(|c| {
            format!(
                "事项 {} 显示较晚的确认（{}），另一确认（{}）已记入操作日志",
                c.kept.item,
                who(&c.kept),
                who(&c.other)
            )
        })
        .collect();
    Some(format!("平台保存的清单记录与本机记录已合并，两处确认不一致：{}", each.join("；")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_foreign_file_reads_back_as_the_same_digest() {
        let d = MediaDigest {
            item: "13-inspection-av@A1".into(),
            name: "现场.mp4".into(),
            size: Some(1024),
            sha256: "ab".repeat(32),
            sm3: Some("cd".repeat(32)),
            recorded_to: Some(Time::parse("2026-03-02T10:00:00").unwrap()),
            stored_at: Some(Time::parse("2026-03-02T11:30:05").unwrap()),
        };
        let e = entry_of(&d);
        assert!(e.is_done());
        assert!(e.id.starts_with(FOREIGN_PREFIX));
        assert_eq!(digest_of(&e), Some(d));
    }

    #[test]
    fn stored_and_record_times_round_trip() {
        let stored = Stored {
            acks: vec![OfficerAck {
                item: "a@b".into(),
                at: "2026-03-02T09:05".into(),
                by: Some("张三".into()),
                note: Some("纸质回证见卷宗第12页".into()),
            }],
            reasons: vec![],
        };
        let mut state = State::new("2026-03-02T10:00".into());
        state.case = Some(std::rc::Rc::new(rules_core::Case { id: "X".into(), ..rules_core::Case::default() }));
        state.stored = stored;
        state.log = Some(std::rc::Rc::new(rules_core::CaseLog::new("X")));
        // The acknowledgment is not logged yet: it is to be, before a record is made.
        assert_eq!(unlogged_acks(&state).len(), 1);
        let r = record_of(&state, &[]).unwrap();
        assert_eq!(r.acknowledgments[0].at, Time::parse("2026-03-02T09:05").unwrap());
        let back = stored_of(&r);
        assert_eq!(Time::parse(&back.acks[0].at).unwrap(), Time::parse("2026-03-02T09:05").unwrap());
        state.log_loading = true;
        assert!(record_of(&state, &[]).is_none(), "no record while the stored log is read");
    }
}
