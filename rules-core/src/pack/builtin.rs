//! The packs compiled into the engine.
use super::Pack;
use crate::error::PackError;

/// One built-in pack: its id, its rules as JSON compiled from `pack.toml` at build time, and
/// (when authoring) the TOML and regulation text themselves.
struct Builtin {
    id: &'static str,
    #[cfg_attr(feature = "authoring", allow(dead_code))]
    json: &'static str,
    #[cfg(feature = "authoring")]
    toml: &'static str,
    #[cfg(feature = "authoring")]
    source: &'static str,
}

macro_rules! builtin {
    ($id:literal) => {
        Builtin {
            id: $id,
            json: include_str!(concat!(env!("OUT_DIR"), "/", $id, ".json")),
            #[cfg(feature = "authoring")]
            toml: include_str!(concat!("../../packs/", $id, "/pack.toml")),
            #[cfg(feature = "authoring")]
            source: include_str!(concat!("../../packs/", $id, "/source.txt")),
        }
    };
}

const BUILTIN: &[Builtin] = &[
    builtin!("changsha-zfj"),
    builtin!("xinglongtai-zjj"),
    builtin!("pingluo-jtys"),
    builtin!("lingshou-xzsp"),
    builtin!("sanming-gxj"),
];

/// Ids of the built-in packs.
pub fn builtin_pack_ids() -> impl Iterator<Item = &'static str> {
    BUILTIN.iter().map(|b| b.id)
}

/// Every built-in pack, each loaded and validated.
pub fn builtin_packs() -> Vec<Result<Pack, PackError>> {
    BUILTIN.iter().map(read).collect()
}

pub(super) fn load(id: &str) -> Result<Pack, PackError> {
    BUILTIN.iter().find(|b| b.id == id).ok_or_else(|| PackError::UnknownPack { id: id.to_owned() }).and_then(read)
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
    let def = crate::json_reader::from_str(b.json).map_err(|e| PackError::Malformed {
        pack: b.id.to_owned(),
        location: "(built-in data)".to_owned(),
        message: e.to_string(),
    })?;
    Ok(Pack::new(def, super::Source::default()))
}

#[cfg(test)]
#[cfg(feature = "authoring")]
mod tests {
    /// The compiled JSON the widget ships says exactly what the checked TOML says, less the
    /// authors' notes and exclusions.
    #[test]
    fn compiled_packs_match_their_toml() {
        for b in super::BUILTIN {
            let mut checked = super::read(b).unwrap().def;
            assert!(!checked.rules.is_empty(), "{}", b.id);
            checked.notes.clear();
            checked.excluded.clear();
            let compiled: super::super::PackDef = crate::json_reader::from_str(b.json).unwrap();
            assert_eq!(compiled, checked, "{}", b.id);
        }
    }
}
