//! `rules`: check cases against agency packs from the command line.
//!
//! Exit codes: 0 = submission allowed / pack valid, 1 = blocked, 2 = bad input.
use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

mod audit;
mod record;
#[macro_use]
mod out;

use clap::{Parser, Subcommand, ValueEnum};
use rules_core::{
    builtin_pack_ids, coverage, diff_configs, evaluate_in, report_html, Case, CaseLog, Check, ChecklistRecord, Config,
    LogHead, Pack, PackRegistry, Report, SetupError, Sheet, Status, Time,
};

#[derive(Parser)]
#[command(name = "rules", version, about = "行政执法全过程记录检查：按机关规则包检查案件记录")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Check a case and print its checklist (exit 0 allowed, 1 blocked, 2 bad input)
    Check {
        /// The case as JSON
        case: PathBuf,
        /// A pack id or a pack.toml / pack folder (default: the case's `agency`); repeat it
        /// with folders of several versions of one pack to choose by the case's opening date
        #[arg(long)]
        pack: Vec<String>,
        /// Agency config (TOML or JSON)
        #[arg(long)]
        config: Option<PathBuf>,
        /// Refuse the config unless its fingerprint is this (64 hex digits)
        #[arg(long, requires = "config")]
        pin: Option<String>,
        /// The moment to check at (default: now, Beijing time)
        #[arg(long)]
        now: Option<String>,
        /// Output format
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
        /// Also list items that do not apply
        #[arg(long)]
        all: bool,
        /// The case's checklist record (acknowledgments, reasons, media digests, log), read
        /// with the case as the widget reads it; refused when it does not check
        #[arg(long)]
        record: Option<PathBuf>,
    },
    /// Write the printable 全过程记录核查表 of a case as a standalone HTML file
    Report {
        /// The case as JSON
        case: PathBuf,
        /// A pack id or a pack.toml / pack folder (default: the case's `agency`)
        #[arg(long)]
        pack: Option<String>,
        /// Agency config (TOML or JSON)
        #[arg(long)]
        config: Option<PathBuf>,
        /// The fingerprint the config must have (the sheet prints the config's own)
        #[arg(long)]
        fingerprint: Option<String>,
        /// The case's exported log: its head is printed and its chain checked
        #[arg(long)]
        log: Option<PathBuf>,
        /// The moment to check at (default: now, Beijing time)
        #[arg(long)]
        now: Option<String>,
        /// Where to write the HTML (`-` for standard output)
        #[arg(short, long)]
        output: PathBuf,
        /// The officer handling the case (承办人), printed in the header
        #[arg(long)]
        handler: Option<String>,
        /// Also print the items that do not apply (by default they are counted per step)
        #[arg(long)]
        all: bool,
    },
    /// Check many cases (a directory of *.json, or a JSON-lines file) and sum up per rule and per case
    /// (exit 0 all allowed, 1 some blocked, 2 some unreadable)
    Audit {
        /// A directory of case files, or a JSON-lines file with one case per line
        path: PathBuf,
        /// Check every case with this pack id or path (default: each case's `agency`)
        #[arg(long)]
        pack: Option<String>,
        /// Agency config (TOML or JSON), with --pack
        #[arg(long, requires = "pack")]
        config: Option<PathBuf>,
        /// The moment to check at (default: now, Beijing time)
        #[arg(long)]
        now: Option<String>,
        /// Write the per-case table as CSV
        #[arg(long)]
        csv: Option<PathBuf>,
        /// Write the per-rule table as CSV
        #[arg(long)]
        rules_csv: Option<PathBuf>,
        /// Threads, at least 1 (default: every core); no more are started than there are
        /// batches of 64 cases
        #[arg(long, value_parser = audit::parse_jobs)]
        jobs: Option<usize>,
        /// Print only the summary line and the per-rule table
        #[arg(long)]
        quiet: bool,
    },
    /// Validate a pack (id, folder or pack.toml)
    Validate {
        /// Pack id or path (all built-in packs when omitted)
        pack: Option<String>,
    },
    /// Show a rule: its article, quote, strength and what satisfies it
    Explain {
        /// Rule id
        rule: String,
        /// Pack id or path (searches every built-in pack when omitted)
        #[arg(long)]
        pack: Option<String>,
        /// Only the version in force on this day (YYYY-MM-DD), as for a case opened then;
        /// default: every version that has the rule, each named
        #[arg(long)]
        on: Option<String>,
    },
    /// Print the JSON Schema of the case contract (or of the agency config, the report, the case
    /// log, a pack's pack.toml)
    Schema {
        /// Which document
        #[arg(value_enum, default_value_t = SchemaKind::Case)]
        kind: SchemaKind,
    },
    /// Agency configs: validate, fingerprint, compare
    #[command(subcommand)]
    Config(ConfigCommand),
    /// Work with an exported case log
    Log {
        #[command(subcommand)]
        command: LogCommand,
    },
    /// Work with a case's checklist record (the document a platform stores beside the case)
    Record {
        #[command(subcommand)]
        command: RecordCommand,
    },
    /// Print a Markdown table comparing what each agency requires per activity and service method
    Compare,
    /// Run scenario files (the format of tests/scenarios/) and name each failing case
    /// (exit 0 all pass, 1 some fail, 2 unreadable)
    Test {
        /// Scenario files or folders (searched for *.toml); default `tests/scenarios` and
        /// `tests/cross-pack`. A file's pack is its `pack`, else its folder's name; a file of
        /// `[[case]]` runs each case against every pack
        paths: Vec<PathBuf>,
        /// Test these packs (id, pack folder, or a folder of packs; repeatable) instead of the
        /// built-in ones
        #[arg(long)]
        pack: Vec<String>,
        /// Print every scenario, passing ones too
        #[arg(short, long)]
        verbose: bool,
    },
    /// List every article of each pack as encoded, excluded or unreviewed
    Coverage {
        /// Pack id or path (all built-in packs when omitted)
        #[arg(long)]
        pack: Option<String>,
        /// Output format
        #[arg(long, value_enum, default_value_t = CoverageFormat::Text)]
        format: CoverageFormat,
        /// Each duty clause instead of each article: encoded (rules), excluded (reason) or
        /// uncovered; `--format markdown` writes the page committed in docs/coverage/
        #[arg(long)]
        clauses: bool,
    },
}

