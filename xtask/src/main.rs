//! The project's one task runner: `cargo xtask test`, `cargo xtask demo`.
use std::process::{Command, ExitCode};

fn main() -> ExitCode {
    let task = std::env::args().nth(1).unwrap_or_default();
    match task.as_str() {
        "test" => run(&["test", "--workspace"]),
        "demo" => {
            eprintln!("demo: the rules engine and widget are not built yet (see the open issues)");
            ExitCode::from(2)
        }
        _ => {
            eprintln!("usage: cargo xtask <test|demo>");
            ExitCode::from(2)
        }
    }
}

fn run(args: &[&str]) -> ExitCode {
    match Command::new(env!("CARGO")).args(args).status() {
        Ok(s) if s.success() => ExitCode::SUCCESS,
        _ => ExitCode::FAILURE,
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn usage_names_both_tasks() {
        assert!(include_str!("main.rs").contains("cargo xtask <test|demo>"));
    }
}
