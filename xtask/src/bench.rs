//! Benchmarks, printed and never asserted:
//! - `cargo xtask bench engine`: criterion, evaluating a 300-record case natively;
//! - `cargo xtask bench audit`: 10,000 generated cases through `rules audit`, cases per second
//!   on one thread and on every core;
//! - `cargo xtask bench web`: page load to first render (median of 10) and evaluation of a
//!   300-record case inside the page (median), in headless Chromium; then the same evaluation
//!   in V8 8.3 (Chromium 83's engine, as on 奇安信 / 360 browsers); then a table of load times
//!   in Chromium 83 and Debian's Chromium, without throttling and at 4x CPU with 10 Mbit/s:
//!   when the submit is guarded and when the first checklist is on screen, cold and warm;
//! - `cargo xtask bench hash`: SHA-256 of a 1 GiB file in headless Chromium — our worker,
//!   hash-wasm and WebCrypto, medians of 5 and the ratio to hash-wasm — and the page's peak
//!   memory growth while hashing a 4 GiB file.
use crate::{browser, build, cmd};

/// Runs the named bench.
pub fn run(args: &[String]) -> Result<(), String> {
    match args.first().map(String::as_str) {
        Some("web") => {
            let sizes = build::build()?;
            build::print_sizes(&sizes);
            browser::ensure_system_tools()?;
            browser::npm_install(&browser::tests_dir(), "playwright-core")?;
            browser::run_node("bench.mjs", &[])?;
            browser::run_v8_83_bench()?;
            browser::run_load_bench()
        }
        Some("audit") => {
            cmd::run(cmd::cargo().args(["bench", "-p", "rules-core", "--features", "cli", "--bench", "audit"]))
        }
        Some("hash") => {
            let sizes = build::build()?;
            build::print_sizes(&sizes);
            browser::ensure_system_tools()?;
            browser::npm_install(&browser::tests_dir(), "hash-wasm")?;
            browser::run_node("bench-hash.mjs", &[])
        }
        Some("engine") => cmd::run(cmd::cargo().args(["bench", "-p", "rules-core", "--bench", "evaluate"])),
        _ => Err("usage: cargo xtask bench <engine|audit|web|hash>".into()),
    }
}