#[derive(Subcommand)]
enum ConfigCommand {
    /// Check a config against its pack (exit 0 valid, 2 invalid) and print its fingerprint
    Check {
        /// The config (TOML or JSON)
        config: PathBuf,
        /// A pack id or path (default: the config's `pack`)
        #[arg(long)]
        pack: Option<String>,
    },
    /// Print the config's fingerprint (SHA-256 of its canonical form)
    Fingerprint {
        /// The config (TOML or JSON)
        config: PathBuf,
    },
    /// Print the config's canonical form (what the fingerprint hashes)
    Canonical {
        /// The config (TOML or JSON)
        config: PathBuf,
    },
    /// List overrides added, removed and changed from OLD to NEW
    Diff {
        /// The old config
        old: PathBuf,
        /// The new config
        new: PathBuf,
    },
}

#[derive(Clone, Copy, ValueEnum)]
enum SchemaKind {
    Case,
    Config,
    Report,
    Log,
    /// A rule pack's pack.toml
    Pack,
    /// The checklist record
    Record,
}

#[derive(Subcommand)]
enum RecordCommand {
    /// Read and check a record, and list what it holds (exit 0 accepted, 1 refused: its log does
    /// not verify or it lists what its log lacks, 2 unreadable or of another version or case)
    Check {
        /// The record (JSON)
        file: PathBuf,
        /// The case it must belong to (JSON), or a case number
        #[arg(long)]
        case: Option<String>,
    },
    /// Join two copies of a record that grew apart, losing nothing (a merge entry names both
    /// log heads); conflicting acknowledgments keep the later one and are listed
    Merge {
        /// This side's copy
        ours: PathBuf,
        /// The other copy
        theirs: PathBuf,
        /// The time of the merge entry (default: now, Beijing time)
        #[arg(long)]
        at: Option<String>,
        /// Where to write the joined record (`-` for standard output)
        #[arg(short, long)]
        output: PathBuf,
    },
}

#[derive(Subcommand)]
enum LogCommand {
    /// Re-walk the hash chain of an exported log (exit 0 intact, 1 tampered, 2 unreadable)
    Verify {
        /// The log as exported by the checklist, or a checklist record holding one (JSON)
        file: PathBuf,
        /// A head hash kept elsewhere (e.g. printed on the 核查表) that the log must reach
        #[arg(long, requires = "count")]
        head: Option<String>,
        /// The entry count printed beside that head
        #[arg(long, requires = "head")]
        count: Option<u32>,
        /// Also list every entry
        #[arg(long)]
        list: bool,
    },
}

#[derive(Clone, Copy, ValueEnum)]
enum Format {
    Text,
    Json,
}

#[derive(Clone, Copy, ValueEnum)]
enum CoverageFormat {
    Text,
    Tsv,
    /// Only with --clauses: the page for lawyers
    Markdown,
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        // Help and version go through `out` like any output: clap would drop a write error.
        Err(e) if matches!(e.kind(), clap::error::ErrorKind::DisplayHelp | clap::error::ErrorKind::DisplayVersion) => {
            let text = if std::io::stdout().is_terminal() { e.render().ansi().to_string() } else { e.to_string() };
            return match out::raw(&text) {
                Ok(()) => ExitCode::SUCCESS,
                Err(e) => {
                    note!("error: {e}");
                    ExitCode::from(2)
                }
            };
        }
        Err(e) => e.exit(),
    };
    match run(cli) {
        Ok(code) => code,
        Err(e) => {
            note!("error: {e}");
            ExitCode::from(2)
        }
    }
}

/// Every version of the pack(s) `spec` names: a pack file or folder, a folder of pack
/// folders, or a built-in pack id (all its versions).
fn load_registry(spec: &str) -> Result<PackRegistry, String> {
    let p = Path::new(spec);
    if p.exists() {
        return PackRegistry::from_path(p).map_err(|e| e.to_string());
    }
    let all = PackRegistry::builtin().map_err(|e| e.to_string())?;
    let mut r = PackRegistry::new();
    for v in all.versions(spec) {
        r.add(v.clone()).map_err(|e| e.to_string())?;
    }
    if r.ids().is_empty() {
        return Err(format!(
            "no built-in pack `{spec}` and no such file or folder (built-in packs: {})",
            builtin_pack_ids().collect::<Vec<_>>().join(", ")
        ));
    }
    Ok(r)
}

fn read_config(p: &Path) -> Result<Config, String> {
    let t = read(p)?;
    if p.extension().is_some_and(|x| x == "json") { Config::from_json(&t) } else { Config::from_toml(&t) }
        .map_err(|e| format!("{}: {e}\n  help: {}", p.display(), e.help()))
}

