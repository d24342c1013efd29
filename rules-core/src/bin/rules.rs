//! `rules`: check cases against agency packs from the command line.
//!
//! Exit codes: 0 = submission allowed / pack valid, 1 = blocked, 2 = bad input.
use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};
use rules_core::{
    builtin_pack_ids, builtin_packs, coverage, diff_configs, evaluate_in, Case, Check, Config, Pack, PackRegistry,
    Report, SetupError, Status, Time,
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
    },
    /// Print the JSON Schema of the case contract (or of the agency config, or the report)
    Schema {
        /// Which document
        #[arg(value_enum, default_value_t = SchemaKind::Case)]
        kind: SchemaKind,
    },
    /// Agency configs: validate, fingerprint, compare
    #[command(subcommand)]
    Config(ConfigCommand),
    /// Print a Markdown table comparing what each agency requires per activity and service method
    Compare,
    /// List every article of each pack as encoded, excluded or unreviewed
    Coverage {
        /// Pack id or path (all built-in packs when omitted)
        #[arg(long)]
        pack: Option<String>,
        /// Output format
        #[arg(long, value_enum, default_value_t = CoverageFormat::Text)]
        format: CoverageFormat,
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
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::from(2)
        }
    }
}

fn load_pack(spec: &str) -> Result<Pack, String> {
    let p = Path::new(spec);
    if p.exists() {
        Pack::from_path(p).map_err(|e| e.to_string())
    } else {
        Pack::builtin(spec)
            .map_err(|e| format!("{e} (built-in packs: {})", builtin_pack_ids().collect::<Vec<_>>().join(", ")))
    }
}

fn read_config(p: &Path) -> Result<Config, String> {
    let t = std::fs::read_to_string(p).map_err(|e| format!("cannot read `{}`: {e}", p.display()))?;
    if p.extension().is_some_and(|x| x == "json") { Config::from_json(&t) } else { Config::from_toml(&t) }
        .map_err(|e| format!("{}: {e}\n  help: {}", p.display(), e.help()))
}

