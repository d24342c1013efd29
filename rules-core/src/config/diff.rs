//! What differs between two configs: overrides added, removed and changed.
use serde::{Deserialize, Serialize};

use super::{Config, OverrideScope, RuleOverride};

/// The difference between an old and a new config.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConfigDiff {
    /// Overrides only the new config has.
    pub added: Vec<OverrideChange>,
    /// Overrides only the old config has.
    pub removed: Vec<OverrideChange>,
    /// Overrides both have, with different settings.
    pub changed: Vec<OverrideChange>,
    /// Other settings that differ (pack, version, options), named by field.
    pub settings: Vec<String>,
}

/// One override in a diff.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OverrideChange {
    /// Where it applies (`agency`, `procedure:<id>` or `department:<name>` in JSON).
    pub scope: OverrideScope,
    /// The rule id.
    pub rule: String,
    /// In the old config.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub before: Option<RuleOverride>,
    /// In the new config.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub after: Option<RuleOverride>,
}

impl ConfigDiff {
    /// Whether the two configs have the same settings.
    pub fn is_empty(&self) -> bool {
        self.added.is_empty() && self.removed.is_empty() && self.changed.is_empty() && self.settings.is_empty()
    }
}

/// Compares two configs override by override (the change log is not compared).
pub fn diff_configs(old: &Config, new: &Config) -> ConfigDiff {
    let mut d = ConfigDiff::default();
    let find = |c: &Config, scope: &OverrideScope, rule: &str| c.scope(scope).and_then(|m| m.get(rule)).cloned();
    for (scope, rule, after) in new.overrides() {
        let change = |before: Option<RuleOverride>| OverrideChange {
            scope: scope.clone(),
            rule: rule.to_owned(),
            before,
            after: Some(after.clone()),
        };
        match find(old, &scope, rule) {
            None => d.added.push(change(None)),
            Some(b) if b != *after => d.changed.push(change(Some(b))),
            Some(_) => {}
        }
    }
    for (scope, rule, before) in old.overrides() {
        if find(new, &scope, rule).is_none() {
            d.removed.push(OverrideChange {
                scope: scope.clone(),
                rule: rule.to_owned(),
                before: Some(before.clone()),
                after: None,
            });
        }
    }
    if old.pack != new.pack {
        d.settings.push("pack".to_owned());
    }
    if old.pack_version != new.pack_version {
        d.settings.push("pack_version".to_owned());
    }
    if old.agency != new.agency {
        d.settings.push("agency".to_owned());
    }
    if old.options != new.options {
        d.settings.push("options".to_owned());
    }
    d
}
