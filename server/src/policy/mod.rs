//! Policy as code: the draft (readable grants and custom Rego modules), "try it", numbered
//! versions with optional second-person approval, signed bundles delivered to the fleet, and the
//! least-privilege review of every agent after each publish.
//!
//! Compilation, tests and reviews are CPU work: they run on the blocking pool, never on the
//! async runtime.

mod distribution;
pub mod routes;
pub mod signing;
mod store;

use crate::accounts::Actor;
use crate::audit::{self, AuditEvent};
use crate::error::{Error, Result};
use crate::state::AppState;
use serde::Deserialize;
use serde_json::{Value, json};
use time::OffsetDateTime;
use uuid::Uuid;
use warden_common::accounts::Permission;
use warden_common::policy::{
    DecisionView, DraftCheck, DriftReport, GrantView, PolicyModule, PolicyProblem, PolicySettings,
    PolicyVersion, RegoTestResult, VersionStatus,
};
use warden_policy::{CompileError, Grant};

pub use distribution::{spawn_directory_sync, sync_agent};

/// Runs CPU-heavy policy work off the async runtime.
async fn blocking<T: Send + 'static>(work: impl FnOnce() -> T + Send + 'static) -> Result<T> {
    tokio::task::spawn_blocking(work)
        .await
        .map_err(|error| Error::Internal(anyhow::anyhow!("policy work panicked: {error}")))
}

fn problem(error: &CompileError) -> PolicyProblem {
    PolicyProblem {
        file: error.file.clone(),
        line: error.line,
        column: error.column,
        message: error.message.clone(),
    }
}

fn invalid(error: &CompileError) -> Error {
    Error::InvalidInput(error.to_string())
}

fn parse_grant(value: &Value) -> Result<Grant> {
    serde_json::from_value(value.clone())
        .map_err(|error| Error::InvalidInput(format!("not a grant: {error}")))
}

/// Grants and custom modules `(path, rego)`: the draft, or a version's snapshot.
type Draft = (Vec<Grant>, Vec<(String, String)>);

async fn draft(db: &sqlx::PgPool) -> Result<Draft> {
    let grants = store::grants(db)
        .await?
        .iter()
        .map(|row| parse_grant(&row.grant_json))
        .collect::<Result<Vec<_>>>()?;
    let modules = store::modules(db)
        .await?
        .into_iter()
        .map(|row| (row.path, row.rego))
        .collect();
    Ok((grants, modules))
}

fn grant_view(row: store::GrantRow) -> Result<GrantView> {
    let grant = parse_grant(&row.grant_json)?;
    Ok(GrantView {
        sentence: grant.sentence(),
        generated_tests: warden_policy::generated_tests(&grant).rego,
        id: row.id,
        grant: row.grant_json,
        updated_by: row.updated_by,
        updated_at: row.updated_at,
    })
}

pub async fn list_grants(state: &AppState, actor: &Actor) -> Result<Vec<GrantView>> {
    actor.require(Permission::ReadOperations)?;
    store::grants(&state.db)
        .await?
        .into_iter()
        .map(grant_view)
        .collect()
}

/// Creates or replaces a grant of the draft. It must be valid on its own and compile with the
/// rest of the draft.
pub async fn put_grant(state: &AppState, actor: &Actor, grant: Value) -> Result<GrantView> {
    actor.require(Permission::WriteOperations)?;
    let parsed = parse_grant(&grant)?;
    parsed.validate().map_err(|error| invalid(&error))?;
    let (mut grants, modules) = draft(&state.db).await?;
    grants.retain(|existing| existing.id != parsed.id);
    grants.push(parsed.clone());
    blocking(move || warden_policy::compile(&grants, &modules))
        .await?
        .map_err(|error| invalid(&error))?;
    // Store the normalised form: what was accepted, with defaults filled in.
    let normalised = serde_json::to_value(&parsed).map_err(anyhow::Error::from)?;
    let mut tx = state.db.begin().await?;
    let before = store::grant(&mut *tx, &parsed.id).await?;
    let row = store::upsert_grant(&mut *tx, &parsed.id, &normalised, &actor.username).await?;
    audit::record(
        &mut *tx,
        AuditEvent::new(
            &actor.username,
            if before.is_some() {
                "policy.grant_updated"
            } else {
                "policy.grant_created"
            },
            format!("grant:{}", parsed.id),
        )
        .with_details(json!({
            "sentence": parsed.sentence(),
            "grant": normalised,
            "before": before.map(|row| row.grant_json),
        })),
    )
    .await?;
    tx.commit().await?;
    grant_view(row)
}

