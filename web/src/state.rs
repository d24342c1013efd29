//! The widget's state and its reducer. Pure: no DOM, no storage, no clock; the store applies
//! the side effects. All rule logic is the engine's: the reducer only feeds it.
use std::collections::BTreeSet;
use std::rc::Rc;

use serde::{Deserialize, Serialize};

use crate::media::MediaEntry;
use crate::view::ReportView;

/// An item the officer marked as done outside the platform (e.g. a paper 送达回证 signed).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OfficerAck {
    /// Item key, `rule@target`.
    pub item: String,
    /// When the officer ticked it.
    pub at: String,
    /// Who ticked it, when the host told us.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub by: Option<String>,
}

/// The reason an officer gave for submitting with open warnings.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WarningReason {
    /// Keys of the warnings the reason covers.
    pub items: Vec<String>,
    /// The reason as typed.
    pub reason: String,
    /// When it was given.
    pub at: String,
    /// Who gave it, when the host told us.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub by: Option<String>,
}

/// What the widget keeps per case across reloads.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Stored {
    /// Officer acknowledgments.
    pub acks: Vec<OfficerAck>,
    /// Reasons given for warnings.
    pub reasons: Vec<WarningReason>,
}

/// Why there is no report; shown inside the widget.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "code", content = "message", rename_all = "kebab-case")]
pub enum Problem {
    /// The host's case does not match the contract.
    InvalidCase(String),
    /// No pack for the agency, or the pack did not load.
    Pack(String),
    /// A bad `now`.
    InvalidTime(String),
}

impl Problem {
    /// The message the officer sees.
    pub fn message(&self) -> String {
        match self {
            Problem::InvalidCase(m) => format!("案件数据无法读取：{m}"),
            Problem::Pack(m) => format!("无法加载执法机关规则包：{m}"),
            Problem::InvalidTime(m) => format!("时间无效：{m}"),
        }
    }
}

/// A fresh evaluation: the report as JSON for the host, and as read for rendering.
#[derive(Debug, Clone, PartialEq)]
pub struct Evaluated {
    /// The report as the host receives it.
    pub json: Rc<String>,
    /// The report as the widget renders it.
    pub view: Rc<ReportView>,
}

/// Which modal the submit guard shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GuardKind {
    /// Blocking items: cannot submit.
    Blocked,
    /// Only warnings: submit after giving a reason.
    NeedsReason,
}

/// The open submit-guard modal.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Guard {
    /// What the modal is for.
    pub kind: GuardKind,
    /// The reason being typed.
    pub draft: String,
    /// A complaint about the draft.
    pub error: Option<String>,
}

/// What the guard does with a submit attempt.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decision {
    /// No report (broken input): the host must keep working, so let it through unchecked.
    PassUnchecked,
    /// Nothing blocks and every open warning has a reason.
    Pass,
    /// Blocking items remain.
    Block,
    /// Open warnings without a reason.
    NeedsReason,
}

/// Everything the widget shows.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct State {
    /// The case from the host, without the officer's acknowledgments.
    pub case: Option<Rc<rules_core::Case>>,
    /// Agency pack chosen by the host; else the case's own agency.
    pub agency: Option<String>,
    /// Procedure chosen by the host; else the case's own.
    pub procedure: Option<String>,
    /// Who is using the widget, if the host said.
    pub officer: Option<String>,
    /// The agency's settings over the pack.
    pub config: Rc<rules_core::Config>,
    /// Current Beijing civil time, `YYYY-MM-DDTHH:MM`.
    pub now: String,
    /// Acknowledgments and reasons for this case.
    pub stored: Stored,
    /// The last evaluation.
    pub report: Option<Evaluated>,
    /// Why there is no report.
    pub problem: Option<Problem>,
    /// Items whose citation is shown.
    pub open_citations: BTreeSet<String>,
    /// Steps the officer collapsed.
    pub collapsed: BTreeSet<String>,
    /// The submit-guard modal, when open.
    pub guard: Option<Guard>,
    /// Counts confirmed reasons, so the store knows to let the held submit go.
    pub releases: u64,
    /// The 核查表 (HTML) while the print view is open; kept current as the case changes.
    pub print: Option<Rc<String>>,
    /// Files fingerprinted on this machine for this case; `None` while the loader has not
    /// connected hashing (then the widget offers no file buttons).
    pub media: Option<Rc<Vec<MediaEntry>>>,
}

