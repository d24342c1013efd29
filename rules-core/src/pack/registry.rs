//! Several packs, and several versions of one pack: the version in force on the day a case was
//! opened is the one it is checked under. [`choose_version`] is the one place that rule is
//! written; the registry, the built-in packs (and so the widget) and every `rules` command go
//! through it.
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
    /// Whether the pack has other versions to choose from (the report then names the
    /// version it was checked under).
    pub several: bool,
}

/// One version of a pack as the choice of version sees it: its name and the day it took
/// effect (`None`: in force since before any case).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct VersionKey<'a> {
    /// The pack's `version`.
    pub version: &'a str,
    /// Its `effective` day.
    pub effective: Option<NaiveDate>,
}

/// Which of `versions` (of pack `id`, in any order) checks a case: `wanted` when a config
/// fixes one; else the latest in force on `opened`, the day the case was opened (立案/受理);
/// a case opened before every version gets the earliest; a case with no such day the latest.
/// Returns the place in `versions` and why (Chinese, for the report's notes).
///
/// Every entry point chooses with this function: `rules check`, `report`, `audit`, `explain`,
/// `test`, the widget, and [`PackRegistry::select`].
pub fn choose_version(
    id: &str,
    versions: &[VersionKey<'_>],
    wanted: Option<&str>,
    opened: Option<NaiveDate>,
) -> Result<(usize, &'static str), PackError> {
    if versions.is_empty() {
        return Err(PackError::UnknownPack { id: id.to_owned() });
    }
    if let Some(v) = wanted {
        return versions.iter().position(|k| k.version == v).map(|i| (i, "按本机关配置指定的版本检查")).ok_or_else(
            || PackError::UnknownVersion {
                id: id.to_owned(),
                version: v.to_owned(),
                available: versions.iter().map(|k| k.version).collect::<Vec<_>>().join(", "),
            },
        );
    }
    // Earliest in force first; `None` (in force before any case) before every day.
    let mut order: Vec<usize> = (0..versions.len()).collect();
    order.sort_by_key(|&i| versions.get(i).and_then(|k| k.effective));
    let key = |i: usize| versions.get(i).and_then(|k| k.effective);
    let pick = match opened {
        Some(day) => match order.iter().rev().find(|&&i| key(i).is_none_or(|e| e <= day)) {
            Some(&i) => (i, "按立案（受理）之日施行的版本检查"),
            None => (order.first().copied().unwrap_or(0), "立案（受理）之日早于各版本施行日期，按最早的版本检查"),
        },
        None => (order.last().copied().unwrap_or(0), "案件没有立案（受理）日期，按最新施行的版本检查"),
    };
    Ok(pick)
}

/// Refuses two versions of pack `id` in force from the same day (or both without `effective`):
/// which of them checks a case would depend on load order.
pub fn check_versions(id: &str, versions: &[VersionKey<'_>]) -> Result<(), PackError> {
    for (i, a) in versions.iter().enumerate() {
        if let Some(b) = versions.iter().skip(i + 1).find(|b| b.effective == a.effective) {
            return Err(PackError::SameEffective {
                id: id.to_owned(),
                effective: a.effective.map_or_else(|| "（未写 effective）".to_owned(), |d| d.to_string()),
                versions: format!("{}, {}", a.version, b.version),
            });
        }
    }
    Ok(())
}

impl PackRegistry {
    /// An empty registry.
    pub fn new() -> Self {
        Self::default()
    }

    /// Every built-in pack, every version; the first that fails to load is the error.
    pub fn builtin() -> Result<Self, PackError> {
        let mut r = Self::new();
        for p in super::builtin_packs() {
            r.add(p?)?;
        }
        Ok(r)
    }

    /// Every version of every pack under `path`: a packs folder (`<id>/…` folders), one pack
    /// folder (`pack.toml`, or `<version>/pack.toml` folders), or a `pack.toml` file. The
    /// layout is the built-in packs' (README, "Pack folders and versions").
    #[cfg(feature = "authoring")]
    pub fn from_path(path: &std::path::Path) -> Result<Self, PackError> {
        let mut r = Self::new();
        for p in super::load_path(path)? {
            r.add(p)?;
        }
        Ok(r)
    }

    /// Adds a pack; a second pack with the same id and version, or another version of the
    /// same pack in force from the same day, is refused.
    pub fn add(&mut self, pack: Pack) -> Result<(), PackError> {
        if self.packs.iter().any(|p| p.id() == pack.id() && p.def.version == pack.def.version) {
            return Err(PackError::DuplicateVersion { id: pack.def.id, version: pack.def.version });
        }
        let mut keys: Vec<VersionKey<'_>> = self.versions(pack.id()).iter().map(|p| p.version_key()).collect();
        keys.push(pack.version_key());
        check_versions(pack.id(), &keys)?;
        self.packs.push(pack);
        Ok(())
    }

    /// Every pack, every version, in the order added.
    pub fn all(&self) -> &[Pack] {
        &self.packs
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

    /// Whether pack `id` has more than one version here (lists then name the version).
    pub fn has_versions(&self, id: &str) -> bool {
        self.packs.iter().filter(|p| p.id() == id).nth(1).is_some()
    }

    /// Chooses a version of pack `id` with [`choose_version`]: `version` when given; else the
    /// latest in force on `opened` (the day the case was opened); else, with no date, the
    /// latest.
    pub fn select(
        &self,
        id: &str,
        version: Option<&str>,
        opened: Option<NaiveDate>,
    ) -> Result<Selected<'_>, PackError> {
        let versions = self.versions(id);
        let keys: Vec<VersionKey<'_>> = versions.iter().map(|p| p.version_key()).collect();
        let (i, why) = choose_version(id, &keys, version, opened)?;
        let several = versions.len() > 1;
        versions
            .get(i)
            .map(|pack| Selected { pack, why, several })
            .ok_or_else(|| PackError::UnknownPack { id: id.to_owned() })
    }

    /// The version of pack `id` that checks `case`: the config's `pack_version` when it fixes
    /// one, else the version in force on the day the case was opened.
    pub fn select_for(&self, id: &str, case: &crate::Case, config: &crate::Config) -> Result<Selected<'_>, PackError> {
        self.select(id, config.pack_version.as_deref(), case.opened_on())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(version: &'static str, effective: Option<&str>) -> VersionKey<'static> {
        VersionKey { version, effective: effective.and_then(crate::time::parse_date) }
    }

    /// Two versions from one day (or both undated) are refused naming both; different days pass.
    #[test]
    fn versions_from_the_same_day_are_refused() {
        let e = check_versions("p", &[key("1", Some("2026-01-01")), key("2", Some("2026-01-01"))]).unwrap_err();
        assert!(e.to_string().contains("two versions (1, 2) in force from the same day 2026-01-01"), "{e}");
        assert!(check_versions("p", &[key("1", None), key("2", None)]).is_err());
        assert!(check_versions("p", &[key("1", None), key("2", Some("2026-01-01"))]).is_ok());
    }

    /// A version without `effective` is in force before every dated one.
    #[test]
    fn an_undated_version_is_the_earliest() {
        let v = [key("new", Some("2027-01-01")), key("old", None)];
        let on = crate::time::parse_date;
        assert_eq!(choose_version("p", &v, None, on("2026-06-01")).unwrap().0, 1);
        assert_eq!(choose_version("p", &v, None, on("2027-01-01")).unwrap().0, 0);
        assert!(matches!(choose_version("p", &[], None, None), Err(PackError::UnknownPack { .. })));
    }
}
