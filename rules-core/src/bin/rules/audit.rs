//! `rules audit`: many cases checked on every core, summed per rule and per case.
use std::io::IsTerminal;
use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Instant;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use rules_core::{evaluate_in, Audit, Case, ChecklistRecord, Config, PackRegistry, Time};
use unicode_width::UnicodeWidthStr;

/// One case to check: where it came from and its JSON text, or why it could not be read.
pub struct Input {
    /// File name, or `file:line` for JSON lines.
    pub source: String,
    /// The case JSON, or what stopped it being read (listed in the table as unreadable).
    pub text: Result<String, String>,
    /// The case's checklist record (JSON), when there is one: the file `<case>.record.json`
    /// beside the case, or the `record` of a JSON line `{"case": …, "record": …}`.
    pub record: Option<Result<String, String>>,
}

/// The file name ending of a checklist record beside its case (`12号.json` → `12号.record.json`).
const RECORD_SUFFIX: &str = ".record.json";

/// A JSON line: a case alone, or a case with its checklist record.
fn split_line(text: String) -> (Result<String, String>, Option<Result<String, String>>) {
    #[derive(serde::Deserialize)]
    #[serde(deny_unknown_fields)]
    struct WithRecord {
        case: serde_json::Value,
        #[serde(default)]
        record: Option<serde_json::Value>,
    }
    // A case has no member `case`: a line whose top level has one is the wrapped form.
    #[derive(serde::Deserialize)]
    struct Probe {
        #[serde(default)]
        case: Option<serde::de::IgnoredAny>,
    }
    if !serde_json::from_str::<Probe>(&text).is_ok_and(|p| p.case.is_some()) {
        return (Ok(text), None);
    }
    // Read as strictly as a case alone: a key given twice is refused, not taken as the last.
    match rules_core::json_from_str::<WithRecord>(&text) {
        Ok(w) => (Ok(w.case.to_string()), w.record.map(|r| Ok(r.to_string()))),
        Err(e) => (Err(format!("line is not a case with its record (`{{\"case\": …, \"record\": …}}`): {e}")), None),
    }
}

/// Every case under `path`: each `*.json` file of a directory (recursively, in name order,
/// following links, each file once), or each non-blank line of a JSON-lines file. A file or
/// folder that cannot be read is an input that says why, so the rest are still checked; only
/// `path` itself unreadable is an error.
pub fn read_inputs(path: &Path) -> Result<Vec<Input>, String> {
    if path.is_dir() {
        return Ok(walk(path));
    }
    let bytes = std::fs::read(path).map_err(|e| format!("cannot read `{}`: {e}", path.display()))?;
    let name = path.display().to_string();
    Ok(bytes
        .split(|b| *b == b'\n')
        .enumerate()
        .filter(|(_, l)| !l.trim_ascii().is_empty())
        .map(|(n, l)| {
            let source = format!("{name}:{}", n + 1);
            match std::str::from_utf8(l) {
                Ok(t) => {
                    let (text, record) = split_line(t.to_owned());
                    Input { source, text, record }
                }
                Err(e) => Input {
                    source,
                    text: Err(format!("line is not UTF-8 (at byte {} of the line)", e.valid_up_to())),
                    record: None,
                },
            }
        })
        .collect())
}

/// The `*.json` files under `root`. Links are followed; a link back to a folder being walked
/// is not (its files are reached where they are), and a file reached by two paths is read
/// once. Folders and links that cannot be read are inputs that say why.
fn walk(root: &Path) -> Vec<Input> {
    let source = |p: &Path| p.strip_prefix(root).unwrap_or(p).display().to_string();
    let mut seen = std::collections::HashSet::new();
    let mut inputs = Vec::new();
    for entry in walkdir::WalkDir::new(root).follow_links(true).sort_by_file_name() {
        let entry = match entry {
            Ok(e) => e,
            Err(e) if e.loop_ancestor().is_some() => continue,
            Err(e) => {
                let at = e.path().map_or_else(|| root.display().to_string(), source);
                let why = e.io_error().map_or_else(|| e.to_string(), ToString::to_string);
                inputs.push(Input {
                    source: at.clone(),
                    text: Err(format!("cannot read `{at}`: {why}")),
                    record: None,
                });
                continue;
            }
        };
        let p = entry.path();
        if entry.file_type().is_dir() || p.extension().is_none_or(|x| x != "json") {
            continue;
        }
        // A checklist record is read with its case, not as a case of its own.
        if p.file_name().and_then(|n| n.to_str()).is_some_and(|n| n.ends_with(RECORD_SUFFIX)) {
            continue;
        }
        // The file itself, whatever the path: a second path to it is skipped.
        if let Ok(real) = std::fs::canonicalize(p) {
            if !seen.insert(real) {
                continue;
            }
        }
        let name = source(p);
        let beside = p.with_extension("record.json");
        let record = beside.exists().then(|| read_text(&beside, &source(&beside)));
        inputs.push(Input { text: read_text(p, &name), source: name, record });
    }
    inputs
}

