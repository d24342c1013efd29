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
        .args(["--now", "2026-04-10T12:00"])
        .stdin(Stdio::null())
        .output()
        .unwrap();
    (o.status.code(), String::from_utf8_lossy(&o.stdout).into_owned(), String::from_utf8_lossy(&o.stderr).into_owned())
}

/// A scratch folder of this test's own, removed when dropped.
fn scratch() -> tempfile::TempDir {
    tempfile::Builder::new().prefix("rules-cli-audit-").tempdir().unwrap()
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
    let tmp = scratch();
    let dir = tmp.path().to_path_buf();
    let cases = json_lines(&dir, 200);
    let (code, out, err) = audit(&[cases.to_str().unwrap(), "--jobs", "1000000", "--quiet"]);
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

/// The per-case table's row for `source`.
fn row<'a>(out: &'a str, source: &str) -> Option<&'a str> {
    out.lines().find(|l| l.starts_with(source))
}

#[cfg(unix)]
#[test]
fn links_are_followed_once_and_unreadable_files_are_listed_while_the_rest_are_checked() {
    use std::os::unix::fs::symlink;
    let tmp = scratch();
    let dir = tmp.path().to_path_buf();
    std::fs::copy(samples().join("01-complete.json"), dir.join("a.json")).unwrap();
    std::fs::copy(samples().join("02-missing-service-receipt.json"), dir.join("b.json")).unwrap();
    std::fs::create_dir(dir.join("sub")).unwrap();
    std::fs::copy(samples().join("01-complete.json"), dir.join("sub/c.json")).unwrap();
    // Two loops (either alone used to multiply the count; both never finished), a second way
    // into `sub`, a second name for `a.json`, a link to nowhere and a file that is not UTF-8.
    symlink(".", dir.join("loop")).unwrap();
    symlink("..", dir.join("sub/up")).unwrap();
    symlink("sub", dir.join("sub-again")).unwrap();
    symlink("a.json", dir.join("same-as-a.json")).unwrap();
    symlink("nowhere.json", dir.join("dangling.json")).unwrap();
    std::fs::write(dir.join("latin1.json"), b"{\"id\": \"caf\xe9\", \"procedure\": \"ordinary\"}").unwrap();

    let (code, out, err) = audit(&[dir.to_str().unwrap()]);
    assert_eq!(code, Some(2), "some unreadable: {err}");
    let summary = out.lines().next().unwrap();
    assert!(
        summary.starts_with("案卷评查：5 件案件，已检查 3 件（可以提交 2 件，不能提交 1 件），无法读取 2 件"),
        "{summary}"
    );
    for checked in ["a.json", "b.json", "sub/c.json"] {
        let r = row(&out, checked).unwrap_or_else(|| panic!("{checked} is listed:\n{out}"));
        assert!(!r.contains("无法检查"), "{r}");
    }
    let dangling = row(&out, "dangling.json").unwrap();
    assert!(dangling.contains("无法检查：cannot read `dangling.json`"), "{dangling}");
    let latin1 = row(&out, "latin1.json").unwrap();
    assert!(latin1.contains("无法检查：`latin1.json` is not UTF-8 (at byte 11)"), "{latin1}");
    for twice in ["same-as-a.json", "sub-again", "loop", "sub/up"] {
        assert!(row(&out, twice).is_none(), "{twice} is the same file again:\n{out}");
    }
}

#[test]
fn a_json_lines_file_with_a_line_that_is_not_utf8_checks_the_others() {
    let tmp = scratch();
    let dir = tmp.path().to_path_buf();
    let one = json_lines(&dir, 1);
    let line = std::fs::read(&one).unwrap();
    let mut bytes = line.clone();
    bytes.extend_from_slice(b"{\"id\": \"\xff\"}\n");
    bytes.extend_from_slice(&line);
    std::fs::write(&one, bytes).unwrap();
    let (code, out, err) = audit(&[one.to_str().unwrap()]);
    assert_eq!(code, Some(2), "{err}");
    assert!(out.starts_with("案卷评查：3 件案件，已检查 2 件（可以提交 2 件，不能提交 0 件），无法读取 1 件"), "{out}");
    let name = format!("{}:2", one.display());
    let bad = row(&out, &name).unwrap_or_else(|| panic!("line 2 is listed:\n{out}"));
    assert!(bad.contains("无法检查：line is not UTF-8 (at byte 8 of the line)"), "{bad}");
}
