//! `cargo xtask fuzz [target] [seconds]`: coverage-guided fuzzing with cargo-fuzz (nightly),
//! never in CI. Targets (in `fuzz/fuzz_targets/`):
//! - `case`: case JSON → read → evaluated against every built-in pack, JSON and 核查表 written;
//! - `pack`: `pack.toml`, a NUL byte, `source.txt` → read and validated, then evaluated;
//! - `config`: an agency config as JSON and as TOML → checked against every pack, applied;
//! - `log`: an exported case log → read → verified;
//! - `record`: a checklist record → read → checked (log, lists, signature), merged.
//!
//! Without a target, each runs in turn; `seconds` (default 60) is per target. New inputs go to
//! `fuzz/corpus/<target>/`, crashes to `fuzz/artifacts/<target>/` (both ignored by git), read
//! with the committed seeds in `fuzz/seeds/<target>/`. `cargo xtask fuzz seeds` writes those
//! seeds again from the samples, the demo cases and config, every scenario, the packs, a
//! generated log and generated records (plain, signed, merged, tampered). A crash is reproduced with
//! `cd fuzz && cargo +nightly fuzz run <target> artifacts/<target>/<file>`, then becomes a
//! regression test.
use std::path::{Path, PathBuf};
use std::process::Command;

use crate::cmd;

const TARGETS: [&str; 5] = ["case", "pack", "config", "log", "record"];

/// Runs the fuzz task.
pub fn run(args: &[String]) -> Result<(), String> {
    if args.first().map(String::as_str) == Some("seeds") {
        let n = write_seeds()?;
        eprintln!("xtask: wrote {n} seeds under fuzz/seeds/");
        return Ok(());
    }
    let (targets, seconds) = parse(args)?;
    ensure_tools()?;
    let root = cmd::root().join("fuzz");
    let mut summary = Vec::new();
    for t in targets {
        let corpus = root.join("corpus").join(t);
        std::fs::create_dir_all(&corpus).map_err(|e| format!("cannot create {}: {e}", corpus.display()))?;
        let started = std::time::Instant::now();
        // The format's keys and typical values (`fuzz/dicts/<target>.dict`), so mutations make
        // inputs that read rather than only ones the parser refuses.
        let dict = format!("-dict={}", root.join("dicts").join(format!("{t}.dict")).display());
        let status = Command::new("cargo")
            .current_dir(&root)
            .args(["+nightly", "fuzz", "run", "-O", t])
            .arg(&corpus)
            .arg(root.join("seeds").join(t))
            .args([
                "--",
                &format!("-max_total_time={seconds}"),
                "-timeout=20",
                "-rss_limit_mb=3072",
                "-print_final_stats=1",
            ])
            .arg(dict)
            .status()
            .map_err(|e| format!("cannot start cargo +nightly fuzz: {e}"))?;
        let took = started.elapsed().as_secs();
        let crashes = std::fs::read_dir(root.join("artifacts").join(t)).map(|d| d.count()).unwrap_or(0);
        // A run that ends early without writing an input did not crash: it could not start
        // (a build error, a bad dictionary), and says why above.
        let verdict = match (status.success(), crashes) {
            (true, _) => "no crash",
            (false, 0) => "FAILED to run",
            (false, _) => "CRASH",
        };
        summary.push((verdict, format!("{t:<7} {took:>6} s  {verdict:<13}  inputs in fuzz/artifacts/{t}: {crashes}")));
    }
    eprintln!("\nxtask: fuzz summary");
    for (_, line) in &summary {
        eprintln!("  {line}");
    }
    if summary.iter().any(|(v, _)| *v == "CRASH") {
        Err("a fuzz target crashed: reproduce it and turn it into a regression test".into())
    } else if summary.iter().any(|(v, _)| *v != "no crash") {
        Err("a fuzz target could not run: see its output above".into())
    } else {
        Ok(())
    }
}

/// `[target] [seconds]`, in either order.
fn parse(args: &[String]) -> Result<(Vec<&'static str>, u64), String> {
    let usage = || format!("usage: cargo xtask fuzz [seeds | {}] [seconds]", TARGETS.join("|"));
    let mut targets: Vec<&'static str> = TARGETS.to_vec();
    let mut seconds = 60;
    for a in args {
        if let Some(t) = TARGETS.iter().find(|t| **t == a.as_str()) {
            targets = vec![t];
        } else if let Ok(s) = a.parse::<u64>() {
            seconds = s.max(1);
        } else {
            return Err(usage());
        }
    }
    Ok((targets, seconds))
}

