# Warden's base policy: default deny. Grants arrive as data (`data.warden.grants`), compiled from
# readable statements by the `warden-policy` crate; this module decides on one action of one agent.
# The enforcer evaluates `data.warden.authz.decision` only.
package warden.authz

default grants := []

grants := data.warden.grants

# A killed agent is denied everything, whatever its grants say.
killed if input.context.killed == true

# Data classes the action touches: those it declares plus any type the detectors found in it.
action_classes contains c if some c in input.action.data_classes

action_classes contains t if {
	some t, n in input.findings
	n > 0
}

# `*` matches any run of characters (including `.` and `/`); at most two `*` per pattern, which
# the grant validator enforces, so `crm.*`, `*.admin`, `customers/**` and `a*b*c` all work.
glob_match(p, v) if {
	not contains(p, "*")
	p == v
}

glob_match(p, v) if {
	parts := split(p, "*")
	count(parts) == 2
	startswith(v, parts[0])
	endswith(v, parts[1])
	count(v) >= count(parts[0]) + count(parts[1])
}

glob_match(p, v) if {
	parts := split(p, "*")
	count(parts) == 3
	startswith(v, parts[0])
	endswith(v, parts[2])
	n := (count(v) - count(parts[0])) - count(parts[2])
	n >= count(parts[1])
	contains(substring(v, count(parts[0]), n), parts[1])
}

any_match(patterns, v) if {
	is_string(v)
	some p in patterns
	glob_match(p, v)
}

# --- subject: every selector given must hold; an empty selector means every agent.

subject_ok(s) if {
	agents_ok(s.agents)
	every k, v in s.labels {
		input.agent.labels[k] == v
	}
	envs_ok(s.environments)
}

agents_ok(names) if count(names) == 0

agents_ok(names) if any_match(names, input.agent.name)

envs_ok(envs) if count(envs) == 0

envs_ok(envs) if input.agent.environment in envs

# --- action dimensions: an empty list leaves the dimension unconstrained; otherwise the action
# must carry a value matching one of the patterns.

kind_ok(g) if count(g.actions) == 0

kind_ok(g) if input.action.kind in g.actions

tool_ok(g) if count(g.tools) == 0

tool_ok(g) if any_match(g.tools, input.action.tool)

model_ok(g) if count(g.models) == 0

model_ok(g) if any_match(g.models, input.action.model)

resource_ok(g) if count(g.resources) == 0

resource_ok(g) if any_match(g.resources, input.action.resource)

destination_ok(g) if count(g.destinations) == 0

destination_ok(g) if any_match(g.destinations, input.action.destination)

# --- time window (UTC): days empty = every day; hours [from, to), wrapping past midnight when
# from > to.

window_ok(g) if g.window == null

window_ok(g) if {
	g.window != null
	days_ok(g.window.days)
	hours_ok(g.window)
}

days_ok(days) if count(days) == 0

days_ok(days) if input.context.weekday in days

hours_ok(w) if w.from_hour == null

hours_ok(w) if {
	w.from_hour != null
	w.from_hour <= w.to_hour
	input.context.hour >= w.from_hour
	input.context.hour < w.to_hour
}

hours_ok(w) if {
	w.from_hour != null
	w.from_hour > w.to_hour
	input.context.hour >= w.from_hour
}

hours_ok(w) if {
	w.from_hour != null
	w.from_hour > w.to_hour
	input.context.hour < w.to_hour
}

# --- data classes: an allow grant must cover every class the action touches (listing it, `*`,
# or masking it in requests so it never leaves); a deny grant with classes hits when the action
# touches any of them, and without classes hits regardless.

class_covered(g, c) if c in g.data_classes

class_covered(g, _) if "*" in g.data_classes

class_covered(g, c) if c in g.obligations.mask_requests

classes_allowed(g) if {
	every c in action_classes {
		class_covered(g, c)
	}
}

classes_denied(g) if count(g.data_classes) == 0

