//! Cross-pack cases: one set of events checked against every pack present, each agency's
//! verdict written down (`tests/cross-pack/<topic>.toml` in this repository). A pack added
//! later is held to every case; a case that names no verdict for it fails with the verdict its
//! rules give, for the pack's maintainer to check against the text and write down.
//!
//! ```toml
//! [[case]]
//! name = "留置送达未录音像：各机关不同"
//! why = "长沙县 第三十条 应当；灵寿 第十九条 根据实际。"
//! now = "2026-04-10T12:00"
//! target = "S1"
//! measure = "av"
//! [case.events]
//! services = [{ id = "S1", document = "行政处罚决定书", method = "left", at = "2026-04-02T10:00" }]
//! [case.verdicts]
//! changsha-zfj = "blocking"
//! lingshou-xzsp = "info"
//! ```
//!
//! `measure = "av"`: the unmet audio-video items on `target` (a record check that asks for
//! media or an 音像 kind), by their highest severity: `blocking`, `warning`, `info`, or `none`
//! when no such item is unmet. `every_pack` gives a verdict every pack present must give. The
//! events' `id` defaults to the case name and `procedure` to `ordinary`; each pack is taken at
//! the version in force on the day the case was opened. A verdict naming a pack that is not
//! present is not checked, so a maintainer can run the cases against a pack of their own.
use std::collections::BTreeMap;
use std::path::Path;

use serde::Deserialize;

use super::{to_json, Outcome};
use crate::{evaluate, Case, Check, Config, Pack, PackRegistry, Severity, Time};

/// A cross-pack file.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CrossFile {
    /// The cases.
    pub case: Vec<CrossCase>,
}

/// One set of events and what each agency's pack makes of it.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CrossCase {
    /// What it shows, in a sentence.
    pub name: String,
    /// The articles behind the verdicts, for a reader of the file.
    #[serde(default)]
    pub why: Option<String>,
    /// When the case is checked.
    pub now: String,
    /// The record, activity or service (`S1`) the verdict is about.
    pub target: String,
    /// What the verdict measures.
    pub measure: Measure,
    /// The case (TOML form of the JSON contract).
    pub events: toml::Table,
    /// Pack id → verdict.
    #[serde(default)]
    pub verdicts: BTreeMap<String, Verdict>,
    /// A verdict every pack present must give, where `verdicts` does not name the pack.
    #[serde(default)]
    pub every_pack: Option<Verdict>,
}

/// What a cross-pack verdict measures.
#[derive(Debug, Deserialize, Clone, Copy, PartialEq, Eq)]
#[serde(rename_all = "kebab-case")]
pub enum Measure {
    /// The unmet audio-video items on the target, by their highest severity.
    Av,
}

/// One agency's verdict on a cross-pack case.
#[derive(Debug, Deserialize, Clone, Copy, PartialEq, Eq)]
#[serde(rename_all = "kebab-case")]
pub enum Verdict {
    /// An unmet item blocks the submit.
    Blocking,
    /// An unmet item warns; a reason lets the submit go.
    Warning,
    /// An unmet item only informs.
    Info,
    /// No such item is unmet (or none is required).
    None,
}

impl Verdict {
    /// The word the files use.
    pub fn code(self) -> &'static str {
        match self {
            Verdict::Blocking => "blocking",
            Verdict::Warning => "warning",
            Verdict::Info => "info",
            Verdict::None => "none",
        }
    }
}

/// Whether the TOML text is a cross-pack file (`[[case]]`) rather than a scenario file.
pub fn is_cross_pack(text: &str) -> bool {
    toml::from_str::<toml::Table>(text).is_ok_and(|t| t.contains_key("case") && !t.contains_key("scenario"))
}

/// Reads a cross-pack file.
pub fn read_cross(path: &Path) -> Result<CrossFile, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("{}: cannot read: {e}", path.display()))?;
    toml::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))
}

fn is_av(pack: &Pack, rule: &str) -> bool {
    matches!(pack.rule(rule).map(|r| &r.check), Some(Check::Record(c)) if c.media || c.kinds.iter().any(|k| k.contains("音像")))
}

/// What `pack` makes of `case` at `now`, measured on `target`.
pub fn verdict(pack: &Pack, case: &Case, now: Time, target: &str, measure: Measure) -> Verdict {
    let report = evaluate(case, pack, &Config::default(), now);
    match measure {
        Measure::Av => {
            let unmet: Vec<Severity> = report
                .items()
                .filter(|i| i.target() == target && i.status.is_unmet() && is_av(pack, i.rule()))
                .map(|i| i.severity)
                .collect();
            if unmet.contains(&Severity::Blocking) {
                Verdict::Blocking
            } else if unmet.contains(&Severity::Warning) {
                Verdict::Warning
            } else if unmet.is_empty() {
                Verdict::None
            } else {
                Verdict::Info
            }
        }
    }
}

fn run_case(registry: &PackRegistry, c: &CrossCase) -> Result<(), Vec<String>> {
    let mut events = c.events.clone();
    events.entry("id").or_insert_with(|| toml::Value::String(c.name.clone()));
    events.entry("procedure").or_insert_with(|| toml::Value::String("ordinary".to_owned()));
    let json = to_json(toml::Value::Table(events)).to_string();
    let case = Case::from_json(&json).map_err(|e| vec![format!("events: {e}")])?;
    let now = Time::parse(&c.now).map_err(|e| vec![format!("now: {e}")])?;
    // A verdict for a pack not present is not checked: `rules test --pack` may run a subset.
    let mut errors = Vec::new();
    for id in &registry.ids() {
        let pack = match registry.select_for(id, &case, &Config::default()) {
            Ok(s) => s.pack,
            Err(e) => {
                errors.push(format!("{id}: {e}"));
                continue;
            }
        };
        let got = verdict(pack, &case, now, &c.target, c.measure);
        match c.verdicts.get(*id).copied().or(c.every_pack) {
            Some(want) if want == got => {}
            Some(want) => errors.push(format!("{}: expected {}, got {}", pack.label(), want.code(), got.code())),
            None => errors.push(format!(
                "no verdict for pack {id}; its rules give {got} — check it against the text, then add `{id} = \"{got}\"` under [case.verdicts]",
                got = got.code()
            )),
        }
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(errors)
    }
}

/// Runs every case of a cross-pack file against every pack of `registry`; a name used twice
/// fails its second use.
pub fn run_cross(registry: &PackRegistry, file: &CrossFile) -> Vec<Outcome> {
    let mut names = std::collections::BTreeSet::new();
    file.case
        .iter()
        .map(|c| {
            let result = if names.insert(c.name.as_str()) {
                run_case(registry, c).map(|()| None)
            } else {
                Err(vec!["name used twice in this file: each case needs its own".to_owned()])
            };
            Outcome { name: c.name.clone(), result }
        })
        .collect()
}
