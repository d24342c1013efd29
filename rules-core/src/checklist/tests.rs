use super::*;
use crate::log::{next_entry, ItemAcknowledged, ItemUnacknowledged, MediaHashed, Merged, PackVersion};

const CASE: &str = "长执罚〔2026〕12号";

fn t(s: &str) -> Time {
    Time::parse(s).unwrap()
}

/// Appends an event to a record's log and moves its head, as the widget does.
fn log(r: &mut ChecklistRecord, at: &str, event: LogEvent) {
    let e = next_entry(&r.case_id, r.log.entries.last(), t(at), event);
    r.log.entries.push(e);
    r.log.head = head_of(&r.case_id, &r.log.entries);
}

fn ack(r: &mut ChecklistRecord, item: &str, at: &str, by: &str, note: &str) {
    r.acknowledgments.retain(|a| a.item != item);
    r.acknowledgments.push(Acknowledgment {
        item: item.into(),
        at: t(at),
        by: Some(by.into()),
        note: Some(note.into()),
    });
    log(
        r,
        at,
        LogEvent::ItemAcknowledged(ItemAcknowledged {
            item: item.into(),
            by: Some(by.into()),
            note: Some(note.into()),
        }),
    );
}

fn unack(r: &mut ChecklistRecord, item: &str, at: &str) {
    r.acknowledgments.retain(|a| a.item != item);
    log(r, at, LogEvent::ItemUnacknowledged(ItemUnacknowledged { item: item.into() }));
}

/// A record both officers start from: the pack logged, one item confirmed.
fn shared() -> ChecklistRecord {
    let mut r = ChecklistRecord::new(CASE);
    log(
        &mut r,
        "2026-03-02T09:00",
        LogEvent::PackVersion(PackVersion { id: "changsha-zfj".into(), version: "2026.1".into() }),
    );
    ack(&mut r, "29-direct-receipt@S1", "2026-03-02T09:05", "张三", "纸质送达回证，见卷宗第12页");
    r
}

#[test]
fn a_record_round_trips_and_checks() {
    let mut r = shared();
    r.reasons.push(SubmitReason {
        items: vec!["41-av-stored-24h@R1/a.mp4".into()],
        reason: "存储设备故障，已报信息科".into(),
        at: t("2026-03-02T10:00"),
        by: Some("张三".into()),
    });
    r.media.push(MediaDigest {
        item: "13-inspection-av@A1".into(),
        name: "现场.mp4".into(),
        size: Some(10),
        sha256: "ab".repeat(32),
        sm3: None,
        recorded_to: None,
        stored_at: Some(t("2026-03-02T09:30")),
    });
    log(
        &mut r,
        "2026-03-02T09:30",
        LogEvent::MediaHashed(MediaHashed {
            record: Some("13-inspection-av@A1".into()),
            name: "现场.mp4".into(),
            size: Some(10),
            sha256: "ab".repeat(32),
        }),
    );
    let back = ChecklistRecord::from_json(&r.to_json()).unwrap();
    assert_eq!(back, r);
    assert_eq!(back.check().unwrap().count, 3);
}

