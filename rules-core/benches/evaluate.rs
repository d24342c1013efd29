//! Evaluating a 300-record case against the 长沙县 pack.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)] // test code: failing loudly is the point
use criterion::{criterion_group, criterion_main, Criterion};
use rules_core::{evaluate, Activity, Case, Config, Media, Pack, Record, Service, ServiceMethod, Signature, Time};

fn big_case() -> Case {
    let t = |s: &str| Time::parse(s).ok();
    let mut case = Case { id: "bench".into(), procedure: "ordinary".into(), ..Case::default() };
    let kinds = ["现场检查", "询问", "查封扣押", "先行登记保存", "现场取样检测"];
    for i in 0..60 {
        let kind = kinds[i % kinds.len()];
        let mut a = Activity {
            id: format!("A{i}"),
            kind: kind.into(),
            start: t("2026-03-02T09:00"),
            end: t("2026-03-02T10:00"),
            ..Activity::default()
        };
        for j in 0..4 {
            a.records.push(Record {
                id: format!("A{i}R{j}"),
                kind: if j == 0 { "音像记录".into() } else { "询问笔录".into() },
                made_at: t("2026-03-02T10:00"),
                pages: Some(3),
                elements: ["询问时间", "询问地点", "询问内容"].iter().map(|s| s.to_string()).collect(),
                signatures: vec![Signature {
                    role: "被询问(调查)人".into(),
                    every_page: true,
                    date: t("2026-03-02"),
                    ..Signature::default()
                }],
                media: vec![Media {
                    name: format!("v{i}.mp4"),
                    recorded_to: t("2026-03-02T10:00"),
                    stored_at: t("2026-03-02T18:00"),
                    ..Media::default()
                }],
                ..Record::default()
            });
        }
        case.activities.push(a);
    }
    for i in 0..40 {
        case.services.push(Service {
            id: format!("S{i}"),
            document: "行政处罚决定书".into(),
            method: ServiceMethod::Direct,
            at: t("2026-04-01T10:00"),
            flags: Default::default(),
            records: vec![Record { id: format!("S{i}R"), kind: "送达回证".into(), ..Record::default() }],
        });
    }
    for i in 0..20 {
        case.records.push(Record {
            id: format!("C{i}"),
            kind: "立案审批表".into(),
            made_at: t("2026-03-01"),
            ..Record::default()
        });
    }
    case.facts.insert("filed".into(), Time::parse("2026-03-01").unwrap());
    case.facts.insert("decided".into(), Time::parse("2026-04-01").unwrap());
    case
}

fn bench(c: &mut Criterion) {
    let pack = Pack::builtin("changsha-zfj").unwrap();
    let case = big_case();
    let records = case.all_records().count();
    assert_eq!(records, 300);
    let now = Time::parse("2026-04-10T12:00").unwrap();
    let config = Config::default();
    let report = evaluate(&case, &pack, &config, now);
    eprintln!(
        "case: {records} records, {} activities, {} services -> {} checklist items, {} findings",
        case.activities.len(),
        case.services.len(),
        report.items().count(),
        report.findings.len()
    );
    c.bench_function("evaluate 300-record case (changsha-zfj)", |b| {
        b.iter(|| evaluate(std::hint::black_box(&case), &pack, &config, now))
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
