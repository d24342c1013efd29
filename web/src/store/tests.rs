//! The store's logic that needs no browser: storage keys, the storage warning, what the guard
//! does with an attempt and logs, the report as the host reads it, and the stored log merged
//! with the page's. The DOM side (listeners, events, storage) is the browser suites'.
use std::rc::Rc;

use rules_core::{LogEvent, SubmitAllowed, SubmitAttempted, SubmitBlocked, Time};

use super::events::report_text;
use super::guard::{attempt, unchecked_events, Attempt};
use super::log::merge_stored;
use super::persist::{stored_or_warned, Keys, NOT_STORED};
use super::UncheckedSubmit;
use crate::state::{Action, GuardKind, State};

const NOW: &str = "2026-03-25T10:00";
const RECEIPT: &str = "29-direct-receipt@S1";

fn with(name: &str) -> State {
    let text = match name {
        "complete" => include_str!("../../../pkg/demo/cases/complete.json"),
        "missing-receipt" => include_str!("../../../pkg/demo/cases/missing-receipt.json"),
        _ => include_str!("../../../pkg/demo/cases/overdue-av.json"),
    };
    let case = crate::engine::parse_case(text).map(Rc::new);
    State::new(NOW.into()).update(Action::SetCase(case))
}

fn time(s: &str) -> Time {
    Time::parse(s).unwrap_or_else(|e| unreachable!("{s}: {e}"))
}

#[test]
fn keys_are_those_officers_browsers_hold() {
    let k = Keys("law-record-checklist:v1:");
    assert_eq!(k.case("长住建罚〔2026〕15号"), "law-record-checklist:v1:长住建罚〔2026〕15号");
    assert_eq!(k.log("A-1"), "law-record-checklist:v1:A-1#log");
    assert_eq!(k.record_media("A-1"), "law-record-checklist:v1:A-1#record-media");
    assert_eq!(k.local_config(), "law-record-checklist:v1:admin-config");
}

#[test]
fn the_storage_warning_is_raised_once_and_dropped_when_storing_works_again() {
    let s = stored_or_warned(with("complete"), false);
    assert_eq!(s.storage_warning.as_deref(), Some(NOT_STORED));
    let again = stored_or_warned(s.clone(), false);
    assert_eq!(again, s, "a second failure changes nothing");
    let s = stored_or_warned(s, true);
    assert_eq!(s.storage_warning, None);
}

#[test]
fn a_clean_case_passes_and_logs_the_attempt_and_the_submit() {
    let Attempt::Pass(events) = attempt(&with("complete")) else { unreachable!("a complete case passes") };
    assert_eq!(
        events,
        [
            LogEvent::SubmitAttempted(SubmitAttempted { blocking: 0, warnings: 0 }),
            LogEvent::SubmitAllowed(SubmitAllowed { reason: None, warnings: Vec::new() }),
        ]
    );
}

#[test]
fn a_missing_record_holds_the_submit_and_logs_what_blocks() {
    let Attempt::Hold { kind, events } = attempt(&with("missing-receipt")) else { unreachable!("held") };
    assert_eq!(kind, GuardKind::Blocked);
    assert_eq!(
        events,
        [
            LogEvent::SubmitAttempted(SubmitAttempted { blocking: 1, warnings: 0 }),
            LogEvent::SubmitBlocked(SubmitBlocked {
                reason: "必须事项未满足".into(), blocking: vec![RECEIPT.into()]
            }),
        ]
    );
    // Acknowledged on paper, the same case passes.
    let s = with("missing-receipt").update(Action::Acknowledge {
        item: RECEIPT.into(),
        at: NOW.into(),
        note: "纸质送达回证见卷宗第12页".into(),
    });
    assert!(matches!(attempt(&s), Attempt::Pass(_)));
}

