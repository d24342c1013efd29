//! Case strings written by the `rules` binary in text mode reach a terminal: their control
//! characters are shown (`\u{1b}`) rather than obeyed, so a case cannot set the window title,
//! write the clipboard (OSC 52) or clear the screen. JSON output keeps the strings as they are.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)] // test code: failing loudly is the point

use std::process::{Command, Output};

/// A case id holding an OSC 52 clipboard write, a screen clear, a C1 CSI and DEL.
const HOSTILE_ID: &str = "A\u{1b}]52;c;SGVsbG8=\u{7}\u{1b}[2J\u{9b}1m\u{7f}";

fn rules(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_rules")).args(args).output().unwrap()
}

/// `json` in a file of a scratch folder that is removed when the folder is dropped.
fn case_file(json: &serde_json::Value) -> (tempfile::TempDir, String) {
    let tmp = tempfile::Builder::new().prefix("rules-cli-control-").tempdir().unwrap();
    let path = tmp.path().join("case.json");
    std::fs::write(&path, json.to_string()).unwrap();
    let path = path.display().to_string();
    (tmp, path)
}

fn assert_no_controls(text: &str) {
    let bad: Vec<char> = text.chars().filter(|c| c.is_control() && *c != '\n' && *c != '\t').collect();
    assert!(bad.is_empty(), "control characters {bad:?} in {text}");
}

#[test]
fn control_characters_in_a_case_are_shown_not_obeyed() {
    let case = serde_json::json!({
        "id": HOSTILE_ID, "procedure": "simple", "agency": "changsha-zfj",
        "facts": {"filed": "2026-03-01"},
        "activities": [{"id": "A1\u{1b}]0;title\u{7}", "kind": "现场检查\u{1b}c"}]
    });
    let (_tmp, path) = case_file(&case);
    let o = rules(&["check", &path, "--now", "2026-04-10T12:00", "--all"]);
    assert!(matches!(o.status.code(), Some(0 | 1)), "{o:?}");
    let text = String::from_utf8(o.stdout).unwrap();
    assert_no_controls(&text);
    assert!(text.contains(r"案件 A\u{1b}]52;c;SGVsbG8=\u{7}\u{1b}[2J\u{9b}1m\u{7f}"), "{text}");
    // The unknown kind is named in a note, as the case wrote it but visible.
    assert!(text.contains(r"现场检查\u{1b}c"), "{text}");

    // JSON is for programs: the id is kept exactly.
    let o = rules(&["check", &path, "--now", "2026-04-10T12:00", "--format", "json"]);
    let report: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(report["case_id"], HOSTILE_ID);
}

#[test]
fn control_characters_in_an_error_are_shown_not_obeyed() {
    let case =
        serde_json::json!({"id": "c", "procedure": "simple", "facts": {"filed": "\u{1b}[2J\u{1b}]52;c;eA==\u{7}"}});
    let (_tmp, path) = case_file(&case);
    let o = rules(&["check", &path]);
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8(o.stderr).unwrap();
    assert_no_controls(&err);
    assert!(err.contains(r"at `facts.filed`: `\u{1b}[2J\u{1b}]52;c;eA==\u{7}` is not a time"), "{err}");
}
