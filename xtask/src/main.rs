//! The project's one task runner: `cargo xtask <task>`.
//!
//! Every set-up step a fresh machine needs (targets, browsers, npm tools) is done by these
//! tasks themselves, so a clean clone needs nothing installed by hand.
use std::process::ExitCode;

mod bench;
mod browser;
mod build;
mod cmd;
mod contract;
mod demo;
mod deploy;
mod dist;
mod fuzz;
mod platform_db;
mod serve;
mod test;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let task = args.first().map(String::as_str).unwrap_or_default();
    let rest = args.get(1..).unwrap_or_default();
    let result = match task {
        "test" => test::run(rest),
        "demo" => demo::run(rest),
        "build" => build::run(rest),
        "bench" => bench::run(rest),
        "dist" => dist::run(rest),
        "fuzz" => fuzz::run(rest),
        _ => Err(format!("usage: {USAGE}")),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("xtask: {e}");
            ExitCode::FAILURE
        }
    }
}

/// One line naming every task, printed on a wrong call.
const USAGE: &str = "cargo xtask <test|demo|build|bench|dist|fuzz>";

#[cfg(test)]
mod tests {
    #[test]
    fn usage_names_every_task() {
        for t in ["test", "demo", "build", "bench", "dist", "fuzz"] {
            assert!(super::USAGE.contains(t), "{t}");
        }
    }
}
