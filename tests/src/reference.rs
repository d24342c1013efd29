//! A reference evaluator: a plain, slow evaluation of a case against a pack, written from the
//! rule model's documentation (`rules-core/docs/pack-reference.md`, the README's "How periods
//! are counted", the case contract's doc comments and the legal notes), not from the engine's
//! code. `tests/tests/reference.rs` runs it beside [`rules_core::evaluate`] on every scenario,
//! sample and generated case and names every item where the two differ: two implementations
//! of one model, checked against each other as regex and cedar check theirs.
//!
//! Plain on purpose: loops over the case's lists, periods counted day by day over the holiday
//! calendar, no indexes and nothing kept between items. Where the documentation is silent the
//! decision taken is written beside the code, marked `Decision:`.
//!
//! What it covers: every scope, every condition, record checks (kinds, where to look,
//! elements, signatures with refusals, media, service), acknowledgments, deadlines (every
//! unit, excluded periods, extensions), orders (with a minimum gap), agency overrides
//! (switched off, severity changed, "waived by config"), the findings (which items, with what
//! rule, severity, status and config reason) and the submit gate with its blocking and warning
//! lists. What it does not: the report's texts (details, messages, `missing` lists), notes,
//! the order of findings of one severity, a case whose procedure the pack does not cover (the
//! engine refuses it before evaluating) and the pack version choice (the caller gives the
//! pack).
use rules_core::{Calendar, Case, Check, Config, Pack, Severity, Status, Strength, Time};

mod anchors;
mod conditions;
mod periods;
mod records;
mod targets;

pub use periods::{due, RefDue};
pub use targets::Target;

/// One checklist item as the reference sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RefItem {
    /// `rule@target`, as the engine's report keys items.
    pub key: String,
    /// The rule id.
    pub rule: String,
    /// Its status.
    pub status: Status,
    /// Severity at submit, after the agency's config.
    pub severity: Severity,
    /// For deadlines: when the period ends (for a day period, 00:00 after its last day).
    pub due_at: Option<Time>,
    /// The config's reason, when the config switched the rule off, or lowered a must rule and
    /// the item is unmet.
    pub waived_by_config: Option<String>,
}

/// One finding as the reference sees it: an unmet item.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RefFinding {
    /// The item's key, `rule@target`.
    pub key: String,
    /// The item's rule.
    pub rule: String,
    /// The item's severity at submit.
    pub severity: Severity,
    /// The item's status (one that counts against submission).
    pub status: Status,
    /// The item's `waived_by_config`.
    pub waived_by_config: Option<String>,
}

/// What the reference concludes for a case.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RefReport {
    /// Every item, in pack rule order then target order.
    pub items: Vec<RefItem>,
    /// Every unmet item, in item order (the report orders them most severe first; the order
    /// within one severity is not documented, so it is not the reference's to say).
    pub findings: Vec<RefFinding>,
    /// Whether the case may be submitted: no unmet item of blocking severity.
    pub allowed: bool,
    /// Keys of the unmet blocking items, in item order.
    pub blocking: Vec<String>,
    /// Keys of the unmet warnings, in item order.
    pub warnings: Vec<String>,
}

/// Evaluates `case` against `pack` under `config` at `now`, with `calendar` for working days.
pub fn evaluate(pack: &Pack, case: &Case, config: &Config, now: Time, calendar: &Calendar) -> RefReport {
    let mut items = Vec::new();
    for rule in &pack.def.rules {
        // A rule belongs to the procedures it names; the others never list it.
        if !rule.procedures.contains(&case.procedure) {
            continue;
        }
        let over = config.override_for(&rule.id, &case.procedure, case.department.as_deref());
        let mut severity = rule.severity();
        if let Some(s) = over.and_then(|o| o.severity) {
            severity = s;
        }
        // The item keeps its real status and says "waived by config" with the reason when the
        // config switches the rule off, or lowers a must rule below blocking (report.rs,
        // `Item::waived_by_config`; README: "a must rule can be lowered to a warning at most
        // and its items then read 'waived by config' with the reason").
        // Decision: a lowered must rule's item says so only while unmet. The documentation says
        // "lowered a must rule" without a status, but what it says is why the item does not
        // block ("keeps its real status … never satisfied"): a met or still running item has
        // nothing to be waived, and a met duty shown as waived would misstate the record.
        let lowered = rule.strength == Strength::Must
            && over.is_some_and(|o| o.severity.is_some_and(|s| s != Severity::Blocking));
        let disabled = over.is_some_and(|o| o.disabled);
        let reason = over.map(|o| o.reason.clone());
        for target in targets::targets(case, &rule.scope) {
            let key = format!("{}@{}", rule.id, target.id());
            let applies = match &rule.when {
                None => true,
                Some(c) => conditions::holds(c, case, &target),
            };
            // Decision: a rule switched off by the config shows its items as waived whether or
            // not its condition holds (config.rs: "its items show as waived").
            let (status, due_at) = if disabled {
                (Status::Waived, None)
            } else if !applies {
                (Status::NotApplicable, None)
            } else {
                match &rule.check {
                    Check::Record(c) => (records::check(c, case, &target, &key, config), None),
                    Check::Deadline(c) => anchors::deadline(c, case, &target, now, calendar),
                    Check::Order(c) => (anchors::order(c, case, &target, calendar), None),
                }
            };
            items.push(RefItem {
                key,
                rule: rule.id.clone(),
                status,
                severity,
                due_at,
                waived_by_config: if disabled || (lowered && is_unmet(status)) { reason.clone() } else { None },
            });
        }
    }
    // Findings: "every unmet item" (report.rs, `Report::findings`), whatever its severity, each
    // naming its item's key and rule and carrying its severity, status and config reason.
    let mut findings = Vec::new();
    let (mut blocking, mut warnings) = (Vec::new(), Vec::new());
    for item in &items {
        if !is_unmet(item.status) {
            continue;
        }
        findings.push(RefFinding {
            key: item.key.clone(),
            rule: item.rule.clone(),
            severity: item.severity,
            status: item.status,
            waived_by_config: item.waived_by_config.clone(),
        });
        // The gate lists "the unmet blocking items" and "the unmet warnings" (`Gate`).
        match item.severity {
            Severity::Blocking => blocking.push(item.key.clone()),
            Severity::Warning => warnings.push(item.key.clone()),
            Severity::Info => {}
        }
    }
    let allowed = blocking.is_empty();
    RefReport { items, findings, allowed, blocking, warnings }
}

/// The statuses that count against submission (report.rs: missing, incomplete, overdue, out of
/// order). A status still running (due-by), confirmed, not applicable or waived does not.
fn is_unmet(s: Status) -> bool {
    matches!(s, Status::Missing | Status::Incomplete | Status::Overdue | Status::OutOfOrder)
}