pub async fn delete_grant(state: &AppState, actor: &Actor, id: &str) -> Result<()> {
    actor.require(Permission::WriteOperations)?;
    let mut tx = state.db.begin().await?;
    let before = store::grant(&mut *tx, id)
        .await?
        .ok_or_else(|| Error::NotFound(format!("no grant {id} in the draft")))?;
    store::delete_grant(&mut *tx, id).await?;
    audit::record(
        &mut *tx,
        AuditEvent::new(
            &actor.username,
            "policy.grant_deleted",
            format!("grant:{id}"),
        )
        .with_details(json!({ "grant": before.grant_json })),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

pub async fn list_modules(state: &AppState, actor: &Actor) -> Result<Vec<PolicyModule>> {
    actor.require(Permission::ReadOperations)?;
    Ok(store::modules(&state.db)
        .await?
        .into_iter()
        .map(|row| PolicyModule {
            path: row.path,
            rego: row.rego,
            updated_by: row.updated_by,
            updated_at: row.updated_at,
        })
        .collect())
}

/// Where custom modules may live: not over the base library or the generated tests.
fn validate_module_path(path: &str) -> Result<()> {
    let valid = path.len() <= 200
        && path.ends_with(".rego")
        && !path.starts_with('/')
        && !path.contains("..")
        && path.chars().all(|c| {
            c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '_' | '-' | '/' | '.')
        });
    if !valid {
        return Err(Error::InvalidInput(
            "a module path is lowercase letters, digits, `_`, `-` and `/`, ending in .rego (e.g. custom/exports.rego)".into(),
        ));
    }
    if path.starts_with("warden/") || path.starts_with("generated/") {
        return Err(Error::InvalidInput(
            "warden/ and generated/ are reserved for the base library and generated tests".into(),
        ));
    }
    Ok(())
}

#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ModuleSource {
    pub rego: String,
}

/// Saves a custom module; refused (with file, line and column) unless the draft compiles with it.
pub async fn put_module(
    state: &AppState,
    actor: &Actor,
    path: &str,
    rego: String,
) -> Result<PolicyModule> {
    actor.require(Permission::WriteOperations)?;
    validate_module_path(path)?;
    if rego.len() > 256 * 1024 {
        return Err(Error::InvalidInput("a module is at most 256 KiB".into()));
    }
    let (grants, mut modules) = draft(&state.db).await?;
    modules.retain(|(existing, _)| existing != path);
    modules.push((path.to_owned(), rego.clone()));
    blocking(move || warden_policy::compile(&grants, &modules))
        .await?
        .map_err(|error| invalid(&error))?;
    let mut tx = state.db.begin().await?;
    let row = store::upsert_module(&mut *tx, path, &rego, &actor.username).await?;
    audit::record(
        &mut *tx,
        AuditEvent::new(
            &actor.username,
            "policy.module_saved",
            format!("module:{path}"),
        )
        .with_details(json!({ "bytes": rego.len() })),
    )
    .await?;
    tx.commit().await?;
    Ok(PolicyModule {
        path: row.path,
        rego: row.rego,
        updated_by: row.updated_by,
        updated_at: row.updated_at,
    })
}

