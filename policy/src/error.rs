//! Compile errors with a position, so the console can point at the offending line and column.

use std::fmt;

/// A Rego parse or compile failure, or an invalid grant. `line` and `column` are 1-based; 0 when
/// the engine gave no position (e.g. a data error).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub struct CompileError {
    /// Module path (e.g. `warden/authz.rego`), or `grant:<id>` for an invalid grant.
    pub file: String,
    pub line: u32,
    pub column: u32,
    pub message: String,
}

impl fmt::Display for CompileError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.line > 0 {
            write!(
                f,
                "{}:{}:{}: {}",
                self.file, self.line, self.column, self.message
            )
        } else {
            write!(f, "{}: {}", self.file, self.message)
        }
    }
}

impl CompileError {
    pub fn new(file: impl Into<String>, message: impl Into<String>) -> Self {
        CompileError {
            file: file.into(),
            line: 0,
            column: 0,
            message: message.into(),
        }
    }

    /// Regorus reports errors only as text:
    /// `\n--> file:line:col\n  |\n3 | source\n  |   ^\nerror: message`. We take the position
    /// from the `-->` line and the message from the last `error:` line; anything else is kept
    /// whole with `fallback_file` and no position.
    pub fn from_regorus(fallback_file: &str, err: &dyn fmt::Display) -> Self {
        let text = err.to_string();
        let mut error = CompileError::new(fallback_file, text.trim());
        let Some(location) = text.lines().find_map(|l| l.trim().strip_prefix("--> ")) else {
            return error;
        };
        let mut parts = location.rsplitn(3, ':');
        let (Some(column), Some(line), Some(file)) = (parts.next(), parts.next(), parts.next())
        else {
            return error;
        };
        let (Ok(line), Ok(column)) = (line.trim().parse(), column.trim().parse()) else {
            return error;
        };
        error.file = file.to_string();
        error.line = line;
        error.column = column;
        if let Some(message) = text
            .lines()
            .rev()
            .find_map(|l| l.trim_start().strip_prefix("error: "))
        {
            error.message = message.trim().to_string();
        }
        error
    }
}
