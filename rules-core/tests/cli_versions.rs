//! A new pack version added by creating folders only, and every `rules` command agreeing on
//! which version checks a case.
//!
//! The test writes, in a temporary folder, 长沙's pack as it is (2023-06-09.1) beside a made-up
//! amendment (test data only, not a regulation: 第四十一条 reads 48小时 from 2026-03-01, and the
//! remote-work rule is dropped), in the documented layout `packs/<id>/<version>/`. Sample 03
//! (filed 2026-03-02) stored one file 46.5 hours after recording: overdue under the old text,
//! in time under the new. The same case filed 2026-02-27 falls under the old version.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)] // test code: failing loudly is the point
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const OLD: &str = "2023-06-09.1";
const NEW: &str = "2026-03-01.1";

fn rules(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_rules")).args(args).output().unwrap()
}

fn text(o: &Output) -> String {
    format!("{}{}", String::from_utf8_lossy(&o.stdout), String::from_utf8_lossy(&o.stderr))
}

fn scratch(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("cli-versions").join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn builtin(file: &str) -> String {
    std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("packs/changsha-zfj").join(file)).unwrap()
}

/// `pack.toml` less the rule with id `id` (from its `[[rule]]` to the next).
fn without_rule(toml: &str, id: &str) -> String {
    let start = toml.find(&format!("[[rule]]\nid = \"{id}\"")).unwrap();
    let end = toml[start + 8..].find("[[rule]]").map_or(toml.len(), |i| start + 8 + i);
    format!("{}{}", &toml[..start], &toml[end..])
}

/// `packs/changsha-zfj/{OLD,NEW}/` under `root`; returns the pack folder.
fn two_versions(root: &Path) -> PathBuf {
    let pack = root.join("packs/changsha-zfj");
    let (toml, source) = (builtin("pack.toml"), builtin("source.txt"));
    std::fs::create_dir_all(pack.join(OLD)).unwrap();
    std::fs::write(pack.join(OLD).join("pack.toml"), &toml).unwrap();
    std::fs::write(pack.join(OLD).join("source.txt"), &source).unwrap();
    let old_41 = "应当在音像记录结束后24小时内将需要作为证据使用的音像记录刻盘入卷";
    let new_41 = old_41.replace("24小时", "48小时");
    assert!(toml.contains(old_41) && source.contains(old_41));
    let amended = without_rule(&toml, "41-av-stored-remote")
        .replacen(&format!("version = \"{OLD}\""), &format!("version = \"{NEW}\""), 1)
        .replacen("effective = \"2023-06-09\"", "effective = \"2026-03-01\"", 1)
        .replace(old_41, &new_41)
        .replace("title = \"音像记录结束后24小时内存储\"", "title = \"音像记录结束后48小时内存储\"");
    let amended = {
        // The 41-av-stored-24h rule's period: the first `period = "24h"` after its id.
        let at = amended.find("id = \"41-av-stored-24h\"").unwrap();
        let p = at + amended[at..].find("period = \"24h\"").unwrap();
        format!("{}period = \"48h\"{}", &amended[..p], &amended[p + "period = \"24h\"".len()..])
    };
    std::fs::create_dir_all(pack.join(NEW)).unwrap();
    std::fs::write(pack.join(NEW).join("pack.toml"), amended).unwrap();
    std::fs::write(pack.join(NEW).join("source.txt"), source.replace(old_41, &new_41)).unwrap();
    pack
}

/// Sample 03 as filed (2026-03-02, new version) and filed 2026-02-27 (old version).
fn cases(dir: &Path) -> (String, String) {
    let sample =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("samples/03-av-stored-late.json")).unwrap();
    assert!(sample.contains("\"filed\": \"2026-03-02\""));
    let new = dir.join("filed-0302.json");
    let old = dir.join("filed-0227.json");
    std::fs::write(&new, &sample).unwrap();
    std::fs::write(&old, sample.replace("\"filed\": \"2026-03-02\"", "\"filed\": \"2026-02-27\"")).unwrap();
    (new.display().to_string(), old.display().to_string())
}

const NOW: &str = "2026-04-10T12:00";

