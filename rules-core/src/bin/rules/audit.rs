//! `rules audit`: many cases checked on every core, summed per rule and per case.
use std::collections::BTreeMap;
use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Instant;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use rules_core::{evaluate, Audit, Case, Config, Pack, Time};
use unicode_width::UnicodeWidthStr;

/// One case to check: where it came from and its JSON text.
pub struct Input {
    /// File name, or `file:line` for JSON lines.
    pub source: String,
    /// The case JSON.
    pub text: String,
}

/// Every case under `path`: each `*.json` file of a directory (recursively, in name order),
/// or each non-blank line of a JSON-lines file.
pub fn read_inputs(path: &Path) -> Result<Vec<Input>, String> {
    let read = |p: &Path| std::fs::read_to_string(p).map_err(|e| format!("cannot read `{}`: {e}", p.display()));
    if path.is_dir() {
        let mut files = Vec::new();
        collect_json(path, &mut files)?;
        files.sort();
        files
            .into_iter()
            .map(|f| {
                let source = f.strip_prefix(path).unwrap_or(&f).display().to_string();
                Ok(Input { source, text: read(&f)? })
            })
            .collect()
    } else {
        let text = read(path)?;
        let name = path.display().to_string();
        Ok(text
            .lines()
            .enumerate()
            .filter(|(_, l)| !l.trim().is_empty())
            .map(|(n, l)| Input { source: format!("{name}:{}", n + 1), text: l.to_owned() })
            .collect())
    }
}

fn collect_json(dir: &Path, out: &mut Vec<PathBuf>) -> Result<(), String> {
    let entries = std::fs::read_dir(dir).map_err(|e| format!("cannot read directory `{}`: {e}", dir.display()))?;
    for e in entries {
        let p = e.map_err(|e| format!("cannot read directory `{}`: {e}", dir.display()))?.path();
        if p.is_dir() {
            collect_json(&p, out)?;
        } else if p.extension().is_some_and(|x| x == "json") {
            out.push(p);
        }
    }
    Ok(())
}

/// The packs cases are checked with: one given pack, or every built-in pack by id.
pub enum Packs {
    /// Every case with this pack (and configuration).
    One(Box<Pack>, Config),
    /// Each case with the pack its `agency` names.
    ByAgency(BTreeMap<String, Pack>),
}

impl Packs {
    fn for_case(&self, case: &Case) -> Result<(&Pack, Option<&Config>), String> {
        match self {
            Packs::One(p, c) => Ok((p, Some(c))),
            Packs::ByAgency(m) => {
                let agency = case.agency.as_deref().ok_or("the case names no `agency`; pass --pack")?;
                m.get(agency).map(|p| (p, None)).ok_or_else(|| format!("no built-in pack `{agency}`"))
            }
        }
    }
}

/// Checks every input on up to `jobs` threads, with a progress bar when stderr is a terminal;
/// returns the audit and how many threads did the work.
pub fn run(inputs: &[Input], packs: &Packs, now: Time, jobs: usize) -> Result<(Audit, usize), String> {
    let bar = if std::io::stderr().is_terminal() {
        ProgressBar::with_draw_target(Some(inputs.len() as u64), ProgressDrawTarget::stderr())
    } else {
        ProgressBar::hidden()
    };
    bar.set_style(
        ProgressStyle::with_template("{spinner} 评查中 [{bar:40}] {pos}/{len} 件  {per_sec}  剩余 {eta}")
            .unwrap_or_else(|_| ProgressStyle::default_bar())
            .progress_chars("=> "),
    );
    let default_config = Config::default();
    let next = AtomicUsize::new(0);
    // Workers take small batches in turn, so a slow case does not hold up a whole share.
    const BATCH: usize = 64;
    let work = || {
        let mut mine = Vec::new();
        loop {
            let start = next.fetch_add(BATCH, Ordering::Relaxed);
            let Some(batch) = inputs.get(start..(start + BATCH).min(inputs.len())) else { break };
            if batch.is_empty() {
                break;
            }
            let mut audit = Audit::default();
            for input in batch {
                match Case::from_json(&input.text).map_err(|e| e.to_string()).and_then(|case| {
                    let (pack, config) = packs.for_case(&case)?;
                    Ok(evaluate(&case, pack, config.unwrap_or(&default_config), now))
                }) {
                    Ok(report) => audit.add(&input.source, &report),
                    Err(e) => audit.add_error(&input.source, e),
                }
            }
            bar.inc(batch.len() as u64);
            mine.push((start, audit));
        }
        mine
    };
    // A thread more than there are batches would find nothing to do.
    let wanted = jobs.clamp(1, inputs.len().div_ceil(BATCH).max(1));
    let (parts, threads) = std::thread::scope(|s| {
        // As many as the system gives, up to `wanted`: when it refuses one (thread limits,
        // memory), those already running take its share.
        let workers: Vec<_> =
            (0..wanted).map_while(|_| std::thread::Builder::new().spawn_scoped(s, work).ok()).collect();
        if workers.is_empty() {
            return (Ok(vec![work()]), 1);
        }
        let threads = workers.len();
        // A worker that died would silently drop its cases from the totals: refuse instead.
        let parts: Result<Vec<_>, String> =
            workers.into_iter().map(|w| w.join().map_err(|_| "an audit worker thread failed".to_owned())).collect();
        (parts, threads)
    });
    bar.finish_and_clear();
    let mut parts: Vec<(usize, Audit)> = parts?.into_iter().flatten().collect();
    parts.sort_by_key(|(start, _)| *start);
    let mut all = Audit::default();
    for (_, a) in parts {
        all.merge(a);
    }
    Ok((all, threads))
}

