//! The widget's state, its reducer and what is derived from it. Pure: no DOM, no storage, no
//! clock; the store applies the side effects. `reduce` applies an action to the inputs only;
//! `settle` derives the evaluation and what follows from it; `update` does both. All rule
//! logic is the engine's: the state only feeds it.
use std::rc::Rc;

use serde::{Deserialize, Serialize};

use crate::media::MediaEntry;
use crate::model::{Evaluated, OfficerAck, Problem};

mod admin;

pub use admin::{Admin, PendingImport, RuleDraft};

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

/// Which modal the submit guard shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GuardKind {
    /// Blocking items: cannot submit.
    Blocked,
    /// Only warnings: submit after giving a reason.
    NeedsReason,
    /// The case could not be checked, and the agency asks a reason before it is submitted.
    UncheckedReason,
    /// The case could not be checked, and the agency does not let it be submitted.
    UncheckedBlocked,
}

impl GuardKind {
    /// Whether the modal only explains why the submit was stopped (no reason can release it).
    pub fn is_blocked(self) -> bool {
        matches!(self, GuardKind::Blocked | GuardKind::UncheckedBlocked)
    }
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
    /// No report (broken input, no case yet): the agency config's policy for unchecked cases.
    Unchecked(rules_core::UncheckedPolicy),
    /// Nothing blocks and every open warning has a reason.
    Pass,
    /// Blocking items remain.
    Block,
    /// Open warnings without a reason.
    NeedsReason,
}

/// Where the config in effect came from.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum ConfigOrigin {
    /// No config: the pack as written.
    #[default]
    PackDefaults,
    /// The host platform's config.
    Host,
    /// The administrator's local edits, not yet handed to the platform.
    Local,
}

/// Adds `key` to `list`, or takes it out when it is there.
fn toggle(list: &mut Vec<String>, key: String) {
    match list.iter().position(|k| *k == key) {
        Some(at) => {
            list.remove(at);
        }
        None => list.push(key),
    }
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
    /// The agency's settings over the pack, as applied (see `config_origin`).
    pub config: Rc<rules_core::Config>,
    /// The config the host platform gave, once accepted.
    pub host_config: Option<Rc<rules_core::Config>>,
    /// The administrator's local edits (admin mode only; kept across reloads by the store).
    pub local_config: Option<Rc<rules_core::Config>>,
    /// Where `config` came from.
    pub config_origin: ConfigOrigin,
    /// Why the config in effect is not the one given (refused, unreadable, not fitting).
    pub config_notice: Option<String>,
    /// A config is being read from the platform: the checklist waits for it.
    pub config_loading: bool,
    /// Why the config was set aside for this case (it does not fit the pack).
    pub fit_notice: Option<String>,
    /// The fingerprint the integrator pinned; another host config is refused.
    pub pin: Option<String>,
    /// Admin mode.
    pub admin: Option<Admin>,
    /// Current Beijing civil time, `YYYY-MM-DDTHH:MM`.
    pub now: String,
    /// Acknowledgments and reasons for this case.
    pub stored: Stored,
    /// The last evaluation.
    pub report: Option<Evaluated>,
    /// Why there is no report.
    pub problem: Option<Problem>,
    /// Items whose citation is shown.
    pub open_citations: Vec<String>,
    /// Steps folded away: those already complete when the case opened, then as the officer
    /// toggles them.
    pub collapsed: Vec<String>,
    /// The case whose complete steps were folded on opening (each case once, so a step the
    /// officer completes stays open under their eyes).
    pub folded_for: Option<String>,
    /// Steps folded because they were complete, not by the officer: unfolded again as soon as
    /// they have something to do.
    pub auto_folded: Vec<String>,
    /// 「只看未完成」: done items are hidden.
    pub only_open: bool,
    /// What the officer searches for among the items (title, object, article).
    pub search: String,
    /// The item the officer asked to be taken to, with a counter so asking again moves again.
    pub focus: Option<(String, u32)>,
    /// The legend of tags is shown.
    pub legend: bool,
    /// The submit-guard modal, when open.
    pub guard: Option<Guard>,
    /// Counts confirmed reasons, so the store knows to let the held submit go.
    pub releases: u64,
    /// The print view is open. The 核查表 it shows is derived from the last evaluation, the
    /// config, the log and the officer ([`State::sheet_inputs`]), not kept here.
    pub print: bool,
    /// Files hashed on this machine for this case; `None` while the loader has not
    /// connected hashing (then the widget offers no file buttons).
    pub media: Option<Rc<Vec<MediaEntry>>>,
    /// The case's tamper-evident log (kept by the store; printed on the 核查表 by its head).
    pub log: Option<Rc<rules_core::CaseLog>>,
    /// What is wrong with the stored log's content (a broken chain, an unreadable copy).
    pub log_warning: Option<String>,
    /// Why the log could not be stored in IndexedDB (and where it is kept instead).
    pub log_storage: Option<String>,
    /// Why the officer's acknowledgments and reasons (or the administrator's local config)
    /// could not be kept on this machine: they then live only as long as the page.
    pub storage_warning: Option<String>,
    /// What the officer must know about the last submit (e.g. it went through unchecked).
    pub notice: Option<String>,
    /// Read-only review (法制审核, 案卷评查): nothing can be acknowledged or taken back.
    pub review: bool,
    /// What the officer must know about the checklist record the platform gave (refused, or
    /// merged with items two people confirmed differently).
    pub record_notice: Option<String>,
    /// The case's stored log is still being read (IndexedDB is asynchronous): the log in the
    /// state holds only this page's events until it is merged with what was stored.
    pub log_loading: bool,
    /// What the last evaluation was made of: the state evaluates again only when these change.
    evaluated_from: Option<crate::derive::Inputs>,
    /// Why the case the host gave last could not be read (kept as given; [`State::settle`]
    /// makes it the problem).
    case_error: Option<String>,
    /// Items whose files were newly attached since [`State::settle`] last ran: their steps
    /// open if they were folded for being complete.
    fresh_media: Vec<String>,
}

