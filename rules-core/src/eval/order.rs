//! Order checks: one thing before another, optionally with a minimum gap.
use chrono::Duration;

use super::{anchor, satisfied, Ctx, Outcome, Target};
use crate::report::Status;
use crate::rule::OrderCheck;

pub(crate) fn check(ctx: &mut Ctx<'_>, c: &OrderCheck, t: Target<'_>) -> Outcome {
    let Some((then, then_what)) = anchor::resolve(ctx, &c.then, t) else {
        return Outcome::new(Status::NotApplicable, ctx.out.fixed("后一环节尚未发生"));
    };
    let Some((first, first_what)) = anchor::resolve(ctx, &c.first, t) else {
        let mut o = Outcome::new(Status::Missing, ctx.say(format_args!("{then_what}于{then}，但前一环节没有记录")));
        let list = ctx.out.list_mark();
        ctx.out.entry(format_args!("前一环节"));
        o.missing = ctx.out.list_since(list);
        return o;
    };
    match c.min_gap {
        None if first <= then => {
            let mut o = Outcome::new(
                Status::Satisfied,
                ctx.say(format_args!("{first_what}于{first}，先于{then_what}（{then}）")),
            );
            o.satisfied_by = satisfied(ctx, format_args!("{first_what} {first}"));
            o
        }
        None => {
            Outcome::new(Status::OutOfOrder, ctx.say(format_args!("{first_what}于{first}，晚于{then_what}（{then}）")))
        }
        Some(gap) => {
            let Some(due) = ctx.counter.due(first, gap, Duration::zero()) else {
                return Outcome::new(Status::NotApplicable, ctx.out.fixed("期限超出可计算范围"));
            };
            if then >= due.at {
                let mut o = Outcome::new(
                    Status::Satisfied,
                    ctx.say(format_args!("{first_what}于{first}，距{then_what}（{then}）已满{}", gap.zh())),
                );
                o.satisfied_by = satisfied(ctx, format_args!("{first_what} {first}"));
                o
            } else {
                Outcome::new(
                    Status::OutOfOrder,
                    ctx.say(format_args!(
                        "{first_what}于{first}，距{then_what}（{then}）不足{}（最早可于{}之后）",
                        gap.zh(),
                        due
                    )),
                )
            }
        }
    }
}