pub async fn delete_module(state: &AppState, actor: &Actor, path: &str) -> Result<()> {
    actor.require(Permission::WriteOperations)?;
    let mut tx = state.db.begin().await?;
    if !store::delete_module(&mut *tx, path).await? {
        return Err(Error::NotFound(format!("no module {path} in the draft")));
    }
    audit::record(
        &mut *tx,
        AuditEvent::new(
            &actor.username,
            "policy.module_deleted",
            format!("module:{path}"),
        ),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// A module to check in place of the stored one (the editor's unsaved text).
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DraftOverride {
    #[serde(default)]
    pub module_path: Option<String>,
    #[serde(default)]
    pub module_rego: Option<String>,
}

fn rego_listing(modules: &[warden_policy::Module]) -> String {
    modules
        .iter()
        .map(|module| format!("# --- {} ---\n{}\n", module.path, module.rego.trim_end()))
        .collect()
}

/// Compiles the draft as publishing would, runs the library's, the custom modules' and every
/// grant's generated Rego tests, and reports problems with positions.
pub fn check_compiled(grants: &[Grant], modules: &[(String, String)]) -> DraftCheck {
    let compiled = match warden_policy::compile(grants, modules) {
        Ok(compiled) => compiled,
        Err(error) => {
            return DraftCheck {
                ok: false,
                problems: vec![problem(&error)],
                tests: Vec::new(),
                rego: String::new(),
                data: Value::Null,
            };
        }
    };
    let mut all = compiled.modules.clone();
    all.extend(compiled.tests.iter().cloned());
    let (problems, tests) = match warden_policy::run_rego_tests(&all, &compiled.data) {
        Ok(outcomes) => (
            Vec::new(),
            outcomes
                .into_iter()
                .map(|outcome| RegoTestResult {
                    name: outcome.name,
                    passed: outcome.passed,
                    error: outcome.error,
                })
                .collect::<Vec<_>>(),
        ),
        Err(error) => (vec![problem(&error)], Vec::new()),
    };
    DraftCheck {
        ok: problems.is_empty() && tests.iter().all(|test| test.passed),
        problems,
        tests,
        rego: rego_listing(&compiled.modules),
        data: compiled.data,
    }
}

pub async fn check_draft(
    state: &AppState,
    actor: &Actor,
    change: DraftOverride,
) -> Result<DraftCheck> {
    actor.require(Permission::ReadOperations)?;
    let (grants, mut modules) = draft(&state.db).await?;
    if let (Some(path), Some(rego)) = (change.module_path, change.module_rego) {
        validate_module_path(&path)?;
        modules.retain(|(existing, _)| *existing != path);
        modules.push((path, rego));
    }
    blocking(move || check_compiled(&grants, &modules)).await
}

/// A sample for "try it": the agent by id (labels and environment come from the registry) and
/// the action; the context defaults to now with no usage.
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TryRequest {
    pub agent_id: Uuid,
    #[schema(value_type = Object)]
    pub action: Value,
    #[serde(default)]
    pub findings: std::collections::BTreeMap<String, u64>,
    /// Evaluate the published version instead of the draft.
    #[serde(default)]
    pub published: bool,
}

fn decision_view(decision: warden_policy::Decision) -> DecisionView {
    DecisionView {
        allow: decision.allow,
        reasons: decision.reasons,
        grants: decision.grants,
        obligations: serde_json::to_value(decision.obligations).unwrap_or(Value::Null),
    }
}

/// Evaluates a sample against the draft (or the published version) with the engine enforcers
/// run, and says why.
pub async fn try_it(state: &AppState, actor: &Actor, request: TryRequest) -> Result<DecisionView> {
    actor.require(Permission::ReadOperations)?;
    let agent = crate::agents::get(state, actor, request.agent_id).await?;
    let action: warden_policy::ActionInput = serde_json::from_value(request.action)
        .map_err(|error| Error::InvalidInput(format!("not an action: {error}")))?;
    let input = warden_policy::PolicyInput {
        agent: warden_policy::AgentInput::from(&agent),
        action,
        context: warden_policy::ContextInput::at(OffsetDateTime::now_utc()),
        findings: request.findings,
    };
    let input = serde_json::to_value(&input).map_err(anyhow::Error::from)?;
    let (grants, modules) = if request.published {
        let current = store::current(&state.db)
            .await?
            .ok_or_else(|| Error::Conflict("no version is published yet".into()))?;
        snapshot(&current)?
    } else {
        draft(&state.db).await?
    };
    let decision = blocking(move || warden_policy::try_it(&grants, &modules, &input))
        .await?
        .map_err(|error| invalid(&error))?;
    Ok(decision_view(decision))
}

fn snapshot(row: &store::VersionRow) -> Result<Draft> {
    let grants: Vec<Grant> = serde_json::from_value(row.grants.clone())
        .map_err(|error| anyhow::anyhow!("stored version {} grants: {error}", row.version))?;
    let modules: Vec<(String, String)> = serde_json::from_value(row.modules.clone())
        .map_err(|error| anyhow::anyhow!("stored version {} modules: {error}", row.version))?;
    Ok((grants, modules))
}

fn version_view(row: &store::VersionRow, current: Option<i64>) -> PolicyVersion {
    PolicyVersion {
        version: u64::try_from(row.version).unwrap_or_default(),
        status: match row.status.as_str() {
            "published" => VersionStatus::Published,
            "rejected" => VersionStatus::Rejected,
            _ => VersionStatus::Pending,
        },
        note: row.note.clone(),
        grants: row.grants.as_array().map_or(0, Vec::len),
        modules: row.modules.as_array().map_or(0, Vec::len),
        proposed_by: row.proposed_by.clone(),
        proposed_at: row.proposed_at,
        decided_by: row.decided_by.clone(),
        decided_at: row.decided_at,
        published_at: row.published_at,
        current: current == Some(row.version),
    }
}

/// Most versions one page returns.
pub const MAX_VERSION_PAGE: i64 = 100;

pub async fn list_versions(
    state: &AppState,
    actor: &Actor,
    before: Option<u64>,
    limit: Option<i64>,
) -> Result<Vec<PolicyVersion>> {
    actor.require(Permission::ReadOperations)?;
    let limit = limit.unwrap_or(50).clamp(1, MAX_VERSION_PAGE);
    let before = before.map(|v| i64::try_from(v).unwrap_or(i64::MAX));
    let current = store::current(&state.db).await?.map(|row| row.version);
    Ok(store::versions(&state.db, before, limit)
        .await?
        .iter()
        .map(|row| version_view(row, current))
        .collect())
}

#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Proposal {
    /// What changed and why, for the approver and the audit trail.
    #[serde(default)]
    pub note: String,
}

/// Snapshots the draft into the next version. It must compile and pass every Rego test. With
/// approval required it waits for a second person; otherwise it is published at once.
pub async fn propose(state: &AppState, actor: &Actor, proposal: Proposal) -> Result<PolicyVersion> {
    actor.require(Permission::WriteOperations)?;
    if proposal.note.len() > 2000 {
        return Err(Error::InvalidInput(
            "the note is at most 2000 characters".into(),
        ));
    }
    let (grants, modules) = draft(&state.db).await?;
    let check = {
        let (grants, modules) = (grants.clone(), modules.clone());
        blocking(move || check_compiled(&grants, &modules)).await?
    };
    if !check.ok {
        let failures: Vec<String> = check
            .problems
            .iter()
            .map(|problem| {
                format!(
                    "{}:{}:{}: {}",
                    problem.file, problem.line, problem.column, problem.message
                )
            })
            .chain(
                check
                    .tests
                    .iter()
                    .filter(|test| !test.passed)
                    .map(|test| format!("failing test {}", test.name)),
            )
            .collect();
        return Err(Error::InvalidInput(format!(
            "the draft cannot be published: {}",
            failures.join("; ")
        )));
    }
    let require_approval = store::require_approval(&state.db).await?;
    let mut tx = state.db.begin().await?;
    sqlx::query("SELECT pg_advisory_xact_lock(hashtext('warden-policy-versions'))")
        .execute(&mut *tx)
        .await?;
    let version = store::next_version(&mut *tx).await?;
    let grants_json = serde_json::to_value(&grants).map_err(anyhow::Error::from)?;
    let modules_json = serde_json::to_value(&modules).map_err(anyhow::Error::from)?;
    let compiled = json!({ "rego": check.rego, "data": check.data });
    match store::insert_version(
        &mut *tx,
        version,
        &grants_json,
        &modules_json,
        &compiled,
        proposal.note.trim(),
        &actor.username,
    )
    .await
    {
        Ok(()) => {}
        Err(sqlx::Error::Database(error)) if error.is_unique_violation() => {
            return Err(Error::Conflict(
                "another version is waiting for approval; approve or reject it first".into(),
            ));
        }
        Err(error) => return Err(error.into()),
    }
    audit::record(
        &mut *tx,
        AuditEvent::new(
            &actor.username,
            "policy.version_proposed",
            format!("policy:v{version}"),
        )
        .with_details(json!({
            "version": version,
            "note": proposal.note.trim(),
            "grants": grants.iter().map(Grant::sentence).collect::<Vec<_>>(),
            "modules": modules.iter().map(|(path, _)| path).collect::<Vec<_>>(),
            "requires_approval": require_approval,
        })),
    )
    .await?;
    let published = if require_approval {
        false
    } else {
        publish_in(state, &mut tx, version, &grants, &modules, None).await?;
        true
    };
    tx.commit().await?;
    if published {
        after_publish(state, version, grants, modules).await;
    }
    version_detail(state, version).await
}

/// The pending version `version`, locked for a decision.
async fn pending_for_update(
    tx: &mut sqlx::Transaction<'_, sqlx::Postgres>,
    version: u64,
) -> Result<store::VersionRow> {
    let number = i64::try_from(version).map_err(|_| not_found(version))?;
    let row = store::version_for_update(&mut **tx, number)
        .await?
        .ok_or_else(|| not_found(version))?;
    if row.status != "pending" {
        return Err(Error::Conflict(format!(
            "version {version} is {}, not pending",
            row.status
        )));
    }
    Ok(row)
}

/// Approves a pending version (not by the person who proposed it) and publishes it.
pub async fn approve(state: &AppState, actor: &Actor, version: u64) -> Result<PolicyVersion> {
    actor.require(Permission::WriteOperations)?;
    let mut tx = state.db.begin().await?;
    let row = pending_for_update(&mut tx, version).await?;
    let number = row.version;
    if row.proposed_by == actor.username {
        return Err(Error::Forbidden(
            "a second person must approve: you proposed this version".into(),
        ));
    }
    let (grants, modules) = snapshot(&row)?;
    publish_in(
        state,
        &mut tx,
        number,
        &grants,
        &modules,
        Some(&actor.username),
    )
    .await?;
    audit::record(
        &mut *tx,
        AuditEvent::new(
            &actor.username,
            "policy.version_approved",
            format!("policy:v{version}"),
        )
        .with_details(json!({ "version": version, "proposed_by": row.proposed_by })),
    )
    .await?;
    tx.commit().await?;
    after_publish(state, number, grants, modules).await;
    version_detail(state, number).await
}

pub async fn reject(state: &AppState, actor: &Actor, version: u64) -> Result<PolicyVersion> {
    actor.require(Permission::WriteOperations)?;
    let mut tx = state.db.begin().await?;
    let row = pending_for_update(&mut tx, version).await?;
    let number = row.version;
    store::mark_rejected(&mut *tx, number, &actor.username).await?;
    audit::record(
        &mut *tx,
        AuditEvent::new(
            &actor.username,
            "policy.version_rejected",
            format!("policy:v{version}"),
        ),
    )
    .await?;
    tx.commit().await?;
    version_detail(state, number).await
}

fn not_found(version: u64) -> Error {
    Error::NotFound(format!("no policy version {version}"))
}

async fn version_detail(state: &AppState, version: i64) -> Result<PolicyVersion> {
    let current = store::current(&state.db).await?.map(|row| row.version);
    let row = store::version(&state.db, version)
        .await?
        .ok_or_else(|| not_found(u64::try_from(version).unwrap_or_default()))?;
    Ok(version_view(&row, current))
}

/// Compiles the snapshot into a bundle, signs it and marks the version published, inside `tx`.
async fn publish_in(
    state: &AppState,
    tx: &mut sqlx::Transaction<'_, sqlx::Postgres>,
    version: i64,
    grants: &[Grant],
    modules: &[(String, String)],
    approved_by: Option<&str>,
) -> Result<()> {
    let signer = state.policy_signer.clone();
    let (grants, modules) = (grants.to_vec(), modules.to_vec());
    let number = u64::try_from(version).unwrap_or_default();
    let signed = blocking(move || {
        let compiled = warden_policy::compile(&grants, &modules)?;
        let bundle =
            warden_policy::Bundle::from_compiled(number, OffsetDateTime::now_utc(), &compiled);
        // Refuse to publish what an enforcer would refuse to load.
        bundle.engine()?;
        warden_policy::sign(&bundle, signer.key())
            .map_err(|error| CompileError::new("bundle", error.to_string()))
    })
    .await?
    .map_err(|error| invalid(&error))?;
    let signed_json = serde_json::to_value(&signed).map_err(anyhow::Error::from)?;
    store::mark_published(&mut **tx, version, approved_by, &signed_json).await?;
    audit::record(
        &mut **tx,
        AuditEvent::new(
            approved_by.unwrap_or("policy"),
            "policy.version_published",
            format!("policy:v{version}"),
        )
        .with_details(json!({ "version": version, "key_id": signed.key_id })),
    )
    .await?;
    Ok(())
}

/// After the commit: deliver the bundle to the fleet and review every agent.
async fn after_publish(
    state: &AppState,
    version: i64,
    grants: Vec<Grant>,
    modules: Vec<(String, String)>,
) {
    if let Err(error) = deliver_current(state).await {
        tracing::error!(
            version,
            error = format!("{error:#}"),
            "cannot deliver the published bundle; it will be retried"
        );
    }
    if let Err(error) = review_all(state, version, grants, modules).await {
        tracing::error!(
            version,
            error = format!("{error:#}"),
            "least-privilege review failed"
        );
    }
}

/// Puts the newest published bundle in the fleet's bucket (at publish, at start, and
/// periodically, so a lost write is repaired).
pub async fn deliver_current(state: &AppState) -> anyhow::Result<Option<u64>> {
    let Some(current) = store::current(&state.db).await? else {
        return Ok(None);
    };
    let Some(signed) = current.signed_bundle else {
        return Ok(None);
    };
    let signed: warden_policy::SignedBundle = serde_json::from_value(signed)?;
    distribution::put_bundle(state, &signed).await?;
    tracing::info!(
        version = current.version,
        "delivered the policy bundle to the fleet"
    );
    Ok(u64::try_from(current.version).ok())
}

/// Re-delivers the current bundle on start and every few minutes.
pub fn spawn_delivery(state: AppState) {
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(std::time::Duration::from_secs(300));
        loop {
            tick.tick().await;
            if let Err(error) = deliver_current(&state).await {
                tracing::error!(
                    error = format!("{error:#}"),
                    "cannot deliver the policy bundle"
                );
            }
        }
    });
}

