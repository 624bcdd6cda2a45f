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

# Classes `*` does not cover: a grant must name them. The enforcer reports a detected prompt
# injection or jailbreak as the class `prompt_injection`, so a grant allowing every data class
# does not also let attacks through. Prepared grants carry them as `false` in `cover` unless
# named, which the `object.get(g.cover, c, g.any_class)` lookups then respect.
explicit_classes := {"prompt_injection"}

# ---------------------------------------------------------------------------------------------
# Preparing grants. A decision does not match raw grants: it matches *prepared* grants, where
# every choice the grant form leaves open is settled in data, so the hot path is straight-line
# checks without function calls (regorus's VM pays most for calls):
#
# - patterns become `{prefix, start, middle, suffix, fixed, min, max}`; a value matches when it
#   starts with `prefix` (`start` characters), ends with `suffix`, and the
#   `n = count(value) - fixed` characters between hold `middle` with `min <= n <= max`. A pattern
#   without `*` has `max` 0 (exact); `*` matches any run of characters (`.` and `/` included); at
#   most two `*` per pattern. Only constrained dimensions are kept, as `checks` (for near misses)
#   and, for decisions, as `exact` (dimensions whose patterns have no `*`: the input path of the
#   value and a value → true lookup) and `globs` (the input path and the prepared patterns); an
#   absent action value is "", which only `*` matches.
# - the time window becomes the list of allowed weekdays and UTC hours (`[from, to)`, wrapping
#   past midnight when from > to; no window = always), and `when`: allowed weekday → hours, so a
#   decision checks both with one lookup;
# - data classes become `cover` (class → true: listed classes, plus those masked in requests for
#   allow grants) and `any_class` (allow: `*` listed; deny: `*` or no class listed); a deny
#   grant's cover also maps `*` to `any_class`;
# - no daily limit becomes an unreachable one; `allows` is whether the effect is allow (a boolean
#   is the cheapest test), and an allow grant carries `decision`, the decision it gives when it
#   is the only grant allowing.
#
# The compiler ships them in `data.warden.index`: action kind → selector key → prepared grants,
# where a grant's key is its first label (`team=support`, labels sorted by key) or `*` when it
# selects no label, and a grant without kinds is filed under every kind. A grant needs all its
# labels, so only the agent's own labels and `*` can hold grants that apply. Without an index
# (these tests, hand-written data) the same index is built here from `data.warden.grants`; a Rust
# test checks the two agree.

kinds := ["llm_call", "tool_call", "resource_access", "data_access"]

weekdays := ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]

unlimited := 9007199254740991

any_length := 1000000000

prepare_pattern(p) := {"prefix": p, "start": count(p), "middle": "", "suffix": "", "fixed": count(p), "min": 0, "max": 0} if {
	not contains(p, "*")
}

prepare_pattern(p) := {
	"prefix": first,
	"start": count(first),
	"middle": middle,
	"suffix": last,
	"fixed": count(first) + count(last),
	"min": count(middle),
	"max": any_length,
} if {
	contains(p, "*")
	parts := split(p, "*")
	first := parts[0]
	last := parts[count(parts) - 1]
	middle := concat("", array.slice(parts, 1, count(parts) - 1))
}

# The constrained dimensions only, in this order; an empty list constrains nothing.
dimensions(g) := [
	["tool", g.tools],
	["resource", g.resources],
	["model", g.models],
	["destination", g.destinations],
	["agent", g.subject.agents],
	["environment", g.subject.environments],
]

prepare_checks(g) := [{"key": d[0], "patterns": [prepare_pattern(p) | some p in d[1]]} |
	some d in dimensions(g)
	count(d[1]) > 0
]

# Where each dimension's value is in the input.
paths := {
	"tool": ["action", "tool"],
	"resource": ["action", "resource"],
	"model": ["action", "model"],
	"destination": ["action", "destination"],
	"agent": ["agent", "name"],
	"environment": ["agent", "environment"],
}

