//! Errors for bad input: a malformed case, a broken pack or calendar, a bad config.
//!
//! Missing records are never errors: they are findings in the [`crate::Report`].

/// A case from the host platform that cannot be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CaseError {
    /// The JSON does not fit the case contract.
    #[error("case is malformed at `{location}`: {message}")]
    Malformed {
        /// Where in the case, e.g. `activities[2].records[0].signatures`.
        location: String,
        /// What is wrong there.
        message: String,
    },
    /// Two elements share one id, so findings could not name them apart.
    #[error("case has the id `{id}` twice (at `{location}`)")]
    DuplicateId {
        /// The repeated id.
        id: String,
        /// Where the second one is.
        location: String,
    },
    /// The case states something that cannot be true (an end before its start, an excluded
    /// period of thousands of years): checked on it, the verdict would be meaningless.
    #[error("案件数据不可能成立，位置 `{location}`：{message}")]
    Impossible {
        /// Where in the case, e.g. `excluded_periods[3].to`.
        location: String,
        /// What cannot be true, in Chinese for the officer who entered it.
        message: String,
    },
}

impl CaseError {
    /// A hint for the person who sent the case.
    pub fn help(&self) -> &'static str {
        match self {
            CaseError::Malformed { .. } => "compare the case with the JSON Schema printed by `rules schema`",
            CaseError::DuplicateId { .. } => "give every activity, service and record its own id",
            CaseError::Impossible { .. } => "correct the times in the case on the platform",
        }
    }
}

/// A rule pack that cannot be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PackError {
    /// The pack file does not parse or does not fit the pack format.
    #[error("pack `{pack}` is malformed at `{location}`: {message}")]
    Malformed {
        /// The pack file or id.
        pack: String,
        /// Where in the pack.
        location: String,
        /// What is wrong there.
        message: String,
    },
    /// No built-in pack has this id.
    #[error("no built-in pack `{id}`")]
    UnknownPack {
        /// The id asked for.
        id: String,
    },
    /// The pack has no such version.
    #[error("pack `{id}` has no version `{version}` (available: {available})")]
    UnknownVersion {
        /// The pack id.
        id: String,
        /// The version asked for.
        version: String,
        /// The versions there are, comma-separated.
        available: String,
    },
    /// Two packs with the same id and version were loaded.
    #[error("pack `{id}` version `{version}` is loaded twice")]
    DuplicateVersion {
        /// The pack id.
        id: String,
        /// The version.
        version: String,
    },
    /// Two versions of one pack take effect on the same day, so which checks a case would
    /// depend on load order.
    #[error("pack `{id}` has two versions ({versions}) in force from the same day {effective}: give each version its own `effective` day")]
    SameEffective {
        /// The pack id.
        id: String,
        /// The shared day.
        effective: String,
        /// The two versions, comma-separated.
        versions: String,
    },
    /// The pack failed validation; every problem is listed.
    #[error("pack `{pack}` is invalid:\n  - {}", .problems.join("\n  - "))]
    Invalid {
        /// The pack id.
        pack: String,
        /// One line per problem, each naming its location.
        problems: Vec<String>,
    },
}

/// The holiday calendar data cannot be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CalendarError {
    /// The file does not parse.
    #[error("calendar is malformed: {message}")]
    Parse {
        /// The parser's message.
        message: String,
    },
    /// A listed day is not a date of its year.
    #[error("calendar day `{value}` at `{location}` is not a date of that year")]
    BadDay {
        /// Where it is.
        location: String,
        /// The text given.
        value: String,
    },
    /// The same year appears twice.
    #[error("calendar lists year `{year}` twice")]
    DuplicateYear {
        /// The year.
        year: i32,
    },
}

