//! The one place that calls `rules-core`: the case with the officer's acknowledgments added,
//! the pack for the agency, and the report in both its JSON and rendered forms.
use std::borrow::Cow;
use std::rc::Rc;

use serde::Serialize;

use crate::media::MediaEntry;
use crate::model::{Evaluated, OfficerAck, Prepared, Problem, RuleChoice};
use crate::view::ReportView;

/// Reads a case from its JSON contract; the error names the location of the fault.
pub fn parse_case(json: &str) -> Result<rules_core::Case, String> {
    let span = crate::timeline::start("law-record-checklist:read-case");
    let case = rules_core::Case::from_json(json).map_err(|e| e.to_string());
    span.end();
    case
}

/// A pack as the host sees it in `packs()`.
#[derive(Debug, Clone, Serialize)]
pub struct PackInfo {
    /// Pack id.
    pub id: String,
    /// Agency name (zh).
    pub agency: String,
    /// Pack version.
    pub version: String,
    /// The day it took effect, when the pack says.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub effective: Option<String>,
    /// Procedures: `{id, name}`.
    pub procedures: Vec<StepInfo>,
    /// Steps in order: `{id, name}`.
    pub steps: Vec<StepInfo>,
}

/// A step (or procedure) of a pack.
#[derive(Debug, Clone, Serialize)]
pub struct StepInfo {
    /// Step id.
    pub id: String,
    /// Step name (zh).
    pub name: String,
}

thread_local! {
    /// Packs read once per page: reading one costs far more than evaluating a case. A handful
    /// at most, so a list, by id and version.
    static LOADED: std::cell::RefCell<Vec<(String, String, Rc<rules_core::Pack>)>> =
        const { std::cell::RefCell::new(Vec::new()) };
}

/// The latest version of a built-in pack, read and validated by the engine on first use, then
/// kept. (A case is checked under the version [`pack_for_case`] chooses.)
pub fn builtin_pack(id: &str) -> Result<Rc<rules_core::Pack>, String> {
    let v = rules_core::builtin_select(id, None, None).map_err(|e| e.to_string())?;
    builtin_version(v.id, v.version)
}

/// Built-in pack `id` at `version`, read once then kept.
fn builtin_version(id: &str, version: &str) -> Result<Rc<rules_core::Pack>, String> {
    let cached =
        LOADED.with(|l| l.borrow().iter().find(|(i, v, _)| i == id && v == version).map(|(_, _, p)| p.clone()));
    if let Some(p) = cached {
        return Ok(p);
    }
    let span = crate::timeline::start("law-record-checklist:load-pack");
    let pack = Rc::new(rules_core::Pack::builtin_version(id, version).map_err(|e| e.to_string())?);
    span.end();
    LOADED.with(|l| l.borrow_mut().push((id.to_owned(), version.to_owned(), pack.clone())));
    Ok(pack)
}

/// The built-in pack version that checks `case`, chosen as every `rules` command chooses it
/// ([`rules_core::builtin_choice`]: the pack the config, the platform (`agency`) or the case
/// names; the config's `pack_version`, else the version in force on the day the case was
/// opened), loaded once, with why that version and whether the pack has others.
pub fn pack_for_case(
    case: &rules_core::Case,
    agency: Option<&str>,
    config: &rules_core::Config,
) -> Result<(Rc<rules_core::Pack>, &'static str, bool), Problem> {
    use rules_core::SetupError as E;
    let chosen = rules_core::builtin_choice(case, agency, config).map_err(|e| match e {
        E::Config(e) => Problem::Config(e.to_string()),
        E::NoPack => Problem::Pack("案件未注明执法机关（agency），平台也未指定".into()),
        other => {
            let id = config.pack_for(agency, case.agency.as_deref()).ok().flatten().unwrap_or_default();
            Problem::Pack(format!("{id}：{other}"))
        }
    })?;
    let pack = builtin_version(chosen.id, chosen.version).map_err(|e| Problem::Pack(format!("{}：{e}", chosen.id)))?;
    Ok((pack, chosen.why, versions_of(chosen.id).len() > 1))
}

