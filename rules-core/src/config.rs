//! An agency's own settings over a pack: which pack applies, rules switched off or softened per
//! agency, procedure or department (each with a reason), widget options, and the change log.
//!
//! The config is accountable in 案卷评查, so it carries a fingerprint ([`Config::fingerprint`]):
//! SHA-256 over a canonical serialization, printed in every report.
use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::error::ConfigError;
use crate::pack::Pack;
use crate::rule::{Severity, Strength};
use crate::time::Time;

mod canonical;
mod diff;
mod effect;
mod log;

pub use diff::{diff_configs, ConfigDiff, OverrideChange};
pub use effect::{config_effect, CaseEffect, ConfigEffect};
pub use log::Change;

/// Agency settings applied when evaluating.
///
/// The simplest config is `{"rules": {"<rule id>": {"severity": "warning", "reason": "…"}}}`;
/// every other field is optional.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// The agency's name as the administrator writes it (shown, not checked).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub agency: Option<String>,
    /// The pack id the config is written for; evaluation refuses another pack.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pack: Option<String>,
    /// A fixed pack version. Absent (the usual case): the version in force on the day the
    /// case was opened.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pack_version: Option<String>,
    /// Per-rule overrides for every case of the agency, by rule id.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub rules: BTreeMap<String, RuleOverride>,
    /// Per procedure id: overrides that replace the agency-wide ones for cases of that procedure.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub procedures: BTreeMap<String, BTreeMap<String, RuleOverride>>,
    /// Per department (as the case names it in `department`): overrides that replace the
    /// procedure and agency-wide ones for that department's cases.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub departments: BTreeMap<String, BTreeMap<String, RuleOverride>>,
    /// How the widget presents the checklist.
    #[serde(default, skip_serializing_if = "Options::is_default")]
    pub options: Options,
    /// What the platform's submit does when the checklist cannot check the case: it did not
    /// load in time, the case data is malformed, or the agency has no pack.
    #[serde(default, skip_serializing_if = "UncheckedPolicy::is_default")]
    pub unchecked: UncheckedPolicy,
    /// How long a submit waits for the checklist to load before `unchecked` applies, in
    /// seconds (default [`Config::DEFAULT_LOAD_TIMEOUT_SECONDS`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub load_timeout_seconds: Option<u32>,
    /// The least an officer's note must say, in characters of text (汉字, letters, digits):
    /// the note of an acknowledgment and a reason given at submit (default
    /// [`Config::DEFAULT_MIN_NOTE_CHARS`]). A shorter acknowledgment does not count.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_note_chars: Option<u32>,
    /// Every change made in admin mode, oldest first. Not part of the fingerprint.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub log: Vec<Change>,
}

/// One rule's override.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct RuleOverride {
    /// A different severity at submit.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub severity: Option<Severity>,
    /// Switch the rule off: its items show as waived. Refused for must (应当/必须) rules.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub disabled: bool,
    /// Why (kept in the report).
    pub reason: String,
    /// Who decided, as the host platform names the administrator.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub by: Option<String>,
    /// When it was decided.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub at: Option<Time>,
}

/// Presentation options for the widget.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Options {
    /// Step ids the widget shows; absent: every step. A step holding an unmet blocking item is
    /// shown anyway.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub steps: Option<Vec<String>>,
}

impl Options {
    /// Whether the widget shows `step` of a report: every step when `steps` is absent, else
    /// the steps it lists and any step holding an unmet blocking item (which the officer must
    /// see to submit at all).
    pub fn shows_step(&self, step: &crate::StepReport) -> bool {
        self.steps.as_ref().is_none_or(|list| list.contains(&step.id)) || step.items().any(|i| i.blocks())
    }

    fn is_default(&self) -> bool {
        *self == Options::default()
    }
}

/// What a submit does when the checklist cannot decide (see [`Config::unchecked`]). The officer
/// is told in every case that the case was not checked, and why.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "kebab-case")]
pub enum UncheckedPolicy {
    /// The submit goes through, with a notice that the case was not checked.
    AllowNotice,
    /// The officer gives a reason, which is logged, and the submit goes through.
    #[default]
    AskReason,
    /// The submit is stopped until the checklist can check the case.
    Block,
}

impl UncheckedPolicy {
    fn is_default(&self) -> bool {
        *self == UncheckedPolicy::default()
    }

    /// The policy in the administrator's words.
    pub fn zh(self) -> &'static str {
        match self {
            UncheckedPolicy::AllowNotice => "提示后放行",
            UncheckedPolicy::AskReason => "填写理由后放行",
            UncheckedPolicy::Block => "不能提交",
        }
    }
}

