//! A checklist record → read → checked (its log, its lists, the platform's signature against
//! the key it names), written back, and merged with itself and with an empty copy.
#![no_main]
use libfuzzer_sys::fuzz_target;
use rules_core::{ChecklistRecord, Time};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let Ok(record) = ChecklistRecord::parse(text) else { return };
    let checked = record.check();
    if let Some(s) = &record.log.signature {
        let _ = s.verify(&record.case_id, &record.log.entries, &s.key);
    }
    let Ok(at) = Time::parse("2026-03-02T12:00:00") else { return };
    let empty = ChecklistRecord::new(&record.case_id);
    if checked.is_err() {
        // A record that does not check is refused by a merge, never joined.
        assert!(record.merge(&empty, at).is_err(), "a record that does not check was merged");
        return;
    }
    // What checks reads back to the same record, and checks again.
    let back = ChecklistRecord::from_json(&record.to_json());
    assert!(back.as_ref().is_ok_and(|b| *b == record), "a checked record written back: {back:?}");
    // Joining two records that check makes one that checks, holding every entry of both.
    for (a, b) in [(&record, &record), (&record, &empty), (&empty, &record)] {
        let merged = a.merge(b, at).map(|m| m.record);
        let Ok(m) = merged else { panic!("two records that check did not merge: {merged:?}") };
        assert!(m.check().is_ok(), "a merge of two records that check does not check: {:?}", m.check());
        assert!(record.log.entries.iter().all(|e| m.log.entries.contains(e)), "a merge lost an entry");
    }
});
