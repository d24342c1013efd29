//! Batch audit speed: 10,000 generated cases through `rules audit`, on one thread and on every
//! core, end to end (reading, parsing, evaluating, summing, printing). Prints medians; asserts
//! nothing about time.
//!
//! The cases are made deterministically from the four samples: each gets its own number, its
//! dates moved by up to a year, and (by a fixed pseudo-random sequence) some records, media
//! digests or signatures taken out, so the audit sees a mix of complete and incomplete files.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)] // bench code: failing loudly is the point
use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use rules_core::{evaluate, Case, Config, Pack, Time};

const CASES: usize = 10_000;
const RUNS: usize = 5;

/// A fixed linear congruential sequence: the same cases on every machine.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        self.0 >> 33
    }
}

fn shift(t: &mut Option<Time>, d: chrono::Duration) {
    if let Some(x) = t {
        *x = x.checked_add(d).unwrap();
    }
}

fn shift_record(r: &mut rules_core::Record, d: chrono::Duration) {
    shift(&mut r.made_at, d);
    for s in &mut r.signatures {
        shift(&mut s.date, d);
    }
    for m in &mut r.media {
        shift(&mut m.recorded_from, d);
        shift(&mut m.recorded_to, d);
        shift(&mut m.stored_at, d);
        shift(&mut m.deleted_at, d);
    }
}

fn generate(samples: &[Case], n: usize) -> Vec<Case> {
    let mut rng = Lcg(2026);
    (0..n)
        .map(|k| {
            let mut c = samples[k % samples.len()].clone();
            c.id = format!("评查〔2026〕{k:05}号");
            let d = chrono::Duration::days((rng.next() % 300) as i64);
            for t in c.facts.values_mut() {
                *t = t.checked_add(d).unwrap();
            }
            for r in &mut c.records {
                shift_record(r, d);
            }
            for a in &mut c.activities {
                shift(&mut a.start, d);
                shift(&mut a.end, d);
                shift(&mut a.returned_at, d);
                for r in &mut a.records {
                    shift_record(r, d);
                }
            }
            for s in &mut c.services {
                shift(&mut s.at, d);
                for r in &mut s.records {
                    shift_record(r, d);
                }
            }
            for a in &mut c.acknowledgments {
                a.at = a.at.checked_add(d).unwrap();
            }
            // About one case in four loses something.
            match rng.next() % 12 {
                0 if !c.activities.is_empty() => {
                    let i = (rng.next() as usize) % c.activities.len();
                    c.activities[i].records.pop();
                }
                1 => {
                    c.records.pop();
                }
                2 => {
                    for a in &mut c.activities {
                        for r in &mut a.records {
                            r.signatures.clear();
                        }
                    }
                }
                _ => {}
            }
            c
        })
        .collect()
}

/// This thread's time on a core and time waiting for one, from Linux's schedstat (zero
/// elsewhere): on a busy shared machine, on-core time is the figure that other work disturbs least.
fn sched() -> (Duration, Duration) {
    let text = std::fs::read_to_string("/proc/thread-self/schedstat").unwrap_or_default();
    let mut f = text.split_whitespace().map(|x| x.parse::<u64>().unwrap_or(0));
    (Duration::from_nanos(f.next().unwrap_or(0)), Duration::from_nanos(f.next().unwrap_or(0)))
}

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn main() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("samples");
    let mut samples = Vec::new();
    for e in std::fs::read_dir(&dir).unwrap() {
        let p = e.unwrap().path();
        samples.push((p.clone(), Case::from_json(&std::fs::read_to_string(&p).unwrap()).unwrap()));
    }
    samples.sort_by(|a, b| a.0.cmp(&b.0));
    let samples: Vec<Case> = samples.into_iter().map(|(_, c)| c).collect();
    let cases = generate(&samples, CASES);
    let jsonl: String = cases.iter().map(|c| serde_json::to_string(c).unwrap() + "\n").collect();
    let file = Path::new(env!("CARGO_TARGET_TMPDIR")).join("audit-10000.jsonl");
    std::fs::write(&file, &jsonl).unwrap();
    let now = "2027-03-01T12:00";
    // Other work on the machine slows every figure here; say how busy it was.
    let load = std::fs::read_to_string("/proc/loadavg").unwrap_or_default();
    let load = load.split_whitespace().next().unwrap_or("?").to_owned();
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    println!("machine: {cores} cores, load average {load} at start");
    eprintln!("{CASES} cases generated ({} MB of JSON lines) in {}", jsonl.len() / 1_000_000, file.display());

    // The engine alone, one thread: parse and evaluate every case.
    let pack = Pack::builtin("changsha-zfj").unwrap();
    let config = Config::default();
    let t = Time::parse(now).unwrap();
    let mut blocked = 0;
    let mut on_core = Vec::new();
    let mut waited = Vec::new();
    let engine = median(
        (0..RUNS)
            .map(|_| {
                let (c0, w0) = sched();
                let start = Instant::now();
                blocked = 0;
                for line in jsonl.lines() {
                    let c = Case::from_json(line).unwrap();
                    blocked += usize::from(!evaluate(&c, &pack, &config, t).gate.allowed);
                }
                let took = start.elapsed();
                let (c1, w1) = sched();
                on_core.push(c1.saturating_sub(c0));
                waited.push(w1.saturating_sub(w0));
                took
            })
            .collect(),
    );
    let rate = |d: Duration| CASES as f64 / d.as_secs_f64();
    println!(
        "audit/engine   1 thread : {:>7.3} s  {:>8.0} cases/s  (parse + evaluate, median of {RUNS}; {blocked} of {CASES} blocked)",
        engine.as_secs_f64(),
        rate(engine)
    );
    let (core, wait) = (median(on_core), median(waited));
    if core > Duration::ZERO {
        println!(
            "               on a core: {:>7.3} s  {:>8.0} cases per core-second  (waited {:.3} s for a core)",
            core.as_secs_f64(),
            rate(core),
            wait.as_secs_f64()
        );
    }

    // `rules audit` as a user runs it, whole process.
    let mut one = Duration::ZERO;
    for jobs in [1, cores] {
        let d = median(
            (0..RUNS)
                .map(|_| {
                    let start = Instant::now();
                    let o = Command::new(env!("CARGO_BIN_EXE_rules"))
                        .args(["audit", file.to_str().unwrap(), "--quiet", "--now", now, "--jobs", &jobs.to_string()])
                        .output()
                        .unwrap();
                    let took = start.elapsed();
                    assert!(o.status.code() == Some(1) || o.status.code() == Some(0), "{o:?}");
                    took
                })
                .collect(),
        );
        if jobs == 1 {
            one = d;
        }
        println!(
            "rules audit   {jobs} thread{}: {:>7.3} s  {:>8.0} cases/s  (whole process, median of {RUNS}){}",
            if jobs == 1 { " " } else { "s" },
            d.as_secs_f64(),
            rate(d),
            if jobs > 1 { format!("  speed-up x{:.2}", one.as_secs_f64() / d.as_secs_f64()) } else { String::new() }
        );
    }
}
