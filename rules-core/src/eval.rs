//! Evaluation: a case and a pack in, a per-step checklist, findings and a submit gate out.
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::sync::Arc;
use std::sync::OnceLock;

use crate::calendar::Calendar;
use crate::case::{Activity, Case, Media, Owner, Record, Service};
use crate::config::Config;
use crate::error::SetupError;
use crate::pack::Pack;
use crate::pack::PackRegistry;
use crate::period::Counter;
use crate::report::{
    ConfigRef, Finding, Gate, ItemRow, Key, PackRef, Report, Run, SharedTexts, Span, Status, StepReport, Texts,
};
use crate::rule::{Check, Rule, Scope, Severity};
use crate::time::Time;
use index::Index;

mod anchor;
mod cond;
mod deadline;
mod index;
mod order;
mod record;

/// What one check concluded, before the item is dressed with rule data. Its texts are in
/// [`Ctx::out`].
pub(crate) struct Outcome {
    pub status: Status,
    pub detail: Span,
    /// The finding's message when the check wrote it with the detail (`{title}：{detail}`).
    pub message: Option<Span>,
    pub satisfied_by: Run,
    pub missing: Run,
    pub due: Option<crate::period::Due>,
    /// Where `due` is written, when the check wrote it into the detail already.
    pub due_text: Option<Span>,
}

impl Outcome {
    pub(crate) fn new(status: Status, detail: Span) -> Self {
        Outcome {
            status,
            detail,
            message: None,
            satisfied_by: Run::default(),
            missing: Run::default(),
            due: None,
            due_text: None,
        }
    }
}

/// What a rule is applied to.
#[derive(Clone, Copy)]
pub(crate) enum Target<'a> {
    Case,
    Activity(&'a Activity),
    Service(&'a Service),
    Record(Owner<'a>, &'a Record),
    Media(Owner<'a>, &'a Record, &'a Media),
}

impl Target<'_> {
    /// Writes the target's id: `case`, or the id of the activity, service, record or
    /// `record/media`.
    fn write_id(&self, out: &mut Texts) {
        match self {
            Target::Case => out.push_str("case"),
            Target::Activity(a) => out.push_str(&a.id),
            Target::Service(s) => out.push_str(&s.id),
            Target::Record(_, r) => out.push_str(&r.id),
            Target::Media(_, r, m) => {
                out.push_str(&r.id);
                out.push('/');
                out.push_str(&m.name);
            }
        }
    }
}

/// A record of the case with where it is filed and its place in [`Case::all_records`] order.
pub(crate) type Filed<'a> = (usize, Owner<'a>, &'a Record);

/// The case with lookups built once per evaluation.
pub(crate) struct Ctx<'a> {
    pub case: &'a Case,
    /// Records by kind, in case order.
    pub by_kind: Index<'a, Filed<'a>>,
    /// Activities by kind: their places in `case.activities`, in case order.
    pub activities: Index<'a, usize>,
    /// Services by the document served: their places in `case.services`, in case order. (Places
    /// rather than references: one map type for both keeps the widget's wasm smaller.)
    pub served: Index<'a, usize>,
    /// Acknowledgments by item key: their places in `case.acknowledgments`, in case order.
    /// Built when the first unmet record item asks, as most cases have none to look up.
    acknowledged: Option<Index<'a, usize>>,
    pub counter: Counter<'a>,
    pub now: Time,
    /// The pack's names for facts, so details read `立案之日` rather than `filed`.
    pub fact_names: &'a BTreeMap<String, String>,
    /// Every text of the report being made: keys, details, list entries, messages.
    pub out: Texts,
    /// Where `out` goes when complete, shared by the items made meanwhile.
    shared: SharedTexts,
    /// How many things the case has that rules can be applied to.
    pub things: usize,
    /// The title of the rule being checked, which starts its findings' messages.
    pub title: &'a str,
    /// Texts the rule being checked wrote that its other items can share.
    pub said: Said<'a>,
    /// Set when a check met a deadline past the dates that can be counted; the rule is then
    /// named in the report's notes.
    pub beyond_range: bool,
}

