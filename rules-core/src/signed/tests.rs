use super::*;
use crate::log::{head_of, next_entry, CaseLog, ItemAcknowledged, LogEvent};
use crate::ChecklistRecord;

const CASE: &str = "长执罚〔2026〕12号";
const SEED: [u8; 32] = [7; 32];
const SIGNER: &str = "演示平台（案件办理）";

fn t(s: &str) -> Time {
    Time::parse(s).unwrap()
}

fn ack(item: &str, note: &str) -> LogEvent {
    LogEvent::ItemAcknowledged(ItemAcknowledged {
        item: item.into(), by: Some("张三".into()), note: Some(note.into())
    })
}

fn log() -> CaseLog {
    let mut l = CaseLog::new(CASE);
    l.append(t("2026-03-02T09:00"), ack("29-direct-receipt@S1", "纸质送达回证，见卷宗第12页"));
    l.append(t("2026-03-02T09:05"), ack("13-inspection-av@A1", "执法记录仪故障，已书面说明"));
    l
}

fn signed(l: &CaseLog) -> SignedHead {
    SignedHead::sign(&SEED, CASE, &l.head, SIGNER, t("2026-03-02T10:00:00")).unwrap()
}

#[test]
fn the_signed_bytes_are_the_documented_lines() {
    let l = log();
    let s = signed(&l);
    let text = String::from_utf8(s.message(CASE)).unwrap();
    assert_eq!(
        text,
        format!(
            "law-record-signed-head/1\ncount: 2\nhash: {}\nsigned_at: 2026-03-02T10:00:00\nsigner: {SIGNER}\ncase: {CASE}",
            l.head.hash
        )
    );
    assert_eq!(s.key, public_key_of(&SEED));
    assert_eq!(s.signature.len(), 128);
    s.verify(CASE, &l.entries, &s.key).unwrap();
}

/// RFC 8032 section 7.1, test 1: the empty message under its key, so another implementation
/// signing the same bytes makes the same signature.
#[test]
fn signing_is_plain_ed25519() {
    let seed = bytes::<32>("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60").unwrap();
    assert_eq!(public_key_of(&seed), "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a");
    use ed25519_dalek::Signer;
    let sig = ed25519_dalek::SigningKey::from_bytes(&seed).sign(b"");
    assert!(to_hex(&sig.to_bytes()).starts_with("e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b"));
}

#[test]
fn an_insider_who_rewrites_and_recomputes_the_log_fails_with_the_key() {
    let l = log();
    let s = signed(&l);
    // The insider rewrites the first note and recomputes the whole chain and the head: the
    // keyless check passes on the chain alone …
    let mut forged = CaseLog::new(CASE);
    forged.append(t("2026-03-02T09:00"), ack("29-direct-receipt@S1", "邮寄送达回执，见卷宗第13页"));
    forged.append(t("2026-03-02T09:05"), ack("13-inspection-av@A1", "执法记录仪故障，已书面说明"));
    assert!(crate::verify_log(CASE, &forged.entries, Some(&forged.head)).is_ok());
    // … with the old signature kept, the log no longer reaches the signed head;
    assert!(matches!(s.verify(CASE, &forged.entries, &s.key), Err(SignatureError::Log(_))));
    assert!(matches!(s.check_log(CASE, &forged.entries), Err(SignatureError::Log(_))));
    // … with the signed head moved to the new chain, the signature fails;
    let moved = SignedHead { hash: forged.head.hash.clone(), ..s.clone() };
    assert_eq!(moved.verify(CASE, &forged.entries, &s.key), Err(SignatureError::Invalid));
    // … re-signed with a key of their own, it is not the platform's key;
    let own = SignedHead::sign(&[9; 32], CASE, &forged.head, SIGNER, s.signed_at).unwrap();
    assert!(matches!(own.verify(CASE, &forged.entries, &s.key), Err(SignatureError::OtherKey { .. })));
    // … and passing their key off as the platform's still fails on the signature.
    let posed = SignedHead { key: s.key.clone(), ..own };
    assert_eq!(posed.verify(CASE, &forged.entries, &s.key), Err(SignatureError::Invalid));
}

#[test]
fn a_signature_covers_its_head_case_time_and_signer() {
    let l = log();
    let s = signed(&l);
    assert_eq!(
        s.verify("长执罚〔2026〕13号", &l.entries, &s.key).map_err(|e| matches!(e, SignatureError::Invalid)),
        Err(true)
    );
    for changed in [
        SignedHead { signer: "另一平台".into(), ..s.clone() },
        SignedHead { signed_at: t("2026-03-02T10:00:01"), ..s.clone() },
        SignedHead { count: 1, hash: l.entries[0].hash.clone(), ..s.clone() },
    ] {
        assert_eq!(changed.verify(CASE, &l.entries, &s.key), Err(SignatureError::Invalid), "{changed:?}");
    }
    // Entries logged after the signed head are allowed (not covered); a cut one is not.
    let mut more = l.clone();
    more.append(t("2026-03-02T11:00"), ack("x@y", "以后补记的说明"));
    s.verify(CASE, &more.entries, &s.key).unwrap();
    assert!(matches!(s.verify(CASE, &l.entries[..1], &s.key), Err(SignatureError::Log(_))));
    assert!(matches!(s.verify(CASE, &l.entries, "00"), Err(SignatureError::Malformed(_))));
    assert!(SignedHead::sign(&SEED, CASE, &l.head, "平台\n签名", s.signed_at).is_err());
}

#[test]
fn a_record_carries_its_signature_through_json_and_merge() {
    let mut r = ChecklistRecord::new(CASE);
    let l = log();
    r.log.entries = l.entries.clone();
    r.log.head = head_of(CASE, &r.log.entries);
    r.log.signature = Some(signed(&l));
    let back = ChecklistRecord::from_json(&r.to_json()).unwrap();
    assert_eq!(back, r);
    // The other copy grew on without a signature: the join keeps the signature.
    let mut theirs = ChecklistRecord::new(CASE);
    theirs.log.entries = l.entries[..1].to_vec();
    let e = next_entry(CASE, theirs.log.entries.last(), t("2026-03-02T09:30"), ack("q@r", "另一位执法人员的说明"));
    theirs.log.entries.push(e);
    theirs.log.head = head_of(CASE, &theirs.log.entries);
    let merged = r.merge(&theirs, t("2026-03-02T12:00")).unwrap().record;
    assert_eq!(merged.log.signature, r.log.signature);
    merged.check().unwrap();
    let s = merged.log.signature.as_ref().unwrap();
    s.verify(CASE, &merged.log.entries, &s.key).unwrap();
    // A record whose log was rewritten under its signature is refused without a key.
    let mut bad = r.clone();
    bad.log.entries = theirs.log.entries.clone();
    bad.log.head = theirs.log.head.clone();
    assert!(matches!(bad.check(), Err(crate::RecordError::Signature(SignatureError::Log(_)))));
}
