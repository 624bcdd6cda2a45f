# Warden's base policy: default deny. Grants arrive as data (`data.warden.grants`), compiled from
# readable statements by the `warden-policy` crate; this module decides on one action of one agent.
# The enforcer evaluates `data.warden.authz.decision` only.
package warden.authz

default grants := []

grants := data.warden.grants

# --- candidates. The compiler ships `data.warden.index`: action kind → selector key → grants,
# where a grant's key is its first label (`team=support`, labels sorted by key) or `*` when it
# selects no label, and a grant without kinds is filed under every kind. A grant needs all its
# labels, so only the agent's own label keys and `*` can hold grants that apply: a decision looks
# at those and skips the rest of the fleet's grants. Without an index (tests, hand-written data)
# the same index is built here from `data.warden.grants`.

kinds := ["llm_call", "tool_call", "resource_access", "data_access"]

grant_kinds(g) := g.actions if count(g.actions) > 0

grant_kinds(g) := kinds if count(g.actions) == 0

selector_key(g) := "*" if count(g.subject.labels) == 0

selector_key(g) := concat("=", [k, g.subject.labels[k]]) if {
	count(g.subject.labels) > 0
	k := sort(object.keys(g.subject.labels))[0]
}

built_index := {kind: {key: [g |
	some g in grants
	kind in grant_kinds(g)
	selector_key(g) == key
] |
	some g2 in grants
	kind in grant_kinds(g2)
	key := selector_key(g2)
} |
	some kind in kinds
}

index := data.warden.index

index := built_index if not data.warden.index

# An array, not a set: no hashing of grant objects. A grant is filed under one key and, per kind,
# once, so nothing repeats. Being filed under the action's kind is what checks the kind.
candidates := array.concat(
	object.get(index, [input.action.kind, "*"], []),
	[g |
		some k, v in input.agent.labels
		some g in object.get(index, [input.action.kind, concat("=", [k, v])], [])
	],
)

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
# (A pattern without `*` matches only itself, and a pattern matches its own text.) The common
# `prefix*` form has a body of its own: fewer builtin calls on the hot path.
glob_match(p, v) if p == v

glob_match(p, v) if {
	endswith(p, "*")
	prefix := trim_suffix(p, "*")
	not contains(prefix, "*")
	startswith(v, prefix)
}

