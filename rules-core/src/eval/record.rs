//! Record checks: present, with its content, signatures, media and service.
use super::{Ctx, Outcome, Target};
use crate::case::{Owner, Record};
use crate::report::Status;
use crate::rule::{RecordCheck, Within};

fn names(kinds: &[String]) -> String {
    kinds.iter().map(|k| format!("《{k}》")).collect::<Vec<_>>().join("或")
}

pub(crate) fn check(ctx: &Ctx<'_>, c: &RecordCheck, t: Target<'_>) -> Outcome {
    let candidates = candidates(ctx, c, t);
    if candidates.is_empty() {
        let what = if c.kinds.is_empty() { "记录".to_owned() } else { names(&c.kinds) };
        let mut o = Outcome::new(Status::Missing, format!("缺少{what}"));
        o.missing.push(what);
        return o;
    }
    // The most complete candidate speaks for the item.
    let mut best: Option<(&Record, Vec<String>)> = None;
    for r in candidates {
        let lacks = lacks(ctx, c, r);
        if best.as_ref().is_none_or(|(_, b)| lacks.len() < b.len()) {
            best = Some((r, lacks));
        }
    }
    let Some((r, lacks)) = best else {
        return Outcome::new(Status::Missing, "缺少记录".to_owned());
    };
    if lacks.is_empty() {
        let mut o = Outcome::new(Status::Satisfied, format!("已有《{}》", r.kind));
        o.satisfied_by.push(r.id.clone());
        o
    } else {
        let mut o = Outcome::new(Status::Incomplete, format!("《{}》（{}）不完整：{}", r.kind, r.id, lacks.join("；")));
        o.missing = lacks;
        o
    }
}

fn candidates<'a>(ctx: &Ctx<'a>, c: &RecordCheck, t: Target<'a>) -> Vec<&'a Record> {
    let of_kind = |r: &&Record| c.kinds.is_empty() || c.kinds.contains(&r.kind);
    let whole_case = || -> Vec<&'a Record> {
        c.kinds.iter().filter_map(|k| ctx.by_kind.get(k.as_str())).flatten().map(|(_, r)| *r).collect()
    };
    match (c.within, t) {
        (Within::Case, _) | (Within::Auto, Target::Case) => whole_case(),
        (Within::Auto, Target::Activity(a)) => a.records.iter().filter(of_kind).collect(),
        (Within::Auto, Target::Service(s)) => s.records.iter().filter(of_kind).collect(),
        (Within::Auto, Target::Record(o, r) | Target::Media(o, r, _)) => {
            if c.kinds.is_empty() || c.kinds.contains(&r.kind) {
                vec![r]
            } else {
                match o {
                    Owner::Activity(a) => a.records.iter().filter(of_kind).collect(),
                    Owner::Service(s) => s.records.iter().filter(of_kind).collect(),
                    Owner::Case => whole_case(),
                }
            }
        }
    }
}

fn lacks(ctx: &Ctx<'_>, c: &RecordCheck, r: &Record) -> Vec<String> {
    let mut out = Vec::new();
    for e in &c.elements {
        if !r.elements.contains(e) {
            out.push(format!("缺少内容：{e}"));
        }
    }
    if let Some(s) = &c.signatures {
        signature_lacks(s, r, &mut out);
    }
    if c.media && r.media.is_empty() {
        out.push("未附音像文件".to_owned());
    }
    if c.served && !ctx.case.services.iter().any(|s| s.document == r.kind) {
        out.push("尚未送达".to_owned());
    }
    out
}

/// How many times each role is listed, in first-listed order.
fn counted(roles: &[String]) -> Vec<(&str, usize)> {
    let mut v: Vec<(&str, usize)> = Vec::new();
    for r in roles {
        match v.iter_mut().find(|(x, _)| x == r) {
            Some((_, n)) => *n += 1,
            None => v.push((r.as_str(), 1)),
        }
    }
    v
}

fn signature_lacks(s: &crate::rule::SignatureCheck, r: &Record, out: &mut Vec<String>) {
    let mut any_refused = false;
    for (role, need) in counted(&s.roles) {
        let sigs: Vec<_> = r.signatures.iter().filter(|x| x.role == role).collect();
        if sigs.is_empty() {
            out.push(format!("缺少签名：{role}"));
            continue;
        }
        if sigs.len() < need {
            out.push(format!("签名人数不足：{role}需{need}人，实有{}人", sigs.len()));
        }
        for sig in sigs {
            if sig.refused {
                any_refused = true;
                if s.refusal_not_allowed {
                    out.push(format!("{role}拒绝签名"));
                }
                continue;
            }
            if s.every_page && r.pages.unwrap_or(1) > 1 && !sig.every_page {
                out.push(format!("未逐页签名：{role}"));
            }
            if s.dated && sig.date.is_none() {
                out.push(format!("签名未注明日期：{role}"));
            }
        }
    }
    if any_refused {
        for (role, need) in counted(&s.on_refusal) {
            let n = r.signatures.iter().filter(|x| x.role == role && !x.refused).count();
            if n < need {
                out.push(format!("拒绝签名须由{need}名{role}签名证明，实有{n}名"));
            }
        }
        for e in &s.refusal_elements {
            if !r.elements.contains(e) {
                out.push(format!("拒绝签名未注明：{e}"));
            }
        }
    }
}