/// A file as text, or why not (with the first byte that is not UTF-8), naming it as `name`.
fn read_text(p: &Path, name: &str) -> Result<String, String> {
    let bytes = std::fs::read(p).map_err(|e| format!("cannot read `{name}`: {e}"))?;
    String::from_utf8(bytes).map_err(|e| format!("`{name}` is not UTF-8 (at byte {})", e.utf8_error().valid_up_to()))
}

/// The packs cases are checked with: every version of the given or built-in packs, each case
/// under the version in force on the day it was opened (the same choice as `rules check`).
pub struct Packs {
    /// The pack versions.
    pub registry: PackRegistry,
    /// With `--pack`: that pack's id and the configuration; else each case's `agency`.
    pub fixed: Option<(String, Config)>,
}

impl Packs {
    /// The pack version a case is checked with, as [`Packs::check`] chooses it.
    fn pack_for(&self, case: &Case, default_config: &Config) -> Result<&rules_core::Pack, String> {
        let (id, config) = match &self.fixed {
            Some((id, c)) => (Some(id.as_str()), c),
            None => (None, default_config),
        };
        rules_core::select_in(&self.registry, case, id, config).map(|s| s.pack).map_err(|e| e.to_string())
    }

    fn check(&self, case: &Case, now: Time, default_config: &Config) -> Result<rules_core::Report, String> {
        let (id, config) = match &self.fixed {
            Some((id, c)) => (Some(id.as_str()), c),
            None => (None, default_config),
        };
        if id.is_none() && case.agency.is_none() {
            return Err("the case names no `agency`; pass --pack".to_owned());
        }
        evaluate_in(&self.registry, case, id, config, now).map_err(|e| e.to_string())
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
                match input.text.as_deref().map_err(Clone::clone).and_then(|text| {
                    let mut case = Case::from_json(text).map_err(|e| e.to_string())?;
                    // A record that does not check leaves the case unchecked, not checked
                    // without it: the table would then show items unmet that an officer met.
                    let record = match &input.record {
                        None => None,
                        Some(r) => Some(r.as_deref().map_err(|e| format!("清单记录：{e}")).and_then(|t| {
                            ChecklistRecord::from_json_for(t, &case.id).map_err(|e| format!("清单记录：{e}"))
                        })?),
                    };
                    if let Some(r) = &record {
                        // Filed under the pack version the case is checked with; a digest the
                        // pack cannot file is left out, as in the widget.
                        if let Ok(pack) = packs.pack_for(&case, &default_config) {
                            let _ = r.apply_to(&mut case, pack);
                        }
                    }
                    Ok((packs.check(&case, now, &default_config)?, record))
                }) {
                    Ok((report, record)) => {
                        audit.add(&input.source, &report);
                        if let (Some(r), Some(c)) = (record, audit.cases.last_mut()) {
                            c.reasons = r.reasons.iter().map(crate::record::reason_line).collect();
                            c.record = Some(format!("{} 条 {}", r.log.head.count, r.log.head.hash));
                        }
                    }
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
        "人工确认".to_owned(),
        "结论".to_owned(),
    ]];
    for c in &a.cases {
        let verdict = match &c.error {
            Some(e) => format!("无法检查：{e}"),
            None if c.allowed => "可以提交".to_owned(),
            None => "不能提交".to_owned(),
        };
        rows.push(vec![
            c.source.clone(),
            c.case_id.clone(),
            c.blocking.to_string(),
            c.warnings.to_string(),
            c.acknowledged.len().to_string(),
            verdict,
        ]);
    }
    aligned(&mut o, &rows, &[2, 3, 4]);
    // What rests on an officer's word, case by case, for the 案卷评查 reviewer to check first.
    let acked: Vec<&rules_core::CaseAudit> = a.cases.iter().filter(|c| !c.acknowledged.is_empty()).collect();
    if !acked.is_empty() {
        let _ = writeln!(o, "\n人工确认（系统中无记录，由经办人员确认）：");
        for c in acked {
            for x in &c.acknowledged {
                let _ = writeln!(o, "  {}  {}", c.case_id, x);
            }
        }
    }
    let reasoned: Vec<&rules_core::CaseAudit> = a.cases.iter().filter(|c| !c.reasons.is_empty()).collect();
    if !reasoned.is_empty() {
        let _ = writeln!(o, "\n提交理由（经办人员在存在警告或未经检查时填写）：");
        for c in reasoned {
            for x in &c.reasons {
                let _ = writeln!(o, "  {}  {}", c.case_id, x);
            }
        }
    }
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
    w.write_record([
        "来源",
        "案件编号",
        "规则包",
        "必须事项未满足",
        "警告",
        "结论",
        "人工确认",
        "错误",
        "提交理由",
        "清单记录日志头",
    ])
    .map_err(e)?;
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
            &c.acknowledged.join("；"),
            c.error.as_deref().unwrap_or_default(),
            &c.reasons.join("；"),
            c.record.as_deref().unwrap_or_default(),
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
