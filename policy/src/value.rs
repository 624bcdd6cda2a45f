//! Direct conversion between our types and regorus values: the JSON round trip costs more than
//! the policy on the hot path.

use crate::input::{Decision, Obligations, PolicyInput};
use regorus::Value;
use std::collections::BTreeMap;

fn object<const N: usize>(fields: [(&str, Value); N]) -> Value {
    Value::from(
        fields
            .into_iter()
            .map(|(k, v)| (Value::from(k), v))
            .collect::<BTreeMap<Value, Value>>(),
    )
}

fn strings(items: &[String]) -> Value {
    Value::from(
        items
            .iter()
            .map(|s| Value::from(s.as_str()))
            .collect::<Vec<_>>(),
    )
}

fn map<V: Copy + Into<Value>>(m: &BTreeMap<String, V>) -> Value {
    Value::from(
        m.iter()
            .map(|(k, v)| (Value::from(k.as_str()), (*v).into()))
            .collect::<BTreeMap<Value, Value>>(),
    )
}

fn string_map(m: &BTreeMap<String, String>) -> Value {
    Value::from(
        m.iter()
            .map(|(k, v)| (Value::from(k.as_str()), Value::from(v.as_str())))
            .collect::<BTreeMap<Value, Value>>(),
    )
}

/// The same value `serde_json` would give (absent optional fields are left out).
pub(crate) fn input_value(input: &PolicyInput) -> Value {
    let a = &input.action;
    let mut action: BTreeMap<Value, Value> = BTreeMap::new();
    action.insert(Value::from("kind"), Value::from(a.kind.as_str()));
    action.insert(Value::from("data_classes"), strings(&a.data_classes));
    for (key, value) in [
        ("tool", &a.tool),
        ("resource", &a.resource),
        ("model", &a.model),
        ("destination", &a.destination),
    ] {
        if let Some(v) = value {
            action.insert(Value::from(key), Value::from(v.as_str()));
        }
    }
    let c = &input.context;
    object([
        (
            "agent",
            object([
                ("id", Value::from(input.agent.id.as_str())),
                ("name", Value::from(input.agent.name.as_str())),
                ("labels", string_map(&input.agent.labels)),
                ("environment", Value::from(input.agent.environment.as_str())),
                ("owner_team", Value::from(input.agent.owner_team.as_str())),
            ]),
        ),
        ("action", Value::from(action)),
        (
            "context",
            object([
                ("time", Value::from(c.time.as_str())),
                ("hour", Value::from(u64::from(c.hour))),
                ("weekday", Value::from(c.weekday.as_str())),
                ("usage", map(&c.usage)),
                ("killed", Value::from(c.killed)),
            ]),
        ),
        ("findings", map(&input.findings)),
    ])
}

fn string_list(v: &Value) -> Option<Vec<String>> {
    v.as_array()
        .ok()?
        .iter()
        .map(|s| s.as_string().ok().map(|s| s.to_string()))
        .collect()
}

/// The decision object, or `None` when it is not shaped like one.
pub(crate) fn decision_from_value(v: &Value) -> Option<Decision> {
    let obligations = &v["obligations"];
    Some(Decision {
        allow: *v["allow"].as_bool().ok()?,
        reasons: string_list(&v["reasons"])?,
        obligations: Obligations {
            mask_requests: string_list(&obligations["mask_requests"])?,
            mask_responses: string_list(&obligations["mask_responses"])?,
            redact_requests: string_list(&obligations["redact_requests"])?,
            redact_responses: string_list(&obligations["redact_responses"])?,
            block_requests: string_list(&obligations["block_requests"])?,
            block_responses: string_list(&obligations["block_responses"])?,
        },
        grants: string_list(&v["grants"])?,
    })
}