#[test]
fn refusals_name_what_and_where() {
    let r = shared();
    let json = r.to_json();
    // Another case.
    let e = ChecklistRecord::from_json_for(&json, "其他案件").unwrap_err();
    assert!(matches!(&e, RecordError::OtherCase { found, .. } if found == CASE), "{e}");
    assert!(e.zh().contains("不是本案"));
    // Another version: said as such even when the rest would not fit.
    let v2 = json.replace("law-record-checklist/1", "law-record-checklist/2").replace("\"log\"", "\"journal\"");
    assert_eq!(
        ChecklistRecord::from_json(&v2).unwrap_err(),
        RecordError::Format { found: "law-record-checklist/2".into() }
    );
    assert!(matches!(ChecklistRecord::from_json("{}").unwrap_err(), RecordError::Format { found } if found.is_empty()));
    // Malformed, located.
    let bad = json.replacen("\"2026-03-02T09:05:00\"", "\"yesterday\"", 1);
    match ChecklistRecord::from_json(&bad).unwrap_err() {
        RecordError::Malformed { location, .. } => assert_eq!(location, "acknowledgments[0].at"),
        other => panic!("{other}"),
    }
    assert!(matches!(ChecklistRecord::from_json("{not json").unwrap_err(), RecordError::Malformed { .. }));
    // A log entry edited.
    let edited = json.replacen("纸质送达回证，见卷宗第12页", "纸质送达回证，见卷宗第13页", 2);
    match ChecklistRecord::from_json(&edited).unwrap_err() {
        RecordError::Log(b) => {
            assert_eq!(b.index, 1);
            assert_eq!(b.reason, BreakReason::Edited);
        }
        other => panic!("{other}"),
    }
    // The acknowledgment edited apart from the log.
    let mut listed = r.clone();
    listed.acknowledgments[0].note = Some("另写的说明，与日志不同".into());
    let e = ChecklistRecord::from_json(&listed.to_json()).unwrap_err();
    assert_eq!(
        e,
        RecordError::NotLogged {
            location: "acknowledgments[0]".into(), what: "确认事项 29-direct-receipt@S1".into()
        }
    );
    // The head moved back: the last entry is outside it.
    let mut short = r.clone();
    short.log.head = head_of(CASE, &r.log.entries[..1]);
    assert!(matches!(ChecklistRecord::from_json(&short.to_json()).unwrap_err(), RecordError::Log(_)));
    // The last entry cut off with the head recomputed: the acknowledgment is no longer logged.
    let mut cut = r.clone();
    cut.log.entries.pop();
    cut.log.head = head_of(CASE, &cut.log.entries);
    assert!(matches!(ChecklistRecord::from_json(&cut.to_json()).unwrap_err(), RecordError::NotLogged { .. }));
}

#[test]
fn two_officers_lose_nothing_and_the_merged_log_verifies() {
    let base = shared();
    let mut a = base.clone();
    ack(&mut a, "13-inspection-av@A1", "2026-03-02T10:00", "张三", "执法记录仪视频已刻盘，见卷宗第3页");
    a.reasons.push(SubmitReason {
        items: vec![],
        reason: "警告已核实，情况说明附卷".into(),
        at: t("2026-03-02T10:05"),
        by: Some("张三".into()),
    });
    let mut b = base.clone();
    ack(&mut b, "20-inquiry-record@A2", "2026-03-02T10:01", "李四", "询问笔录纸质件见卷宗第5页");
    let merged = a.merge(&b, t("2026-03-02T11:00")).unwrap();
    let m = &merged.record;
    assert!(merged.conflicts.is_empty());
    let items: Vec<&str> = m.acknowledgments.iter().map(|x| x.item.as_str()).collect();
    assert_eq!(items, ["29-direct-receipt@S1", "13-inspection-av@A1", "20-inquiry-record@A2"]);
    assert_eq!(m.reasons.len(), 1);
    // Every entry of both, plus the merge entry naming both heads.
    assert_eq!(m.log.entries.len(), 2 + 1 + 1 + 1);
    for e in a.log.entries.iter().chain(&b.log.entries) {
        assert!(m.log.entries.contains(e), "entry {} kept with its hash", e.seq);
    }
    let last = m.log.entries.last().unwrap();
    assert_eq!(
        last.event,
        LogEvent::Merged(Merged { heads: vec![a.log.head.hash.clone(), b.log.head.hash.clone()], conflicts: vec![] })
    );
    m.check().unwrap();
    // Each officer's own head, kept from before the merge, is still reached.
    verify(CASE, &m.log.entries, Some(&a.log.head)).unwrap();
    verify(CASE, &m.log.entries, Some(&b.log.head)).unwrap();
    // Read back, the merged record is accepted.
    assert_eq!(ChecklistRecord::from_json(&m.to_json()).unwrap(), *m);
    // Merging again changes nothing.
    assert_eq!(m.merge(&b, t("2026-03-02T12:00")).unwrap().record, *m);
    // The other side takes it in without a merge entry of its own: its own entries first (an
    // append-only store keeps them), then the rest; the same entries and head as the merged one.
    let caught_up = b.merge(m, t("2026-03-02T12:00")).unwrap().record;
    assert_eq!(caught_up.log.entries[..b.log.entries.len()], b.log.entries[..]);
    assert_eq!(caught_up.log.head, m.log.head);
    let sorted = |r: &ChecklistRecord| {
        let mut h: Vec<String> = r.log.entries.iter().map(|e| e.hash.clone()).collect();
        h.sort();
        h
    };
    assert_eq!(sorted(&caught_up), sorted(m));
    caught_up.check().unwrap();
    assert_eq!(caught_up.acknowledgments.len(), 3);
    // Work after the merge goes on from its head.
    let mut on = m.clone();
    ack(&mut on, "30-x@S2", "2026-03-02T12:00", "王五", "补充说明材料见卷宗第9页");
    on.check().unwrap();
}

