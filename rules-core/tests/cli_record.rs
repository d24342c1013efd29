//! The checklist record through the `rules` binary: `record check`, `record merge`,
//! `log verify` on a record, `check --record` and `audit` reading records beside cases.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)] // test code: failing loudly is the point
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use rules_core::{
    head_of, next_entry, Acknowledgment, ChecklistRecord, ItemAcknowledged, LogEvent, PackVersion, SubmitAllowed,
    SubmitReason, Time,
};

const CASE: &str = "长执罚〔2026〕0013号";
const ITEM: &str = "29-direct-receipt@S2";

fn rules(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_rules")).args(args).output().unwrap()
}

fn text(o: &Output) -> String {
    format!("{}{}", String::from_utf8_lossy(&o.stdout), String::from_utf8_lossy(&o.stderr))
}

fn scratch() -> tempfile::TempDir {
    tempfile::Builder::new().prefix("rules-cli-record-").tempdir().unwrap()
}

fn sample(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("samples").join(name)
}

fn t(s: &str) -> Time {
    Time::parse(s).unwrap()
}

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

/// Officer A's record of sample 02: the paper 送达回证 confirmed, a reason given at submit.
fn officer_a() -> ChecklistRecord {
    let mut r = ChecklistRecord::new(CASE);
    log(
        &mut r,
        "2026-03-10T09:00",
        LogEvent::PackVersion(PackVersion { id: "changsha-zfj".into(), version: "1".into() }),
    );
    ack(&mut r, ITEM, "2026-03-10T09:05", "张三", "纸质送达回证已签收，见卷宗第12页");
    r.reasons.push(SubmitReason {
        items: vec![],
        reason: "当事人已当场签收，回证原件附卷".into(),
        at: t("2026-03-10T09:10"),
        by: Some("张三".into()),
    });
    log(
        &mut r,
        "2026-03-10T09:10",
        LogEvent::SubmitAllowed(SubmitAllowed {
            reason: Some("当事人已当场签收，回证原件附卷".into()),
            warnings: vec![],
        }),
    );
    r
}

