//! Helpers for the cross-crate tests. The scenario harness itself is `rules_core::scenario`,
//! shared with `rules test`, so both run scenario files one way.
use std::path::{Path, PathBuf};

use rules_core::{builtin_packs, Pack, PackRegistry};

pub mod reference;

pub use rules_core::scenario::{files, read_file, run, run_file, LoadedFile, Outcome, Scenario, ScenarioFile};

/// The directory holding `<pack>/<topic>.toml`.
pub fn scenario_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios")
}

/// Every built-in pack version that loads. A pack that does not is reported once, with its
/// own error, by the `packs` test `every_builtin_pack_loads`; the other tests go on with the
/// rest rather than each failing on it.
pub fn loaded_packs() -> Vec<Pack> {
    builtin_packs().into_iter().filter_map(Result::ok).collect()
}

/// [`loaded_packs`] as a registry, each case checked under the version in force when opened.
pub fn loaded_registry() -> PackRegistry {
    let mut r = PackRegistry::new();
    for p in loaded_packs() {
        // Two versions from one day are refused by the build itself.
        let _ = r.add(p);
    }
    r
}