/// Reviews every active agent under the version and stores the reports.
async fn review_all(
    state: &AppState,
    version: i64,
    grants: Vec<Grant>,
    modules: Vec<(String, String)>,
) -> anyhow::Result<()> {
    let agents = crate::agents::all_active(&state.db).await?;
    let reports = tokio::task::spawn_blocking(move || {
        let compiled = warden_policy::compile(&grants, &modules)?;
        let engine = warden_policy::PolicyEngine::new(&compiled)?;
        anyhow::Ok(
            agents
                .iter()
                .map(|agent| (agent.id, warden_policy::review(&engine, agent)))
                .collect::<Vec<_>>(),
        )
    })
    .await??;
    for (agent_id, review) in reports {
        store::insert_review(
            &state.db,
            version,
            agent_id,
            &serde_json::to_value(&review)?,
        )
        .await?;
    }
    Ok(())
}

/// The newest least-privilege review of an agent, if a version has been published since it was
/// registered.
pub async fn latest_review(
    state: &AppState,
    actor: &Actor,
    agent_id: Uuid,
) -> Result<Option<DriftReport>> {
    crate::agents::get(state, actor, agent_id).await?;
    let Some((version, report, created_at)) = store::latest_review(&state.db, agent_id).await?
    else {
        return Ok(None);
    };
    let mut report = report;
    if let Some(object) = report.as_object_mut() {
        object.insert("version".into(), json!(version));
        object.insert("agent_id".into(), json!(agent_id));
        object.insert(
            "created_at".into(),
            json!(
                created_at
                    .format(&time::format_description::well_known::Rfc3339)
                    .map_err(anyhow::Error::from)?
            ),
        );
    }
    Ok(Some(
        serde_json::from_value(report).map_err(anyhow::Error::from)?,
    ))
}