/// What is the same for all of one rule's items, worked out once. Texts are written once, and
/// the items' spans point at the one copy: a rule's records are mostly missing or complete
/// alike, across hundreds of activities.
#[derive(Default)]
pub(crate) struct Said<'a> {
    /// A record check's detail, message and missing list when no record is found.
    pub missing: Option<(Span, Span, Run)>,
    /// A record check's detail when a record of this kind is complete.
    pub had: Option<(&'a str, Span)>,
    /// A deadline check's excluded time (`None` inside when it is past counting).
    pub excluded: Option<Option<deadline::Excluded>>,
    /// A deadline's or an order's two anchors, once resolved, when they do not read the item
    /// (see [`anchor::resolve_once`]).
    pub anchors: [Option<Option<(Time, anchor::What<'a>)>>; 2],
}

impl Ctx<'_> {
    /// Writes a detail (or any text) into the report's texts.
    pub fn say(&mut self, args: std::fmt::Arguments<'_>) -> Span {
        self.out.say(args)
    }
}

fn builtin_calendar() -> &'static Calendar {
    static CAL: OnceLock<Calendar> = OnceLock::new();
    // The built-in data is checked by a unit test; an empty calendar (weekends only, with a
    // note per year) is the safe fallback if it were ever unreadable.
    CAL.get_or_init(|| Calendar::builtin().unwrap_or_default())
}

/// Checks `case` against `pack` as of `now`, with the built-in holiday calendar.
///
/// Never fails: missing or late records are findings, and anything the pack cannot judge is
/// a note in the report.
pub fn evaluate(case: &Case, pack: &Pack, config: &Config, now: Time) -> Report {
    evaluate_with_calendar(case, pack, config, builtin_calendar(), now)
}

