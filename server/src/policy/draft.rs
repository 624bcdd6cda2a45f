//! The draft: grants, custom modules, compiling it with every Rego test, and "try it".

use super::*;

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
    Ok(decision.into())
}
