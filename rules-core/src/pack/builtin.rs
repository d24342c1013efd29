//! The packs compiled into the engine.
use super::Pack;
use crate::error::PackError;

/// (id, pack.toml, source.txt) of every built-in pack.
const BUILTIN: &[(&str, &str, &str)] = &[
    (
        "changsha-zfj",
        include_str!("../../packs/changsha-zfj/pack.toml"),
        include_str!("../../packs/changsha-zfj/source.txt"),
    ),
    (
        "xinglongtai-zjj",
        include_str!("../../packs/xinglongtai-zjj/pack.toml"),
        include_str!("../../packs/xinglongtai-zjj/source.txt"),
    ),
    (
        "pingluo-jtys",
        include_str!("../../packs/pingluo-jtys/pack.toml"),
        include_str!("../../packs/pingluo-jtys/source.txt"),
    ),
    (
        "lingshou-xzsp",
        include_str!("../../packs/lingshou-xzsp/pack.toml"),
        include_str!("../../packs/lingshou-xzsp/source.txt"),
    ),
    (
        "sanming-gxj",
        include_str!("../../packs/sanming-gxj/pack.toml"),
        include_str!("../../packs/sanming-gxj/source.txt"),
    ),
];

/// Ids of the built-in packs.
pub fn builtin_pack_ids() -> impl Iterator<Item = &'static str> {
    BUILTIN.iter().map(|(id, _, _)| *id)
}

/// Every built-in pack, each loaded and validated.
pub fn builtin_packs() -> Vec<Result<Pack, PackError>> {
    BUILTIN.iter().map(|(id, t, s)| Pack::from_toml(t, s, id)).collect()
}

pub(super) fn load(id: &str) -> Result<Pack, PackError> {
    let (_, t, s) =
        BUILTIN.iter().find(|(i, _, _)| *i == id).ok_or_else(|| PackError::UnknownPack { id: id.to_owned() })?;
    Pack::from_toml(t, s, id)
}