#[test]
fn check_chooses_by_filing_day() {
    let dir = scratch("check");
    let pack = two_versions(&dir).display().to_string();
    let (new, old) = cases(&dir);
    let o = rules(&["check", &new, "--pack", &pack, "--now", NOW]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    assert!(text(&o)
        .contains(&format!("规则包 changsha-zfj 版本 {NEW}（2026-03-01 起施行）：按立案（受理）之日施行的版本检查")));
    assert!(text(&o).contains("48小时内"), "{}", text(&o));
    let o = rules(&["check", &old, "--pack", &pack, "--now", NOW]);
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    assert!(text(&o).contains(&format!("版本 {OLD}")), "{}", text(&o));
    assert!(text(&o).contains("已超期  音像记录结束后24小时内存储"), "{}", text(&o));
}

#[test]
fn report_prints_the_chosen_versions_text() {
    let dir = scratch("report");
    let pack = two_versions(&dir).display().to_string();
    let (new, old) = cases(&dir);
    let o = rules(&["report", &new, "--pack", &pack, "--now", NOW, "-o", "-"]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    let html = String::from_utf8_lossy(&o.stdout);
    assert!(html.contains("48小时内") && !html.contains("音像记录结束后24小时内"), "the 2026-03-02 case prints 24h");
    assert!(html.contains(NEW));
    let o = rules(&["report", &old, "--pack", &pack, "--now", NOW, "-o", "-"]);
    let html = String::from_utf8_lossy(&o.stdout);
    assert!(html.contains("音像记录结束后24小时内") && !html.contains("48小时内"));
    assert!(html.contains(OLD));
}

#[test]
fn audit_checks_each_case_under_its_own_version() {
    let dir = scratch("audit");
    let pack = two_versions(&dir).display().to_string();
    let cases_dir = dir.join("cases");
    std::fs::create_dir_all(&cases_dir).unwrap();
    let (new, old) = cases(&cases_dir);
    let csv = dir.join("cases.csv");
    let o =
        rules(&["audit", cases_dir.to_str().unwrap(), "--pack", &pack, "--now", NOW, "--csv", csv.to_str().unwrap()]);
    // One allowed (the new version's 48 hours), one blocked (the old one's 24): as `check` says.
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    let csv = std::fs::read_to_string(csv).unwrap();
    let row = |file: &str| csv.lines().find(|l| l.contains(file)).unwrap_or_else(|| panic!("{file}: {csv}")).to_owned();
    let name = |p: &str| Path::new(p).file_name().unwrap().to_string_lossy().into_owned();
    for (file, code) in [(new, 0), (old, 1)] {
        let c = rules(&["check", &file, "--pack", &pack, "--now", NOW]).status.code();
        assert_eq!(c, Some(code));
        let allowed = row(&name(&file)).contains("可以提交");
        assert_eq!(allowed, code == 0, "{}", row(&name(&file)));
    }
}

#[test]
fn explain_names_every_version_or_the_one_in_force() {
    let dir = scratch("explain");
    let pack = two_versions(&dir).display().to_string();
    let o = rules(&["explain", "41-av-stored-24h", "--pack", &pack]);
    let t = text(&o);
    assert_eq!(o.status.code(), Some(0), "{t}");
    assert!(t.contains(&format!("版本 {OLD}")) && t.contains(&format!("版本 {NEW}")), "{t}");
    assert!(t.contains("24小时内") && t.contains("48小时内"), "{t}");
    let o = rules(&["explain", "41-av-stored-24h", "--pack", &pack, "--on", "2026-03-02"]);
    let t = text(&o);
    assert!(t.contains(NEW) && !t.contains(OLD) && t.contains("48小时内"), "{t}");
    let o = rules(&["explain", "41-av-stored-24h", "--pack", &pack, "--on", "2026-02-27"]);
    assert!(text(&o).contains(OLD) && !text(&o).contains(NEW));
}

#[test]
fn validate_and_coverage_name_each_version() {
    let dir = scratch("validate");
    let pack = two_versions(&dir).display().to_string();
    let t = text(&rules(&["validate", &pack]));
    assert!(t.contains(&format!("changsha-zfj 版本 {OLD}（2023-06-09 起施行）")), "{t}");
    assert!(t.contains(&format!("changsha-zfj 版本 {NEW}（2026-03-01 起施行）")), "{t}");
    // The packs folder itself (every pack under it) reads the same way.
    let t = text(&rules(&["validate", dir.join("packs").to_str().unwrap()]));
    assert_eq!(t.lines().count(), 2, "{t}");
    let o = rules(&["coverage", "--pack", &pack, "--format", "tsv"]);
    let t = String::from_utf8_lossy(&o.stdout);
    assert!(t.lines().any(|l| l.starts_with(&format!("changsha-zfj 版本 {NEW}"))), "{t}");
    assert!(t.lines().all(|l| l.starts_with("changsha-zfj 版本 ")), "{t}");
}

#[test]
fn a_config_that_does_not_fit_a_version_names_it() {
    let dir = scratch("config");
    let pack = two_versions(&dir).display().to_string();
    let (new, old) = cases(&dir);
    let cfg = dir.join("cfg.toml");
    std::fs::write(
        &cfg,
        "pack = \"changsha-zfj\"\n[rules.41-av-stored-remote]\nseverity = \"warning\"\nreason = \"异地执法返回时间难以核实\"\n",
    )
    .unwrap();
    let cfg = cfg.to_str().unwrap();
    let o = rules(&["config", "check", cfg, "--pack", &pack]);
    assert_eq!(o.status.code(), Some(2));
    assert!(text(&o).contains(&format!("which pack `changsha-zfj` version `{NEW}` does not have")), "{}", text(&o));
    // A case under the old version is checked with the config; one under the new is refused,
    // naming the version.
    let o = rules(&["check", &old, "--pack", &pack, "--config", cfg, "--now", NOW]);
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    let o = rules(&["check", &new, "--pack", &pack, "--config", cfg, "--now", NOW]);
    assert_eq!(o.status.code(), Some(2), "{}", text(&o));
    assert!(text(&o).contains(&format!("version `{NEW}`")), "{}", text(&o));
}

#[test]
fn folders_that_break_the_layout_are_refused_with_the_fix() {
    let dir = scratch("layout");
    let pack = two_versions(&dir);
    // Two versions from one day: which checks a case would depend on load order.
    let t = std::fs::read_to_string(pack.join(NEW).join("pack.toml")).unwrap();
    std::fs::write(
        pack.join(NEW).join("pack.toml"),
        t.replacen("effective = \"2026-03-01\"", "effective = \"2023-06-09\"", 1),
    )
    .unwrap();
    let o = rules(&["validate", pack.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    assert!(text(&o).contains("in force from the same day 2023-06-09"), "{}", text(&o));
    // A version folder named otherwise than its version.
    std::fs::write(pack.join(NEW).join("pack.toml"), t.replacen(&format!("\"{NEW}\""), "\"2.0\"", 1)).unwrap();
    let o = rules(&["validate", pack.to_str().unwrap()]);
    assert!(text(&o).contains(&format!("but the folder is `{NEW}`")), "{}", text(&o));
    // A pack.toml beside version folders.
    std::fs::write(pack.join("pack.toml"), &t).unwrap();
    std::fs::write(pack.join("source.txt"), "").unwrap();
    let o = rules(&["validate", pack.to_str().unwrap()]);
    assert!(text(&o).contains("holds both a pack.toml and a version folder"), "{}", text(&o));
}

#[test]
fn the_library_and_compare_name_the_versions() {
    let dir = scratch("library");
    let pack = two_versions(&dir);
    let registry = rules_core::PackRegistry::from_path(&dir.join("packs")).unwrap();
    assert!(registry.has_versions("changsha-zfj"));
    let versions: Vec<&rules_core::Pack> = registry.versions("changsha-zfj");
    let cols: Vec<rules_core::Pack> = versions.iter().map(|p| (*p).clone()).collect();
    let md = rules_core::compare_markdown(&cols);
    let header = md.lines().find(|l| l.starts_with("| 环节 |")).unwrap();
    assert!(
        header.contains(&format!("changsha-zfj 版本 {OLD}")) && header.contains(&format!("changsha-zfj 版本 {NEW}"))
    );
    // The one-version folder alone reads as one pack.
    let one = rules_core::PackRegistry::from_path(&pack.join(OLD)).unwrap();
    assert_eq!(one.all().len(), 1);
}

/// `rules test` runs scenario files against given packs without cargo: the filing day chooses
/// the version (or the scenario names one), a failure names the case with expected and actual,
/// and the exit code says whether all passed.
#[test]
fn rules_test_runs_scenarios_and_names_each_failure() {
    let dir = scratch("test");
    let pack = two_versions(&dir).display().to_string();
    let scenarios = dir.join("scenarios/changsha-zfj");
    std::fs::create_dir_all(&scenarios).unwrap();
    let media = r#"records = [{ id = "V1", kind = "音像记录", media = [{ name = "a.mp4", recorded_to = "2026-03-03T10:00", stored_at = "2026-03-05T09:00" }] }]"#;
    let ok = format!(
        r#"
[[scenario]]
name = "立案于新版本施行后：按48小时，未超期"
now = "2026-04-10T12:00"
expect_version = "{NEW}"
[scenario.case]
facts = {{ filed = "2026-03-02" }}
{media}
[scenario.expect]
"41-av-stored-24h@V1/a.mp4" = "satisfied"

[[scenario]]
name = "立案于新版本施行前：按24小时，超期"
now = "2026-04-10T12:00"
expect_version = "{OLD}"
[scenario.case]
facts = {{ filed = "2026-02-27" }}
{media}
[scenario.expect]
"41-av-stored-24h@V1/a.mp4" = "overdue"

[[scenario]]
name = "场景指定旧版本"
now = "2026-04-10T12:00"
version = "{OLD}"
[scenario.case]
facts = {{ filed = "2026-03-02" }}
{media}
[scenario.expect]
"41-av-stored-24h@V1/a.mp4" = "overdue"
"#
    );
    std::fs::write(scenarios.join("ok.toml"), &ok).unwrap();
    let o = rules(&["test", scenarios.to_str().unwrap(), "--pack", &pack]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    assert!(text(&o).contains("3 个场景：3 通过，0 失败"), "{}", text(&o));

    let bad = format!(
        r#"
[[scenario]]
name = "期望写错"
now = "2026-04-10T12:00"
[scenario.case]
facts = {{ filed = "2026-03-02" }}
{media}
[scenario.expect]
"41-av-stored-24h@V1/a.mp4" = "overdue"
"41-av-stored-24h@V2/a.mp4" = "satisfied"

[[scenario]]
name = "状态词写错"
now = "2026-04-10T12:00"
[scenario.case]
[scenario.expect]
"9-filing-form@case" = "missng"
"#
    );
    std::fs::write(scenarios.join("bad.toml"), bad).unwrap();
    let o = rules(&["test", scenarios.join("bad.toml").to_str().unwrap(), "--pack", &pack]);
    let t = text(&o);
    assert_eq!(o.status.code(), Some(1), "{t}");
    assert!(t.contains("失败  ") && t.contains(":: 期望写错"), "{t}");
    assert!(t.contains("41-av-stored-24h@V1/a.mp4: expected overdue, got satisfied"), "{t}");
    assert!(t.contains("the report lists `41-av-stored-24h@V1/a.mp4`"), "{t}");
    assert!(t.contains("`missng` is not a status (did you mean `missing`?)"), "{t}");
    assert!(t.contains("2 个场景：0 通过，2 失败"), "{t}");
}

/// `--pack` given a folder of several packs (the layout of `rules-core/packs/`): each case is
/// checked under its own agency's pack, as without `--pack`.
#[test]
fn a_folder_of_packs_lets_each_case_name_its_pack() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("packs");
    let root = root.to_str().unwrap();
    let sample = Path::new(env!("CARGO_MANIFEST_DIR")).join("samples/02-missing-service-receipt.json");
    let with = rules(&["check", sample.to_str().unwrap(), "--pack", root, "--now", NOW]);
    let without = rules(&["check", sample.to_str().unwrap(), "--now", NOW]);
    assert_eq!(with.status.code(), without.status.code());
    assert_eq!(String::from_utf8_lossy(&with.stdout), String::from_utf8_lossy(&without.stdout));
    let samples = Path::new(env!("CARGO_MANIFEST_DIR")).join("samples");
    let o = rules(&["audit", samples.to_str().unwrap(), "--pack", root, "--now", NOW, "--quiet"]);
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    assert!(text(&o).contains("无法读取 0 件"), "{}", text(&o));
    let o = rules(&["validate", root]);
    assert_eq!(String::from_utf8_lossy(&o.stdout).lines().count(), rules_core::builtin_pack_ids().count());
}
