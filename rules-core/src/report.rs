//! What an evaluation returns: the per-step checklist, findings and the submit gate.
use std::borrow::Cow;
use std::collections::BTreeMap;
use std::sync::Arc;

use serde::{Deserialize, Serialize};

use crate::rule::{Severity, Strength};
use crate::time::Time;

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
    pub rules: BTreeMap<Arc<str>, RuleInfo>,
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
    /// The day this version took effect, when the pack says.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub effective: Option<String>,
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
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct StepReport {
    /// Step id.
    pub id: String,
    /// Step name (Chinese).
    pub name: String,
    /// Items, in pack rule order then target order.
    pub items: Vec<Item>,
}

/// The state of one checklist item.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "kebab-case")]
pub enum Status {
    /// Done as required.
    Satisfied,
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
    /// Whether the item counts against submission.
    pub fn is_unmet(self) -> bool {
        matches!(self, Status::Missing | Status::Incomplete | Status::Overdue | Status::OutOfOrder)
    }

    /// How the checklist shows it.
    pub fn zh(self) -> &'static str {
        match self {
            Status::Satisfied => "已满足",
            Status::Missing => "缺失",
            Status::Incomplete => "不完整",
            Status::Overdue => "已超期",
            Status::DueBy => "待完成",
            Status::OutOfOrder => "顺序不符",
            Status::NotApplicable => "不适用",
            Status::Waived => "已豁免",
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
}

/// One checklist item: one rule applied to one target.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Item {
    /// `rule@target`, stable across evaluations; acknowledgments refer to it.
    pub key: Arc<str>,
    /// Rule id; its title and citation are in [`Report::rules`].
    pub rule: Arc<str>,
    /// `case`, or the id of the activity, service, record or `record/media` checked.
    pub target: Arc<str>,
    /// Where it stands.
    pub status: Status,
    /// 必须 / 有条件时必须 / 可选.
    pub strength: Strength,
    /// At submit, after the agency's configuration.
    pub severity: Severity,
    /// When the period ends, for deadlines (e.g. `2026-03-05 24:00`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub due: Option<String>,
    /// The same moment as a time, for computing time left.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub due_at: Option<Time>,
    /// What satisfied it (record ids, times, acknowledgments).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub satisfied_by: Vec<String>,
    /// What is lacking (content elements, signatures, media, service).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub missing: Vec<String>,
    /// A sentence for the officer (Chinese).
    pub detail: Cow<'static, str>,
    /// Set when the agency config switched the rule off or lowered a must rule: the config's
    /// reason. The item keeps its real status: "waived by config", never satisfied.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub waived_by_config: Option<String>,
}

/// An unmet item, for the findings list and the submit dialog.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Finding {
    /// The item key.
    pub key: Arc<str>,
    /// The item's rule; its title and citation are in [`Report::rules`]. Absent for a finding
    /// about the case as a whole that no rule raised (an unknown procedure).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rule: Option<Arc<str>>,
    /// Severity at submit.
    pub severity: Severity,
    /// The item status.
    pub status: Status,
    /// What is wrong (Chinese).
    pub message: String,
    /// The config's reason, when the config lowered the rule (see [`Item::waived_by_config`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub waived_by_config: Option<String>,
}

/// The submit decision.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Gate {
    /// `true` when no blocking item is unmet.
    pub allowed: bool,
    /// Keys of the unmet blocking items.
    pub blocking: Vec<Arc<str>>,
    /// Keys of the unmet warnings (submit needs a reason).
    pub warnings: Vec<Arc<str>>,
}

impl Report {
    /// Every item of every step.
    pub fn items(&self) -> impl Iterator<Item = &Item> {
        self.steps.iter().flat_map(|s| s.items.iter())
    }

    /// An item by key.
    pub fn item(&self, key: &str) -> Option<&Item> {
        self.items().find(|i| &*i.key == key)
    }

    /// A rule's title and citation, for an item's or a finding's `rule`.
    pub fn rule(&self, id: &str) -> Option<&RuleInfo> {
        self.rules.get(id)
    }

    /// The title and citation of an item's rule.
    pub fn rule_of(&self, item: &Item) -> Option<&RuleInfo> {
        self.rules.get(&*item.rule)
    }
}