/// Reads `--jobs`: a thread count of at least one.
pub fn parse_jobs(s: &str) -> Result<usize, String> {
    match s.parse::<usize>() {
        Ok(0) => Err("0 threads cannot check anything: give 1 or more".to_owned()),
        Ok(n) => Ok(n),
        Err(e) => Err(format!("`{s}` is not a thread count: {e}")),
    }
}

/// The summary line, the per-rule table and the per-case table, in Chinese.
pub fn table(a: &Audit, started: Instant, jobs: usize) -> String {
    use std::fmt::Write;
    let secs = started.elapsed().as_secs_f64();
    let mut o = String::new();
    let _ = writeln!(
        o,
        "案卷评查：{} 件案件，已检查 {} 件（可以提交 {} 件，不能提交 {} 件），无法读取 {} 件；用时 {:.2} 秒，{:.0} 件/秒（{} 个线程）",
        a.cases.len(),
        a.checked(),
        a.allowed(),
        a.checked() - a.allowed(),
        a.failed(),
        secs,
        a.cases.len() as f64 / secs.max(1e-9),
        jobs
    );
    let _ = writeln!(o, "\n按规则：未满足的案件数（从多到少）");
    let mut rows = vec![vec![
        "规则包".to_owned(),
        "规则".to_owned(),
        "条文".to_owned(),
        "核查事项".to_owned(),
        "未满足案件".to_owned(),
        "适用案件".to_owned(),
    ]];
    for (pack, rule, r) in a.most_missed() {
        rows.push(vec![
            pack.to_owned(),
            rule.to_owned(),
            r.article.clone(),
            r.title.clone(),
            r.missed.to_string(),
            r.applicable.to_string(),
        ]);
    }
    aligned(&mut o, &rows, &[4, 5]);
    let _ = writeln!(o, "\n按案件：");
    let mut rows = vec![vec![
        "来源".to_owned(),
        "案件编号".to_owned(),
        "必须事项未满足".to_owned(),
        "警告".to_owned(),
        "结论".to_owned(),
    ]];
    for c in &a.cases {
        let verdict = match &c.error {
            Some(e) => format!("无法检查：{e}"),
            None if c.allowed => "可以提交".to_owned(),
            None => "不能提交".to_owned(),
        };
        rows.push(vec![c.source.clone(), c.case_id.clone(), c.blocking.to_string(), c.warnings.to_string(), verdict]);
    }
    aligned(&mut o, &rows, &[2, 3]);
    o
}

/// Columns padded to their widest cell as a terminal shows it (CJK characters are two wide);
/// `right` columns are numbers.
fn aligned(o: &mut String, rows: &[Vec<String>], right: &[usize]) {
    let mut widths: Vec<usize> = Vec::new();
    for row in rows {
        for (i, cell) in row.iter().enumerate() {
            let w = cell.width();
            match widths.get_mut(i) {
                Some(x) => *x = (*x).max(w),
                None => widths.push(w),
            }
        }
    }
    for row in rows {
        let mut line = String::new();
        for (i, (cell, w)) in row.iter().zip(&widths).enumerate() {
            let pad = " ".repeat(w.saturating_sub(cell.width()));
            let last = i + 1 == row.len();
            if right.contains(&i) {
                line.push_str(&pad);
                line.push_str(cell);
            } else {
                line.push_str(cell);
                if !last {
                    line.push_str(&pad);
                }
            }
            if !last {
                line.push_str("  ");
            }
        }
        o.push_str(line.trim_end());
        o.push('\n');
    }
}

/// The per-case table as CSV (UTF-8 with a BOM, so spreadsheet programs read the Chinese).
pub fn cases_csv(a: &Audit) -> Result<Vec<u8>, String> {
    let mut w = csv::Writer::from_writer(b"\xEF\xBB\xBF".to_vec());
    let e = |e: csv::Error| e.to_string();
    w.write_record(["来源", "案件编号", "规则包", "必须事项未满足", "警告", "结论", "错误"]).map_err(e)?;
    for c in &a.cases {
        let verdict = match (&c.error, c.allowed) {
            (Some(_), _) => "无法检查",
            (None, true) => "可以提交",
            (None, false) => "不能提交",
        };
        w.write_record([
            c.source.as_str(),
            &c.case_id,
            &c.pack,
            &c.blocking.to_string(),
            &c.warnings.to_string(),
            verdict,
            c.error.as_deref().unwrap_or_default(),
        ])
        .map_err(e)?;
    }
    w.into_inner().map_err(|e| e.to_string())
}

/// The per-rule table as CSV (every rule that applied, most missed first).
pub fn rules_csv(a: &Audit) -> Result<Vec<u8>, String> {
    let mut w = csv::Writer::from_writer(b"\xEF\xBB\xBF".to_vec());
    let e = |e: csv::Error| e.to_string();
    w.write_record(["规则包", "规则", "条文", "核查事项", "未满足案件", "适用案件", "未满足事项"]).map_err(e)?;
    for (pack, rule, r) in a.by_misses() {
        w.write_record([
            pack,
            rule,
            &r.article,
            &r.title,
            &r.missed.to_string(),
            &r.applicable.to_string(),
            &r.unmet_items.to_string(),
        ])
        .map_err(e)?;
    }
    w.into_inner().map_err(|e| e.to_string())
}
