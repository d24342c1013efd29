//! Anchors: the moments deadlines and orders are measured between.
use std::fmt;

use super::{Ctx, Target};
use crate::case::{Activity, Owner, Record, Service};
use crate::report::Texts;
use crate::rule::{Anchor, ThisPoint};
use crate::time::Time;

/// Where a moment came from, written out only when a detail needs it: a case has many
/// candidates for an anchor, and describing each one would cost more than the check itself.
#[derive(Clone, Copy)]
pub(crate) enum What<'a> {
    /// A named fact, by the pack's name for it.
    Fact(&'a str),
    /// An activity began.
    Start(&'a Activity),
    /// An activity ended.
    End(&'a Activity),
    /// A record was made.
    Record(&'a Record),
    /// A document was served.
    Served(&'a Service),
    /// A point of the item's own target.
    This(&'static str),
}

impl fmt::Display for What<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            What::Fact(name) => f.write_str(name),
            What::Start(a) => write!(f, "{}（{}）开始", a.kind, a.id),
            What::End(a) => write!(f, "{}（{}）结束", a.kind, a.id),
            What::Record(r) => write!(f, "《{}》（{}）", r.kind, r.id),
            What::Served(s) => write!(f, "《{}》送达（{}）", s.document, s.id),
            What::This(what) => f.write_str(what),
        }
    }
}

impl What<'_> {
    /// Writes what [`Display`](fmt::Display) writes, piece by piece.
    pub(crate) fn write(&self, out: &mut Texts) {
        let (open, kind, mid, id, close) = match self {
            What::Fact(name) => return out.push_str(name),
            What::This(what) => return out.push_str(what),
            What::Start(a) => ("", &a.kind, "（", &a.id, "）开始"),
            What::End(a) => ("", &a.kind, "（", &a.id, "）结束"),
            What::Record(r) => ("《", &r.kind, "》（", &r.id, "）"),
            What::Served(s) => ("《", &s.document, "》送达（", &s.id, "）"),
        };
        out.push_str(open);
        out.push_str(kind);
        out.push_str(mid);
        out.push_str(id);
        out.push_str(close);
    }
}

/// The moment, with where it came from; `None` if it has not happened. `after` is the moment
/// the other end of the check resolved to, which [`Anchor::RecordAfter`] counts from.
pub(crate) fn resolve_after<'a>(
    ctx: &Ctx<'a>,
    a: &'a Anchor,
    t: Target<'a>,
    after: Option<Time>,
) -> Option<(Time, What<'a>)> {
    let case = ctx.case;
    match a {
        Anchor::Fact(f) => {
            case.facts.get(f).map(|x| (*x, What::Fact(ctx.fact_names.get(f).map_or(f.as_str(), String::as_str))))
        }
        // Indexed lists, compared on (time, place in the case): the same one a scan in case
        // order picks (the first earliest, the last latest).
        Anchor::ActivityStart(k) => activities(ctx, k)
            .filter_map(|(i, x)| x.start.map(|s| (s, i, What::Start(x))))
            .min_by_key(|(s, i, _)| (*s, *i))
            .map(|(s, _, w)| (s, w)),
        Anchor::ActivityEnd(k) => activities(ctx, k)
            .filter_map(|(i, x)| x.end.map(|s| (s, i, What::End(x))))
            .max_by_key(|(s, i, _)| (*s, *i))
            .map(|(s, _, w)| (s, w)),
        Anchor::Record(k) => earliest_record(ctx, k, None),
        Anchor::RecordAfter(k) => earliest_record(ctx, k, after),
        Anchor::Served(k) => k
            .iter()
            .filter_map(|k| ctx.served.get(k.as_str()))
            .flatten()
            .filter_map(|i| ctx.case.services.get(*i).map(|s| (*i, s)))
            .filter_map(|(i, s)| s.at.map(|at| (at, i, What::Served(s))))
            .min_by_key(|(m, i, _)| (*m, *i))
            .map(|(m, _, w)| (m, w)),
        Anchor::This(p) => this(t, *p),
        Anchor::FirstOf(v) => v.iter().find_map(|a| resolve_after(ctx, a, t, after)),
    }
}

