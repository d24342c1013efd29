//! A pack's `pack.toml` and `source.txt`, given as one input split at its first NUL byte →
//! read and validated; a valid pack then checks a sample case.
#![no_main]
use libfuzzer_sys::fuzz_target;
use rules_core::{evaluate, Case, Config, Pack, Time};

fuzz_target!(|data: &[u8]| {
    let (toml, source) = match data.iter().position(|b| *b == 0) {
        Some(i) => (data.get(..i).unwrap_or_default(), data.get(i + 1..).unwrap_or_default()),
        None => (data, &b""[..]),
    };
    let (Ok(toml), Ok(source)) = (std::str::from_utf8(toml), std::str::from_utf8(source)) else { return };
    let Ok(pack) = Pack::from_toml(toml, source, "fuzz") else { return };
    let case = Case::from_json(include_str!("../../rules-core/samples/01-complete.json"));
    if let (Ok(mut case), Ok(now)) = (case, Time::parse("2026-04-10T12:00")) {
        for p in &pack.def.procedures {
            case.procedure = p.id.clone();
            let _ = evaluate(&case, &pack, &Config::default(), now).to_json();
        }
    }
});