/// Where an override applies.
#[derive(Debug, Clone, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum OverrideScope {
    /// Every case of the agency (`rules`).
    #[default]
    Agency,
    /// Cases of one procedure (`procedures.<id>`).
    Procedure(String),
    /// Cases of one department (`departments.<name>`).
    Department(String),
}

impl std::fmt::Display for OverrideScope {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            OverrideScope::Agency => f.write_str("agency"),
            OverrideScope::Procedure(p) => write!(f, "procedure:{p}"),
            OverrideScope::Department(d) => write!(f, "department:{d}"),
        }
    }
}

impl std::str::FromStr for OverrideScope {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.split_once(':') {
            None if s == "agency" => Ok(OverrideScope::Agency),
            Some(("procedure", p)) if !p.is_empty() => Ok(OverrideScope::Procedure(p.to_owned())),
            Some(("department", d)) if !d.is_empty() => Ok(OverrideScope::Department(d.to_owned())),
            _ => Err(format!("scope `{s}` is not `agency`, `procedure:<id>` or `department:<name>`")),
        }
    }
}

impl Serialize for OverrideScope {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for OverrideScope {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        crate::text_value::deserialize(d, "`agency`, `procedure:<id>` or `department:<name>`", |s| {
            s.parse().map_err(|e: <OverrideScope as std::str::FromStr>::Err| e.to_string())
        })
    }
}

#[cfg(feature = "schema")]
impl schemars::JsonSchema for OverrideScope {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "OverrideScope".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "type": "string",
            "pattern": "^(agency|procedure:.+|department:.+)$",
            "description": "`agency`, `procedure:<id>` or `department:<name>`"
        })
    }
}

impl Config {
    /// Seconds a submit waits for the checklist when the config does not say.
    pub const DEFAULT_LOAD_TIMEOUT_SECONDS: u32 = 10;

    /// [`Config::load_timeout_seconds`], or its default.
    pub fn load_timeout(&self) -> u32 {
        self.load_timeout_seconds.unwrap_or(Self::DEFAULT_LOAD_TIMEOUT_SECONDS)
    }

    /// Characters of text a note needs when the config does not say: enough for
    /// 「见卷宗第3页」, not for 「有」 or 「已补」.
    pub const DEFAULT_MIN_NOTE_CHARS: u32 = 6;

    /// [`Config::min_note_chars`], or its default.
    pub fn min_note(&self) -> u32 {
        self.min_note_chars.unwrap_or(Self::DEFAULT_MIN_NOTE_CHARS)
    }

    /// Whether `note` says enough to stand as an acknowledgment's note or a reason at submit:
    /// punctuation and spaces do not count.
    ///
    /// ```
    /// let config = rules_core::Config::default();
    /// assert!(config.note_is_enough("纸质送达回证，见卷宗第12页"));
    /// assert!(!config.note_is_enough("有。 。"));
    /// ```
    pub fn note_is_enough(&self, note: &str) -> bool {
        let chars = note.chars().filter(|c| c.is_alphanumeric()).count();
        u32::try_from(chars).unwrap_or(u32::MAX) >= self.min_note()
    }

    /// Reads a config from TOML.
    #[cfg(feature = "authoring")]
    pub fn from_toml(text: &str) -> Result<Self, ConfigError> {
        let malformed = |(location, message)| ConfigError::Malformed { location, message };
        let de = toml::Deserializer::parse(text).map_err(|e| malformed(crate::text_pos::toml_error(text, &e, None)))?;
        serde_path_to_error::deserialize(de)
            .map_err(|e| malformed(crate::text_pos::toml_error(text, e.inner(), Some(e.path().to_string()))))
    }

    /// Reads a config from JSON.
    pub fn from_json(text: &str) -> Result<Self, ConfigError> {
        let text = crate::json_reader::without_bom(text);
        crate::json_reader::from_str(text).map_err(|e| ConfigError::Malformed {
            location: crate::json_path::error_path(text, &e),
            message: e.to_string(),
        })
    }

    /// The config as pretty JSON, for export.
    pub fn to_json_pretty(&self) -> String {
        crate::json_pretty::pretty(&serde_json::to_string(self).unwrap_or_default())
    }

    /// The canonical serialization: JSON with object keys sorted and no insignificant
    /// whitespace, of everything but the change log. Same settings, same text, whatever order
    /// the keys were written in.
    pub fn canonical_json(&self) -> String {
        let mut without_log = self.clone();
        without_log.log.clear();
        // Through the compact text rather than `to_value`: one serializer for the config types.
        let compact = serde_json::to_string(&without_log).unwrap_or_default();
        canonical::to_string(&crate::json_reader::from_str(&compact).unwrap_or_default())
    }

