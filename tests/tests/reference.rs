//! The engine against the reference evaluator (`tests::reference`, written from the rule
//! model's documentation, not from the engine's code): every scenario case, every sample and
//! demo case, and generated cases built from each pack's own names, evaluated by both. For
//! each case the two must list the same item keys, each with the same status, severity, due
//! moment and config reason; the same findings, each naming the same item and rule with the
//! same severity, status and config reason, most severe first; and the same submit gate, with
//! the same blocking and warning keys. Every difference is named with its case and item.
//!
//! Covered: every scope, condition, record check (elements, signatures and refusals, media,
//! service), acknowledgment, deadline (every unit, excluded periods, extensions), order (with
//! a minimum gap), config override, findings and the gate. Not compared: the report's texts
//! (details, messages, `missing` lists, due texts), notes, the order of findings of one
//! severity and the choice of pack version (the reference is given the version the engine
//! chose).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)] // test code: failing loudly is the point
use std::collections::BTreeMap;
use std::path::Path;

use proptest::prelude::*;
use rules_core::{evaluate, evaluate_in, Calendar, Case, Config, Pack, PackRegistry, Severity, Status, Time};
use tests::reference::{self, RefReport};
use tests::{files, loaded_packs, loaded_registry, read_file, scenario_root};

/// What one item is, in either evaluator: status, severity, due moment, config reason.
type Row = (Status, Severity, Option<Time>, Option<String>);

/// What one finding says, in either evaluator: rule, severity, status, config reason.
type FindingRow = (Option<String>, Severity, Status, Option<String>);

/// Every difference between the engine's report and the reference's for one case, each line
/// naming `name` and the item.
fn differences(name: &str, case: &Case, pack: &Pack, config: &Config, now: Time, calendar: &Calendar) -> Vec<String> {
    let engine = evaluate(case, pack, config, now);
    let reference = reference::evaluate(pack, case, config, now, calendar);
    compare(name, &engine, &reference)
}

fn compare(name: &str, engine: &rules_core::Report, reference: &RefReport) -> Vec<String> {
    let mut out = Vec::new();
    let mut ours: BTreeMap<&str, Row> = BTreeMap::new();
    for i in &reference.items {
        if ours.insert(&i.key, (i.status, i.severity, i.due_at, i.waived_by_config.clone())).is_some() {
            out.push(format!("{name}: {}: listed twice by the reference", i.key));
        }
    }
    let mut theirs: BTreeMap<String, Row> = BTreeMap::new();
    for i in engine.items() {
        let row = (i.status, i.severity, i.due_at, i.waived_by_config.map(str::to_owned));
        if theirs.insert(i.key().to_owned(), row).is_some() {
            out.push(format!("{name}: {}: listed twice by the engine", i.key()));
        }
    }
    for (key, e) in &theirs {
        match ours.get(key.as_str()) {
            None => out.push(format!("{name}: {key}: engine lists it ({}), the reference does not", e.0.code())),
            Some(r) if r != e => out.push(format!(
                "{name}: {key}: engine {} / {} / due {:?} / waived by config {:?}, reference {} / {} / due {:?} / \
                 waived by config {:?} ({})",
                e.0.code(),
                e.1.code(),
                e.2.map(|t| t.to_string()),
                e.3,
                r.0.code(),
                r.1.code(),
                r.2.map(|t| t.to_string()),
                r.3,
                engine.item(key).map(|i| i.detail().to_owned()).unwrap_or_default()
            )),
            Some(_) => {}
        }
    }
    for (key, r) in &ours {
        if !theirs.contains_key(*key) {
            out.push(format!("{name}: {key}: the reference lists it ({}), the engine does not", r.0.code()));
        }
    }
    out.extend(compare_findings(name, engine, reference));
    if engine.gate.allowed != reference.allowed {
        out.push(format!(
            "{name}: gate: engine {}, reference {} (engine blocking: {})",
            if engine.gate.allowed { "allowed" } else { "blocked" },
            if reference.allowed { "allowed" } else { "blocked" },
            engine.gate.blocking.join(", ")
        ));
    }
    // The gate's lists, as sets: their order is not documented.
    for (list, e, r) in [
        ("blocking", &engine.gate.blocking, &reference.blocking),
        ("warnings", &engine.gate.warnings, &reference.warnings),
    ] {
        let mut e: Vec<&str> = e.iter().map(|k| k.as_str()).collect();
        let mut r: Vec<&str> = r.iter().map(String::as_str).collect();
        e.sort_unstable();
        r.sort_unstable();
        if e != r {
            out.push(format!("{name}: gate.{list}: engine [{}], reference [{}]", e.join(", "), r.join(", ")));
        }
    }
    out
}