/// As [`evaluate`], with a given holiday calendar (e.g. an updated data file).
pub fn evaluate_with_calendar(case: &Case, pack: &Pack, config: &Config, calendar: &Calendar, now: Time) -> Report {
    let things = things(case);
    // Plain loops over the record lists rather than `Case::all_records`, whose chained adaptors
    // cost more per record than indexing it.
    let mut by_kind = index::Builder::with_room(things);
    let owners = std::iter::once((Owner::Case, &case.records))
        .chain(case.activities.iter().map(|a| (Owner::Activity(a), &a.records)))
        .chain(case.services.iter().map(|s| (Owner::Service(s), &s.records)));
    let mut i = 0;
    for (o, records) in owners {
        for r in records {
            by_kind.add(&r.kind, (i, o, r));
            i += 1;
        }
    }
    let by_kind = by_kind.index;
    // Conditions and anchors ask "is there an activity (a service) of these kinds" for every
    // item: indexed once rather than scanned each time.
    let activities = Index::build(case.activities.iter().enumerate().map(|(i, a)| (a.kind.as_str(), i)));
    let served = Index::build(case.services.iter().enumerate().map(|(i, s)| (s.document.as_str(), i)));
    let mut ctx = Ctx {
        case,
        by_kind,
        activities,
        served,
        acknowledged: None,
        counter: Counter::new(calendar),
        now,
        fact_names: &pack.def.facts,
        out: texts_for(things),
        things,
        shared: Arc::new(std::sync::OnceLock::new()),
        title: "",
        said: Said::default(),
        beyond_range: false,
    };
    let mut notes = unknown_names(case, pack, &ctx);
    let procedure = pack.def.procedures.iter().position(|p| p.id == case.procedure);

    let mut steps: Vec<StepReport> = Vec::with_capacity(pack.def.steps.len());
    let mut findings: Vec<Finding> = Vec::new();
    // Which rules have items, for the report's rule table.
    let mut listed = vec![false; pack.def.rules.len()];
    if let Some(step_rules) = procedure.and_then(|p| pack.step_rules.get(p)) {
        let mut targets = Vec::with_capacity(ctx.things);
        // Step by step, each step's rules in pack order: the checklist's order, so items and
        // findings are made where they belong rather than sorted or moved afterwards.
        let mut runs = Vec::with_capacity(pack.def.rules.len());
        for (step, rule_ids) in pack.def.steps.iter().zip(step_rules) {
            // The step's targets first, so its item list is allocated once at its size.
            targets.clear();
            runs.clear();
            for &r in rule_ids {
                let (Some(rule), Some(shared)) = (pack.def.rules.get(r), pack.shared.get(r)) else {
                    continue;
                };
                let start = targets.len();
                add_targets(&ctx, &rule.scope, &mut targets);
                runs.push((r, rule, shared, start..targets.len()));
            }
            let mut items = Vec::with_capacity(targets.len());
            // Any item can be a finding: room for all of them is reserved once per step rather
            // than the list doubling as it goes.
            findings.reserve(targets.len());
            for (r, rule, shared, run) in runs.drain(..) {
                let Some(of_rule) = targets.get(run).filter(|t| !t.is_empty()) else {
                    continue;
                };
                rule_items(&mut ctx, rule, shared, config, of_rule, &mut items, &mut findings);
                if std::mem::take(&mut ctx.beyond_range) {
                    notes.push(format!("规则 `{}` 的期限超出可计算范围，未能检查，请核对案件中的时间", rule.id));
                }
                if let Some(l) = listed.get_mut(r) {
                    *l = true;
                }
            }
            if !items.is_empty() {
                steps.push(StepReport {
                    id: step.id.clone(),
                    name: step.name.clone(),
                    rows: items,
                    texts: ctx.shared.clone(),
                });
            }
        }
    }
    // Collected at its size first: the map is built from a list, which otherwise doubles as it
    // is filled.
    let mut table = Vec::with_capacity(listed.iter().filter(|l| **l).count());
    table.extend(
        pack.rules_by_id
            .iter()
            .filter(|r| listed.get(**r).copied().unwrap_or(false))
            .filter_map(|r| pack.shared.get(*r))
            .map(|s| (s.id.clone(), s.info.clone())),
    );
    let rules: BTreeMap<Arc<str>, Arc<crate::report::RuleInfo>> = table.into_iter().collect();
    // A duty the pack made optional is said in every report that lists it, where officers and
    // reviewers read notes, not only in the rule's own JSON.
    // Rules resting on one clause share their reason: one note per article and reason.
    let mut overridden: BTreeMap<(&str, &str), Vec<&str>> = BTreeMap::new();
    for (id, info) in &rules {
        if let Some(o) = &info.strength_override {
            overridden.entry((&info.citation.article, o)).or_default().push(id);
        }
    }
    for ((article, why), ids) in overridden {
        let ids: Vec<String> = ids.iter().map(|id| format!("`{id}`")).collect();
        notes.push(format!("{article}（规则 {}）{why}", ids.join("、")));
    }
    if procedure.is_none() {
        let key = ctx.out.fixed("procedure@case");
        let mark = ctx.out.mark();
        let _ = write!(ctx.out, "程序 `{}` 不在规则包 {} 中（可用：", case.procedure, pack.id());
        for (i, p) in pack.def.procedures.iter().enumerate() {
            if i > 0 {
                ctx.out.push_str("、");
            }
            ctx.out.push_str(&p.id);
        }
        ctx.out.push_str("），无法检查");
        findings.push(Finding {
            key: Key::new(ctx.shared.clone(), key, "procedure".len()),
            severity: Severity::Blocking,
            status: Status::Missing,
            waived_by_config: None,
            has_rule: false,
            message_text: ctx.out.since(mark),
        });
    }
    // Severity first, then checklist order: a stable split into the three severities, which
    // costs the wasm no sort code of its own.
    let mut by_severity = Vec::with_capacity(findings.len());
    let (mut warnings, mut infos) = (Vec::new(), Vec::new());
    for f in findings.drain(..) {
        match f.severity {
            Severity::Blocking => by_severity.push(f),
            Severity::Warning => warnings.push(f),
            Severity::Info => infos.push(f),
        }
    }
    by_severity.append(&mut warnings);
    by_severity.append(&mut infos);
    let findings = by_severity;
    for y in &ctx.counter.unknown_years {
        notes.push(format!("{y}年没有节假日数据：期限按普通周末计算，请更新节假日数据后复核"));
    }
    let mut overrides = 0;
    for rule in &pack.def.rules {
        if let Some(o) = override_of(config, &rule.id, case) {
            overrides += 1;
            let what = if o.disabled {
                "停用".to_owned()
            } else {
                o.severity.map(|s| format!("改为“{}”", s.zh())).unwrap_or_else(|| "调整".to_owned())
            };
            // Named by its title and article: officers and reviewers read those, not rule ids.
            notes.push(format!("本机关配置将「{}」（{}）{what}：{}", rule.title, rule.article, o.reason));
        }
    }
    // Every text is written: the items and findings can read theirs from now on.
    let _ = ctx.shared.set(ctx.out);
    // Sorted by severity, the blocking findings come first and the warnings next: slices rather
    // than filters, so each list is allocated once at its size.
    let blocking_end = findings.partition_point(|f| f.severity == Severity::Blocking);
    let warnings_end = findings.partition_point(|f| f.severity <= Severity::Warning);
    let keys = |r: std::ops::Range<usize>| -> Vec<Key> {
        findings.get(r).unwrap_or_default().iter().map(|f| f.key.clone()).collect()
    };
    let blocking = keys(0..blocking_end);
    let warnings = keys(blocking_end..warnings_end);
    Report {
        pack: PackRef {
            id: pack.def.id.clone(),
            version: pack.def.version.clone(),
            agency: pack.def.agency.clone(),
            title: pack.def.title.clone(),
            effective: pack.def.effective.clone(),
            digest: pack.digest().map(str::to_owned),
        },
        config: ConfigRef { fingerprint: config.fingerprint(), overrides },
        case_id: case.id.clone(),
        now,
        steps,
        rules,
        findings,
        gate: Gate { allowed: blocking.is_empty(), blocking, warnings },
        notes,
    }
}

