//! Issue 24: a run-time pack that differs from the built-in of the same id and version is
//! named by its content digest in every report.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)] // test code: failing loudly is the point
use std::path::{Path, PathBuf};

use rules_core::{evaluate, report_html, Case, Config, Pack, Sheet, Time};
use sha2::{Digest, Sha256};

fn builtin_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("packs/changsha-zfj")
}

/// A copy of the built-in pack's folder, with `edit` applied to its `pack.toml`.
fn copy(name: &str, edit: impl Fn(String) -> String) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("pack_digest").join(name);
    std::fs::create_dir_all(&dir).unwrap();
    let toml = std::fs::read_to_string(builtin_dir().join("pack.toml")).unwrap();
    std::fs::write(dir.join("pack.toml"), edit(toml)).unwrap();
    std::fs::copy(builtin_dir().join("source.txt"), dir.join("source.txt")).unwrap();
    dir
}

/// `sha256sum pack.toml source.txt | sha256sum`, worked out here.
fn sha256sum_of(dir: &Path) -> String {
    let hex = |d: &[u8]| d.iter().map(|b| format!("{b:02x}")).collect::<String>();
    let file = |n: &str| hex(&Sha256::digest(std::fs::read(dir.join(n)).unwrap()));
    hex(&Sha256::digest(format!("{}  pack.toml\n{}  source.txt\n", file("pack.toml"), file("source.txt"))))
}

#[test]
fn a_pack_that_is_not_the_built_in_one_is_named_by_its_digest() {
    let case = Case::from_json(
        &std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("samples/01-complete.json")).unwrap(),
    )
    .unwrap();
    let now = Time::parse("2026-04-10T12:00").unwrap();

    // The built-in, and a folder holding exactly its files: no digest, they are the built-in.
    assert_eq!(Pack::builtin("changsha-zfj").unwrap().digest(), None);
    let same = copy("same", |t| t);
    assert_eq!(Pack::from_path(&same).unwrap().digest(), None);

    // Same id and version, its title changed: the digest says so.
    let edited = copy("edited", |t| t.replacen("\ntitle = \"", "\ntitle = \"（本地修改）", 1));
    let pack = Pack::from_path(&edited).unwrap();
    let builtin = Pack::builtin("changsha-zfj").unwrap();
    assert_eq!((pack.id(), &pack.def.version), (builtin.id(), &builtin.def.version));
    let digest = sha256sum_of(&edited);
    assert_eq!(pack.digest(), Some(digest.as_str()));

    let report = evaluate(&case, &pack, &Config::default(), now);
    assert_eq!(report.pack.digest.as_deref(), Some(digest.as_str()));
    assert!(report.to_json().contains(&format!("\"digest\":\"{digest}\"")));
    assert_eq!(report.to_json(), serde_json::to_string(&report).unwrap());
    let html = report_html(&Sheet {
        case: &case,
        pack: &pack,
        config: &Config::default(),
        config_fingerprint: None,
        report: &report,
        log: None,
        log_break: None,
        key_check: None,
        handler: None,
        all: false,
    });
    assert!(html.contains(&digest) && html.contains("非内置规则包"));
    // The built-in's report has none.
    let plain = evaluate(&case, &builtin, &Config::default(), now);
    assert!(plain.pack.digest.is_none() && !plain.to_json().contains("digest"));

    // And `rules check --pack` prints it.
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_rules"))
        .args(["check", "--pack", edited.to_str().unwrap(), "--now", "2026-04-10T12:00"])
        .arg(Path::new(env!("CARGO_MANIFEST_DIR")).join("samples/01-complete.json"))
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains(&format!("规则包摘要 {digest}")), "{text}");
}
