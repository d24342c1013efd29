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
//! (switched off, severity changed) and the submit gate. What it does not: the report's texts
//! (details, messages, `missing` lists), notes, findings' order and the pack version choice
//! (the caller gives the pack).
use rules_core::{Calendar, Case, Check, Config, Pack, Severity, Status, Time};

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
    /// Its status.
    pub status: Status,
    /// Severity at submit, after the agency's config.
    pub severity: Severity,
    /// For deadlines: when the period ends (for a day period, 00:00 after its last day).
    pub due_at: Option<Time>,
}

/// What the reference concludes for a case.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RefReport {
    /// Every item, in pack rule order then target order.
    pub items: Vec<RefItem>,
    /// Whether the case may be submitted: no unmet item of blocking severity.
    pub allowed: bool,
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
        for target in targets::targets(case, &rule.scope) {
            let key = format!("{}@{}", rule.id, target.id());
            let applies = match &rule.when {
                None => true,
                Some(c) => conditions::holds(c, case, &target),
            };
            // Decision: a rule switched off by the config shows its items as waived whether or
            // not its condition holds (config.rs: "its items show as waived").
            let (status, due_at) = if over.is_some_and(|o| o.disabled) {
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
            items.push(RefItem { key, status, severity, due_at });
        }
    }
    let mut allowed = true;
    for item in &items {
        if is_unmet(item.status) && item.severity == Severity::Blocking {
            allowed = false;
        }
    }
    RefReport { items, allowed }
}

/// The statuses that count against submission (report.rs: missing, incomplete, overdue, out of
/// order). A status still running (due-by), confirmed, not applicable or waived does not.
fn is_unmet(s: Status) -> bool {
    matches!(s, Status::Missing | Status::Incomplete | Status::Overdue | Status::OutOfOrder)
}