/// Everything that changes the state.
#[derive(Debug, Clone, PartialEq)]
pub enum Action {
    /// A new case from the host, or why it could not be read.
    SetCase(Result<Rc<rules_core::Case>, String>),
    /// Host picks the agency pack (`None`: the case's agency).
    SetAgency(Option<String>),
    /// Host picks the procedure (`None`: the case's procedure).
    SetProcedure(Option<String>),
    /// Host names the officer.
    SetOfficer(Option<String>),
    /// Host sets the agency's configuration, or why it could not be read.
    SetConfig(Result<Rc<rules_core::Config>, String>),
    /// The clock moved.
    Tick(String),
    /// Acknowledgments and reasons loaded from storage.
    Restore(Stored),
    /// The officer ticks an item.
    Acknowledge {
        /// Item key.
        item: String,
        /// Time of the tick.
        at: String,
    },
    /// The officer unticks an item.
    Retract(String),
    /// Show or hide an item's citation.
    ToggleCitation(String),
    /// Collapse or expand a step.
    ToggleStep(String),
    /// A submit attempt was held.
    OpenGuard(GuardKind),
    /// The officer types the reason.
    EditReason(String),
    /// The officer confirms the reason.
    ConfirmReason {
        /// Time of the confirmation.
        at: String,
    },
    /// The modal is dismissed.
    CloseGuard,
    /// The officer opens the printable 核查表.
    OpenPrint,
    /// The officer closes it.
    ClosePrint,
    /// The loader's hashing reports the files of a case (progress, results, verifications).
    SetMedia {
        /// The case they belong to; ignored when it is not the case shown.
        case_id: Option<String>,
        /// Every file of that case.
        entries: Vec<MediaEntry>,
    },
}

impl State {
    /// A state with the clock set.
    pub fn new(now: String) -> Self {
        State { now, ..State::default() }
    }

