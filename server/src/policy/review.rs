//! Least-privilege review of every agent after each publish.

use super::*;

/// Reviews every active agent under the version and stores the reports.
pub(super) async fn review_all(
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