/// Checks `case` the way the widget and `rules check` do: the pack named by the config, else by
/// `agency`, else by the case (a config naming another pack than `agency` or the case is
/// refused, [`Config::pack_for`]); the version the config fixes, else the one in force on the day
/// the case was opened; the config checked against that pack. The report's notes say which
/// version was used and why.
pub fn evaluate_in(
    registry: &PackRegistry,
    case: &Case,
    agency: Option<&str>,
    config: &Config,
    now: Time,
) -> Result<Report, SetupError> {
    let selected = select_in(registry, case, agency, config)?;
    Ok(evaluate_selected(selected, case, config, now))
}

/// Checks `case` under the pack version chosen for it (by [`select_in`], or for the built-in
/// packs by [`builtin_choice`]), with the notes every entry point gives: which version and
/// why when the pack has several or the config fixes one, and that the case belongs to another
/// agency when it does. The config must already have been checked against the pack.
pub fn evaluate_selected(selected: crate::pack::Selected<'_>, case: &Case, config: &Config, now: Time) -> Report {
    let id = selected.pack.id();
    let mut report = evaluate(case, selected.pack, config, now);
    // A case of one agency checked with another's pack gets that agency's rules: said first,
    // since every finding below rests on it.
    if let Some(own) = case.agency.as_deref().filter(|a| *a != id) {
        report.notes.insert(
            0,
            format!(
                "本案所属机关为 `{own}`，但按规则包 {id}（{}）检查：结果依据的是另一机关的规定",
                selected.pack.def.agency
            ),
        );
    }
    if selected.several || config.pack_version.is_some() {
        report.notes.insert(0, version_note(selected.pack, selected.why, case));
    }
    report
}

/// The built-in pack version that checks `case`, chosen as [`select_in`] chooses from a
/// registry (the pack the config, `agency` or the case names; the version the config fixes,
/// else the one in force on the day the case was opened) without loading any pack: the
/// widget loads only the version this names. The caller checks the config against the pack
/// once loaded.
pub fn builtin_choice(case: &Case, agency: Option<&str>, config: &Config) -> Result<crate::BuiltinVersion, SetupError> {
    let id = config.pack_for(agency, case.agency.as_deref())?.ok_or(SetupError::NoPack)?;
    match crate::builtin_select(id, config.pack_version.as_deref(), case.opened_on()) {
        Err(crate::error::PackError::UnknownPack { .. }) if config.pack.is_some() => {
            Err(SetupError::Config(crate::error::ConfigError::UnknownPack {
                pack: id.to_owned(),
                available: crate::builtin_pack_ids().collect::<Vec<_>>().join(", "),
            }))
        }
        other => Ok(other?),
    }
}

