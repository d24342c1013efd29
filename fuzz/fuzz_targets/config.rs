//! An agency config, read as JSON and as TOML → checked against every built-in pack and, when
//! valid for one, applied to a sample case; its fingerprint and its diff from the empty config computed.
#![no_main]
use libfuzzer_sys::fuzz_target;
use rules_core::{builtin_packs, evaluate, Case, Config, Pack, Time};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    thread_local! {
        static PACKS: Vec<Pack> = builtin_packs().into_iter().flatten().collect();
    }
    for config in [Config::from_json(text), Config::from_toml(text)].into_iter().flatten() {
        let _ = config.fingerprint();
        let _ = config.to_json_pretty();
        let _ = rules_core::diff_configs(&Config::default(), &config);
        PACKS.with(|packs| {
            for pack in packs {
                if config.check(pack).is_err() {
                    continue;
                }
                let case = Case::from_json(include_str!("../../rules-core/samples/02-missing-service-receipt.json"));
                if let (Ok(case), Ok(now)) = (case, Time::parse("2026-04-10T12:00")) {
                    let _ = evaluate(&case, pack, &config, now).to_json();
                }
            }
        });
    }
});
