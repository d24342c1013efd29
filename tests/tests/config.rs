//! Agency configs: validation errors with locations, the limits on must rules, the fingerprint,
//! evaluation under a config, the change log, diffs, and pack versions chosen by opening date.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)] // test code: failing loudly is the point
use rules_core::{
    config_effect, diff_configs, evaluate, evaluate_in, Case, Config, ConfigError, OverrideScope, Pack, PackError,
    PackRegistry, RuleOverride, SetupError, Severity, Status, Time,
};

fn now() -> Time {
    Time::parse("2026-03-25T10:00").unwrap()
}

fn demo_case(name: &str) -> Case {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("../pkg/demo/cases/{name}.json"));
    Case::from_json(&std::fs::read_to_string(path).unwrap()).unwrap()
}

fn changsha() -> Pack {
    Pack::builtin("changsha-zfj").unwrap()
}

fn check(json: &str) -> Result<(), ConfigError> {
    Config::from_json(json)?.check(&changsha())
}

const RECEIPT: &str = "29-direct-receipt@S1";

#[test]
fn malformed_config_names_its_location() {
    let e = Config::from_json(r#"{"rules":{"29-direct-receipt":{"severity":"loud","reason":"r"}}}"#).unwrap_err();
    assert!(e.to_string().starts_with("config is malformed at `rules.29-direct-receipt.severity`"), "{e}");
    let e = Config::from_json(r#"{"rulez":{}}"#).unwrap_err();
    assert!(matches!(e, ConfigError::Malformed { ref location, .. } if location == "rulez"), "{e}");
    assert!(e.to_string().contains("unknown field `rulez`"), "{e}");
}

#[test]
fn unknown_names_are_refused_with_their_location() {
    let e = check(r#"{"rules":{"29-no-such-rule":{"severity":"warning","reason":"r"}}}"#).unwrap_err();
    assert_eq!(
        e.to_string(),
        "config refers to rule `29-no-such-rule` at `rules.29-no-such-rule`, which pack `changsha-zfj` does not have"
    );
    let e = check(r#"{"procedures":{"simple":{"29-nope":{"severity":"warning","reason":"r"}}}}"#).unwrap_err();
    assert!(matches!(e, ConfigError::UnknownRule { ref location, .. } if location == "procedures.simple.29-nope"));
    let e = check(r#"{"procedures":{"licensing":{}}}"#).unwrap_err();
    assert!(matches!(e, ConfigError::UnknownProcedure { ref procedure, .. } if procedure == "licensing"), "{e}");
    let e = check(r#"{"options":{"steps":["open","nowhere"]}}"#).unwrap_err();
    assert!(matches!(e, ConfigError::UnknownStep { ref location, .. } if location == "options.steps[1]"), "{e}");
    let e = check(r#"{"pack":"sanming-gxj"}"#).unwrap_err();
    assert!(matches!(e, ConfigError::WrongPack { .. }), "{e}");
    let e = check(r#"{"rules":{"29-direct-receipt":{"severity":"warning","reason":"  "}}}"#).unwrap_err();
    assert!(matches!(e, ConfigError::NoReason { .. }), "{e}");
    // A pack no registry has is a config error naming `pack`.
    let registry = PackRegistry::builtin().unwrap();
    let config = Config::from_json(r#"{"pack":"nowhere-zfj"}"#).unwrap();
    let mut unnamed = demo_case("complete");
    unnamed.agency = None;
    let e = evaluate_in(&registry, &unnamed, None, &config, now()).unwrap_err();
    assert!(matches!(e, SetupError::Config(ConfigError::UnknownPack { .. })), "{e}");
    assert!(e.to_string().contains("`nowhere-zfj` at `pack`"), "{e}");
}

#[test]
fn a_must_rule_cannot_be_silenced() {
    for o in [r#"{"disabled":true,"reason":"人手不足"}"#, r#"{"severity":"info","reason":"人手不足"}"#] {
        let e = check(&format!(r#"{{"rules":{{"29-direct-receipt":{o}}}}}"#)).unwrap_err();
        assert!(matches!(e, ConfigError::MustCannotBeSilenced { .. }), "{e}");
        assert!(e.to_string().contains("`rules.29-direct-receipt`"), "{e}");
    }
    // Optional rules cannot be made blocking; conditional ones can be switched off.
    let pack = changsha();
    let may = pack.def.rules.iter().find(|r| r.strength == rules_core::Strength::May).unwrap();
    let e = check(&format!(r#"{{"rules":{{"{}":{{"severity":"blocking","reason":"r"}}}}}}"#, may.id)).unwrap_err();
    assert!(matches!(e, ConfigError::MayCannotBlock { .. }), "{e}");
    let xlt = Pack::builtin("xinglongtai-zjj").unwrap();
    let cond = xlt.def.rules.iter().find(|r| r.strength == rules_core::Strength::Conditional).unwrap();
    let c =
        Config::from_json(&format!(r#"{{"rules":{{"{}":{{"disabled":true,"reason":"本局不具备条件"}}}}}}"#, cond.id));
    c.unwrap().check(&xlt).unwrap();
    check(&format!(r#"{{"rules":{{"{}":{{"disabled":true,"reason":"本局不需要"}}}}}}"#, may.id)).unwrap();
}

#[test]
fn a_must_rule_lowered_to_warning_shows_waived_by_config_never_satisfied() {
    let case = demo_case("missing-receipt");
    let pack = changsha();
    let plain = evaluate(&case, &pack, &Config::default(), now());
    assert!(!plain.gate.allowed);
    let config =
        Config::from_json(r#"{"rules":{"29-direct-receipt":{"severity":"warning","reason":"纸质回证另行归档"}}}"#)
            .unwrap();
    config.check(&pack).unwrap();
    let r = evaluate(&case, &pack, &config, now());
    let item = r.item(RECEIPT).unwrap();
    assert_eq!(item.status, Status::Missing, "the real status stays");
    assert_eq!(item.severity, Severity::Warning);
    assert_eq!(item.waived_by_config, Some("纸质回证另行归档"));
    assert!(r.gate.allowed);
    assert_eq!(r.gate.warnings, [RECEIPT]);
    let f = r.findings.iter().find(|f| f.key == RECEIPT).unwrap();
    assert_eq!(f.waived_by_config.as_deref(), Some("纸质回证另行归档"));
    assert!(
        r.notes.iter().any(|n| n.contains("「直接送达：《送达回证》")
            && n.contains("（第二十九条）改为“警告”：纸质回证另行归档")
            && !n.contains("29-direct-receipt")),
        "{:?}",
        r.notes
    );
    assert_eq!(r.config.fingerprint, config.fingerprint());
    assert_eq!(r.config.overrides, 1);
    // A satisfied item is not marked.
    let r = evaluate(&demo_case("complete"), &pack, &config, now());
    assert_eq!(r.item(RECEIPT).unwrap().status, Status::Satisfied);
    assert_eq!(r.item(RECEIPT).unwrap().waived_by_config, None);
}

#[test]
fn fingerprint_is_stable_whatever_the_key_order() {
    let a = Config::from_json(
        r#"{"pack":"changsha-zfj","rules":{"29-direct-receipt":{"severity":"warning","reason":"r","by":"张三"},"41-av-stored-24h":{"reason":"s","severity":"warning"}}}"#,
    )
    .unwrap();
    let b = Config::from_json(
        r#"{ "rules": { "41-av-stored-24h": { "severity": "warning", "reason": "s" },
              "29-direct-receipt": { "by": "张三", "reason": "r", "severity": "warning" } },
             "pack": "changsha-zfj" }"#,
    )
    .unwrap();
    let t = Config::from_toml(
        "pack = \"changsha-zfj\"\n[rules.41-av-stored-24h]\nseverity = \"warning\"\nreason = \"s\"\n[rules.29-direct-receipt]\nby = \"张三\"\nseverity = \"warning\"\nreason = \"r\"\n",
    )
    .unwrap();
    assert_eq!(a.fingerprint(), b.fingerprint());
    assert_eq!(a.fingerprint(), t.fingerprint());
    assert_eq!(a.fingerprint().len(), 64);
    assert!(a.fingerprint().chars().all(|c| c.is_ascii_hexdigit() && !c.is_ascii_uppercase()));
    assert!(a.canonical_json().starts_with(r#"{"pack":"changsha-zfj","rules":{"29-direct-receipt":{"by":"张三","#));
    // Any change of setting changes it; the log does not.
    let mut c = a.clone();
    c.rules.get_mut("41-av-stored-24h").unwrap().reason.push('。');
    assert_ne!(a.fingerprint(), c.fingerprint());
    let mut d = a.clone();
    d.log.push(rules_core::Change {
        at: now(),
        by: "李四".into(),
        scope: OverrideScope::Agency,
        rule: "x".into(),
        before: None,
        after: None,
        reason: "r".into(),
        undoes: None,
    });
    assert_eq!(a.fingerprint(), d.fingerprint());
    // The empty config's fingerprint is that of `{}`, and explicit defaults do not change it.
    assert_eq!(Config::default().canonical_json(), "{}");
    assert_eq!(
        Config::from_json(r#"{"rules":{},"options":{}}"#).unwrap().fingerprint(),
        Config::default().fingerprint()
    );
    assert_eq!(
        Config::default().fingerprint(),
        "44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a",
        "SHA-256 of `{{}}`"
    );
}

#[test]
fn a_pinned_fingerprint_is_checked() {
    let c = Config::from_json(r#"{"rules":{"41-av-stored-24h":{"severity":"warning","reason":"s"}}}"#).unwrap();
    let fp = c.fingerprint();
    c.verify_fingerprint(&fp).unwrap();
    c.verify_fingerprint(&format!("sha256:{}", fp.to_uppercase())).unwrap();
    let e = c.verify_fingerprint(&Config::default().fingerprint()).unwrap_err();
    assert!(matches!(e, ConfigError::FingerprintMismatch { ref actual, .. } if *actual == fp), "{e}");
    assert!(e.to_string().contains("does not match the pinned"), "{e}");
}

#[test]
fn procedure_and_department_overrides_take_precedence() {
    let pack = changsha();
    let mut case = demo_case("missing-receipt");
    let config = Config::from_json(
        r#"{
        "rules": {"29-direct-receipt": {"severity": "warning", "reason": "全局"}},
        "procedures": {"ordinary": {"29-direct-receipt": {"severity": "warning", "reason": "一般程序"}}},
        "departments": {"一中队": {"29-direct-receipt": {"severity": "blocking", "reason": "一中队从严"}}}
    }"#,
    )
    .unwrap();
    config.check(&pack).unwrap();
    let r = evaluate(&case, &pack, &config, now());
    assert_eq!(r.item(RECEIPT).unwrap().waived_by_config, Some("一般程序"));
    case.department = Some("一中队".into());
    let r = evaluate(&case, &pack, &config, now());
    assert_eq!(r.item(RECEIPT).unwrap().severity, Severity::Blocking);
    assert_eq!(r.item(RECEIPT).unwrap().waived_by_config, None);
    assert!(!r.gate.allowed);
    case.department = Some("二中队".into());
    assert!(evaluate(&case, &pack, &config, now()).gate.allowed);
}

#[test]
fn changes_are_logged_and_undone() {
    let t = |s: &str| Time::parse(s).unwrap();
    let mut c = Config::default();
    let before = c.fingerprint();
    let warn = RuleOverride {
        severity: Some(Severity::Warning),
        disabled: false,
        reason: "纸质回证另行归档".into(),
        by: Some("王科长".into()),
        at: Some(t("2026-03-01T09:00")),
    };
    c.set_override(
        OverrideScope::Agency,
        "29-direct-receipt",
        Some(warn.clone()),
        "王科长",
        t("2026-03-01T09:00"),
        "纸质回证另行归档",
    );
    c.set_override(
        OverrideScope::Procedure("simple".into()),
        "41-av-stored-24h",
        Some(RuleOverride { reason: "简易程序".into(), ..warn.clone() }),
        "王科长",
        t("2026-03-01T09:05"),
        "简易程序",
    );
    c.check(&changsha()).unwrap();
    assert_eq!(c.log.len(), 2);
    assert_eq!(c.log[0].by, "王科长");
    assert_eq!(c.log[0].before, None);
    assert_eq!(c.log[1].scope.to_string(), "procedure:simple");
    // Undo the latest, then the one before; nothing is left to undo.
    let u = c.undo("王科长", t("2026-03-01T09:10")).unwrap();
    assert_eq!(u.rule, "41-av-stored-24h");
    assert!(c.procedures.is_empty(), "the emptied procedure map is dropped");
    let u = c.undo("王科长", t("2026-03-01T09:11")).unwrap();
    assert_eq!(u.rule, "29-direct-receipt");
    assert!(c.undo("王科长", t("2026-03-01T09:12")).is_none());
    assert_eq!(c.fingerprint(), before, "back to the pack's defaults");
    assert_eq!(c.log.len(), 4, "undos are logged too");
    assert_eq!(c.log[3].undoes, Some(0));
    assert!(c.log[3].reason.starts_with("撤销"));
    // The log survives a round trip through JSON.
    let back = Config::from_json(&c.to_json_pretty()).unwrap();
    assert_eq!(back, c);
}

#[test]
fn diff_names_added_removed_and_changed_overrides() {
    let old = Config::from_json(
        r#"{"rules":{"29-direct-receipt":{"severity":"warning","reason":"a"},"41-av-stored-24h":{"severity":"warning","reason":"b"}}}"#,
    )
    .unwrap();
    let new = Config::from_json(
        r#"{"rules":{"29-direct-receipt":{"severity":"warning","reason":"a2"}},"procedures":{"simple":{"41-av-stored-24h":{"severity":"warning","reason":"c"}}}}"#,
    )
    .unwrap();
    let d = diff_configs(&old, &new);
    let names =
        |v: &[rules_core::OverrideChange]| v.iter().map(|c| format!("{} {}", c.scope, c.rule)).collect::<Vec<_>>();
    assert_eq!(names(&d.added), ["procedure:simple 41-av-stored-24h"]);
    assert_eq!(names(&d.removed), ["agency 41-av-stored-24h"]);
    assert_eq!(names(&d.changed), ["agency 29-direct-receipt"]);
    assert!(diff_configs(&old, &old).is_empty());
}

#[test]
fn effect_counts_the_items_a_change_moves() {
    let pack = changsha();
    let cases = [demo_case("missing-receipt"), demo_case("complete")];
    let new =
        Config::from_json(r#"{"rules":{"29-direct-receipt":{"severity":"warning","reason":"纸质回证另行归档"}}}"#)
            .unwrap();
    let e = config_effect(&cases, &pack, &Config::default(), &new, now());
    // missing-receipt: its receipt item turns to a waived warning. complete: its receipt is
    // satisfied, so only its severity changes.
    assert_eq!(e.cases[0].changed, [RECEIPT]);
    assert_eq!(e.cases[1].changed, [RECEIPT]);
    assert_eq!(e.changed_items, 2);
    assert_eq!(e.gate_changed, 1);
    assert!(!e.cases[0].allowed_before && e.cases[0].allowed_after);
    assert_eq!(config_effect(&cases, &pack, &new, &new, now()).changed_items, 0);
}

/// A small pack in two versions: 2024 asks for a 登记表, 2025-07-01 adds an 音像记录.
fn versioned(version: &str, effective: &str, extra: &str) -> Pack {
    let toml = format!(
        r#"
id = "test-versions"
agency = "测试局"
title = "测试办法"
version = "{version}"
effective = "{effective}"
procedures = [{{ id = "ordinary", name = "一般程序" }}]
steps = [{{ id = "open", name = "立案" }}]
activities = []
records = ["登记表", "音像记录"]
[facts]
filed = "立案之日"

[[rule]]
id = "1-form"
title = "填写登记表"
procedures = ["ordinary"]
step = "open"
article = "第一条"
quote = "立案应当填写登记表"
strength = "must"
[rule.check.record]
kinds = ["登记表"]
{extra}
"#
    );
    let source = "第一条 立案应当填写登记表。\n第二条 立案应当进行音像记录。\n";
    Pack::from_toml(&toml, source, "test-versions").unwrap()
}

const AV_RULE: &str = r#"
[[rule]]
id = "2-av"
title = "立案音像记录"
procedures = ["ordinary"]
step = "open"
article = "第二条"
quote = "立案应当进行音像记录"
strength = "must"
[rule.check.record]
kinds = ["音像记录"]
"#;

#[test]
fn the_version_in_force_on_the_opening_day_is_used_and_named() {
    let mut registry = PackRegistry::new();
    registry.add(versioned("2025.1", "2025-07-01", AV_RULE)).unwrap();
    registry.add(versioned("2024.1", "2024-01-01", "")).unwrap();
    assert!(matches!(registry.add(versioned("2024.1", "2024-01-01", "")), Err(PackError::DuplicateVersion { .. })));
    let case = |filed: &str| {
        Case::from_json(&format!(
            r#"{{"id":"C","agency":"test-versions","procedure":"ordinary","facts":{{"filed":"{filed}"}},
                "records":[{{"id":"R1","kind":"登记表"}}]}}"#
        ))
        .unwrap()
    };
    let old = evaluate_in(&registry, &case("2025-06-30T09:00"), None, &Config::default(), now()).unwrap();
    assert_eq!(old.pack.version, "2024.1");
    assert_eq!(old.pack.effective.as_deref(), Some("2024-01-01"));
    assert!(old.item("2-av@case").is_none());
    assert!(old.gate.allowed);
    assert!(old.notes[0].contains("版本 2024.1") && old.notes[0].contains("立案"), "{:?}", old.notes);
    let new = evaluate_in(&registry, &case("2025-07-01T09:00"), None, &Config::default(), now()).unwrap();
    assert_eq!(new.pack.version, "2025.1");
    assert_eq!(new.item("2-av@case").unwrap().status, Status::Missing);
    assert!(!new.gate.allowed);
    // Before every version: the earliest, saying so. A fixed version wins over the date.
    let early = evaluate_in(&registry, &case("2023-05-01T09:00"), None, &Config::default(), now()).unwrap();
    assert_eq!(early.pack.version, "2024.1");
    assert!(early.notes[0].contains("早于"), "{:?}", early.notes);
    let fixed = Config::from_json(r#"{"pack_version":"2025.1"}"#).unwrap();
    let r = evaluate_in(&registry, &case("2024-05-01T09:00"), None, &fixed, now()).unwrap();
    assert_eq!(r.pack.version, "2025.1");
    let missing = Config::from_json(r#"{"pack_version":"2019.1"}"#).unwrap();
    let e = evaluate_in(&registry, &case("2024-05-01T09:00"), None, &missing, now()).unwrap_err();
    assert!(e.to_string().contains("has no version `2019.1` (available: 2024.1, 2025.1)"), "{e}");
}

#[test]
fn the_opening_day_comes_from_filing_or_the_first_activity() {
    let c = Case::from_json(r#"{"id":"C","procedure":"ordinary","facts":{"accepted":"2026-01-05T10:00"}}"#).unwrap();
    assert_eq!(c.opened_on().unwrap().to_string(), "2026-01-05");
    let c = Case::from_json(
        r#"{"id":"C","procedure":"ordinary","activities":[{"id":"A2","kind":"询问","start":"2026-02-03T10:00"},{"id":"A1","kind":"现场检查","start":"2026-02-01T10:00"}]}"#,
    )
    .unwrap();
    assert_eq!(c.opened_on().unwrap().to_string(), "2026-02-01");
    assert_eq!(Case::from_json(r#"{"id":"C","procedure":"ordinary"}"#).unwrap().opened_on(), None);
}

#[test]
fn the_demo_config_is_valid_for_its_pack() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../pkg/demo/agency-config.json");
    let c = Config::from_json(&std::fs::read_to_string(path).unwrap()).unwrap();
    c.check(&changsha()).unwrap();
}

/// The exported file and the fingerprint are written from the compact JSON; they are what
/// serde_json's pretty printer and `to_value` gave, so files and pins made before still match.
#[test]
fn exported_text_and_fingerprint_are_serde_json_s() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../pkg/demo/agency-config.json");
    let mut config = Config::from_json(&std::fs::read_to_string(path).unwrap()).unwrap();
    config.log.push(rules_core::Change {
        at: now(),
        by: "李四".into(),
        scope: OverrideScope::Department("法制科".into()),
        rule: "41-av-stored-24h".into(),
        before: None,
        after: Some(RuleOverride {
            severity: Some(Severity::Warning),
            disabled: false,
            reason: "\"引号\"、{括号}：冒号,逗号".into(),
            by: None,
            at: Some(now()),
        }),
        reason: "r\\n".into(),
        undoes: Some(0),
    });
    assert_eq!(config.to_json_pretty(), serde_json::to_string_pretty(&config).unwrap());
    let mut without_log = config.clone();
    without_log.log.clear();
    let value = serde_json::to_value(&without_log).unwrap();
    assert_eq!(config.canonical_json(), serde_json::to_string(&value).unwrap(), "keys sorted, compact");
    assert!(config.canonical_json().len() > 100);
}

#[test]
fn a_config_of_another_pack_is_refused_not_applied_to_the_case() {
    // The 长沙 case its own pack blocks must not read 「可以提交」 under a 三明 config.
    let registry = PackRegistry::builtin().unwrap();
    let case = demo_case("missing-receipt");
    assert!(!evaluate_in(&registry, &case, None, &Config::default(), now()).unwrap().gate.allowed);
    let sanming = Config::from_json(r#"{"pack":"sanming-gxj"}"#).unwrap();
    let e = evaluate_in(&registry, &case, None, &sanming, now()).unwrap_err();
    assert!(
        matches!(e, SetupError::Config(ConfigError::CaseOfAnotherPack { ref configured, ref case, .. })
            if configured == "sanming-gxj" && case == "changsha-zfj"),
        "{e}"
    );
    assert!(e.to_string().contains("the case's `agency` names pack `changsha-zfj`"), "{e}");
    // The caller's choice of pack is not overridden either, even for a case naming none.
    let mut anonymous = case.clone();
    anonymous.agency = None;
    let e = evaluate_in(&registry, &anonymous, Some("changsha-zfj"), &sanming, now()).unwrap_err();
    assert!(matches!(e, SetupError::Config(ConfigError::CaseOfAnotherPack { .. })), "{e}");
    // The config of the case's own pack still applies, and one naming no pack follows the case.
    let own = Config::from_json(r#"{"pack":"changsha-zfj"}"#).unwrap();
    assert_eq!(evaluate_in(&registry, &case, None, &own, now()).unwrap().pack.id, "changsha-zfj");
    let sanming_config_for_unnamed = evaluate_in(&registry, &anonymous, None, &sanming, now()).unwrap();
    assert_eq!(sanming_config_for_unnamed.pack.id, "sanming-gxj");
}
