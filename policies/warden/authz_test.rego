# Tests for the base library; `cargo test -p warden-policy` runs every `test_` rule here.
package warden.authz_test

import data.warden.authz

# A grant with every field at its empty default, as the compiler emits them.
blank := {
	"id": "g",
	"effect": "allow",
	"subject": {"agents": [], "labels": {}, "environments": []},
	"actions": [],
	"tools": [],
	"models": [],
	"resources": [],
	"destinations": [],
	"data_classes": [],
	"daily_limit": null,
	"window": null,
	"obligations": {"mask_requests": [], "mask_responses": []},
}

grant(fields) := object.union(blank, fields)

crm_read := grant({
	"id": "support-crm-read",
	"subject": {"agents": [], "labels": {"team": "support"}, "environments": []},
	"actions": ["tool_call"],
	"tools": ["crm.read"],
	"resources": ["customers/*"],
	"daily_limit": 500,
	"obligations": {"mask_requests": [], "mask_responses": ["pii"]},
})

agent := {
	"id": "a1",
	"name": "helpdesk-bot",
	"labels": {"team": "support"},
	"environment": "production",
	"owner_team": "support",
}

context := {
	"time": "2026-11-25T10:30:00Z",
	"hour": 10,
	"weekday": "wed",
	"usage": {},
	"killed": false,
}

tool_call := {
	"agent": agent,
	"action": {"kind": "tool_call", "tool": "crm.read", "resource": "customers/42", "data_classes": []},
	"context": context,
	"findings": {},
}

decide(inp, gs) := d if {
	d := authz.decision with input as inp with data.warden.grants as gs
}

# With near misses, as "try it" shows them.
explain(inp, gs) := d if {
	d := authz.explanation with input as inp with data.warden.grants as gs
}

# object.union merges objects deeply, so these helpers can change or add fields, never remove.
with_action(fields) := object.union(tool_call, {"action": object.union(tool_call.action, fields)})

with_agent(fields) := object.union(tool_call, {"agent": object.union(agent, fields)})

with_context(fields) := object.union(tool_call, {"context": object.union(context, fields)})

# --- default deny

test_no_grants_denies if {
	d := decide(tool_call, [])
	d.allow == false
	d.reasons == ["no grant allows this action (default deny)"]
	d.grants == []
}

test_no_data_denies if {
	d := authz.decision with input as tool_call
	d.allow == false
}

test_grant_allows_with_obligations if {
	d := decide(tool_call, [crm_read])
	d.allow == true
	d.grants == ["support-crm-read"]
	d.reasons == ["allowed by grant support-crm-read"]
	d.obligations == object.union(authz.no_obligations, {"mask_responses": ["pii"]})
}

# --- subject selectors

test_wrong_label_denies if {
	d := decide(with_agent({"labels": {"team": "sales"}}), [crm_read])
	d.allow == false
}

test_missing_label_denies if {
	unlabelled := object.union(object.remove(agent, ["labels"]), {"labels": {}})
	d := decide({"agent": unlabelled, "action": tool_call.action, "context": context, "findings": {}}, [crm_read])
	d.allow == false
}

test_agent_name_selector if {
	g := grant({"id": "n", "subject": {"agents": ["helpdesk-*"], "labels": {}, "environments": []}, "tools": ["crm.read"]})
	decide(tool_call, [g]).allow == true
	decide(with_agent({"name": "billing-bot"}), [g]).allow == false
}

test_environment_selector if {
	g := grant({"id": "e", "subject": {"agents": [], "labels": {}, "environments": ["staging"]}, "tools": ["crm.read"]})
	decide(tool_call, [g]).allow == false
	decide(with_agent({"environment": "staging"}), [g]).allow == true
}

# --- action dimensions

test_other_tool_denies_with_near_miss if {
	d := explain(with_action({"tool": "crm.write"}), [crm_read])
	d.allow == false
	"grant support-crm-read: tool crm.write is not covered" in d.reasons
}

test_resource_outside_glob_denies if {
	d := explain(with_action({"resource": "invoices/42"}), [crm_read])
	d.allow == false
	"grant support-crm-read: resource invoices/42 is not covered" in d.reasons
}

test_missing_resource_denies_when_grant_names_resources if {
	action := {"kind": "tool_call", "tool": "crm.read", "data_classes": []}
	d := decide({"agent": agent, "action": action, "context": context, "findings": {}}, [crm_read])
	d.allow == false
}

test_other_kind_denies if {
	decide(with_action({"kind": "llm_call"}), [crm_read]).allow == false
}