fn registry_for(specs: &[String]) -> Result<PackRegistry, String> {
    if specs.is_empty() {
        return PackRegistry::builtin().map_err(|e| e.to_string());
    }
    let mut r = PackRegistry::new();
    for s in specs {
        for p in load_registry(s)?.all() {
            r.add(p.clone()).map_err(|e| e.to_string())?;
        }
    }
    Ok(r)
}

fn override_text(o: &rules_core::RuleOverride) -> String {
    let what = if o.disabled {
        "停用".to_owned()
    } else {
        o.severity.map(|s| s.zh().to_owned()).unwrap_or_else(|| "不变".to_owned())
    };
    format!("{what}（{}）", o.reason)
}

/// Every version of the packs `spec` names (all built-in packs when `None`), each pack's
/// versions earliest first.
fn all_packs(spec: Option<&str>) -> Result<PackRegistry, String> {
    match spec {
        Some(s) => load_registry(s),
        None => PackRegistry::builtin().map_err(|e| e.to_string()),
    }
}

/// The packs of `registry` in listing order: by id as first added, versions earliest first.
fn listed(registry: &PackRegistry) -> Vec<&Pack> {
    registry.ids().into_iter().flat_map(|id| registry.versions(id)).collect()
}

/// The pack id when `registry` holds one pack (in one or more versions): the pack a `--pack`
/// applies to every case. With several packs, each case's `agency` chooses.
fn only_id(registry: &PackRegistry) -> Option<String> {
    match registry.ids().as_slice() {
        [one] => Some((*one).to_owned()),
        _ => None,
    }
}

/// How a list names a pack: its id, and its version when the pack has several.
fn name_in_list(registry: &PackRegistry, p: &Pack) -> String {
    if registry.has_versions(p.id()) {
        p.label()
    } else {
        p.id().to_owned()
    }
}

fn beijing_now() -> Result<Time, String> {
    let secs = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_err(|e| e.to_string())?.as_secs();
    let utc = i64::try_from(secs)
        .ok()
        .and_then(|s| chrono::DateTime::from_timestamp(s, 0))
        .ok_or("the system clock is out of range")?;
    Time::parse(&utc.to_rfc3339()).map_err(|e| e.to_string())
}

