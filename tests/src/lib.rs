//! Scenario tests as data: one TOML file per topic under `scenarios/<pack id>/`, each scenario
//! named, with a case, the moment it is checked at, and only the statuses it checks.
//!
//! ```toml
//! [[scenario]]
//! name = "现场检查没有音像记录：缺失，阻止提交"
//! now = "2026-03-02T12:00"
//! gate = "blocked"
//! [scenario.case]
//! activities = [{ id = "A1", kind = "现场检查", start = "2026-03-02T09:00" }]
//! [scenario.expect]
//! "13-inspection-av@A1" = "missing"
//! ```
//!
//! The case's `id` defaults to the scenario name and `procedure` to `ordinary`. Optional checks:
//! `gate` (`allowed` / `blocked`), `due` (item key → due text), `absent` (item keys that must not
//! be listed), `detail` (item key → a substring of its detail), `notes` (substrings some report
//! note must contain), `unnoted` (substrings no
//! report note may contain), `missing` (item key → a
//! substring of one of its missing entries).
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use rules_core::{evaluate, Case, Config, Pack, Report, Time};
use serde::Deserialize;

/// One scenario file.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScenarioFile {
    /// The scenarios.
    pub scenario: Vec<Scenario>,
}

/// One named scenario.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Scenario {
    /// What it shows, in a sentence.
    pub name: String,
    /// When the case is checked.
    pub now: String,
    /// The case (TOML form of the JSON contract).
    pub case: toml::Table,
    /// Agency config overrides (TOML form of the config).
    #[serde(default)]
    pub config: Option<toml::Table>,
    /// Expected item statuses.
    #[serde(default)]
    pub expect: BTreeMap<String, String>,
    /// Expected gate.
    #[serde(default)]
    pub gate: Option<String>,
    /// Expected due texts.
    #[serde(default)]
    pub due: BTreeMap<String, String>,
    /// Items that must not be listed.
    #[serde(default)]
    pub absent: Vec<String>,
    /// Substrings report notes must contain.
    #[serde(default)]
    pub notes: Vec<String>,
    /// Substrings no report note may contain.
    #[serde(default)]
    pub unnoted: Vec<String>,
    /// Item key → substring of one of its `missing` entries.
    #[serde(default)]
    pub missing: BTreeMap<String, String>,
    /// Item key → substring of its detail (what the checklist says about it).
    #[serde(default)]
    pub detail: BTreeMap<String, String>,
}

fn to_json(v: toml::Value) -> serde_json::Value {
    match v {
        toml::Value::String(s) => serde_json::Value::String(s),
        toml::Value::Integer(i) => serde_json::Value::from(i),
        toml::Value::Float(f) => serde_json::Value::from(f),
        toml::Value::Boolean(b) => serde_json::Value::Bool(b),
        toml::Value::Datetime(d) => serde_json::Value::String(d.to_string()),
        toml::Value::Array(a) => serde_json::Value::Array(a.into_iter().map(to_json).collect()),
        toml::Value::Table(t) => serde_json::Value::Object(t.into_iter().map(|(k, v)| (k, to_json(v))).collect()),
    }
}

/// The directory holding `<pack>/<topic>.toml`.
pub fn scenario_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios")
}

/// Runs one scenario; `Err` lists every mismatch.
pub fn run(pack: &Pack, s: &Scenario) -> Result<Report, Vec<String>> {
    let mut case = s.case.clone();
    case.entry("id").or_insert_with(|| toml::Value::String(s.name.clone()));
    case.entry("procedure").or_insert_with(|| toml::Value::String("ordinary".into()));
    let case = Case::from_value(to_json(toml::Value::Table(case))).map_err(|e| vec![format!("case: {e}")])?;
    let now = Time::parse(&s.now).map_err(|e| vec![format!("now: {e}")])?;
    let config = match &s.config {
        None => Config::default(),
        Some(t) => {
            let c: Config = serde_json::from_value(to_json(toml::Value::Table(t.clone())))
                .map_err(|e| vec![format!("config: {e}")])?;
            c.check(pack).map_err(|e| vec![format!("config: {e}")])?;
            c
        }
    };
    let report = evaluate(&case, pack, &config, now);
    let mut errs = Vec::new();
    for (key, want) in &s.expect {
        match report.item(key) {
            None => errs.push(format!("{key}: expected {want}, but the item is not listed")),
            Some(i) => {
                let got = i.status.code();
                if got != want {
                    errs.push(format!("{key}: expected {want}, got {got} ({})", i.detail()));
                }
            }
        }
    }
    if let Some(g) = &s.gate {
        let got = if report.gate.allowed { "allowed" } else { "blocked" };
        if g != got {
            errs.push(format!("gate: expected {g}, got {got} (blocking: {})", report.gate.blocking.join(", ")));
        }
    }
    for (key, want) in &s.due {
        let got = report.item(key).and_then(|i| i.due().map(str::to_owned));
        if got.as_deref() != Some(want.as_str()) {
            errs.push(format!("{key}: expected due {want}, got {got:?}"));
        }
    }
    for key in &s.absent {
        if report.item(key).is_some() {
            errs.push(format!("{key}: expected not listed, but it is"));
        }
    }
    for n in &s.notes {
        if !report.notes.iter().any(|x| x.contains(n.as_str())) {
            errs.push(format!("notes: none contains `{n}` (notes: {:?})", report.notes));
        }
    }
    for n in &s.unnoted {
        if let Some(x) = report.notes.iter().find(|x| x.contains(n.as_str())) {
            errs.push(format!("notes: expected none to contain `{n}`, but one says: {x}"));
        }
    }
    for (key, want) in &s.missing {
        let ok = report.item(key).is_some_and(|i| i.missing().iter().any(|m| m.contains(want.as_str())));
        if !ok {
            errs.push(format!("{key}: expected a missing entry containing `{want}`"));
        }
    }
    for (key, want) in &s.detail {
        match report.item(key) {
            Some(i) if i.detail().contains(want.as_str()) => {}
            Some(i) => errs.push(format!("{key}: expected its detail to contain `{want}`, got `{}`", i.detail())),
            None => errs.push(format!("{key}: not in the report (detail `{want}` expected)")),
        }
    }
    if errs.is_empty() {
        Ok(report)
    } else {
        Err(errs)
    }
}

/// Every scenario file of one pack directory, sorted.
pub fn files(pack_dir: &Path) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(pack_dir)
        .map(|d| {
            d.filter_map(Result::ok).map(|e| e.path()).filter(|p| p.extension().is_some_and(|x| x == "toml")).collect()
        })
        .unwrap_or_default();
    v.sort();
    v
}
