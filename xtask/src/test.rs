//! `cargo xtask test`.
use crate::{browser, build, cmd};

/// Every test the project has: native workspace tests and clippy with the project's lints.
/// `cargo xtask test web` runs only the widget's build, V8 8.3 and browser tests.
pub fn run(args: &[String]) -> Result<(), String> {
    let web_only = args.iter().any(|a| a == "web");
    if !web_only {
        cmd::run(cmd::cargo().args(["fmt", "--all", "--", "--check"]))?;
        cmd::run(cmd::cargo().args(["test", "--workspace"]))?;
        cmd::run(cmd::cargo().args(["clippy", "--workspace", "--all-targets", "--", "-D", "warnings"]))?;
        cmd::run(cmd::cargo().args([
            "clippy",
            "-p",
            "web",
            "--target",
            "wasm32-unknown-unknown",
            "--",
            "-D",
            "warnings",
        ]))?;
    }
    let sizes = build::build()?;
    build::print_sizes(&sizes);
    browser::run_all()
}
