//! What a checklist record holds, for people: `rules record check` and `rules audit`.
use rules_core::{Acknowledgment, ChecklistRecord, SubmitReason};

/// `张三 2026-03-02T09:05:00：纸质送达回证，见卷宗第12页` — who, when, what they wrote.
pub fn ack_line(a: &Acknowledgment) -> String {
    format!("{} {}：{}", a.by.as_deref().unwrap_or("执法人员"), a.at, a.note.as_deref().unwrap_or("（未写说明）"))
}

/// A reason given at submit: who, when, the reason.
pub fn reason_line(r: &SubmitReason) -> String {
    format!("{} {}：{}", r.by.as_deref().unwrap_or("执法人员"), r.at, r.reason)
}

/// The record's acknowledgments, reasons and media digests as zh-CN lines.
pub fn summary(r: &ChecklistRecord) -> String {
    use std::fmt::Write;
    let mut s = format!("案件 {} 的清单记录（{}）\n", r.case_id, r.format);
    let _ = writeln!(s, "人工确认 {} 项：", r.acknowledgments.len());
    for a in &r.acknowledgments {
        let _ = writeln!(s, "  {}  {}", a.item, ack_line(a));
    }
    let _ = writeln!(s, "提交理由 {} 条：", r.reasons.len());
    for x in &r.reasons {
        let items = if x.items.is_empty() { String::new() } else { format!("（涉及 {}）", x.items.join("、")) };
        let _ = writeln!(s, "  {}{items}", reason_line(x));
    }
    let _ = writeln!(s, "音像文件哈希 {} 个：", r.media.len());
    for m in &r.media {
        let _ = writeln!(s, "  {}  {}  SHA-256 {}", m.item, m.name, m.sha256);
    }
    let _ = write!(s, "操作日志 {} 条，日志头哈希 {}", r.log.head.count, r.log.head.hash);
    s
}
