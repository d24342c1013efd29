//! `when`: conditions on the case and the current target (pack-reference.md, "Cond").
use rules_core::{Case, Cond, Record};

use super::targets::{every_record, Place, Target};

/// Whether `cond` holds for `target` of `case`.
pub fn holds(cond: &Cond, case: &Case, target: &Target<'_>) -> bool {
    match cond {
        Cond::All(list) => {
            for c in list {
                if !holds(c, case, target) {
                    return false;
                }
            }
            true
        }
        Cond::Any(list) => {
            for c in list {
                if holds(c, case, target) {
                    return true;
                }
            }
            false
        }
        Cond::Not(c) => !holds(c, case, target),
        Cond::Flag(f) => case.flags.contains(f),
        Cond::ThisFlag(f) => this_flag(f, case, target),
        Cond::AnyFlag(f) => {
            if case.flags.contains(f) {
                return true;
            }
            for a in &case.activities {
                if a.flags.contains(f) {
                    return true;
                }
            }
            for s in &case.services {
                if s.flags.contains(f) {
                    return true;
                }
            }
            for (r, _) in every_record(case) {
                if r.flags.contains(f) {
                    return true;
                }
            }
            false
        }
        Cond::Activity(kinds) => {
            for a in &case.activities {
                if kinds.contains(&a.kind) {
                    return true;
                }
            }
            false
        }
        Cond::Record(kinds) => {
            for (r, _) in every_record(case) {
                if kinds.contains(&r.kind) {
                    return true;
                }
            }
            false
        }
        // Decision: "a document of these kinds was served" is an attempt to serve it listed in
        // the case's services; whether it carries a time is the deadlines' and orders' business.
        Cond::Served(kinds) => {
            for s in &case.services {
                if kinds.contains(&s.document) {
                    return true;
                }
            }
            false
        }
        Cond::Fact(f) => case.facts.contains_key(f),
        Cond::ThisDocument(kinds) => match target {
            Target::Service(s) => kinds.contains(&s.document),
            Target::Record(r, _) => kinds.contains(&r.kind),
            // Decision: a media file is read as its record ("the target record is one").
            Target::Media(_, r, _) => kinds.contains(&r.kind),
            Target::Case | Target::Activity(_) => false,
        },
        Cond::ThisKind(kinds) => match target {
            Target::Activity(a) => kinds.contains(&a.kind),
            Target::Record(_, Place::Activity(a)) | Target::Media(_, _, Place::Activity(a)) => kinds.contains(&a.kind),
            _ => false,
        },
        Cond::MultiPage => match own_record(target) {
            Some(r) => r.pages.unwrap_or(0) > 1,
            None => false,
        },
        Cond::Refused(role) => match own_record(target) {
            Some(r) => {
                for s in &r.signatures {
                    if s.refused && s.role == *role {
                        return true;
                    }
                }
                false
            }
            None => false,
        },
    }
}

/// The target record, or the media file's record.
fn own_record<'a>(target: &Target<'a>) -> Option<&'a Record> {
    match target {
        Target::Record(r, _) | Target::Media(_, r, _) => Some(r),
        _ => None,
    }
}

/// "The target (or the activity or service it belongs to) has this flag."
fn this_flag(f: &str, case: &Case, target: &Target<'_>) -> bool {
    let f = f.to_owned();
    let place_has = |place: &Place<'_>| match place {
        Place::Activity(a) => a.flags.contains(&f),
        Place::Service(s) => s.flags.contains(&f),
        // Decision: a record filed on the case belongs to no activity or service; the case's
        // own flags are `flag`'s, not this target's.
        Place::Case => false,
    };
    match target {
        // Decision: the case as a target has the case's flags.
        Target::Case => case.flags.contains(&f),
        Target::Activity(a) => a.flags.contains(&f),
        Target::Service(s) => s.flags.contains(&f),
        Target::Record(r, place) | Target::Media(_, r, place) => r.flags.contains(&f) || place_has(place),
    }
}
