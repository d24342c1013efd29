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

/// A time as a case may write it: mostly years 2024–2028 (inside and outside the holiday data,
/// month ends and leap days), often any year 0000–9999, in every accepted form, with offsets
/// from −14:00 to +14:00 and the odd leap second — so some are refused, as they must be.
fn time() -> impl Strategy<Value = String> {
    let year = prop_oneof![4 => 2024i32..2029, 2 => 0i32..10_000, 1 => prop::sample::select(vec![0, 1, 9999])];
    let offset = prop_oneof![
        Just("Z".to_owned()),
        (-14i32..15, prop::sample::select(vec![0, 30, 45, 59]))
            .prop_map(|(h, m)| { format!("{}{:02}:{m:02}", if h < 0 { '-' } else { '+' }, h.abs()) })
    ];
    (year, 1u32..13, 1u32..32, 0u32..24, 0u32..60, prop_oneof![10 => 0u32..60, 1 => Just(60u32)], 0u8..5, offset)
        .prop_map(|(y, m, d, h, mi, se, form, off)| match form {
            0 => format!("{y:04}-{m:02}-{d:02}"),
            1 => format!("{y:04}-{m:02}-{d:02}T{h:02}:{mi:02}"),
            2 => format!("{y:04}-{m:02}-{d:02} {h:02}:{mi:02}:{se:02}"),
            3 => format!("{y:04}-{m:02}-{d:02}T{h:02}:{mi:02}:{se:02}{off}"),
            _ => format!("{y:04}-{m:02}-{d:02}T{h:02}:{mi:02}:{:02}", se.min(59)),
        })
}

/// A time of day that reads (an excluded period's end: a date alone there means its end).
fn time_of_day() -> impl Strategy<Value = String> {
    time().prop_filter("not a date alone", |s| s.len() > 10)
}

/// A time the reader accepts (the moment of evaluation).
fn valid_time() -> impl Strategy<Value = String> {
    time().prop_filter("a readable time", |s| Time::parse(s).is_ok())
}

/// Strings a hostile or careless platform sends: control characters, bidirectional overrides,
/// a byte order mark, markup, quotes, very long text, and any printable text.
fn hostile() -> impl Strategy<Value = String> {
    prop_oneof![
        24 => "\\PC{0,24}",
        8 => "[\\x00-\\x1f\\x7f\\u{85}\\u{202e}\\u{2028}\\u{feff}\"\\\\<>&'@/]{0,12}",
        8 => prop::sample::select(vec![
            "", " ", "\u{1b}]0;pwned\u{7}", "\u{1b}]52;c;ZXZpbA==\u{7}", "\u{1b}[2J", "</script><script>alert(1)</script>",
            "@", "@@", "a@", "@b", "𝕏\u{0}", "\u{202e}txt.exe", "\u{feff}", "null", "..", "../../etc/passwd", "%s%n",
        ]).prop_map(str::to_owned),
        1 => ("\\PC{1,4}", 1000usize..3000).prop_map(|(s, n)| s.repeat(n)),
    ]
}

/// A pick from `list` or, now and then, a hostile string.
fn word(list: &'static [&'static str]) -> impl Strategy<Value = String> {
    prop_oneof![6 => pick(list), 1 => hostile()]
}

/// Up to a few of something, or now and then thousands.
fn some_or_thousands<S: Strategy + 'static>(s: S, few: usize) -> impl Strategy<Value = Vec<S::Value>>
where
    S::Value: std::fmt::Debug,
{
    let s = std::sync::Arc::new(s);
    prop_oneof![
        12 => prop::collection::vec(s.clone(), 0..few),
        1 => prop::collection::vec(s, 1000..3000),
    ]
}

fn pick(list: &'static [&'static str]) -> impl Strategy<Value = String> {
    prop::sample::select(list).prop_map(str::to_owned)
}

fn record(id: String) -> impl Strategy<Value = serde_json::Value> {
    (
        word(KINDS),
        prop::option::of(time()),
        prop::option::of(time()),
        prop::option::of(time()),
        prop::option::of(0u32..5),
        some_or_thousands(word(FLAGS), 2),
        any::<bool>(),
        hostile(),
    )
        .prop_map(move |(kind, made, from, stored, pages, flags, refused, name)| {
            serde_json::json!({
                "id": id, "kind": kind, "made_at": made, "pages": pages, "flags": flags,
                "signatures": [{ "role": "当事人", "refused": refused, "name": name }],
                "media": [{ "name": name, "recorded_from": from, "recorded_to": made, "stored_at": stored }],
            })
        })
}