/// The built-in versions of pack `id`, as `(version, effective)`.
fn versions_of(id: &str) -> Vec<(&'static str, Option<&'static str>)> {
    rules_core::builtin_versions().filter(|v| v.id == id).map(|v| (v.version, v.effective)).collect()
}

/// Runs `f` on the latest version of built-in pack `id`.
pub fn with_pack<T>(id: &str, f: impl FnOnce(&rules_core::Pack) -> T) -> Result<T, String> {
    builtin_pack(id).map(|p| f(&p))
}

/// Every built-in pack version that loads; one that fails to load is reported by id.
pub fn packs() -> (Vec<PackInfo>, Vec<String>) {
    let mut ok = Vec::new();
    let mut errors = Vec::new();
    for v in rules_core::builtin_versions() {
        let p = builtin_version(v.id, v.version).map_err(|e| format!("{} {}: {e}", v.id, v.version));
        match p {
            Ok(p) => ok.push(PackInfo {
                id: p.def.id.clone(),
                agency: p.def.agency.clone(),
                version: p.def.version.clone(),
                effective: p.def.effective.clone(),
                procedures: p
                    .def
                    .procedures
                    .iter()
                    .map(|s| StepInfo { id: s.id.clone(), name: s.name.clone() })
                    .collect(),
                steps: p.def.steps.iter().map(|s| StepInfo { id: s.id.clone(), name: s.name.clone() }).collect(),
            }),
            Err(e) => errors.push(e.to_string()),
        }
    }
    (ok, errors)
}

/// What this browser adds to the host's case before evaluating it.
#[derive(Debug, Clone, Copy, Default)]
pub struct Added<'a> {
    /// The officer's acknowledgments.
    pub acks: &'a [OfficerAck],
    /// Files hashed on this machine (finished ones become media of the case).
    pub media: &'a [MediaEntry],
}

/// What [`prepare`] hands on: the case (copied only when something was added to it), the pack
/// with why that version and whether it has others, the moment to check at, and a note for
/// each hashed file that could not be filed.
struct Prepare<'c> {
    case: Cow<'c, rules_core::Case>,
    pack: Rc<rules_core::Pack>,
    why: &'static str,
    several: bool,
    now: rules_core::Time,
    unfiled: Vec<String>,
}

/// The case with what this browser adds (acknowledgments, hashed files) and the procedure
/// chosen, the pack for the agency (checked against the configuration), the moment to check
/// at, and a note for each hashed file that could not be filed into the case.
fn prepare<'c>(
    case: &'c rules_core::Case,
    added: Added<'_>,
    agency: Option<&str>,
    procedure: Option<&str>,
    config: &rules_core::Config,
    now: &str,
) -> Result<Prepare<'c>, Problem> {
    let now = rules_core::Time::parse(now).map_err(|e| Problem::InvalidTime(e.to_string()))?;
    // Copied only when something is added: a case of hundreds of records costs as much to copy
    // as to check.
    let mut case = Cow::Borrowed(case);
    for a in added.acks {
        if case.acknowledgments.iter().any(|x| x.item == a.item) {
            continue;
        }
        let at = rules_core::Time::parse(&a.at).map_err(|e| Problem::InvalidTime(e.to_string()))?;
        case.to_mut().acknowledgments.push(rules_core::Acknowledgment {
            item: a.item.clone(),
            at,
            by: Some(a.by.clone().unwrap_or_else(|| "执法人员".into())),
            note: a.note.clone(),
        });
    }
    if let Some(p) = procedure.filter(|p| *p != case.procedure) {
        case.to_mut().procedure = p.to_string();
    }
    // The config may name the agency's pack; else the platform's choice, else the case's own.
    // A config of another pack than the platform's or the case's is refused, not applied.
    let (pack, why, several) = pack_for_case(&case, agency, config)?;
    // A config that does not fit is the caller's to set aside (the widget falls back to defaults).
    config.check(&pack).map_err(|e| Problem::Config(e.to_string()))?;
    let mut unfiled = Vec::new();
    for entry in added.media {
        if let Some(m) = entry.to_media() {
            if let Err(e) = rules_core::attach_media(case.to_mut(), &pack, &entry.item, m) {
                unfiled.push(format!("本机已计算哈希的文件 {} 未能归入清单：{e}", entry.name));
            }
        }
    }
    Ok(Prepare { case, pack, why, several, now, unfiled })
}

