//! The packs compiled into the engine: every version of every pack folder under
//! `rules-core/packs/`, found by `build.rs` (layout in `layout.rs`), none listed by hand.
use super::registry::{choose_version, VersionKey};
use super::Pack;
use crate::error::PackError;

/// One built-in pack version: its id, version and effective day (read from `pack.toml` at
/// build time, so choosing a version loads nothing), its rules as JSON compiled from
/// `pack.toml`, and (when authoring) the TOML and regulation text themselves.
struct Builtin {
    id: &'static str,
    version: &'static str,
    effective: Option<&'static str>,
    json: &'static str,
    #[cfg(feature = "authoring")]
    toml: &'static str,
    #[cfg(feature = "authoring")]
    source: &'static str,
}

/// Written by `build.rs` from the folders under `packs/`.
const BUILTIN: &[Builtin] = include!(concat!(env!("OUT_DIR"), "/builtin_packs.rs"));

/// A built-in pack version as [`builtin_select`] names it, before it is loaded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BuiltinVersion {
    /// The pack id.
    pub id: &'static str,
    /// The version.
    pub version: &'static str,
    /// The day it took effect, as `pack.toml` writes it.
    pub effective: Option<&'static str>,
    /// Why this version (Chinese, for notes), when chosen for a case.
    pub why: &'static str,
}

/// Ids of the built-in packs, each once.
pub fn builtin_pack_ids() -> impl Iterator<Item = &'static str> {
    BUILTIN.iter().enumerate().filter(|(i, b)| !BUILTIN.iter().take(*i).any(|a| a.id == b.id)).map(|(_, b)| b.id)
}

/// Every built-in pack version, by id then version folder, without loading any.
pub fn builtin_versions() -> impl Iterator<Item = BuiltinVersion> {
    BUILTIN.iter().map(|b| BuiltinVersion { id: b.id, version: b.version, effective: b.effective, why: "" })
}

/// Every built-in pack version, each loaded and validated.
pub fn builtin_packs() -> Vec<Result<Pack, PackError>> {
    BUILTIN.iter().map(read).collect()
}

fn key(b: &Builtin) -> VersionKey<'static> {
    VersionKey { version: b.version, effective: b.effective.and_then(crate::time::parse_date) }
}

/// Which built-in version of pack `id` checks a case, by the same rule as every entry point
/// ([`choose_version`]): `version` when a config fixes it, else the one in force on `opened`.
pub fn builtin_select(
    id: &str,
    version: Option<&str>,
    opened: Option<chrono::NaiveDate>,
) -> Result<BuiltinVersion, PackError> {
    select_in(BUILTIN, id, version, opened)
}

fn select_in(
    table: &[Builtin],
    id: &str,
    version: Option<&str>,
    opened: Option<chrono::NaiveDate>,
) -> Result<BuiltinVersion, PackError> {
    let of: Vec<&Builtin> = table.iter().filter(|b| b.id == id).collect();
    let keys: Vec<VersionKey<'static>> = of.iter().map(|b| key(b)).collect();
    let (i, why) = choose_version(id, &keys, version, opened)?;
    let b = of.get(i).ok_or_else(|| PackError::UnknownPack { id: id.to_owned() })?;
    Ok(BuiltinVersion { id: b.id, version: b.version, effective: b.effective, why })
}

/// The latest built-in version of pack `id`.
pub(super) fn load(id: &str) -> Result<Pack, PackError> {
    let v = builtin_select(id, None, None)?;
    load_version(id, v.version)
}

/// Built-in pack `id` at `version`.
pub(super) fn load_version(id: &str, version: &str) -> Result<Pack, PackError> {
    let b = BUILTIN.iter().find(|b| b.id == id && b.version == version);
    b.ok_or_else(|| PackError::UnknownPack { id: format!("{id} {version}") }).and_then(read)
}

/// The TOML and regulation text of the built-in pack `id`, if there is one.
#[cfg(feature = "authoring")]
pub(super) fn text(id: &str) -> Option<(&'static str, &'static str)> {
    BUILTIN.iter().find(|b| b.id == id).map(|b| (b.toml, b.source))
}

