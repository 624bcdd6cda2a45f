//! People who use the console and API, and what each role may do.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;
use time::OffsetDateTime;
use uuid::Uuid;

/// A console role. Authorisation is always decided on the server from the stored role.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// Everything, including managing users.
    Admin,
    /// Operates the product: agents, policy, fleet, incidents. Cannot manage users.
    SecurityEngineer,
    /// Reads and exports everything, changes nothing.
    Auditor,
    /// Reads operational views only (no user list, no audit trail).
    Viewer,
}

/// Something a request wants to do; roles grant permissions, routes require them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Permission {
    /// See the fleet, agents, policies and other operational state.
    ReadOperations,
    /// Change operational state (agents, policy, incidents, …).
    WriteOperations,
    /// See users and their roles.
    ReadUsers,
    /// Create users, change roles, disable accounts, reset passwords.
    ManageUsers,
    /// Read and export the audit trail.
    ReadAudit,
    /// Rotate the agent CA and other trust anchors.
    ManageTrust,
}

impl Role {
    pub const ALL: [Role; 4] = [
        Role::Admin,
        Role::SecurityEngineer,
        Role::Auditor,
        Role::Viewer,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::SecurityEngineer => "security_engineer",
            Role::Auditor => "auditor",
            Role::Viewer => "viewer",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Role::Admin => "Admin",
            Role::SecurityEngineer => "Security engineer",
            Role::Auditor => "Auditor",
            Role::Viewer => "Viewer",
        }
    }

    pub fn allows(self, permission: Permission) -> bool {
        use Permission::*;
        match self {
            Role::Admin => true,
            Role::SecurityEngineer => {
                matches!(permission, ReadOperations | WriteOperations | ReadAudit)
            }
            Role::Auditor => matches!(permission, ReadOperations | ReadUsers | ReadAudit),
            Role::Viewer => matches!(permission, ReadOperations),
        }
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownRole(pub String);

impl fmt::Display for UnknownRole {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "unknown role `{}` (expected admin, security_engineer, auditor or viewer)",
            self.0
        )
    }
}

impl std::error::Error for UnknownRole {}

impl FromStr for Role {
    type Err = UnknownRole;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Role::ALL
            .into_iter()
            .find(|role| role.as_str() == s)
            .ok_or_else(|| UnknownRole(s.to_owned()))
    }
}

/// A user as shown to admins and auditors. Never carries the password hash.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct User {
    pub id: Uuid,
    pub username: String,
    pub display_name: String,
    pub role: Role,
    pub disabled: bool,
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339::option")]
    pub last_login_at: Option<OffsetDateTime>,
}

/// The signed-in user, as the console shell shows it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Me {
    pub id: Uuid,
    pub username: String,
    pub display_name: String,
    pub role: Role,
    /// Send this in `X-CSRF-Token` on state-changing API requests authenticated by cookie.
    pub csrf_token: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LoginRequest {
    pub username: String,
    pub password: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewUser {
    pub username: String,
    #[serde(default)]
    pub display_name: Option<String>,
    pub role: Role,
    pub password: String,
}

/// A partial update; absent fields are left unchanged.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct UserUpdate {
    #[serde(default)]
    pub display_name: Option<String>,
    #[serde(default)]
    pub role: Option<Role>,
    #[serde(default)]
    pub disabled: Option<bool>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PasswordReset {
    pub password: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PasswordChange {
    pub current_password: String,
    pub new_password: String,
}

/// Shortest password we accept; long passphrases beat complexity rules (NIST SP 800-63B).
pub const MIN_PASSWORD_CHARS: usize = 12;
/// Longest password we hash; argon2 work grows with input, so cap it.
pub const MAX_PASSWORD_CHARS: usize = 256;

/// Checks a new password against the length rules; returns a message fit for the user.
pub fn validate_password(password: &str) -> Result<(), String> {
    let chars = password.chars().count();
    if chars < MIN_PASSWORD_CHARS {
        return Err(format!(
            "password must be at least {MIN_PASSWORD_CHARS} characters"
        ));
    }
    if chars > MAX_PASSWORD_CHARS {
        return Err(format!(
            "password must be at most {MAX_PASSWORD_CHARS} characters"
        ));
    }
    Ok(())
}

/// Usernames are lowercase identifiers so they are unambiguous in audit records.
pub fn validate_username(username: &str) -> Result<(), String> {
    let valid_chars = username.chars().all(|c| {
        c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '.' | '_' | '-' | '@')
    });
    if username.is_empty() || username.len() > 64 || !valid_chars {
        return Err(
            "username must be 1–64 characters of a–z, 0–9, '.', '_', '-' or '@'".to_owned(),
        );
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn role_names_round_trip() {
        for role in Role::ALL {
            assert_eq!(role.as_str().parse::<Role>(), Ok(role));
            assert_eq!(
                serde_json::to_string(&role).expect("serialize"),
                format!("\"{}\"", role.as_str())
            );
        }
        assert!("root".parse::<Role>().is_err());
    }

    #[test]
    fn auditor_reads_everything_and_changes_nothing() {
        assert!(Role::Auditor.allows(Permission::ReadOperations));
        assert!(Role::Auditor.allows(Permission::ReadUsers));
        assert!(Role::Auditor.allows(Permission::ReadAudit));
        assert!(!Role::Auditor.allows(Permission::WriteOperations));
        assert!(!Role::Auditor.allows(Permission::ManageUsers));
    }

    #[test]
    fn only_admins_manage_users() {
        for role in Role::ALL {
            assert_eq!(role.allows(Permission::ManageUsers), role == Role::Admin);
        }
    }

    #[test]
    fn viewer_sees_operations_only() {
        assert!(Role::Viewer.allows(Permission::ReadOperations));
        assert!(!Role::Viewer.allows(Permission::ReadUsers));
        assert!(!Role::Viewer.allows(Permission::ReadAudit));
        assert!(!Role::Viewer.allows(Permission::WriteOperations));
    }

    #[test]
    fn password_rules() {
        assert!(validate_password("short").is_err());
        assert!(validate_password("correct horse battery").is_ok());
        assert!(validate_password(&"x".repeat(MAX_PASSWORD_CHARS + 1)).is_err());
    }

    #[test]
    fn username_rules() {
        assert!(validate_username("alice.smith").is_ok());
        assert!(validate_username("Alice").is_err());
        assert!(validate_username("").is_err());
        assert!(validate_username("a b").is_err());
    }
}
