//! Batch audit (案卷评查): many cases' reports summed up per rule and per case.
//!
//! An [`Audit`] is built from reports one at a time and two audits [`Audit::merge`], so
//! cases can be checked in parallel and the parts joined in input order.
use std::collections::BTreeMap;
use std::sync::Arc;

use serde::Serialize;

use crate::report::{Report, Status};

/// The summary of many cases.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Audit {
    /// One row per case, in input order.
    pub cases: Vec<CaseAudit>,
    /// One row per rule met in at least one case: by pack id, then rule id.
    pub rules: BTreeMap<String, BTreeMap<Arc<str>, RuleAudit>>,
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
    /// Items that count on an officer's acknowledgment rather than on the platform's data,
    /// each as `title（target）：人工确认 when（who）：note`, for a reviewer to check.
    pub acknowledged: Vec<String>,
    /// Reasons given at submit, from the case's checklist record: who, when, the reason.
    pub reasons: Vec<String>,
    /// The head of the case's checklist record log (`count` entries, hash), when one was read.
    pub record: Option<String>,
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
    /// Cases where the rule applied (at least one item neither 不适用 nor 已停用).
    pub applicable: usize,
    /// Cases where at least one of its items is unmet.
    pub missed: usize,
    /// Unmet items over all cases.
    pub unmet_items: usize,
}

impl Audit {
    /// Adds one checked case.
    pub fn add(&mut self, source: &str, report: &Report) {
        // Items of one rule are adjacent (one rule, many targets): sum each run, then touch
        // the table once per rule, without allocating for rules already in it.
        let pack = match self.rules.get_mut(&report.pack.id) {
            Some(p) => p,
            None => self.rules.entry(report.pack.id.clone()).or_default(),
        };
        let mut items = report.items().peekable();
        while let Some(first) = items.next() {
            let mut run = RuleAudit::default();
            let mut tally = |i: crate::report::Item<'_>| {
                let unmet = i.status.is_unmet();
                run.unmet_items += usize::from(unmet);
                run.missed = run.missed.max(usize::from(unmet));
                run.applicable =
                    run.applicable.max(usize::from(!matches!(i.status, Status::NotApplicable | Status::Waived)));
            };
            tally(first);
            while let Some(i) = items.next_if(|i| i.rule() == first.rule()) {
                tally(i);
            }
            let row = match pack.get_mut(first.rule()) {
                Some(r) => r,
                None => pack.entry(first.rule().into()).or_insert_with(|| {
                    let rule = report.rule_of(first);
                    RuleAudit {
                        title: rule.map(|r| r.title.to_string()).unwrap_or_default(),
                        article: rule.map(|r| r.citation.article.to_string()).unwrap_or_default(),
                        ..RuleAudit::default()
                    }
                }),
            };
            row.applicable += run.applicable;
            row.missed += run.missed;
            row.unmet_items += run.unmet_items;
        }
        self.cases.push(CaseAudit {
            source: source.to_owned(),
            case_id: report.case_id.clone(),
            pack: report.pack.id.clone(),
            blocking: report.gate.blocking.len(),
            warnings: report.gate.warnings.len(),
            allowed: report.gate.allowed,
            acknowledged: report
                .items()
                .filter(|i| i.status == Status::Acknowledged)
                .map(|i| {
                    let title = report.rule_of(i).map_or_else(|| i.rule().to_owned(), |r| r.title.to_string());
                    let target = if i.target() == "case" { String::new() } else { format!("（{}）", i.target()) };
                    format!("{title}{target}：{}", i.satisfied_by().join("、"))
                })
                .collect(),
            reasons: Vec::new(),
            record: None,
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
            acknowledged: Vec::new(),
            reasons: Vec::new(),
            record: None,
            error: Some(error),
        });
    }

    /// Joins another audit's cases after this one's and adds up the rules.
    pub fn merge(&mut self, other: Audit) {
        self.cases.extend(other.cases);
        for (pack, rules) in other.rules {
            let mine = self.rules.entry(pack).or_default();
            for (id, r) in rules {
                match mine.get_mut(&id) {
                    Some(row) => {
                        row.applicable += r.applicable;
                        row.missed += r.missed;
                        row.unmet_items += r.unmet_items;
                    }
                    None => {
                        mine.insert(id, r);
                    }
                }
            }
        }
    }

    /// Every rule as `(pack, rule, row)`, most often missed first (then by pack and rule id).
    pub fn by_misses(&self) -> Vec<(&str, &str, &RuleAudit)> {
        let mut rows: Vec<_> =
            self.rules.iter().flat_map(|(p, rs)| rs.iter().map(move |(id, r)| (p.as_str(), &**id, r))).collect();
        rows.sort_by(|a, b| b.2.missed.cmp(&a.2.missed).then_with(|| (a.0, a.1).cmp(&(b.0, b.1))));
        rows
    }

    /// As [`Audit::by_misses`], leaving out rules no case missed.
    pub fn most_missed(&self) -> Vec<(&str, &str, &RuleAudit)> {
        let mut rows = self.by_misses();
        rows.retain(|r| r.2.missed > 0);
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
            missing.items().filter(|i| i.status.is_unmet()).map(|i| i.rule().to_string()).collect();
        assert!(!missed_rules.is_empty());
        for r in &missed_rules {
            let row = &a.rules["changsha-zfj"][r.as_str()];
            assert_eq!(row.missed, 2, "{r}");
            assert!(row.applicable >= 2);
        }
        let top = a.most_missed();
        assert_eq!(top.len(), missed_rules.len());
        assert!(top.windows(2).all(|w| w[0].2.missed >= w[1].2.missed));
    }
}