/// A unified diff between two versions (grants as sentences and JSON, and custom modules).
pub async fn diff(
    state: &AppState,
    actor: &Actor,
    version: u64,
    against: Option<u64>,
) -> Result<String> {
    actor.require(Permission::ReadOperations)?;
    let number = i64::try_from(version).map_err(|_| not_found(version))?;
    let row = store::version(&state.db, number)
        .await?
        .ok_or_else(|| not_found(version))?;
    let base = match against {
        Some(other) => Some(
            store::version(
                &state.db,
                i64::try_from(other).map_err(|_| not_found(other))?,
            )
            .await?
            .ok_or_else(|| not_found(other))?,
        ),
        None if number > 1 => store::version(&state.db, number - 1).await?,
        None => None,
    };
    let render = |row: Option<&store::VersionRow>| -> Result<String> {
        let Some(row) = row else {
            return Ok(String::new());
        };
        let (grants, modules) = snapshot(row)?;
        let mut text = String::new();
        for grant in &grants {
            text.push_str(&format!("grant {}: {}\n", grant.id, grant.sentence()));
            let pretty = serde_json::to_string_pretty(grant).map_err(anyhow::Error::from)?;
            for line in pretty.lines() {
                text.push_str(&format!("  {line}\n"));
            }
        }
        for (path, rego) in &modules {
            text.push_str(&format!("module {path}:\n"));
            for line in rego.lines() {
                text.push_str(&format!("  {line}\n"));
            }
        }
        Ok(text)
    };
    let old = render(base.as_ref())?;
    let new = render(Some(&row))?;
    let old_name = base
        .as_ref()
        .map_or("(nothing)".to_owned(), |row| format!("v{}", row.version));
    Ok(similar::TextDiff::from_lines(&old, &new)
        .unified_diff()
        .context_radius(3)
        .header(&old_name, &format!("v{version}"))
        .to_string())
}

pub async fn settings(state: &AppState, actor: &Actor) -> Result<PolicySettings> {
    actor.require(Permission::ReadOperations)?;
    Ok(PolicySettings {
        require_approval: store::require_approval(&state.db).await?,
    })
}

pub async fn update_settings(
    state: &AppState,
    actor: &Actor,
    settings: PolicySettings,
) -> Result<PolicySettings> {
    actor.require(Permission::ManageTrust)?;
    let mut tx = state.db.begin().await?;
    store::set_require_approval(&mut *tx, settings.require_approval, &actor.username).await?;
    audit::record(
        &mut *tx,
        AuditEvent::new(
            &actor.username,
            "policy.settings_changed",
            "policy:settings",
        )
        .with_details(json!({ "require_approval": settings.require_approval })),
    )
    .await?;
    tx.commit().await?;
    Ok(settings)
}

/// The public key enforcers must trust (`WARDEN_POLICY_KEYS`).
pub fn verifying_key(state: &AppState) -> (String, String) {
    (
        state.policy_signer.key_id.clone(),
        state.policy_signer.public_key_base64(),
    )
}