/// The findings of both: the same items, each with the same rule, severity, status and config
/// reason; the engine's most severe first ("Every unmet item, most severe first").
fn compare_findings(name: &str, engine: &rules_core::Report, reference: &RefReport) -> Vec<String> {
    let mut out = Vec::new();
    let mut ours: BTreeMap<&str, FindingRow> = BTreeMap::new();
    for f in &reference.findings {
        let row = (Some(f.rule.clone()), f.severity, f.status, f.waived_by_config.clone());
        if ours.insert(&f.key, row).is_some() {
            out.push(format!("{name}: finding {}: listed twice by the reference", f.key));
        }
    }
    let mut theirs: BTreeMap<&str, FindingRow> = BTreeMap::new();
    for f in &engine.findings {
        let row = (f.rule().map(str::to_owned), f.severity, f.status, f.waived_by_config.clone());
        if theirs.insert(f.key.as_str(), row).is_some() {
            out.push(format!("{name}: finding {}: listed twice by the engine", f.key));
        }
    }
    let show =
        |f: &FindingRow| format!("rule {:?} / {} / {} / waived by config {:?}", f.0, f.1.code(), f.2.code(), f.3);
    for (key, e) in &theirs {
        match ours.get(key) {
            None => out.push(format!("{name}: finding {key}: engine lists it ({}), the reference does not", show(e))),
            Some(r) if r != e => out.push(format!("{name}: finding {key}: engine {}, reference {}", show(e), show(r))),
            Some(_) => {}
        }
    }
    for (key, r) in &ours {
        if !theirs.contains_key(key) {
            out.push(format!("{name}: finding {key}: the reference lists it ({}), the engine does not", show(r)));
        }
    }
    // Severity orders most severe first (blocking, warning, info).
    for pair in engine.findings.windows(2) {
        if pair[0].severity > pair[1].severity {
            out.push(format!(
                "{name}: findings: {} ({}) listed before the more severe {} ({})",
                pair[0].key,
                pair[0].severity.code(),
                pair[1].key,
                pair[1].severity.code()
            ));
        }
    }
    out
}

/// The pack version `report` was made with.
fn pack_of<'a>(registry: &'a PackRegistry, report: &rules_core::Report) -> &'a Pack {
    registry
        .versions(&report.pack.id)
        .into_iter()
        .find(|p| p.def.version == report.pack.version)
        .expect("the engine's pack is in the registry")
}

/// Checks `case` as `rules check` does (pack and version chosen by the engine) with both
/// evaluators; a case the engine refuses has nothing to compare.
fn check_in(
    registry: &PackRegistry,
    name: &str,
    case: &Case,
    pack_id: Option<&str>,
    config: &Config,
    now: Time,
    calendar: &Calendar,
) -> Vec<String> {
    let Ok(report) = evaluate_in(registry, case, pack_id, config, now) else { return Vec::new() };
    let pack = pack_of(registry, &report);
    let reference = reference::evaluate(pack, case, config, now, calendar);
    compare(name, &report, &reference)
}

fn fail_on(diffs: Vec<String>, compared: usize) {
    println!("{compared} cases compared, {} differences", diffs.len());
    assert!(diffs.is_empty(), "engine and reference differ:\n{}", diffs.join("\n"));
}

#[test]
fn every_scenario_case_agrees() {
    let registry = loaded_registry();
    let calendar = Calendar::builtin().unwrap();
    let mut diffs = Vec::new();
    let mut compared = 0;
    for file in files(&scenario_root()).unwrap() {
        let short = file.strip_prefix(scenario_root()).unwrap_or(&file).display().to_string();
        let loaded = read_file(&file).unwrap();
        for s in &loaded.file.scenario {
            // Built as the scenario harness builds it; a case it refuses is not compared.
            let Ok((case, config, now)) = s.inputs() else { continue };
            let name = format!("{short} :: {}", s.name);
            diffs.extend(check_in(&registry, &name, &case, Some(&loaded.pack), &config, now, &calendar));
            compared += 1;
        }
    }
    fail_on(diffs, compared);
}