/// The report's note on which version of a pack of several checked `case`, and `why`
/// (as [`crate::choose_version`] says): the same words in `rules check`, the 核查表 and the widget.
pub fn version_note(pack: &Pack, why: &str, case: &Case) -> String {
    let effective = pack.def.effective.as_deref().map(|d| format!("（{d} 起施行）")).unwrap_or_default();
    let opened = case.opened_on().map(|d| format!("；本案立案（受理）日 {d}")).unwrap_or_default();
    format!("规则包 {} 版本 {}{effective}：{why}{opened}", pack.id(), pack.def.version)
}

/// The pack version `case` is checked under, as [`evaluate_in`] chooses it: the pack the
/// config, the caller (`agency`) or the case names, at the version the config fixes or else
/// the one in force on the day the case was opened ([`crate::choose_version`]); refused when
/// the config does not fit that version (the error names it) or the pack lacks the case's
/// procedure. For callers that need the pack itself, e.g. to print the 核查表.
pub fn select_in<'r>(
    registry: &'r PackRegistry,
    case: &Case,
    agency: Option<&str>,
    config: &Config,
) -> Result<crate::pack::Selected<'r>, SetupError> {
    let id = config.pack_for(agency, case.agency.as_deref())?.ok_or(SetupError::NoPack)?;
    let selected = match registry.select_for(id, case, config) {
        Err(crate::error::PackError::UnknownPack { .. }) if config.pack.is_some() => {
            return Err(SetupError::Config(crate::error::ConfigError::UnknownPack {
                pack: id.to_owned(),
                available: registry.ids().join(", "),
            }))
        }
        other => other?,
    };
    config.check(selected.pack)?;
    selected.pack.check_procedure(&case.procedure)?;
    Ok(selected)
}

/// Names in the case that the pack does not know, so a typo is never silently "not applicable".
fn unknown_names(case: &Case, pack: &Pack, ctx: &Ctx<'_>) -> Vec<String> {
    let d = &pack.def;
    let mut notes = Vec::new();
    // Each kind the case uses is looked up once (the indexes list them), and the case is walked
    // only when one is unknown.
    if ctx.activities.keys().any(|k| !pack.knows_activity(k)) {
        for a in &case.activities {
            if !pack.knows_activity(&a.kind) {
                notes.push(format!("活动 `{}` 的类型 `{}` 不在规则包中，未检查", a.id, a.kind));
            }
        }
    }
    if ctx.by_kind.keys().any(|k| !pack.knows_record(k)) {
        for (_, r) in case.all_records() {
            if !pack.knows_record(&r.kind) {
                notes.push(format!("记录 `{}` 的类型 `{}` 不在规则包中", r.id, r.kind));
            }
        }
    }
    flag_notes(pack, &case.procedure, &case.flags, true, &|| "flags".to_owned(), &mut notes);
    for (i, a) in case.activities.iter().enumerate() {
        flag_notes(pack, &case.procedure, &a.flags, false, &|| format!("activities[{i}].flags"), &mut notes);
        for (j, r) in a.records.iter().enumerate() {
            flag_notes(
                pack,
                &case.procedure,
                &r.flags,
                false,
                &|| format!("activities[{i}].records[{j}].flags"),
                &mut notes,
            );
        }
    }
    for (i, s) in case.services.iter().enumerate() {
        flag_notes(pack, &case.procedure, &s.flags, false, &|| format!("services[{i}].flags"), &mut notes);
        for (j, r) in s.records.iter().enumerate() {
            flag_notes(
                pack,
                &case.procedure,
                &r.flags,
                false,
                &|| format!("services[{i}].records[{j}].flags"),
                &mut notes,
            );
        }
    }
    for (j, r) in case.records.iter().enumerate() {
        flag_notes(pack, &case.procedure, &r.flags, false, &|| format!("records[{j}].flags"), &mut notes);
    }
    for f in case.facts.keys() {
        if !d.facts.contains_key(f) {
            notes.push(format!("案件时间 `{f}`（facts.{f}）不在规则包中，未起作用"));
        }
    }
    for (i, p) in case.excluded_periods.iter().enumerate() {
        if !d.excluded_kinds.contains(&p.kind) {
            let known = if d.excluded_kinds.is_empty() {
                "规则包没有不计入期限的期间".to_owned()
            } else {
                format!("可用：{}", d.excluded_kinds.join("、"))
            };
            notes.push(format!(
                "不计入期间的类型 `{}`（excluded_periods[{i}].kind）不在规则包中（{known}），未从任何期限中扣除",
                p.kind
            ));
        }
    }
    notes
}