#[test]
fn record_check_lists_who_when_and_the_note_and_refuses_by_place() {
    let tmp = scratch();
    let good = tmp.path().join("good.json");
    std::fs::write(&good, officer_a().to_json()).unwrap();
    let o = rules(&[
        "record",
        "check",
        good.to_str().unwrap(),
        "--case",
        sample("02-missing-service-receipt.json").to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    assert!(text(&o).contains("张三 2026-03-10 09:05：纸质送达回证已签收，见卷宗第12页"), "{}", text(&o));
    assert!(text(&o).contains("当事人已当场签收，回证原件附卷"), "{}", text(&o));
    assert!(text(&o).contains("记录校验通过"), "{}", text(&o));

    let o = rules(&["record", "check", good.to_str().unwrap(), "--case", "长执罚〔2026〕0099号"]);
    assert_eq!(o.status.code(), Some(2), "{}", text(&o));
    assert!(text(&o).contains("record is of case `长执罚〔2026〕0013号`, not `长执罚〔2026〕0099号`"), "{}", text(&o));

    let bad = tmp.path().join("bad.json");
    let mut r = officer_a();
    r.acknowledgments[0].note = Some("说明被改成了另一段文字".into());
    std::fs::write(&bad, r.to_json()).unwrap();
    let o = rules(&["record", "check", bad.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    assert!(text(&o).contains("acknowledgments[0]"), "{}", text(&o));

    std::fs::write(&bad, officer_a().to_json().replace("law-record-checklist/1", "law-record-checklist/9")).unwrap();
    let o = rules(&["record", "check", bad.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2), "{}", text(&o));
    assert!(text(&o).contains("record has format `law-record-checklist/9`"), "{}", text(&o));

    std::fs::write(&bad, officer_a().to_json().replacen("\"张三\"", "7", 1)).unwrap();
    let o = rules(&["record", "check", bad.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2), "{}", text(&o));
    assert!(text(&o).contains("record is malformed at `acknowledgments[0].by`"), "{}", text(&o));
}

#[test]
fn two_copies_merge_and_the_merged_log_verifies_and_names_a_bad_entry() {
    let tmp = scratch();
    let base = officer_a();
    let mut a = base.clone();
    ack(&mut a, "13-inspection-av@A1", "2026-03-11T09:00", "张三", "执法记录仪视频已刻盘，见卷宗第3页");
    let mut b = base.clone();
    ack(&mut b, ITEM, "2026-03-11T10:00", "李四", "回证原件已交档案室，编号 2026-113");
    let (pa, pb, pm) = (tmp.path().join("a.json"), tmp.path().join("b.json"), tmp.path().join("m.json"));
    std::fs::write(&pa, a.to_json()).unwrap();
    std::fs::write(&pb, b.to_json()).unwrap();
    let o = rules(&[
        "record",
        "merge",
        pa.to_str().unwrap(),
        pb.to_str().unwrap(),
        "--at",
        "2026-03-12T08:00",
        "-o",
        pm.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    // The conflict is said, with both sides.
    assert!(text(&o).contains("保留较晚的一条（李四"), "{}", text(&o));
    assert!(text(&o).contains("另一条（张三"), "{}", text(&o));

    let o = rules(&["log", "verify", pm.to_str().unwrap(), "--list"]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    assert!(text(&o).contains("其中 1 条合并记录"), "{}", text(&o));
    assert!(text(&o).contains("合并两份记录的日志"), "{}", text(&o));
    // Each officer's head from before the merge is still reached.
    for r in [&a, &b] {
        let count = r.log.head.count.to_string();
        let o = rules(&["log", "verify", pm.to_str().unwrap(), "--head", &r.log.head.hash, "--count", &count]);
        assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    }
    let merged = std::fs::read_to_string(&pm).unwrap();
    // B's own entry edited inside the merged file: named, on B's branch (the 5th entry).
    let edited = merged.replacen("回证原件已交档案室，编号 2026-113", "回证原件已交档案室，编号 2026-114", 2);
    std::fs::write(&pm, &edited).unwrap();
    let o = rules(&["log", "verify", pm.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    assert!(text(&o).contains("第 5 条（seq 3）内容被修改"), "{}", text(&o));
}

#[test]
fn check_reads_the_record_with_the_case() {
    let tmp = scratch();
    let case = sample("02-missing-service-receipt.json");
    let o = rules(&["check", case.to_str().unwrap(), "--now", "2026-04-10T12:00"]);
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    let rec = tmp.path().join("r.json");
    std::fs::write(&rec, officer_a().to_json()).unwrap();
    let o = rules(&["check", case.to_str().unwrap(), "--now", "2026-04-10T12:00", "--record", rec.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    assert!(text(&o).contains("经办人员已确认（系统中无相应记录）：缺少《送达回证》"), "{}", text(&o));
    let o = rules(&[
        "check",
        case.to_str().unwrap(),
        "--now",
        "2026-04-10T12:00",
        "--record",
        rec.to_str().unwrap(),
        "--format",
        "json",
    ]);
    assert!(text(&o).contains("人工确认 2026-03-10 09:05（张三）：纸质送达回证已签收，见卷宗第12页"), "{}", text(&o));
    // Another case's record is refused, by name.
    let mut other = officer_a();
    other.case_id = "别的案件".into();
    std::fs::write(&rec, other.to_json()).unwrap();
    let o = rules(&["check", case.to_str().unwrap(), "--now", "2026-04-10T12:00", "--record", rec.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2), "{}", text(&o));
}

#[test]
fn audit_reads_records_beside_cases_and_in_json_lines() {
    let tmp = scratch();
    let dir = tmp.path().join("cases");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::copy(sample("02-missing-service-receipt.json"), dir.join("13号.json")).unwrap();
    std::fs::write(dir.join("13号.record.json"), officer_a().to_json()).unwrap();
    let csv = tmp.path().join("cases.csv");
    let o = rules(&["audit", dir.to_str().unwrap(), "--now", "2026-04-10T12:00", "--csv", csv.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    let out = text(&o);
    // One case, not two: the record is read with it.
    assert!(out.starts_with("案卷评查：1 件案件"), "{out}");
    assert!(out.contains("纸质送达回证已签收，见卷宗第12页"), "{out}");
    assert!(out.contains("提交理由"), "{out}");
    assert!(out.contains("张三 2026-03-10 09:10：当事人已当场签收，回证原件附卷"), "{out}");
    let table = std::fs::read_to_string(&csv).unwrap();
    assert!(table.lines().next().unwrap().ends_with("提交理由,清单记录日志头"), "{table}");
    assert!(table.contains("张三 2026-03-10 09:10：当事人已当场签收，回证原件附卷"), "{table}");

    // A record that does not check: the case is listed as not checked, with why.
    let mut bad = officer_a();
    bad.acknowledgments[0].note = Some("说明被改成了另一段文字".into());
    std::fs::write(dir.join("13号.record.json"), bad.to_json()).unwrap();
    let o = rules(&["audit", dir.to_str().unwrap(), "--now", "2026-04-10T12:00"]);
    assert_eq!(o.status.code(), Some(2), "{}", text(&o));
    assert!(text(&o).contains("无法检查：清单记录：record lists at `acknowledgments[0]`"), "{}", text(&o));

    // JSON lines: `{"case": …, "record": …}` beside plain cases.
    let case: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(sample("02-missing-service-receipt.json")).unwrap()).unwrap();
    let record: serde_json::Value = serde_json::from_str(&officer_a().to_json()).unwrap();
    let lines = format!("{}\n{}\n", serde_json::json!({"case": case, "record": record}), case);
    let jsonl = tmp.path().join("cases.jsonl");
    std::fs::write(&jsonl, lines).unwrap();
    let o = rules(&["audit", jsonl.to_str().unwrap(), "--now", "2026-04-10T12:00"]);
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    let out = text(&o);
    assert!(out.contains("可以提交 1 件，不能提交 1 件"), "{out}");
    assert!(out.contains("当事人已当场签收，回证原件附卷"), "{out}");
}