/// What the 核查表 is made from: an evaluation, the config in effect, the case's log and the
/// officer. Compared by identity (the state replaces what changes), so a render that changed
/// none of them does not write the sheet again.
#[derive(Debug, Clone)]
pub struct SheetInputs {
    prepared: Rc<crate::model::Prepared>,
    config: Rc<rules_core::Config>,
    log: Option<Rc<rules_core::CaseLog>>,
    officer: Option<String>,
}

impl PartialEq for SheetInputs {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.prepared, &other.prepared)
            && Rc::ptr_eq(&self.config, &other.config)
            && crate::model::same_rc(&self.log, &other.log)
            && self.officer == other.officer
    }
}

impl SheetInputs {
    /// The 核查表 as HTML.
    pub fn html(&self) -> String {
        crate::engine::sheet_html(
            &self.prepared,
            &self.config,
            crate::engine::Filed {
                config_fingerprint: Some(&crate::engine::fingerprint(&self.config)),
                log: self.log.as_deref(),
                handler: self.officer.as_deref(),
            },
        )
    }
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
    /// Host sets the agency's configuration (`None`: none), or why it could not be read.
    SetConfig(Result<Option<Rc<rules_core::Config>>, String>),
    /// The host's config is on its way (from a URL).
    ConfigLoading,
    /// Host pins the config's fingerprint (`None`: no pin).
    SetPin(Option<String>),
    /// Host says whether the user is the agency's administrator.
    SetAdmin(bool),
    /// The administrator's local edits, loaded from storage.
    RestoreLocalConfig(Rc<rules_core::Config>),
    /// Admin types in the rule search.
    AdminSearch(String),
    /// Admin picks where changes apply.
    AdminScope(rules_core::OverrideScope),
    /// Admin picks a choice or types a reason for one rule.
    AdminDraft {
        /// Rule id.
        rule: String,
        /// New choice, if it changed.
        choice: Option<crate::model::RuleChoice>,
        /// New reason text, if it changed.
        reason: Option<String>,
    },
    /// Admin applies the draft of one rule.
    AdminApply {
        /// Rule id.
        rule: String,
        /// Time of the change.
        at: String,
    },
    /// Admin undoes the latest change.
    AdminUndo {
        /// Time of the undo.
        at: String,
    },
    /// Admin picks the agency's pack.
    AdminSetPack(String),
    /// Admin opened a config file (or it could not be read).
    AdminImport(Result<Rc<rules_core::Config>, String>),
    /// Admin applies the opened file.
    AdminApplyImport,
    /// Admin discards the opened file.
    AdminDiscardImport,
    /// Admin drops the local edits and goes back to the platform's config.
    AdminDiscardLocal,
    /// The clock moved.
    Tick(String),
    /// Acknowledgments and reasons loaded from storage.
    Restore(Stored),
    /// The officer confirms an item done on paper.
    Acknowledge {
        /// Item key.
        item: String,
        /// Time of the confirmation.
        at: String,
        /// What the paper record is and where it is kept.
        note: String,
    },
    /// The officer unticks an item.
    Retract(String),
    /// Show or hide an item's citation.
    ToggleCitation(String),
    /// Collapse or expand a step.
    ToggleStep(String),
    /// Show only the items still to do, or all.
    SetOnlyOpen(bool),
    /// Filter the items by a search text.
    Search(String),
    /// Take the officer to an item: unfold its step, show it, scroll to it and focus it.
    Reveal {
        /// The item, as the list the officer clicked in shows it.
        item: Rc<crate::view::ItemView>,
        /// The id of the step it is under.
        step: String,
    },
    /// Show or hide the legend of tags.
    ToggleLegend,
    /// A submit attempt was held.
    OpenGuard(GuardKind),
    /// The officer types the reason.
    EditReason(String),
    /// The officer confirms the reason.
    ConfirmReason {
        /// Time of the confirmation.
        at: String,
        /// Keys of the open warnings the modal shows: those the reason covers (none when the
        /// case could not be checked).
        warnings: Vec<String>,
    },
    /// The modal is dismissed.
    CloseGuard,
    /// The store read, or appended to, the case's log.
    SetLog(Option<Rc<rules_core::CaseLog>>),
    /// A problem with the stored log's content (or, with `None`, none).
    LogWarning(Option<String>),
    /// The log could not be stored (or, with `None`, is stored again).
    LogStorage(Option<String>),
    /// The page's acknowledgments, reasons or local config could not be stored on this machine
    /// (or, with `None`, are stored again).
    StorageWarning(Option<String>),
    /// The stored log is being read (`true`) or was merged (`false`).
    LogLoading(bool),
    /// A notice about the last submit (or, with `None`, none).
    Notice(Option<String>),
    /// A notice about the platform's checklist record (or, with `None`, none).
    RecordNotice(Option<String>),
    /// Host turns read-only review on or off.
    SetReview(bool),
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

    /// Applies one action and derives what follows: [`State::reduce`], then [`State::settle`].
    pub fn update(self, action: Action) -> Self {
        self.reduce(action).settle()
    }

