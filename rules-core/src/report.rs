//! What an evaluation returns: the per-step checklist, findings and the submit gate.
//!
//! This file holds the model; its parts live by job in `report/`: `text` (the one text buffer
//! a report's items and findings share, and the lists read from it), `key` (item keys kept in
//! that buffer), `serde_impls` (serde for the buffer-backed types and the JSON shapes read back
//! and described by the schema) and `json` (the hand-written fast JSON writer).
use std::collections::BTreeMap;
use std::sync::Arc;

use serde::{Deserialize, Serialize};

mod json;
mod key;
mod serde_impls;
mod text;

pub use key::Key;
pub use text::List;
pub(crate) use text::{Run, SharedTexts, Span, Texts};

use crate::rule::{Severity, Strength};
use crate::time::Time;
use text::{at, NO_TEXTS};

/// The result of checking one case against one pack.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Report {
    /// Which pack was applied.
    pub pack: PackRef,
    /// Which agency config was applied.
    pub config: ConfigRef,
    /// The case id.
    pub case_id: String,
    /// The moment the case was checked at.
    pub now: Time,
    /// The checklist, grouped by step in the pack's order (steps without items omitted).
    pub steps: Vec<StepReport>,
    /// Every rule an item or finding refers to, by rule id: its title and citation, written once
    /// here rather than repeated in each of the rule's items (a rule can have hundreds).
    pub rules: BTreeMap<Arc<str>, Arc<RuleInfo>>,
    /// Every unmet item, most severe first.
    pub findings: Vec<Finding>,
    /// Whether the case may be submitted.
    pub gate: Gate,
    /// Things the reader should know about how the check was made (e.g. missing holiday data).
    pub notes: Vec<String>,
}

/// The pack a report was made with.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct PackRef {
    /// Pack id.
    pub id: String,
    /// Pack version.
    pub version: String,
    /// Agency name.
    pub agency: String,
    /// The regulation's title, as citations name it (《…》第二十九条).
    #[serde(default)]
    pub title: String,
    /// The day this version took effect, when the pack says.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub effective: Option<String>,
    /// Present when the pack is not the built-in pack of its id (one read at run time with
    /// other rules or another text, whatever its version says): SHA-256 of its files as
    /// `cd PACK && sha256sum pack.toml source.txt | sha256sum` prints it, 64 hex digits. Two
    /// reports with the same id and version and different digests were made with different
    /// rules.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub digest: Option<String>,
}

/// The agency config a report was made with.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct ConfigRef {
    /// SHA-256 of the config's canonical form (64 hex digits); the empty config has one too.
    pub fingerprint: String,
    /// How many overrides applied to this case.
    pub overrides: usize,
}

/// The checklist items of one step.
///
/// Serialized, it is an object with `id`, `name` and `items` (each as [`Item`] writes it).
#[derive(Clone)]
pub struct StepReport {
    /// Step id.
    pub id: String,
    /// Step name (Chinese).
    pub name: String,
    /// Items, in pack rule order then target order; their texts are in `texts`.
    pub(crate) rows: Vec<ItemRow>,
    /// The report's texts (one buffer for the whole report when evaluated). An item holds
    /// places in it rather than a share of it: hundreds of shares taken and dropped were a
    /// tenth of an evaluation.
    pub(crate) texts: SharedTexts,
}

impl StepReport {
    /// The step's items, in pack rule order then target order.
    pub fn items(&self) -> impl ExactSizeIterator<Item = Item<'_>> + DoubleEndedIterator + Clone {
        let texts = self.texts.get().unwrap_or(&NO_TEXTS);
        self.rows.iter().map(move |row| Item::new(row, texts))
    }
}

impl std::fmt::Debug for StepReport {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("StepReport")
            .field("id", &self.id)
            .field("name", &self.name)
            .field("items", &self.items().collect::<Vec<_>>())
            .finish()
    }
}

impl PartialEq for StepReport {
    fn eq(&self, o: &Self) -> bool {
        self.id == o.id && self.name == o.name && self.items().eq(o.items())
    }
}

