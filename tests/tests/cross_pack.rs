//! The same events checked against every pack present give each agency's own verdict. The
//! cases and the verdicts are data, `tests/cross-pack/<topic>.toml` (the format is described at
//! the top of each file): a pack added later is held to every case, and a case that does not
//! name the new pack's verdict fails with the verdict its rules give, for the pack's maintainer
//! to check against the text and write down.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)] // test code: failing loudly is the point
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use rules_core::{evaluate, Case, Check, Config, Pack, PackRegistry, Severity, Time};
use serde::Deserialize;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    case: Vec<CrossCase>,
}

/// One set of events and what each agency's pack makes of it.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CrossCase {
    name: String,
    /// The articles behind the verdicts, for a reader of the file.
    #[serde(default)]
    #[allow(dead_code)]
    why: Option<String>,
    now: String,
    /// The record, activity or service (`S1`) the verdict is about.
    target: String,
    measure: Measure,
    events: toml::Value,
    /// Pack id → verdict.
    #[serde(default)]
    verdicts: BTreeMap<String, Verdict>,
    /// A verdict every pack present must give (a property of all agencies).
    every_pack: Option<Verdict>,
}

#[derive(Deserialize, Clone, Copy, PartialEq, Eq, Debug)]
#[serde(rename_all = "kebab-case")]
enum Measure {
    /// The unmet audio-video items on the target, by their highest severity.
    Av,
}

#[derive(Deserialize, Clone, Copy, PartialEq, Eq, Debug)]
#[serde(rename_all = "kebab-case")]
enum Verdict {
    Blocking,
    Warning,
    Info,
    None,
}

impl Verdict {
    fn word(self) -> &'static str {
        match self {
            Verdict::Blocking => "blocking",
            Verdict::Warning => "warning",
            Verdict::Info => "info",
            Verdict::None => "none",
        }
    }
}

fn is_av(pack: &Pack, rule: &str) -> bool {
    matches!(pack.rule(rule).map(|r| &r.check), Some(Check::Record(c)) if c.media || c.kinds.iter().any(|k| k.contains("音像")))
}

fn verdict(pack: &Pack, case: &Case, now: Time, target: &str, measure: Measure) -> Verdict {
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

fn files() -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("cross-pack");
    let mut v: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "toml"))
        .collect();
    v.sort();
    v
}

/// Every case of every file against every pack present, each pack at the version in force on
/// the case's day; every failure is named, then the test fails once.
#[test]
fn every_pack_gives_the_verdict_its_text_gives() {
    let registry: PackRegistry = tests::loaded_registry();
    let ids = registry.ids();
    assert!(!ids.is_empty(), "no pack loaded");
    let mut failures = Vec::new();
    let mut checked = 0;
    let files = files();
    assert!(!files.is_empty(), "no cross-pack files");
    for path in files {
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let text = std::fs::read_to_string(&path).unwrap();
        let file: File = toml::from_str(&text).unwrap_or_else(|e| panic!("{name}: {e}"));
        for c in &file.case {
            let json = serde_json::to_string(&c.events).unwrap();
            let case = Case::from_json(&json).unwrap_or_else(|e| panic!("{name} 「{}」: events: {e}", c.name));
            let now = Time::parse(&c.now).unwrap_or_else(|e| panic!("{name} 「{}」: now: {e}", c.name));
            for unknown in c.verdicts.keys().filter(|k| !ids.contains(&k.as_str())) {
                failures.push(format!("{name} 「{}」: no pack {unknown} is present", c.name));
            }
            for id in &ids {
                let pack = registry.select_for(id, &case, &Config::default()).unwrap().pack;
                let got = verdict(pack, &case, now, &c.target, c.measure);
                let want = c.verdicts.get(*id).copied().or(c.every_pack);
                checked += 1;
                match want {
                    Some(w) if w == got => {}
                    Some(w) => failures.push(format!(
                        "{name} 「{}」: {}: expected {}, got {}",
                        c.name,
                        pack.label(),
                        w.word(),
                        got.word()
                    )),
                    None => failures.push(format!(
                        "{name} 「{}」: no verdict for pack {id}; its rules give {} — check it against the text, then add `{id} = \"{}\"` under [case.verdicts]",
                        c.name,
                        got.word(),
                        got.word()
                    )),
                }
            }
        }
    }
    assert!(checked > 0);
    assert!(
        failures.is_empty(),
        "{} of {checked} cross-pack verdicts failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