/// The events a change of state adds to the case's log, judged against what the log already
/// holds (so reloading never logs twice): ticks and unticks, each hashed file once, the pack
/// version and configuration digest whenever they differ from the last ones logged.
pub fn log_events(
    log: &rules_core::CaseLog,
    before: &[OfficerAck],
    after: &[OfficerAck],
    media: &[crate::media::MediaEntry],
    pack: Option<(&str, &str)>,
    config: &rules_core::Config,
) -> Vec<rules_core::LogEvent> {
    use rules_core::LogEvent as E;
    let mut out = Vec::new();
    let last_pack = log.entries.iter().rev().find_map(|e| match &e.event {
        E::PackVersion(p) => Some((p.id.as_str(), p.version.as_str())),
        _ => None,
    });
    if let Some((id, version)) = pack.filter(|p| Some(*p) != last_pack) {
        out.push(E::PackVersion(rules_core::PackVersion { id: id.to_owned(), version: version.to_owned() }));
    }
    let last_config = log.entries.iter().rev().find_map(|e| match &e.event {
        E::ConfigApplied(c) => Some(c.fingerprint.as_str()),
        _ => None,
    });
    let digest = config.fingerprint();
    let is_default = *config == rules_core::Config::default();
    if last_config != Some(digest.as_str()) && !(is_default && last_config.is_none()) {
        out.push(E::ConfigApplied(rules_core::ConfigApplied { fingerprint: digest }));
    }
    for m in media.iter().filter(|m| m.is_done()) {
        let sha = m.sha256.clone().unwrap_or_default();
        let logged =
            log.entries.iter().any(|e| matches!(&e.event, E::MediaHashed(h) if h.sha256 == sha && h.name == m.name));
        if !logged {
            out.push(E::MediaHashed(rules_core::MediaHashed {
                record: Some(m.item.clone()),
                name: m.name.clone(),
                size: Some(m.size as u64),
                sha256: sha,
            }));
        }
    }
    for a in after.iter().filter(|a| !before.iter().any(|b| b.item == a.item)) {
        out.push(E::ItemAcknowledged(rules_core::ItemAcknowledged {
            item: a.item.clone(),
            by: a.by.clone(),
            note: a.note.clone(),
        }));
    }
    for b in before.iter().filter(|b| !after.iter().any(|a| a.item == b.item)) {
        out.push(E::ItemUnacknowledged(rules_core::ItemUnacknowledged { item: b.item.clone() }));
    }
    out
}

/// What the 核查表 prints beside the report: the configuration's fingerprint and the log.
#[derive(Debug, Clone, Copy, Default)]
pub struct Filed<'a> {
    /// The agency configuration's fingerprint, when it carries one.
    pub config_fingerprint: Option<&'a str>,
    /// The case's log (its head is printed and its chain checked).
    pub log: Option<&'a rules_core::CaseLog>,
    /// The officer using the widget, printed as 承办人.
    pub handler: Option<&'a str>,
}