glob_match(p, v) if {
	contains(trim_suffix(p, "*"), "*")
	parts := split(p, "*")
	count(parts) <= 3
	first := parts[0]
	last := parts[count(parts) - 1]
	middle := concat("", array.slice(parts, 1, count(parts) - 1))
	startswith(v, first)
	endswith(v, last)
	n := (count(v) - count(first)) - count(last)
	n >= count(middle)
	contains(substring(v, count(first), n), middle)
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

# Helpers take the grant's fields, not the grant: regorus pays per call for large arguments.

kind_ok(actions) if count(actions) == 0

kind_ok(actions) if input.action.kind in actions

# `key` is `tool`, `model`, `resource` or `destination`.
dim_ok(patterns, _) if count(patterns) == 0

dim_ok(patterns, key) if {
	v := input.action[key]
	is_string(v)
	some p in patterns
	glob_match(p, v)
}

# --- time window (UTC): days empty = every day; hours [from, to), wrapping past midnight when
# from > to.

window_ok(w) if w == null

window_ok(w) if {
	w != null
	days_ok(w.days)
	hours_ok(w)
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

class_covered(classes, _, c) if c in classes

class_covered(classes, _, _) if "*" in classes

class_covered(_, masked, c) if c in masked

classes_allowed(classes, masked) if {
	every c in action_classes {
		class_covered(classes, masked, c)
	}
}

classes_denied(classes) if count(classes) == 0

classes_denied(classes) if {
	some c in action_classes
	class_covered(classes, [], c)
}

# --- daily limit: the grant stops allowing once today's count reaches it.

used(id) := object.get(object.get(input.context, "usage", {}), id, 0)

under_limit(_, limit) if limit == null

under_limit(id, limit) if used(id) < limit

# Everything but data classes and limits: the grant speaks about this agent and this action.
# (Spelled out in each rule rather than a function of the whole grant, for speed.)

allowing contains g.id if {
	some g in candidates
	g.effect == "allow"
	subject_ok(g.subject)
	dim_ok(g.tools, "tool")
	dim_ok(g.models, "model")
	dim_ok(g.resources, "resource")
	dim_ok(g.destinations, "destination")
	window_ok(g.window)
	classes_allowed(g.data_classes, g.obligations.mask_requests)
	under_limit(g.id, g.daily_limit)
}

denying contains g.id if {
	some g in candidates
	g.effect == "deny"
	subject_ok(g.subject)
	dim_ok(g.tools, "tool")
	dim_ok(g.models, "model")
	dim_ok(g.resources, "resource")
	dim_ok(g.destinations, "destination")
	window_ok(g.window)
	classes_denied(g.data_classes)
}

# Custom modules (`package warden.custom.<name>`) say what the grant form cannot: any reason
# in their `deny` set denies the action.
custom_denials contains r if {
	some pkg in data.warden.custom
	some r in pkg.deny
}

default allow := false

# Explicit deny grants and custom denials win over allows; a killed agent is denied.
allow if {
	not killed
	count(denying) == 0
	count(custom_denials) == 0
	count(allowing) > 0
}

# Grants that denied, when the agent is not killed (a kill switch names no grant).
denied_by := denying if not killed

denied_by := set() if killed

# --- reasons for a denial, for the audit log and the console's "try it".

reason contains "agent is killed: every action is denied" if killed

reason contains sprintf("denied by grant %s", [id]) if {
	not killed
	some id in denying
}

reason contains sprintf("denied by custom rule: %s", [r]) if {
	not killed
	some r in custom_denials
}

reason contains "no grant allows this action (default deny)" if {
	not killed
	count(denying) == 0
	count(custom_denials) == 0
	count(allowing) == 0
}

# Near misses: allow grants for this agent and action kind that failed on one point. Only
# computed for denials, so the cost of a whole-grant function does not matter here.
applies(g) if {
	dim_ok(g.tools, "tool")
	dim_ok(g.models, "model")
	dim_ok(g.resources, "resource")
	dim_ok(g.destinations, "destination")
	window_ok(g.window)
}

near contains g if {
	not allow
	not killed
	some g in candidates
	g.effect == "allow"
	subject_ok(g.subject)
}

reason contains sprintf("grant %s: tool %v is not covered", [g.id, object.get(input.action, "tool", null)]) if {
	some g in near
	not dim_ok(g.tools, "tool")
}

reason contains sprintf("grant %s: model %v is not covered", [g.id, object.get(input.action, "model", null)]) if {
	some g in near
	not dim_ok(g.models, "model")
}

reason contains sprintf("grant %s: resource %v is not covered", [g.id, object.get(input.action, "resource", null)]) if {
	some g in near
	not dim_ok(g.resources, "resource")
}

reason contains sprintf("grant %s: destination %v is not covered", [g.id, object.get(input.action, "destination", null)]) if {
	some g in near
	not dim_ok(g.destinations, "destination")
}

reason contains sprintf("grant %s: outside its time window", [g.id]) if {
	some g in near
	not window_ok(g.window)
}

reason contains sprintf("grant %s: data class %s is not covered", [g.id, c]) if {
	some g in near
	applies(g)
	some c in action_classes
	not class_covered(g.data_classes, g.obligations.mask_requests, c)
}

reason contains sprintf("grant %s: daily limit reached (%v of %v used)", [g.id, used(g.id), g.daily_limit]) if {
	some g in near
	applies(g)
	not under_limit(g.id, g.daily_limit)
}

# The decision is built per outcome, so an allowed action never evaluates the denial reasons.
allowed_ids := sort([id | some id in allowing])

decision := {
	"allow": true,
	"reasons": [sprintf("allowed by grant %s", [id]) | some id in allowed_ids],
	"obligations": {
		"mask_requests": sort({c | some g in candidates; g.id in allowing; some c in g.obligations.mask_requests}),
		"mask_responses": sort({c | some g in candidates; g.id in allowing; some c in g.obligations.mask_responses}),
	},
	"grants": allowed_ids,
} if allow

decision := {
	"allow": false,
	"reasons": sort([r | some r in reason]),
	"obligations": {"mask_requests": [], "mask_responses": []},
	"grants": sort([id | some id in denied_by]),
} if not allow