/// Notes on the flags of one place in the case: a flag the pack does not know, or one set
/// where no rule reads it (a case flag on an activity, or the reverse), would otherwise change
/// nothing without a word. `location` is built only when a note is written.
fn flag_notes(
    pack: &Pack,
    procedure: &str,
    flags: &std::collections::BTreeSet<String>,
    on_case: bool,
    location: &dyn Fn() -> String,
    notes: &mut Vec<String>,
) {
    for f in flags {
        if !pack.def.flags.contains_key(f) {
            notes.push(format!("标记 `{f}`（{}）不在规则包中，未起作用", location()));
        } else if let Some(l) = pack.flag_levels(procedure, f).filter(|l| if on_case { !l.case } else { !l.below }) {
            let used = if l.case { "案件标记" } else { "活动、送达或记录的标记" };
            notes.push(format!("标记 `{f}`（{}）在本程序中只作{used}使用，标在此处未起作用", location()));
        }
    }
}

/// The override of `rule` for `case`: none without looking when the config has none (the
/// usual case), as this is asked for every rule twice.
fn override_of<'c>(config: &'c Config, rule: &str, case: &Case) -> Option<&'c crate::config::RuleOverride> {
    if config.rules.is_empty() && config.procedures.is_empty() && config.departments.is_empty() {
        return None;
    }
    config.override_for(rule, &case.procedure, case.department.as_deref())
}

/// The targets of `scope`, in case order, appended to `out`. Plain loops over the indexes: this
/// runs for every rule, and adaptor chains without a size hint grew `out` one push at a time.
fn add_targets<'a>(ctx: &Ctx<'a>, scope: &Scope, out: &mut Vec<Target<'a>>) {
    let case = ctx.case;
    match scope {
        Scope::Case => out.push(Target::Case),
        // One kind (the usual case): its activities are indexed, in case order.
        Scope::Activity(kinds) if kinds.len() == 1 => {
            for k in kinds {
                let places = ctx.activities.get(k.as_str()).map_or(&[][..], Vec::as_slice);
                out.reserve(places.len());
                out.extend(places.iter().filter_map(|i| case.activities.get(*i)).map(Target::Activity));
            }
        }
        Scope::Activity(kinds) => {
            out.extend(case.activities.iter().filter(|a| kinds.contains(&a.kind)).map(Target::Activity))
        }
        Scope::Service(methods) => out.extend(
            case.services.iter().filter(|s| methods.is_empty() || methods.contains(&s.method)).map(Target::Service),
        ),
        Scope::Record(kinds) if kinds.len() == 1 => {
            for k in kinds {
                let filed = ctx.by_kind.get(k.as_str()).map_or(&[][..], Vec::as_slice);
                out.extend(filed.iter().map(|(_, o, r)| Target::Record(*o, r)));
            }
        }
        Scope::Record(kinds) => {
            out.extend(of_kinds(ctx, kinds).into_iter().map(|(_, o, r)| Target::Record(o, r)));
        }
        Scope::Media(kinds) if kinds.is_empty() => {
            for (o, r) in case.all_records() {
                out.extend(r.media.iter().map(|m| Target::Media(o, r, m)));
            }
        }
        Scope::Media(kinds) if kinds.len() == 1 => {
            for k in kinds {
                for (_, o, r) in ctx.by_kind.get(k.as_str()).map_or(&[][..], Vec::as_slice) {
                    out.extend(r.media.iter().map(|m| Target::Media(*o, r, m)));
                }
            }
        }
        Scope::Media(kinds) => {
            for (_, o, r) in of_kinds(ctx, kinds) {
                out.extend(r.media.iter().map(|m| Target::Media(o, r, m)));
            }
        }
    }
}