    /// Applies one action to the inputs: the case, the officer's acknowledgments and choices,
    /// the files. What is derived from them (the evaluation, the folding of complete steps,
    /// whether there is anything to print) is left to [`State::settle`].
    pub fn reduce(mut self, action: Action) -> Self {
        match action {
            Action::SetCase(Ok(case)) => {
                let same_case = self.case.as_ref().is_some_and(|c| c.id == case.id);
                if !same_case {
                    self.stored = Stored::default();
                    self.record_notice = None;
                    self.media = self.media.as_ref().map(|_| Rc::new(Vec::new()));
                    self.open_citations.clear();
                    self.guard = None;
                }
                self.case = Some(case);
                self.case_error = None;
            }
            Action::SetCase(Err(msg)) => {
                self.case = None;
                self.guard = None;
                self.print = false;
                self.case_error = Some(msg);
            }
            Action::SetAgency(a) => self.agency = a.filter(|s| !s.is_empty()),
            Action::SetProcedure(p) => self.procedure = p.filter(|s| !s.is_empty()),
            Action::SetOfficer(o) => {
                self.officer = o;
            }
            Action::ConfigLoading => {
                self.config_loading = true;
            }
            Action::SetConfig(Ok(config)) => {
                self.config_loading = false;
                self.config_notice = None;
                self.host_config = match (config, self.pin.as_deref()) {
                    (Some(c), Some(pin)) => match crate::engine::verify_pin(&c, pin) {
                        Ok(()) => Some(c),
                        Err(e) => {
                            self.config_notice = Some(format!(
                                "平台提供的本机关配置已被拒绝：{e}。本清单按规则包默认设置检查，请联系本机关法制机构"
                            ));
                            None
                        }
                    },
                    (c, _) => c,
                };
                self.settle_config();
            }
            Action::SetConfig(Err(msg)) => {
                self.config_loading = false;
                self.host_config = None;
                self.config_notice = Some(format!("平台提供的本机关配置无法读取：{msg}。本清单按规则包默认设置检查"));
                self.settle_config();
            }
            Action::SetPin(pin) => {
                self.pin = pin.filter(|p| !p.trim().is_empty());
            }
            Action::SetAdmin(on) => {
                self.admin = on.then(|| self.admin.take().unwrap_or_default());
                self.settle_config();
            }
            Action::RestoreLocalConfig(c) => {
                self.local_config = Some(c);
                self.settle_config();
            }
            Action::AdminSearch(_)
            | Action::AdminScope(_)
            | Action::AdminDraft { .. }
            | Action::AdminApply { .. }
            | Action::AdminUndo { .. }
            | Action::AdminSetPack(_)
            | Action::AdminImport(_)
            | Action::AdminApplyImport
            | Action::AdminDiscardImport
            | Action::AdminDiscardLocal => self.admin_action(action),
            Action::Tick(now) => self.now = now,
            Action::Restore(stored) => self.stored = stored,
            // A reviewer reads the record; changing it is the officers' (the controls are hidden too).
            Action::Acknowledge { .. } | Action::Retract(_) if self.review => {}
            Action::Acknowledge { item, at, note } => {
                // The engine would not count a note that says too little; the form does not
                // send one, and a stray action is not kept.
                let note = note.trim().to_owned();
                if self.config.note_is_enough(&note) && !self.stored.acks.iter().any(|a| a.item == item) {
                    self.stored.acks.push(OfficerAck { item, at, by: self.officer.clone(), note: Some(note) });
                }
            }
            Action::Retract(item) => self.stored.acks.retain(|a| a.item != item),
            Action::ToggleCitation(key) => {
                toggle(&mut self.open_citations, key);
            }
            Action::ToggleStep(id) => {
                self.auto_folded.retain(|s| *s != id);
                toggle(&mut self.collapsed, id);
            }
            Action::SetOnlyOpen(on) => {
                self.only_open = on;
            }
            Action::Search(text) => {
                self.search = text;
            }
            Action::ToggleLegend => {
                self.legend = !self.legend;
            }
            Action::Reveal { item, step } => {
                self.collapsed.retain(|s| *s != step);
                if !self.shows(&item) {
                    self.search.clear();
                    self.only_open = false;
                }
                let n = self.focus.as_ref().map_or(0, |f| f.1.wrapping_add(1));
                self.focus = Some((item.key.clone(), n));
            }
            Action::OpenGuard(kind) => {
                self.guard = Some(Guard { kind, draft: String::new(), error: None });
            }
            Action::EditReason(text) => {
                if let Some(g) = self.guard.as_mut() {
                    g.draft = text;
                    g.error = None;
                }
            }
            Action::ConfirmReason { at, warnings } => {
                let Some(guard) = self.guard.as_mut() else { return self };
                let reason = guard.draft.trim().to_string();
                let unchecked = guard.kind == GuardKind::UncheckedReason;
                if reason.is_empty() {
                    guard.error = Some(
                        if unchecked {
                            "请填写未经检查仍要提交的理由。"
                        } else {
                            "请填写在存在警告时仍要提交的理由。"
                        }
                        .to_string(),
                    );
                    return self;
                }
                if !self.config.note_is_enough(&reason) {
                    guard.error =
                        Some(format!("理由太简短：请写明具体情况（至少 {} 个字，标点不计）。", self.config.min_note()));
                    return self;
                }
                let items = if unchecked { Vec::new() } else { warnings };
                self.stored.reasons.push(WarningReason { items, reason, at, by: self.officer.clone() });
                self.guard = None;
                self.releases += 1;
            }
            Action::CloseGuard => {
                self.guard = None;
            }
            Action::SetLog(log) => {
                self.log = log;
            }
            Action::LogWarning(w) => {
                self.log_warning = w;
            }
            Action::LogStorage(w) => {
                self.log_storage = w;
            }
            Action::StorageWarning(w) => {
                self.storage_warning = w;
            }
            Action::SetReview(on) => {
                self.review = on;
            }
            Action::RecordNotice(n) => {
                self.record_notice = n;
            }
            Action::Notice(n) => {
                self.notice = n;
            }
            Action::LogLoading(b) => {
                self.log_loading = b;
            }
            Action::OpenPrint => {
                // Closed again below when there is no evaluation to print.
                self.print = true;
            }
            Action::ClosePrint => {
                self.print = false;
            }
            Action::SetMedia { case_id, entries } => {
                let current = self.case.as_ref().map(|c| c.id.as_str());
                if case_id.as_deref() != current && case_id.is_some() {
                    return self;
                }
                // Recorded for `settle`, which opens the steps they belong to.
                let known: Vec<String> =
                    self.media.as_deref().map(|m| m.iter().map(|e| e.id.clone()).collect()).unwrap_or_default();
                self.fresh_media.extend(entries.iter().filter(|e| !known.contains(&e.id)).map(|e| e.item.clone()));
                self.media = Some(Rc::new(entries));
            }
        }
        self
    }

