//! Why a log could not be read, and where and why its chain breaks.

/// An exported log file that cannot be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LogError {
    /// The JSON does not fit the log format.
    #[error("log is malformed at `{location}`: {message}")]
    Malformed {
        /// Where in the file, e.g. `entries[3].event.payload.sha256`.
        location: String,
        /// What is wrong there.
        message: String,
    },
    /// The file is not a case log of a format this version reads.
    #[error("log has format `{found}`, expected `law-record-log/1`")]
    Format {
        /// The `format` given.
        found: String,
    },
}

impl LogError {
    /// A hint for the person holding the file.
    pub fn help(&self) -> &'static str {
        match self {
            LogError::Malformed { .. } => {
                "export the log again from the checklist; a hand-edited log cannot be trusted"
            }
            LogError::Format { .. } => "the file may be a case or a report rather than an exported log",
        }
    }
}

/// The first entry of a log that does not match its chain.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("entry {index} (seq {seq}) {reason}")]
pub struct LogBreak {
    /// Position in the log as read, from 0.
    pub index: usize,
    /// The `seq` the entry claims.
    pub seq: u32,
    /// What is wrong.
    pub reason: BreakReason,
}

/// How a chain breaks.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum BreakReason {
    /// The content no longer hashes to the entry's `hash`.
    #[error("was edited: its content does not hash to its `hash`")]
    Edited,
    /// The entry is out of place: it links to an entry elsewhere in the log, or its `seq`
    /// is below its position.
    #[error("is out of order: it does not follow the entry before it")]
    Reordered,
    /// Entries before this one were taken out.
    #[error("follows a gap: {missing} entries before it were removed")]
    Removed {
        /// How many.
        missing: usize,
    },
    /// The first entry does not start this case's chain.
    #[error("does not start this case's log: the log belongs to another case or was cut at the front")]
    OtherCase,
    /// `prev` matches no entry.
    #[error("does not link to the entry before it")]
    BrokenLink,
    /// Fewer entries than the known head counts.
    #[error("is missing: the log ends after {found} entries, the known head has {expected}")]
    Truncated {
        /// Entries the head counts.
        expected: u32,
        /// Entries in the log.
        found: u32,
    },
    /// A merged log: the entry is not reached from the last entry, so its branch was never
    /// joined by a merge entry (an entry put in, or a merge entry taken out).
    #[error("is on a branch no merge entry joins: it was inserted, or the merge entry was removed")]
    Unmerged,
    /// A merge entry names a head that is not an earlier entry of the log (the branch's last
    /// entries were removed), or does not follow one of the heads it names.
    #[error("is a merge entry whose heads are not earlier entries of the log: entries of a branch were removed")]
    BadMerge,
    /// The entry at the known head's position has another hash: the log was rewritten.
    #[error("does not match the known head `{expected}`: the log was rewritten")]
    HeadMismatch {
        /// The known head hash.
        expected: String,
    },
}

impl BreakReason {
    /// The same in Chinese, for the widget's warning and the report.
    pub fn zh(&self) -> String {
        match self {
            BreakReason::Edited => "内容被修改（与其哈希不符）".to_owned(),
            BreakReason::Reordered => "顺序被调换".to_owned(),
            BreakReason::Removed { missing } => format!("之前有 {missing} 条记录被删除"),
            BreakReason::OtherCase => "不是本案日志的开头（属于其他案件或开头被截去）".to_owned(),
            BreakReason::BrokenLink => "与前一条记录不相衔接".to_owned(),
            BreakReason::Truncated { expected, found } => {
                format!("日志被截短：应有 {expected} 条，现有 {found} 条")
            }
            BreakReason::HeadMismatch { .. } => "与已知的日志头哈希不符（日志被重写）".to_owned(),
            BreakReason::Unmerged => "位于没有合并记录连接的分支上（被插入，或合并记录被删除）".to_owned(),
            BreakReason::BadMerge => "是合并记录，但所指的日志头不在其前（某一分支的记录被删除）".to_owned(),
        }
    }
}
