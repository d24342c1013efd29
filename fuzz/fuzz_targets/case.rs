//! Case JSON → read → evaluated against every built-in pack, written as JSON and as the 核查表.
//! Any panic, abort or hang is a finding.
#![no_main]
use libfuzzer_sys::fuzz_target;
use rules_core::{builtin_packs, evaluate, report_html, Case, Config, Pack, Sheet, Time};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let Ok(case) = Case::from_json(text) else { return };
    thread_local! {
        static PACKS: Vec<Pack> = builtin_packs().into_iter().flatten().collect();
    }
    let now = Time::parse("2026-04-10T12:00").ok();
    // Also a moment from the case itself, so deadlines fall on either side of it.
    let then = case.opened_on().map(Time::start_of);
    PACKS.with(|packs| {
        for pack in packs {
            for now in [now, then].into_iter().flatten() {
                let report = evaluate(&case, pack, &Config::default(), now);
                let json = report.to_json();
                assert!(!json.is_empty());
                let _ = report_html(&Sheet {
                    case: &case,
                    pack,
                    config: &Config::default(),
                    config_fingerprint: None,
                    report: &report,
                    log: None,
                    log_break: None,
                    key_check: None,
                    handler: None,
                    all: true,
                });
            }
        }
    });
});