    /// Derives what the inputs now imply, after [`State::reduce`]: the evaluation (again
    /// exactly when what it is made of changed: a toggle, a filter or a file's progress does not
    /// run the engine), the folding of complete steps, and whether there is anything to print.
    pub fn settle(mut self) -> Self {
        // A file newly attached is shown where it belongs: a step folded because it was
        // complete opens (one the officer folded stays as they left it). The steps are those of
        // the evaluation before the file.
        let fresh = std::mem::take(&mut self.fresh_media);
        if let Some(r) = self.report.as_ref() {
            for step in r.view.steps.iter().filter(|st| st.items.iter().any(|i| fresh.contains(&i.key))) {
                if self.auto_folded.contains(&step.id) {
                    self.auto_folded.retain(|id| *id != step.id);
                    self.collapsed.retain(|id| *id != step.id);
                }
            }
        }
        match self.eval_inputs() {
            None => {
                self.evaluated_from = None;
                if let Some(msg) = &self.case_error {
                    self.report = None;
                    self.problem = Some(Problem::InvalidCase(msg.clone()));
                }
                // No case: no config set aside for one.
                if self.fit_notice.take().is_some() {
                    self.settle_config();
                }
            }
            Some(inputs) if self.evaluated_from.as_ref() != Some(&inputs) => {
                self.evaluate(&inputs);
                self.evaluated_from = Some(inputs);
            }
            Some(_) => {}
        }
        // Without an evaluation of the case there is nothing to print.
        self.print &= self.report.as_ref().is_some_and(|r| r.prepared.is_some());
        self
    }

    /// What an evaluation now would be made of; `None` without a case. Of the files, only
    /// the finished ones: progress alone redraws, it does not change the report.
    fn eval_inputs(&self) -> Option<crate::derive::Inputs> {
        let media = self.media.as_deref().map(|m| m.iter().filter(|e| e.is_done()).cloned().collect());
        Some(crate::derive::Inputs {
            case: self.case.clone()?,
            agency: self.agency.clone(),
            procedure: self.procedure.clone(),
            config: self.config_source(),
            acks: self.stored.acks.clone(),
            media: media.unwrap_or_default(),
            now: self.now.clone(),
        })
    }

    /// The config that applies as given: the administrator's local edits in admin mode, else
    /// the host's accepted config, else none (the pack as written).
    fn config_source(&self) -> Option<Rc<rules_core::Config>> {
        match (&self.admin, &self.local_config, &self.host_config) {
            (Some(_), Some(local), _) => Some(local.clone()),
            (_, _, host) => host.clone(),
        }
    }

    /// Picks the config in effect: the administrator's local edits in admin mode, else the
    /// host's accepted config, else none.
    fn settle_config(&mut self) {
        let (config, origin) = match (&self.admin, &self.local_config, &self.host_config) {
            (Some(_), Some(local), _) => (local.clone(), ConfigOrigin::Local),
            (_, _, Some(host)) => (host.clone(), ConfigOrigin::Host),
            _ => (Rc::new(rules_core::Config::default()), ConfigOrigin::PackDefaults),
        };
        self.config = config;
        self.config_origin = origin;
    }

    /// What the open print view's 核查表 is made from; `None` while it is closed. The sheet
    /// uses the case and report of the last evaluation rather than evaluating again.
    pub fn sheet_inputs(&self) -> Option<SheetInputs> {
        let prepared = self.report.as_ref().and_then(|r| r.prepared.clone()).filter(|_| self.print)?;
        let log = self.log.clone().filter(|l| l.case_id == prepared.case.id);
        Some(SheetInputs { prepared, config: self.config.clone(), log, officer: self.officer.clone() })
    }

    /// Takes in what [`crate::derive::derive`] makes of `inputs`: the evaluation and the
    /// config it was made under (the pack's defaults when the one given does not fit).
    fn evaluate(&mut self, inputs: &crate::derive::Inputs) {
        let derived = crate::derive::derive(inputs);
        self.settle_config();
        if derived.fit_notice.is_some() {
            self.config = derived.config;
            self.config_origin = ConfigOrigin::PackDefaults;
        }
        self.fit_notice = derived.fit_notice;
        let case = &inputs.case;
        match derived.evaluation {
            Ok(ev) => {
                if self.folded_for.as_deref() != Some(case.id.as_str()) {
                    self.folded_for = Some(case.id.clone());
                    self.collapsed = ev.view.steps.iter().filter(|s| s.is_complete()).map(|s| s.id.clone()).collect();
                    self.auto_folded = self.collapsed.clone();
                } else {
                    let open: Vec<&str> =
                        ev.view.steps.iter().filter(|s| !s.is_complete()).map(|s| s.id.as_str()).collect();
                    let reopened: Vec<String> =
                        self.auto_folded.iter().filter(|id| open.contains(&id.as_str())).cloned().collect();
                    self.collapsed.retain(|id| !reopened.contains(id));
                    self.auto_folded.retain(|id| !reopened.contains(id));
                }
                self.report = Some(ev);
                self.problem = None;
            }
            Err(p) => {
                self.report = None;
                self.problem = Some(p);
            }
        }
    }