/// The moments samples and demo cases are checked at: while their periods run, and long after.
const SAMPLE_NOWS: [&str; 3] = ["2026-03-02T12:00", "2026-04-10T12:00", "2027-06-01T12:00"];

#[test]
fn every_sample_and_demo_case_agrees() {
    let registry = loaded_registry();
    let calendar = Calendar::builtin().unwrap();
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let demo_config =
        Config::from_json(&std::fs::read_to_string(root.join("pkg/demo/agency-config.json")).unwrap()).unwrap();
    let mut diffs = Vec::new();
    let mut compared = 0;
    for dir in ["rules-core/samples", "pkg/demo/cases"] {
        let mut paths: Vec<_> = std::fs::read_dir(root.join(dir)).unwrap().map(|e| e.unwrap().path()).collect();
        paths.sort();
        for path in paths.into_iter().filter(|p| p.extension().is_some_and(|e| e == "json")) {
            // A malformed demo case is there to be refused.
            let Ok(case) = Case::from_json(&std::fs::read_to_string(&path).unwrap()) else { continue };
            for config in [Config::default(), demo_config.clone()] {
                for now in SAMPLE_NOWS {
                    let name = format!(
                        "{dir}/{} at {now}{}",
                        path.file_name().unwrap().to_string_lossy(),
                        if config.is_empty() { "" } else { " with the demo config" }
                    );
                    let now = Time::parse(now).unwrap();
                    diffs.extend(check_in(&registry, &name, &case, None, &config, now, &calendar));
                    compared += 1;
                }
            }
        }
    }
    fail_on(diffs, compared);
}

/// A pack's own names, so generated cases reach its rules rather than being "not applicable".
struct Words {
    procedures: Vec<String>,
    activities: Vec<String>,
    records: Vec<String>,
    flags: Vec<String>,
    facts: Vec<String>,
    excluded: Vec<String>,
    roles: Vec<String>,
    elements: Vec<String>,
    rules: Vec<String>,
    /// Record rules with their procedures (the items an acknowledgment can stand for).
    record_rules: Vec<(String, Vec<String>)>,
}

fn words(pack: &Pack) -> Words {
    let d = &pack.def;
    let mut roles = Vec::new();
    let mut elements = Vec::new();
    for r in &d.rules {
        if let rules_core::Check::Record(c) = &r.check {
            elements.extend(c.elements.iter().cloned());
            if let Some(s) = &c.signatures {
                elements.extend(s.refusal_elements.iter().cloned());
                for role in s.roles.iter().chain(&s.on_refusal) {
                    roles.extend(role.split('|').map(str::to_owned));
                }
            }
        }
    }
    for list in [&mut roles, &mut elements] {
        list.sort();
        list.dedup();
    }
    if roles.is_empty() {
        roles.push("当事人".into());
    }
    if elements.is_empty() {
        elements.push("x".into());
    }
    let mut flags: Vec<String> = d.flags.keys().cloned().collect();
    flags.push("extension-approved".into());
    let mut facts: Vec<String> = d.facts.keys().cloned().collect();
    facts.extend(["filed", "decided", "closed", "archived", "discovered", "violation_ended"].map(str::to_owned));
    facts.sort();
    facts.dedup();
    Words {
        procedures: d.procedures.iter().map(|p| p.id.clone()).collect(),
        activities: d.activities.clone(),
        records: d.records.clone(),
        flags,
        facts,
        excluded: if d.excluded_kinds.is_empty() { vec!["鉴定".into()] } else { d.excluded_kinds.clone() },
        roles,
        elements,
        rules: d.rules.iter().map(|r| r.id.clone()).collect(),
        record_rules: d
            .rules
            .iter()
            .filter(|r| matches!(r.check, rules_core::Check::Record(_)))
            .map(|r| (r.id.clone(), r.procedures.clone()))
            .collect(),
    }
}

/// A moment, as minutes after 2025-12-20 00:00: over a year and a half across the 2026 holiday
/// data and into 2027 (no data), often on a whole day or hour, so periods meet their ends.
fn minute() -> impl Strategy<Value = u32> {
    prop_oneof![
        2 => (0u32..560).prop_map(|d| d * 1440),
        2 => (0u32..560, 0u32..24).prop_map(|(d, h)| d * 1440 + h * 60),
        1 => 0u32..560 * 1440,
    ]
}

