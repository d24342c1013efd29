//! Property tests: no case, pack text or config makes the engine panic.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)] // test code: failing loudly is the point
use proptest::prelude::*;
use rules_core::{evaluate, Case, Check, Config, Pack, Status, Time};

const KINDS: &[&str] = &[
    "现场检查",
    "询问",
    "查封扣押",
    "先行登记保存",
    "听证",
    "复查",
    "巡查",
    "音像记录",
    "询问笔录",
    "送达回证",
    "行政处罚决定书",
    "听证通知书",
    "查封(扣押)审批表",
];
const FLAGS: &[&str] = &[
    "emergency",
    "remote",
    "hearing-requested",
    "not-performed",
    "major",
    "dropped",
    "no-penalty",
    "posted",
    "av-interrupted",
    "evidence",
    "extension-approved",
    "未知",
];
const FACTS: &[&str] = &[
    "filed",
    "decided",
    "closed",
    "archived",
    "discovered",
    "violation_ended",
    "performance_deadline",
    "court_applied",
];
const METHODS: &[&str] = &["direct", "postal", "left", "entrusted", "public-notice"];

fn time() -> impl Strategy<Value = String> {
    // Mostly years 2024–2028 (inside and outside the holiday data, month ends and leap days),
    // sometimes any year a case can give.
    let year = prop_oneof![4 => 2024i32..2029, 1 => 0i32..10_000];
    (year, 1u32..13, 1u32..32, 0u32..24, 0u32..60).prop_filter_map("valid date", |(y, m, d, h, mi)| {
        let s = format!("{y:04}-{m:02}-{d:02}T{h:02}:{mi:02}");
        Time::parse(&s).ok().map(|_| s)
    })
}

fn pick(list: &'static [&'static str]) -> impl Strategy<Value = String> {
    prop::sample::select(list).prop_map(str::to_owned)
}

fn record(id: String) -> impl Strategy<Value = serde_json::Value> {
    (
        pick(KINDS),
        prop::option::of(time()),
        prop::option::of(time()),
        prop::option::of(0u32..5),
        prop::collection::vec(pick(FLAGS), 0..2),
        any::<bool>(),
    )
        .prop_map(move |(kind, made, stored, pages, flags, refused)| {
            serde_json::json!({
                "id": id, "kind": kind, "made_at": made, "pages": pages, "flags": flags,
                "signatures": [{ "role": "当事人", "refused": refused }],
                "media": [{ "name": "v.mp4", "recorded_to": made, "stored_at": stored }],
            })
        })
}

fn case() -> impl Strategy<Value = serde_json::Value> {
    let activities = prop::collection::vec(
        (pick(KINDS), prop::option::of(time()), prop::option::of(time()), prop::collection::vec(pick(FLAGS), 0..3)),
        0..6,
    );
    let services = prop::collection::vec(
        (pick(KINDS), pick(METHODS), prop::option::of(time()), prop::collection::vec(pick(FLAGS), 0..2)),
        0..4,
    );
    let facts = prop::collection::btree_map(pick(FACTS), time(), 0..6);
    let records = prop::collection::vec(0u8..1, 0..6);
    let procedure = prop::sample::select(vec!["ordinary", "simple", "inspection", "licensing", "bogus"]);
    let excluded = prop::collection::vec((pick(&["鉴定", "听证", "检测"]), time(), time()), 0..3);
    (activities, services, facts, records, procedure, prop::collection::vec(pick(FLAGS), 0..4), excluded).prop_flat_map(
        |(acts, svcs, facts, recs, procedure, flags, excluded)| {
            let act_records: Vec<_> = (0..acts.len()).map(|i| prop::collection::vec(record(format!("A{i}R")), 0..3)).collect();
            let case_records: Vec<_> = (0..recs.len()).map(|i| record(format!("C{i}"))).collect();
            (Just((acts, svcs, facts, procedure, flags, excluded)), act_records, case_records).prop_map(
                |((acts, svcs, facts, procedure, flags, excluded), act_records, case_records)| {
                    let activities: Vec<_> = acts
                        .into_iter()
                        .zip(act_records)
                        .enumerate()
                        .map(|(i, ((kind, start, end, flags), mut recs))| {
                            for (j, r) in recs.iter_mut().enumerate() {
                                r["id"] = serde_json::json!(format!("A{i}R{j}"));
                            }
                            serde_json::json!({ "id": format!("A{i}"), "kind": kind, "start": start, "end": end, "returned_at": end, "flags": flags, "records": recs })
                        })
                        .collect();
                    let services: Vec<_> = svcs
                        .into_iter()
                        .enumerate()
                        .map(|(i, (doc, method, at, flags))| serde_json::json!({ "id": format!("S{i}"), "document": doc, "method": method, "at": at, "flags": flags }))
                        .collect();
                    let excluded: Vec<_> = excluded.into_iter().map(|(k, a, b)| serde_json::json!({ "kind": k, "from": a, "to": b })).collect();
                    serde_json::json!({
                        "id": "prop", "procedure": procedure, "flags": flags, "facts": facts,
                        "activities": activities, "services": services, "records": case_records,
                        "excluded_periods": excluded,
                        "acknowledgments": [{ "item": "13-inspection-av@A0", "at": "2026-03-02T10:00" }],
                    })
                },
            )
        },
    )
}

