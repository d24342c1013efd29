//! Scenario tests as data, for the people who maintain the rules: one TOML file per topic
//! (`tests/scenarios/<pack id>/<topic>.toml` in this repository), each scenario named, with a
//! case, the moment it is checked at, and only the outcomes it checks. `rules test` and
//! `cargo test -p tests` both run them with this module.
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
//! The pack is the file's `pack` when it names one, else the name of the folder the file is
//! in. The case's `id` defaults to the scenario name and `procedure` to `ordinary`. The case is
//! checked as `rules check` checks it: under the pack version in force on the day it was opened
//! (its `filed` / `accepted` / `opened` fact), or the version the scenario names (`version`).
//!
//! Checks, at least one per scenario: `expect` (item key → status), `gate` (`allowed` /
//! `blocked`), `due` (item key → due text), `absent` (item keys that must not be listed),
//! `missing` (item key → a substring of one of its missing entries), `detail` (item key → a
//! substring of its detail), `notes` (substrings some
//! report note must contain), `unnoted` (substrings no report note may contain),
//! `expect_version` (the pack version the case was checked under), `error` (a substring of the
//! error when the case cannot be checked at all, as `rules check` exits 2 for it: a procedure
//! the pack lacks, a config that does not fit the version).
//!
//! A file of `[[case]]` instead of `[[scenario]]` holds cross-pack cases ([`CrossFile`]): one
//! set of events with each agency's verdict, run against every pack present.
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;

mod cross;
pub use cross::{is_cross_pack, read_cross, run_cross, verdict, CrossCase, CrossFile, Measure, Verdict};

use crate::{evaluate_in, Case, Config, PackRegistry, Report, Status, Time};

/// One scenario file.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScenarioFile {
    /// The pack id; by default the name of the folder holding the file.
    #[serde(default)]
    pub pack: Option<String>,
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
    /// Check under this pack version rather than the one in force on the filing day.
    #[serde(default)]
    pub version: Option<String>,
    /// The pack version the case must be checked under (tests the choice of version).
    #[serde(default)]
    pub expect_version: Option<String>,
    /// The case must be refused as bad input, with an error containing this.
    #[serde(default)]
    pub error: Option<String>,
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

/// The gate words.
const GATES: [&str; 2] = ["allowed", "blocked"];

impl Scenario {
    /// What the scenario checks: its case (with `id` and `procedure` defaulted), config (with
    /// `version` as the config's `pack_version`) and moment; `Err` lists what is wrong with
    /// the scenario itself.
    pub fn inputs(&self) -> Result<(Case, Config, Time), Vec<String>> {
        let problems = self.problems();
        if !problems.is_empty() {
            return Err(problems);
        }
        let mut case = self.case.clone();
        case.entry("id").or_insert_with(|| toml::Value::String(self.name.clone()));
        case.entry("procedure").or_insert_with(|| toml::Value::String("ordinary".into()));
        let case = Case::from_value(to_json(toml::Value::Table(case))).map_err(|e| vec![format!("case: {e}")])?;
        let now = Time::parse(&self.now).map_err(|e| vec![format!("now: {e}")])?;
        let mut config = match &self.config {
            None => Config::default(),
            Some(t) => serde_json::from_value(to_json(toml::Value::Table(t.clone())))
                .map_err(|e| vec![format!("config: {e}")])?,
        };
        if self.version.is_some() {
            config.pack_version.clone_from(&self.version);
        }
        Ok((case, config, now))
    }

    /// Whether it checks anything at all.
    pub fn checks_something(&self) -> bool {
        !(self.expect.is_empty()
            && self.gate.is_none()
            && self.due.is_empty()
            && self.absent.is_empty()
            && self.missing.is_empty()
            && self.detail.is_empty()
            && self.notes.is_empty()
            && self.unnoted.is_empty()
            && self.expect_version.is_none()
            && self.error.is_none())
    }