/// A gap after a moment, in minutes: exactly 24 hours and a day's edges are common.
fn gap() -> impl Strategy<Value = u32> {
    prop_oneof![
        1 => Just(0u32),
        2 => prop::sample::select(vec![60, 1439, 1440, 1441, 2880]),
        2 => 0u32..10 * 1440,
        1 => 0u32..120 * 1440,
    ]
}

fn at(m: u32) -> Time {
    let base = Time::parse("2025-12-20T00:00").unwrap();
    base.checked_add(chrono::Duration::minutes(i64::from(m))).unwrap()
}

/// One signature: role, dated, every page, refused.
type SigSpec = (usize, bool, bool, bool);
/// One media file: recording start, length, stored after, deleted after.
type MediaSpec = (Option<u32>, u32, Option<u32>, Option<u32>);
/// One record: kind, made at, pages, elements, signatures, media, flags.
type RecSpec = (usize, Option<u32>, Option<u32>, Vec<usize>, Vec<SigSpec>, Vec<MediaSpec>, Vec<usize>);

fn rec_spec() -> impl Strategy<Value = RecSpec> {
    (
        0usize..1000,
        prop::option::of(minute()),
        prop::option::of(0u32..4),
        prop::collection::vec(0usize..1000, 0..5),
        prop::collection::vec((0usize..1000, any::<bool>(), any::<bool>(), prop::bool::weighted(0.2)), 0..4),
        prop::collection::vec(
            (prop::option::of(minute()), gap(), prop::option::of(gap()), prop::option::of(gap())),
            0..2,
        ),
        prop::collection::vec(0usize..1000, 0..2),
    )
}

fn pick(list: &[String], i: usize) -> String {
    list[i % list.len()].clone()
}

fn record(w: &Words, id: String, s: &RecSpec) -> serde_json::Value {
    let (kind, made, pages, elements, sigs, media, flags) = s;
    let elements: Vec<String> = elements.iter().map(|e| pick(&w.elements, *e)).collect();
    let sigs: Vec<_> = sigs
        .iter()
        .map(|(role, dated, every, refused)| {
            let mut s = serde_json::json!({ "role": pick(&w.roles, *role), "every_page": every, "refused": refused });
            if *dated {
                s["date"] = serde_json::json!(made.map(|m| at(m).to_string()).unwrap_or_else(|| "2026-03-02".into()));
            }
            s
        })
        .collect();
    let media: Vec<_> = media
        .iter()
        .enumerate()
        .map(|(k, (from, len, stored, deleted))| {
            let to = from.map(|f| f + len);
            serde_json::json!({
                "name": format!("m{k}.mp4"),
                "recorded_from": from.map(|f| at(f).to_string()),
                "recorded_to": to.map(|t| at(t).to_string()),
                "stored_at": stored.map(|g| at(to.unwrap_or(0) + g).to_string()),
                "deleted_at": deleted.map(|g| at(to.unwrap_or(0) + stored.unwrap_or(0) + g).to_string()),
            })
        })
        .collect();
    let flags: Vec<String> = flags.iter().map(|f| pick(&w.flags, *f)).collect();
    serde_json::json!({
        "id": id, "kind": pick(&w.records, *kind), "made_at": made.map(|m| at(m).to_string()), "pages": pages,
        "elements": elements, "signatures": sigs, "media": media, "flags": flags,
    })
}

/// One activity: kind, start, length, returned after, flags, records.
type ActSpec = (usize, Option<u32>, Option<u32>, Option<u32>, Vec<usize>, Vec<RecSpec>);
/// One service: document, method, at, flags, records.
type SvcSpec = (usize, usize, Option<u32>, Vec<usize>, Vec<RecSpec>);
/// The case around them: procedure, flags, facts, records, excluded periods, acknowledgments.
type CaseSpec = (
    usize,
    Vec<usize>,
    Vec<(usize, u32)>,
    Vec<RecSpec>,
    Vec<(usize, u32, u32)>,
    Vec<(usize, usize, usize)>,
    Vec<ActSpec>,
    Vec<SvcSpec>,
);

