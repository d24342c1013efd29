//! `cargo xtask test` and `cargo xtask demo`.
use crate::cmd;

/// Every test the project has: native workspace tests and clippy with the project's lints.
pub fn run(_args: &[String]) -> Result<(), String> {
    cmd::run(cmd::cargo().args(["test", "--workspace"]))?;
    cmd::run(cmd::cargo().args(["clippy", "--workspace", "--all-targets", "--", "-D", "warnings"]))?;
    Ok(())
}

/// The demo: the CLI on every sample case.
pub fn demo(_args: &[String]) -> Result<(), String> {
    let samples = cmd::root().join("rules-core/samples");
    let mut entries: Vec<_> = std::fs::read_dir(&samples)
        .map_err(|e| format!("cannot read {}: {e}", samples.display()))?
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    entries.sort();
    for p in entries {
        println!("==== {}", p.display());
        // A blocked case exits 1 by design; the demo shows it and goes on.
        let _ = cmd::cargo()
            .args(["run", "--quiet", "-p", "rules-core", "--bin", "rules", "--", "check"])
            .arg(&p)
            .status();
    }
    Ok(())
}
