//! One module per console area.

mod agent_detail;
mod agents;
mod audit;
mod enforcers;
mod login;
mod overview;
mod placeholders;
mod policies;
mod settings;

pub use agent_detail::AgentDetail;
pub use agents::Agents;
pub use audit::Audit;
pub use enforcers::Enforcers;
pub use login::LoginPage;
pub use overview::Overview;
pub use placeholders::{Budgets, Compliance, Incidents, NotFound};
pub use policies::Policies;
pub use settings::Settings;