/// The state of one checklist item.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "kebab-case")]
pub enum Status {
    /// Done as required.
    Satisfied,
    /// The platform holds no record, and an officer confirmed, with a note saying what the
    /// paper record is and where it is kept, that it exists. A reviewer reads it as the
    /// officer's word, not as data: it is shown apart from [`Status::Satisfied`] everywhere.
    Acknowledged,
    /// The required record is not there.
    Missing,
    /// The record is there but lacks content, signatures, media or service.
    Incomplete,
    /// The period has passed.
    Overdue,
    /// Not done yet, and the period is still running.
    DueBy,
    /// Things happened in the wrong order or too close together.
    OutOfOrder,
    /// The rule does not apply to this case as it stands.
    NotApplicable,
    /// Switched off by the agency's configuration, with a reason.
    Waived,
}

impl Status {
    /// Every status, in the order the checklist explains them: a list kept in one place, so a
    /// new status cannot be missing from what reads or checks them all.
    pub const ALL: [Status; 9] = [
        Status::Satisfied,
        Status::Acknowledged,
        Status::Missing,
        Status::Incomplete,
        Status::Overdue,
        Status::DueBy,
        Status::OutOfOrder,
        Status::NotApplicable,
        Status::Waived,
    ];

    /// Whether nothing more is to be done for the item: met, confirmed by an officer, not
    /// applicable, or switched off by the agency.
    pub fn is_done(self) -> bool {
        matches!(self, Status::Satisfied | Status::Acknowledged | Status::NotApplicable | Status::Waived)
    }

    /// Whether the item counts against submission.
    pub fn is_unmet(self) -> bool {
        matches!(self, Status::Missing | Status::Incomplete | Status::Overdue | Status::OutOfOrder)
    }

    /// Its code in JSON (`satisfied`, `due-by`, `not-applicable`, …).
    pub fn code(self) -> &'static str {
        match self {
            Status::Satisfied => "satisfied",
            Status::Acknowledged => "acknowledged",
            Status::Missing => "missing",
            Status::Incomplete => "incomplete",
            Status::Overdue => "overdue",
            Status::DueBy => "due-by",
            Status::OutOfOrder => "out-of-order",
            Status::NotApplicable => "not-applicable",
            Status::Waived => "waived",
        }
    }

    /// How the checklist shows it.
    pub fn zh(self) -> &'static str {
        match self {
            Status::Satisfied => "已满足",
            Status::Acknowledged => "人工确认",
            Status::Missing => "缺失",
            Status::Incomplete => "不完整",
            Status::Overdue => "已超期",
            Status::DueBy => "待完成",
            Status::OutOfOrder => "顺序不符",
            Status::NotApplicable => "不适用",
            Status::Waived => "已停用",
        }
    }
}

/// The article and words a rule rests on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Citation {
    /// As the text numbers it.
    pub article: Arc<str>,
    /// Verbatim.
    pub quote: Arc<str>,
}

/// What a report says about a rule, once for all its items.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct RuleInfo {
    /// What the rule's items ask for (Chinese).
    pub title: Arc<str>,
    /// The article and words the rule rests on.
    pub citation: Citation,
    /// Why the pack makes optional a rule whose quote words a duty (the pack's
    /// `strength_override`), shown wherever the rule is.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub strength_override: Option<Arc<str>>,
}

/// One checklist item as a report stores it: its texts are places in the report's buffer.
#[derive(Clone)]
pub(crate) struct ItemRow {
    pub key: Span,
    /// Where the rule id ends in the key (at the `@`).
    pub rule_end: u32,
    pub status: Status,
    pub strength: Strength,
    pub severity: Severity,
    pub due_at: Option<Time>,
    pub waived_by_config: Option<String>,
    /// Empty without a due time (a due time is never written empty): a span rather than an
    /// option of one keeps items smaller, and evaluating is mostly writing them.
    pub due_text: Span,
    pub satisfied_run: Run,
    pub missing_run: Run,
    pub detail_text: Span,
}

impl ItemRow {
    /// Where the rule id of a key `span` written as `rule@target` ends.
    pub(crate) fn rule_end(span: Span, rule_len: usize) -> u32 {
        span.start().saturating_add(at(rule_len)).min(span.end())
    }
}

