//! An exported case log → read → verified, against its own head and written back.
#![no_main]
use libfuzzer_sys::fuzz_target;
use rules_core::CaseLog;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let Ok(log) = CaseLog::from_json(text) else { return };
    let verified = log.verify();
    let _ = log.verify_against(&log.head);
    // What verifies reads back to the same log and verifies again.
    if verified.is_ok() {
        let back = CaseLog::from_json(&log.to_json()).map(|l| l.verify().is_ok());
        assert!(matches!(back, Ok(true)), "a verified log written back does not verify: {back:?}");
    }
});
