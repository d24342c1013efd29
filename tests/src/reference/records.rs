//! Record checks: a record present and complete (pack-reference.md, "RecordCheck",
//! "SignatureCheck", "Within"), and acknowledgments standing in for a record.
use rules_core::{Case, Config, Record, RecordCheck, SignatureCheck, Status, Within};

use super::targets::{every_record, Place, Target};

/// The status of a record check for `target`, whose item is `key`.
pub fn check(c: &RecordCheck, case: &Case, target: &Target<'_>, key: &str, config: &Config) -> Status {
    let candidates = candidates(c, case, target);
    if candidates.is_empty() {
        return if acknowledged(case, key, config) { Status::Acknowledged } else { Status::Missing };
    }
    for r in &candidates {
        if complete(c, case, r) {
            return Status::Satisfied;
        }
    }
    Status::Incomplete
}

/// The records that could satisfy `c` for `target`.
fn candidates<'a>(c: &RecordCheck, case: &'a Case, target: &Target<'a>) -> Vec<&'a Record> {
    let mut out = Vec::new();
    if c.kinds.is_empty() {
        // "empty with a record scope: the record itself". Decision: a media file's record is
        // itself for a media scope; other scopes have nothing to look at.
        if let Target::Record(r, _) | Target::Media(_, r, _) = target {
            out.push(*r);
        }
        return out;
    }
    // "The target's own records for activity, service and record scopes; the whole case
    // otherwise." Decision: a record's own records are those filed beside it (with the same
    // activity, service, or on the case), as a written statement filed with the recording it
    // explains.
    let own: Option<Vec<&'a Record>> = match (c.within, target) {
        (Within::Case, _) | (_, Target::Case) | (_, Target::Media(..)) => None,
        (Within::Auto, Target::Activity(a)) => Some(a.records.iter().collect()),
        (Within::Auto, Target::Service(s)) => Some(s.records.iter().collect()),
        (Within::Auto, Target::Record(_, place)) => Some(match place {
            Place::Case => case.records.iter().collect(),
            Place::Activity(a) => a.records.iter().collect(),
            Place::Service(s) => s.records.iter().collect(),
        }),
    };
    let pool: Vec<&'a Record> = match own {
        Some(list) => list,
        None => every_record(case).into_iter().map(|(r, _)| r).collect(),
    };
    for r in pool {
        if c.kinds.contains(&r.kind) {
            out.push(r);
        }
    }
    out
}

/// Whether `r` has everything `c` asks of it.
fn complete(c: &RecordCheck, case: &Case, r: &Record) -> bool {
    for e in &c.elements {
        if !r.elements.contains(e) {
            return false;
        }
    }
    if c.media && r.media.is_empty() {
        return false;
    }
    if c.served {
        // Decision: "served on the party" is an attempt to serve a document of the record's
        // kind listed in the case's services.
        let mut served = false;
        for s in &case.services {
            if s.document == r.kind {
                served = true;
            }
        }
        if !served {
            return false;
        }
    }
    match &c.signatures {
        None => true,
        Some(sc) => signed(sc, r),
    }
}

/// Whether a signer of role `signer` signs for a listed `role` (`A|B`: either).
fn role_matches(role: &str, signer: &str) -> bool {
    for part in role.split('|') {
        if part == signer {
            return true;
        }
    }
    false
}

/// Whether `r` carries the signatures `sc` asks for.
fn signed(sc: &SignatureCheck, r: &Record) -> bool {
    let multi_page = r.pages.unwrap_or(0) > 1;
    // Each listed role, with how many times it is listed.
    let mut roles: Vec<(&str, usize)> = Vec::new();
    for role in &sc.roles {
        let mut found = false;
        for (name, n) in roles.iter_mut() {
            if *name == role.as_str() {
                *n += 1;
                found = true;
            }
        }
        if !found {
            roles.push((role, 1));
        }
    }
    // Decision: 逐页签名 and 注明日期 are asked of every signature given in a listed role, not
    // only of as many as the count needs: a record one party signed on every page and another
    // on the first page only is not signed page by page by the parties. A refusal in a role
    // whose refusal does not count leaves the record short whoever else signed.
    for (role, need) in &roles {
        let mut have = 0;
        for s in &r.signatures {
            if !role_matches(role, &s.role) {
                continue;
            }
            have += 1;
            if s.refused {
                // A noted refusal stands for the role unless the rule says it does not.
                // Decision: a person who refused signed nothing, so neither a date nor every
                // page is asked of the refusal.
                if sc.refusal_not_allowed {
                    return false;
                }
                continue;
            }
            // Decision: 逐页签名 is asked only of a record of more than one page.
            if sc.every_page && multi_page && !s.every_page {
                return false;
            }
            if sc.dated && s.date.is_none() {
                return false;
            }
        }
        if have < *need {
            return false;
        }
    }
    // Decision: "when someone refused" is a refusal by a signer the rule asks for (a listed
    // role): the attestation stands in for that signature, and a refusal by someone else (an
    // officer declining to sign a record the party must sign) is not the refusal the text
    // gives a remedy for (「当事人…拒绝签字确认的…由两名以上行政执法人员签字」).
    let mut refused = false;
    for s in &r.signatures {
        for role in &sc.roles {
            if s.refused && role_matches(role, &s.role) {
                refused = true;
            }
        }
    }
    if refused {
        let mut attest: Vec<(&str, usize)> = Vec::new();
        for role in &sc.on_refusal {
            let mut found = false;
            for (name, n) in attest.iter_mut() {
                if *name == role.as_str() {
                    *n += 1;
                    found = true;
                }
            }
            if !found {
                attest.push((role, 1));
            }
        }
        for (role, need) in &attest {
            let mut have = 0;
            for s in &r.signatures {
                if !s.refused && role_matches(role, &s.role) {
                    have += 1;
                }
            }
            if have < *need {
                return false;
            }
        }
        for e in &sc.refusal_elements {
            if !r.elements.contains(e) {
                return false;
            }
        }
    }
    true
}

/// Whether an officer's acknowledgment stands in for the missing record of item `key`: the
/// last one given for it, with a note the config finds enough (Status::Acknowledged; config.rs
/// `min_note_chars`). Decision: "the last" is the last in the case's list, as acknowledgments
/// are appended.
fn acknowledged(case: &Case, key: &str, config: &Config) -> bool {
    let mut last = None;
    for a in &case.acknowledgments {
        if a.item == key {
            last = Some(a);
        }
    }
    match last.and_then(|a| a.note.as_deref()) {
        Some(note) => config.note_is_enough(note),
        None => false,
    }
}
