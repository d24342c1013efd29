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
    log.append(
        t("2026-03-02T09:02"),
        LogEvent::ItemAcknowledged(ItemAcknowledged { item: "x@A1".into(), by: None, note: None }),
    );
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
    // A pass says what a keyless chain cannot prove, never just 「日志完整」.
    assert!(!text(&o).contains("日志完整"), "{}", text(&o));
    assert!(text(&o).contains("它不能证明日志未被改写"), "{}", text(&o));
    assert!(text(&o).contains("未对照另行保存的日志头"), "{}", text(&o));
    let o = rules(&["log", "verify", good.to_str().unwrap(), "--head", &log.head.hash, "--count", "3"]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    assert!(text(&o).contains("与给定的日志头一致：前 3 条"), "{}", text(&o));

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
        &rules_core::Config::default().fingerprint(),
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
        config_fingerprint: None,
        report: &report,
        log: Some(&log),
        log_break: None,
        key_check: None,
        handler: None,
        all: false,
    });
    assert_eq!(html, want);
    assert!(html.contains(&log.head.hash) && html.contains("链式校验通过"));
    assert!(html.contains(&config.fingerprint()), "the config's own fingerprint is printed");
    // A pinned fingerprint that is not the config's is refused.
    let o = rules(&["report", &case, "--fingerprint", "feedface", "-o", out.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2), "{}", text(&o));
    assert!(text(&o).contains("does not match the pinned `feedface`"), "{}", text(&o));

    let other = dir.join("other.json");
    std::fs::write(&other, CaseLog::new("别的案件").to_json()).unwrap();
    let o = rules(&["report", &case, "--log", other.to_str().unwrap(), "-o", out.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2), "{}", text(&o));
    assert!(text(&o).contains("the log is of case `别的案件`"), "{}", text(&o));
    let o = rules(&["report", "/nonexistent.json", "-o", out.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    assert!(text(&o).contains("cannot read `/nonexistent.json`"));
}

#[test]
fn audit_sums_a_directory_and_a_json_lines_file_per_rule_and_per_case() {
    let dir = scratch("audit");
    let cases = dir.join("cases");
    std::fs::create_dir_all(cases.join("sub")).unwrap();
    let samples = ["01-complete.json", "02-missing-service-receipt.json", "03-av-stored-late.json"];
    let mut lines = String::new();
    for (n, s) in samples.iter().enumerate() {
        let text = std::fs::read_to_string(sample(s)).unwrap();
        let target = if n == 2 { cases.join("sub").join(s) } else { cases.join(s) };
        // The missing receipt, confirmed by an officer on paper: the audit lists it apart.
        let text = if n == 1 {
            let mut v: serde_json::Value = serde_json::from_str(&text).unwrap();
            v["acknowledgments"] = serde_json::json!([{"item": "29-direct-receipt@S2", "at": "2026-04-09T09:30",
                "by": "张三", "note": "纸质送达回证见卷宗第12页"}]);
            v.to_string()
        } else {
            text
        };
        std::fs::write(target, &text).unwrap();
        let v: serde_json::Value = serde_json::from_str(&text).unwrap();
        lines.push_str(&v.to_string());
        lines.push_str("\n\n");
    }
    let csv = dir.join("cases.csv");
    let rules_csv = dir.join("rules.csv");
    let o = rules(&[
        "audit",
        cases.to_str().unwrap(),
        "--now",
        "2026-04-10T12:00",
        "--csv",
        csv.to_str().unwrap(),
        "--rules-csv",
        rules_csv.to_str().unwrap(),
    ]);
    let out = String::from_utf8_lossy(&o.stdout).to_string();
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    assert!(out.starts_with("案卷评查：3 件案件，已检查 3 件（可以提交 2 件，不能提交 1 件），无法读取 0 件"), "{out}");
    assert!(
        out.contains("人工确认（系统中无记录，由经办人员确认）：\n  长执罚〔2026〕0013号  直接送达：《送达回证》记明文书、时间地点、送达人、签收人及签收情况（S2）"),
        "{out}"
    );
    assert!(out.contains("人工确认 2026-04-09 09:30（张三）：纸质送达回证见卷宗第12页"), "{out}");
    assert!(out.contains("sub/03-av-stored-late.json"), "{out}");
    let cases_csv = std::fs::read_to_string(&csv).unwrap();
    let rows: Vec<&str> = cases_csv.lines().collect();
    assert_eq!(rows[0], "\u{feff}来源,案件编号,规则包,必须事项未满足,警告,结论,人工确认,错误,提交理由,清单记录日志头");
    assert_eq!(rows[1], "01-complete.json,长执罚〔2026〕0012号,changsha-zfj,0,0,可以提交,,,,");
    assert!(
        rows[2]
            .starts_with("02-missing-service-receipt.json,长执罚〔2026〕0013号,changsha-zfj,0,0,可以提交,直接送达："),
        "{}",
        rows[2]
    );
    assert!(rows[2].ends_with("人工确认 2026-04-09 09:30（张三）：纸质送达回证见卷宗第12页,,,"), "{}", rows[2]);
    let rules_text = std::fs::read_to_string(&rules_csv).unwrap();
    assert!(rules_text.contains("changsha-zfj,29-direct-receipt,第二十九条,"), "{rules_text}");
    assert!(rules_text.lines().nth(1).unwrap().contains(",1,"), "{rules_text}");

    // The same cases as JSON lines give the same per-rule counts, on one thread or two.
    let jsonl = dir.join("cases.jsonl");
    std::fs::write(&jsonl, format!("{lines}{{\"id\": 5}}\n")).unwrap();
    for jobs in ["1", "2"] {
        let rules_csv2 = dir.join(format!("rules-{jobs}.csv"));
        let o = rules(&[
            "audit",
            jsonl.to_str().unwrap(),
            "--now",
            "2026-04-10T12:00",
            "--jobs",
            jobs,
            "--rules-csv",
            rules_csv2.to_str().unwrap(),
        ]);
        assert_eq!(o.status.code(), Some(2), "an unreadable line is bad input: {}", text(&o));
        let out = String::from_utf8_lossy(&o.stdout).to_string();
        assert!(out.contains("无法读取 1 件"), "{out}");
        assert!(out.contains("cases.jsonl:7") && out.contains("无法检查：case is malformed at `id`"), "{out}");
        assert_eq!(std::fs::read_to_string(&rules_csv2).unwrap(), rules_text);
    }
    let o = rules(&["audit", dir.join("nothing").to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    assert!(text(&o).contains("cannot read"), "{}", text(&o));
}

#[test]
fn config_commands_and_check_with_a_pinned_config() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let config = root.join("pkg/demo/agency-config.json");
    let config = config.to_str().unwrap();
    let parsed = rules_core::Config::from_json(&std::fs::read_to_string(config).unwrap()).unwrap();
    let o = rules(&["config", "fingerprint", config]);
    assert_eq!(text(&o).trim(), parsed.fingerprint());
    let o = rules(&["config", "check", config, "--pack", "changsha-zfj"]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    let case = root.join("pkg/demo/cases/overdue-av.json");
    let case = case.to_str().unwrap();
    let o = rules(&["check", case, "--config", config, "--pin", &parsed.fingerprint(), "--now", "2026-03-25T10:00"]);
    assert_eq!(o.status.code(), Some(0), "allowed once the AV storage is a warning: {}", text(&o));
    assert!(text(&o).contains(&parsed.fingerprint()));
    let o = rules(&["check", case, "--config", config, "--pin", &"0".repeat(64), "--now", "2026-03-25T10:00"]);
    assert_eq!(o.status.code(), Some(2), "{}", text(&o));
    assert!(text(&o).contains("does not match the pinned"), "{}", text(&o));
    // A must rule switched off: refused with its location.
    let dir = scratch("config");
    let bad = dir.join("bad.json");
    std::fs::write(&bad, r#"{"rules":{"29-direct-receipt":{"disabled":true,"reason":"人手不足"}}}"#).unwrap();
    let o = rules(&["check", case, "--config", bad.to_str().unwrap(), "--now", "2026-03-25T10:00"]);
    assert_eq!(o.status.code(), Some(2), "{}", text(&o));
    assert!(text(&o).contains("at `rules.29-direct-receipt`"), "{}", text(&o));
    // Diff: one override added.
    let o = rules(&["config", "diff", config, bad.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        text(&o).contains("+ agency 29-direct-receipt") && text(&o).contains("- agency 41-av-stored-24h"),
        "{}",
        text(&o)
    );
}

#[test]
fn an_unknown_procedure_is_bad_input_naming_the_pack_s_procedures() {
    let dir = scratch("procedure");
    let case = dir.join("case.json");
    std::fs::write(&case, r#"{"id":"c","agency":"xinglongtai-zjj","procedure":"penalty"}"#).unwrap();
    let case = case.to_str().unwrap();
    for args in [vec!["check", case, "--now", "2026-03-05"], vec!["report", case, "--now", "2026-03-05", "-o", "-"]] {
        let o = rules(&args);
        assert_eq!(o.status.code(), Some(2), "{args:?}: {}", text(&o));
        let t = text(&o);
        assert!(t.contains("程序 `penalty`（位置 `procedure`）不在规则包 xinglongtai-zjj 中"), "{t}");
        assert!(t.contains("ordinary（行政处罚）、inspection（行政监督检查）"), "{t}");
    }
}

#[test]
fn a_case_checked_with_another_agency_s_pack_is_warned_about() {
    let dir = scratch("other-agency");
    let case = dir.join("case.json");
    std::fs::write(&case, r#"{"id":"c","agency":"xinglongtai-zjj","procedure":"ordinary"}"#).unwrap();
    let o = rules(&["check", case.to_str().unwrap(), "--pack", "changsha-zfj", "--now", "2026-03-05"]);
    let (out, err) = (String::from_utf8_lossy(&o.stdout), String::from_utf8_lossy(&o.stderr));
    assert!(err.contains("warning: 案件所属机关为 `xinglongtai-zjj`，却按规则包 `changsha-zfj` 检查"), "{err}");
    assert!(
        out.contains("注意：本案所属机关为 `xinglongtai-zjj`，但按规则包 changsha-zfj（长沙县行政执法局）检查"),
        "{out}"
    );
    // Its own pack: no warning.
    let o = rules(&["check", case.to_str().unwrap(), "--pack", "xinglongtai-zjj", "--now", "2026-03-05"]);
    assert!(!text(&o).contains("所属机关"), "{}", text(&o));
}

#[test]
fn a_config_of_another_pack_is_refused_by_check_report_and_audit() {
    let dir = scratch("other-pack");
    let config = dir.join("sanming.json");
    std::fs::write(&config, r#"{"pack": "sanming-gxj"}"#).unwrap();
    let case = sample("02-missing-service-receipt.json");
    let cfg = config.to_str().unwrap();
    assert_eq!(rules(&["check", &case, "--now", "2026-04-10T12:00"]).status.code(), Some(1));
    let o = rules(&["check", &case, "--config", cfg, "--now", "2026-04-10T12:00"]);
    assert_eq!(o.status.code(), Some(2), "{}", text(&o));
    assert!(text(&o).contains("config is written for pack `sanming-gxj`"), "{}", text(&o));
    assert!(!text(&o).contains("可以提交"), "{}", text(&o));
    // Naming the config's pack on the command line does not make the case another agency's.
    let sheet = dir.join("sheet.html");
    let sheet_path = sheet.to_str().unwrap();
    let o = rules(&[
        "report",
        &case,
        "--pack",
        "sanming-gxj",
        "--config",
        cfg,
        "--now",
        "2026-04-10T12:00",
        "-o",
        sheet_path,
    ]);
    assert_eq!(o.status.code(), Some(2), "{}", text(&o));
    assert!(text(&o).contains("the case's `agency` names pack `changsha-zfj`"), "{}", text(&o));
    assert!(!sheet.exists());
    let o = rules(&["audit", &case, "--pack", "sanming-gxj", "--config", cfg, "--now", "2026-04-10T12:00"]);
    assert_eq!(o.status.code(), Some(2), "{}", text(&o));
    assert!(text(&o).contains("无法检查"), "{}", text(&o));
}

/// `coverage --clauses`: each duty clause with its rules or reason; exit 1 when a pack has a
/// clause neither encoded nor excluded, as for unreviewed articles.
#[test]
fn coverage_by_clause_lists_each_duty_clause_and_fails_on_a_gap() {
    let o = rules(&["coverage", "--clauses", "--format", "tsv", "--pack", "changsha-zfj"]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    let out = String::from_utf8(o.stdout).unwrap();
    assert!(out.lines().any(|l| l.starts_with("changsha-zfj\t第二十一条\tencoded\t21-new-facts-review")), "{out}");
    let dir = scratch("clause-gap");
    let packs = Path::new(env!("CARGO_MANIFEST_DIR")).join("packs/changsha-zfj");
    let toml = std::fs::read_to_string(packs.join("pack.toml")).unwrap();
    // Without its note, 第六条's clause on using the devices is a gap.
    let note = "\n[[clause]]\narticle = \"第六条\"\ntext = \"执法人员应当按要求使用执法记录设备\"\nreason = \"使用执法记录设备的方式和纪律，组织性要求；何时必须音像记录由第七条及各条的音像记录规则逐项检查\"\n";
    assert!(toml.contains(note));
    std::fs::write(dir.join("pack.toml"), toml.replace(note, "\n")).unwrap();
    std::fs::copy(packs.join("source.txt"), dir.join("source.txt")).unwrap();
    let o = rules(&["coverage", "--clauses", "--pack", dir.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    let out = text(&o);
    assert!(out.contains("第六条  uncovered    执法人员应当按要求使用执法记录设备。"), "{out}");
    assert!(out.contains("未覆盖 1"), "{out}");
}
