use super::*;

fn t(s: &str) -> Time {
    Time::parse(s).unwrap()
}

fn sample() -> CaseLog {
    let mut log = CaseLog::new("长执罚〔2026〕12号");
    log.append(
        t("2026-03-02T09:00"),
        LogEvent::PackVersion(PackVersion { id: "changsha-zfj".into(), version: "2026.1".into() }),
    );
    log.append(
        t("2026-03-02T09:01"),
        LogEvent::MediaHashed(MediaHashed {
            record: Some("R1".into()),
            name: "现场.mp4".into(),
            size: Some(1024),
            sha256: "ab".repeat(32),
        }),
    );
    log.append(
        t("2026-03-02T09:02"),
        LogEvent::ItemAcknowledged(ItemAcknowledged {
            item: "13-inspection-av@A1".into(),
            by: Some("张三".into()),
            note: None,
        }),
    );
    log.append(
        t("2026-03-02T09:03"),
        LogEvent::ItemUnacknowledged(ItemUnacknowledged { item: "13-inspection-av@A1".into() }),
    );
    log.append(t("2026-03-02T09:04"), LogEvent::SubmitAttempted(SubmitAttempted { blocking: 1, warnings: 0 }));
    log
}

#[test]
fn a_fresh_log_verifies_and_round_trips() {
    let log = sample();
    let head = log.verify().unwrap();
    assert_eq!(head.count, 5);
    assert_eq!(head.hash, log.entries[4].hash);
    assert_eq!(log.entries[0].prev, genesis(&log.case_id));
    let back = CaseLog::from_json(&log.to_json()).unwrap();
    assert_eq!(back, log);
    assert_eq!(back.verify().unwrap(), head);
}