test_model_and_destination if {
	g := grant({"id": "m", "actions": ["llm_call"], "models": ["gpt-4o*"], "destinations": ["api.openai.com"]})
	call := with_action({"kind": "llm_call", "model": "gpt-4o-mini", "destination": "api.openai.com"})
	decide(call, [g]).allow == true
	decide(with_action({"kind": "llm_call", "model": "claude-3", "destination": "api.openai.com"}), [g]).allow == false
	decide(with_action({"kind": "llm_call", "model": "gpt-4o-mini", "destination": "evil.example"}), [g]).allow == false
}

test_unconstrained_dimension_allows_any_value if {
	g := grant({"id": "t", "tools": ["crm.read"]})
	decide(with_action({"resource": "anything/at/all"}), [g]).allow == true
}

# --- globs

test_glob_exact if {
	authz.glob_match("crm.read", "crm.read")
	not authz.glob_match("crm.read", "crm.reader")
}

test_glob_one_star if {
	authz.glob_match("crm.*", "crm.read")
	authz.glob_match("*", "")
	authz.glob_match("*.admin", "db.admin")
	authz.glob_match("customers/*", "customers/42/notes")
	not authz.glob_match("crm.*", "crm")
	not authz.glob_match("crm.*", "billing.read")
	not authz.glob_match("ab*ba", "aba")
}

test_glob_two_stars if {
	authz.glob_match("a*b*c", "axxbyyc")
	authz.glob_match("a*b*c", "abc")
	not authz.glob_match("a*b*c", "axxc")
	not authz.glob_match("a*b*c", "abbc2")
	authz.glob_match("*:*", "db:drop")
	not authz.glob_match("*:*", "db.drop")
	authz.glob_match("customers/**", "customers/1/2")
}

# --- data classes and findings

test_uncovered_data_class_denies if {
	d := explain(with_action({"data_classes": ["payment"]}), [crm_read])
	d.allow == false
	"grant support-crm-read: data class payment is not covered" in d.reasons
}

test_covered_data_class_allows if {
	g := object.union(crm_read, {"data_classes": ["pii"]})
	decide(with_action({"data_classes": ["pii"]}), [g]).allow == true
}

test_findings_count_as_data_classes if {
	g := object.union(crm_read, {"data_classes": ["pii"]})
	inp := object.union(tool_call, {"findings": {"credit_card": 1, "pii": 2}})
	decide(inp, [g]).allow == false
	decide(object.union(tool_call, {"findings": {"pii": 2, "credit_card": 0}}), [g]).allow == true
}

test_masked_request_class_is_covered if {
	g := object.union(crm_read, {"obligations": {"mask_requests": ["credit_card"], "mask_responses": []}})
	d := decide(object.union(tool_call, {"findings": {"credit_card": 1}}), [g])
	d.allow == true
	d.obligations.mask_requests == ["credit_card"]
}

test_prompt_injection_needs_a_grant_naming_it if {
	every_class := object.union(crm_read, {"data_classes": ["*"]})
	attack := object.union(tool_call, {"findings": {"prompt_injection": 1, "pii": 1}})
	d := explain(attack, [every_class])
	d.allow == false
	"grant support-crm-read: data class prompt_injection is not covered (only a grant naming it covers it)" in d.reasons
	decide(object.union(tool_call, {"findings": {"pii": 1}}), [every_class]).allow == true
	named := object.union(crm_read, {"data_classes": ["*", "prompt_injection"]})
	decide(attack, [named]).allow == true
}

test_deny_grant_on_prompt_injection if {
	g := object.union(blank, {"id": "no-attacks", "effect": "deny", "data_classes": ["prompt_injection"]})
	d := decide(object.union(tool_call, {"findings": {"prompt_injection": 1}}), [crm_read, g])
	d.allow == false
	d.grants == ["no-attacks"]
}

test_redact_and_block_obligations if {
	g := object.union(crm_read, {
		"data_classes": ["*"],
		"obligations": {
			"mask_requests": [], "mask_responses": [],
			"redact_requests": ["pii"], "redact_responses": ["financial"],
			"block_requests": ["secret"], "block_responses": ["secret"],
		},
	})
	d := decide(object.union(tool_call, {"findings": {"pii": 1}}), [g])
	d.allow == true
	d.obligations == object.union(authz.no_obligations, {
		"redact_requests": ["pii"], "redact_responses": ["financial"],
		"block_requests": ["secret"], "block_responses": ["secret"],
	})
}

test_redacted_request_class_is_covered if {
	g := object.union(crm_read, {"obligations": {"mask_requests": [], "mask_responses": [], "redact_requests": ["pii"]}})
	decide(object.union(tool_call, {"findings": {"pii": 1}}), [g]).allow == true
}

# --- time windows

office_hours := object.union(crm_read, {"window": {"days": ["mon", "tue", "wed", "thu", "fri"], "from_hour": 8, "to_hour": 18}})

test_inside_window_allows if {
	decide(tool_call, [office_hours]).allow == true
}