fn case() -> impl Strategy<Value = serde_json::Value> {
    let activities = prop::collection::vec(
        (word(KINDS), prop::option::of(time()), prop::option::of(time()), prop::collection::vec(word(FLAGS), 0..3)),
        0..6,
    );
    let services = prop::collection::vec(
        (word(KINDS), pick(METHODS), prop::option::of(time()), prop::collection::vec(word(FLAGS), 0..2)),
        0..4,
    );
    let facts = prop::collection::btree_map(word(FACTS), time(), 0..6);
    let records = prop::collection::vec(0u8..1, 0..6);
    let procedure = prop_oneof![
        8 => prop::sample::select(vec!["ordinary", "simple", "inspection", "licensing", "bogus"]).prop_map(str::to_owned),
        1 => hostile(),
    ];
    let excluded = some_or_thousands((word(&["鉴定", "听证", "检测"]), time(), time_of_day()), 3);
    let acks = some_or_thousands(
        (hostile(), prop::sample::select(vec!["A0", "A1", "C0", "case", "V1/a.mp4", "S0"]), valid_time(), hostile()),
        3,
    );
    let rules: Vec<&'static str> = packs()
        .into_iter()
        .flat_map(|p| p.def.rules.iter().map(|r| &*r.id.clone().leak()).collect::<Vec<_>>())
        .collect();
    let acks = (acks, prop::collection::vec(prop::sample::select(rules), 3)).prop_map(|(acks, rules)| {
        acks.into_iter()
            .enumerate()
            .map(|(i, (free, target, at, note))| {
                // Mostly keys of real items, so acknowledgments are matched, not only ignored.
                let item = match i % 4 {
                    3 => free,
                    n => format!("{}@{target}", rules[n % rules.len()]),
                };
                serde_json::json!({ "item": item, "at": at, "note": note })
            })
            .collect::<Vec<_>>()
    });
    let top = (some_or_thousands(word(FLAGS), 4), hostile(), prop::option::of(hostile()), acks);
    (activities, services, facts, records, procedure, top, excluded).prop_flat_map(
        |(acts, svcs, facts, recs, procedure, top, excluded)| {
            let act_records: Vec<_> = (0..acts.len()).map(|i| prop::collection::vec(record(format!("A{i}R")), 0..3)).collect();
            let case_records: Vec<_> = (0..recs.len()).map(|i| record(format!("C{i}"))).collect();
            (Just((acts, svcs, facts, procedure, top, excluded)), act_records, case_records).prop_map(
                |((acts, svcs, facts, procedure, (flags, id, department, acks), excluded), act_records, case_records)| {
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
                        "id": id, "procedure": procedure, "flags": flags, "facts": facts, "department": department,
                        "activities": activities, "services": services, "records": case_records,
                        "excluded_periods": excluded, "acknowledgments": acks,
                    })
                },
            )
        },
    )
}

/// What the reader must answer for a generated case, worked out independently of it: `Err`
/// with the kind of refusal expected, or `Ok`.
fn expected(case: &serde_json::Value) -> Result<(), &'static str> {
    let mut times = Vec::new();
    let mut collect = |v: &serde_json::Value| {
        if let Some(s) = v.as_str() {
            times.push(s.to_owned());
        }
    };
    let records = |v: &serde_json::Value| v["records"].as_array().cloned().unwrap_or_default();
    let mut all_records = records(case);
    for a in case["activities"].as_array().into_iter().flatten() {
        for k in ["start", "end", "returned_at"] {
            collect(&a[k]);
        }
        all_records.extend(records(a));
    }
    for s in case["services"].as_array().into_iter().flatten() {
        collect(&s["at"]);
    }
    for r in &all_records {
        collect(&r["made_at"]);
        for m in r["media"].as_array().into_iter().flatten() {
            for k in ["recorded_from", "recorded_to", "stored_at"] {
                collect(&m[k]);
            }
        }
    }
    for v in case["facts"].as_object().into_iter().flat_map(|o| o.values()) {
        collect(v);
    }
    for p in case["excluded_periods"].as_array().into_iter().flatten() {
        collect(&p["from"]);
        collect(&p["to"]);
    }
    if times.iter().any(|t| Time::parse(t).is_err()) {
        return Err("malformed");
    }
    let t = |v: &serde_json::Value| v.as_str().map(|s| Time::parse(s).unwrap());
    let reversed = |a: Option<Time>, b: Option<Time>| matches!((a, b), (Some(a), Some(b)) if b < a);
    for p in case["excluded_periods"].as_array().into_iter().flatten() {
        let (from, to) = (t(&p["from"]).unwrap(), t(&p["to"]).unwrap());
        if to < from || to.since(from).num_days() > rules_core::MAX_EXCLUDED_DAYS {
            return Err("impossible");
        }
    }
    for a in case["activities"].as_array().into_iter().flatten() {
        if reversed(t(&a["start"]), t(&a["end"])) {
            return Err("impossible");
        }
    }
    for r in &all_records {
        for m in r["media"].as_array().into_iter().flatten() {
            if reversed(t(&m["recorded_from"]), t(&m["recorded_to"])) {
                return Err("impossible");
            }
        }
    }
    Ok(())
}