classes_denied(g) if {
	some c in action_classes
	class_covered(g, c)
}

# --- daily limit: the grant stops allowing once today's count reaches it.

used(g) := object.get(object.get(input.context, "usage", {}), g.id, 0)

under_limit(g) if g.daily_limit == null

under_limit(g) if used(g) < g.daily_limit

# Everything but data classes and limits: the grant speaks about this agent and this action.
applies(g) if {
	kind_ok(g)
	subject_ok(g.subject)
	tool_ok(g)
	model_ok(g)
	resource_ok(g)
	destination_ok(g)
	window_ok(g)
}

allowing contains g.id if {
	some g in grants
	g.effect == "allow"
	applies(g)
	classes_allowed(g)
	under_limit(g)
}

denying contains g.id if {
	some g in grants
	g.effect == "deny"
	applies(g)
	classes_denied(g)
}

# Custom modules (`package warden.custom.<name>`) say what the grant form cannot: any reason
# in their `deny` set denies the action.
custom_denials contains r if {
	some name
	some r in data.warden.custom[name].deny
}

default allow := false

# Explicit deny grants and custom denials win over allows; a killed agent is denied.
allow if {
	not killed
	count(denying) == 0
	count(custom_denials) == 0
	count(allowing) > 0
}

matched := allowing if allow

matched := denying if {
	not allow
	not killed
}

matched := set() if killed

mask_requests := {c | some id in allowing; some g in grants; g.id == id; some c in g.obligations.mask_requests} if allow

mask_requests := set() if not allow

mask_responses := {c | some id in allowing; some g in grants; g.id == id; some c in g.obligations.mask_responses} if allow

mask_responses := set() if not allow

# --- reasons, for the audit log and the console's "try it".

reason contains "agent is killed: every action is denied" if killed

reason contains sprintf("denied by grant %s", [id]) if {
	not killed
	some id in denying
}

reason contains sprintf("denied by custom rule: %s", [r]) if {
	not killed
	some r in custom_denials
}

reason contains sprintf("allowed by grant %s", [id]) if {
	allow
	some id in allowing
}

reason contains "no grant allows this action (default deny)" if {
	not killed
	count(denying) == 0
	count(custom_denials) == 0
	count(allowing) == 0
}

# Near misses: allow grants for this agent and action kind that failed on one point.
near contains g if {
	not allow
	not killed
	some g in grants
	g.effect == "allow"
	kind_ok(g)
	subject_ok(g.subject)
}

reason contains sprintf("grant %s: tool %v is not covered", [g.id, object.get(input.action, "tool", null)]) if {
	some g in near
	not tool_ok(g)
}

reason contains sprintf("grant %s: model %v is not covered", [g.id, object.get(input.action, "model", null)]) if {
	some g in near
	not model_ok(g)
}

reason contains sprintf("grant %s: resource %v is not covered", [g.id, object.get(input.action, "resource", null)]) if {
	some g in near
	not resource_ok(g)
}

reason contains sprintf("grant %s: destination %v is not covered", [g.id, object.get(input.action, "destination", null)]) if {
	some g in near
	not destination_ok(g)
}

reason contains sprintf("grant %s: outside its time window", [g.id]) if {
	some g in near
	not window_ok(g)
}

reason contains sprintf("grant %s: data class %s is not covered", [g.id, c]) if {
	some g in near
	applies(g)
	some c in action_classes
	not class_covered(g, c)
}

reason contains sprintf("grant %s: daily limit reached (%v of %v used)", [g.id, used(g), g.daily_limit]) if {
	some g in near
	applies(g)
	not under_limit(g)
}

decision := {
	"allow": allow,
	"reasons": sort([r | some r in reason]),
	"obligations": {
		"mask_requests": sort([c | some c in mask_requests]),
		"mask_responses": sort([c | some c in mask_responses]),
	},
	"grants": sort([id | some id in matched]),
}