/// How many merge entries a record's log holds.
fn merges(r: &ChecklistRecord) -> usize {
    r.log.entries.iter().filter(|e| matches!(e.event, LogEvent::Merged(_))).count()
}

#[test]
fn a_first_open_takes_the_stored_record_without_a_merge_entry() {
    let mut stored = shared();
    stored.reasons.push(SubmitReason {
        items: vec![],
        reason: "警告已核实，情况说明附卷".into(),
        at: t("2026-03-02T10:05"),
        by: Some("张三".into()),
    });
    // A PC that never had the case holds nothing of its own: it takes the stored record as it
    // is, the same entries and head, and logs no merge.
    let fresh = ChecklistRecord::new(CASE);
    let m = fresh.merge(&stored, t("2026-03-03T08:00")).unwrap();
    assert!(m.conflicts.is_empty());
    assert_eq!(m.record, stored);
    assert_eq!(merges(&m.record), 0);
    // The same record given back (a reload), either way round: nothing changes.
    assert_eq!(stored.merge(&stored, t("2026-03-03T08:00")).unwrap().record, stored);
    // A copy that is the start of the stored one catches up without a merge entry.
    let mut later = stored.clone();
    ack(&mut later, "13-inspection-av@A1", "2026-03-02T11:00", "张三", "执法记录仪视频已刻盘，见卷宗第3页");
    let caught_up = stored.merge(&later, t("2026-03-03T08:00")).unwrap().record;
    assert_eq!(caught_up, later);
    assert_eq!(merges(&caught_up), 0);
    assert_eq!(later.merge(&stored, t("2026-03-03T08:00")).unwrap().record, later);
    // Only a real join, two copies each with entries the other lacks, logs one merge entry.
    let mut other = stored.clone();
    ack(&mut other, "20-inquiry-record@A2", "2026-03-02T11:01", "李四", "询问笔录纸质件见卷宗第5页");
    let joined = later.merge(&other, t("2026-03-03T08:00")).unwrap().record;
    assert_eq!(merges(&joined), 1);
    joined.check().unwrap();
    // And joining the joined record again adds none.
    assert_eq!(merges(&joined.merge(&other, t("2026-03-03T09:00")).unwrap().record), 1);
    assert_eq!(merges(&other.merge(&joined, t("2026-03-03T09:00")).unwrap().record), 1);
}

