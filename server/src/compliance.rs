//! Compliance mapping: which controls of the frameworks security teams report against an audit
//! event is evidence for, and how severe it is. Derived when events are indexed, never signed into
//! the log, so a refined mapping applies to the whole history on the next index rebuild.

/// Severity of an event, for triage and search.
pub fn severity(action: &str, decision: Option<&str>, findings: &[String]) -> &'static str {
    let injection = findings.iter().any(|finding| finding == "prompt_injection");
    match (action, decision) {
        (_, Some("blocked")) if injection => "critical",
        (_, Some("blocked")) => "high",
        (_, Some("denied")) if injection => "high",
        (_, Some("denied")) => "medium",
        (_, Some("rejected")) => "low",
        (_, Some("upstream_error")) => "low",
        (_, Some(_)) if !findings.is_empty() => "low",
        (_, Some(_)) => "info",
        ("agent.revoked_certificate_refused" | "auth.login_throttled", _) => "high",
        ("identity.ca_rotated" | "agent.credentials_revoked" | "agent.certificate_revoked", _) => {
            "medium"
        }
        ("user.password_reset" | "user.bootstrap_admin_created" | "policy.settings_changed", _) => {
            "medium"
        }
        ("policy.version_published" | "user.created" | "user.updated", _) => "medium",
        ("auth.login_failed", _) => "low",
        (action, _) if action.starts_with("kill.") || action.starts_with("incident.") => "high",
        (action, _) if action.starts_with("audit.") => "medium",
        _ => "info",
    }
}

/// Control ids (SOC 2 trust services criteria, ISO/IEC 27001:2022 Annex A, EU AI Act articles,
/// OWASP Top 10 for LLM applications) an event is evidence for.
pub fn controls(action: &str, findings: &[String]) -> Vec<&'static str> {
    let mut controls: Vec<&'static str> = Vec::new();
    let family = action.split('.').next().unwrap_or_default();
    match family {
        "decision" => {
            controls.extend([
                "SOC2-CC7.2",
                "ISO27001-A.8.16",
                "EUAIA-Art12",
                "EUAIA-Art14",
            ]);
            if findings.iter().any(|finding| finding != "prompt_injection") {
                controls.extend(["ISO27001-A.8.12", "ISO27001-A.5.34", "SOC2-C1.1"]);
            }
            if findings.iter().any(|finding| finding == "prompt_injection") {
                controls.extend(["OWASP-LLM01", "EUAIA-Art15"]);
            }
        }
        "auth" => controls.extend(["SOC2-CC6.1", "ISO27001-A.8.5", "ISO27001-A.5.17"]),
        "user" => controls.extend(["SOC2-CC6.2", "SOC2-CC6.3", "ISO27001-A.5.18"]),
        "agent" => controls.extend(["SOC2-CC6.1", "ISO27001-A.5.16", "EUAIA-Art12"]),
        "identity" => controls.extend(["SOC2-CC6.1", "ISO27001-A.8.24"]),
        "policy" => controls.extend(["SOC2-CC8.1", "ISO27001-A.8.32", "ISO27001-A.5.15"]),
        "kill" | "incident" => controls.extend(["SOC2-CC7.4", "ISO27001-A.5.26", "EUAIA-Art14"]),
        "audit" => controls.extend(["SOC2-CC7.2", "ISO27001-A.8.15"]),
        _ => {}
    }
    // Every event is itself a log record.
    controls.push("ISO27001-A.8.15");
    controls.sort_unstable();
    controls.dedup();
    controls
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_injection_blocked_is_critical_and_maps_to_llm01() {
        let findings = vec!["prompt_injection".to_owned()];
        assert_eq!(
            severity("decision.llm_call", Some("blocked"), &findings),
            "critical"
        );
        assert!(controls("decision.llm_call", &findings).contains(&"OWASP-LLM01"));
        assert!(!controls("decision.llm_call", &[]).contains(&"OWASP-LLM01"));
    }

    #[test]
    fn every_event_is_a_log_record() {
        assert_eq!(controls("something.new", &[]), vec!["ISO27001-A.8.15"]);
        assert_eq!(severity("something.new", None, &[]), "info");
    }
}
