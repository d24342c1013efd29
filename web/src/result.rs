//! The one result every entry point of the JS API returns: `{type: "success", …}` or
//! `{type: "failure", error: {code, message}}`, with `code` one of [`ErrorCode`]. The `.d.ts`
//! (`ErrorCode`) and pkg/README.md list the same codes; a test holds the three equal.
use crate::model::Problem;

/// Why an entry point failed, as the host's code can branch on it. The `message` beside it is
/// for people (zh-CN).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorCode {
    /// `widget.report()` and the setters: no case was given yet.
    NoCase,
    /// The case does not match the contract, or states what cannot be true (its location named).
    InvalidCase,
    /// No rule pack for the agency or the procedure, or the pack did not load.
    Pack,
    /// The `now` given is not a time.
    InvalidTime,
    /// The agency config cannot be read or does not fit the pack: nothing was evaluated
    /// (`evaluate`), or the widget's report is withheld until it is replaced.
    InvalidConfig,
    /// `setConfig` / `loadConfig`: the config was set aside (unreadable, another fingerprint
    /// than the pinned one, not fitting the pack) and the widget checks with the pack's defaults.
    ConfigRefused,
    /// `setChecklistRecord`: the record is of another case or version, malformed, or its log
    /// does not verify; this machine's copy is kept.
    RecordRefused,
}

impl ErrorCode {
    /// Every code, in the order the `.d.ts` lists them.
    pub const ALL: [ErrorCode; 7] = [
        ErrorCode::NoCase,
        ErrorCode::InvalidCase,
        ErrorCode::Pack,
        ErrorCode::InvalidTime,
        ErrorCode::InvalidConfig,
        ErrorCode::ConfigRefused,
        ErrorCode::RecordRefused,
    ];

    /// The code as the host reads it.
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorCode::NoCase => "no-case",
            ErrorCode::InvalidCase => "invalid-case",
            ErrorCode::Pack => "pack",
            ErrorCode::InvalidTime => "invalid-time",
            ErrorCode::InvalidConfig => "invalid-config",
            ErrorCode::ConfigRefused => "config-refused",
            ErrorCode::RecordRefused => "record-refused",
        }
    }

    /// The code of a problem that kept a case from being evaluated.
    pub fn of(problem: &Problem) -> Self {
        match problem {
            Problem::InvalidCase(_) => ErrorCode::InvalidCase,
            Problem::Pack(_) => ErrorCode::Pack,
            Problem::InvalidTime(_) => ErrorCode::InvalidTime,
            Problem::Config(_) => ErrorCode::InvalidConfig,
        }
    }
}

/// The failure result as JSON text.
pub fn failure_json(code: ErrorCode, message: &str) -> String {
    serde_json::json!({"type": "failure", "error": {"code": code.as_str(), "message": message}}).to_string()
}

/// The failure result of a problem.
pub fn problem_json(problem: &Problem) -> String {
    failure_json(ErrorCode::of(problem), &problem.message())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The codes a union type of the `.d.ts` names, in its order.
    fn declared(dts: &str, name: &str) -> Vec<String> {
        let start = dts.find(&format!("export type {name} =")).unwrap_or_else(|| panic!("no `{name}` in the .d.ts"));
        let body = &dts[start..];
        let body = &body[..body.find(';').expect("the type ends")];
        body.split('\'').skip(1).step_by(2).map(str::to_string).collect()
    }

    #[test]
    fn the_dts_and_the_readme_list_every_code() {
        let dts = include_str!("../../pkg/src/law-record-checklist.d.ts");
        let codes: Vec<&str> = ErrorCode::ALL.iter().map(|c| c.as_str()).collect();
        assert_eq!(declared(dts, "ErrorCode"), codes);
        let readme = include_str!("../../pkg/README.md");
        for code in codes {
            assert!(readme.contains(&format!("| `{code}` |")), "pkg/README.md's table of error codes lacks `{code}`");
        }
    }

    #[test]
    fn each_problem_has_its_own_code() {
        let problems = [
            Problem::InvalidCase("x".into()),
            Problem::Pack("x".into()),
            Problem::InvalidTime("x".into()),
            Problem::Config("x".into()),
        ];
        let codes: Vec<ErrorCode> = problems.iter().map(ErrorCode::of).collect();
        assert_eq!(codes, [ErrorCode::InvalidCase, ErrorCode::Pack, ErrorCode::InvalidTime, ErrorCode::InvalidConfig]);
        let v: serde_json::Value = serde_json::from_str(&problem_json(&problems[2])).unwrap();
        assert_eq!(v["type"], "failure");
        assert_eq!(v["error"]["code"], "invalid-time");
        assert!(v["error"]["message"].as_str().unwrap().contains("当前时间无效"));
    }
}