/// The packs that load (one that does not is the `packs` test's failure, not a proptest's).
fn packs() -> Vec<Pack> {
    tests::loaded_packs()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn random_cases_evaluate_against_every_pack(case in case(), now in time()) {
        let case = Case::from_value(case).expect("generated cases fit the contract");
        let now = Time::parse(&now).unwrap();
        for pack in packs() {
            let report = evaluate(&case, &pack, &Config::default(), now);
            // The gate agrees with the findings it summarises.
            let blocking = report.findings.iter().filter(|f| f.severity == rules_core::Severity::Blocking).count();
            prop_assert_eq!(report.gate.allowed, blocking == 0);
            // The widget's JSON writer and serde's write the same text.
            prop_assert_eq!(report.to_json(), serde_json::to_string(&report).unwrap());
        }
    }

    #[test]
    fn arbitrary_json_is_an_error_not_a_panic(text in ".{0,200}") {
        let _ = Case::from_json(&text);
    }

    #[test]
    fn mutilated_packs_are_errors_not_panics(cut in 0usize..40_000, len in 0usize..200, insert in ".{0,20}") {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../rules-core/packs");
        for found in rules_core::find_pack_folders(&root).unwrap() {
            let (id, dir) = (found.id.as_str(), &found.dir);
            let text = std::fs::read_to_string(dir.join("pack.toml")).unwrap();
            let source = std::fs::read_to_string(dir.join("source.txt")).unwrap();
            let mut chars: Vec<char> = text.chars().collect();
            let at = cut.min(chars.len());
            let end = (at + len).min(chars.len());
            chars.splice(at..end, insert.chars());
            let broken: String = chars.into_iter().collect();
            let _ = Pack::from_toml(&broken, &source, id);
            let _ = Pack::from_toml(&text, &broken, id);
        }
    }
}

/// Every fact, flag and procedure of `pack`, with the excluded periods given for each kind any
/// of its deadlines leaves out.
fn extreme_case(pack: &Pack, procedure: &str, facts_at: &str, excluded: serde_json::Value) -> Case {
    let facts: serde_json::Map<_, _> =
        pack.def.facts.keys().map(|f| (f.clone(), serde_json::json!(facts_at))).collect();
    let flags: Vec<_> = pack.def.flags.keys().collect();
    let value = serde_json::json!({
        "id": "extreme", "procedure": procedure, "flags": flags, "facts": facts,
        "activities": [{ "id": "A0", "kind": "现场检查", "start": facts_at, "end": "9999-12-31T23:59:59" }],
        "excluded_periods": excluded,
    });
    Case::from_value(value).expect("the case fits the contract")
}

fn excluded_kinds(pack: &Pack) -> Vec<&str> {
    let mut kinds: Vec<&str> = pack
        .def
        .rules
        .iter()
        .filter_map(|r| match &r.check {
            Check::Deadline(d) => Some(d.exclude.iter().map(String::as_str)),
            _ => None,
        })
        .flatten()
        .collect();
    kinds.sort_unstable();
    kinds.dedup();
    kinds
}

/// Excluded periods summed past what a duration holds aborted `rules check`, a whole audit and
/// the widget: tens of thousands of periods over all of 0000–9999, and a few very long ones at
/// the edges of the range, are counted under every pack and procedure.
#[test]
fn excluded_periods_over_the_whole_range_are_counted_not_a_panic() {
    for pack in packs() {
        let kinds = excluded_kinds(&pack);
        // Many periods of one kind, one of each other kind.
        let many: Vec<_> = kinds
            .iter()
            .enumerate()
            .flat_map(|(i, k)| {
                let period = serde_json::json!({ "kind": k, "from": "0000-01-01", "to": "9999-12-31T23:59:59" });
                std::iter::repeat_n(period, if i == 0 { 40_000 } else { 1 })
            })
            .collect();
        let edges: Vec<_> = kinds
            .iter()
            .map(|k| serde_json::json!({ "kind": k, "from": "0000-01-01", "to": "9999-12-31T23:59:59-08:00" }))
            .collect();
        for procedure in pack.def.procedures.iter().map(|p| p.id.as_str()) {
            for facts_at in ["0000-01-01", "2026-03-02T09:00", "9999-12-31T23:59:59"] {
                for excluded in [&many, &edges] {
                    let case = extreme_case(&pack, procedure, facts_at, serde_json::json!(excluded));
                    let report = evaluate(&case, &pack, &Config::default(), Time::parse("2026-04-10T12:00").unwrap());
                    assert_eq!(report.to_json(), serde_json::to_string(&report).unwrap());
                    // The excluded time is counted, not dropped: the 撤案 deadline from a
                    // filing in 2026 runs past the last excluded moment.
                    if pack.id() == "changsha-zfj" && procedure == "ordinary" && facts_at.starts_with("2026") {
                        let item = report.item("9-drop-in-time@case").expect("the case is dropped");
                        assert_eq!(item.status, Status::DueBy);
                        assert!(item.due_at > Some(Time::parse("9999-12-31T23:59:59").unwrap()), "{:?}", item.due_at);
                    }
                }
            }
        }
    }
}
