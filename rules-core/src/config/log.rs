//! The change log: every change made in admin mode, with who, when and why.
use serde::{Deserialize, Serialize};

use super::{OverrideScope, RuleOverride};
use crate::time::Time;

/// One change to a config.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Change {
    /// When.
    pub at: Time,
    /// Who, as the host platform names the administrator.
    pub by: String,
    /// Where the override applies.
    pub scope: OverrideScope,
    /// The rule id.
    pub rule: String,
    /// The override before the change (absent: the pack's own setting).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub before: Option<RuleOverride>,
    /// The override after the change (absent: back to the pack's own setting).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub after: Option<RuleOverride>,
    /// Why.
    pub reason: String,
    /// For an undo: the index in the log of the change it reverted.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub undoes: Option<usize>,
}

/// The index of the latest change that is not an undo and has not been undone.
pub(super) fn last_undoable(log: &[Change]) -> Option<usize> {
    // A config's log is short: a scan for each entry costs less than a set type in the wasm.
    let undone = |i: usize| log.iter().any(|c| c.undoes == Some(i));
    log.iter().enumerate().rev().find(|(i, c)| c.undoes.is_none() && !undone(*i)).map(|(i, _)| i)
}