/// The nightly toolchain and cargo-fuzz, or a plain message saying which is missing.
fn ensure_tools() -> Result<(), String> {
    let nightly = Command::new("cargo").args(["+nightly", "--version"]).output();
    if !nightly.is_ok_and(|o| o.status.success()) {
        return Err("fuzzing needs a nightly toolchain, and `cargo +nightly` found none: \
                    install one with `rustup toolchain install nightly`"
            .into());
    }
    let fuzz = Command::new("cargo").args(["+nightly", "fuzz", "--version"]).output();
    if !fuzz.is_ok_and(|o| o.status.success()) {
        eprintln!("xtask: cargo-fuzz is missing: installing it (`cargo install cargo-fuzz --locked`)");
        cmd::run(Command::new("cargo").args(["install", "cargo-fuzz", "--locked"]))?;
    }
    Ok(())
}

/// Writes `fuzz/seeds/<target>/` from the project's own inputs; returns how many files.
fn write_seeds() -> Result<usize, String> {
    let root = cmd::root();
    let seeds = root.join("fuzz/seeds");
    let mut n = 0;
    let mut put = |target: &str, name: &str, bytes: &[u8]| -> Result<(), String> {
        let dir = seeds.join(target);
        std::fs::create_dir_all(&dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
        std::fs::write(dir.join(name), bytes).map_err(|e| format!("cannot write seed {name}: {e}"))?;
        n += 1;
        Ok(())
    };
    let _ = std::fs::remove_dir_all(&seeds);
    for dir in ["rules-core/samples", "pkg/demo/cases"] {
        for f in files(&root.join(dir), "json")? {
            let name = format!("{}-{}", dir.replace('/', "-"), file_name(&f));
            put("case", &name, &read(&f)?)?;
        }
    }
    put("config", "demo-agency-config.json", &read(&root.join("pkg/demo/agency-config.json"))?)?;
    // Every scenario's case and config, as the scenario harness fills them in.
    for pack_dir in dirs(&root.join("tests/scenarios"))? {
        for f in files(&pack_dir, "toml")? {
            let text = String::from_utf8(read(&f)?).map_err(|e| format!("{}: {e}", f.display()))?;
            let file: toml::Table = toml::from_str(&text).map_err(|e| format!("{}: {e}", f.display()))?;
            let scenarios = file.get("scenario").and_then(toml::Value::as_array).cloned().unwrap_or_default();
            for (i, s) in scenarios.iter().enumerate() {
                let stem = format!("{}-{}-{i:03}", file_name(&pack_dir), file_name(&f).trim_end_matches(".toml"));
                let mut case = s.get("case").and_then(toml::Value::as_table).cloned().unwrap_or_default();
                let name = s.get("name").cloned().unwrap_or_else(|| toml::Value::String(stem.clone()));
                case.entry("id").or_insert(name);
                case.entry("procedure").or_insert_with(|| toml::Value::String("ordinary".into()));
                put("case", &format!("{stem}.json"), json(&toml::Value::Table(case))?.as_bytes())?;
                if let Some(c) = s.get("config") {
                    put("config", &format!("{stem}.json"), json(c)?.as_bytes())?;
                    put("config", &format!("{stem}.toml"), toml::to_string(c).map_err(|e| e.to_string())?.as_bytes())?;
                }
            }
        }
    }
    for pack_dir in dirs(&root.join("rules-core/packs"))? {
        let mut bytes = read(&pack_dir.join("pack.toml"))?;
        bytes.push(0);
        bytes.extend(read(&pack_dir.join("source.txt"))?);
        put("pack", &file_name(&pack_dir), &bytes)?;
    }
    let logs = logs()?;
    for (name, log) in &logs {
        put("log", name, log.as_bytes())?;
    }
    for (name, record) in records(&logs)? {
        put("record", &name, record.as_bytes())?;
    }
    Ok(n)
}

/// Checklist records made from the whole generated log: as the widget hands it on, signed as
/// the demo platform stores it, two copies merged, and one edited under its signature.
fn records(logs: &[(String, String)]) -> Result<Vec<(String, String)>, String> {
    use rules_core::{Acknowledgment, CaseLog, ChecklistRecord, ItemAcknowledged, LogEvent, SignedHead, Time};
    let t = |s: &str| Time::parse(s).map_err(|e| e.to_string());
    let whole = logs.iter().find(|(n, _)| n == "whole.json").map(|(_, l)| l.as_str()).unwrap_or_default();
    let log = CaseLog::from_json(whole).map_err(|e| e.to_string())?;
    let mut r = ChecklistRecord::new(&log.case_id);
    r.log.entries = log.entries.clone();
    r.log.head = log.head.clone();
    let plain = r.to_json();
    // A fixed seed: the seeds are committed and must not change on every run.
    let signed_at = t("2026-03-02T10:00:00")?;
    let sign = |r: &ChecklistRecord| {
        SignedHead::sign(&[7; 32], &r.case_id, &r.log.head, "演示平台（案件办理）服务器", signed_at)
            .map_err(|e| e.to_string())
    };
    r.log.signature = Some(sign(&r)?);
    let signed = r.to_json();
    let mut other = ChecklistRecord::new(&log.case_id);
    other.log.entries = log.entries.get(..2).unwrap_or_default().to_vec();
    let note = "询问笔录纸质件见卷宗第5页";
    let at = t("2026-03-02T09:30:00")?;
    let e = rules_core::next_entry(
        &other.case_id,
        other.log.entries.last(),
        at,
        LogEvent::ItemAcknowledged(ItemAcknowledged {
            item: "29-direct-receipt@S1".into(),
            by: Some("李四".into()),
            note: Some(note.into()),
        }),
    );
    other.log.entries.push(e);
    other.log.head = rules_core::head_of(&other.case_id, &other.log.entries);
    other.acknowledgments.push(Acknowledgment {
        item: "29-direct-receipt@S1".into(),
        at,
        by: Some("李四".into()),
        note: Some(note.into()),
    });
    let merged = r.merge(&other, t("2026-03-02T11:00:00")?).map_err(|e| e.to_string())?.record;
    let edited = signed.replacen("张三", "李四", 1);
    Ok(vec![
        ("plain.json".into(), plain),
        ("signed.json".into(), signed),
        ("merged.json".into(), merged.to_json()),
        ("edited-under-signature.json".into(), edited),
    ])
}

/// Exported logs: one of every event, one cut short, and one edited.
fn logs() -> Result<Vec<(String, String)>, String> {
    use rules_core::{
        CaseLog, ConfigApplied, ItemAcknowledged, ItemUnacknowledged, LogEvent, MediaHashed, PackVersion,
        SubmitAllowed, SubmitAttempted, SubmitBlocked, Time,
    };
    let t = |s: &str| Time::parse(s).map_err(|e| e.to_string());
    let mut log = CaseLog::new("长执罚〔2026〕12号");
    let events = [
        LogEvent::PackVersion(PackVersion { id: "changsha-zfj".into(), version: "2023-06-09.1".into() }),
        LogEvent::ConfigApplied(ConfigApplied { fingerprint: rules_core::sha256_hex(b"{}") }),
        LogEvent::MediaHashed(MediaHashed {
            record: Some("V1".into()),
            name: "a.mp4".into(),
            size: Some(1 << 30),
            sha256: "ab".repeat(32),
        }),
        LogEvent::ItemAcknowledged(ItemAcknowledged {
            item: "13-inspection-av@A1".into(),
            by: Some("张三".into()),
            note: Some("纸质记录见卷宗第3页".into()),
        }),
        LogEvent::ItemUnacknowledged(ItemUnacknowledged { item: "13-inspection-av@A1".into() }),
        LogEvent::SubmitAttempted(SubmitAttempted { blocking: 1, warnings: 2 }),
        LogEvent::SubmitBlocked(SubmitBlocked {
            reason: "缺少送达回证".into(),
            blocking: vec!["27-time-limit@case".into()],
        }),
        LogEvent::SubmitAllowed(SubmitAllowed { reason: None, warnings: vec![] }),
    ];
    for (i, e) in events.into_iter().enumerate() {
        log.append(t(&format!("2026-03-02T09:{i:02}:30"))?, e);
    }
    let whole = log.to_json();
    let mut cut = log.clone();
    cut.entries.truncate(3);
    let edited = whole.replacen("张三", "李四", 1);
    Ok(vec![("whole.json".into(), whole), ("cut.json".into(), cut.to_json()), ("edited.json".into(), edited)])
}

fn json(v: &toml::Value) -> Result<String, String> {
    serde_json::to_string_pretty(v).map_err(|e| e.to_string())
}

fn read(p: &Path) -> Result<Vec<u8>, String> {
    std::fs::read(p).map_err(|e| format!("cannot read {}: {e}", p.display()))
}

fn file_name(p: &Path) -> String {
    p.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default()
}

fn entries(dir: &Path) -> Result<Vec<PathBuf>, String> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(dir)
        .map_err(|e| format!("cannot read {}: {e}", dir.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .collect();
    v.sort();
    Ok(v)
}

fn dirs(dir: &Path) -> Result<Vec<PathBuf>, String> {
    Ok(entries(dir)?.into_iter().filter(|p| p.is_dir()).collect())
}

fn files(dir: &Path, ext: &str) -> Result<Vec<PathBuf>, String> {
    Ok(entries(dir)?.into_iter().filter(|p| p.is_file() && p.extension().is_some_and(|x| x == ext)).collect())
}