fn run(cli: Cli) -> Result<ExitCode, String> {
    match cli.command {
        Command::Check { case, pack, config, pin, now, format, all, record } => {
            let case_path = case;
            let text = read(&case_path)?;
            let mut case =
                Case::from_json(&text).map_err(|e| format!("{}: {e}\n  help: {}", case_path.display(), e.help()))?;
            let registry = registry_for(&pack)?;
            let agency = if pack.is_empty() { None } else { only_id(&registry) };
            let config = match config {
                None => Config::default(),
                Some(p) => read_config(&p)?,
            };
            if let Some(pin) = pin {
                config.verify_fingerprint(&pin).map_err(|e| format!("{e}\n  help: {}", e.help()))?;
            }
            let now = match now {
                Some(n) => Time::parse(&n).map_err(|e| e.to_string())?,
                None => beijing_now()?,
            };
            if let Some(p) = &record {
                let r = read_record(p, &case.id)?;
                // The pack the case is checked with decides where media digests are filed.
                let id = config.pack_for(agency.as_deref(), case.agency.as_deref()).map_err(|e| e.to_string())?;
                if let Some(sel) =
                    id.and_then(|id| registry.select(id, config.pack_version.as_deref(), case.opened_on()).ok())
                {
                    let pack = sel.pack.clone();
                    for why in r.apply_to(&mut case, &pack) {
                        note!("{}: 音像文件未能归入清单：{why}", p.display());
                    }
                }
            }
            let report = evaluate_in(&registry, &case, agency.as_deref(), &config, now)
                .map_err(|e| setup_error(&case_path, e))?;
            warn_other_agency(&case, &report.pack.id);
            match format {
                Format::Json => {
                    out::raw(&format!("{}\n", serde_json::to_string_pretty(&report).map_err(|e| e.to_string())?))?
                }
                // Its case and pack strings are made visible before the colours are added.
                Format::Text => out::raw(&text_report(&report, all, std::io::stdout().is_terminal()))?,
            }
            Ok(if report.gate.allowed { ExitCode::SUCCESS } else { ExitCode::from(1) })
        }
        Command::Report { case, pack, config, fingerprint, log, now, output, handler, all } => {
            let Inputs { case, path, registry, agency, config, now } = inputs(&case, pack, config.as_deref(), now)?;
            // The same choice of version as `check`, and the pack chosen for the sheet.
            let selected = rules_core::select_in(&registry, &case, agency.as_deref(), &config)
                .map_err(|e| setup_error(&path, e))?;
            let pack = selected.pack;
            warn_other_agency(&case, pack.id());
            // The sheet carries the config's own fingerprint; a given one is a pin to check.
            if let Some(pin) = &fingerprint {
                config.verify_fingerprint(pin).map_err(|e| format!("{e}\n  help: {}", e.help()))?;
            }
            let fingerprint = Some(config.fingerprint());
            let log = match log {
                None => None,
                Some(p) => {
                    let t = read(&p)?;
                    let log =
                        CaseLog::from_json(&t).map_err(|e| format!("{}: {e}\n  help: {}", p.display(), e.help()))?;
                    if log.case_id != case.id {
                        return Err(format!(
                            "{}: the log is of case `{}`, not `{}`",
                            p.display(),
                            log.case_id,
                            case.id
                        ));
                    }
                    Some(log)
                }
            };
            let report =
                evaluate_in(&registry, &case, agency.as_deref(), &config, now).map_err(|e| setup_error(&path, e))?;
            let broken = log.as_ref().and_then(|l| l.verify().err());
            let html = report_html(&Sheet {
                case: &case,
                pack,
                config: &config,
                config_fingerprint: fingerprint.as_deref(),
                report: &report,
                log: log.as_ref(),
                log_break: broken.as_ref(),
                handler: handler.as_deref(),
                all,
            });
            if output == Path::new("-") {
                out::raw(&html)?;
            } else {
                std::fs::write(&output, html).map_err(|e| format!("cannot write `{}`: {e}", output.display()))?;
                note!("核查表已写入 {}（用浏览器打开并打印为 PDF 归档）", output.display());
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Audit { path, pack, config, now, csv, rules_csv, jobs, quiet } => {
            let started = std::time::Instant::now();
            let packs = match pack {
                Some(spec) => {
                    let registry = load_registry(&spec)?;
                    match (only_id(&registry), config) {
                        (Some(id), config) => {
                            let config = match config {
                                Some(p) => load_config(&p, &registry, &id)?,
                                None => Config::default(),
                            };
                            audit::Packs { registry, fixed: Some((id, config)) }
                        }
                        // A folder of several packs: each case under its own agency's.
                        (None, None) => audit::Packs { registry, fixed: None },
                        (None, Some(_)) => {
                            return Err(format!(
                                "`{spec}` holds several packs ({}): --config applies to one; give that pack's folder",
                                registry.ids().join(", ")
                            ))
                        }
                    }
                }
                None => audit::Packs { registry: PackRegistry::builtin().map_err(|e| e.to_string())?, fixed: None },
            };
            let now = match now {
                Some(n) => Time::parse(&n).map_err(|e| e.to_string())?,
                None => beijing_now()?,
            };
            let inputs = audit::read_inputs(&path)?;
            if inputs.is_empty() {
                return Err(format!("no cases in `{}` (a directory of *.json or a JSON-lines file)", path.display()));
            }
            let jobs = jobs.unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()));
            let (result, jobs) = audit::run(&inputs, &packs, now, jobs)?;
            let mut table = audit::table(&result, started, jobs);
            if quiet {
                if let Some(i) = table.find("\n按案件：") {
                    table.truncate(i + 1);
                }
            }
            out!("{table}");
            for (file, bytes) in [(csv, audit::cases_csv(&result)?), (rules_csv, audit::rules_csv(&result)?)] {
                if let Some(f) = file {
                    std::fs::write(&f, bytes).map_err(|e| format!("cannot write `{}`: {e}", f.display()))?;
                }
            }
            Ok(if result.failed() > 0 {
                ExitCode::from(2)
            } else if result.allowed() < result.checked() {
                ExitCode::from(1)
            } else {
                ExitCode::SUCCESS
            })
        }
        Command::Validate { pack } => {
            let packs = all_packs(pack.as_deref())?;
            for p in listed(&packs) {
                outln!(
                    "{}  {}  {} 条规则  {} 条文",
                    name_in_list(&packs, p),
                    p.def.agency,
                    p.def.rules.len(),
                    p.source.articles.len()
                );
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Explain { rule, pack, on } => {
            let packs = all_packs(pack.as_deref())?;
            let on = match on {
                Some(d) => Some(rules_core::Time::parse(&d).map_err(|e| format!("--on: {e}"))?.date()),
                None => None,
            };
            let mut shown = 0;
            for id in packs.ids() {
                // Every version that has the rule, each named; with --on, the one in force that
                // day, chosen as for a case opened then.
                let versions: Vec<&Pack> = match on {
                    Some(day) => vec![packs.select(id, None, Some(day)).map_err(|e| e.to_string())?.pack],
                    None => packs.versions(id),
                };
                for p in versions {
                    if let Some(r) = p.rule(&rule) {
                        if shown > 0 {
                            outln!("");
                        }
                        shown += 1;
                        let version = if packs.has_versions(id) || on.is_some() {
                            format!("，{}", p.label())
                        } else {
                            String::new()
                        };
                        outln!("{}（{}{version}）", r.id, p.def.agency);
                        outln!("  {}", r.title);
                        outln!("  依据：{} “{}”", r.article, r.quote);
                        outln!("  强度：{}    提交时：{}", r.strength.zh(), r.severity().zh());
                        outln!(
                            "  程序：{}    环节：{}",
                            r.procedures.join("、"),
                            p.step_name(&r.step).unwrap_or(&r.step)
                        );
                        outln!("  范围：{}", toml_line(&r.scope));
                        if let Some(w) = &r.when {
                            outln!("  适用条件：{}", toml_line(w));
                        }
                        outln!("  满足条件：{}", toml_line(&r.check));
                        if let Check::Deadline(d) = &r.check {
                            outln!("  期限计算：{}", d.basis);
                        }
                        if let Some(n) = &r.note {
                            outln!("  说明：{n}");
                        }
                    }
                }
            }
            if shown > 0 {
                Ok(ExitCode::SUCCESS)
            } else {
                Err(format!("no rule `{rule}`"))
            }
        }
        Command::Schema { kind } => {
            let schema = match kind {
                SchemaKind::Case => rules_core::case_schema(),
                SchemaKind::Config => rules_core::config_schema(),
                SchemaKind::Report => rules_core::report_schema(),
                SchemaKind::Log => rules_core::log_schema(),
                SchemaKind::Pack => rules_core::pack_schema(),
                SchemaKind::Record => rules_core::record_schema(),
            };
            out::raw(&format!("{}\n", serde_json::to_string_pretty(&schema).map_err(|e| e.to_string())?))?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Config(ConfigCommand::Check { config, pack }) => {
            let c = read_config(&config)?;
            let spec = pack.or_else(|| c.pack.clone()).ok_or("the config names no `pack`; pass --pack")?;
            let registry = registry_for(std::slice::from_ref(&spec))?;
            let id = c.pack.clone().or_else(|| only_id(&registry)).ok_or_else(|| {
                format!(
                    "`{spec}` holds several packs ({}): name one with `pack` in the config",
                    registry.ids().join(", ")
                )
            })?;
            // Against every version it may be applied to: a case opened under the old version
            // is still checked with it.
            load_config(&config, &registry, &id)?;
            outln!("{}  {} 项调整  {}", config.display(), c.overrides().count(), c.fingerprint());
            Ok(ExitCode::SUCCESS)
        }
        Command::Config(ConfigCommand::Fingerprint { config }) => {
            outln!("{}", read_config(&config)?.fingerprint());
            Ok(ExitCode::SUCCESS)
        }
        Command::Config(ConfigCommand::Canonical { config }) => {
            out::raw(&format!("{}\n", read_config(&config)?.canonical_json()))?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Config(ConfigCommand::Diff { old, new }) => {
            let d = diff_configs(&read_config(&old)?, &read_config(&new)?);
            for c in &d.added {
                outln!("+ {} {}  {}", c.scope, c.rule, c.after.as_ref().map(override_text).unwrap_or_default());
            }
            for c in &d.removed {
                outln!("- {} {}  {}", c.scope, c.rule, c.before.as_ref().map(override_text).unwrap_or_default());
            }
            for c in &d.changed {
                outln!(
                    "~ {} {}  {} → {}",
                    c.scope,
                    c.rule,
                    c.before.as_ref().map(override_text).unwrap_or_default(),
                    c.after.as_ref().map(override_text).unwrap_or_default()
                );
            }
            for s in &d.settings {
                outln!("~ {s}");
            }
            Ok(if d.is_empty() { ExitCode::SUCCESS } else { ExitCode::from(1) })
        }
        Command::Record { command: RecordCommand::Check { file, case } } => {
            let text = read(&file)?;
            let record =
                ChecklistRecord::parse(&text).map_err(|e| format!("{}: {e}\n  help: {}", file.display(), e.help()))?;
            if let Some(c) = case {
                let id = if Path::new(&c).is_file() {
                    Case::from_json(&read(Path::new(&c))?).map_err(|e| format!("{c}: {e}"))?.id
                } else {
                    c
                };
                if record.case_id != id {
                    let e = rules_core::RecordError::OtherCase { expected: id, found: record.case_id.clone() };
                    return Err(format!("{}: {e}\n  help: {}", file.display(), e.help()));
                }
            }
            outln!("{}", record::summary(&record));
            match record.check() {
                Ok(h) => {
                    outln!("记录校验通过：案件 {}，日志 {} 条，日志头哈希 {}", record.case_id, h.count, h.hash);
                    outln!("说明：日志为无密钥的 SHA-256 哈希链，能发现意外损坏和未重新计算哈希的修改；持有文件的人仍可改写并重新计算整条链。");
                    Ok(ExitCode::SUCCESS)
                }
                Err(e) => {
                    outln!("记录未通过校验：{}", e.zh());
                    note!("error: {}: {e}\n  help: {}", file.display(), e.help());
                    Ok(ExitCode::from(1))
                }
            }
        }
        Command::Record { command: RecordCommand::Merge { ours, theirs, at, output } } => {
            let a = read_record_any(&ours)?;
            let b = read_record_any(&theirs)?;
            let at = match at {
                Some(n) => Time::parse(&n).map_err(|e| e.to_string())?,
                None => beijing_now()?,
            };
            let merged = a.merge(&b, at).map_err(|e| format!("{e}\n  help: {}", e.help()))?;
            for c in &merged.conflicts {
                note!(
                    "事项 {} 两处确认不一致：保留较晚的一条（{} {}：{}），另一条（{} {}：{}）保留在日志中",
                    c.kept.item,
                    c.kept.by.as_deref().unwrap_or("执法人员"),
                    c.kept.at,
                    c.kept.note.as_deref().unwrap_or(""),
                    c.other.by.as_deref().unwrap_or("执法人员"),
                    c.other.at,
                    c.other.note.as_deref().unwrap_or("")
                );
            }
            let json = merged.record.to_json() + "\n";
            if output == Path::new("-") {
                out::raw(&json)?;
            } else {
                std::fs::write(&output, json).map_err(|e| format!("cannot write `{}`: {e}", output.display()))?;
                note!(
                    "合并后的记录已写入 {}：日志 {} 条，日志头哈希 {}",
                    output.display(),
                    merged.record.log.head.count,
                    merged.record.log.head.hash
                );
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Log { command: LogCommand::Verify { file, head, count, list } } => {
            let text = read(&file)?;
            // A checklist record holds the log: it is verified the same way, and what the
            // record lists is then checked against it.
            let record = if is_record(&text) {
                Some(
                    ChecklistRecord::parse(&text)
                        .map_err(|e| format!("{}: {e}\n  help: {}", file.display(), e.help()))?,
                )
            } else {
                None
            };
            let log = match &record {
                Some(r) => CaseLog {
                    format: rules_core::LOG_FORMAT.to_owned(),
                    case_id: r.case_id.clone(),
                    head: r.log.head.clone(),
                    entries: r.log.entries.clone(),
                },
                None => {
                    CaseLog::from_json(&text).map_err(|e| format!("{}: {e}\n  help: {}", file.display(), e.help()))?
                }
            };
            if list {
                for e in &log.entries {
                    outln!("{:>4}  {}  {}  {}", e.seq, e.at, &e.hash.get(..12).unwrap_or_default(), e.event.zh());
                }
            }
            let known = head.zip(count).map(|(hash, count)| LogHead { count, hash });
            let result = match &known {
                Some(k) => log.verify_against(k),
                None => log.verify(),
            };
            // The chain passed; a record must also list only what its log holds.
            let unlisted = match (&result, &record) {
                (Ok(_), Some(r)) => r.check().err(),
                _ => None,
            };
            if let Some(e) = unlisted {
                outln!("记录未通过校验：{}", e.zh());
                note!("error: {}: {e}", file.display());
                return Ok(ExitCode::from(1));
            }
            match result {
                Ok(h) => {
                    let merges =
                        log.entries.iter().filter(|e| matches!(e.event, rules_core::LogEvent::Merged(_))).count();
                    outln!("哈希链校验通过：案件 {}，共 {} 条，日志头哈希 {}", log.case_id, h.count, h.hash);
                    if merges > 0 {
                        outln!("其中 {merges} 条合并记录：各分支的每一条都经校验，并由合并记录连到日志头。");
                    }
                    // What a keyless chain cannot show is said every time: a pass is not proof
                    // that nobody rewrote the log.
                    match &known {
                        Some(k) => outln!(
                            "与给定的日志头一致：前 {} 条与记下该日志头时相同（未被截短或改写），前提是该日志头保存在改写者无法修改之处。",
                            k.count
                        ),
                        None => outln!(
                            "未对照另行保存的日志头：只核对了文件自带的日志头，截短后改写文件头、或整条链被重新计算，都无法由此发现。"
                        ),
                    }
                    outln!(
                        "说明：这是无密钥的 SHA-256 哈希链，能发现意外损坏和未重新计算哈希的修改，并能对照另行保存的日志头（如核查表上打印的，--head/--count）发现截短；\
                         它不能证明日志未被改写：持有文件的人可以修改记录并重新计算整条链，校验照样通过。"
                    );
                    Ok(ExitCode::SUCCESS)
                }
                Err(b) => {
                    outln!(
                        "日志未通过校验：案件 {}，第 {} 条（seq {}）{}",
                        log.case_id,
                        b.index + 1,
                        b.seq,
                        b.reason.zh()
                    );
                    note!("error: {}: {b}", file.display());
                    Ok(ExitCode::from(1))
                }
            }
        }
        Command::Test { paths, pack, verbose } => run_tests(paths, &pack, verbose),
        Command::Compare => {
            let packs = all_packs(None)?;
            let listed: Vec<Pack> = listed(&packs).into_iter().cloned().collect();
            out!("{}", rules_core::compare_markdown(&listed));
            Ok(ExitCode::SUCCESS)
        }
        Command::Coverage { pack, format, clauses: true } => {
            let mut uncovered = 0;
            let packs = all_packs(pack.as_deref())?;
            for p in listed(&packs) {
                let rows = rules_core::clauses(p);
                uncovered += rules_core::clause_counts(&rows).3;
                match format {
                    CoverageFormat::Markdown => out!("{}", rules_core::clauses_markdown(p)),
                    CoverageFormat::Tsv => {
                        for r in &rows {
                            outln!("{}", r.tsv());
                        }
                    }
                    CoverageFormat::Text => {
                        for r in &rows {
                            outln!("{}", r.tsv().split('\t').collect::<Vec<_>>().join("  "));
                        }
                        let (all, encoded, excluded, left) = rules_core::clause_counts(&rows);
                        outln!("{}：义务句 {all}，已编码 {encoded}，说明理由不编码 {excluded}，未覆盖 {left}", p.id());
                    }
                }
            }
            Ok(if uncovered == 0 { ExitCode::SUCCESS } else { ExitCode::from(1) })
        }
        Command::Coverage { pack, format, clauses: false } => {
            let mut unreviewed = 0;
            let packs = all_packs(pack.as_deref())?;
            for p in listed(&packs) {
                for mut row in coverage(p) {
                    // The first column names the version when the pack has several.
                    row.pack = name_in_list(&packs, p);
                    if row.coverage == rules_core::Coverage::Unreviewed {
                        unreviewed += 1;
                    }
                    match format {
                        CoverageFormat::Tsv => outln!("{}", row.tsv()),
                        CoverageFormat::Text | CoverageFormat::Markdown => {
                            let t = row.tsv();
                            let cols: Vec<&str> = t.split('\t').collect();
                            outln!("{}", cols.join("  "));
                        }
                    }
                }
            }
            Ok(if unreviewed == 0 { ExitCode::SUCCESS } else { ExitCode::from(1) })
        }
    }
}

/// `rules test`: every scenario of every file, failures named with expected and actual.
/// Prints each failing outcome (each passing one too when `verbose`); returns (passed, failed).
fn report_outcomes(
    file: &std::path::Path,
    outcomes: Vec<rules_core::scenario::Outcome>,
    verbose: bool,
) -> Result<(usize, usize), String> {
    let (mut passed, mut failed) = (0, 0);
    for o in outcomes {
        match o.result {
            Ok(_) => {
                passed += 1;
                if verbose {
                    outln!("通过  {} :: {}", file.display(), out::visible(&o.name));
                }
            }
            Err(errs) => {
                failed += 1;
                outln!("失败  {} :: {}", file.display(), out::visible(&o.name));
                for e in errs {
                    outln!("      {}", out::visible(&e));
                }
            }
        }
    }
    Ok((passed, failed))
}

fn run_tests(paths: Vec<PathBuf>, packs: &[String], verbose: bool) -> Result<ExitCode, String> {
    let registry = registry_for(packs)?;
    let paths = if paths.is_empty() {
        ["tests/scenarios", "tests/cross-pack"].iter().map(PathBuf::from).filter(|p| p.exists()).collect()
    } else {
        paths
    };
    let mut files = Vec::new();
    for p in &paths {
        files.extend(rules_core::scenario::files(p).map_err(|e| format!("{e} (give scenario files or folders)"))?);
    }
    if files.is_empty() {
        return Err(format!(
            "no scenario files (*.toml) in {}",
            paths.iter().map(|p| p.display().to_string()).collect::<Vec<_>>().join(", ")
        ));
    }
    let (mut passed, mut failed, mut unreadable) = (0usize, 0usize, 0usize);
    for file in &files {
        if std::fs::read_to_string(file).is_ok_and(|t| rules_core::scenario::is_cross_pack(&t)) {
            match rules_core::scenario::read_cross(file) {
                Ok(cross) => {
                    let outcomes = rules_core::scenario::run_cross(&registry, &cross);
                    let (p, f) = report_outcomes(file, outcomes, verbose)?;
                    passed += p;
                    failed += f;
                }
                Err(e) => {
                    unreadable += 1;
                    outln!("无法读取  {e}");
                }
            }
            continue;
        }
        let loaded = match rules_core::scenario::read_file(file) {
            Ok(l) => l,
            Err(e) => {
                unreadable += 1;
                outln!("无法读取  {e}");
                continue;
            }
        };
        if registry.versions(&loaded.pack).is_empty() {
            unreadable += 1;
            outln!(
                "无法运行  {}: no pack `{}` (packs: {}; name one with `pack = \"<id>\"` in the file or its folder, or pass --pack)",
                file.display(),
                loaded.pack,
                registry.ids().join(", ")
            );
            continue;
        }
        let (p, f) = report_outcomes(file, rules_core::scenario::run_file(&registry, &loaded), verbose)?;
        passed += p;
        failed += f;
    }
    outln!(
        "\n{} 个文件，{} 个场景：{passed} 通过，{failed} 失败{}",
        files.len(),
        passed + failed,
        if unreadable > 0 { format!("，{unreadable} 个文件无法运行") } else { String::new() }
    );
    Ok(if unreadable > 0 {
        ExitCode::from(2)
    } else if failed > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

/// On standard error, beside the report's own note: a case checked with another agency's pack
/// is easily a wrong `--pack` left in a script.
fn warn_other_agency(case: &Case, pack: &str) {
    if let Some(own) = case.agency.as_deref().filter(|a| *a != pack) {
        note!("warning: 案件所属机关为 `{}`，却按规则包 `{}` 检查", out::visible(own), out::visible(pack));
    }
}

/// Whether `text` is a checklist record (its `format` says so) rather than an exported log.
fn is_record(text: &str) -> bool {
    #[derive(serde::Deserialize)]
    struct Probe {
        #[serde(default)]
        format: Option<String>,
    }
    serde_json::from_str::<Probe>(text.trim_start_matches('\u{feff}'))
        .ok()
        .and_then(|p| p.format)
        .is_some_and(|f| f.starts_with("law-record-checklist/"))
}

/// Reads a checklist record of case `case_id`, refused (with the place named) unless it checks.
fn read_record(p: &Path, case_id: &str) -> Result<ChecklistRecord, String> {
    ChecklistRecord::from_json_for(&read(p)?, case_id)
        .map_err(|e| format!("{}: {e}\n  help: {}", p.display(), e.help()))
}

/// Reads a checklist record of any case, refused unless it checks.
fn read_record_any(p: &Path) -> Result<ChecklistRecord, String> {
    ChecklistRecord::from_json(&read(p)?).map_err(|e| format!("{}: {e}\n  help: {}", p.display(), e.help()))
}

/// A file as text, or why not: a file that is not UTF-8 names the first byte that is not.
fn read(p: &Path) -> Result<String, String> {
    let bytes = std::fs::read(p).map_err(|e| format!("cannot read `{}`: {e}", p.display()))?;
    rules_core::utf8_text(bytes).map_err(|e| format!("cannot read `{}`: {e}", p.display()))
}

/// A case with the packs, configuration and moment it is checked with.
struct Inputs {
    case: Case,
    path: PathBuf,
    registry: PackRegistry,
    /// The pack id given with `--pack` (else the case's `agency` decides).
    agency: Option<String>,
    config: Config,
    now: Time,
}

fn inputs(case: &Path, pack: Option<String>, config: Option<&Path>, now: Option<String>) -> Result<Inputs, String> {
    let text = read(case)?;
    let case_path = case;
    let case = Case::from_json(&text).map_err(|e| format!("{}: {e}\n  help: {}", case_path.display(), e.help()))?;
    let spec = pack.clone().or_else(|| case.agency.clone()).ok_or("the case names no `agency`; pass --pack")?;
    let registry = load_registry(&spec)?;
    let agency = if pack.is_some() { only_id(&registry) } else { None };
    let config = match config {
        None => Config::default(),
        Some(p) => read_config(p)?,
    };
    let now = match now {
        Some(n) => Time::parse(&n).map_err(|e| e.to_string())?,
        None => beijing_now()?,
    };
    Ok(Inputs { case, path: case_path.to_path_buf(), registry, agency, config, now })
}

/// A setup error (no pack, a config that does not fit the version chosen, a procedure the pack
/// lacks) as the CLI prints it, with a hint.
fn setup_error(case_path: &Path, e: SetupError) -> String {
    match e {
        SetupError::Config(c) => format!("{c}\n  help: {}", c.help()),
        SetupError::Pack(p) => format!("{p} (built-in packs: {})", builtin_pack_ids().collect::<Vec<_>>().join(", ")),
        other @ SetupError::UnknownProcedure { .. } => format!("{}: {other}", case_path.display()),
        other => other.to_string(),
    }
}

/// Reads a config and checks it against every version of pack `id` it may be applied to (the
/// one it fixes with `pack_version`, else each): a config that does not fit a version says
/// which, before any case is checked.
fn load_config(p: &Path, registry: &PackRegistry, id: &str) -> Result<Config, String> {
    let c = read_config(p)?;
    let versions: Vec<&Pack> = match &c.pack_version {
        Some(v) => vec![registry.select(id, Some(v), None).map_err(|e| format!("{}: {e}", p.display()))?.pack],
        None => registry.versions(id),
    };
    for pack in versions {
        c.check(pack).map_err(|e| format!("{}: {e}\n  help: {}", p.display(), e.help()))?;
    }
    Ok(c)
}

fn toml_line<T: serde::Serialize>(v: &T) -> String {
    serde_json::to_string(v).unwrap_or_default()
}

struct Paint(bool);

impl Paint {
    fn c(&self, code: &str, s: &str) -> String {
        if self.0 {
            format!("\x1b[{code}m{s}\x1b[0m")
        } else {
            s.to_owned()
        }
    }
}

fn status_colour(s: Status) -> &'static str {
    match s {
        Status::Satisfied => "32",
        Status::Acknowledged => "35",
        Status::Missing | Status::Incomplete | Status::Overdue | Status::OutOfOrder => "31",
        Status::DueBy => "33",
        Status::NotApplicable | Status::Waived => "90",
    }
}

fn text_report(r: &Report, all: bool, colour: bool) -> String {
    use std::fmt::Write;
    let p = Paint(colour);
    let v = out::visible;
    let mut out = String::new();
    let _ = writeln!(
        out,
        "案件 {}  ·  {}（规则包 {} {}）  ·  检查时间 {}",
        v(&r.case_id),
        v(&r.pack.agency),
        v(&r.pack.id),
        v(&r.pack.version),
        r.now
    );
    if let Some(d) = &r.pack.digest {
        let _ = writeln!(out, "规则包摘要 {d}（非内置规则包，规则或条文与同名内置版本不同）");
    }
    let _ = writeln!(out, "本机关配置指纹 {}（{} 项调整）", r.config.fingerprint, r.config.overrides);
    for step in &r.steps {
        let shown: Vec<_> = step.items().filter(|i| all || i.status != Status::NotApplicable).collect();
        if shown.is_empty() {
            continue;
        }
        let done = shown.iter().filter(|i| matches!(i.status, Status::Satisfied | Status::Acknowledged)).count();
        let _ = writeln!(out, "\n{}  {}/{}", p.c("1", &format!("【{}】", v(&step.name))), done, shown.len());
        for i in shown {
            let status = p.c(status_colour(i.status), &format!("{:<4}", i.status.zh()));
            let target = if i.target() == "case" { String::new() } else { format!(" [{}]", v(i.target())) };
            let rule = r.rule_of(i);
            let (title, article, quote) =
                rule.map_or(("", "", ""), |x| (&*x.title, &*x.citation.article, &*x.citation.quote));
            let title = v(title);
            let _ = writeln!(out, "  {status} {title}{target}  （{}·{}）", i.strength.zh(), i.severity.zh());
            if i.status != Status::Satisfied {
                let _ = writeln!(out, "       {}", v(i.detail()));
            }
            if let Some(reason) = &i.waived_by_config {
                let said = if i.status == Status::Waived {
                    "本机关配置停用"
                } else {
                    "本机关配置：未满足时不阻止提交"
                };
                let _ = writeln!(out, "       {}", p.c("35", &format!("{said}：{}", v(reason))));
            }
            if !i.satisfied_by().is_empty() && i.status == Status::Satisfied {
                let _ = writeln!(out, "       对应记录：{}", v(&i.satisfied_by().join("、")));
            }
            let _ = writeln!(out, "       {}", p.c("90", &format!("{} “{}”  ({})", v(article), v(quote), v(i.key()))));
        }
    }
    for n in &r.notes {
        let _ = writeln!(out, "\n注意：{}", v(n));
    }
    let gate = if r.gate.allowed {
        p.c("32;1", &format!("可以提交（警告 {} 项）", r.gate.warnings.len()))
    } else {
        p.c("31;1", &format!("不能提交：{} 项必须事项未满足", r.gate.blocking.len()))
    };
    let _ = writeln!(out, "\n{gate}");
    out
}