    /// Whether `item` is listed under the officer's filters (「只看未完成」 and the search).
    pub fn shows(&self, item: &crate::view::ItemView) -> bool {
        if self.only_open && item.is_done() {
            return false;
        }
        let q = self.search.trim();
        q.is_empty()
            || item.title.contains(q)
            || item.target.contains(q)
            || item.citation.article.contains(q)
            || item.citation.quote.contains(q)
    }

    /// What the submit guard does now.
    pub fn decision(&self) -> Decision {
        let Some(report) = self.report.as_ref().filter(|_| !self.config_loading) else {
            return Decision::Unchecked(self.config.unchecked);
        };
        let covered = |key: &str| self.stored.reasons.iter().any(|r| r.items.iter().any(|k| k == key));
        match report.view.gate.decide(covered) {
            rules_core::Submit::Pass => Decision::Pass,
            rules_core::Submit::Block => Decision::Block,
            rules_core::Submit::NeedsReason => Decision::NeedsReason,
        }
    }

    /// Whether the widget can decide on a submit: the agency config has arrived, and there is
    /// a report or a reason why there cannot be one.
    pub fn ready(&self) -> bool {
        !self.config_loading && (self.report.is_some() || self.problem.is_some())
    }

    /// [`State::unchecked_why`] in the officer's words only, without the technical detail.
    pub fn unchecked_said(&self) -> String {
        match &self.problem {
            Some(p) => p.said().to_owned(),
            None => self.unchecked_why(),
        }
    }

    /// Why the case cannot be checked now, with the technical detail (logged with the case).
    pub fn unchecked_why(&self) -> String {
        match (&self.problem, self.config_loading) {
            (Some(p), _) => p.message(),
            (None, true) => "本机关配置尚未读取完毕".to_owned(),
            (None, false) => "平台尚未提供案件数据".to_owned(),
        }
    }

    /// The files attached to an item on this machine.
    pub fn media_of(&self, key: &str) -> Vec<MediaEntry> {
        self.media.as_ref().map(|m| m.iter().filter(|e| e.item == key).cloned().collect()).unwrap_or_default()
    }

    /// The reasons given at submit that cover an item (a warning submitted over).
    pub fn reasons_for(&self, key: &str) -> Vec<&WarningReason> {
        self.stored.reasons.iter().filter(|r| r.items.iter().any(|k| k == key)).collect()
    }

