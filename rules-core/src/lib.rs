//! The rules engine for 行政执法全过程记录 (full-process recording of administrative law
//! enforcement).
//!
//! An agency's regulation is a [`Pack`]: rules that each cite an article of the regulation,
//! quote it verbatim and keep its strength (应当 = must, 可以 = may). A [`Case`] from the host
//! platform is checked against a pack with [`evaluate`], which returns a [`Report`]: a per-step
//! checklist, findings (missing records, overdue deadlines) and a submit [`Gate`]. Missing
//! records are findings, never errors; only malformed input is an error.
//!
//! The engine is pure: it never reads the clock (`now` is an argument) or the network, and it
//! builds for `wasm32-unknown-unknown` with its default features (the library alone: `authoring`,
//! `schema` and `cli` are asked for by whoever needs them).
//!
//! ```
//! use rules_core::{evaluate, Case, Config, Pack, Status, Time};
//!
//! let pack = Pack::builtin("changsha-zfj")?;
//! let case = Case::from_json(r#"{
//!     "id": "长执罚〔2026〕12号",
//!     "procedure": "ordinary",
//!     "activities": [{ "id": "A1", "kind": "现场检查", "start": "2026-03-02T09:00", "end": "2026-03-02T10:00" }]
//! }"#)?;
//! let report = evaluate(&case, &pack, &Config::default(), Time::parse("2026-03-02T12:00")?);
//! let av = report.item("13-inspection-av@A1").expect("the inspection needs AV");
//! assert_eq!(av.status, Status::Missing);
//! // Each rule's title and citation are given once, in the report's rule table.
//! assert_eq!(&*report.rule_of(av).expect("cited").citation.article, "第十三条");
//! assert!(!report.gate.allowed);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod attach;
mod audit;
mod calendar;
mod case;
mod checklist;
mod compare;
mod config;
mod coverage;
mod error;
mod eval;
mod json_path;
mod json_pretty;
mod json_reader;
mod log;
mod pack;
#[cfg(all(feature = "schema", feature = "authoring"))]
mod pack_doc;
mod period;
mod report;
mod rule;
#[cfg(feature = "authoring")]
pub mod scenario;
mod sheet;
mod text_pos;
mod text_value;
mod time;

pub use attach::{attach_media, is_media_rule, takes_media, AttachError};
pub use audit::{Audit, CaseAudit, RuleAudit};
#[cfg(feature = "authoring")]
pub use calendar::BUILTIN_CALENDAR;
pub use calendar::{Calendar, DayKind};
pub use case::{
    Acknowledgment, Activity, Case, ExcludedPeriod, Media, Owner, Record, Service, ServiceMethod, Signature,
    MAX_EXCLUDED_DAYS,
};
pub use checklist::{
    AckConflict, ChecklistRecord, MediaDigest, MergeOutcome, RecordError, RecordLog, SubmitReason, RECORD_FORMAT,
};
pub use compare::compare_markdown;
pub use config::{
    config_effect, diff_configs, CaseEffect, Change, Config, ConfigDiff, ConfigEffect, Options, OverrideChange,
    OverrideScope, RuleOverride, UncheckedPolicy,
};
pub use coverage::{
    clause_counts, clauses, clauses_markdown, coverage, split_clauses, ClauseCoverage, ClauseRow, Coverage, CoverageRow,
};
pub use error::{CalendarError, CaseError, ConfigError, PackError, SetupError};
pub use eval::{
    builtin_choice, evaluate, evaluate_in, evaluate_selected, evaluate_with_calendar, select_in, version_note,
};
pub use json_reader::from_str as json_from_str;
pub use log::{
    genesis, head_of, merge_logs, next_entry, sha256_hex, verify as verify_log, BreakReason, CaseLog, ConfigApplied,
    ItemAcknowledged, ItemUnacknowledged, LogBreak, LogEntry, LogError, LogEvent, LogHead, MediaHashed, Merged,
    PackVersion, SubmitAllowed, SubmitAttempted, SubmitBlocked, LOG_FORMAT,
};
pub use pack::{
    builtin_pack_ids, builtin_packs, builtin_select, builtin_versions, check_versions, choose_version, Article,
    BuiltinVersion, ClauseNote, Exclusion, FlagLevels, Named, Pack, PackDef, PackRegistry, Selected, Source,
    VersionKey,
};
#[cfg(feature = "authoring")]
pub use pack::{find_pack_folders, PackFolder};
#[cfg(all(feature = "schema", feature = "authoring"))]
pub use pack_doc::pack_reference_markdown;
pub use period::{Counter, Due, Period, Unit};
pub use report::{
    Citation, ConfigRef, Finding, Gate, Item, Key, List, PackRef, Report, RuleInfo, Status, StepReport, Submit,
};
pub use rule::{
    duty_word, Accepts, Anchor, Check, Cond, DeadlineCheck, Extension, OrderCheck, RecordCheck, Rule, Scope, Severity,
    SignatureCheck, Strength, ThisPoint, Within,
};
pub use sheet::{report_html, Sheet};
pub use text_pos::utf8_text;
pub use time::{Time, TimeError, WithSeconds};

/// The JSON Schema of the case contract (committed as `rules-core/schema/case.schema.json`).
#[cfg(feature = "schema")]
pub fn case_schema() -> serde_json::Value {
    serde_json::to_value(schemars::schema_for!(Case)).unwrap_or_default()
}

/// The JSON Schema of the agency config (committed as `rules-core/schema/config.schema.json`).
#[cfg(feature = "schema")]
pub fn config_schema() -> serde_json::Value {
    serde_json::to_value(schemars::schema_for!(Config)).unwrap_or_default()
}

/// The JSON Schema of the report (committed as `rules-core/schema/report.schema.json`).
#[cfg(feature = "schema")]
pub fn report_schema() -> serde_json::Value {
    serde_json::to_value(schemars::schema_for!(Report)).unwrap_or_default()
}

/// The JSON Schema of a pack's `pack.toml` (committed as `rules-core/schema/pack.schema.json`),
/// from the types the loader reads.
#[cfg(feature = "schema")]
pub fn pack_schema() -> serde_json::Value {
    serde_json::to_value(schemars::schema_for!(PackDef)).unwrap_or_default()
}

/// The JSON Schema of an exported case log (committed as `rules-core/schema/log.schema.json`).
#[cfg(feature = "schema")]
pub fn log_schema() -> serde_json::Value {
    serde_json::to_value(schemars::schema_for!(CaseLog)).unwrap_or_default()
}

/// The JSON Schema of a case's checklist record (committed as
/// `rules-core/schema/record.schema.json`).
#[cfg(feature = "schema")]
pub fn record_schema() -> serde_json::Value {
    serde_json::to_value(schemars::schema_for!(ChecklistRecord)).unwrap_or_default()
}