fn case_spec() -> impl Strategy<Value = CaseSpec> {
    let act = (
        0usize..1000,
        prop::option::of(minute()),
        prop::option::of(gap()),
        prop::option::of(gap()),
        prop::collection::vec(0usize..1000, 0..3),
        prop::collection::vec(rec_spec(), 0..4),
    );
    let svc = (
        0usize..1000,
        0usize..5,
        prop::option::of(minute()),
        prop::collection::vec(0usize..1000, 0..2),
        prop::collection::vec(rec_spec(), 0..3),
    );
    (
        0usize..1000,
        prop::collection::vec(0usize..1000, 0..4),
        prop::collection::vec((0usize..1000, minute()), 0..10),
        prop::collection::vec(rec_spec(), 0..6),
        prop::collection::vec((0usize..1000, minute(), gap()), 0..3),
        prop::collection::vec((0usize..1000, 0usize..1000, 0usize..3), 0..6),
        prop::collection::vec(act, 0..5),
        prop::collection::vec(svc, 0..4),
    )
}

fn build(w: &Words, spec: &CaseSpec) -> serde_json::Value {
    let (procedure, flags, facts, records, excluded, acks, acts, svcs) = spec;
    let methods = ["direct", "postal", "left", "entrusted", "public-notice"];
    let mut targets = vec!["case".to_owned()];
    let activities: Vec<_> = acts
        .iter()
        .enumerate()
        .map(|(i, (kind, start, len, returned, flags, recs))| {
            targets.push(format!("A{i}"));
            let end = start.and_then(|s| len.map(|l| s + l));
            let recs: Vec<_> = recs
                .iter()
                .enumerate()
                .map(|(j, r)| {
                    targets.push(format!("A{i}R{j}"));
                    record(w, format!("A{i}R{j}"), r)
                })
                .collect();
            serde_json::json!({
                "id": format!("A{i}"), "kind": pick(&w.activities, *kind),
                "start": start.map(|s| at(s).to_string()), "end": end.map(|e| at(e).to_string()),
                "returned_at": returned.map(|g| at(end.or(*start).unwrap_or(0) + g).to_string()),
                "flags": flags.iter().map(|f| pick(&w.flags, *f)).collect::<Vec<_>>(), "records": recs,
            })
        })
        .collect();
    let services: Vec<_> = svcs
        .iter()
        .enumerate()
        .map(|(i, (doc, method, when, flags, recs))| {
            targets.push(format!("S{i}"));
            let recs: Vec<_> = recs
                .iter()
                .enumerate()
                .map(|(j, r)| {
                    targets.push(format!("S{i}R{j}"));
                    record(w, format!("S{i}R{j}"), r)
                })
                .collect();
            serde_json::json!({
                "id": format!("S{i}"), "document": pick(&w.records, *doc), "method": methods[*method],
                "at": when.map(|m| at(m).to_string()),
                "flags": flags.iter().map(|f| pick(&w.flags, *f)).collect::<Vec<_>>(), "records": recs,
            })
        })
        .collect();
    let case_records: Vec<_> = records
        .iter()
        .enumerate()
        .map(|(j, r)| {
            targets.push(format!("C{j}"));
            record(w, format!("C{j}"), r)
        })
        .collect();
    let facts: serde_json::Map<_, _> =
        facts.iter().map(|(f, m)| (pick(&w.facts, *f), serde_json::json!(at(*m).to_string()))).collect();
    let excluded: Vec<_> = excluded
        .iter()
        .map(|(k, from, len)| {
            serde_json::json!({ "kind": pick(&w.excluded, *k), "from": at(*from).to_string(), "to": at(from + len).to_string() })
        })
        .collect();
    let notes = [None, Some("有"), Some("纸质记录已归入卷宗第5页")];
    let procedure = pick(&w.procedures, *procedure);
    // Mostly the procedure's record rules, so acknowledgments meet items they can stand for.
    let ackable: Vec<String> =
        w.record_rules.iter().filter(|(_, p)| p.contains(&procedure)).map(|(r, _)| r.clone()).collect();
    let acks: Vec<_> = acks
        .iter()
        .map(|(rule, target, note)| {
            let rule = if ackable.is_empty() || rule % 4 == 3 { pick(&w.rules, *rule) } else { pick(&ackable, *rule) };
            serde_json::json!({
                "item": format!("{rule}@{}", pick(&targets, *target)),
                "at": "2026-03-03T11:00", "note": notes[*note],
            })
        })
        .collect();
    serde_json::json!({
        "id": "generated", "procedure": procedure,
        "flags": flags.iter().map(|f| pick(&w.flags, *f)).collect::<Vec<_>>(), "facts": facts,
        "records": case_records, "activities": activities, "services": services,
        "excluded_periods": excluded, "acknowledgments": acks,
    })
}

