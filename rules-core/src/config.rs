//! An agency's own settings over a pack: severities and switched-off rules, each with a reason.
use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::error::ConfigError;
use crate::pack::Pack;
use crate::rule::{Severity, Strength};

/// Agency settings applied when evaluating.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// Per-rule overrides, by rule id.
    #[serde(default)]
    pub rules: BTreeMap<String, RuleOverride>,
}

/// One rule's override.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct RuleOverride {
    /// A different severity at submit.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub severity: Option<Severity>,
    /// Switch the rule off: its items show as waived.
    #[serde(default)]
    pub disabled: bool,
    /// Why (kept in the report).
    pub reason: String,
}

impl Config {
    /// Reads a config from TOML.
    #[cfg(feature = "authoring")]
    pub fn from_toml(text: &str) -> Result<Self, ConfigError> {
        let de = toml::Deserializer::parse(text)
            .map_err(|e| ConfigError::Malformed { location: "(root)".to_owned(), message: e.message().to_owned() })?;
        serde_path_to_error::deserialize(de).map_err(|e| ConfigError::Malformed {
            location: e.path().to_string(),
            message: e.inner().message().to_owned(),
        })
    }

    /// Reads a config from JSON.
    pub fn from_json(text: &str) -> Result<Self, ConfigError> {
        let de = &mut serde_json::Deserializer::from_str(text);
        serde_path_to_error::deserialize(de)
            .map_err(|e| ConfigError::Malformed { location: e.path().to_string(), message: e.into_inner().to_string() })
    }

    /// Checks the config against a pack.
    pub fn check(&self, pack: &Pack) -> Result<(), ConfigError> {
        for (id, o) in &self.rules {
            let rule = pack
                .rule(id)
                .ok_or_else(|| ConfigError::UnknownRule { rule: id.clone(), pack: pack.id().to_owned() })?;
            if o.reason.trim().is_empty() {
                return Err(ConfigError::NoReason { rule: id.clone() });
            }
            if rule.strength == Strength::May && o.severity == Some(Severity::Blocking) {
                return Err(ConfigError::MayCannotBlock { rule: id.clone() });
            }
        }
        Ok(())
    }
}
