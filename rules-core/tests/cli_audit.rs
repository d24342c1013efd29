//! `rules audit` as a user runs it: any thread count, any folder, and always a complete table.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)] // test code: failing loudly is the point

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

fn samples() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("samples")
}

fn audit(args: &[&str]) -> (Option<i32>, String, String) {
    let o: Output = Command::new(env!("CARGO_BIN_EXE_rules"))
        .arg("audit")
        .args(args)
        .args(["--now", "2026-04-10T12:00", "--quiet"])
        .stdin(Stdio::null())
        .output()
        .unwrap();
    (o.status.code(), String::from_utf8_lossy(&o.stdout).into_owned(), String::from_utf8_lossy(&o.stderr).into_owned())
}

/// A scratch folder of this test's own.
fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("rules-cli-audit-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// `n` copies of a sample case as JSON lines.
fn json_lines(dir: &Path, n: usize) -> PathBuf {
    let text = std::fs::read_to_string(samples().join("01-complete.json")).unwrap();
    let line = serde_json::to_string(&serde_json::from_str::<serde_json::Value>(&text).unwrap()).unwrap();
    let path = dir.join("cases.jsonl");
    std::fs::write(&path, format!("{line}\n").repeat(n)).unwrap();
    path
}

#[test]
fn a_huge_thread_count_is_capped_to_the_work_there_is() {
    let dir = scratch("jobs");
    let cases = json_lines(&dir, 200);
    let (code, out, err) = audit(&[cases.to_str().unwrap(), "--jobs", "1000000"]);
    assert_eq!(code, Some(0), "{err}");
    // 200 cases are four batches of 64: four threads at most.
    let summary = out.lines().next().unwrap();
    assert!(summary.starts_with("案卷评查：200 件案件，已检查 200 件（可以提交 200 件"), "{summary}");
    assert!(summary.ends_with("（4 个线程）"), "{summary}");
}

#[test]
fn zero_threads_is_refused_by_name() {
    let (code, out, err) = audit(&[samples().to_str().unwrap(), "--jobs", "0"]);
    assert_eq!(code, Some(2));
    assert!(out.is_empty());
    assert!(err.contains("0 threads cannot check anything: give 1 or more"), "{err}");
}
