//! `cargo xtask test`.
use crate::{browser, build, cmd, contract};

/// Every test the project has: native workspace tests and clippy with the project's lints.
/// `cargo xtask test web` runs only the widget's build and browser tests (in Debian's Chromium
/// and in Chromium 83);
/// `cargo xtask test extension` only the build and the browser extension's tests;
/// `cargo xtask test types` only the TypeScript checks, on the `pkg/dist/` built last
/// ([`contract`]). Every run first checks that the committed generated types are current, before
/// the build rewrites them.
pub fn run(args: &[String]) -> Result<(), String> {
    contract::check_fresh()?;
    if args.iter().any(|a| a == "types") {
        return contract::typecheck();
    }
    if args.iter().any(|a| a == "extension") {
        build::build()?;
        contract::typecheck()?;
        browser::ensure_system_tools()?;
        browser::npm_install(&browser::tests_dir(), "playwright-core")?;
        return browser::run_extension();
    }
    let web_only = args.iter().any(|a| a == "web");
    if !web_only {
        cmd::run(cmd::cargo().args(["fmt", "--all", "--", "--check"]))?;
        cmd::run(cmd::cargo().args(["test", "--workspace"]))?;
        cmd::run(cmd::cargo().args(["clippy", "--workspace", "--all-targets", "--", "-D", "warnings"]))?;
        build::ensure_wasm_target()?;
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
