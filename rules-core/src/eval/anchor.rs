//! Anchors: the moments deadlines and orders are measured between.
use super::{Ctx, Target};
use crate::case::Owner;
use crate::rule::{Anchor, ThisPoint};
use crate::time::Time;

/// The moment, with a short description of where it came from; `None` if it has not happened.
pub(crate) fn resolve(ctx: &Ctx<'_>, a: &Anchor, t: Target<'_>) -> Option<(Time, String)> {
    let case = ctx.case;
    match a {
        Anchor::Fact(f) => case.facts.get(f).map(|x| (*x, ctx.fact_names.get(f).cloned().unwrap_or_else(|| f.clone()))),
        Anchor::ActivityStart(k) => case
            .activities
            .iter()
            .filter(|x| k.contains(&x.kind))
            .filter_map(|x| x.start.map(|s| (s, format!("{}（{}）开始", x.kind, x.id))))
            .min_by_key(|(s, _)| *s),
        Anchor::ActivityEnd(k) => case
            .activities
            .iter()
            .filter(|x| k.contains(&x.kind))
            .filter_map(|x| x.end.map(|s| (s, format!("{}（{}）结束", x.kind, x.id))))
            .max_by_key(|(s, _)| *s),
        Anchor::Record(k) => k
            .iter()
            .filter_map(|k| ctx.by_kind.get(k.as_str()))
            .flatten()
            .filter_map(|(_, r)| r.made_at.map(|m| (m, format!("《{}》（{}）", r.kind, r.id))))
            .min_by_key(|(m, _)| *m),
        Anchor::Served(k) => case
            .services
            .iter()
            .filter(|s| k.contains(&s.document))
            .filter_map(|s| s.at.map(|at| (at, format!("《{}》送达（{}）", s.document, s.id))))
            .min_by_key(|(m, _)| *m),
        Anchor::This(p) => this(t, *p),
        Anchor::FirstOf(v) => v.iter().find_map(|a| resolve(ctx, a, t)),
    }
}

fn owner_activity(o: Owner<'_>) -> Option<&crate::case::Activity> {
    match o {
        Owner::Activity(a) => Some(a),
        _ => None,
    }
}

fn this(t: Target<'_>, p: ThisPoint) -> Option<(Time, String)> {
    let with = |x: Option<Time>, what: &str| x.map(|x| (x, what.to_owned()));
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