/// An agency configuration that cannot be applied to its pack.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ConfigError {
    /// The file does not parse.
    #[error("config is malformed at `{location}`: {message}")]
    Malformed {
        /// Where in the config.
        location: String,
        /// What is wrong there.
        message: String,
    },
    /// The config names a rule the pack does not have.
    #[error("config refers to rule `{rule}` at `{location}`, which pack `{pack}` version `{version}` does not have")]
    UnknownRule {
        /// The rule id.
        rule: String,
        /// The pack id.
        pack: String,
        /// The pack version checked (a rule may be in one version and not the next).
        version: String,
        /// Where in the config.
        location: String,
    },
    /// The config names a procedure the pack does not have.
    #[error("config refers to procedure `{procedure}` at `{location}`, which pack `{pack}` version `{version}` does not have")]
    UnknownProcedure {
        /// The procedure id.
        procedure: String,
        /// The pack id.
        pack: String,
        /// The pack version checked (a rule may be in one version and not the next).
        version: String,
        /// Where in the config.
        location: String,
    },
    /// The config names a step the pack does not have.
    #[error("config refers to step `{step}` at `{location}`, which pack `{pack}` version `{version}` does not have")]
    UnknownStep {
        /// The step id.
        step: String,
        /// The pack id.
        pack: String,
        /// The pack version checked (a rule may be in one version and not the next).
        version: String,
        /// Where in the config.
        location: String,
    },
    /// The config names a pack that is not available.
    #[error("config names pack `{pack}` at `pack`, which is not available (available: {available})")]
    UnknownPack {
        /// The pack id.
        pack: String,
        /// The ids that are available, comma-separated.
        available: String,
    },
    /// The config is written for another pack than the one applied.
    #[error("config is written for pack `{configured}` (at `pack`) but pack `{pack}` was applied")]
    WrongPack {
        /// The pack the config names.
        configured: String,
        /// The pack applied.
        pack: String,
    },
    /// The config is written for another pack than the one the case (its `agency`) or the
    /// caller names: applying it would check the case against another agency's rules.
    #[error("config is written for pack `{configured}` (at `pack`), but {named_by} names pack `{case}`: a case is not checked against another agency's rules")]
    CaseOfAnotherPack {
        /// The pack the config names.
        configured: String,
        /// The pack the case is of.
        case: String,
        /// Who names it: the case's `agency`, or the caller.
        named_by: String,
    },
    /// The config fixes a pack version that is not the one applied.
    #[error(
        "config fixes pack `{pack}` at version `{configured}` (at `pack_version`) but version `{version}` was applied"
    )]
    WrongVersion {
        /// The pack id.
        pack: String,
        /// The version the config names.
        configured: String,
        /// The version applied.
        version: String,
    },
    /// The config makes an optional rule (可以 / 根据需要) block submission.
    #[error("config makes rule `{rule}` blocking at `{location}`, but the regulation only says it may be done")]
    MayCannotBlock {
        /// The rule id.
        rule: String,
        /// Where in the config.
        location: String,
    },
    /// The config switches off, or lowers to info, a rule the regulation words as a duty.
    #[error("config silences rule `{rule}` at `{location}`, but the regulation says it must be done (应当/必须): it can be lowered to `warning` at most")]
    MustCannotBeSilenced {
        /// The rule id.
        rule: String,
        /// Where in the config.
        location: String,
    },
    /// An override was given without a reason.
    #[error("config override of rule `{rule}` at `{location}` has no reason")]
    NoReason {
        /// The rule id.
        rule: String,
        /// Where in the config.
        location: String,
    },
    /// The config's fingerprint is not the one the integrator pinned.
    #[error("config fingerprint `{actual}` does not match the pinned `{expected}`")]
    FingerprintMismatch {
        /// The pinned fingerprint.
        expected: String,
        /// The config's own.
        actual: String,
    },
}

impl ConfigError {
    /// A hint for the administrator.
    pub fn help(&self) -> &'static str {
        match self {
            ConfigError::Malformed { .. } => "compare the config with `rules-core/schema/config.schema.json`",
            ConfigError::UnknownRule { .. }
            | ConfigError::UnknownProcedure { .. }
            | ConfigError::UnknownStep { .. } => {
                "the pack may have changed between versions: `rules explain <rule>` shows each version that has the rule; fix the config for that version, or fix it with `pack_version`"
            }
            ConfigError::UnknownPack { .. } | ConfigError::WrongPack { .. } => {
                "set `pack` to the id of the agency's pack, or remove it"
            }
            ConfigError::CaseOfAnotherPack { .. } => {
                "use the config of the agency that handles the case, or check the case without a config"
            }
            ConfigError::WrongVersion { .. } => {
                "remove `pack_version` to use the version in force when the case was opened"
            }
            ConfigError::MayCannotBlock { .. } => "use `warning` or `info` for a rule the regulation leaves optional",
            ConfigError::MustCannotBeSilenced { .. } => {
                "lower it to `warning` with a reason; the report then shows its items as waived by config"
            }
            ConfigError::NoReason { .. } => "every change needs a reason: it is read in 案卷评查",
            ConfigError::FingerprintMismatch { .. } => {
                "the config is not the one the platform approved: ask the agency's administrator for the current file"
            }
        }
    }
}

/// Why a case could not be checked at all: no pack, or a config that does not fit it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SetupError {
    /// The pack could not be chosen or loaded.
    #[error(transparent)]
    Pack(#[from] PackError),
    /// The config does not fit the pack.
    #[error(transparent)]
    Config(#[from] ConfigError),
    /// Neither the config, the caller nor the case names a pack.
    #[error("no pack: the case names no `agency` and none was given")]
    NoPack,
    /// The case's `procedure` is not one the pack covers: bad input, not a finding.
    #[error("案件的程序 `{procedure}`（位置 `procedure`）不在规则包 {pack} 中；该规则包的程序：{available}")]
    UnknownProcedure {
        /// What the case says.
        procedure: String,
        /// The pack id.
        pack: String,
        /// The pack's procedures, `id（名称）` joined with 、.
        available: String,
    },
}
