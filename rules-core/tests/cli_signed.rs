//! Log heads signed by the platform through the `rules` binary: `log verify --key`,
//! `record check --key` and `report --log RECORD --key`, and an insider's rewrite caught.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)] // test code: failing loudly is the point
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use rules_core::{
    head_of, next_entry, public_key_of, Acknowledgment, ChecklistRecord, ItemAcknowledged, LogEvent, SignedHead, Time,
};

const CASE: &str = "长执罚〔2026〕0013号";
const ITEM: &str = "29-direct-receipt@S2";
const SEED: [u8; 32] = [42; 32];

fn rules(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_rules")).args(args).output().unwrap()
}

fn text(o: &Output) -> String {
    format!("{}{}", String::from_utf8_lossy(&o.stdout), String::from_utf8_lossy(&o.stderr))
}

fn t(s: &str) -> Time {
    Time::parse(s).unwrap()
}

/// A record with one acknowledgment, its note `note`, its head signed by the platform when `sign`.
fn record(note: &str, sign: bool) -> ChecklistRecord {
    let mut r = ChecklistRecord::new(CASE);
    r.acknowledgments.push(Acknowledgment {
        item: ITEM.into(),
        at: t("2026-03-10T09:05"),
        by: Some("张三".into()),
        note: Some(note.into()),
    });
    let e = next_entry(
        CASE,
        None,
        t("2026-03-10T09:05"),
        LogEvent::ItemAcknowledged(ItemAcknowledged {
            item: ITEM.into(),
            by: Some("张三".into()),
            note: Some(note.into()),
        }),
    );
    r.log.entries.push(e);
    r.log.head = head_of(CASE, &r.log.entries);
    if sign {
        r.log.signature = Some(
            SignedHead::sign(&SEED, CASE, &r.log.head, "演示平台（案件办理）服务器", t("2026-03-10T09:06")).unwrap(),
        );
    }
    r
}

fn write(dir: &Path, name: &str, r: &ChecklistRecord) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, r.to_json()).unwrap();
    p
}

#[test]
fn a_signed_record_verifies_with_the_platform_key_and_an_insiders_rewrite_fails() {
    let dir = tempfile::Builder::new().prefix("rules-cli-signed-").tempdir().unwrap();
    let key = public_key_of(&SEED);
    let good = record("纸质送达回证已签收，见卷宗第12页", true);
    let good_p = write(dir.path(), "good.json", &good);
    let o = rules(&["log", "verify", good_p.to_str().unwrap(), "--key", &key]);
    let out = text(&o);
    assert_eq!(o.status.code(), Some(0), "{out}");
    assert!(out.contains("平台签名核验通过：演示平台（案件办理）服务器 于 2026-03-10 09:06"), "{out}");
    assert!(out.contains("包括持有日志文件、能重新计算哈希链的内部人员"), "{out}");
    // The key may be given as a file, as the demo writes it.
    let key_file = dir.path().join("platform.signing-key.pub");
    std::fs::write(&key_file, format!("{key}\n")).unwrap();
    let o = rules(&["record", "check", good_p.to_str().unwrap(), "--key", key_file.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    assert!(text(&o).contains("平台签名核验通过"), "{}", text(&o));

    // The insider rewrites the note and recomputes the whole chain and head, keeping the
    // platform's signature: the keyless checks of the chain alone would pass.
    let mut forged = record("邮寄送达回执，见卷宗第13页", false);
    forged.log.signature = good.log.signature.clone();
    let forged_p = write(dir.path(), "forged.json", &forged);
    for args in [vec!["log", "verify"], vec!["record", "check"]] {
        let mut a = args.clone();
        a.extend([forged_p.to_str().unwrap(), "--key", key.as_str()]);
        let o = rules(&a);
        assert_eq!(o.status.code(), Some(1), "{args:?}: {}", text(&o));
        assert!(text(&o).contains("平台签名的日志头不符"), "{args:?}: {}", text(&o));
    }
    // … moving the signed head onto the new chain breaks the signature;
    let mut moved = forged.clone();
    let mut s = good.log.signature.clone().unwrap();
    s.hash = forged.log.head.hash.clone();
    moved.log.signature = Some(s);
    let o = rules(&["log", "verify", write(dir.path(), "moved.json", &moved).to_str().unwrap(), "--key", &key]);
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    assert!(text(&o).contains("平台签名不成立"), "{}", text(&o));
    // … re-signing with a key of one's own is not the platform's key;
    let mut own = forged.clone();
    own.log.signature = Some(
        SignedHead::sign(&[1; 32], CASE, &forged.log.head, "演示平台（案件办理）服务器", t("2026-03-10T09:06"))
            .unwrap(),
    );
    let o = rules(&["log", "verify", write(dir.path(), "own.json", &own).to_str().unwrap(), "--key", &key]);
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    assert!(text(&o).contains("不是所给的平台公钥"), "{}", text(&o));
    // … and taking the signature out leaves nothing to verify with the key.
    let bare = record("邮寄送达回执，见卷宗第13页", false);
    let bare_p = write(dir.path(), "bare.json", &bare);
    let o = rules(&["log", "verify", bare_p.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0), "a keyless check passes: {}", text(&o));
    assert!(text(&o).contains("它不能证明日志未被改写"), "{}", text(&o));
    let o = rules(&["log", "verify", bare_p.to_str().unwrap(), "--key", &key]);
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    assert!(text(&o).contains("没有平台对日志头的签名"), "{}", text(&o));
    // A key that is not one is refused as bad input.
    let o = rules(&["log", "verify", good_p.to_str().unwrap(), "--key", "abc"]);
    assert_eq!(o.status.code(), Some(2), "{}", text(&o));
    assert!(text(&o).contains("64 hex digits"), "{}", text(&o));
}

#[test]
fn the_report_prints_head_signature_and_signer_and_what_was_checked() {
    let dir = tempfile::Builder::new().prefix("rules-cli-signed-").tempdir().unwrap();
    let key = public_key_of(&SEED);
    let good = record("纸质送达回证已签收，见卷宗第12页", true);
    let good_p = write(dir.path(), "good.json", &good);
    let case = Path::new(env!("CARGO_MANIFEST_DIR")).join("samples/02-missing-service-receipt.json");
    let html_p = dir.path().join("report.html");
    let report = |extra: &[&str]| {
        let mut a = vec![
            "report",
            case.to_str().unwrap(),
            "--now",
            "2026-04-10T12:00",
            "--log",
            good_p.to_str().unwrap(),
            "-o",
            html_p.to_str().unwrap(),
        ];
        a.extend(extra);
        let o = rules(&a);
        assert_eq!(o.status.code(), Some(0), "{}", text(&o));
        std::fs::read_to_string(&html_p).unwrap()
    };
    let s = good.log.signature.as_ref().unwrap();
    let html = report(&[]);
    for want in ["平台签名", "演示平台（案件办理）服务器 于 2026-03-10 09:06", &s.signature, &s.key, "本表未核验签名"]
    {
        assert!(html.contains(want), "{want} missing");
    }
    let html = report(&["--key", &key]);
    assert!(html.contains("已用所给的平台公钥核验：签名成立"));
    let html = report(&["--key", &public_key_of(&[1; 32])]);
    assert!(html.contains("签名核验未通过"));
}