/// The packs that load (one that does not is the `packs` test's failure, not a proptest's).
fn packs() -> Vec<Pack> {
    tests::loaded_packs()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn random_cases_are_refused_or_evaluated_against_every_pack(value in case(), now in valid_time()) {
        let now = Time::parse(&now).unwrap();
        let read = Case::from_value(value.clone());
        match (&read, expected(&value)) {
            (Ok(_), Ok(())) => {}
            (Err(rules_core::CaseError::Malformed { .. }), Err("malformed")) => {}
            (Err(rules_core::CaseError::Impossible { .. }), Err("impossible")) => {}
            (got, want) => prop_assert!(false, "reader answered {:?}, expected {:?}", got.as_ref().map(|_| ()), want),
        }
        // A refused case still never panics the engine when built in code, past the reader.
        let Ok(case) = read.or_else(|_| serde_json::from_value::<Case>(value)) else { return Ok(()) };
        for (n, pack) in packs().into_iter().enumerate() {
            let report = evaluate(&case, &pack, &Config::default(), now);
            // The gate agrees with the findings it summarises.
            let blocking = report.findings.iter().filter(|f| f.severity == rules_core::Severity::Blocking).count();
            prop_assert_eq!(report.gate.allowed, blocking == 0);
            // The widget's JSON writer and serde's write the same text.
            let json = report.to_json();
            prop_assert_eq!(&json, &serde_json::to_string(&report).unwrap());
            // Every time written reads back.
            let back: serde_json::Value = serde_json::from_str(&json).unwrap();
            for item in back["steps"].as_array().into_iter().flatten().flat_map(|s| s["items"].as_array().into_iter().flatten()) {
                if let Some(at) = item["due_at"].as_str() {
                    prop_assert!(Time::parse(at).is_ok(), "due_at {} does not read back", at);
                }
            }
            if n > 0 {
                continue; // the 核查表 once per case: its text is the case's, whatever the pack
            }
            let sheet = rules_core::Sheet {
                case: &case, pack: &pack, config: &Config::default(), config_fingerprint: None,
                report: &report, log: None, log_break: None, key_check: None, handler: Some("\u{1b}[2J张三"), all: true,
            };
            let html = rules_core::report_html(&sheet);
            prop_assert!(!html.chars().any(|c| c.is_control() && !matches!(c, '\n' | '\t')), "control character in the 核查表");
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
        "excluded_periods": &excluded,
    });
    // The reader refuses spans like these (an excluded period of ten thousand years); the
    // engine must still count them, not panic, in a case built in code.
    let refused = !excluded.as_array().is_none_or(Vec::is_empty);
    assert_eq!(Case::from_value(value.clone()).is_err(), refused, "the reader refuses what cannot be true");
    serde_json::from_value(value).expect("the case fits the contract's types")
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
/// the widget: tens of thousands of periods over all of 0001–9999, and a few very long ones at
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
                let period = serde_json::json!({ "kind": k, "from": "0001-01-01", "to": "9999-12-31T23:59:59" });
                std::iter::repeat_n(period, if i == 0 { 40_000 } else { 1 })
            })
            .collect();
        let edges: Vec<_> = kinds
            .iter()
            .map(|k| serde_json::json!({ "kind": k, "from": "0001-01-01T00:00:00+08:00", "to": "9999-12-31T07:59:59-08:00" }))
            .collect();
        for procedure in pack.def.procedures.iter().map(|p| p.id.as_str()) {
            for facts_at in ["0001-01-01", "2026-03-02T09:00", "9999-12-31T23:59:59"] {
                for excluded in [&many, &edges] {
                    let case = extreme_case(&pack, procedure, facts_at, serde_json::json!(excluded));
                    let report = evaluate(&case, &pack, &Config::default(), Time::parse("2026-04-10T12:00").unwrap());
                    assert_eq!(report.to_json(), serde_json::to_string(&report).unwrap());
                    // The excluded time is counted, not dropped: the 撤案 deadline from a
                    // filing in 2026 runs past the last day a report can write, and the report
                    // says it could not be checked.
                    if pack.id() == "changsha-zfj" && procedure == "ordinary" && facts_at.starts_with("2026") {
                        let item = report.item("9-drop-in-time@case").expect("the case is dropped");
                        assert_eq!(item.status, Status::NotApplicable);
                        assert!(report.notes.iter().any(|n| n.contains("`9-drop-in-time`")), "{:?}", report.notes);
                    }
                }
            }
        }
    }
}
