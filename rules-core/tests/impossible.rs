//! Issue 24: what cannot be true is refused with its location, and seconds are shown when
//! they decide a verdict.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)] // test code: failing loudly is the point
use rules_core::{evaluate, Case, CaseError, Config, Pack, Time};

fn case(extra: &str) -> Result<Case, CaseError> {
    Case::from_json(&format!(r#"{{"id":"c","agency":"changsha-zfj","procedure":"ordinary"{extra}}}"#))
}

fn refused_at(extra: &str, location: &str) -> String {
    match case(extra) {
        Err(e @ CaseError::Impossible { .. }) => {
            let CaseError::Impossible { location: at, .. } = &e else { unreachable!() };
            assert_eq!(at, location, "{e}");
            e.to_string()
        }
        other => panic!("expected a refusal at {location}, got {other:?}"),
    }
}

#[test]
fn an_excluded_period_ending_before_it_starts_is_refused() {
    let m = refused_at(
        r#","excluded_periods":[{"kind":"鉴定","from":"2026-03-20","to":"2026-03-29"},{"kind":"鉴定","from":"2026-03-20T10:00:30","to":"2026-03-20T10:00:00"}]"#,
        "excluded_periods[1].to",
    );
    assert!(m.contains("结束时间 2026-03-20 10:00:00 早于开始时间 2026-03-20 10:00:30"), "{m}");
    // A date-only period on one day is that whole day, not an end before its start.
    assert!(case(r#","excluded_periods":[{"kind":"鉴定","from":"2026-03-20","to":"2026-03-20"}]"#).is_ok());
}

#[test]
fn an_excluded_period_of_thousands_of_years_is_refused() {
    // It turned an overdue decision into 可以提交.
    let m = refused_at(
        r#","facts":{"filed":"2026-03-02"},"excluded_periods":[{"kind":"鉴定","from":"2026-03-03","to":"9999-12-30"}]"#,
        "excluded_periods[0]",
    );
    assert!(m.contains("超过 3653 日"), "{m}");
    // Ten years to the day is still believed.
    assert!(case(r#","excluded_periods":[{"kind":"鉴定","from":"2026-03-03","to":"2036-03-01"}]"#).is_ok());
    assert!(case(r#","excluded_periods":[{"kind":"鉴定","from":"2026-03-03","to":"2036-03-03"}]"#).is_err());
}

#[test]
fn an_activity_or_recording_ending_before_it_starts_is_refused() {
    refused_at(
        r#","activities":[{"id":"a","kind":"询问","start":"2026-03-02T10:00","end":"2026-03-02T09:00"}]"#,
        "activities[0].end",
    );
    refused_at(
        r#","activities":[{"id":"a","kind":"询问","records":[{"id":"r","kind":"音像记录","media":[{"name":"m","recorded_from":"2026-03-02T10:00:01","recorded_to":"2026-03-02T10:00"}]}]}]"#,
        "activities[0].records[0].media[0].recorded_to",
    );
    refused_at(
        r#","services":[{"id":"s","document":"行政处罚决定书","method":"direct","records":[{"id":"r","kind":"音像记录","media":[{"name":"m","recorded_from":"2026-03-03","recorded_to":"2026-03-02"}]}]}]"#,
        "services[0].records[0].media[0].recorded_to",
    );
    refused_at(
        r#","records":[{"id":"r","kind":"音像记录","media":[{"name":"m","recorded_from":"2026-03-03","recorded_to":"2026-03-02"}]}]"#,
        "records[0].media[0].recorded_to",
    );
    // One moment is a span of nothing, not an impossibility.
    assert!(
        case(r#","activities":[{"id":"a","kind":"询问","start":"2026-03-02T10:00","end":"2026-03-02T10:00"}]"#).is_ok()
    );
}

#[test]
fn impossible_times_are_located() {
    for (extra, at) in [
        (r#","facts":{"filed":"0000-03-02"}"#, "facts.filed"),
        (r#","facts":{"filed":"9999-12-31T23:00:00-01:00"}"#, "facts.filed"),
        (r#","facts":{"filed":"0001-01-01T00:00:00+08:30"}"#, "facts.filed"),
        (r#","facts":{"filed":"2016-12-31T23:59:60+08:00"}"#, "facts.filed"),
        (r#","excluded_periods":[{"kind":"鉴定","from":"9999-12-30","to":"9999-12-31"}]"#, "excluded_periods[0].to"),
    ] {
        let e = case(extra).unwrap_err().to_string();
        assert!(e.contains(&format!("`{at}`")), "{extra}: {e}");
    }
}

#[test]
fn seconds_are_shown_when_they_decide_the_verdict() {
    let pack = Pack::builtin("changsha-zfj").unwrap();
    let item = |stored: &str| {
        let c = case(&format!(
            r#","records":[{{"id":"V1","kind":"音像记录","media":[{{"name":"a.mp4","recorded_to":"2026-03-03T10:30","stored_at":"{stored}"}}]}}]"#
        ))
        .unwrap();
        let r = evaluate(&c, &pack, &Config::default(), Time::parse("2026-03-06T12:00").unwrap());
        let i = r.item("41-av-stored-24h@V1/a.mp4").unwrap();
        (i.status, i.detail().to_owned())
    };
    let (status, detail) = item("2026-03-04T10:30:30");
    assert_eq!(status, rules_core::Status::Overdue);
    assert!(detail.contains("于2026-03-04 10:30:30，已超过期限2026-03-04 10:30:00"), "{detail}");
    let (status, detail) = item("2026-03-04T10:30");
    assert_eq!(status, rules_core::Status::Satisfied);
    assert!(detail.contains("于2026-03-04 10:30，在期限2026-03-04 10:30内"), "{detail}");
    // Minutes apart, the minutes say it.
    let (_, detail) = item("2026-03-04T10:31:30");
    assert!(detail.contains("于2026-03-04 10:31，已超过期限2026-03-04 10:30"), "{detail}");
}

#[test]
fn seconds_are_shown_when_they_decide_the_order() {
    let pack = Pack::builtin("changsha-zfj").unwrap();
    let detail = |approved: &str| {
        let c = case(&format!(
            r#","activities":[{{"id":"C1","kind":"查封扣押","start":"2026-03-05T09:00:10","records":[{{"id":"P1","kind":"查封(扣押)审批表","made_at":"{approved}"}}]}}]"#
        ))
        .unwrap();
        let r = evaluate(&c, &pack, &Config::default(), Time::parse("2026-03-05T12:00").unwrap());
        let i = r.item("16-seizure-approval-first@C1").unwrap();
        (i.status, i.detail().to_owned())
    };
    let (status, d) = detail("2026-03-05T09:00:40");
    assert_eq!(status, rules_core::Status::OutOfOrder);
    assert!(d.contains("09:00:40") && d.contains("09:00:10"), "{d}");
    let (status, d) = detail("2026-03-05T09:00:05");
    assert_eq!(status, rules_core::Status::Satisfied);
    assert!(d.contains("09:00:05") && d.contains("09:00:10"), "{d}");
    let (_, d) = detail("2026-03-05T11:00:40");
    assert!(!d.contains("11:00:40") && d.contains("11:00"), "{d}");
}

#[test]
fn toml_syntax_errors_keep_line_and_column() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("packs/changsha-zfj");
    let text = std::fs::read_to_string(dir.join("pack.toml")).unwrap();
    let source = std::fs::read_to_string(dir.join("source.txt")).unwrap();
    // A broken line 3 (syntax) …
    let mut lines: Vec<&str> = text.lines().collect();
    lines.insert(2, "坏 = = 1");
    let e = Pack::from_toml(&lines.join("\n"), &source, "p").unwrap_err().to_string();
    assert!(e.contains("at `line 3, column "), "{e}");
    // … and a value of the wrong type keeps its key path and its place.
    let wrong = text.replacen("id = \"changsha-zfj\"", "id = 7", 1);
    let line = wrong.lines().position(|l| l.starts_with("id = 7")).unwrap() + 1;
    let e = Pack::from_toml(&wrong, &source, "p").unwrap_err().to_string();
    assert!(e.contains(&format!("at `id`: line {line}, column 6: ")), "{e}");

    let e = Config::from_toml("pack = \"changsha-zfj\"\n\n[rules.x\n").unwrap_err().to_string();
    assert!(e.contains("at `line 3, column "), "{e}");
    let e = Config::from_toml("pack = \"changsha-zfj\"\nload_timeout_seconds = \"ten\"\n").unwrap_err().to_string();
    assert!(e.contains("at `load_timeout_seconds`: line 2, column 24: "), "{e}");
}

#[test]
fn a_file_that_is_not_utf8_names_its_first_bad_byte() {
    let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("impossible");
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("gbk.json");
    let mut bytes = b"{\"id\":\"c\",\n\"procedure\":\"".to_vec();
    bytes.extend_from_slice(&[0xD2, 0xBB, 0xB0, 0xE3]); // 「一般」 in GBK
    bytes.extend_from_slice(b"\"}");
    std::fs::write(&path, bytes).unwrap();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_rules"))
        .args(["check", path.to_str().unwrap(), "--now", "2026-04-10T12:00"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    // D2 BB happens to be UTF-8 too (U+04BB): the first byte that is not is B0, the 15th
    // character of line 2.
    assert!(err.contains("not UTF-8 at byte 26 (line 2, column 15)"), "{err}");
}
