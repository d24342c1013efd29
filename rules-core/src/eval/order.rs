//! Order checks: one thing before another, optionally with a minimum gap.
use chrono::Duration;

use super::anchor::What;
use super::{anchor, Ctx, Outcome, Target};
use crate::report::{Run, Status, Texts};
use crate::rule::OrderCheck;
use crate::time::Time;

pub(crate) fn check<'a>(ctx: &mut Ctx<'a>, c: &'a OrderCheck, t: Target<'a>) -> Outcome {
    let Some((then, then_what)) = anchor::resolve_once(ctx, 0, &c.then, t, None) else {
        return Outcome::new(Status::NotApplicable, ctx.out.fixed("后一环节尚未发生"));
    };
    let Some((first, first_what)) = anchor::resolve_once(ctx, 1, &c.first, t, None) else {
        let out = &mut ctx.out;
        let mark = out.mark();
        at(out, then_what, "于", then, false);
        out.push_str("，但前一环节没有记录");
        let mut o = Outcome::new(Status::Missing, out.since(mark));
        let list = out.list_mark();
        let mark = out.mark();
        out.push_str("前一环节");
        let entry = out.since(mark);
        out.add_entry(entry);
        o.missing = out.list_since(list);
        return o;
    };
    // Written piece by piece rather than with `format!`, as deadlines are: the formatting
    // machinery was most of the cost of an order item.
    let due = match c.min_gap {
        None => None,
        Some(gap) => match ctx.counter.due(first, gap, Duration::zero()) {
            Some(due) => Some((gap, due)),
            None => return super::deadline::beyond_range(ctx),
        },
    };
    let out = &mut ctx.out;
    let mark = out.mark();
    // Within one minute, the seconds say which came first (「审批于09:00，晚于查封（09:00）」).
    let seconds = first != then && first.same_minute(then);
    at(out, first_what, "于", first, seconds);
    let met = match due {
        None if first <= then => {
            out.push_str("，先于");
            true
        }
        None => {
            out.push_str("，晚于");
            false
        }
        Some((_, due)) => {
            out.push_str("，距");
            then >= due.at
        }
    };
    at(out, then_what, "（", then, seconds);
    out.push_str("）");
    if let Some((gap, due)) = due {
        out.push_str(if met { "已满" } else { "不足" });
        out.period(gap);
        if !met {
            out.push_str("（最早可于");
            out.due(due);
            out.push_str("之后）");
        }
    }
    let detail = out.since(mark);
    if !met {
        return Outcome::new(Status::OutOfOrder, detail);
    }
    let mut o = Outcome::new(Status::Satisfied, detail);
    o.satisfied_by = entry(out, first_what, first);
    o
}

/// Writes `{what}{sep}{time}`, the time with its seconds when they decide.
fn at(out: &mut Texts, what: What<'_>, sep: &str, t: Time, seconds: bool) {
    what.write(out);
    out.push_str(sep);
    if seconds {
        out.time_seconds(t);
    } else {
        out.time(t);
    }
}

/// A one-entry `satisfied_by` list: `{what} {time}`.
fn entry(out: &mut Texts, what: What<'_>, t: Time) -> Run {
    let list = out.list_mark();
    let mark = out.mark();
    at(out, what, " ", t, false);
    let s = out.since(mark);
    out.add_entry(s);
    out.list_since(list)
}
