//! How evaluation time grows with each part of a case: records, activities, services,
//! acknowledgments and excluded periods, each alone ×1, ×10 and ×100, then all of them
//! together. Prints the medians and their ratios to ×1 (near 10 and 100 when the time grows
//! linearly, lower where a fixed cost dominates the small case); asserts nothing about time.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)] // bench code: failing loudly is the point
use std::sync::Mutex;
use std::time::{Duration, Instant};

use criterion::{criterion_group, criterion_main, Criterion};
use rules_core::{
    evaluate, Acknowledgment, Activity, Case, Config, ExcludedPeriod, Media, Pack, Record, Service, ServiceMethod,
    Signature, Time,
};

fn t(s: &str) -> Time {
    Time::parse(s).unwrap()
}

/// How many of each part a case has, at ×1.
#[derive(Clone, Copy)]
struct Parts {
    records: usize,
    activities: usize,
    services: usize,
    acknowledgments: usize,
    excluded: usize,
}

const BASE: Parts = Parts { records: 10, activities: 10, services: 5, acknowledgments: 10, excluded: 3 };

fn case(p: Parts) -> Case {
    let mut case = Case {
        id: "scaling".into(),
        procedure: "ordinary".into(),
        // Dropped: the 撤案 deadline, which leaves out testing and hearing time, applies.
        flags: ["dropped".to_owned()].into(),
        ..Case::default()
    };
    case.facts.insert("filed".into(), t("2026-03-01"));
    case.facts.insert("decided".into(), t("2026-04-01"));
    let kinds = ["现场检查", "询问", "查封扣押", "先行登记保存", "现场取样检测"];
    for i in 0..p.activities {
        // Every other inspection lacks its recording, so its item is unmet and its
        // acknowledgment is looked up.
        let records = if i % 2 == 0 {
            vec![Record {
                id: format!("A{i}R"),
                kind: "询问笔录".into(),
                made_at: Some(t("2026-03-02T10:00")),
                pages: Some(3),
                signatures: vec![Signature {
                    role: "被询问(调查)人".into(), every_page: true, ..Signature::default()
                }],
                ..Record::default()
            }]
        } else {
            vec![Record {
                id: format!("A{i}R"),
                kind: "音像记录".into(),
                media: vec![Media {
                    name: format!("v{i}.mp4"),
                    recorded_to: Some(t("2026-03-02T10:00")),
                    stored_at: Some(t("2026-03-02T18:00")),
                    ..Media::default()
                }],
                ..Record::default()
            }]
        };
        let kind = kinds[i % kinds.len()];
        // Seizures made on the spot: their 24-hour deadline runs to the case's earliest
        // approval form, an anchor that is the same for every item.
        let flags = if kind == "查封扣押" { ["emergency".to_owned()].into() } else { Default::default() };
        case.activities.push(Activity {
            id: format!("A{i}"),
            kind: kind.into(),
            start: Some(t("2026-03-02T09:00")),
            end: Some(t("2026-03-02T10:00")),
            flags,
            records,
            ..Activity::default()
        });
    }
    for i in 0..p.services {
        case.services.push(Service {
            id: format!("S{i}"),
            document: "行政处罚决定书".into(),
            method: if i % 2 == 0 { ServiceMethod::Direct } else { ServiceMethod::Postal },
            at: Some(t("2026-04-01T10:00")),
            flags: Default::default(),
            records: vec![Record { id: format!("S{i}R"), kind: "送达回证".into(), ..Record::default() }],
        });
    }
    let record_kinds = ["立案审批表", "案件处理审批表", "行政处罚决定书", "撤案审批表", "查封(扣押)审批表"];
    for i in 0..p.records {
        case.records.push(Record {
            id: format!("C{i}"),
            kind: record_kinds[i % record_kinds.len()].into(),
            made_at: Some(t("2026-03-01")),
            ..Record::default()
        });
    }
    for i in 0..p.acknowledgments {
        // Keys of the activities' items, and as many again that match nothing.
        case.acknowledgments.push(Acknowledgment {
            item: format!("13-inspection-av@A{}", i * 2),
            at: t("2026-03-03T09:00"),
            by: Some("张三".into()),
            note: None,
        });
    }
    let excluded_kinds = ["检测", "鉴定", "听证"];
    for i in 0..p.excluded {
        let from = t("2026-03-05").checked_add(chrono::Duration::hours(i as i64 * 7)).unwrap();
        case.excluded_periods.push(ExcludedPeriod {
            kind: excluded_kinds[i % excluded_kinds.len()].into(),
            from,
            to: from.checked_add(chrono::Duration::hours(30)).unwrap(),
        });
    }
    case
}