    /// SHA-256 of [`Config::canonical_json`], as 64 lowercase hex digits.
    pub fn fingerprint(&self) -> String {
        use sha2::Digest;
        // Every report carries the fingerprint, and most are made with the empty config: its
        // fingerprint is computed once.
        static EMPTY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
        let hash = || {
            let digest = sha2::Sha256::digest(self.canonical_json().as_bytes());
            let mut hex = String::with_capacity(64);
            for b in digest {
                let _ = std::fmt::Write::write_fmt(&mut hex, format_args!("{b:02x}"));
            }
            hex
        };
        if *self == Config::default() {
            EMPTY.get_or_init(hash).clone()
        } else {
            hash()
        }
    }

    /// Refuses the config unless its fingerprint is `expected` (an integrator's pin).
    /// A `sha256:` prefix and upper-case hex are accepted.
    pub fn verify_fingerprint(&self, expected: &str) -> Result<(), ConfigError> {
        let want = expected.trim();
        let want = want.strip_prefix("sha256:").unwrap_or(want).to_ascii_lowercase();
        let actual = self.fingerprint();
        if want == actual {
            Ok(())
        } else {
            Err(ConfigError::FingerprintMismatch { expected: expected.trim().to_owned(), actual })
        }
    }

    /// The pack a case is checked with: the config's, the caller's (`agency`, e.g. the
    /// platform's choice or `--pack`), else the case's own `agency`. A config written for
    /// another pack than the caller or the case names is refused, never applied instead: it
    /// would check the case against another agency's rules (a 长沙 case blocked by its own pack
    /// read 「可以提交」 under a 三明 config).
    pub fn pack_for<'a>(
        &'a self,
        agency: Option<&'a str>,
        case_agency: Option<&'a str>,
    ) -> Result<Option<&'a str>, ConfigError> {
        if let Some(configured) = self.pack.as_deref() {
            for (named, named_by) in
                [(agency, "the caller (`--pack`, or the platform)"), (case_agency, "the case's `agency`")]
            {
                if let Some(other) = named.filter(|n| *n != configured) {
                    return Err(ConfigError::CaseOfAnotherPack {
                        configured: configured.to_owned(),
                        case: other.to_owned(),
                        named_by: named_by.to_owned(),
                    });
                }
            }
        }
        Ok(self.pack.as_deref().or(agency).or(case_agency))
    }

    /// Whether the config changes nothing (no override, no option, no pack choice).
    pub fn is_empty(&self) -> bool {
        let mut c = self.clone();
        c.log.clear();
        c.agency = None;
        c == Config::default()
    }

    /// The override map of one scope.
    pub fn scope(&self, scope: &OverrideScope) -> Option<&BTreeMap<String, RuleOverride>> {
        match scope {
            OverrideScope::Agency => Some(&self.rules),
            OverrideScope::Procedure(p) => self.procedures.get(p),
            OverrideScope::Department(d) => self.departments.get(d),
        }
    }

    /// The override map of one scope, created when absent.
    fn scope_mut(&mut self, scope: &OverrideScope) -> &mut BTreeMap<String, RuleOverride> {
        match scope {
            OverrideScope::Agency => &mut self.rules,
            OverrideScope::Procedure(p) => self.procedures.entry(p.clone()).or_default(),
            OverrideScope::Department(d) => self.departments.entry(d.clone()).or_default(),
        }
    }

    /// Every override with its scope, agency-wide first.
    pub fn overrides(&self) -> impl Iterator<Item = (OverrideScope, &str, &RuleOverride)> {
        let agency = self.rules.iter().map(|(id, o)| (OverrideScope::Agency, id.as_str(), o));
        let procedures = self
            .procedures
            .iter()
            .flat_map(|(p, m)| m.iter().map(move |(id, o)| (OverrideScope::Procedure(p.clone()), id.as_str(), o)));
        let departments = self
            .departments
            .iter()
            .flat_map(|(d, m)| m.iter().map(move |(id, o)| (OverrideScope::Department(d.clone()), id.as_str(), o)));
        agency.chain(procedures).chain(departments)
    }

    /// The override that applies to `rule` for a case of `procedure` in `department`: the
    /// department's, else the procedure's, else the agency-wide one.
    pub fn override_for(&self, rule: &str, procedure: &str, department: Option<&str>) -> Option<&RuleOverride> {
        department
            .and_then(|d| self.departments.get(d))
            .and_then(|m| m.get(rule))
            .or_else(|| self.procedures.get(procedure).and_then(|m| m.get(rule)))
            .or_else(|| self.rules.get(rule))
    }

    /// Checks the config against the pack it is applied to; the error names its location.
    pub fn check(&self, pack: &Pack) -> Result<(), ConfigError> {
        if let Some(p) = &self.pack {
            if p != pack.id() {
                return Err(ConfigError::WrongPack { configured: p.clone(), pack: pack.id().to_owned() });
            }
        }
        if let Some(v) = &self.pack_version {
            if *v != pack.def.version {
                return Err(ConfigError::WrongVersion {
                    pack: pack.id().to_owned(),
                    configured: v.clone(),
                    version: pack.def.version.clone(),
                });
            }
        }
        for p in self.procedures.keys() {
            if !pack.def.procedures.iter().any(|x| &x.id == p) {
                return Err(ConfigError::UnknownProcedure {
                    procedure: p.clone(),
                    pack: pack.id().to_owned(),
                    version: pack.def.version.clone(),
                    location: format!("procedures.{p}"),
                });
            }
        }
        for (scope, id, o) in self.overrides() {
            let location = match &scope {
                OverrideScope::Agency => format!("rules.{id}"),
                OverrideScope::Procedure(p) => format!("procedures.{p}.{id}"),
                OverrideScope::Department(d) => format!("departments.{d}.{id}"),
            };
            let rule = pack.rule(id).ok_or_else(|| ConfigError::UnknownRule {
                rule: id.to_owned(),
                pack: pack.id().to_owned(),
                version: pack.def.version.clone(),
                location: location.clone(),
            })?;
            check_override(id, rule.strength, o, location)?;
        }
        if let Some(steps) = &self.options.steps {
            for (i, s) in steps.iter().enumerate() {
                if pack.step_name(s).is_none() {
                    return Err(ConfigError::UnknownStep {
                        step: s.clone(),
                        pack: pack.id().to_owned(),
                        version: pack.def.version.clone(),
                        location: format!("options.steps[{i}]"),
                    });
                }
            }
        }
        Ok(())
    }

    /// Sets (or with `None` removes) the override of `rule` in `scope`, and logs the change
    /// with who made it, when and why. The caller checks the result with [`Config::check`].
    pub fn set_override(
        &mut self,
        scope: OverrideScope,
        rule: &str,
        after: Option<RuleOverride>,
        by: &str,
        at: Time,
        reason: &str,
    ) {
        let map = self.scope_mut(&scope);
        let before = match &after {
            Some(o) => map.insert(rule.to_owned(), o.clone()),
            None => map.remove(rule),
        };
        self.prune();
        self.log.push(Change {
            at,
            by: by.to_owned(),
            scope,
            rule: rule.to_owned(),
            before,
            after,
            reason: reason.to_owned(),
            undoes: None,
        });
    }

    /// Reverts the latest change not yet undone, logging the undo as a change of its own.
    /// Returns the change reverted, or `None` when there is nothing to undo.
    pub fn undo(&mut self, by: &str, at: Time) -> Option<Change> {
        let idx = log::last_undoable(&self.log)?;
        let target = self.log.get(idx)?.clone();
        let map = self.scope_mut(&target.scope);
        match &target.before {
            Some(o) => {
                map.insert(target.rule.clone(), o.clone());
            }
            None => {
                map.remove(&target.rule);
            }
        }
        self.prune();
        self.log.push(Change {
            at,
            by: by.to_owned(),
            scope: target.scope.clone(),
            rule: target.rule.clone(),
            before: target.after.clone(),
            after: target.before.clone(),
            reason: format!("撤销：{}", target.reason),
            undoes: Some(idx),
        });
        Some(target)
    }

    /// Drops empty procedure and department maps, so removing the last override leaves the
    /// same config (and fingerprint) as never adding it.
    fn prune(&mut self) {
        self.procedures.retain(|_, m| !m.is_empty());
        self.departments.retain(|_, m| !m.is_empty());
    }
}

/// The limits no config may cross, for one override of a rule of `strength`.
fn check_override(id: &str, strength: Strength, o: &RuleOverride, location: String) -> Result<(), ConfigError> {
    if o.reason.trim().is_empty() {
        return Err(ConfigError::NoReason { rule: id.to_owned(), location });
    }
    match strength {
        Strength::Must if o.disabled => Err(ConfigError::MustCannotBeSilenced { rule: id.to_owned(), location }),
        Strength::Must if o.severity == Some(Severity::Info) => {
            Err(ConfigError::MustCannotBeSilenced { rule: id.to_owned(), location })
        }
        Strength::May if o.severity == Some(Severity::Blocking) => {
            Err(ConfigError::MayCannotBlock { rule: id.to_owned(), location })
        }
        _ => Ok(()),
    }
}

impl RuleOverride {
    /// Whether this override, applied to a rule of `strength`, lowers a must rule: such items
    /// are shown "waived by config" with the reason, never as satisfied.
    pub fn lowers_must(&self, strength: Strength) -> bool {
        strength == Strength::Must && (self.disabled || self.severity.is_some_and(|s| s != Severity::Blocking))
    }
}