    /// Applies one action.
    pub fn reduce(mut self, action: Action) -> Self {
        let mut reevaluate = true;
        match action {
            Action::SetCase(Ok(case)) => {
                let same_case = self.case.as_ref().is_some_and(|c| c.id == case.id);
                if !same_case {
                    self.stored = Stored::default();
                    self.media = self.media.as_ref().map(|_| Rc::new(Vec::new()));
                    self.open_citations.clear();
                    self.guard = None;
                }
                self.case = Some(case);
                self.problem = None;
            }
            Action::SetCase(Err(msg)) => {
                self.case = None;
                self.report = None;
                self.guard = None;
                self.print = None;
                self.problem = Some(Problem::InvalidCase(msg));
                reevaluate = false;
            }
            Action::SetAgency(a) => self.agency = a.filter(|s| !s.is_empty()),
            Action::SetProcedure(p) => self.procedure = p.filter(|s| !s.is_empty()),
            Action::SetOfficer(o) => {
                self.officer = o;
                reevaluate = false;
            }
            Action::SetConfig(Ok(config)) => self.config = config,
            Action::SetConfig(Err(msg)) => {
                self.report = None;
                self.guard = None;
                self.print = None;
                self.problem = Some(Problem::Pack(format!("本机关配置无法读取：{msg}")));
                reevaluate = false;
            }
            Action::Tick(now) => self.now = now,
            Action::Restore(stored) => self.stored = stored,
            Action::Acknowledge { item, at } => {
                if !self.stored.acks.iter().any(|a| a.item == item) {
                    self.stored.acks.push(OfficerAck { item, at, by: self.officer.clone() });
                }
            }
            Action::Retract(item) => self.stored.acks.retain(|a| a.item != item),
            Action::ToggleCitation(key) => {
                if !self.open_citations.remove(&key) {
                    self.open_citations.insert(key);
                }
                reevaluate = false;
            }
            Action::ToggleStep(id) => {
                if !self.collapsed.remove(&id) {
                    self.collapsed.insert(id);
                }
                reevaluate = false;
            }
            Action::OpenGuard(kind) => {
                self.guard = Some(Guard { kind, draft: String::new(), error: None });
                reevaluate = false;
            }
            Action::EditReason(text) => {
                if let Some(g) = self.guard.as_mut() {
                    g.draft = text;
                    g.error = None;
                }
                reevaluate = false;
            }
            Action::ConfirmReason { at } => {
                reevaluate = false;
                let Some(guard) = self.guard.as_mut() else { return self };
                let reason = guard.draft.trim().to_string();
                if reason.is_empty() {
                    guard.error = Some("请填写在存在警告时仍要提交的理由。".to_string());
                    return self;
                }
                let items = self
                    .report
                    .as_ref()
                    .map(|r| r.view.open_warnings().iter().map(|i| i.key.clone()).collect())
                    .unwrap_or_default();
                self.stored.reasons.push(WarningReason { items, reason, at, by: self.officer.clone() });
                self.guard = None;
                self.releases += 1;
            }
            Action::CloseGuard => {
                self.guard = None;
                reevaluate = false;
            }
            Action::OpenPrint => {
                reevaluate = false;
                self.print = Some(Rc::new(String::new()));
                self.render_sheet();
            }
            Action::ClosePrint => {
                self.print = None;
                reevaluate = false;
            }
            Action::SetMedia { case_id, entries } => {
                let current = self.case.as_ref().map(|c| c.id.as_str());
                if case_id.as_deref() != current && case_id.is_some() {
                    return self;
                }
                // Progress alone redraws; only a change in finished files changes the report.
                let done = |list: Option<&Rc<Vec<MediaEntry>>>| -> Vec<MediaEntry> {
                    list.map(|l| l.iter().filter(|e| e.is_done()).cloned().collect()).unwrap_or_default()
                };
                let before = done(self.media.as_ref());
                self.media = Some(Rc::new(entries));
                reevaluate = done(self.media.as_ref()) != before;
            }
        }
        if reevaluate {
            self.evaluate();
            if self.print.is_some() {
                self.render_sheet();
            }
        }
        self
    }

    /// Renders the 核查表 for the open print view; without a report there is nothing to print.
    fn render_sheet(&mut self) {
        let media = self.media.as_deref().map(Vec::as_slice).unwrap_or_default();
        let sheet = self.case.as_ref().and_then(|case| {
            crate::engine::sheet_html(
                case,
                crate::engine::Added { acks: &self.stored.acks, media },
                self.agency.as_deref(),
                self.procedure.as_deref(),
                &self.config,
                None,
                &self.now,
            )
            .ok()
        });
        self.print = sheet.map(Rc::new);
    }

    /// Runs the engine on the case with the officer's acknowledgments added.
    fn evaluate(&mut self) {
        let Some(case) = self.case.as_ref() else { return };
        let media = self.media.as_deref().map(Vec::as_slice).unwrap_or_default();
        match crate::engine::evaluate(
            case,
            crate::engine::Added { acks: &self.stored.acks, media },
            self.agency.as_deref(),
            self.procedure.as_deref(),
            &self.config,
            &self.now,
            true,
        ) {
            Ok(ev) => {
                self.report = Some(ev);
                self.problem = None;
            }
            Err(p) => {
                self.report = None;
                self.problem = Some(p);
            }
        }
    }

    /// What the submit guard does now.
    pub fn decision(&self) -> Decision {
        let Some(report) = self.report.as_ref() else { return Decision::PassUnchecked };
        if !report.view.gate.allowed || !report.view.blocking().is_empty() {
            return Decision::Block;
        }
        let covered = |key: &str| self.stored.reasons.iter().any(|r| r.items.iter().any(|k| k == key));
        if report.view.open_warnings().iter().all(|i| covered(&i.key)) {
            Decision::Pass
        } else {
            Decision::NeedsReason
        }
    }