/// One checklist item: one rule applied to one target, as read from its report
/// ([`StepReport::items`], [`Report::items`]).
///
/// Serialized, it is an object with `key`, `rule`, `target`, `status`, `strength`,
/// `severity`, `due`, `due_at`, `satisfied_by`, `missing`, `detail` and `waived_by_config`.
#[derive(Clone, Copy)]
pub struct Item<'a> {
    /// Where it stands.
    pub status: Status,
    /// 必须 / 有条件时必须 / 可选.
    pub strength: Strength,
    /// At submit, after the agency's configuration.
    pub severity: Severity,
    /// When the period ends, for deadlines, as a time for computing time left.
    pub due_at: Option<Time>,
    /// Set, while the item is unmet, when the agency config switched the rule off or lowered a
    /// must rule: the config's reason. The item keeps its real status: "waived by config",
    /// never satisfied; a met item has none.
    pub waived_by_config: Option<&'a str>,
    row: &'a ItemRow,
    texts: &'a Texts,
}

impl<'a> Item<'a> {
    fn new(row: &'a ItemRow, texts: &'a Texts) -> Self {
        Item {
            status: row.status,
            strength: row.strength,
            severity: row.severity,
            due_at: row.due_at,
            waived_by_config: row.waived_by_config.as_deref(),
            row,
            texts,
        }
    }

    /// Whether the item stops a submit: unmet and blocking (the gate lists it).
    pub fn blocks(&self) -> bool {
        self.status.is_unmet() && self.severity == Severity::Blocking
    }

    /// `rule@target`, stable across evaluations; acknowledgments refer to it.
    pub fn key(&self) -> &'a str {
        self.texts.read(self.row.key)
    }

    /// Rule id; its title and citation are in [`Report::rules`].
    pub fn rule(&self) -> &'a str {
        self.texts.read(Span::new(self.row.key.start(), self.row.rule_end))
    }

    /// `case`, or the id of the activity, service, record or `record/media` checked.
    pub fn target(&self) -> &'a str {
        let end = self.row.key.end();
        self.texts.read(Span::new(self.row.rule_end.saturating_add(1).min(end), end))
    }

    /// When the period ends, for deadlines (e.g. `2026-03-05 24:00`).
    pub fn due(&self) -> Option<&'a str> {
        (!self.row.due_text.is_empty()).then(|| self.texts.read(self.row.due_text))
    }

    /// What satisfied it (record ids, times, acknowledgments).
    pub fn satisfied_by(&self) -> List<'a> {
        List::new(self.texts, self.row.satisfied_run)
    }

    /// What is lacking (content elements, signatures, media, service).
    pub fn missing(&self) -> List<'a> {
        List::new(self.texts, self.row.missing_run)
    }

    /// A sentence for the officer (Chinese).
    pub fn detail(&self) -> &'a str {
        self.texts.read(self.row.detail_text)
    }
}

impl std::fmt::Debug for Item<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Item")
            .field("key", &self.key())
            .field("rule", &self.rule())
            .field("target", &self.target())
            .field("status", &self.status)
            .field("strength", &self.strength)
            .field("severity", &self.severity)
            .field("due", &self.due())
            .field("due_at", &self.due_at)
            .field("satisfied_by", &self.satisfied_by())
            .field("missing", &self.missing())
            .field("detail", &self.detail())
            .field("waived_by_config", &self.waived_by_config)
            .finish()
    }
}

impl PartialEq for Item<'_> {
    fn eq(&self, o: &Self) -> bool {
        self.key() == o.key()
            && self.rule() == o.rule()
            && self.status == o.status
            && self.strength == o.strength
            && self.severity == o.severity
            && self.due() == o.due()
            && self.due_at == o.due_at
            && self.satisfied_by().iter().eq(o.satisfied_by().iter())
            && self.missing().iter().eq(o.missing().iter())
            && self.detail() == o.detail()
            && self.waived_by_config == o.waived_by_config
    }
}

/// An unmet item, for the findings list and the submit dialog.
///
/// Serialized, it is an object with `key`, `rule`, `severity`, `status`, `message` and
/// `waived_by_config`.
#[derive(Clone)]
pub struct Finding {
    /// The item key.
    pub key: Key,
    /// Severity at submit.
    pub severity: Severity,
    /// The item status.
    pub status: Status,
    /// The config's reason, when the config lowered the rule (see [`Item::waived_by_config`]).
    pub waived_by_config: Option<String>,
    /// Whether an item's rule raised it (the key's rule part is then the rule).
    pub(crate) has_rule: bool,
    pub(crate) message_text: Span,
}

