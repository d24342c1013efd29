//! The `rules` binary as a user runs it: exit codes and what it prints or writes.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)] // test code: failing loudly is the point
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use rules_core::{CaseLog, ItemAcknowledged, LogEvent, MediaHashed, PackVersion, Time};

fn rules(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_rules")).args(args).output().unwrap()
}

fn text(o: &Output) -> String {
    format!("{}{}", String::from_utf8_lossy(&o.stdout), String::from_utf8_lossy(&o.stderr))
}

fn scratch(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("cli").join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn sample(name: &str) -> String {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("samples").join(name).display().to_string()
}

fn log() -> CaseLog {
    let t = |s: &str| Time::parse(s).unwrap();
    let mut log = CaseLog::new("长执罚〔2026〕12号");
    log.append(
        t("2026-03-02T09:00"),
        LogEvent::PackVersion(PackVersion { id: "changsha-zfj".into(), version: "1".into() }),
    );
    log.append(
        t("2026-03-02T09:01"),
        LogEvent::MediaHashed(MediaHashed { record: None, name: "a.mp4".into(), size: None, sha256: "ab".repeat(32) }),
    );
    log.append(t("2026-03-02T09:02"), LogEvent::ItemAcknowledged(ItemAcknowledged { item: "x@A1".into(), by: None }));
    log
}

#[test]
fn log_verify_passes_an_intact_log_and_names_the_first_bad_entry() {
    let dir = scratch("log");
    let good = dir.join("good.json");
    let log = log();
    std::fs::write(&good, log.to_json()).unwrap();
    let o = rules(&["log", "verify", good.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    assert!(text(&o).contains(&format!("共 3 条，日志头哈希 {}", log.head.hash)), "{}", text(&o));

    let edited = dir.join("edited.json");
    std::fs::write(&edited, log.to_json().replace(&"ab".repeat(32), &"cd".repeat(32))).unwrap();
    let o = rules(&["log", "verify", edited.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    assert!(text(&o).contains("第 2 条（seq 1）内容被修改"), "{}", text(&o));
    assert!(text(&o).contains("entry 1 (seq 1) was edited"), "{}", text(&o));

    let mut cut = log.clone();
    cut.entries.pop();
    std::fs::write(&edited, cut.to_json()).unwrap();
    let o = rules(&["log", "verify", edited.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    assert!(text(&o).contains("日志被截短：应有 3 条，现有 2 条"), "{}", text(&o));

    // A cut log whose header was fixed up still fails against the printed head.
    cut.head = rules_core::head_of(&cut.case_id, &cut.entries);
    std::fs::write(&edited, cut.to_json()).unwrap();
    assert_eq!(rules(&["log", "verify", edited.to_str().unwrap()]).status.code(), Some(0));
    let o = rules(&["log", "verify", edited.to_str().unwrap(), "--head", &log.head.hash, "--count", "3"]);
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));

    std::fs::write(&edited, "{\"format\":\"law-record-log/1\"}").unwrap();
    let o = rules(&["log", "verify", edited.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2), "{}", text(&o));
    assert!(text(&o).contains("log is malformed at `(root)`: missing field `case_id`"), "{}", text(&o));
    assert!(rules(&["log", "verify", &sample("01-complete.json")]).status.code() == Some(2));
}

#[test]
fn report_writes_the_sheet_with_the_log_head() {
    let dir = scratch("report");
    let case = sample("01-complete.json");
    let case_id = "长执罚〔2026〕0012号";
    let mut log = CaseLog::new(case_id);
    log.append(
        Time::parse("2026-03-03T11:00").unwrap(),
        LogEvent::MediaHashed(MediaHashed { record: None, name: "a.mp4".into(), size: None, sha256: "ab".repeat(32) }),
    );
    let log_file = dir.join("log.json");
    std::fs::write(&log_file, log.to_json()).unwrap();
    let out = dir.join("report.html");
    let o = rules(&[
        "report",
        &case,
        "--now",
        "2026-04-10T12:00",
        "--fingerprint",
        "feedface",
        "--log",
        log_file.to_str().unwrap(),
        "-o",
        out.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    let html = std::fs::read_to_string(&out).unwrap();
    // The same function the widget's print view calls, on the same inputs.
    let parsed = rules_core::Case::from_json(&std::fs::read_to_string(&case).unwrap()).unwrap();
    let pack = rules_core::Pack::builtin("changsha-zfj").unwrap();
    let config = rules_core::Config::default();
    let report = rules_core::evaluate(&parsed, &pack, &config, Time::parse("2026-04-10T12:00").unwrap());
    let want = rules_core::report_html(&rules_core::Sheet {
        case: &parsed,
        pack: &pack,
        config: &config,
        config_fingerprint: Some("feedface"),
        report: &report,
        log: Some(&log),
    });
    assert_eq!(html, want);
    assert!(html.contains(&log.head.hash) && html.contains("链式校验通过"));

    let other = dir.join("other.json");
    std::fs::write(&other, CaseLog::new("别的案件").to_json()).unwrap();
    let o = rules(&["report", &case, "--log", other.to_str().unwrap(), "-o", out.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2), "{}", text(&o));
    assert!(text(&o).contains("the log is of case `别的案件`"), "{}", text(&o));
    let o = rules(&["report", "/nonexistent.json", "-o", out.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    assert!(text(&o).contains("cannot read `/nonexistent.json`"));
}