    /// The files attached to an item on this machine.
    pub fn media_of(&self, key: &str) -> Vec<MediaEntry> {
        self.media.as_ref().map(|m| m.iter().filter(|e| e.item == key).cloned().collect()).unwrap_or_default()
    }

    /// The officer's acknowledgment of an item, if any.
    pub fn ack(&self, key: &str) -> Option<&OfficerAck> {
        self.stored.acks.iter().find(|a| a.item == key)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const NOW: &str = "2026-03-25T10:00";

    fn case(name: &str) -> Rc<rules_core::Case> {
        let text = match name {
            "complete" => include_str!("../../pkg/demo/cases/complete.json"),
            "missing-receipt" => include_str!("../../pkg/demo/cases/missing-receipt.json"),
            "overdue-av" => include_str!("../../pkg/demo/cases/overdue-av.json"),
            _ => include_str!("../../pkg/demo/cases/simple.json"),
        };
        Rc::new(crate::engine::parse_case(text).unwrap())
    }

    fn with(name: &str) -> State {
        State::new(NOW.into()).reduce(Action::SetCase(Ok(case(name))))
    }

    fn status(s: &State, key: &str) -> String {
        s.report.as_ref().unwrap().view.item(key).unwrap().status.clone()
    }

    #[test]
    fn complete_case_passes() {
        let s = with("complete");
        assert!(s.problem.is_none(), "{:?}", s.problem);
        assert_eq!(s.decision(), Decision::Pass);
        let steps: Vec<&str> = s.report.as_ref().unwrap().view.steps.iter().map(|s| s.name.as_str()).collect();
        assert!(steps.contains(&"送达"), "{steps:?}");
    }

    #[test]
    fn missing_receipt_blocks_until_acknowledged() {
        let s = with("missing-receipt");
        assert_eq!(s.decision(), Decision::Block);
        assert_eq!(status(&s, "29-direct-receipt@S1"), "missing");
        assert!(s.report.as_ref().unwrap().view.ackable.contains("29-direct-receipt@S1"));
        let s = s.reduce(Action::Acknowledge { item: "29-direct-receipt@S1".into(), at: NOW.into() });
        assert_eq!(status(&s, "29-direct-receipt@S1"), "satisfied");
        assert_eq!(s.decision(), Decision::Pass);
        let s = s.reduce(Action::Retract("29-direct-receipt@S1".into()));
        assert_eq!(s.decision(), Decision::Block);
    }

    #[test]
    fn overdue_av_is_a_warning_under_the_agency_config() {
        let s = with("overdue-av");
        assert_eq!(s.decision(), Decision::Block, "blocking as the pack is written");
        let config = crate::engine::parse_config(include_str!("../../pkg/demo/agency-config.json")).unwrap();
        let s = s.reduce(Action::SetConfig(Ok(Rc::new(config))));
        assert_eq!(s.decision(), Decision::NeedsReason);
        let s = s.reduce(Action::OpenGuard(GuardKind::NeedsReason)).reduce(Action::EditReason("  ".into()));
        let s = s.reduce(Action::ConfirmReason { at: NOW.into() });
        assert!(s.guard.as_ref().unwrap().error.is_some(), "a blank reason is refused");
        assert_eq!(s.releases, 0);
        let s = s
            .reduce(Action::EditReason("存储设备故障，已补存".into()))
            .reduce(Action::ConfirmReason { at: NOW.into() });
        assert!(s.guard.is_none());
        assert_eq!(s.releases, 1);
        assert_eq!(s.stored.reasons.len(), 1);
        assert_eq!(s.stored.reasons[0].items.len(), 1);
        assert_eq!(s.decision(), Decision::Pass);
    }

    #[test]
    fn broken_case_and_unknown_agency_are_problems_not_panics() {
        let s = with("complete").reduce(Action::SetCase(Err("activities[0].start: bad".into())));
        assert!(matches!(s.problem, Some(Problem::InvalidCase(_))));
        assert!(s.report.is_none());
        assert_eq!(s.decision(), Decision::PassUnchecked);
        let s = with("complete").reduce(Action::SetAgency(Some("nowhere-zfj".into())));
        assert!(matches!(s.problem, Some(Problem::Pack(_))));
        assert_eq!(s.decision(), Decision::PassUnchecked);
        let s = s.reduce(Action::SetAgency(None));
        assert!(s.problem.is_none());
    }

    #[test]
    fn another_case_starts_with_nothing_stored() {
        let s =
            with("missing-receipt").reduce(Action::Acknowledge { item: "29-direct-receipt@S1".into(), at: NOW.into() });
        assert_eq!(s.stored.acks.len(), 1);
        let s = s.reduce(Action::SetCase(Ok(case("complete"))));
        assert!(s.stored.acks.is_empty());
    }

    #[test]
    fn simple_procedure_and_override() {
        let s = with("simple");
        assert_eq!(s.decision(), Decision::Pass);
        let s = s.reduce(Action::SetProcedure(Some("ordinary".into())));
        assert_ne!(s.decision(), Decision::Pass, "the ordinary procedure asks for more");
    }

    #[test]
    fn the_print_view_follows_the_case_and_the_ticks() {
        let s = with("missing-receipt").reduce(Action::OpenPrint);
        let html = s.print.clone().unwrap();
        assert!(html.contains("行政执法全过程记录核查表"));
        assert!(html.contains("9f2c9f2c"), "the media digest");
        assert!(html.contains("直接送达行政执法文书的,应当制作《送达回证》"), "the citation");
        assert!(html.contains("不能提交"));
        let s = s.reduce(Action::Acknowledge { item: "29-direct-receipt@S1".into(), at: NOW.into() });
        let after = s.print.clone().unwrap();
        assert!(after.contains("人工确认") && after.contains("可以提交"), "the tick reaches the open sheet");
        let s = s.reduce(Action::ClosePrint);
        assert!(s.print.is_none());
        let s = s.reduce(Action::SetCase(Err("bad".into()))).reduce(Action::OpenPrint);
        assert!(s.print.is_none(), "no case, nothing to print");
    }

    #[test]
    fn time_moves_deadlines() {
        let s = with("overdue-av").reduce(Action::Tick("2026-03-02T12:00".into()));
        assert_eq!(status(&s, "41-av-stored-24h@V1/A1-执法记录仪-01.mp4"), "due-by");
    }

    #[test]
    fn a_file_hashed_in_time_meets_the_storage_deadline_and_progress_does_not_reevaluate() {
        let key = "41-av-stored-24h@V1/A1-执法记录仪-01.mp4";
        let s = with("overdue-av");
        assert_eq!(status(&s, key), "overdue");
        assert!(s.report.as_ref().unwrap().view.media_items.contains(key));
        let entry = crate::media::MediaEntry {
            id: "e1".into(),
            item: key.into(),
            name: "A1-执法记录仪-01.mp4".into(),
            size: 10.0,
            bytes: 4.0,
            state: "hashing".into(),
            ..Default::default()
        };
        let case_id = Some("长住建罚〔2026〕18号".to_string());
        let s = s.reduce(Action::SetMedia { case_id: case_id.clone(), entries: vec![entry.clone()] });
        let report = s.report.clone().unwrap();
        let s = s.reduce(Action::SetMedia {
            case_id: case_id.clone(),
            entries: vec![crate::media::MediaEntry { bytes: 8.0, ..entry.clone() }],
        });
        assert!(Rc::ptr_eq(&report.json, &s.report.as_ref().unwrap().json), "progress alone keeps the report");
        assert_eq!(s.media_of(key).len(), 1);
        let done = crate::media::MediaEntry {
            state: "done".into(),
            bytes: 10.0,
            sha256: Some("cd".repeat(32)),
            hashed_at: Some("2026-03-02T04:00:00.000Z".into()),
            ..entry
        };
        let other = s.clone().reduce(Action::SetMedia { case_id: Some("another".into()), entries: vec![done.clone()] });
        assert_eq!(status(&other, key), "overdue", "files of another case are ignored");
        let s = s.reduce(Action::SetMedia { case_id, entries: vec![done] });
        assert_eq!(status(&s, key), "satisfied");
    }
}