# The hot path's form of the checks: dimensions whose patterns are all exact become a lookup in
# `exact` (value → true); the others keep their prepared patterns in `globs`. Both carry the
# input path of their value.
prepare_exact(g) := [{"path": paths[d[0]], "values": {p: true | some p in d[1]}} |
	some d in dimensions(g)
	count(d[1]) > 0
	all_exact(d[1])
]

prepare_globs(g) := [{"path": paths[d[0]], "patterns": [prepare_pattern(p) | some p in d[1]]} |
	some d in dimensions(g)
	count(d[1]) > 0
	not all_exact(d[1])
]

all_exact(patterns) if {
	every p in patterns {
		not contains(p, "*")
	}
}

window_days(w) := weekdays if w == null

window_days(w) := weekdays if {
	w != null
	count(w.days) == 0
}

window_days(w) := [d | some d in weekdays; d in w.days] if {
	w != null
	count(w.days) > 0
}

in_hours(w, _) if w == null

in_hours(w, _) if {
	w != null
	w.from_hour == null
}

in_hours(w, h) if {
	w != null
	w.from_hour != null
	w.from_hour <= w.to_hour
	h >= w.from_hour
	h < w.to_hour
}

in_hours(w, h) if {
	w != null
	w.from_hour != null
	w.from_hour > w.to_hour
	h >= w.from_hour
}

in_hours(w, h) if {
	w != null
	w.from_hour != null
	w.from_hour > w.to_hour
	h < w.to_hour
}

window_hours(w) := [h | some h in numbers.range(0, 23); in_hours(w, h)]

covered_classes(g) := object.union(
	{c: false | some c in explicit_classes},
	object.union({c: true | some c in g.data_classes; c != "*"}, {"*": any_class_flag(g)}),
) if g.effect == "deny"

covered_classes(g) := object.union({c: false | some c in explicit_classes}, {c: true |
	some c in array.concat(array.concat(g.data_classes, g.obligations.mask_requests), obligation(g, "redact_requests"))
	c != "*"
}) if g.effect == "allow"

# Obligation lists added after the first grants were written may be absent from hand-written data.
obligation(g, name) := object.get(g.obligations, name, [])

any_class(g) if "*" in g.data_classes

any_class(g) if {
	g.effect == "deny"
	count(g.data_classes) == 0
}

any_class_flag(g) := true if any_class(g)

any_class_flag(g) := false if not any_class(g)

prepare(g) := object.union(prepared_base(g), {"decision": {
	"allow": true,
	"reasons": [sprintf("allowed by grant %s", [g.id])],
	"obligations": prepared_obligations(g),
	"grants": [g.id],
}}) if g.effect == "allow"

prepare(g) := prepared_base(g) if g.effect == "deny"

prepared_obligations(g) := {name: sort({c | some c in obligation(g, name)}) | some name in obligation_names}

prepared_base(g) := {
	"id": g.id,
	"effect": g.effect,
	"allows": g.effect == "allow",
	"labels": g.subject.labels,
	"checks": prepare_checks(g),
	"exact": prepare_exact(g),
	"globs": prepare_globs(g),
	"days": window_days(g.window),
	"hours": window_hours(g.window),
	"when": {d: window_hours(g.window) | some d in window_days(g.window)},
	"cover": covered_classes(g),
	"any_class": any_class_flag(g),
	"limit": daily_limit(g),
	"obligations": prepared_obligations(g),
}

obligation_names := ["mask_requests", "mask_responses", "redact_requests", "redact_responses", "block_requests", "block_responses"]

grant_kinds(g) := g.actions if count(g.actions) > 0

grant_kinds(g) := kinds if count(g.actions) == 0

selector_key(g) := "*" if count(g.subject.labels) == 0

selector_key(g) := concat("=", [k, g.subject.labels[k]]) if {
	count(g.subject.labels) > 0
	k := sort(object.keys(g.subject.labels))[0]
}

daily_limit(g) := unlimited if g.daily_limit == null

daily_limit(g) := g.daily_limit if g.daily_limit != null

