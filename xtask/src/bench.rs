//! `cargo xtask bench web`: page load to first render (median of 10) and evaluation of a
//! 300-record case inside the page (median), in headless Chromium. Printed, never asserted.
use crate::{browser, build};

/// Runs the named bench.
pub fn run(args: &[String]) -> Result<(), String> {
    match args.first().map(String::as_str) {
        Some("web") => {
            let sizes = build::build()?;
            build::print_sizes(&sizes);
            browser::ensure_system_tools()?;
            browser::npm_install(&browser::tests_dir(), "playwright-core")?;
            browser::run_node("bench.mjs", &[])
        }
        _ => Err("usage: cargo xtask bench web".into()),
    }
}
