//! The same events checked against every pack present give each agency's own verdict. The
//! cases and verdicts are data, `tests/cross-pack/<topic>.toml`, run by
//! `rules_core::scenario::run_cross` as `rules test tests/cross-pack` runs them; a pack added
//! later is held to every case, and one without a verdict fails with the verdict its rules give.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)] // test code: failing loudly is the point
use std::path::Path;

use rules_core::scenario::{files, read_cross, run_cross};

#[test]
fn every_pack_gives_the_verdict_its_text_gives() {
    let registry = tests::loaded_registry();
    assert!(!registry.ids().is_empty(), "no pack loaded");
    let files = files(&Path::new(env!("CARGO_MANIFEST_DIR")).join("cross-pack")).unwrap();
    assert!(!files.is_empty(), "no cross-pack files");
    let (mut cases, mut failures) = (0, Vec::new());
    for path in files {
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let file = read_cross(&path).unwrap();
        for c in &file.case {
            for id in c.verdicts.keys().filter(|k| !registry.ids().contains(&k.as_str())) {
                failures.push(format!("{name} 「{}」: a verdict for `{id}`, which is not a pack", c.name));
            }
        }
        for o in run_cross(&registry, &file) {
            cases += 1;
            if let Err(errs) = o.result {
                failures.push(format!("{name} 「{}」:\n  {}", o.name, errs.join("\n  ")));
            }
        }
    }
    assert!(cases > 0);
    assert!(failures.is_empty(), "{} of {cases} cross-pack cases failed:\n{}", failures.len(), failures.join("\n"));
}

/// A pack with no verdict in a case is a failure that names the verdict its rules give.
#[test]
fn a_pack_without_a_verdict_fails_with_the_verdict_to_write() {
    let registry = tests::loaded_registry();
    let file: rules_core::scenario::CrossFile = toml::from_str(
        r#"
[[case]]
name = "留置送达未录音像"
now = "2026-04-10T12:00"
target = "S1"
measure = "av"
[case.events]
services = [{ id = "S1", document = "行政处罚决定书", method = "left", at = "2026-04-02T10:00" }]
"#,
    )
    .unwrap();
    let out = run_cross(&registry, &file);
    let errs = out[0].result.as_ref().unwrap_err().join("\n");
    if registry.ids().contains(&"changsha-zfj") {
        assert!(errs.contains("no verdict for pack changsha-zfj; its rules give blocking"), "{errs}");
        assert!(errs.contains("add `changsha-zfj = \"blocking\"`"), "{errs}");
    }
}