/// The printable 全过程记录核查表 of an evaluation as the widget shows it: the engine's own
/// renderer (the same one `rules report` uses), on the case, pack and report the evaluation
/// already made; the print view stays open across evaluations, and evaluating again for it
/// would double the work of each one.
pub fn sheet_html(prepared: &Prepared, config: &rules_core::Config, filed: Filed<'_>) -> String {
    let Filed { config_fingerprint, log, handler } = filed;
    let broken = log.and_then(|l| l.verify().err());
    rules_core::report_html(&rules_core::Sheet {
        case: &prepared.case,
        pack: &prepared.pack,
        config,
        config_fingerprint,
        report: &prepared.report,
        log,
        log_break: broken.as_ref(),
        key_check: None,
        handler,
        all: false,
    })
}

/// Evaluates `case` (plus the officer's acknowledgments and hashed files) with the pack for
/// `agency` (or the case's own), under `procedure` (or the case's own), with the agency's
/// `config`, at `now`. `with_view`: also read the report for rendering (the widget does;
/// `evaluate()` does not).
pub fn evaluate(
    case: &rules_core::Case,
    added: Added<'_>,
    agency: Option<&str>,
    procedure: Option<&str>,
    config: &rules_core::Config,
    now: &str,
    with_view: bool,
) -> Result<Evaluated, Problem> {
    let Prepare { case, pack, why, several, now, unfiled } = prepare(case, added, agency, procedure, config, now)?;
    let span = crate::timeline::start("law-record-checklist:evaluate");
    // With the notes `rules check` gives: the version and why, a case of another agency.
    let selected = rules_core::Selected { pack: &pack, why, several };
    let report = rules_core::evaluate_selected(selected, &case, config, now);
    span.end();
    let span = crate::timeline::start("law-record-checklist:report-json");
    let json = report.to_json();
    span.end();
    if !with_view {
        return Ok(Evaluated { json: Rc::new(json), view: Rc::new(ReportView::default()), prepared: None });
    }
    let mut view = view_of(&report, &config.options);
    view.notes.extend(unfiled);
    // Per rule, not per item: a rule has up to hundreds of items. The report's rule table is
    // sorted by id, so a binary search over its keys finds an item's rule (no map type of its
    // own: each one adds to the wasm).
    let ids: Vec<&str> = report.rules.keys().map(|k| &**k).collect();
    let kinds: Vec<rules_core::Accepts> =
        ids.iter().map(|id| pack.rule(id).map(rules_core::Rule::accepts).unwrap_or_default()).collect();
    let kind_of = |i: &rules_core::Item<'_>| ids.binary_search(&i.rule()).ok().and_then(|n| kinds.get(n)).copied();
    // A reviewer checks a file against the SHA-256 the case records for it, whoever hashed it.
    let mut records: Vec<(&str, &rules_core::Record)> = case.all_records().map(|(_, r)| (r.id.as_str(), r)).collect();
    records.sort_unstable_by_key(|(id, _)| *id);
    let recorded = |i: &rules_core::Item<'_>| {
        let (record, name) = i.target().split_once('/')?;
        let (_, r) = records.get(records.binary_search_by_key(&record, |(id, _)| *id).ok()?)?;
        r.media.iter().find(|m| m.name == name)?.sha256.clone()
    };
    // The view's items are the report's, in the same order.
    // Each `Rc` is the only one yet: `make_mut` changes it in place.
    let items = view.steps.iter_mut().flat_map(|s| Rc::make_mut(s).items.iter_mut().map(Rc::make_mut));
    for (v, i) in items.zip(report.items()) {
        v.accepts = kind_of(&i).unwrap_or_default();
        v.recorded_sha256 = recorded(&i);
    }
    drop(records);
    drop(ids);
    Ok(Evaluated {
        json: Rc::new(json),
        view: Rc::new(view),
        prepared: Some(Rc::new(Prepared { case: case.into_owned(), pack, report })),
    })
}

