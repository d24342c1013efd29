//! `cargo xtask test`.
use crate::cmd;

/// Every test the project has: native workspace tests and clippy with the project's lints.
pub fn run(_args: &[String]) -> Result<(), String> {
    cmd::run(cmd::cargo().args(["test", "--workspace"]))?;
    cmd::run(cmd::cargo().args(["clippy", "--workspace", "--all-targets", "--", "-D", "warnings"]))?;
    Ok(())
}
