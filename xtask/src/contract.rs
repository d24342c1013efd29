//! The contract's TypeScript types: `pkg/src/law-record-checklist.contract.d.ts` generated from
//! the committed JSON Schemas (by json-schema-to-typescript, pinned in `xtask/js/`), and `tsc`
//! checking the hand-written `.d.ts` and sample documents against them.
use std::path::PathBuf;
use std::process::Command;

use crate::{browser, cmd};

/// The generated file, relative to the workspace root.
pub const GENERATED: &str = "pkg/src/law-record-checklist.contract.d.ts";

fn tools() -> PathBuf {
    cmd::root().join("xtask/js")
}

/// The data types the committed schemas give, as `xtask/js/contract-types.mjs` prints them.
fn generate() -> Result<String, String> {
    browser::ensure_node()?;
    browser::npm_install(&tools(), "json-schema-to-typescript")?;
    let mut c = Command::new("node");
    c.arg("contract-types.mjs").arg(cmd::root().join("rules-core/schema")).current_dir(tools());
    eprintln!("xtask: running {c:?}");
    let out = c.output().map_err(|e| format!("cannot start {c:?}: {e}"))?;
    if !out.status.success() {
        return Err(format!("{c:?} failed: {}", String::from_utf8_lossy(&out.stderr)));
    }
    String::from_utf8(out.stdout).map_err(|e| format!("contract-types.mjs printed no UTF-8: {e}"))
}

/// Rewrites [`GENERATED`] when the schemas changed (`cargo xtask build`).
pub fn write() -> Result<(), String> {
    let types = generate()?;
    let path = cmd::root().join(GENERATED);
    if std::fs::read_to_string(&path).ok().as_deref() != Some(types.as_str()) {
        std::fs::write(&path, types).map_err(|e| format!("cannot write {}: {e}", path.display()))?;
        eprintln!("xtask: wrote {GENERATED} from rules-core/schema/ (commit it)");
    }
    Ok(())
}

/// Fails when the committed [`GENERATED`] is not what the committed schemas give.
pub fn check_fresh() -> Result<(), String> {
    let types = generate()?;
    let committed = std::fs::read_to_string(cmd::root().join(GENERATED)).unwrap_or_default();
    if committed != types {
        return Err(format!(
            "{GENERATED} is stale: the schemas in rules-core/schema/ changed; run `cargo xtask build` and commit it"
        ));
    }
    Ok(())
}

/// Where the sample documents are written for `tsc` (`xtask/js/tsconfig.json` includes them).
fn samples_dir() -> PathBuf {
    cmd::root().join("target/contract-check")
}

/// The `rules` CLI's JSON report of `case` (with `config`), at a fixed time.
fn report_json(rules: &std::path::Path, case: &str, config: Option<&str>) -> Result<String, String> {
    let mut c = Command::new(rules);
    c.current_dir(cmd::root()).args(["check", case, "--format", "json", "--now", "2026-04-10T12:00"]);
    if let Some(config) = config {
        c.args(["--config", config]);
    }
    let out = c.output().map_err(|e| format!("cannot start {c:?}: {e}"))?;
    // Exit 1 is a blocked case, a report all the same.
    if !matches!(out.status.code(), Some(0 | 1)) {
        return Err(format!("{c:?} failed: {}", String::from_utf8_lossy(&out.stderr)));
    }
    String::from_utf8(out.stdout).map_err(|e| format!("{c:?} printed no UTF-8: {e}"))
}

/// Writes every sample case, the demo config and the reports of the samples (with and without
/// the demo config, so that items and findings waived by config are there) as typed constants,
/// then runs `tsc --noEmit` over them and the `.d.ts` (`xtask/js/tsconfig.json`, strict), then
/// over the shipped JS, each file `// @ts-check` (`xtask/js/tsconfig.js.json`).
pub fn typecheck() -> Result<(), String> {
    browser::npm_install(&tools(), "typescript")?;
    cmd::run(cmd::cargo().args(["build", "-q", "-p", "rules-core", "--features", "cli", "--bin", "rules"]))?;
    let rules = crate::build::target_dir().join("debug/rules");
    let read = |p: &str| std::fs::read_to_string(cmd::root().join(p)).map_err(|e| format!("cannot read {p}: {e}"));
    let config = "pkg/demo/agency-config.json";
    let mut cases: Vec<String> = Vec::new();
    for dir in ["rules-core/samples", "pkg/demo/cases"] {
        let entries = std::fs::read_dir(cmd::root().join(dir)).map_err(|e| format!("cannot list {dir}: {e}"))?;
        for e in entries.flatten() {
            let name = e.file_name().to_string_lossy().into_owned();
            // `malformed.json` is the demo's case that the engine refuses.
            if name.ends_with(".json") && name != "malformed.json" {
                cases.push(format!("{dir}/{name}"));
            }
        }
    }
    cases.sort();
    let mut ts = String::from(
        "// Written by `cargo xtask test` (xtask/src/contract.rs): sample documents typed by the contract.\n\
         import type { AgencyConfig, Case, Report } from '../../pkg/src/law-record-checklist.js';\n\n",
    );
    ts.push_str(&format!("// {config}\nexport const config: AgencyConfig = {};\n", read(config)?.trim_end()));
    for (i, case) in cases.iter().enumerate() {
        ts.push_str(&format!("// {case}\nexport const case{i}: Case = {};\n", read(case)?.trim_end()));
        let plain = report_json(&rules, case, None)?;
        ts.push_str(&format!("export const report{i}: Report = {};\n", plain.trim_end()));
        let configured = report_json(&rules, case, Some(config))?;
        ts.push_str(&format!("export const configured{i}: Report = {};\n", configured.trim_end()));
    }
    if !ts.contains("\"waived_by_config\"") {
        return Err("no sample report has an item waived by config: the check would miss that field".into());
    }
    let dir = samples_dir();
    std::fs::create_dir_all(&dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    std::fs::write(dir.join("samples.ts"), ts).map_err(|e| format!("cannot write the samples: {e}"))?;
    let tsc = tools().join("node_modules/.bin/tsc");
    cmd::run(Command::new(&tsc).args(["--noEmit", "-p"]).arg(tools()))?;
    write_js_imports()?;
    cmd::run(Command::new(&tsc).args(["--noEmit", "-p"]).arg(tools().join("tsconfig.js.json")))
}

/// What the shipped JS imports from the build, for `xtask/js/tsconfig.js.json` (whose
/// `rootDirs` lays `target/contract-check/js/` over `pkg/src/` and `pkg/extension/`): the
/// wasm-bindgen glue's types, and the extension's copy of the loader (`widget/`) as the
/// loader's `.d.ts`.
fn write_js_imports() -> Result<(), String> {
    let glue = crate::build::dist_dir().join("checklist.d.ts");
    let dir = samples_dir().join("js");
    std::fs::create_dir_all(dir.join("widget")).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    std::fs::copy(&glue, dir.join("checklist.d.ts"))
        .map_err(|e| format!("cannot copy {} (run `cargo xtask build` first): {e}", glue.display()))?;
    let loader = cmd::root().join("pkg/src/law-record-checklist.js");
    let stub = format!("export * from {:?};\n", loader.display().to_string());
    std::fs::write(dir.join("widget/law-record-checklist.d.ts"), stub)
        .map_err(|e| format!("cannot write the widget stub: {e}"))
}