    /// What is wrong with the scenario itself, before it is run: a status or gate word that is
    /// not one, or no check at all.
    pub fn problems(&self) -> Vec<String> {
        let mut out = Vec::new();
        let words: Vec<&str> = Status::ALL.iter().map(|s| s.code()).collect();
        for (key, want) in &self.expect {
            if !words.contains(&want.as_str()) {
                out.push(format!(
                    "expect.\"{key}\": `{want}` is not a status{}; the statuses are {}",
                    closest(want, words.iter().copied()).map(|c| format!(" (did you mean `{c}`?)")).unwrap_or_default(),
                    words.join(", ")
                ));
            }
        }
        if let Some(g) = self.gate.as_deref().filter(|g| !GATES.contains(g)) {
            out.push(format!("gate: `{g}` is not a gate; write `allowed` or `blocked`"));
        }
        if !self.checks_something() {
            out.push(
                "checks nothing: give at least one of expect, gate, due, absent, missing, detail, notes, unnoted, expect_version, error"
                    .to_owned(),
            );
        }
        out
    }
}

/// The known name closest to `word`, when one is close enough to be a likely typo.
pub(crate) fn closest<'a>(word: &str, known: impl Iterator<Item = &'a str>) -> Option<&'a str> {
    known
        .map(|k| (strsim::normalized_damerau_levenshtein(word, k), k))
        .filter(|(score, _)| *score >= 0.5)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, k)| k)
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

/// The item keys a report lists, those of `key`'s rule first, for a message about a key that
/// is not there.
fn keys_like(report: &Report, key: &str) -> String {
    let rule = key.split('@').next().unwrap_or(key);
    let mut same: Vec<&str> = report.items().map(|i| i.key()).filter(|k| k.starts_with(&format!("{rule}@"))).collect();
    if same.is_empty() {
        let all: Vec<&str> = report.items().map(|i| i.key()).collect();
        let near = closest(key, all.iter().copied());
        same = near.into_iter().collect();
        let mut rules: Vec<&str> = all.iter().filter_map(|k| k.split('@').next()).collect();
        rules.dedup();
        return format!(
            "no item of rule `{rule}` is listed{}; the report has {} items of {} rules (keys are rule@target, e.g. `{}`)",
            same.first().map(|k| format!(" (closest key: `{k}`)")).unwrap_or_default(),
            all.len(),
            rules.len(),
            all.first().copied().unwrap_or("13-inspection-av@A1")
        );
    }
    format!("the report lists {}", same.iter().map(|k| format!("`{k}`")).collect::<Vec<_>>().join(", "))
}

