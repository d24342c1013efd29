//! Runs every scenario of every pack and names each failing case (the harness is
//! `rules_core::scenario`, as `rules test` runs it).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)] // test code: failing loudly is the point
use std::collections::BTreeMap;

use tests::{files, loaded_registry, read_file, run_file, scenario_root};

/// The fewest scenarios each pack must have (README, "Adding a pack"): 30, and 60 for 长沙,
/// whose pack is the reference the others were modelled on.
fn minimum(pack: &str) -> usize {
    if pack == "changsha-zfj" {
        60
    } else {
        30
    }
}

#[test]
fn all_scenarios_pass() {
    let registry = loaded_registry();
    let mut failures = Vec::new();
    // Every pack present starts at 0, so a pack with no scenario folder fails the minimum.
    let mut counts: BTreeMap<String, usize> = registry.ids().into_iter().map(|id| (id.to_owned(), 0)).collect();
    for file in files(&scenario_root()).unwrap() {
        let short = file.strip_prefix(scenario_root()).unwrap_or(&file).display().to_string();
        let loaded = match read_file(&file) {
            Ok(f) => f,
            Err(e) => {
                failures.push(format!("{short}: cannot parse: {e}"));
                continue;
            }
        };
        if registry.versions(&loaded.pack).is_empty() {
            // A built-in pack that fails to load is the `packs` test's failure, not one per scenario.
            if !rules_core::builtin_pack_ids().any(|id| id == loaded.pack) {
                failures.push(format!("{short}: no pack `{}`", loaded.pack));
            }
            continue;
        }
        for outcome in run_file(&registry, &loaded) {
            *counts.entry(loaded.pack.clone()).or_default() += 1;
            match outcome.result {
                // The widget's JSON writer and serde's write the same text.
                Ok(Some(report)) if report.to_json() != serde_json::to_string(&report).unwrap() => {
                    failures.push(format!("{short} :: {}: Report::to_json differs from serde's JSON", outcome.name));
                }
                Ok(_) => {}
                Err(errs) => {
                    for e in errs {
                        failures.push(format!("{short} :: {}: {e}", outcome.name));
                    }
                }
            }
        }
    }
    for (pack, n) in &counts {
        println!("{pack}: {n} scenarios");
        if *n < minimum(pack) {
            failures.push(format!(
                "{pack}: only {n} scenarios, at least {} expected (tests/scenarios/{pack}/*.toml)",
                minimum(pack)
            ));
        }
    }
    assert!(failures.is_empty(), "{} scenario failure(s):\n  {}", failures.len(), failures.join("\n  "));
}