fn registry_for(specs: &[String]) -> Result<PackRegistry, String> {
    if specs.is_empty() {
        return PackRegistry::builtin().map_err(|e| e.to_string());
    }
    let mut r = PackRegistry::new();
    for s in specs {
        r.add(load_pack(s)?).map_err(|e| e.to_string())?;
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

fn all_packs(spec: Option<&str>) -> Result<Vec<Pack>, String> {
    match spec {
        Some(s) => Ok(vec![load_pack(s)?]),
        None => builtin_packs().into_iter().map(|p| p.map_err(|e| e.to_string())).collect(),
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
        Command::Check { case, pack, config, pin, now, format, all } => {
            let text = std::fs::read_to_string(&case).map_err(|e| format!("cannot read `{}`: {e}", case.display()))?;
            let case = Case::from_json(&text).map_err(|e| format!("{}: {e}\n  help: {}", case.display(), e.help()))?;
            let registry = registry_for(&pack)?;
            let agency = registry.ids().first().filter(|_| !pack.is_empty()).map(|s| s.to_string());
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
            let report = evaluate_in(&registry, &case, agency.as_deref(), &config, now).map_err(|e| match e {
                SetupError::Config(c) => format!("{c}\n  help: {}", c.help()),
                SetupError::Pack(p) => {
                    format!("{p} (built-in packs: {})", builtin_pack_ids().collect::<Vec<_>>().join(", "))
                }
                other => other.to_string(),
            })?;
            match format {
                Format::Json => println!("{}", serde_json::to_string_pretty(&report).map_err(|e| e.to_string())?),
                Format::Text => print!("{}", text_report(&report, all, std::io::stdout().is_terminal())),
            }
            Ok(if report.gate.allowed { ExitCode::SUCCESS } else { ExitCode::from(1) })
        }
        Command::Validate { pack } => {
            let packs = all_packs(pack.as_deref())?;
            for p in packs {
                println!(
                    "{}  {}  {} 条规则  {} 条文",
                    p.id(),
                    p.def.agency,
                    p.def.rules.len(),
                    p.source.articles.len()
                );
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Explain { rule, pack } => {
            for p in all_packs(pack.as_deref())? {
                if let Some(r) = p.rule(&rule) {
                    println!("{}（{}）", r.id, p.def.agency);
                    println!("  {}", r.title);
                    println!("  依据：{} “{}”", r.article, r.quote);
                    println!("  强度：{}    提交时：{}", r.strength.zh(), r.severity().zh());
                    println!(
                        "  程序：{}    环节：{}",
                        r.procedures.join("、"),
                        p.step_name(&r.step).unwrap_or(&r.step)
                    );
                    println!("  范围：{}", toml_line(&r.scope));
                    if let Some(w) = &r.when {
                        println!("  适用条件：{}", toml_line(w));
                    }
                    println!("  满足条件：{}", toml_line(&r.check));
                    if let Check::Deadline(d) = &r.check {
                        println!("  期限计算：{}", d.basis);
                    }
                    if let Some(n) = &r.note {
                        println!("  说明：{n}");
                    }
                    return Ok(ExitCode::SUCCESS);
                }
            }
            Err(format!("no rule `{rule}`"))
        }
        Command::Schema { kind } => {
            let schema = match kind {
                SchemaKind::Case => rules_core::case_schema(),
                SchemaKind::Config => rules_core::config_schema(),
                SchemaKind::Report => rules_core::report_schema(),
            };
            println!("{}", serde_json::to_string_pretty(&schema).map_err(|e| e.to_string())?);
            Ok(ExitCode::SUCCESS)
        }
        Command::Config(ConfigCommand::Check { config, pack }) => {
            let c = read_config(&config)?;
            let spec = pack.or_else(|| c.pack.clone()).ok_or("the config names no `pack`; pass --pack")?;
            let registry = registry_for(std::slice::from_ref(&spec))?;
            let id = registry.ids().first().map(|s| s.to_string()).unwrap_or(spec);
            let selected = registry.select(&id, c.pack_version.as_deref(), None).map_err(|e| e.to_string())?;
            c.check(selected.pack).map_err(|e| format!("{}: {e}\n  help: {}", config.display(), e.help()))?;
            println!("{}  {} 项调整  {}", config.display(), c.overrides().count(), c.fingerprint());
            Ok(ExitCode::SUCCESS)
        }
        Command::Config(ConfigCommand::Fingerprint { config }) => {
            println!("{}", read_config(&config)?.fingerprint());
            Ok(ExitCode::SUCCESS)
        }
        Command::Config(ConfigCommand::Canonical { config }) => {
            println!("{}", read_config(&config)?.canonical_json());
            Ok(ExitCode::SUCCESS)
        }
        Command::Config(ConfigCommand::Diff { old, new }) => {
            let d = diff_configs(&read_config(&old)?, &read_config(&new)?);
            for c in &d.added {
                println!("+ {} {}  {}", c.scope, c.rule, c.after.as_ref().map(override_text).unwrap_or_default());
            }
            for c in &d.removed {
                println!("- {} {}  {}", c.scope, c.rule, c.before.as_ref().map(override_text).unwrap_or_default());
            }
            for c in &d.changed {
                println!(
                    "~ {} {}  {} → {}",
                    c.scope,
                    c.rule,
                    c.before.as_ref().map(override_text).unwrap_or_default(),
                    c.after.as_ref().map(override_text).unwrap_or_default()
                );
            }
            for s in &d.settings {
                println!("~ {s}");
            }
            Ok(if d.is_empty() { ExitCode::SUCCESS } else { ExitCode::from(1) })
        }
        Command::Compare => {
            print!("{}", rules_core::compare_markdown(&all_packs(None)?));
            Ok(ExitCode::SUCCESS)
        }
        Command::Coverage { pack, format } => {
            let mut unreviewed = 0;
            for p in all_packs(pack.as_deref())? {
                for row in coverage(&p) {
                    if row.coverage == rules_core::Coverage::Unreviewed {
                        unreviewed += 1;
                    }
                    match format {
                        CoverageFormat::Tsv => println!("{}", row.tsv()),
                        CoverageFormat::Text => {
                            let t = row.tsv();
                            let cols: Vec<&str> = t.split('\t').collect();
                            println!("{}", cols.join("  "));
                        }
                    }
                }
            }
            Ok(if unreviewed == 0 { ExitCode::SUCCESS } else { ExitCode::from(1) })
        }
    }
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
        Status::Missing | Status::Incomplete | Status::Overdue | Status::OutOfOrder => "31",
        Status::DueBy => "33",
        Status::NotApplicable | Status::Waived => "90",
    }
}

fn text_report(r: &Report, all: bool, colour: bool) -> String {
    use std::fmt::Write;
    let p = Paint(colour);
    let mut out = String::new();
    let _ = writeln!(
        out,
        "案件 {}  ·  {}（规则包 {} {}）  ·  检查时间 {}",
        r.case_id, r.pack.agency, r.pack.id, r.pack.version, r.now
    );
    let _ = writeln!(out, "本机关配置指纹 {}（{} 项调整）", r.config.fingerprint, r.config.overrides);
    for step in &r.steps {
        let shown: Vec<_> = step.items.iter().filter(|i| all || i.status != Status::NotApplicable).collect();
        if shown.is_empty() {
            continue;
        }
        let done = shown.iter().filter(|i| i.status == Status::Satisfied).count();
        let _ = writeln!(out, "\n{}  {}/{}", p.c("1", &format!("【{}】", step.name)), done, shown.len());
        for i in shown {
            let status = p.c(status_colour(i.status), &format!("{:<4}", i.status.zh()));
            let target = if i.target == "case" { String::new() } else { format!(" [{}]", i.target) };
            let _ = writeln!(out, "  {status} {}{target}  （{}·{}）", i.title, i.strength.zh(), i.severity.zh());
            if i.status != Status::Satisfied {
                let _ = writeln!(out, "       {}", i.detail);
            }
            if let Some(reason) = &i.waived_by_config {
                let _ =
                    writeln!(out, "       {}", p.c("35", &format!("已由本机关配置豁免（waived by config）：{reason}")));
            }
            if !i.satisfied_by.is_empty() && i.status == Status::Satisfied {
                let _ = writeln!(out, "       依据记录：{}", i.satisfied_by.join("、"));
            }
            let _ = writeln!(
                out,
                "       {}",
                p.c("90", &format!("{} “{}”  ({})", i.citation.article, i.citation.quote, i.key))
            );
        }
    }
    for n in &r.notes {
        let _ = writeln!(out, "\n注意：{n}");
    }
    let gate = if r.gate.allowed {
        p.c("32;1", &format!("可以提交（警告 {} 项）", r.gate.warnings.len()))
    } else {
        p.c("31;1", &format!("不能提交：{} 项必须事项未满足", r.gate.blocking.len()))
    };
    let _ = writeln!(out, "\n{gate}");
    out
}
