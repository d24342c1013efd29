//! Several packs, and several versions of one pack: the version in force on the day a case was
//! opened is the one it is checked under.
use chrono::NaiveDate;

use super::Pack;
use crate::error::PackError;

/// Loaded packs, possibly several versions per id.
#[derive(Debug, Clone, Default)]
pub struct PackRegistry {
    packs: Vec<Pack>,
}

/// The pack chosen for a case, and why that version.
#[derive(Debug, Clone, Copy)]
pub struct Selected<'a> {
    /// The pack version chosen.
    pub pack: &'a Pack,
    /// Why this version (Chinese, for the report's notes).
    pub why: &'static str,
}

impl PackRegistry {
    /// An empty registry.
    pub fn new() -> Self {
        Self::default()
    }

    /// Every built-in pack; the first that fails to load is the error.
    pub fn builtin() -> Result<Self, PackError> {
        let mut r = Self::new();
        for p in super::builtin_packs() {
            r.add(p?)?;
        }
        Ok(r)
    }

    /// Adds a pack; a second pack with the same id and version is refused.
    pub fn add(&mut self, pack: Pack) -> Result<(), PackError> {
        if self.packs.iter().any(|p| p.id() == pack.id() && p.def.version == pack.def.version) {
            return Err(PackError::DuplicateVersion { id: pack.def.id, version: pack.def.version });
        }
        self.packs.push(pack);
        Ok(())
    }

    /// The pack ids, each once, in the order first added.
    pub fn ids(&self) -> Vec<&str> {
        let mut ids: Vec<&str> = Vec::new();
        for p in &self.packs {
            if !ids.contains(&p.id()) {
                ids.push(p.id());
            }
        }
        ids
    }

    /// Every version of pack `id`, earliest in force first.
    pub fn versions(&self, id: &str) -> Vec<&Pack> {
        let mut v: Vec<&Pack> = self.packs.iter().filter(|p| p.id() == id).collect();
        v.sort_by_key(|p| p.effective());
        v
    }

    /// Chooses a version of pack `id`: `version` when given; else the latest in force on
    /// `opened` (the day the case was opened); else, with no date, the latest.
    pub fn select(
        &self,
        id: &str,
        version: Option<&str>,
        opened: Option<NaiveDate>,
    ) -> Result<Selected<'_>, PackError> {
        let versions = self.versions(id);
        if versions.is_empty() {
            return Err(PackError::UnknownPack { id: id.to_owned() });
        }
        if let Some(v) = version {
            return versions
                .iter()
                .find(|p| p.def.version == v)
                .map(|p| Selected { pack: p, why: "按本机关配置指定的版本检查" })
                .ok_or_else(|| PackError::UnknownVersion {
                    id: id.to_owned(),
                    version: v.to_owned(),
                    available: versions.iter().map(|p| p.def.version.as_str()).collect::<Vec<_>>().join(", "),
                });
        }
        let (found, why) = match opened {
            Some(day) => match versions.iter().rev().find(|p| p.effective().is_none_or(|e| e <= day)) {
                Some(p) => (Some(*p), "按立案（受理）之日施行的版本检查"),
                None => (versions.first().copied(), "立案（受理）之日早于各版本施行日期，按最早的版本检查"),
            },
            None => (versions.last().copied(), "案件没有立案（受理）日期，按最新施行的版本检查"),
        };
        found.map(|pack| Selected { pack, why }).ok_or_else(|| PackError::UnknownPack { id: id.to_owned() })
    }
}
