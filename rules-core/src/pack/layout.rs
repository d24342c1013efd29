//! Where packs live on disk, so a new pack or a new version is a folder, not a code change.
//!
//! Under a packs folder (`rules-core/packs/` for the built-in ones), each subfolder is one
//! pack, named by its id:
//!
//! ```text
//! packs/<id>/pack.toml + source.txt                 one version
//! packs/<id>/<version>/pack.toml + source.txt       several versions, one folder each
//! ```
//!
//! A version folder is named as the `version` in its `pack.toml`. A pack folder holds either a
//! `pack.toml` or version folders, not both. Folders whose names start with `.` are skipped.
//!
//! This file uses the standard library only: `build.rs` includes it (`#[path]`) to find the
//! packs it compiles in, and the loader uses it for `--pack <folder>`, so both read one layout.
use std::path::{Path, PathBuf};

/// One version of a pack found on disk.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Found {
    /// The pack folder's name: the pack's id.
    pub id: String,
    /// The version folder's name, when the pack keeps its versions in folders.
    pub version_dir: Option<String>,
    /// The folder holding `pack.toml` and `source.txt`.
    pub dir: PathBuf,
}

fn subfolders(dir: &Path) -> Result<Vec<(String, PathBuf)>, String> {
    let entries = std::fs::read_dir(dir).map_err(|e| format!("{}: cannot read the folder: {e}", dir.display()))?;
    let mut out = Vec::new();
    for e in entries {
        let e = e.map_err(|e| format!("{}: {e}", dir.display()))?;
        let path = e.path();
        let name = e.file_name().to_string_lossy().into_owned();
        if path.is_dir() && !name.starts_with('.') {
            out.push((name, path));
        }
    }
    out.sort();
    Ok(out)
}

/// Every version of the pack in folder `dir`, whose name is the pack id: `dir` itself when it
/// holds `pack.toml`, else each of its version folders.
pub fn versions_in(dir: &Path) -> Result<Vec<Found>, String> {
    let id = dir.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let inner = subfolders(dir)?;
    let with_pack: Vec<&(String, PathBuf)> = inner.iter().filter(|(_, p)| p.join("pack.toml").is_file()).collect();
    if dir.join("pack.toml").is_file() {
        if let Some((v, _)) = with_pack.first() {
            return Err(format!(
                "{}: holds both a pack.toml and a version folder `{v}`: keep every version in its own folder \
                 (packs/{id}/<version>/pack.toml), or only one pack.toml",
                dir.display()
            ));
        }
        need_source(dir)?;
        return Ok(vec![Found { id, version_dir: None, dir: dir.to_path_buf() }]);
    }
    if with_pack.is_empty() {
        return Err(format!(
            "{}: no pack.toml here nor in a version folder: a pack is packs/{id}/pack.toml + source.txt, \
             or packs/{id}/<version>/pack.toml + source.txt for each version",
            dir.display()
        ));
    }
    let mut out = Vec::new();
    for (name, path) in &inner {
        if !path.join("pack.toml").is_file() {
            return Err(format!("{}: a version folder without pack.toml", path.display()));
        }
        need_source(path)?;
        out.push(Found { id: id.clone(), version_dir: Some(name.clone()), dir: path.clone() });
    }
    Ok(out)
}

fn need_source(dir: &Path) -> Result<(), String> {
    if dir.join("source.txt").is_file() {
        Ok(())
    } else {
        Err(format!(
            "{}: pack.toml without source.txt (the regulation text its quotes are checked against)",
            dir.display()
        ))
    }
}

/// Every version of every pack under `root`, by pack id then version folder.
pub fn find(root: &Path) -> Result<Vec<Found>, String> {
    let mut out = Vec::new();
    for (_, dir) in subfolders(root)? {
        out.extend(versions_in(&dir)?);
    }
    Ok(out)
}
