//! The CLI and the widget give the same answer for the same case, config and versions: every
//! sample, demo case and scenario is checked the way `rules check` checks it (a registry of the
//! packs read from their TOML and checked against their regulation text, [`evaluate_in`]) and
//! the way the widget does (the built-in version chosen without loading the others,
//! [`builtin_choice`], read from the compact JSON the widget ships, the config checked, then
//! [`evaluate_selected`]), and the two reports must be the same text.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)] // test code: failing loudly is the point
use std::path::Path;

use rules_core::{builtin_choice, evaluate_in, evaluate_selected, Case, Config, Pack, PackRegistry, Selected, Time};
use tests::{files, loaded_registry, read_file, scenario_root};

/// The widget's way: as `web/src/engine.rs` `prepare` and `evaluate` do, with the pack read
/// from the compiled JSON whatever this build's features.
fn widget(case: &Case, agency: Option<&str>, config: &Config, now: Time) -> Result<String, String> {
    let chosen = builtin_choice(case, agency, config).map_err(|e| e.to_string())?;
    let pack = Pack::builtin_compiled(chosen.id, chosen.version).map_err(|e| e.to_string())?;
    config.check(&pack).map_err(|e| e.to_string())?;
    pack.check_procedure(&case.procedure).map_err(|e| e.to_string())?;
    let several = rules_core::builtin_versions().filter(|v| v.id == chosen.id).count() > 1;
    let report = evaluate_selected(Selected { pack: &pack, why: chosen.why, several }, case, config, now);
    Ok(report.to_json())
}

fn cli(
    registry: &PackRegistry,
    case: &Case,
    agency: Option<&str>,
    config: &Config,
    now: Time,
) -> Result<String, String> {
    evaluate_in(registry, case, agency, config, now).map(|r| r.to_json()).map_err(|e| e.to_string())
}

/// Compares both ways for one case, adding a line to `failures` when they differ.
fn compare(
    registry: &PackRegistry,
    name: &str,
    (case, agency, config, now): (&Case, Option<&str>, &Config, Time),
    failures: &mut Vec<String>,
) -> bool {
    let (a, b) = (cli(registry, case, agency, config, now), widget(case, agency, config, now));
    if a != b {
        failures.push(format!("{name}:\n  cli:    {a:.400?}\n  widget: {b:.400?}"));
    }
    a.is_ok()
}

fn json_files(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut v: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    v.sort();
    v
}

#[test]
fn cli_and_widget_give_the_same_report() {
    let registry = loaded_registry();
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let now = Time::parse("2026-03-25T10:00").unwrap();
    let demo_config = Config::from_json(&std::fs::read_to_string(root.join("pkg/demo/agency-config.json")).unwrap())
        .expect("the demo config reads");
    let mut failures = Vec::new();
    let (mut cases, mut checked) = (0, 0);
    for path in json_files(&root.join("rules-core/samples")).into_iter().chain(json_files(&root.join("pkg/demo/cases")))
    {
        let name = path.strip_prefix(&root).unwrap().display().to_string();
        // The demo's malformed case is refused by both before any pack is chosen.
        let Ok(case) = Case::from_json(&std::fs::read_to_string(&path).unwrap()) else { continue };
        for (config, with) in [(&Config::default(), "no config"), (&demo_config, "demo config")] {
            for agency in [None, Some("changsha-zfj")] {
                cases += 1;
                let label = format!("{name} ({with}, platform {agency:?})");
                checked += usize::from(compare(&registry, &label, (&case, agency, config, now), &mut failures));
            }
        }
    }
    for file in files(&scenario_root()).unwrap() {
        let short = file.strip_prefix(scenario_root()).unwrap_or(&file).display().to_string();
        let loaded = read_file(&file).unwrap();
        for s in &loaded.file.scenario {
            let (case, config, now) = s.inputs().unwrap_or_else(|e| panic!("{short} :: {}: {e:?}", s.name));
            cases += 1;
            let label = format!("{short} :: {}", s.name);
            checked +=
                usize::from(compare(&registry, &label, (&case, Some(&loaded.pack), &config, now), &mut failures));
        }
    }
    assert!(failures.is_empty(), "{} of {cases} cases differ:\n{}", failures.len(), failures.join("\n"));
    // Most are checked (a few scenarios expect the case refused): the comparison is of reports.
    assert!(checked * 10 > cases * 9, "only {checked} of {cases} were checked");
    println!("{cases} cases, {checked} checked, the same both ways");
}