#[test]
fn a_conflicting_acknowledgment_keeps_the_later_and_logs_both() {
    let base = shared();
    let mut a = base.clone();
    ack(&mut a, "13-inspection-av@A1", "2026-03-02T10:00", "张三", "视频刻盘，见卷宗第3页");
    let mut b = base.clone();
    ack(&mut b, "13-inspection-av@A1", "2026-03-02T10:30", "李四", "视频已存执法记录仪管理系统");
    for (ours, theirs) in [(&a, &b), (&b, &a)] {
        let out = ours.merge(theirs, t("2026-03-02T11:00")).unwrap();
        let kept = out.record.acknowledgments.iter().find(|x| x.item == "13-inspection-av@A1").unwrap();
        assert_eq!(kept.by.as_deref(), Some("李四"), "the later one, whichever side merges");
        assert_eq!(out.conflicts.len(), 1);
        assert_eq!(out.conflicts[0].other.by.as_deref(), Some("张三"));
        let notes: Vec<_> = out
            .record
            .log
            .entries
            .iter()
            .filter_map(|e| match &e.event {
                LogEvent::ItemAcknowledged(x) if x.item == "13-inspection-av@A1" => x.note.clone(),
                _ => None,
            })
            .collect();
        assert_eq!(notes.len(), 2, "both in the log");
        match &out.record.log.entries.last().unwrap().event {
            LogEvent::Merged(m) => assert_eq!(m.conflicts, ["13-inspection-av@A1"]),
            other => panic!("{other:?}"),
        }
        out.record.check().unwrap();
    }
}

#[test]
fn with_the_same_stated_time_the_later_logged_acknowledgment_is_kept() {
    // A platform fixing the widget's clock gives both the same `at`; the log's time decides.
    let base = shared();
    let mut a = base.clone();
    ack(&mut a, "13-inspection-av@A1", "2026-03-02T10:00", "张三", "视频已存执法记录仪管理系统，编号3");
    let mut b = base.clone();
    ack(&mut b, "13-inspection-av@A1", "2026-03-02T10:00", "李四", "视频刻盘，见卷宗第3页");
    // B's was logged a minute later (A's note would win a tie: the order is not by chance).
    let last = b.log.entries.len() - 1;
    b.log.entries[last].at = t("2026-03-02T10:01:00");
    b.log.entries[last].hash = b.log.entries[last].content_hash();
    b.log.head = head_of(CASE, &b.log.entries);
    for (ours, theirs) in [(&a, &b), (&b, &a)] {
        let out = ours.merge(theirs, t("2026-03-02T11:00")).unwrap();
        assert_eq!(out.conflicts[0].kept.by.as_deref(), Some("李四"));
    }
}

#[test]
fn a_retraction_on_one_side_wins_over_the_older_tick() {
    let base = shared();
    let mut a = base.clone();
    unack(&mut a, "29-direct-receipt@S1", "2026-03-02T10:00");
    let mut b = base.clone();
    ack(&mut b, "13-inspection-av@A1", "2026-03-02T10:01", "李四", "视频已存执法记录仪管理系统");
    let out = b.merge(&a, t("2026-03-02T11:00")).unwrap();
    let items: Vec<&str> = out.record.acknowledgments.iter().map(|x| x.item.as_str()).collect();
    assert_eq!(items, ["13-inspection-av@A1"]);
    assert_eq!(a.merge(&b, t("2026-03-02T11:00")).unwrap().record.acknowledgments, out.record.acknowledgments);
}