/// The records of any of `kinds`, in case order, each once.
fn of_kinds<'a>(ctx: &Ctx<'a>, kinds: &[String]) -> Vec<Filed<'a>> {
    let mut lists = kinds.iter().filter_map(|k| ctx.by_kind.get(k.as_str()));
    let mut v: Vec<Filed<'a>> = lists.next().map(|l| l.to_vec()).unwrap_or_default();
    // Each kind's list is in case order already, so further kinds are merged in (a kind named
    // twice adds nothing) rather than sorted.
    for list in lists {
        v = merge_in_case_order(&v, list);
    }
    v
}

/// `a` and `b`, both in case order, as one list in case order; a record in both is kept once.
fn merge_in_case_order<'a>(a: &[Filed<'a>], b: &[Filed<'a>]) -> Vec<Filed<'a>> {
    let mut out = Vec::with_capacity(a.len() + b.len());
    let (mut a, mut b) = (a.iter().peekable(), b.iter().peekable());
    loop {
        let next = match (a.peek(), b.peek()) {
            (Some(x), Some(y)) if x.0 < y.0 => a.next(),
            (Some(x), Some(y)) if y.0 < x.0 => b.next(),
            (Some(_), Some(_)) => {
                b.next();
                a.next()
            }
            (Some(_), None) => a.next(),
            (None, _) => b.next(),
        };
        match next {
            Some(f) => out.push(*f),
            None => return out,
        }
    }
}

/// The items of `rule`, one per target, appended to `items`.
fn rule_items<'a>(
    ctx: &mut Ctx<'a>,
    rule: &'a Rule,
    shared: &'a crate::pack::SharedRule,
    config: &Config,
    targets: &[Target<'a>],
    items: &mut Vec<ItemRow>,
    findings: &mut Vec<Finding>,
) {
    let over = override_of(config, &rule.id, ctx.case);
    let severity = over.and_then(|o| o.severity).unwrap_or_else(|| rule.severity());
    ctx.title = &shared.info.title;
    ctx.said = Said::default();
    for &target in targets {
        let mark = ctx.out.mark();
        ctx.out.push_str(&shared.key_prefix);
        target.write_id(&mut ctx.out);
        let key = ctx.out.since(mark);
        let applies = rule.when.as_ref().is_none_or(|c| cond::holds(ctx, c, target));
        let mut out = if let Some(o) = over.filter(|o| o.disabled) {
            Outcome::new(Status::Waived, ctx.say(format_args!("本机关配置停用：{}", o.reason)))
        } else if !applies {
            Outcome::new(Status::NotApplicable, ctx.out.fixed("本案不适用"))
        } else {
            match &rule.check {
                Check::Record(c) => record::check(ctx, c, target),
                Check::Deadline(c) => deadline::check(ctx, c, target),
                Check::Order(c) => order::check(ctx, c, target),
            }
        };
        let acks = &ctx.case.acknowledgments;
        let accepts = rule.accepts();
        let ack = if acks.is_empty() || !accepts.acknowledgment || !out.status.is_unmet() {
            None
        } else {
            let index = ctx
                .acknowledged
                .get_or_insert_with(|| Index::build(acks.iter().enumerate().map(|(i, a)| (a.item.as_str(), i))));
            // The latest acknowledgment of an item is the one that counts: it may add the note
            // an earlier one lacked.
            index.get(ctx.out.get(key)).and_then(|places| places.last()).and_then(|i| acks.get(*i))
        };
        if let Some(a) = ack {
            let noted = a.note.as_deref().is_some_and(|n| config.note_is_enough(n));
            if !accepts.acknowledgment_for(out.status) {
                // The platform holds the record and it shows the shortcoming (a signer short, a
                // part not filled in, media not attached): the officer's word cannot outweigh it.
                let mark = ctx.out.mark();
                ctx.out.copy(out.detail);
                let _ = write!(ctx.out, "（{} 的人工确认不能代替：系统中的记录本身显示不足，须补正）", a.at);
                out.detail = ctx.out.since(mark);
            } else if !noted {
                let mark = ctx.out.mark();
                ctx.out.copy(out.detail);
                let _ = write!(
                    ctx.out,
                    "（{} 的人工确认未写明纸质记录及其存放位置（至少 {} 个字），不予采信）",
                    a.at,
                    config.min_note()
                );
                out.detail = ctx.out.since(mark);
            } else {
                out.status = Status::Acknowledged;
                // A record check that found nothing lists nothing as satisfying it: the
                // acknowledgment is the whole list.
                let list = ctx.out.list_mark();
                let mark = ctx.out.mark();
                let _ = write!(ctx.out, "人工确认 {}", a.at);
                if let Some(b) = &a.by {
                    let _ = write!(ctx.out, "（{b}）");
                }
                if let Some(n) = &a.note {
                    let _ = write!(ctx.out, "：{n}");
                }
                let entry = ctx.out.since(mark);
                ctx.out.add_entry(entry);
                out.satisfied_by = ctx.out.list_since(list);
                let mark = ctx.out.mark();
                ctx.out.push_str("经办人员已确认（系统中无相应记录）：");
                ctx.out.copy(out.detail);
                out.detail = ctx.out.since(mark);
            }
        }
        // A must rule the config lowered keeps its real status and says why it does not block.
        let waived_by_config = over
            .filter(|o| o.disabled || (o.lowers_must(rule.strength) && out.status.is_unmet()))
            .map(|o| o.reason.clone());
        let due = out.due_text.or_else(|| {
            out.due.map(|d| {
                let mark = ctx.out.mark();
                ctx.out.due(d);
                ctx.out.since(mark)
            })
        });
        if out.status.is_unmet() {
            let message = out.message.unwrap_or_else(|| {
                let mark = ctx.out.mark();
                ctx.out.push_str(&shared.info.title);
                ctx.out.push('：');
                ctx.out.copy(out.detail);
                ctx.out.since(mark)
            });
            findings.push(Finding {
                key: Key::new(ctx.shared.clone(), key, rule.id.len()),
                severity,
                status: out.status,
                waived_by_config: waived_by_config.clone(),
                has_rule: true,
                message_text: message,
            });
        }
        items.push(ItemRow {
            key,
            rule_end: ItemRow::rule_end(key, rule.id.len()),
            status: out.status,
            strength: rule.strength,
            severity,
            due_at: out.due.map(|d| d.at),
            waived_by_config,
            due_text: due.unwrap_or_default(),
            satisfied_run: out.satisfied_by,
            missing_run: out.missing,
            detail_text: out.detail,
        });
    }
}

/// An empty buffer for the report's texts with room for what a case of `things` things usually
/// needs (about 160 bytes per thing checked), so it seldom grows.
fn texts_for(things: usize) -> Texts {
    Texts::with_capacity(4096 + 160 * things, 16 + 2 * things)
}

/// How many things a case has that rules can be applied to.
fn things(case: &Case) -> usize {
    // Plain loops over the record lists: `Case::all_records` costs more per record than this.
    let lists = std::iter::once(&case.records)
        .chain(case.activities.iter().map(|a| &a.records))
        .chain(case.services.iter().map(|s| &s.records));
    let records: usize = lists.map(|rs| rs.len() + rs.iter().map(|r| r.media.len()).sum::<usize>()).sum();
    1 + case.activities.len() + case.services.len() + records
}

#[cfg(test)]
mod tests {
    use crate::case::{Owner, Record};

    #[test]
    fn merging_keeps_case_order_and_each_record_once() {
        let r = Record::default();
        let list = |ix: &[usize]| ix.iter().map(|&i| (i, Owner::Case, &r)).collect::<Vec<_>>();
        let places = |v: Vec<super::Filed<'_>>| v.into_iter().map(|(i, _, _)| i).collect::<Vec<_>>();
        let merged = super::merge_in_case_order(&list(&[1, 4, 6, 9]), &list(&[0, 4, 5, 10, 11]));
        assert_eq!(places(merged), [0, 1, 4, 5, 6, 9, 10, 11]);
        assert_eq!(places(super::merge_in_case_order(&list(&[2, 3]), &list(&[2, 3]))), [2, 3]);
        assert_eq!(places(super::merge_in_case_order(&list(&[]), &list(&[7]))), [7]);
        assert_eq!(places(super::merge_in_case_order(&list(&[7]), &list(&[]))), [7]);
    }
}
