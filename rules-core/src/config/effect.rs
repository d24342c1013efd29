//! What a config change does to cases: evaluate each under the old and the new config and count
//! the checklist items whose status, severity or waiver changed.
use serde::{Deserialize, Serialize};

use super::Config;
use crate::case::Case;
use crate::eval::evaluate;
use crate::pack::Pack;
use crate::report::Item;
use crate::time::Time;

/// The effect of a config change on a set of cases.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConfigEffect {
    /// Items that changed, over all cases.
    pub changed_items: usize,
    /// Items compared, over all cases.
    pub items: usize,
    /// Cases whose submit decision changed (allowed ↔ blocked).
    pub gate_changed: usize,
    /// Per case.
    pub cases: Vec<CaseEffect>,
}

/// The effect on one case.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CaseEffect {
    /// The case id.
    pub case_id: String,
    /// Keys of the items that changed.
    pub changed: Vec<String>,
    /// Submit allowed under the old config.
    pub allowed_before: bool,
    /// Submit allowed under the new config.
    pub allowed_after: bool,
}

fn same(a: &Item<'_>, b: &Item<'_>) -> bool {
    a.status == b.status && a.severity == b.severity && a.waived_by_config == b.waived_by_config
}

/// Evaluates every case under `old` and `new` with `pack` at `now` and counts what changed.
pub fn config_effect(cases: &[Case], pack: &Pack, old: &Config, new: &Config, now: Time) -> ConfigEffect {
    let mut out = ConfigEffect::default();
    for case in cases {
        let a = evaluate(case, pack, old, now);
        let b = evaluate(case, pack, new, now);
        let changed: Vec<String> = b
            .items()
            .filter(|i| a.item(i.key()).is_none_or(|o| !same(&o, i)))
            .map(|i| i.key().to_string())
            .chain(a.items().filter(|o| b.item(o.key()).is_none()).map(|o| o.key().to_string()))
            .collect();
        out.items += b.items().count();
        out.changed_items += changed.len();
        if a.gate.allowed != b.gate.allowed {
            out.gate_changed += 1;
        }
        out.cases.push(CaseEffect {
            case_id: case.id.clone(),
            changed,
            allowed_before: a.gate.allowed,
            allowed_after: b.gate.allowed,
        });
    }
    out
}