test_outside_hours_denies if {
	d := explain(with_context({"hour": 18}), [office_hours])
	d.allow == false
	"grant support-crm-read: outside its time window" in d.reasons
}

test_outside_days_denies if {
	decide(with_context({"weekday": "sat"}), [office_hours]).allow == false
}

test_overnight_window if {
	g := object.union(crm_read, {"window": {"days": [], "from_hour": 22, "to_hour": 6}})
	decide(with_context({"hour": 23}), [g]).allow == true
	decide(with_context({"hour": 5}), [g]).allow == true
	decide(with_context({"hour": 6}), [g]).allow == false
	decide(with_context({"hour": 12}), [g]).allow == false
}

test_days_only_window if {
	g := object.union(crm_read, {"window": {"days": ["sat", "sun"], "from_hour": null, "to_hour": null}})
	decide(with_context({"weekday": "sun", "hour": 3}), [g]).allow == true
	decide(tool_call, [g]).allow == false
}

# --- daily limits

test_under_limit_allows if {
	decide(with_context({"usage": {"support-crm-read": 499}}), [crm_read]).allow == true
}

test_at_limit_denies if {
	d := explain(with_context({"usage": {"support-crm-read": 500}}), [crm_read])
	d.allow == false
	"grant support-crm-read: daily limit reached (500 of 500 used)" in d.reasons
}

test_other_grant_usage_does_not_count if {
	decide(with_context({"usage": {"other": 10000}}), [crm_read]).allow == true
}

test_second_grant_takes_over_at_limit if {
	spare := object.union(crm_read, {"id": "support-crm-read-spare", "daily_limit": null, "obligations": {"mask_requests": [], "mask_responses": []}})
	d := decide(with_context({"usage": {"support-crm-read": 500}}), [crm_read, spare])
	d.allow == true
	d.grants == ["support-crm-read-spare"]
	d.obligations.mask_responses == []
}

# --- obligations from several grants are merged

test_obligations_union if {
	other := grant({"id": "b", "tools": ["crm.*"], "obligations": {"mask_requests": ["secret"], "mask_responses": ["email"]}})
	d := decide(tool_call, [crm_read, other])
	d.allow == true
	d.grants == ["b", "support-crm-read"]
	d.obligations == object.union(authz.no_obligations, {"mask_requests": ["secret"], "mask_responses": ["email", "pii"]})
}

# --- explicit deny wins

deny_writes := grant({"id": "no-crm-write", "effect": "deny", "tools": ["crm.write", "*.admin"]})

test_deny_grant_wins if {
	broad := grant({"id": "everything", "tools": ["*"]})
	d := decide(with_action({"tool": "crm.write"}), [broad, deny_writes])
	d.allow == false
	d.grants == ["no-crm-write"]
	d.reasons == ["denied by grant no-crm-write"]
	d.obligations == authz.no_obligations
	decide(tool_call, [broad, deny_writes]).allow == true
}

test_deny_grant_with_data_classes if {
	g := grant({"id": "no-payment", "effect": "deny", "data_classes": ["payment"]})
	decide(tool_call, [crm_read, g]).allow == true
	decide(with_action({"data_classes": ["payment"]}), [object.union(crm_read, {"data_classes": ["*"]}), g]).allow == false
}

test_deny_grant_scoped_by_subject if {
	g := grant({"id": "no-sales", "effect": "deny", "subject": {"agents": [], "labels": {"team": "sales"}, "environments": []}})
	decide(tool_call, [crm_read, g]).allow == true
}

# --- kill switch

test_killed_agent_always_denied if {
	d := decide(with_context({"killed": true}), [crm_read])
	d.allow == false
	d.reasons == ["agent is killed: every action is denied"]
	d.grants == []
}

# --- custom modules

test_custom_denial_wins if {
	custom := {"after-hours": {"deny": {"no crm during the freeze"}}}
	d := authz.decision with input as tool_call with data.warden.grants as [crm_read] with data.warden.custom as custom
	d.allow == false
	d.reasons == ["denied by custom rule: no crm during the freeze"]
}

test_empty_custom_denials_allow if {
	custom := {"after-hours": {"deny": set()}}
	d := authz.decision with input as tool_call with data.warden.grants as [crm_read] with data.warden.custom as custom
	d.allow == true
}

test_decision_leaves_near_misses_to_the_explanation if {
	d := decide(with_action({"tool": "crm.write"}), [crm_read])
	d.reasons == ["no grant allows this action (default deny)"]
	e := explain(with_action({"tool": "crm.write"}), [crm_read])
	e.reasons == ["grant support-crm-read: tool crm.write is not covered", "no grant allows this action (default deny)"]
	e.allow == false
	explain(tool_call, [crm_read]) == decide(tool_call, [crm_read])
}