/// Reads an agency configuration (severity overrides, switched-off rules) from JSON.
pub fn parse_config(json: &str) -> Result<rules_core::Config, String> {
    rules_core::Config::from_json(json).map_err(|e| e.to_string())
}

/// The config's fingerprint (SHA-256 of its canonical form, 64 hex digits).
pub fn fingerprint(config: &rules_core::Config) -> String {
    config.fingerprint()
}

/// Whether `config` carries the pinned fingerprint; the error says both.
pub fn verify_pin(config: &rules_core::Config, pin: &str) -> Result<(), String> {
    config.verify_fingerprint(pin).map_err(|e| e.to_string())
}

/// The config as a file to hand to the platform.
pub fn config_file(config: &rules_core::Config) -> String {
    config.to_json_pretty() + "\n"
}

/// A rule as the admin table lists it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RuleRow {
    /// Rule id.
    pub id: String,
    /// Step id.
    pub step: String,
    /// Step name (zh).
    pub step_name: String,
    /// What the item asks for (zh).
    pub title: String,
    /// Article as the text numbers it.
    pub article: String,
    /// Verbatim quote.
    pub quote: String,
    /// How strongly the rule applies.
    pub strength: rules_core::Strength,
    /// The severity the pack sets.
    pub severity: rules_core::Severity,
    /// Procedure ids the rule belongs to.
    pub procedures: Vec<String>,
}

/// The rules of pack `id` in checklist order (by step, then as the pack lists them).
pub fn rule_rows(id: &str) -> Result<Vec<RuleRow>, String> {
    with_pack(id, |p| {
        let mut rows = Vec::new();
        for (step, rules) in p.step_rules(None) {
            for r in rules {
                rows.push(RuleRow {
                    id: r.id.clone(),
                    step: step.id.clone(),
                    step_name: step.name.clone(),
                    title: r.title.clone(),
                    article: r.article.clone(),
                    quote: r.quote.clone(),
                    strength: r.strength,
                    severity: r.severity(),
                    procedures: r.procedures.clone(),
                });
            }
        }
        rows
    })
}

/// Checks `config` against every built-in version of pack `id` it may be applied to: the one
/// its `pack_version` fixes, else each (a case opened under an old version is checked with it).
/// The error names the version.
pub fn check_config(config: &rules_core::Config, id: &str) -> Result<(), String> {
    let versions: Vec<&str> = match config.pack_version.as_deref() {
        Some(v) => vec![rules_core::builtin_select(id, Some(v), None).map_err(|e| e.to_string())?.version],
        None => versions_of(id).into_iter().map(|(v, _)| v).collect(),
    };
    if versions.is_empty() {
        return Err(rules_core::PackError::UnknownPack { id: id.to_owned() }.to_string());
    }
    for v in versions {
        let pack = builtin_version(id, v)?;
        config.check(&pack).map_err(|e| format!("{e}（{}）", e.help()))?;
    }
    Ok(())
}

/// `config` with the administrator's choice for `rule` in `scope` applied and logged (with
/// [`RuleChoice::PackDefault`], the pack's own setting again). Refused,
/// with the engine's reason, when it crosses a limit (e.g. a must rule switched off).
#[allow(clippy::too_many_arguments)] // one administrator's decision, field by field
pub fn set_override(
    config: &rules_core::Config,
    pack: &str,
    scope: &rules_core::OverrideScope,
    rule: &str,
    choice: RuleChoice,
    reason: &str,
    by: &str,
    at: &str,
) -> Result<rules_core::Config, String> {
    let reason = reason.trim();
    if reason.is_empty() {
        return Err("请填写调整理由：理由将记入配置和案卷评查材料".into());
    }
    let at = rules_core::Time::parse(at).map_err(|e| e.to_string())?;
    let after = choice.to_override(reason, by, at);
    let mut next = config.clone();
    next.pack = Some(pack.to_string());
    next.set_override(scope.clone(), rule, after, by, at, reason);
    check_config(&next, pack)?;
    Ok(next)
}

