//! `Report::to_json` (the widget's JSON writer) writes exactly what serde writes: the report's
//! JSON is a contract with host platforms, and the two must never drift apart.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)] // test code: failing loudly is the point
use rules_core::{evaluate, Case, Config, Time};

fn samples() -> Vec<Case> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../rules-core/samples");
    let mut paths: Vec<_> = std::fs::read_dir(dir).unwrap().map(|e| e.unwrap().path()).collect();
    paths.sort();
    paths.iter().map(|p| Case::from_json(&std::fs::read_to_string(p).unwrap()).unwrap()).collect()
}

#[test]
fn every_sample_against_every_pack_writes_serde_s_json() {
    let packs = tests::loaded_packs();
    for case in samples() {
        for pack in &packs {
            for now in ["2026-03-02T12:00", "2026-04-10T12:00", "2027-01-01T00:00"] {
                let r = evaluate(&case, pack, &Config::default(), Time::parse(now).unwrap());
                assert_eq!(r.to_json(), serde_json::to_string(&r).unwrap(), "{} / {} at {now}", case.id, pack.id());
            }
        }
    }
}

/// Ids, names and notes from the host with every kind of character JSON escapes.
#[test]
fn host_text_with_quotes_backslashes_and_control_characters_writes_serde_s_json() {
    let mut case = samples().into_iter().nth(1).unwrap(); // missing its service receipt
    case.id = "案\"1\\2\n3\t4\u{1}5\u{7f}《》".into();
    for (n, a) in case.activities.iter_mut().enumerate() {
        a.id = format!("A\"{n}\\\r\u{8}\u{c}");
    }
    let pack = rules_core::Pack::builtin("changsha-zfj").unwrap();
    let now = Time::parse("2026-04-10T12:00").unwrap();
    // An acknowledgment's note is written into the item it satisfies: take a missing record.
    let before = evaluate(&case, &pack, &Config::default(), now);
    let missing = before.items().find(|i| i.status == rules_core::Status::Missing).expect("a missing record");
    case.acknowledgments.push(rules_core::Acknowledgment {
        item: missing.key().to_owned(),
        at: Time::parse("2026-03-03T09:00").unwrap(),
        by: Some("张\"三\"".into()),
        note: Some("纸质\\记录\n另存\u{1f}".into()),
    });
    let r = evaluate(&case, &pack, &Config::default(), now);
    assert!(r.to_json().contains("另存\\u001f"), "the note's control character is escaped");
    assert!(r.to_json().contains("\\u0001"), "the case id's control character is escaped");
    assert_eq!(r.to_json(), serde_json::to_string(&r).unwrap());
}
