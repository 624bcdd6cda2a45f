//! What the detectors find.

use serde::{Deserialize, Serialize};

/// A kind of sensitive value. The names are the contract (`scan` output, policy obligations,
/// placeholders such as `<EMAIL_ADDRESS_1>`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum EntityType {
    Person,
    EmailAddress,
    PhoneNumber,
    Location,
    CreditCard,
    UsSsn,
    IbanCode,
    IpAddress,
    Url,
    Crypto,
    AwsAccessKey,
    AwsSecretKey,
    GithubToken,
    SlackToken,
    Jwt,
    PrivateKey,
    GenericApiKey,
}

/// The data class a finding puts the text in, as grants name it (`pii`, `financial`, `secret`,
/// `network`). Policy covers classes; obligations may name a class or a single type.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Category {
    Pii,
    Financial,
    Secret,
    Network,
}

impl Category {
    pub fn as_str(self) -> &'static str {
        match self {
            Category::Pii => "pii",
            Category::Financial => "financial",
            Category::Secret => "secret",
            Category::Network => "network",
        }
    }
}

impl EntityType {
    pub const ALL: [EntityType; 17] = [
        EntityType::Person,
        EntityType::EmailAddress,
        EntityType::PhoneNumber,
        EntityType::Location,
        EntityType::CreditCard,
        EntityType::UsSsn,
        EntityType::IbanCode,
        EntityType::IpAddress,
        EntityType::Url,
        EntityType::Crypto,
        EntityType::AwsAccessKey,
        EntityType::AwsSecretKey,
        EntityType::GithubToken,
        EntityType::SlackToken,
        EntityType::Jwt,
        EntityType::PrivateKey,
        EntityType::GenericApiKey,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            EntityType::Person => "PERSON",
            EntityType::EmailAddress => "EMAIL_ADDRESS",
            EntityType::PhoneNumber => "PHONE_NUMBER",
            EntityType::Location => "LOCATION",
            EntityType::CreditCard => "CREDIT_CARD",
            EntityType::UsSsn => "US_SSN",
            EntityType::IbanCode => "IBAN_CODE",
            EntityType::IpAddress => "IP_ADDRESS",
            EntityType::Url => "URL",
            EntityType::Crypto => "CRYPTO",
            EntityType::AwsAccessKey => "AWS_ACCESS_KEY",
            EntityType::AwsSecretKey => "AWS_SECRET_KEY",
            EntityType::GithubToken => "GITHUB_TOKEN",
            EntityType::SlackToken => "SLACK_TOKEN",
            EntityType::Jwt => "JWT",
            EntityType::PrivateKey => "PRIVATE_KEY",
            EntityType::GenericApiKey => "GENERIC_API_KEY",
        }
    }

    pub fn parse(name: &str) -> Option<EntityType> {
        EntityType::ALL
            .into_iter()
            .find(|t| t.as_str().eq_ignore_ascii_case(name))
    }

    pub fn category(self) -> Category {
        match self {
            EntityType::Person
            | EntityType::EmailAddress
            | EntityType::PhoneNumber
            | EntityType::Location
            | EntityType::UsSsn => Category::Pii,
            EntityType::CreditCard | EntityType::IbanCode | EntityType::Crypto => {
                Category::Financial
            }
            EntityType::IpAddress | EntityType::Url => Category::Network,
            EntityType::AwsAccessKey
            | EntityType::AwsSecretKey
            | EntityType::GithubToken
            | EntityType::SlackToken
            | EntityType::Jwt
            | EntityType::PrivateKey
            | EntityType::GenericApiKey => Category::Secret,
        }
    }
}

impl std::fmt::Display for EntityType {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One sensitive value: its type, byte span in the text (end exclusive) and confidence in [0, 1].
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Finding {
    pub entity: EntityType,
    pub start: usize,
    pub end: usize,
    pub score: f32,
}

impl Finding {
    /// The matched text, or `None` if the span does not fit `text` (not the scanned text, or
    /// not on char boundaries).
    pub fn value<'t>(&self, text: &'t str) -> Option<&'t str> {
        text.get(self.start..self.end)
    }
}