/// `config` with its latest change undone (and the undo logged), or `None` when there is
/// nothing to undo.
pub fn undo(config: &rules_core::Config, by: &str, at: &str) -> Result<Option<rules_core::Config>, String> {
    let at = rules_core::Time::parse(at).map_err(|e| e.to_string())?;
    let mut next = config.clone();
    Ok(next.undo(by, at).map(|_| next))
}

/// What differs from `old` to `new`.
pub fn diff(old: &rules_core::Config, new: &rules_core::Config) -> rules_core::ConfigDiff {
    rules_core::diff_configs(old, new)
}

thread_local! {
    /// The built-in sample cases, read once.
    static SAMPLES: Vec<rules_core::Case> = [
        include_str!("../../rules-core/samples/01-complete.json"),
        include_str!("../../rules-core/samples/02-missing-service-receipt.json"),
        include_str!("../../rules-core/samples/03-av-stored-late.json"),
        include_str!("../../rules-core/samples/04-simple-procedure.json"),
    ]
    .iter()
    .filter_map(|t| rules_core::Case::from_json(t).ok())
    .collect();
}

/// What applying the administrator's choice for `rule` in `scope` would do, before it is
/// applied: the engine evaluates the current case and the pack's sample cases under the config
/// in effect and under the config with the choice (no reason is needed to look).
#[allow(clippy::too_many_arguments)] // one administrator's pending decision, field by field
pub fn preview(
    case: Option<&rules_core::Case>,
    config: &rules_core::Config,
    pack: &str,
    scope: &rules_core::OverrideScope,
    rule: &str,
    choice: RuleChoice,
    now: &str,
) -> Result<rules_core::ConfigEffect, String> {
    let next = set_override(config, pack, scope, rule, choice, "预览", "预览", now)?;
    effect(case, pack, config, &next, now)
}

/// The effect of going from `old` to `new` on the current case and the sample cases of pack
/// `id`: how many checklist items change.
pub fn effect(
    case: Option<&rules_core::Case>,
    id: &str,
    old: &rules_core::Config,
    new: &rules_core::Config,
    now: &str,
) -> Result<rules_core::ConfigEffect, String> {
    let now = rules_core::Time::parse(now).map_err(|e| e.to_string())?;
    let mut cases: Vec<rules_core::Case> = case.cloned().into_iter().collect();
    SAMPLES.with(|s| {
        cases
            .extend(s.iter().filter(|c| c.agency.as_deref() == Some(id) && Some(&c.id) != case.map(|x| &x.id)).cloned())
    });
    with_pack(id, |p| rules_core::config_effect(&cases, p, old, new, now))
}