    /// The officer's acknowledgment of an item, if any.
    pub fn ack(&self, key: &str) -> Option<&OfficerAck> {
        self.stored.acks.iter().find(|a| a.item == key)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    pub(super) const NOW: &str = "2026-03-25T10:00";

    fn case(name: &str) -> Rc<rules_core::Case> {
        let text = match name {
            "complete" => include_str!("../../pkg/demo/cases/complete.json"),
            "missing-receipt" => include_str!("../../pkg/demo/cases/missing-receipt.json"),
            "overdue-av" => include_str!("../../pkg/demo/cases/overdue-av.json"),
            _ => include_str!("../../pkg/demo/cases/simple.json"),
        };
        Rc::new(crate::engine::parse_case(text).unwrap())
    }

    pub(super) fn with(name: &str) -> State {
        State::new(NOW.into()).update(Action::SetCase(Ok(case(name))))
    }

    /// The officer confirms the reason in the modal, which shows the report's open warnings.
    fn confirm(s: State) -> State {
        let warnings = s.report.as_ref().map(|r| r.view.open_warnings().iter().map(|i| i.key.clone()).collect());
        s.update(Action::ConfirmReason { at: NOW.into(), warnings: warnings.unwrap_or_default() })
    }

    /// The officer clicks an item in the list of open items.
    fn reveal(s: State, key: &str) -> State {
        let (step, item) = s.report.as_ref().unwrap().view.locate(key).unwrap();
        s.update(Action::Reveal { item, step })
    }

    fn status(s: &State, key: &str) -> String {
        s.report.as_ref().unwrap().view.item(key).unwrap().status.code().to_owned()
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
        assert!(s.report.as_ref().unwrap().view.item("29-direct-receipt@S1").unwrap().accepts.acknowledgment);
        let ack =
            |note: &str| Action::Acknowledge { item: "29-direct-receipt@S1".into(), at: NOW.into(), note: note.into() };
        let refused = s.clone().update(ack("已签"));
        assert!(refused.stored.acks.is_empty(), "a note that says too little is not kept");
        assert_eq!(refused.decision(), Decision::Block);
        let s = s.update(ack("  纸质送达回证见卷宗第12页 "));
        assert_eq!(s.stored.acks[0].note.as_deref(), Some("纸质送达回证见卷宗第12页"));
        assert_eq!(status(&s, "29-direct-receipt@S1"), "acknowledged", "the officer's word, not 已满足");
        assert_eq!(s.decision(), Decision::Pass);
        let s = s.update(Action::Retract("29-direct-receipt@S1".into()));
        assert_eq!(s.decision(), Decision::Block);
    }

    #[test]
    fn overdue_av_is_a_warning_under_the_agency_config() {
        let s = with("overdue-av");
        assert_eq!(s.decision(), Decision::Block, "blocking as the pack is written");
        let config = crate::engine::parse_config(include_str!("../../pkg/demo/agency-config.json")).unwrap();
        let s = s.update(Action::SetConfig(Ok(Some(Rc::new(config)))));
        assert_eq!(s.decision(), Decision::NeedsReason);
        let s = s.update(Action::OpenGuard(GuardKind::NeedsReason)).update(Action::EditReason("  ".into()));
        let s = confirm(s);
        assert!(s.guard.as_ref().unwrap().error.is_some(), "a blank reason is refused");
        let s = confirm(s.update(Action::EditReason("已补。".into())));
        assert_eq!(
            s.guard.as_ref().unwrap().error.as_deref(),
            Some("理由太简短：请写明具体情况（至少 6 个字，标点不计）。"),
            "a reason of one or two characters is refused"
        );
        assert_eq!(s.releases, 0);
        let s = confirm(s.update(Action::EditReason("存储设备故障，已补存".into())));
        assert!(s.guard.is_none());
        assert_eq!(s.releases, 1);
        assert_eq!(s.stored.reasons.len(), 1);
        assert_eq!(s.stored.reasons[0].items.len(), 1);
        assert_eq!(s.decision(), Decision::Pass);
    }

    #[test]
    fn broken_case_and_unknown_agency_are_problems_not_panics() {
        let s = with("complete").update(Action::SetCase(Err("activities[0].start: bad".into())));
        assert!(matches!(s.problem, Some(Problem::InvalidCase(_))));
        assert!(s.report.is_none());
        assert_eq!(s.decision(), Decision::Unchecked(rules_core::UncheckedPolicy::AskReason));
        assert!(s.ready(), "a broken case is decided on: by the unchecked policy");
        assert!(s.unchecked_why().contains("activities[0].start"));
        let s = with("complete").update(Action::SetAgency(Some("nowhere-zfj".into())));
        assert!(matches!(s.problem, Some(Problem::Pack(_))));
        assert_eq!(s.decision(), Decision::Unchecked(rules_core::UncheckedPolicy::AskReason));
        let s = s.update(Action::SetAgency(None));
        assert!(s.problem.is_none());
    }

    #[test]
    fn an_unchecked_case_follows_the_agency_policy() {
        use rules_core::UncheckedPolicy as P;
        let waiting = State::new(NOW.into());
        assert!(!waiting.ready(), "no case yet: the submit waits");
        assert_eq!(waiting.unchecked_why(), "平台尚未提供案件数据");
        let loading = with("missing-receipt").update(Action::ConfigLoading);
        assert!(!loading.ready(), "the agency config may change the verdict");
        assert_eq!(loading.decision(), Decision::Unchecked(P::AskReason), "not the pack's defaults");
        for policy in [P::AllowNotice, P::AskReason, P::Block] {
            let config = rules_core::Config { unchecked: policy, ..Default::default() };
            let s = State::new(NOW.into())
                .update(Action::SetConfig(Ok(Some(Rc::new(config)))))
                .update(Action::SetCase(Err("activities[0].start: bad".into())));
            assert_eq!(s.decision(), Decision::Unchecked(policy));
        }
        let s = with("complete").update(Action::SetCase(Err("id: missing".into())));
        let s = confirm(s.update(Action::OpenGuard(GuardKind::UncheckedReason)));
        assert_eq!(s.guard.as_ref().unwrap().error.as_deref(), Some("请填写未经检查仍要提交的理由。"));
        // Even when the modal were to name warnings, a reason for an unchecked case covers none.
        let s = s
            .update(Action::EditReason("平台数据格式调整中，已电话报告信息科".into()))
            .update(Action::ConfirmReason { at: NOW.into(), warnings: vec![RECEIPT_KEY.into()] });
        assert_eq!(s.releases, 1);
        assert!(s.stored.reasons[0].items.is_empty(), "the reason covers no item: nothing was checked");
    }

    #[test]
    fn another_case_starts_with_nothing_stored() {
        let s = with("missing-receipt").update(Action::Acknowledge {
            item: "29-direct-receipt@S1".into(),
            at: NOW.into(),
            note: "纸质送达回证见卷宗第12页".into(),
        });
        assert_eq!(s.stored.acks.len(), 1);
        let s = s.update(Action::SetCase(Ok(case("complete"))));
        assert!(s.stored.acks.is_empty());
    }

    #[test]
    fn simple_procedure_and_override() {
        let s = with("simple");
        assert_eq!(s.decision(), Decision::Pass);
        let s = s.update(Action::SetProcedure(Some("ordinary".into())));
        assert_ne!(s.decision(), Decision::Pass, "the ordinary procedure asks for more");
    }

    #[test]
    fn the_print_view_follows_the_case_and_the_ticks() {
        let sheet = |s: &State| s.sheet_inputs().map(|i| i.html());
        let s = with("missing-receipt").update(Action::OpenPrint);
        let html = sheet(&s).unwrap();
        assert!(html.contains("行政执法全过程记录核查表"));
        assert!(html.contains("9f2c9f2c"), "the media digest");
        assert!(html.contains("直接送达行政执法文书的,应当制作《送达回证》"), "the citation");
        assert!(html.contains("不能提交"));
        let s = s.update(Action::Acknowledge {
            item: "29-direct-receipt@S1".into(),
            at: NOW.into(),
            note: "纸质送达回证见卷宗第12页".into(),
        });
        let after = sheet(&s).unwrap();
        assert!(after.contains("人工确认") && after.contains("可以提交"), "the tick reaches the open sheet");
        let s = s.update(Action::ClosePrint);
        assert!(!s.print && sheet(&s).is_none());
        let s = s.update(Action::SetCase(Err("bad".into()))).update(Action::OpenPrint);
        assert!(!s.print && sheet(&s).is_none(), "no case, nothing to print");
    }

    #[test]
    fn time_moves_deadlines() {
        let s = with("overdue-av").update(Action::Tick("2026-03-02T12:00".into()));
        assert_eq!(status(&s, "41-av-stored-24h@V1/A1-执法记录仪-01.mp4"), "due-by");
    }

    #[test]
    fn citations_and_steps_toggle_open_and_shut_without_evaluating() {
        let s = with("missing-receipt");
        let report = s.report.clone();
        let folded = s.collapsed.clone();
        assert!(!folded.contains(&"serve".to_owned()), "a step with an open item starts unfolded");
        let s = s.update(Action::ToggleCitation(RECEIPT_KEY.into())).update(Action::ToggleStep("serve".into()));
        assert_eq!(s.open_citations, [RECEIPT_KEY]);
        assert!(s.collapsed.contains(&"serve".to_owned()));
        assert_eq!(s.report, report, "a toggle does not evaluate again");
        let s = s.update(Action::ToggleCitation("x@y".into())).update(Action::ToggleCitation(RECEIPT_KEY.into()));
        assert_eq!(s.open_citations, ["x@y"]);
        let s = s.update(Action::ToggleStep("serve".into()));
        assert_eq!(s.collapsed, folded);
    }

    #[test]
    fn complete_steps_start_folded_once_per_case_and_reveal_unfolds() {
        let s = with("missing-receipt");
        let view = &s.report.as_ref().unwrap().view;
        let complete: Vec<String> = view.steps.iter().filter(|st| st.is_complete()).map(|st| st.id.clone()).collect();
        assert!(!complete.is_empty() && complete.len() < view.steps.len(), "{complete:?}");
        assert_eq!(s.collapsed, complete);
        // Completing the open step while working does not fold it away under the officer's eyes.
        let s = s.update(Action::Acknowledge {
            item: RECEIPT_KEY.into(),
            at: NOW.into(),
            note: "纸质送达回证见卷宗第12页".into(),
        });
        assert_eq!(s.collapsed, complete);
        // Asked to go to an item: its step unfolds, filters that hide it are lifted, and each
        // ask counts anew.
        let s = with("missing-receipt").update(Action::ToggleStep("serve".into()));
        let s = reveal(s.update(Action::Search("立案".into())), RECEIPT_KEY);
        assert!(!s.collapsed.contains(&"serve".to_owned()));
        assert!(s.search.is_empty());
        assert_eq!(s.focus, Some((RECEIPT_KEY.to_owned(), 0)));
        let s = reveal(s, RECEIPT_KEY);
        assert_eq!(s.focus, Some((RECEIPT_KEY.to_owned(), 1)));
        // The platform's data changes under the same case: a step folded because it was
        // complete opens again once it has something to do; one the officer folded stays.
        let s = with("complete");
        assert!(s.collapsed.contains(&"serve".to_owned()), "a complete step opens folded");
        let mut changed = (*case("missing-receipt")).clone();
        changed.id = s.case.as_ref().unwrap().id.clone();
        let s = s.update(Action::ToggleStep("open".into())).update(Action::ToggleStep("open".into()));
        let s = s.update(Action::SetCase(Ok(Rc::new(changed))));
        assert!(!s.collapsed.contains(&"serve".to_owned()), "the step that now lacks a record opens");
        assert!(s.collapsed.contains(&"open".to_owned()), "the officer's own fold stays");
    }

    #[test]
    fn only_open_and_search_filter_what_is_listed() {
        let s = with("missing-receipt");
        let view = s.report.as_ref().unwrap().view.clone();
        let receipt = view.item(RECEIPT_KEY).unwrap();
        let done = view.items().find(|i| i.status == rules_core::Status::Satisfied).unwrap();
        assert!(s.shows(receipt) && s.shows(done));
        let s = s.update(Action::SetOnlyOpen(true));
        assert!(s.shows(receipt) && !s.shows(done));
        let s = s.update(Action::SetOnlyOpen(false)).update(Action::Search("第二十九条".into()));
        assert!(s.shows(receipt), "by article");
        assert!(!s.shows(done) || done.citation.article == "第二十九条");
    }

    pub(super) const RECEIPT_KEY: &str = "29-direct-receipt@S1";

    #[test]
    fn reduce_keeps_the_inputs_and_settle_derives_the_evaluation() {
        let s = State::new(NOW.into()).reduce(Action::SetCase(Ok(case("missing-receipt"))));
        assert!(s.case.is_some());
        assert!(s.report.is_none() && s.problem.is_none(), "reduce alone does not evaluate");
        let s = s.settle();
        assert!(s.report.is_some(), "{:?}", s.problem);
        let bad = s.reduce(Action::SetCase(Err("case is malformed at `id`".into())));
        assert!(bad.report.is_some() && bad.problem.is_none(), "reduce alone leaves the evaluation");
        let bad = bad.settle();
        assert!(bad.report.is_none());
        assert!(matches!(bad.problem, Some(Problem::InvalidCase(_))));
    }

    #[test]
    fn the_engine_runs_again_exactly_when_what_it_evaluates_changed() {
        let s = with("missing-receipt");
        let json = |s: &State| s.report.as_ref().unwrap().json.clone();
        let first = json(&s);
        let same = |s: &State| Rc::ptr_eq(&first, &json(s));
        let s = s
            .update(Action::ToggleStep("serve".into()))
            .update(Action::Search("送达".into()))
            .update(Action::SetOfficer(Some("张三".into())))
            .update(Action::OpenGuard(GuardKind::Blocked))
            .update(Action::CloseGuard)
            .update(Action::Tick(NOW.into()))
            .update(Action::SetAdmin(true))
            .update(Action::AdminSearch("29".into()));
        assert!(same(&s), "nothing the engine reads changed");
        let later = s.clone().update(Action::Tick("2026-03-30T10:00".into()));
        assert!(!same(&later), "the time");
        let acked = s.clone().update(Action::Acknowledge {
            item: RECEIPT_KEY.into(),
            at: NOW.into(),
            note: "纸质送达回证见卷宗第12页".into(),
        });
        assert!(!same(&acked), "an acknowledgment");
        let procedure = s.update(Action::SetProcedure(Some("simple".into())));
        assert!(!same(&procedure), "the procedure");
    }

    #[test]
    fn another_evaluation_of_the_same_inputs_shares_nothing_but_compares_equal() {
        // Rows get the report's `Rc`s as props: a render clones no item, and an evaluation
        // that changed nothing gives equal steps, so yew draws no row again.
        let (a, b) = (with("missing-receipt"), with("missing-receipt"));
        let (a, b) = (&a.report.as_ref().unwrap().view, &b.report.as_ref().unwrap().view);
        assert_eq!(a.steps.len(), b.steps.len());
        for (x, y) in a.steps.iter().zip(&b.steps) {
            assert!(!Rc::ptr_eq(x, y) && x == y);
        }
        let acked = with("missing-receipt").update(Action::Acknowledge {
            item: RECEIPT_KEY.into(),
            at: NOW.into(),
            note: "纸质送达回证见卷宗第12页".into(),
        });
        let c = &acked.report.as_ref().unwrap().view;
        let changed: Vec<&str> =
            a.steps.iter().zip(&c.steps).filter(|(x, y)| x != y).map(|(x, _)| x.id.as_str()).collect();
        assert_eq!(changed, ["serve"], "only the acknowledged item's step differs");
    }

    #[test]
    fn a_pinned_fingerprint_refuses_another_config() {
        let config = crate::engine::parse_config(include_str!("../../pkg/demo/agency-config.json")).unwrap();
        let good = crate::engine::fingerprint(&config);
        let s = with("overdue-av").update(Action::SetPin(Some("0".repeat(64))));
        let s = s.update(Action::SetConfig(Ok(Some(Rc::new(config.clone())))));
        assert!(s.config_notice.as_ref().unwrap().contains("已被拒绝"), "{:?}", s.config_notice);
        assert_eq!(s.config_origin, ConfigOrigin::PackDefaults);
        assert_eq!(s.decision(), Decision::Block, "the pack's defaults apply");
        let s = s.update(Action::SetPin(Some(good))).update(Action::SetConfig(Ok(Some(Rc::new(config)))));
        assert_eq!(s.config_notice, None);
        assert_eq!(s.config_origin, ConfigOrigin::Host);
        assert_eq!(s.decision(), Decision::NeedsReason);
    }

    #[test]
    fn a_config_that_does_not_fit_the_pack_falls_back_and_says_so() {
        let bad =
            crate::engine::parse_config(r#"{"rules":{"no-such-rule":{"severity":"warning","reason":"r"}}}"#).unwrap();
        let s = with("missing-receipt").update(Action::SetConfig(Ok(Some(Rc::new(bad)))));
        assert!(s.problem.is_none());
        assert!(s.fit_notice.as_ref().unwrap().contains("`no-such-rule`"), "{:?}", s.fit_notice);
        assert_eq!(s.decision(), Decision::Block);
        let s = s.update(Action::SetConfig(Err("config is malformed at `rules`: x".into())));
        assert!(s.config_notice.as_ref().unwrap().contains("无法读取"));
        assert!(s.report.is_some());
    }

    #[test]
    fn a_file_hashed_in_time_meets_the_storage_deadline_and_progress_does_not_reevaluate() {
        let key = "41-av-stored-24h@V1/A1-执法记录仪-01.mp4";
        let s = with("overdue-av");
        assert_eq!(status(&s, key), "overdue");
        assert!(s.report.as_ref().unwrap().view.item(key).unwrap().accepts.media);
        let entry = crate::media::MediaEntry {
            id: "e1".into(),
            item: key.into(),
            name: "A1-执法记录仪-01.mp4".into(),
            size: 10.0,
            bytes: 4.0,
            state: crate::media::MediaState::Hashing,
            ..Default::default()
        };
        let case_id = Some("长住建罚〔2026〕18号".to_string());
        let s = s.update(Action::SetMedia { case_id: case_id.clone(), entries: vec![entry.clone()] });
        let report = s.report.clone().unwrap();
        let s = s.update(Action::SetMedia {
            case_id: case_id.clone(),
            entries: vec![crate::media::MediaEntry { bytes: 8.0, ..entry.clone() }],
        });
        assert!(Rc::ptr_eq(&report.json, &s.report.as_ref().unwrap().json), "progress alone keeps the report");
        assert_eq!(s.media_of(key).len(), 1);
        let done = crate::media::MediaEntry {
            state: crate::media::MediaState::Done,
            bytes: 10.0,
            sha256: Some("cd".repeat(32)),
            hashed_at: Some("2026-03-02T04:00:00.000Z".into()),
            ..entry
        };
        let other = s.clone().update(Action::SetMedia { case_id: Some("another".into()), entries: vec![done.clone()] });
        assert_eq!(status(&other, key), "overdue", "files of another case are ignored");
        let s = s.update(Action::SetMedia { case_id, entries: vec![done] });
        assert_eq!(status(&s, key), "satisfied");
    }
}
