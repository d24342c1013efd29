//! What a rule is checked for: one item per target of its scope.
use rules_core::{Activity, Case, Media, Record, Scope, Service};

/// Where a record is filed.
#[derive(Debug, Clone, Copy)]
pub enum Place<'a> {
    /// On the case itself.
    Case,
    /// Within an activity.
    Activity(&'a Activity),
    /// Within a service attempt.
    Service(&'a Service),
}

/// One target of a rule.
#[derive(Debug, Clone, Copy)]
pub enum Target<'a> {
    /// The case as a whole.
    Case,
    /// One activity.
    Activity(&'a Activity),
    /// One service attempt.
    Service(&'a Service),
    /// One record, with where it is filed.
    Record(&'a Record, Place<'a>),
    /// One media file, with its record and where that is filed.
    Media(&'a Media, &'a Record, Place<'a>),
}

impl Target<'_> {
    /// The target part of the item key: `case`, the id of the activity, service or record, or
    /// `record/media` (report.rs: "`case`, or the id of the activity, service, record or
    /// `record/media` checked"). Decision: a media file has no id of its own, so `media` is
    /// its file name.
    pub fn id(&self) -> String {
        match self {
            Target::Case => "case".to_owned(),
            Target::Activity(a) => a.id.clone(),
            Target::Service(s) => s.id.clone(),
            Target::Record(r, _) => r.id.clone(),
            Target::Media(m, r, _) => format!("{}/{}", r.id, m.name),
        }
    }
}

/// Every record of the case with where it is filed: the case's own, then each activity's,
/// then each service's.
pub fn every_record(case: &Case) -> Vec<(&Record, Place<'_>)> {
    let mut out = Vec::new();
    for r in &case.records {
        out.push((r, Place::Case));
    }
    for a in &case.activities {
        for r in &a.records {
            out.push((r, Place::Activity(a)));
        }
    }
    for s in &case.services {
        for r in &s.records {
            out.push((r, Place::Service(s)));
        }
    }
    out
}

/// The targets of `scope` in `case`.
pub fn targets<'a>(case: &'a Case, scope: &Scope) -> Vec<Target<'a>> {
    let mut out = Vec::new();
    match scope {
        Scope::Case => out.push(Target::Case),
        Scope::Activity(kinds) => {
            for a in &case.activities {
                if kinds.contains(&a.kind) {
                    out.push(Target::Activity(a));
                }
            }
        }
        Scope::Service(methods) => {
            for s in &case.services {
                if methods.is_empty() || methods.contains(&s.method) {
                    out.push(Target::Service(s));
                }
            }
        }
        Scope::Record(kinds) => {
            for (r, place) in every_record(case) {
                if kinds.contains(&r.kind) {
                    out.push(Target::Record(r, place));
                }
            }
        }
        Scope::Media(kinds) => {
            for (r, place) in every_record(case) {
                if kinds.is_empty() || kinds.contains(&r.kind) {
                    for m in &r.media {
                        out.push(Target::Media(m, r, place));
                    }
                }
            }
        }
    }
    out
}