/// A config changing one rule: lowered to a warning, or switched off (refused for a must rule,
/// and then not used).
fn config_for(pack: &Pack, spec: Option<(usize, bool)>) -> Config {
    let mut config = Config::default();
    if let Some((rule, off)) = spec {
        // A rule that may be switched off when one is to be (a must rule cannot).
        let fits: Vec<_> = pack.def.rules.iter().filter(|r| !off || r.strength != rules_core::Strength::Must).collect();
        let Some(rule) = fits.get(rule % fits.len().max(1)) else { return config };
        let o = rules_core::RuleOverride {
            severity: if off { None } else { Some(Severity::Warning) },
            disabled: off,
            reason: "本局规定".into(),
            by: None,
            at: None,
        };
        config.rules.insert(rule.id.clone(), o);
        if config.check(pack).is_err() {
            return Config::default();
        }
    }
    config
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn generated_cases_agree(pack in 0usize..100, spec in case_spec(), now in minute(), config in prop::option::of((0usize..1000, any::<bool>()))) {
        let packs = loaded_packs();
        let pack = &packs[pack % packs.len()];
        let w = words(pack);
        let value = build(&w, &spec);
        // Built to be accepted, as every case the engine sees from a platform is.
        let read = Case::from_value(value.clone());
        prop_assert!(read.is_ok(), "the generated case is refused: {:?}", read.err());
        let case = read.unwrap();
        let config = config_for(pack, config);
        let calendar = Calendar::builtin().unwrap();
        let name = format!("generated case for {} at {}: {}", pack.label(), at(now), value);
        let diffs = differences(&name, &case, pack, &config, at(now), &calendar);
        prop_assert!(diffs.is_empty(), "engine and reference differ:\n{}", diffs.join("\n"));
    }
}

/// The generated cases reach every status in both evaluators, and findings of every severity,
/// some with a config reason, so their agreement says something: a generator that left every
/// rule "not applicable" would agree trivially.
#[test]
fn generated_cases_reach_every_status() {
    use proptest::strategy::ValueTree;
    use proptest::test_runner::TestRunner;
    let packs = loaded_packs();
    let calendar = Calendar::builtin().unwrap();
    let mut runner = TestRunner::deterministic();
    let strategy = (0usize..100, case_spec(), minute(), prop::option::of((0usize..1000, any::<bool>())));
    let mut seen: BTreeMap<Status, usize> = BTreeMap::new();
    let mut findings: BTreeMap<(Severity, bool), usize> = BTreeMap::new();
    let mut items = 0;
    for _ in 0..200 {
        let (pack, spec, now, config) = strategy.new_tree(&mut runner).unwrap().current();
        let pack = &packs[pack % packs.len()];
        let case = Case::from_value(build(&words(pack), &spec)).unwrap();
        let config = config_for(pack, config);
        let r = reference::evaluate(pack, &case, &config, at(now), &calendar);
        for i in r.items {
            *seen.entry(i.status).or_default() += 1;
            items += 1;
        }
        for f in r.findings {
            *findings.entry((f.severity, f.waived_by_config.is_some())).or_default() += 1;
        }
    }
    println!("{items} items: {seen:?}; findings by (severity, waived by config): {findings:?}");
    for s in Status::ALL {
        assert!(seen.get(&s).copied().unwrap_or(0) > 0, "no generated item is {}: {seen:?}", s.code());
    }
    for (severity, waived) in
        [(Severity::Blocking, false), (Severity::Warning, false), (Severity::Warning, true), (Severity::Info, false)]
    {
        assert!(
            findings.get(&(severity, waived)).copied().unwrap_or(0) > 0,
            "no generated finding is {}{}: {findings:?}",
            severity.code(),
            if waived { " waived by config" } else { "" }
        );
    }
}