impl Finding {
    /// The item's rule; its title and citation are in [`Report::rules`]. `None` for a finding
    /// about the case as a whole that no rule raised (an unknown procedure).
    pub fn rule(&self) -> Option<&str> {
        self.has_rule.then(|| self.key.rule())
    }

    /// What is wrong (Chinese).
    pub fn message(&self) -> &str {
        self.key.texts().read(self.message_text)
    }
}

impl std::fmt::Debug for Finding {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Finding")
            .field("key", &self.key)
            .field("rule", &self.rule())
            .field("severity", &self.severity)
            .field("status", &self.status)
            .field("message", &self.message())
            .field("waived_by_config", &self.waived_by_config)
            .finish()
    }
}

impl PartialEq for Finding {
    fn eq(&self, o: &Self) -> bool {
        self.key == o.key
            && self.rule() == o.rule()
            && self.severity == o.severity
            && self.status == o.status
            && self.message() == o.message()
            && self.waived_by_config == o.waived_by_config
    }
}

/// The submit decision.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Gate {
    /// `true` when no blocking item is unmet.
    pub allowed: bool,
    /// Keys of the unmet blocking items.
    pub blocking: Vec<Key>,
    /// Keys of the unmet warnings (submit needs a reason).
    pub warnings: Vec<Key>,
}

/// What a submit may do under a [`Gate`], given the reasons an officer has written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Submit {
    /// Nothing blocks and every unmet warning has a reason.
    Pass,
    /// An unmet blocking item remains: no reason lets the case through.
    Block,
    /// Nothing blocks, but an unmet warning has no reason yet.
    NeedsReason,
}

impl Gate {
    /// Whether a submit goes through, given `covered`: whether a reason the officer gave
    /// covers the item with this key. A blocking item is never covered by a reason; every
    /// unmet warning must be.
    pub fn decide(&self, covered: impl Fn(&str) -> bool) -> Submit {
        if !self.allowed || !self.blocking.is_empty() {
            Submit::Block
        } else if self.warnings.iter().all(|k| covered(k)) {
            Submit::Pass
        } else {
            Submit::NeedsReason
        }
    }

    /// [`Gate::decide`] with the reasons of a checklist record: a warning is covered when a
    /// reason names it.
    pub fn decide_with(&self, reasons: &[crate::checklist::SubmitReason]) -> Submit {
        self.decide(|key| reasons.iter().any(|r| r.items.iter().any(|k| k == key)))
    }
}

impl Report {
    /// Every item of every step.
    pub fn items(&self) -> impl Iterator<Item = Item<'_>> + Clone {
        self.steps.iter().flat_map(StepReport::items)
    }

    /// An item by key.
    pub fn item(&self, key: &str) -> Option<Item<'_>> {
        self.items().find(|i| i.key() == key)
    }

    /// A rule's title and citation, for an item's or a finding's `rule`.
    pub fn rule(&self, id: &str) -> Option<&RuleInfo> {
        self.rules.get(id).map(|r| &**r)
    }

    /// The title and citation of an item's rule.
    pub fn rule_of(&self, item: Item<'_>) -> Option<&RuleInfo> {
        self.rules.get(item.rule()).map(|r| &**r)
    }
}

#[cfg(test)]
mod tests {
    use crate::{evaluate, Case, Config, Pack, Report, Time};

    /// Items and findings keep their texts in a shared buffer: read back from JSON, a report is
    /// equal to the one written and writes the same JSON.
    #[test]
    fn json_round_trip() {
        let pack = Pack::builtin("changsha-zfj").unwrap();
        for sample in [
            include_str!("../samples/01-complete.json"),
            include_str!("../samples/02-missing-service-receipt.json"),
            include_str!("../samples/03-av-stored-late.json"),
        ] {
            let case = Case::from_json(sample).unwrap();
            let r = evaluate(&case, &pack, &Config::default(), Time::parse("2026-04-10T12:00").unwrap());
            let json = serde_json::to_string(&r).unwrap();
            let back: Report = serde_json::from_str(&json).unwrap();
            assert_eq!(back, r);
            assert_eq!(serde_json::to_string(&back).unwrap(), json);
            for i in r.items() {
                assert_eq!(i.key(), format!("{}@{}", i.rule(), i.target()));
            }
        }
    }
}