built_index := {kind: {key: [prepare(g) |
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

index := data.warden.index if {
	data.warden.index
} else := built_index

# An array, not a set: no hashing of grant objects. A grant is filed under one key and, per kind,
# once, so nothing repeats. Being filed under the action's kind is what checks the kind.
candidates := array.concat(
	object.get(index, [input.action.kind, "*"], []),
	[g |
		some k, v in input.agent.labels
		some g in object.get(index, [input.action.kind, concat("=", [k, v])], [])
	],
)

# The values patterns are matched against, "" when absent.
values := {
	"tool": object.get(input.action, "tool", ""),
	"resource": object.get(input.action, "resource", ""),
	"model": object.get(input.action, "model", ""),
	"destination": object.get(input.action, "destination", ""),
	"agent": object.get(input.agent, "name", ""),
	"environment": object.get(input.agent, "environment", ""),
}

usage := object.get(input.context, "usage", {})

agent_labels := object.get(input.agent, "labels", {})

# ---------------------------------------------------------------------------------------------
# Matching, spelled out per dimension: the same six lines check each pattern.

# The candidates whose subject, action values and time window fit, in candidate order: each
# checked once, by one comprehension (no function call per grant), the action values before the
# labels (the index already matched one label). The window comes first on purpose: regorus's VM
# loads `input` into a register where the body first names it, and when that is inside an `every`
# over an empty list, later statements read an unset register (an undefined `input`).
scoped := [g |
	some g in candidates
	input.context.hour in g.when[input.context.weekday]
	every c in g.exact {
		object.get(c.values, object.get(input, c.path, ""), false)
	}
	every c in g.globs {
		v := object.get(input, c.path, "")
		some p in c.patterns
		startswith(v, p.prefix)
		endswith(v, p.suffix)
		n := count(v) - p.fixed
		n >= p.min
		n <= p.max
		contains(substring(v, p.start, n), p.middle)
	}
	object.subset(agent_labels, g.labels)
]

# The allow grants that let the action through, in candidate order (`cover` and `any_class` are
# booleans, so the lookup is the check).
allowed_grants := [g |
	some g in scoped
	g.allows
	every c in action_classes {
		object.get(g.cover, c, g.any_class)
	}
	object.get(usage, g.id, 0) < g.limit
]

allowing := {g.id | some g in allowed_grants}

# A deny grant hits when it has no classes (or `*`), or the action touches one of its classes:
# its `cover` maps `*` to `any_class`, so probing `*` with the action's classes is one check.
denying contains g.id if {
	some g in scoped
	not g.allows
	some c in deny_probe
	g.cover[c]
}

deny_probe := action_classes | {"*"}

# Subject, action values and time window, for near misses (`scoped` spells the same checks out
# for decisions): each constrained dimension needs a value matching one of its patterns, a lookup
# when they are all exact, else the pattern check spelled out. Lookups inside `every` use
# `object.get` with a default: an undefined lookup there would pass on regorus's VM.
in_scope(g) if {
	input.context.hour in g.when[input.context.weekday]
	object.subset(agent_labels, g.labels)
	every c in g.exact {
		object.get(c.values, object.get(input, c.path, ""), false)
	}
	every c in g.globs {
		v := object.get(input, c.path, "")
		some p in c.patterns
		startswith(v, p.prefix)
		endswith(v, p.suffix)
		n := count(v) - p.fixed
		n >= p.min
		n <= p.max
		contains(substring(v, p.start, n), p.middle)
	}
}

# The same check as a function, for tests and near-miss reasons (not on the allow path).
pattern_match(p, v) if {
	startswith(v, p.prefix)
	endswith(v, p.suffix)
	n := count(v) - p.fixed
	n >= p.min
	n <= p.max
	contains(substring(v, count(p.prefix), n), p.middle)
}

# Whether a raw pattern matches a value, as the grant author means it.
glob_match(p, v) if pattern_match(prepare_pattern(p), v)

# Whether the grant lets this dimension (`tool`, `agent`, …) through.
dimension_ok(g, key) if not constrained(g, key)

dimension_ok(g, key) if {
	some c in g.checks
	c.key == key
	some p in c.patterns
	pattern_match(p, values[key])
}

constrained(g, key) if {
	some c in g.checks
	c.key == key
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
	count(allowed_grants) > 0
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

# Near misses, for "try it" (`explanation`), not for enforcement: allow grants that select this
# agent for this action kind but failed on one point.
near contains g if {
	not allow
	not killed
	some g in candidates
	g.effect == "allow"
	object.subset(agent_labels, g.labels)
	dimension_ok(g, "agent")
	dimension_ok(g, "environment")
}

near_miss contains sprintf("grant %s: tool %v is not covered", [g.id, object.get(input.action, "tool", null)]) if {
	some g in near
	not dimension_ok(g, "tool")
}

near_miss contains sprintf("grant %s: model %v is not covered", [g.id, object.get(input.action, "model", null)]) if {
	some g in near
	not dimension_ok(g, "model")
}

near_miss contains sprintf("grant %s: resource %v is not covered", [g.id, object.get(input.action, "resource", null)]) if {
	some g in near
	not dimension_ok(g, "resource")
}

near_miss contains sprintf("grant %s: destination %v is not covered", [g.id, object.get(input.action, "destination", null)]) if {
	some g in near
	not dimension_ok(g, "destination")
}

near_miss contains sprintf("grant %s: outside its time window", [g.id]) if {
	some g in near
	not in_window(g)
}

in_window(g) if {
	input.context.hour in g.hours
	input.context.weekday in g.days
}

near_miss contains sprintf("grant %s: data class %s is not covered", [g.id, c]) if {
	some g in near
	in_scope(g)
	some c in action_classes
	not c in explicit_classes
	object.get(g.cover, c, g.any_class) != true
}

near_miss contains sprintf("grant %s: data class %s is not covered (only a grant naming it covers it)", [g.id, c]) if {
	some g in near
	in_scope(g)
	some c in action_classes
	c in explicit_classes
	object.get(g.cover, c, false) != true
}

near_miss contains sprintf("grant %s: daily limit reached (%v of %v used)", [g.id, object.get(usage, g.id, 0), g.limit]) if {
	some g in near
	in_scope(g)
	object.get(usage, g.id, 0) >= g.limit
}

# Nothing allowed and nothing denied: the default deny, as `reason` and `denied_by` give it.
default_denial := {
	"allow": false,
	"reasons": ["no grant allows this action (default deny)"],
	"obligations": {
		"mask_requests": [],
		"mask_responses": [],
		"redact_requests": [],
		"redact_responses": [],
		"block_requests": [],
		"block_responses": [],
	},
	"grants": [],
}

no_obligations := {
	"mask_requests": [],
	"mask_responses": [],
	"redact_requests": [],
	"redact_responses": [],
	"block_requests": [],
	"block_responses": [],
}

# The decision is built per outcome, so an allowed action never evaluates the denial reasons.
# Usually one grant allows, and its prepared `decision` is the answer; several are merged.
allowed_ids := sort([id | some id in allowing])

allowed_reasons := [sprintf("allowed by grant %s", [id]) | some id in allowed_ids]

allowed_obligations := {name: sort({c | some g in allowed_grants; some c in g.obligations[name]}) |
	some name in obligation_names
}

# An `else` chain, so the VM stops at the first outcome that holds, the common ones first (with
# `allow` spelled out): one allowing grant, whose prepared decision is the answer as it is; the
# default deny (nothing allowed or denied); then several allowing grants merged; then a denial
# with its reasons.
decision := allowed_grants[0].decision if {
	count(allowed_grants) == 1
	not killed
	count(denying) == 0
	count(custom_denials) == 0
} else := default_denial if {
	count(allowed_grants) == 0
	not killed
	count(denying) == 0
	count(custom_denials) == 0
} else := {
	"allow": true,
	"reasons": allowed_reasons,
	"obligations": allowed_obligations,
	"grants": allowed_ids,
} if {
	allow
} else := {
	"allow": false,
	"reasons": sort([r | some r in reason]),
	"obligations": no_obligations,
	"grants": sort([id | some id in denied_by]),
}

# The decision plus near misses: what "try it" shows. Enforcers evaluate `decision` only.
explanation := decision if allow

explanation := object.union(decision, {"reasons": sort(array.concat(decision.reasons, [r | some r in near_miss]))}) if {
	not allow
}