#[test]
fn the_hash_covers_the_canonical_form() {
    let log = sample();
    let e = &log.entries[1];
    let canonical = format!(
        r#"{{"seq":1,"at":{},"event":{},"prev":"{}"}}"#,
        serde_json::to_string(&e.at).unwrap(),
        serde_json::to_string(&e.event).unwrap(),
        e.prev
    );
    assert_eq!(e.hash, hex(&Sha256::digest(canonical.as_bytes())));
    assert!(canonical.contains(r#""kind":"media-hashed","payload":{"record":"R1""#), "{canonical}");
}

#[test]
fn an_edited_entry_is_named() {
    let mut log = sample();
    if let LogEvent::MediaHashed(m) = &mut log.entries[1].event {
        m.sha256 = "cd".repeat(32);
    }
    let b = log.verify().unwrap_err();
    assert_eq!((b.index, &b.reason), (1, &BreakReason::Edited));
    assert_eq!(b.to_string(), "entry 1 (seq 1) was edited: its content does not hash to its `hash`");
}

#[test]
fn an_edit_that_rehashes_the_entry_breaks_the_next_link() {
    let mut log = sample();
    log.entries[2].at = t("2026-03-01T09:02");
    log.entries[2].hash = log.entries[2].content_hash();
    let b = log.verify().unwrap_err();
    assert_eq!((b.index, &b.reason), (3, &BreakReason::BrokenLink));
}

#[test]
fn reordered_entries_are_named() {
    let mut log = sample();
    log.entries.swap(2, 3);
    let b = log.verify().unwrap_err();
    assert_eq!((b.index, b.seq, &b.reason), (2, 3, &BreakReason::Reordered));
}

#[test]
fn a_truncated_log_is_caught_against_its_head() {
    let mut log = sample();
    log.entries.truncate(3);
    let b = log.verify().unwrap_err();
    assert_eq!(b.index, 3);
    assert_eq!(b.reason, BreakReason::Truncated { expected: 5, found: 3 });
    // The chain alone is whole: only the head shows the cut.
    assert!(verify(&log.case_id, &log.entries, None).is_ok());
}

#[test]
fn a_truncated_log_with_a_forged_header_is_caught_against_the_printed_head() {
    let printed = sample().head;
    let mut log = sample();
    log.entries.truncate(3);
    log.head = head_of(&log.case_id, &log.entries);
    assert!(log.verify().is_ok());
    let b = log.verify_against(&printed).unwrap_err();
    assert_eq!(b.reason, BreakReason::Truncated { expected: 5, found: 3 });
}

#[test]
fn a_rewritten_log_is_caught_against_the_printed_head() {
    let printed = sample().head;
    let mut log = CaseLog::new("长执罚〔2026〕12号");
    for e in sample().entries.into_iter().rev() {
        log.append(e.at, e.event);
    }
    assert!(log.verify().is_ok());
    let b = log.verify_against(&printed).unwrap_err();
    assert_eq!(b.index, 4);
    assert!(matches!(b.reason, BreakReason::HeadMismatch { .. }));
    // A log that grew since the head was printed still reaches it.
    let mut grown = sample();
    grown.append(t("2026-03-03T10:00"), LogEvent::SubmitAllowed(SubmitAllowed { reason: None, warnings: vec![] }));
    assert_eq!(grown.verify_against(&printed).unwrap().count, 6);
}

#[test]
fn a_removed_middle_entry_is_named() {
    let mut log = sample();
    log.entries.remove(1);
    log.head = head_of(&log.case_id, &log.entries);
    let b = log.verify().unwrap_err();
    assert_eq!((b.index, &b.reason), (1, &BreakReason::Removed { missing: 1 }));
}

#[test]
fn another_cases_log_is_refused() {
    let mut log = sample();
    log.case_id = "长执罚〔2026〕13号".into();
    let b = log.verify().unwrap_err();
    assert_eq!((b.index, &b.reason), (0, &BreakReason::OtherCase));
}

#[test]
fn malformed_files_name_the_location() {
    let mut v: serde_json::Value = serde_json::from_str(&sample().to_json()).unwrap();
    v["entries"][1]["event"]["payload"]["sha256"] = serde_json::json!(42);
    let e = CaseLog::from_json(&v.to_string()).unwrap_err();
    assert!(e.to_string().starts_with("log is malformed at `entries[1].event"), "{e}");
    v["entries"][1]["event"]["payload"]["sha256"] = serde_json::json!("ab");
    v["entries"][1]["event"]["payload"]["extra"] = serde_json::json!("x");
    let e = CaseLog::from_json(&v.to_string()).unwrap_err();
    assert!(e.to_string().contains("extra"), "{e}");
    let e = CaseLog::from_json(r#"{"format":"other","case_id":"c","head":{"count":0,"hash":""},"entries":[]}"#)
        .unwrap_err();
    assert_eq!(e, LogError::Format { found: "other".into() });
    assert!(CaseLog::from_json("[").unwrap_err().to_string().starts_with("log is malformed at `(root)`"));
}

#[test]
fn an_empty_log_has_the_genesis_head() {
    let log = CaseLog::new("c");
    assert_eq!(log.verify().unwrap(), LogHead { count: 0, hash: genesis("c") });
}

#[test]
fn the_exported_file_is_serde_json_s_pretty_text() {
    let log = sample();
    assert_eq!(log.to_json(), serde_json::to_string_pretty(&log).unwrap());
}

/// serde's derive for the same enum, to hold the hand-written reader to.
#[derive(Debug, Serialize, Deserialize)]
#[serde(tag = "kind", content = "payload", rename_all = "kebab-case", deny_unknown_fields)]
enum Derived {
    MediaHashed(MediaHashed),
    ItemAcknowledged(ItemAcknowledged),
    ItemUnacknowledged(ItemUnacknowledged),
    SubmitAttempted(SubmitAttempted),
    SubmitBlocked(SubmitBlocked),
    SubmitAllowed(SubmitAllowed),
    ConfigApplied(ConfigApplied),
    PackVersion(PackVersion),
    Merged(Merged),
}

#[test]
fn events_read_as_serde_s_derive_reads_them_when_kind_comes_first() {
    let read = |text: &str| {
        let ours = crate::json_reader::from_str::<LogEvent>(text).map(|e| serde_json::to_string(&e).unwrap());
        let derived = crate::json_reader::from_str::<Derived>(text).map(|e| serde_json::to_string(&e).unwrap());
        // serde's derive words an unknown member as an invalid value; ours names it as serde
        // does for structs.
        let derived = derived.map_err(|e| {
            e.to_string()
                .replace("Derived", "LogEvent")
                .replace("invalid value: string \"", "unknown field `")
                .replace("\", expected \"kind\" or \"payload\"", "`, expected `kind` or `payload`")
        });
        (ours.map_err(|e| e.to_string()), derived)
    };
    let mut cases: Vec<String> = sample().entries.iter().map(|e| serde_json::to_string(&e.event).unwrap()).collect();
    cases.extend(
        [
            r#"{"kind":"submit-blocked","payload":{"reason":"r","blocking":["a@b"]}}"#,
            r#"{"kind":"submit-allowed","payload":{}}"#,
            r#"{"kind":"config-applied","payload":{"fingerprint":"f"}}"#,
            r#"{"kind":"pack-version","payload":{"id":"x","version":"1"},"note":[1,{"a":2}]}"#,
            r#"{"note":"x","kind":"pack-version","payload":{"id":"x","version":"1"}}"#,
            r#"{"kind":"nonesuch","payload":{}}"#,
            r#"{"kind":7,"payload":{}}"#,
            r#"{"payload":{"item":"a@b"}}"#,
            r#"{"kind":"item-unacknowledged"}"#,
            r#"{"kind":"item-unacknowledged","kind":"item-unacknowledged","payload":{"item":"a@b"}}"#,
            r#"{"kind":"item-unacknowledged","payload":{"item":"a@b"},"payload":{"item":"a@b"}}"#,
            r#"{"kind":"item-unacknowledged","payload":{"item":7}}"#,
            r#"{"kind":"item-unacknowledged","payload":{"item":"a@b","extra":1}}"#,
            r#"{"kind":"submit-attempted","payload":"x"}"#,
            r#"{}"#,
            r#"[]"#,
            r#""item-unacknowledged""#,
            r#"null"#,
        ]
        .map(String::from),
    );
    for text in &cases {
        let (ours, derived) = read(text);
        assert_eq!(ours, derived, "{text}");
    }
    assert!(cases.len() > 20);
    // The one difference: the payload before the kind, which no log is written with.
    let (ours, derived) = read(r#"{"payload":{"item":"a@b"},"kind":"item-unacknowledged"}"#);
    assert!(derived.is_ok());
    assert!(ours.unwrap_err().starts_with("`payload` before `kind`: an event gives its `kind` first"));
}

#[test]
fn every_member_of_an_entry_is_hashed_or_refused() {
    let text = sample().to_json();
    // An extra member inside `event` was read and dropped, so it sat in the file unhashed.
    let mut v: serde_json::Value = serde_json::from_str(&text).unwrap();
    v["entries"][2]["event"]["note"] = serde_json::json!("由他人代为确认");
    let e = CaseLog::from_json(&v.to_string()).unwrap_err();
    assert!(e.to_string().starts_with("log is malformed at `entries[2].event"), "{e}");
    assert!(e.to_string().contains("unknown field `note`"), "{e}");
    // Sub-second parts and other spellings of `at` were outside the hash: refused at `at`.
    for at in ["2026-03-02T09:01:00.5", "2026-03-02T09:01:00.700+08:00", "2026-03-02T01:01:00Z", "2026-03-02T09:01"] {
        let mut v: serde_json::Value = serde_json::from_str(&text).unwrap();
        v["entries"][1]["at"] = serde_json::json!(at);
        let e = CaseLog::from_json(&v.to_string()).unwrap_err();
        assert!(e.to_string().starts_with("log is malformed at `entries[1].at`"), "{at}: {e}");
        assert!(e.to_string().contains("YYYY-MM-DDTHH:MM"), "{at}: {e}");
    }
    // What is read is exactly what is hashed: writing a read log back gives the same bytes.
    assert_eq!(CaseLog::from_json(&text).unwrap().to_json(), text);
}

#[test]
fn logs_written_before_events_were_checked_strictly_still_verify() {
    // An export of the widget's log format as it has always been written (hash input
    // unchanged): it reads and verifies as before.
    let text = r#"{"format":"law-record-log/1","case_id":"C","head":{"count":1,"hash":"HEAD"},"entries":[{"seq":0,"at":"2026-03-02T09:00:00","event":{"kind":"pack-version","payload":{"id":"changsha-zfj","version":"2026.1"}},"prev":"PREV","hash":"HASH"}]}"#;
    let mut log = CaseLog::new("C");
    log.append(
        t("2026-03-02T09:00"),
        LogEvent::PackVersion(PackVersion { id: "changsha-zfj".into(), version: "2026.1".into() }),
    );
    let e = &log.entries[0];
    let text = text.replace("HEAD", &e.hash).replace("PREV", &e.prev).replace("HASH", &e.hash);
    assert_eq!(CaseLog::from_json(&text).unwrap().verify().unwrap().hash, e.hash);
    // The hash of this entry, fixed: a change of hash input would break every stored log.
    assert_eq!(e.hash, hex(&Sha256::digest(
        format!(r#"{{"seq":0,"at":"2026-03-02T09:00:00","event":{{"kind":"pack-version","payload":{{"id":"changsha-zfj","version":"2026.1"}}}},"prev":"{}"}}"#, genesis("C")).as_bytes()
    )));
}