#[test]
fn a_bad_entry_on_either_branch_is_named() {
    let base = shared();
    let mut a = base.clone();
    ack(&mut a, "13-inspection-av@A1", "2026-03-02T10:00", "张三", "视频刻盘，见卷宗第3页");
    ack(&mut a, "14-x@A1", "2026-03-02T10:02", "张三", "另一项的说明写在这里");
    let mut b = base.clone();
    ack(&mut b, "20-inquiry-record@A2", "2026-03-02T10:01", "李四", "询问笔录纸质件见卷宗第5页");
    ack(&mut b, "21-y@A2", "2026-03-02T10:03", "李四", "再一项的说明写在这里");
    let m = a.merge(&b, t("2026-03-02T11:00")).unwrap().record.log.entries;
    // [0 pack, 1 ack, 2 a1, 3 a2, 4 b1, 5 b2, 6 merge]
    assert_eq!(m.len(), 7);
    verify(CASE, &m, None).unwrap();
    for index in [3, 4] {
        let mut edited = m.clone();
        if let LogEvent::ItemAcknowledged(x) = &mut edited[index].event {
            x.note = Some("改过的说明文字内容".into());
        }
        let e = verify(CASE, &edited, None).unwrap_err();
        assert_eq!((e.index, e.reason), (index, BreakReason::Edited));
    }
    // An entry taken out of the other branch: the next one links to nothing.
    let mut gap = m.clone();
    gap.remove(4);
    let e = verify(CASE, &gap, None).unwrap_err();
    assert_eq!((e.index, e.reason), (4, BreakReason::BrokenLink));
    // A branch's last entry taken out: the merge names a head that is not there.
    let mut tail = m.clone();
    tail.remove(5);
    let e = verify(CASE, &tail, None).unwrap_err();
    assert_eq!((e.index, e.reason), (5, BreakReason::BadMerge));
    // The merge entry taken out: with no merge left the log reads as one chain, broken at the
    // first entry of the second branch.
    let mut unjoined = m.clone();
    unjoined.pop();
    assert_eq!(verify(CASE, &unjoined, None).unwrap_err().index, 4);
    // A stray branch put in before the merge, joined by nothing.
    let mut stray = m.clone();
    let extra = next_entry(
        CASE,
        Some(&m[1]),
        t("2026-03-02T10:10"),
        LogEvent::ItemUnacknowledged(ItemUnacknowledged { item: "x@y".into() }),
    );
    stray.insert(6, extra);
    let e = verify(CASE, &stray, None).unwrap_err();
    assert_eq!((e.index, e.reason), (6, BreakReason::Unmerged));
    // Cut off at the end against a known head.
    let mut longer = m.clone();
    longer.push(next_entry(
        CASE,
        m.last(),
        t("2026-03-02T12:00"),
        LogEvent::ItemUnacknowledged(ItemUnacknowledged { item: "x@y".into() }),
    ));
    let head = head_of(CASE, &longer);
    verify(CASE, &longer, Some(&head)).unwrap();
    let e = verify(CASE, &m, Some(&head)).unwrap_err();
    assert!(matches!(e.reason, BreakReason::Truncated { expected: 8, found: 7 }), "{e}");
    // A known head of the right count but another hash: rewritten.
    let other = LogHead { count: 7, hash: "00".repeat(32) };
    assert!(matches!(verify(CASE, &m, Some(&other)).unwrap_err().reason, BreakReason::HeadMismatch { .. }));
}

#[test]
fn the_record_is_read_with_the_case() {
    let pack = Pack::builtin("changsha-zfj").unwrap();
    let mut case = Case::from_json(
        r#"{"id": "长执罚〔2026〕12号", "procedure": "ordinary",
            "activities": [{"id": "A1", "kind": "现场检查", "start": "2026-03-02T09:00", "end": "2026-03-02T10:00"}]}"#,
    )
    .unwrap();
    let now = t("2026-03-02T12:00");
    let before = crate::eval::evaluate(&case, &pack, &crate::Config::default(), now);
    let key = "13-inspection-av@A1";
    assert_eq!(before.item(key).unwrap().status, crate::Status::Missing);
    let mut r = ChecklistRecord::new(CASE);
    r.media.push(MediaDigest {
        item: key.into(),
        name: "现场.mp4".into(),
        size: Some(10),
        sha256: "ab".repeat(32),
        sm3: None,
        recorded_to: Some(t("2026-03-02T10:00")),
        stored_at: Some(t("2026-03-02T11:00")),
    });
    assert!(r.apply_to(&mut case, &pack).is_empty());
    let after = crate::eval::evaluate(&case, &pack, &crate::Config::default(), now);
    assert_ne!(after.item(key).unwrap().status, crate::Status::Missing);
    // A digest for an item the pack does not have is said, not dropped silently.
    r.media[0].item = "99-none@A1".into();
    assert_eq!(r.apply_to(&mut case, &pack).len(), 1);
}
