//! Numbered versions: propose, approve or reject, publish (sign and deliver), diff.

use super::*;

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
    if let Err(error) = super::review::review_all(state, version, grants, modules).await {
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