/// The report as the widget renders it, with the steps `options` show; the same codes the JSON
/// contract carries.
fn view_of(r: &rules_core::Report, options: &rules_core::Options) -> ReportView {
    use crate::view::{CitationView, FindingView, ItemView, PackView, StepView};
    // Each rule's title and citation once, shared by its items; found by a binary search over
    // the report's rule table (sorted by id).
    let ids: Vec<&str> = r.rules.keys().map(|k| &**k).collect();
    let shared: Vec<(Rc<str>, Rc<CitationView>)> = r
        .rules
        .values()
        .map(|info| {
            let citation =
                CitationView { article: info.citation.article.to_string(), quote: info.citation.quote.to_string() };
            (Rc::from(&*info.title), Rc::new(citation))
        })
        .collect();
    let rule = |id: &str| ids.binary_search(&id).ok().and_then(|n| shared.get(n)).cloned().unwrap_or_default();
    ReportView {
        pack: PackView {
            id: r.pack.id.clone(),
            version: r.pack.version.clone(),
            agency: r.pack.agency.clone(),
            title: r.pack.title.clone(),
            effective: r.pack.effective.clone(),
        },
        fingerprint: r.config.fingerprint.clone(),
        overrides: r.config.overrides,
        case_id: r.case_id.clone(),
        now: Some(r.now),
        steps: r
            .steps
            .iter()
            .map(|s| {
                Rc::new(StepView {
                    id: s.id.clone(),
                    name: s.name.clone(),
                    shown: options.shows_step(s),
                    items: s
                        .items()
                        .map(|i| {
                            let (title, citation) = rule(i.rule());
                            Rc::new(ItemView {
                                key: i.key().to_string(),
                                rule: i.rule().to_string(),
                                target: i.target().to_string(),
                                title,
                                status: i.status,
                                strength: i.strength,
                                severity: i.severity,
                                due: i.due().map(str::to_owned),
                                due_at: i.due_at,
                                satisfied_by: i.satisfied_by().to_vec(),
                                missing: i.missing().to_vec(),
                                citation,
                                detail: i.detail().to_owned(),
                                waived_by_config: i.waived_by_config.map(str::to_owned),
                                ..ItemView::default()
                            })
                        })
                        .collect(),
                })
            })
            .collect(),
        gate: r.gate.clone(),
        findings: r
            .findings
            .iter()
            .map(|f| FindingView {
                key: f.key.to_string(),
                severity: f.severity,
                status: f.status,
                message: f.message().to_owned(),
            })
            .collect(),
        notes: r.notes.clone(),
    }
}

#[cfg(test)]
mod tests {
    /// The layers run one way: the engine calls use the model types and never the reducer.
    #[test]
    fn the_engine_does_not_reach_up_into_the_state() {
        assert!(!include_str!("engine.rs").contains(concat!("crate::", "state")));
        assert!(!include_str!("model.rs").contains(concat!("crate::", "state")));
        assert!(!include_str!("model.rs").contains(concat!("crate::", "engine")));
    }

    /// The widget checks a case under the version `rules check` would: the choice is
    /// `rules_core::builtin_choice`'s, a config fixing an unknown version is refused naming the
    /// versions there are, and a config fixing the version gets the note saying so.
    #[test]
    fn the_widget_chooses_the_version_as_the_cli_does() {
        let case = super::parse_case(include_str!("../../pkg/demo/cases/overdue-av.json")).unwrap();
        let id = case.agency.clone().unwrap();
        let chosen = rules_core::builtin_select(&id, None, case.opened_on()).unwrap();
        let (pack, why, several) = super::pack_for_case(&case, None, &rules_core::Config::default()).unwrap();
        assert_eq!((pack.def.version.as_str(), why), (chosen.version, chosen.why));
        assert_eq!(several, super::versions_of(&id).len() > 1);
        let fixed = rules_core::Config { pack_version: Some("0.0-none".into()), ..Default::default() };
        let e = super::pack_for_case(&case, None, &fixed).unwrap_err().message();
        assert!(e.contains("0.0-none") && e.contains(chosen.version), "{e}");
        let e = super::check_config(&fixed, &id).unwrap_err();
        assert!(e.contains("0.0-none"), "{e}");
        let fixed = rules_core::Config { pack_version: Some(chosen.version.into()), ..Default::default() };
        let ev = super::evaluate(&case, super::Added::default(), None, None, &fixed, "2026-03-25T10:00", true).unwrap();
        assert!(ev.view.notes[0].contains("按本机关配置指定的版本检查"), "{:?}", ev.view.notes);
    }