#[test]
fn an_unchecked_case_follows_the_agency_policy() {
    let bad = State::new(NOW.into()).update(Action::SetCase(Err("case is malformed at `id`".into())));
    let Attempt::Hold { kind, events } = attempt(&bad) else { unreachable!("the default asks a reason") };
    assert_eq!(kind, GuardKind::UncheckedReason);
    let Some(LogEvent::SubmitBlocked(b)) = events.get(1) else { unreachable!("{events:?}") };
    assert!(b.reason.starts_with("案件未经检查，等待填写理由：") && b.reason.contains("`id`"), "{}", b.reason);
    let config = crate::engine::parse_config(r#"{"unchecked":"allow-notice"}"#).unwrap_or_else(|e| unreachable!("{e}"));
    let allow = bad.update(Action::SetConfig(Ok(Some(Rc::new(config)))));
    let Attempt::AllowNotice { events, notice } = attempt(&allow) else { unreachable!("allowed with a notice") };
    assert!(notice.starts_with("本案未经记录清单检查即已提交："), "{notice}");
    assert!(
        matches!(events.get(1), Some(LogEvent::SubmitAllowed(a)) if a.reason.as_deref().is_some_and(|r| r.starts_with("未经检查放行（本机关设置）")))
    );
}

#[test]
fn submits_let_through_before_the_widget_loaded_are_logged_with_their_reason() {
    let events = unchecked_events(vec![
        UncheckedSubmit {
            at: "2026-03-25T09:00:00Z".into(), why: "加载超时".into(), reason: Some("急需提交".into())
        },
        UncheckedSubmit { at: "2026-03-25T09:05:00Z".into(), why: "加载超时".into(), reason: None },
    ]);
    let reasons: Vec<Option<&str>> = events
        .iter()
        .map(|e| match e {
            LogEvent::SubmitAllowed(a) => a.reason.as_deref(),
            _ => None,
        })
        .collect();
    assert_eq!(
        reasons,
        [
            Some("未经检查放行（2026-03-25T09:00:00Z，记录清单未能加载：加载超时）：急需提交"),
            Some("未经检查放行（2026-03-25T09:05:00Z，记录清单未能加载：加载超时；本机关设置为提示后放行）"),
        ]
    );
}

#[test]
fn the_host_reads_a_report_a_problem_or_no_case() {
    let none: serde_json::Value =
        serde_json::from_str(&report_text(&State::new(NOW.into()))).unwrap_or_else(|e| unreachable!("{e}"));
    assert_eq!(none["type"], "failure");
    assert_eq!(none["error"]["code"], "no-case");
    let ok: serde_json::Value =
        serde_json::from_str(&report_text(&with("missing-receipt"))).unwrap_or_else(|e| unreachable!("{e}"));
    assert_eq!(ok["type"], "success");
    assert_eq!(ok["report"]["gate"]["allowed"], false);
    let bad = State::new(NOW.into()).update(Action::SetCase(Err("case is malformed at `id`".into())));
    let bad: serde_json::Value = serde_json::from_str(&report_text(&bad)).unwrap_or_else(|e| unreachable!("{e}"));
    assert_eq!(bad["error"]["code"], "invalid-case");
    assert!(bad["error"]["message"].as_str().is_some_and(|m| m.contains("`id`")));
}

/// A state whose page log holds one submit attempt of its own, at 10:05.
fn with_page_log(case_id: &str) -> State {
    let mut page = rules_core::CaseLog::new(case_id);
    page.append(time("2026-03-25T10:05:00"), LogEvent::SubmitAttempted(SubmitAttempted { blocking: 1, warnings: 0 }));
    with("missing-receipt").update(Action::SetLog(Some(Rc::new(page))))
}

#[test]
fn the_stored_log_comes_first_then_this_pages_events() {
    let s = with("missing-receipt");
    let id = s.case.as_ref().map(|c| c.id.clone()).unwrap_or_default();
    let mut stored = rules_core::CaseLog::new(&id);
    stored.append(time("2026-03-24T09:00:00"), LogEvent::SubmitAttempted(SubmitAttempted { blocking: 2, warnings: 0 }));
    let text = serde_json::to_string(&stored.entries).unwrap_or_default();
    let s = with_page_log(&id);
    let (log, warning, _) = merge_stored(&s, &id, Some(text), None, None);
    assert_eq!(warning, None);
    assert!(log.verify().is_ok(), "one chain");
    assert_eq!(log.entries.first().map(|e| &e.event), stored.entries.first().map(|e| &e.event));
    let last = log.entries.last().map(|e| (e.at, e.event.clone()));
    assert_eq!(
        last,
        Some((time("2026-03-25T10:05:00"), LogEvent::SubmitAttempted(SubmitAttempted { blocking: 1, warnings: 0 })))
    );
    assert!(
        log.entries.iter().any(|e| matches!(e.event, LogEvent::PackVersion(_)) && e.at == time("2026-03-25T10:05:00")),
        "the pack is logged again, at the page's first entry"
    );
}

#[test]
fn an_unreadable_or_broken_stored_log_is_reported_and_a_new_chain_kept() {
    let s = with_page_log("C");
    let (log, warning, _) = merge_stored(&s, "C", Some("{not json".into()), Some("迁移失败".into()), None);
    let warning = warning.unwrap_or_default();
    assert!(warning.starts_with("迁移失败；本机保存的操作日志无法读取"), "{warning}");
    assert!(log.verify().is_ok());
    let mut stored = rules_core::CaseLog::new("C");
    stored.append(time("2026-03-24T09:00:00"), LogEvent::SubmitAttempted(SubmitAttempted { blocking: 2, warnings: 0 }));
    stored.append(time("2026-03-24T09:01:00"), LogEvent::SubmitAttempted(SubmitAttempted { blocking: 2, warnings: 0 }));
    let mut entries = stored.entries.clone();
    if let Some(e) = entries.first_mut() {
        e.at = time("2026-03-24T08:00:00");
    }
    let text = serde_json::to_string(&entries).unwrap_or_default();
    let (_, warning, _) = merge_stored(&s, "C", Some(text), None, None);
    assert!(warning.is_some_and(|w| w.contains("未通过链式校验：第 1 条")), "an edited entry is found");
}