/// The earliest record of `kinds` by its `made_at`, at or after `after` when given.
fn earliest_record<'a>(ctx: &Ctx<'a>, kinds: &'a [String], after: Option<Time>) -> Option<(Time, What<'a>)> {
    kinds
        .iter()
        .filter_map(|k| ctx.by_kind.get(k.as_str()))
        .flatten()
        .filter_map(|(_, _, r)| r.made_at.map(|m| (m, What::Record(r))))
        .filter(|(m, _)| after.is_none_or(|a| *m >= a))
        .min_by_key(|(m, _)| *m)
}

/// As [`resolve_after`], for anchor `slot` (0 or 1) of the rule being checked: an anchor that does not
/// read the item (the earliest record of a kind, the latest end of an activity…) is resolved
/// for the rule's first item and kept for the others. Scanned again per item, a rule over
/// every activity anchored on every record cost activities × records.
pub(crate) fn resolve_once<'a>(
    ctx: &mut Ctx<'a>,
    slot: usize,
    a: &'a Anchor,
    t: Target<'a>,
    after: Option<Time>,
) -> Option<(Time, What<'a>)> {
    if reads_item(a) {
        return resolve_after(ctx, a, t, after);
    }
    if let Some(Some(known)) = ctx.said.anchors.get(slot) {
        return *known;
    }
    let found = resolve_after(ctx, a, t, after);
    if let Some(s) = ctx.said.anchors.get_mut(slot) {
        *s = Some(found);
    }
    found
}

/// Whether `a` can resolve differently from one item to another.
fn reads_item(a: &Anchor) -> bool {
    match a {
        Anchor::This(_) | Anchor::RecordAfter(_) => true,
        Anchor::FirstOf(v) => v.iter().any(reads_item),
        Anchor::Fact(_) | Anchor::ActivityStart(_) | Anchor::ActivityEnd(_) | Anchor::Record(_) | Anchor::Served(_) => {
            false
        }
    }
}

fn owner_activity(o: Owner<'_>) -> Option<&Activity> {
    match o {
        Owner::Activity(a) => Some(a),
        _ => None,
    }
}

fn this<'a>(t: Target<'a>, p: ThisPoint) -> Option<(Time, What<'a>)> {
    let with = |x: Option<Time>, what: &'static str| x.map(|x| (x, What::This(what)));
    match (t, p) {
        (Target::Activity(a), ThisPoint::Start) => with(a.start, "开始"),
        (Target::Activity(a), ThisPoint::End) => with(a.end, "结束"),
        (Target::Activity(a), ThisPoint::Returned) => with(a.returned_at, "返回单位"),
        (Target::Service(s), ThisPoint::Served) => with(s.at, "送达"),
        (Target::Record(_, r) | Target::Media(_, r, _), ThisPoint::Made) => with(r.made_at, "制作"),
        (Target::Record(o, _) | Target::Media(o, _, _), ThisPoint::Returned) => {
            owner_activity(o).and_then(|a| with(a.returned_at, "返回单位"))
        }
        (Target::Record(o, _) | Target::Media(o, _, _), ThisPoint::End) => {
            owner_activity(o).and_then(|a| with(a.end, "结束"))
        }
        (Target::Media(_, _, m), ThisPoint::RecordedTo) => with(m.recorded_to, "录制结束"),
        (Target::Media(_, _, m), ThisPoint::Stored) => with(m.stored_at, "存储"),
        (Target::Media(_, _, m), ThisPoint::Deleted) => with(m.deleted_at, "删除"),
        _ => None,
    }
}

/// The activities of any of `kinds` with their places in the case (each once, even if a kind
/// is listed twice: a repeated kind's activities tie with themselves and change nothing).
fn activities<'a, 'k>(ctx: &'k Ctx<'a>, kinds: &'k [String]) -> impl Iterator<Item = (usize, &'a Activity)> + 'k {
    kinds
        .iter()
        .filter_map(|k| ctx.activities.get(k.as_str()))
        .flatten()
        .filter_map(|i| ctx.case.activities.get(*i).map(|a| (*i, a)))
}
