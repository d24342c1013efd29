//! Runs every scenario of every pack and names each failing case.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)] // test code: failing loudly is the point
use std::collections::BTreeMap;

use rules_core::Pack;
use tests::{files, run, scenario_root, ScenarioFile};

/// The fewest scenarios each pack must have.
fn minimum(pack: &str) -> usize {
    if pack == "changsha-zfj" {
        60
    } else {
        30
    }
}

#[test]
fn all_scenarios_pass() {
    let mut failures = Vec::new();
    let mut counts: BTreeMap<String, usize> = BTreeMap::new();
    let mut dirs: Vec<_> =
        std::fs::read_dir(scenario_root()).unwrap().map(|e| e.unwrap().path()).filter(|p| p.is_dir()).collect();
    dirs.sort();
    assert!(!dirs.is_empty(), "no scenario directories");
    for dir in dirs {
        let pack_id = dir.file_name().unwrap().to_string_lossy().to_string();
        let pack = match Pack::builtin(&pack_id) {
            Ok(p) => p,
            Err(e) => {
                failures.push(format!("{pack_id}: {e}"));
                continue;
            }
        };
        for file in files(&dir) {
            let text = std::fs::read_to_string(&file).unwrap();
            let short = format!("{pack_id}/{}", file.file_name().unwrap().to_string_lossy());
            let parsed: ScenarioFile = match toml::from_str(&text) {
                Ok(p) => p,
                Err(e) => {
                    failures.push(format!("{short}: cannot parse: {e}"));
                    continue;
                }
            };
            let mut names = std::collections::BTreeSet::new();
            for s in &parsed.scenario {
                *counts.entry(pack_id.clone()).or_default() += 1;
                if !names.insert(s.name.clone()) {
                    failures.push(format!("{short} :: {}: name used twice", s.name));
                }
                if s.expect.is_empty() && s.gate.is_none() && s.due.is_empty() && s.notes.is_empty() {
                    failures.push(format!("{short} :: {}: checks nothing", s.name));
                }
                match run(&pack, s) {
                    // The widget's JSON writer and serde's write the same text.
                    Ok(report) if report.to_json() != serde_json::to_string(&report).unwrap() => {
                        failures.push(format!("{short} :: {}: Report::to_json differs from serde's JSON", s.name));
                    }
                    Ok(_) => {}
                    Err(errs) => {
                        for e in errs {
                            failures.push(format!("{short} :: {}: {e}", s.name));
                        }
                    }
                }
            }
        }
    }
    for (pack, n) in &counts {
        println!("{pack}: {n} scenarios");
        if *n < minimum(pack) {
            failures.push(format!("{pack}: only {n} scenarios, at least {} expected", minimum(pack)));
        }
    }
    assert!(failures.is_empty(), "{} scenario failure(s):\n  {}", failures.len(), failures.join("\n  "));
}