fn scaled(what: &str, k: usize) -> Parts {
    let mut p = BASE;
    match what {
        "records" => p.records *= k,
        "activities" => p.activities *= k,
        "services" => p.services *= k,
        "acknowledgments" => p.acknowledgments *= k,
        "excluded periods" => p.excluded *= k,
        _ => {
            p = Parts {
                records: p.records * k,
                activities: p.activities * k,
                services: p.services * k,
                acknowledgments: p.acknowledgments * k,
                excluded: p.excluded * k,
            }
        }
    }
    p
}

const WHAT: [&str; 6] = ["records", "activities", "services", "acknowledgments", "excluded periods", "all together"];
const FACTORS: [usize; 3] = [1, 10, 100];

/// Each sample's time per evaluation, by part and factor: criterion measures and reports as
/// usual, and these give the medians the ratios are made of.
static SAMPLES: Mutex<Vec<(&str, usize, Duration)>> = Mutex::new(Vec::new());

fn bench(c: &mut Criterion) {
    let pack = Pack::builtin("changsha-zfj").unwrap();
    let now = t("2026-04-10T12:00");
    let config = Config::default();
    for what in WHAT {
        let mut group = c.benchmark_group(format!("scaling {what}"));
        group.sample_size(10).warm_up_time(Duration::from_millis(500)).measurement_time(Duration::from_secs(2));
        for k in FACTORS {
            let case = case(scaled(what, k));
            group.bench_function(format!("x{k}"), |b| {
                b.iter_custom(|iters| {
                    let start = Instant::now();
                    for _ in 0..iters {
                        std::hint::black_box(evaluate(std::hint::black_box(&case), &pack, &config, now));
                    }
                    let d = start.elapsed();
                    SAMPLES.lock().unwrap().push((what, k, d / iters.max(1) as u32));
                    d
                })
            });
        }
        group.finish();
    }
    print_ratios();
}

fn median(what: &str, k: usize) -> Option<Duration> {
    let samples = SAMPLES.lock().unwrap();
    let mut v: Vec<Duration> = samples.iter().filter(|(w, f, _)| *w == what && *f == k).map(|s| s.2).collect();
    v.sort_unstable();
    v.get(v.len() / 2).copied()
}

fn print_ratios() {
    let base = case(BASE);
    eprintln!(
        "\nscaling (changsha-zfj; ×1 = {} case records, {} activities, {} services, {} acknowledgments, {} excluded periods)",
        base.records.len(),
        base.activities.len(),
        base.services.len(),
        base.acknowledgments.len(),
        base.excluded_periods.len()
    );
    eprintln!("{:<18} {:>11} {:>11} {:>11} {:>9} {:>9}", "", "×1", "×10", "×100", "×10/×1", "×100/×1");
    for what in WHAT {
        let m = FACTORS.map(|k| median(what, k));
        let Some(one) = m[0] else { continue };
        let fmt = |d: Option<Duration>| d.map_or("-".to_owned(), |d| format!("{:.1} µs", d.as_secs_f64() * 1e6));
        let ratio =
            |d: Option<Duration>| d.map_or("-".to_owned(), |d| format!("{:.1}", d.as_secs_f64() / one.as_secs_f64()));
        eprintln!(
            "{what:<18} {:>11} {:>11} {:>11} {:>9} {:>9}",
            fmt(m[0]),
            fmt(m[1]),
            fmt(m[2]),
            ratio(m[1]),
            ratio(m[2])
        );
    }
}

criterion_group!(benches, bench);
criterion_main!(benches);
