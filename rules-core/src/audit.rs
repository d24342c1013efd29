//! Batch audit (案卷评查): many cases' reports summed up per rule and per case.
//!
//! An [`Audit`] is built from reports one at a time and two audits [`Audit::merge`], so
//! cases can be checked in parallel and the parts joined in input order.
use std::collections::BTreeMap;

use serde::Serialize;

use crate::report::{Report, Status};

/// The summary of many cases.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Audit {
    /// One row per case, in input order.
    pub cases: Vec<CaseAudit>,
    /// One row per rule that applied to at least one case, by pack then rule id.
    pub rules: BTreeMap<(String, String), RuleAudit>,
}

/// One case in an audit.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CaseAudit {
    /// Where the case came from (file name, or `file:line`).
    pub source: String,
    /// The case id (empty when the case could not be read).
    pub case_id: String,
    /// The pack it was checked with.
    pub pack: String,
    /// Unmet blocking items.
    pub blocking: usize,
    /// Unmet warnings.
    pub warnings: usize,
    /// Whether the case may be submitted.
    pub allowed: bool,
    /// Why the case could not be checked, if it could not.
    pub error: Option<String>,
}

/// One rule across the audited cases.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct RuleAudit {
    /// What the rule asks for (Chinese).
    pub title: String,
    /// The article it rests on.
    pub article: String,
    /// Cases where the rule applied (at least one item neither 不适用 nor 已豁免).
    pub applicable: usize,
    /// Cases where at least one of its items is unmet.
    pub missed: usize,
    /// Unmet items over all cases.
    pub unmet_items: usize,
}

impl Audit {
    /// Adds one checked case.
    pub fn add(&mut self, source: &str, report: &Report) {
        let mut seen: BTreeMap<&str, (bool, bool)> = BTreeMap::new();
        for i in report.items() {
            let row = self.rules.entry((report.pack.id.clone(), i.rule.to_string())).or_insert_with(|| RuleAudit {
                title: i.title.to_string(),
                article: i.citation.article.to_string(),
                ..RuleAudit::default()
            });
            let unmet = i.status.is_unmet();
            if unmet {
                row.unmet_items += 1;
            }
            let s = seen.entry(&i.rule).or_default();
            s.0 |= !matches!(i.status, Status::NotApplicable | Status::Waived);
            s.1 |= unmet;
        }
        for (rule, (applicable, missed)) in seen {
            if let Some(row) = self.rules.get_mut(&(report.pack.id.clone(), rule.to_owned())) {
                row.applicable += usize::from(applicable);
                row.missed += usize::from(missed);
            }
        }
        self.cases.push(CaseAudit {
            source: source.to_owned(),
            case_id: report.case_id.clone(),
            pack: report.pack.id.clone(),
            blocking: report.gate.blocking.len(),
            warnings: report.gate.warnings.len(),
            allowed: report.gate.allowed,
            error: None,
        });
    }

    /// Adds a case that could not be checked.
    pub fn add_error(&mut self, source: &str, error: String) {
        self.cases.push(CaseAudit {
            source: source.to_owned(),
            case_id: String::new(),
            pack: String::new(),
            blocking: 0,
            warnings: 0,
            allowed: false,
            error: Some(error),
        });
    }

    /// Joins another audit's cases after this one's and adds up the rules.
    pub fn merge(&mut self, other: Audit) {
        self.cases.extend(other.cases);
        for (k, r) in other.rules {
            let row = self.rules.entry(k).or_insert_with(|| RuleAudit {
                title: r.title.clone(),
                article: r.article.clone(),
                ..RuleAudit::default()
            });
            row.applicable += r.applicable;
            row.missed += r.missed;
            row.unmet_items += r.unmet_items;
        }
    }

    /// Rules most often missed first (then by pack and rule id), leaving out rules no case missed.
    pub fn most_missed(&self) -> Vec<(&(String, String), &RuleAudit)> {
        let mut rows: Vec<_> = self.rules.iter().filter(|(_, r)| r.missed > 0).collect();
        rows.sort_by(|a, b| b.1.missed.cmp(&a.1.missed).then_with(|| a.0.cmp(b.0)));
        rows
    }

    /// Cases checked (not counting those that could not be read).
    pub fn checked(&self) -> usize {
        self.cases.iter().filter(|c| c.error.is_none()).count()
    }

    /// Cases that could not be read or checked.
    pub fn failed(&self) -> usize {
        self.cases.len() - self.checked()
    }

    /// Checked cases that may be submitted.
    pub fn allowed(&self) -> usize {
        self.cases.iter().filter(|c| c.error.is_none() && c.allowed).count()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{evaluate, Case, Config, Pack, Time};

    fn report(name: &str) -> Report {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("samples").join(name);
        let case = Case::from_json(&std::fs::read_to_string(path).unwrap()).unwrap();
        let pack = Pack::builtin("changsha-zfj").unwrap();
        evaluate(&case, &pack, &Config::default(), Time::parse("2026-04-10T12:00").unwrap())
    }

    #[test]
    fn rules_count_cases_not_items_and_merge_adds_up() {
        let complete = report("01-complete.json");
        let missing = report("02-missing-service-receipt.json");
        let mut a = Audit::default();
        a.add("01", &complete);
        a.add("02", &missing);
        let mut b = Audit::default();
        b.add("02b", &missing);
        b.add_error("bad.json", "case is malformed".into());
        a.merge(b);
        assert_eq!(a.cases.len(), 4);
        assert_eq!((a.checked(), a.failed()), (3, 1));
        assert_eq!(a.cases.iter().map(|c| c.source.as_str()).collect::<Vec<_>>(), ["01", "02", "02b", "bad.json"]);
        assert!(!missing.gate.allowed && complete.gate.allowed);
        assert_eq!(a.allowed(), 1);
        assert_eq!(a.cases[1].blocking, missing.gate.blocking.len());
        // Every rule the missing-receipt case misses counts it once per case, twice in all.
        let missed_rules: std::collections::BTreeSet<_> =
            missing.items().filter(|i| i.status.is_unmet()).map(|i| i.rule.to_string()).collect();
        assert!(!missed_rules.is_empty());
        for r in &missed_rules {
            let row = &a.rules[&("changsha-zfj".to_owned(), r.clone())];
            assert_eq!(row.missed, 2, "{r}");
            assert!(row.applicable >= 2);
        }
        let top = a.most_missed();
        assert_eq!(top.len(), missed_rules.len());
        assert!(top.windows(2).all(|w| w[0].1.missed >= w[1].1.missed));
    }
}
