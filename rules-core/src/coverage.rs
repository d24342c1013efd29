//! Coverage: every article of a pack's source text, encoded, excluded or not yet reviewed.
use serde::Serialize;

use crate::pack::Pack;

mod clauses;
pub use clauses::{clause_counts, clauses, clauses_markdown, split as split_clauses, ClauseCoverage, ClauseRow};

/// How one article is covered.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "status", rename_all = "kebab-case")]
pub enum Coverage {
    /// Rules cite it.
    Encoded {
        /// The rule ids.
        rules: Vec<String>,
    },
    /// Left out on purpose.
    Excluded {
        /// Why.
        reason: String,
    },
    /// Nobody has decided yet.
    Unreviewed,
}

/// One row of the coverage listing.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CoverageRow {
    /// The pack id.
    pub pack: String,
    /// The article as the text numbers it.
    pub article: String,
    /// How it is covered.
    #[serde(flatten)]
    pub coverage: Coverage,
}

/// Every article of the pack's source, in text order.
pub fn coverage(pack: &Pack) -> Vec<CoverageRow> {
    pack.source
        .articles
        .iter()
        .map(|a| {
            let rules: Vec<String> =
                pack.def.rules.iter().filter(|r| r.article == a.label).map(|r| r.id.clone()).collect();
            let coverage = if !rules.is_empty() {
                Coverage::Encoded { rules }
            } else if let Some(e) = pack.def.excluded.iter().find(|e| e.article == a.label) {
                Coverage::Excluded { reason: e.reason.clone() }
            } else {
                Coverage::Unreviewed
            };
            CoverageRow { pack: pack.def.id.clone(), article: a.label.clone(), coverage }
        })
        .collect()
}

impl CoverageRow {
    /// `pack<TAB>article<TAB>status<TAB>rules or reason`.
    pub fn tsv(&self) -> String {
        let (status, what) = match &self.coverage {
            Coverage::Encoded { rules } => ("encoded", rules.join(",")),
            Coverage::Excluded { reason } => ("excluded", reason.clone()),
            Coverage::Unreviewed => ("unreviewed", String::new()),
        };
        format!("{}\t{}\t{}\t{}", self.pack, self.article, status, what.replace(['\t', '\n'], " "))
    }
}