/// With `authoring`, the pack is read from its TOML and checked against its regulation text.
#[cfg(feature = "authoring")]
fn read(b: &Builtin) -> Result<Pack, PackError> {
    Pack::from_toml(b.toml, b.source, b.id)
}

/// Without `authoring`, the compiled JSON (without the authors' notes and exclusions) is read
/// as it is: the same TOML, checked against
/// the text by every native test run (see the test below), so the check is not repeated on
/// each officer's machine.
#[cfg(not(feature = "authoring"))]
fn read(b: &Builtin) -> Result<Pack, PackError> {
    read_compiled(b)
}

/// Built-in pack `id` at `version` read from the compiled JSON, as the widget reads it
/// whatever the features: so a native test can check a case both ways.
pub(super) fn load_compiled(id: &str, version: &str) -> Result<Pack, PackError> {
    let b = BUILTIN.iter().find(|b| b.id == id && b.version == version);
    b.ok_or_else(|| PackError::UnknownPack { id: format!("{id} {version}") }).and_then(read_compiled)
}

fn read_compiled(b: &Builtin) -> Result<Pack, PackError> {
    let def = crate::json_reader::from_str(b.json).map_err(|e| PackError::Malformed {
        pack: b.id.to_owned(),
        location: "(built-in data)".to_owned(),
        message: e.to_string(),
    })?;
    Ok(Pack::new(def, super::Source::default()))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The compiled JSON the widget ships says exactly what the checked TOML says, less the
    /// authors' notes and exclusions.
    #[test]
    #[cfg(feature = "authoring")]
    fn compiled_packs_match_their_toml() {
        for b in super::BUILTIN {
            let mut checked = super::read(b).unwrap().def;
            assert!(!checked.rules.is_empty(), "{}", b.id);
            assert_eq!((checked.version.as_str(), checked.effective.as_deref()), (b.version, b.effective));
            checked.notes.clear();
            checked.excluded.clear();
            let compiled: super::super::PackDef = crate::json_reader::from_str(b.json).unwrap();
            assert_eq!(compiled, checked, "{}", b.id);
        }
    }

    /// Every folder under `packs/` is built in, each version once: nothing is listed by hand.
    #[test]
    #[cfg(feature = "authoring")]
    fn every_pack_folder_is_built_in() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("packs");
        let found = super::super::layout::find(&root).unwrap();
        assert!(!found.is_empty());
        assert_eq!(found.len(), BUILTIN.len());
        for f in found {
            assert!(BUILTIN.iter().any(|b| b.id == f.id), "{} not built in", f.id);
        }
    }

    fn fake(version: &'static str, effective: Option<&'static str>) -> Builtin {
        Builtin {
            id: "p",
            version,
            effective,
            json: "",
            #[cfg(feature = "authoring")]
            toml: "",
            #[cfg(feature = "authoring")]
            source: "",
        }
    }

    /// The widget's choice among built-in versions is the registry's: by filing day, a fixed
    /// version, the earliest for a case opened before all, the latest for an undated case.
    #[test]
    fn builtin_choice_follows_the_filing_day() {
        let table = [fake("2027.1", Some("2027-01-01")), fake("2023.1", Some("2023-06-09"))];
        let on = |d: &str| crate::time::parse_date(d);
        let pick = |v: Option<&str>, d: Option<&str>| select_in(&table, "p", v, d.and_then(on)).map(|b| b.version);
        assert_eq!(pick(None, Some("2026-12-31")), Ok("2023.1"));
        assert_eq!(pick(None, Some("2027-01-01")), Ok("2027.1"));
        assert_eq!(pick(None, Some("2020-01-01")), Ok("2023.1"));
        assert_eq!(pick(None, None), Ok("2027.1"));
        assert_eq!(pick(Some("2023.1"), Some("2027-05-01")), Ok("2023.1"));
        assert!(matches!(pick(Some("9"), None), Err(PackError::UnknownVersion { .. })));
    }
}