    /// The rendered view must carry the same codes as the JSON the host gets.
    #[test]
    fn view_matches_the_json_contract() {
        let case = super::parse_case(include_str!("../../pkg/demo/cases/overdue-av.json")).unwrap();
        let pack = super::builtin_pack("changsha-zfj").unwrap();
        let now = rules_core::Time::parse("2026-03-25T10:00").unwrap();
        let report = rules_core::evaluate(&case, &pack, &rules_core::Config::default(), now);
        let json = serde_json::to_value(&report).unwrap();
        let view = super::view_of(&report, &rules_core::Options::default());
        let items: Vec<&serde_json::Value> =
            json["steps"].as_array().unwrap().iter().flat_map(|s| s["items"].as_array().unwrap()).collect();
        assert_eq!(items.len(), view.items().count());
        for (j, v) in items.iter().zip(view.items()) {
            assert_eq!(j["key"], v.key.as_str());
            assert_eq!(j["status"], v.status.code());
            assert_eq!(j["strength"], v.strength.code());
            assert_eq!(j["severity"], v.severity.code());
        }
    }

    /// Every missing or incomplete record item the engine makes for the samples names what is
    /// missing in its detail, so the checklist shows that list once (see `missing_line`).
    #[test]
    fn record_details_name_what_is_missing() {
        let pack = super::builtin_pack("changsha-zfj").unwrap();
        let now = rules_core::Time::parse("2026-03-25T10:00").unwrap();
        let mut open = 0;
        for case in super::SAMPLES.with(Clone::clone) {
            let report = rules_core::evaluate(&case, &pack, &rules_core::Config::default(), now);
            let view = super::view_of(&report, &rules_core::Options::default());
            for item in view.items().filter(|i| !i.is_done() && !i.missing.is_empty()) {
                open += 1;
                assert_eq!(item.missing_line(), None, "{}: {:?} / {}", item.key, item.missing, item.detail);
            }
        }
        assert!(open > 0, "the samples have open items");
    }
}

#[cfg(test)]
mod log_tests {
    use rules_core::{CaseLog, Config, LogEvent, Time};

    use crate::media::MediaEntry;
    use crate::model::OfficerAck;

    fn ack(item: &str) -> OfficerAck {
        OfficerAck {
            item: item.into(),
            at: "2026-03-25T10:00".into(),
            by: Some("张三".into()),
            note: Some("纸质记录见卷宗第3页".into()),
        }
    }

    /// What the log already holds is never logged again (a reload, a re-render).
    #[test]
    fn events_are_logged_once_against_the_log() {
        let mut log = CaseLog::new("c");
        let media = vec![MediaEntry {
            item: "41-av@V1".into(),
            name: "a.mp4".into(),
            size: 10.0,
            state: crate::media::MediaState::Done,
            sha256: Some("ab".repeat(32)),
            ..MediaEntry::default()
        }];
        let config = Config::default();
        let first = super::log_events(&log, &[], &[ack("x@S1")], &media, Some(("p", "1")), &config);
        let kinds: Vec<&str> = first
            .iter()
            .map(|e| match e {
                LogEvent::PackVersion(_) => "pack",
                LogEvent::MediaHashed(_) => "media",
                LogEvent::ItemAcknowledged(_) => "ack",
                _ => "other",
            })
            .collect();
        assert_eq!(kinds, ["pack", "media", "ack"], "a default config is not logged");
        let at = Time::parse("2026-03-25T10:00").unwrap();
        for e in first {
            log.append(at, e);
        }
        let again = super::log_events(&log, &[ack("x@S1")], &[ack("x@S1")], &media, Some(("p", "1")), &config);
        assert!(again.is_empty(), "{again:?}");
        let mut changed = Config::default();
        changed.rules.insert(
            "r".into(),
            rules_core::RuleOverride {
                severity: None,
                disabled: true,
                reason: "本局不适用".into(),
                by: None,
                at: None,
            },
        );
        let next = super::log_events(&log, &[ack("x@S1")], &[], &media, Some(("p", "2")), &changed);
        assert!(matches!(next[0], LogEvent::PackVersion(ref p) if p.version == "2"));
        assert!(matches!(next[1], LogEvent::ConfigApplied(ref c) if c.fingerprint.len() == 64));
        assert!(matches!(next[2], LogEvent::ItemUnacknowledged(ref u) if u.item == "x@S1"));
    }
}
