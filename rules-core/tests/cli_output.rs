//! The `rules` binary when its standard output goes away or fills up: a reader that stops
//! early (`rules check … | head -1`) ends the program quietly with its usual exit code; a full
//! disk (`> /dev/full`) is an error that says so, exit 2. Never a panic.
#![cfg(target_os = "linux")]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)] // test code: failing loudly is the point

use std::path::Path;
use std::process::{Command, Output, Stdio};

use rules_core::{CaseLog, LogEvent, PackVersion, Time};

fn crate_dir() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// Files the commands read, written once per test into its own folder (removed when dropped).
fn fixtures() -> tempfile::TempDir {
    let tmp = tempfile::Builder::new().prefix("rules-cli-output-").tempdir().unwrap();
    let dir = tmp.path();
    let mut log = CaseLog::new("长执罚〔2026〕0012号");
    log.append(
        Time::parse("2026-03-02T09:00").unwrap(),
        LogEvent::PackVersion(PackVersion { id: "changsha-zfj".into(), version: "2023-06-09.1".into() }),
    );
    std::fs::write(dir.join("log.json"), log.to_json()).unwrap();
    std::fs::write(dir.join("old.json"), r#"{"pack":"changsha-zfj"}"#).unwrap();
    tmp
}

/// Every command that writes to standard output, with arguments that make it write.
fn commands(dir: &Path) -> Vec<Vec<String>> {
    let samples = crate_dir().join("samples");
    let case = samples.join("01-complete.json");
    let blocked = samples.join("02-missing-service-receipt.json");
    let config = crate_dir().join("../pkg/demo/agency-config.json");
    let p = |p: &Path| p.display().to_string();
    let now = ["--now", "2026-04-10T12:00"];
    let mut v: Vec<Vec<String>> = vec![
        vec!["check".into(), p(&case)],
        vec!["check".into(), p(&blocked)],
        vec!["check".into(), p(&blocked), "--format".into(), "json".into()],
        vec!["check".into(), p(&case), "--all".into()],
        vec!["report".into(), p(&case), "-o".into(), "-".into()],
        vec!["audit".into(), p(&samples)],
        vec!["audit".into(), p(&samples), "--quiet".into()],
    ];
    for c in &mut v {
        c.extend(now.map(String::from));
    }
    v.extend([
        vec!["explain".into(), "41-av-stored-24h".into()],
        vec!["validate".into()],
        vec!["coverage".into()],
        vec!["coverage".into(), "--format".into(), "tsv".into()],
        vec!["compare".into()],
        vec!["schema".into()],
        vec!["schema".into(), "report".into()],
        vec!["config".into(), "check".into(), p(&config), "--pack".into(), "changsha-zfj".into()],
        vec!["config".into(), "fingerprint".into(), p(&config)],
        vec!["config".into(), "canonical".into(), p(&config)],
        vec!["config".into(), "diff".into(), p(&dir.join("old.json")), p(&config)],
        vec!["log".into(), "verify".into(), p(&dir.join("log.json")), "--list".into()],
        vec!["--help".into()],
        vec!["check".into(), "--help".into()],
        vec!["--version".into()],
    ]);
    v
}

fn rules(args: &[String], stdout: Stdio) -> Output {
    Command::new(env!("CARGO_BIN_EXE_rules"))
        .args(args)
        .stdin(Stdio::null())
        .stdout(stdout)
        .stderr(Stdio::piped())
        .output()
        .unwrap()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

#[test]
fn a_reader_that_stops_early_ends_the_program_quietly_with_its_usual_code() {
    let tmp = fixtures();
    for args in commands(tmp.path()) {
        let usual = rules(&args, Stdio::piped());
        assert!(!usual.stdout.is_empty(), "{args:?} writes something");
        // The reader is closed before the program starts, so every write meets a closed pipe
        // (close-on-exec, so no other test's child holds it open).
        let (reader, writer) = nix::unistd::pipe2(nix::fcntl::OFlag::O_CLOEXEC).unwrap();
        drop(reader);
        let closed = rules(&args, Stdio::from(writer));
        assert_eq!(closed.status.code(), usual.status.code(), "{args:?}: {}", stderr(&closed));
        assert_eq!(stderr(&closed), stderr(&usual), "{args:?}");
    }
}

#[test]
fn a_full_disk_is_an_error_exit_2() {
    let tmp = fixtures();
    for args in commands(tmp.path()) {
        let full = std::fs::OpenOptions::new().write(true).open("/dev/full").unwrap();
        let o = rules(&args, Stdio::from(full));
        let err = stderr(&o);
        assert_eq!(o.status.code(), Some(2), "{args:?}: {err}");
        assert_eq!(
            err.lines().last(),
            Some("error: cannot write to standard output: No space left on device (os error 28)"),
            "{args:?}"
        );
    }
}

#[test]
fn files_written_to_a_full_disk_are_an_error_exit_2() {
    let samples = crate_dir().join("samples");
    let case = samples.join("01-complete.json").display().to_string();
    let now = ["--now".to_owned(), "2026-04-10T12:00".to_owned()];
    for args in [
        vec!["report".to_owned(), case, "-o".into(), "/dev/full".into()],
        vec!["audit".to_owned(), samples.display().to_string(), "--csv".into(), "/dev/full".into()],
        vec!["audit".to_owned(), samples.display().to_string(), "--rules-csv".into(), "/dev/full".into()],
    ] {
        let args: Vec<String> = args.into_iter().chain(now.clone()).collect();
        let o = rules(&args, Stdio::null());
        let err = stderr(&o);
        assert_eq!(o.status.code(), Some(2), "{args:?}: {err}");
        assert!(err.contains("cannot write `/dev/full`") && !err.contains("panicked"), "{args:?}: {err}");
    }
}
