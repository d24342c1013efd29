//! Conditions (`when`) on the case and the current target.
use super::index::listed;
use super::{Ctx, Target};
use crate::case::Owner;
use crate::rule::Cond;

pub(crate) fn holds(ctx: &Ctx<'_>, c: &Cond, t: Target<'_>) -> bool {
    let case = ctx.case;
    match c {
        Cond::All(v) => v.iter().all(|c| holds(ctx, c, t)),
        Cond::Any(v) => v.iter().any(|c| holds(ctx, c, t)),
        Cond::Not(c) => !holds(ctx, c, t),
        Cond::Flag(f) => has(&case.flags, f),
        Cond::ThisFlag(f) => this_has_flag(t, f),
        Cond::AnyFlag(f) => {
            has(&case.flags, f)
                || case.activities.iter().any(|a| has(&a.flags, f))
                || case.services.iter().any(|s| has(&s.flags, f))
                || case.all_records().any(|(_, r)| has(&r.flags, f))
        }
        Cond::Activity(k) => k.iter().any(|k| ctx.activities.contains_key(k.as_str())),
        Cond::Record(k) => k.iter().any(|k| ctx.by_kind.contains_key(k.as_str())),
        Cond::Served(k) => k.iter().any(|k| ctx.served.contains_key(k.as_str())),
        Cond::Fact(f) => case.facts.contains_key(f),
        Cond::ThisKind(k) => match t {
            Target::Activity(a) => listed(k, &a.kind),
            Target::Record(Owner::Activity(a), _) | Target::Media(Owner::Activity(a), _, _) => listed(k, &a.kind),
            _ => false,
        },
        Cond::MultiPage => match t {
            Target::Record(_, r) | Target::Media(_, r, _) => r.pages.unwrap_or(1) > 1,
            _ => false,
        },
        Cond::Refused(role) => match t {
            Target::Record(_, r) | Target::Media(_, r, _) => {
                r.signatures.iter().any(|s| s.refused && super::index::same(&s.role, role))
            }
            _ => false,
        },
        Cond::ThisDocument(k) => match t {
            Target::Service(s) => listed(k, &s.document),
            Target::Record(_, r) | Target::Media(_, r, _) => listed(k, &r.kind),
            _ => false,
        },
    }
}

fn owner_has(o: Owner<'_>, f: &str) -> bool {
    match o {
        Owner::Case => false,
        Owner::Activity(a) => has(&a.flags, f),
        Owner::Service(s) => has(&s.flags, f),
    }
}

fn this_has_flag(t: Target<'_>, f: &str) -> bool {
    match t {
        Target::Case => false,
        Target::Activity(a) => has(&a.flags, f),
        Target::Service(s) => has(&s.flags, f),
        Target::Record(o, r) | Target::Media(o, r, _) => has(&r.flags, f) || owner_has(o, f),
    }
}

/// Whether `set` holds `f`. Flag sets are mostly empty, which is seen here; the search is kept
/// out of line, so that [`holds`], run for most items, stays small.
fn has(set: &std::collections::BTreeSet<String>, f: &str) -> bool {
    !set.is_empty() && search(set, f)
}

#[inline(never)]
fn search(set: &std::collections::BTreeSet<String>, f: &str) -> bool {
    set.contains(f)
}