/// Runs one scenario against pack `pack_id` of `registry`: the report, or `None` when the case
/// was refused as the scenario's `error` expects; `Err` lists every mismatch, each with the
/// expected and actual value, then the report's notes (unknown kinds and flags are said there).
pub fn run(registry: &PackRegistry, pack_id: &str, s: &Scenario) -> Result<Option<Report>, Vec<String>> {
    let (case, config, now) = s.inputs()?;
    let report = match (evaluate_in(registry, &case, Some(pack_id), &config, now), &s.error) {
        (Err(e), Some(want)) if e.to_string().contains(want.as_str()) => return Ok(None),
        (Err(e), Some(want)) => return Err(vec![format!("error: expected one containing `{want}`, got: {e}")]),
        (Err(e), None) => return Err(vec![format!("the case cannot be checked: {e}")]),
        (Ok(_), Some(want)) => {
            return Err(vec![format!("error: expected the case to be refused (`{want}`), but it was checked")])
        }
        (Ok(r), None) => r,
    };
    let mut errs = Vec::new();
    if let Some(v) = &s.expect_version {
        if *v != report.pack.version {
            errs.push(format!("version: expected {v}, got {}", report.pack.version));
        }
    }
    for (key, want) in &s.expect {
        match report.item(key) {
            None => {
                errs.push(format!("{key}: expected {want}, but the item is not listed: {}", keys_like(&report, key)))
            }
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
        match report.item(key) {
            None => errs
                .push(format!("{key}: expected due {want}, but the item is not listed: {}", keys_like(&report, key))),
            Some(i) if i.due() != Some(want.as_str()) => {
                errs.push(format!("{key}: expected due {want}, got {}", i.due().unwrap_or("no due text")))
            }
            Some(_) => {}
        }
    }
    for key in &s.absent {
        if let Some(i) = report.item(key) {
            errs.push(format!("{key}: expected not listed, but it is ({})", i.status.code()));
        }
    }
    for n in &s.notes {
        if !report.notes.iter().any(|x| x.contains(n.as_str())) {
            errs.push(format!("notes: none contains `{n}`"));
        }
    }
    for n in &s.unnoted {
        if let Some(x) = report.notes.iter().find(|x| x.contains(n.as_str())) {
            errs.push(format!("notes: expected none to contain `{n}`, but one says: {x}"));
        }
    }
    for (key, want) in &s.missing {
        match report.item(key) {
            None => errs.push(format!(
                "{key}: expected a missing entry containing `{want}`, but the item is not listed: {}",
                keys_like(&report, key)
            )),
            Some(i) if !i.missing().iter().any(|m| m.contains(want.as_str())) => errs.push(format!(
                "{key}: expected a missing entry containing `{want}`, got [{}]",
                i.missing().iter().collect::<Vec<_>>().join("、")
            )),
            Some(_) => {}
        }
    }
    for (key, want) in &s.detail {
        match report.item(key) {
            None => errs.push(format!(
                "{key}: expected its detail to contain `{want}`, but the item is not listed: {}",
                keys_like(&report, key)
            )),
            Some(i) if !i.detail().contains(want.as_str()) => {
                errs.push(format!("{key}: expected its detail to contain `{want}`, got `{}`", i.detail()))
            }
            Some(_) => {}
        }
    }
    if errs.is_empty() {
        return Ok(Some(report));
    }
    // The engine's notes say what it could not read (an unknown kind or flag is the usual
    // reason a scenario fails): shown with the failure.
    for n in &report.notes {
        errs.push(format!("engine note: {n}"));
    }
    Err(errs)
}

/// A scenario file read: its pack id and scenarios.
#[derive(Debug)]
pub struct LoadedFile {
    /// Where it was read from.
    pub path: PathBuf,
    /// The pack it tests.
    pub pack: String,
    /// Its scenarios.
    pub file: ScenarioFile,
}

/// Reads a scenario file; its pack is its `pack`, else its folder's name.
pub fn read_file(path: &Path) -> Result<LoadedFile, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("{}: cannot read: {e}", path.display()))?;
    let file: ScenarioFile = toml::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))?;
    let pack = match &file.pack {
        Some(p) => p.clone(),
        None => path
            .parent()
            .and_then(|d| d.file_name())
            .map(|n| n.to_string_lossy().into_owned())
            .ok_or_else(|| format!("{}: no `pack` and no folder to take the pack id from", path.display()))?,
    };
    Ok(LoadedFile { path: path.to_path_buf(), pack, file })
}

/// Every `*.toml` scenario file at `path` (a file, or a folder searched to any depth), sorted.
pub fn files(path: &Path) -> Result<Vec<PathBuf>, String> {
    if path.is_file() {
        return Ok(vec![path.to_path_buf()]);
    }
    let mut out = Vec::new();
    let entries = std::fs::read_dir(path).map_err(|e| format!("{}: {e}", path.display()))?;
    for e in entries {
        let p = e.map_err(|e| format!("{}: {e}", path.display()))?.path();
        if p.is_dir() {
            out.extend(files(&p)?);
        } else if p.extension().is_some_and(|x| x == "toml") {
            out.push(p);
        }
    }
    out.sort();
    Ok(out)
}

/// The outcome of one scenario of a file.
#[derive(Debug)]
pub struct Outcome {
    /// The scenario's name.
    pub name: String,
    /// The report (`None` for a case refused as expected), or every mismatch.
    pub result: Result<Option<Report>, Vec<String>>,
}

/// Runs every scenario of a file against `registry`; a name used twice fails its second use.
pub fn run_file(registry: &PackRegistry, f: &LoadedFile) -> Vec<Outcome> {
    let mut names = std::collections::BTreeSet::new();
    f.file
        .scenario
        .iter()
        .map(|s| {
            let result = if names.insert(s.name.as_str()) {
                run(registry, &f.pack, s)
            } else {
                Err(vec!["name used twice in this file: each scenario needs its own".to_owned()])
            };
            Outcome { name: s.name.clone(), result }
        })
        .collect()
}
