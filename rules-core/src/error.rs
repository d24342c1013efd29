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
}

impl CaseError {
    /// A hint for the person who sent the case.
    pub fn help(&self) -> &'static str {
        match self {
            CaseError::Malformed { .. } => "compare the case with the JSON Schema printed by `rules schema`",
            CaseError::DuplicateId { .. } => "give every activity, service and record its own id",
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
    #[error("config refers to rule `{rule}`, which pack `{pack}` does not have")]
    UnknownRule {
        /// The rule id.
        rule: String,
        /// The pack id.
        pack: String,
    },
    /// The config makes an optional rule (可以 / 根据需要) block submission.
    #[error("config makes rule `{rule}` blocking, but the regulation only says it may be done")]
    MayCannotBlock {
        /// The rule id.
        rule: String,
    },
    /// An override was given without a reason.
    #[error("config override of rule `{rule}` has no reason")]
    NoReason {
        /// The rule id.
        rule: String,
    },
}
