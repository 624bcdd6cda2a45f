//! Where the text sits in OpenAI-format requests and responses. The proxy scans and rewrites
//! these strings in place and forwards everything else untouched.

use serde_json::Value;

/// The endpoints the proxy serves.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Endpoint {
    ChatCompletions,
    Completions,
    Embeddings,
}

impl Endpoint {
    /// Path under the upstream's base URL.
    pub fn path(self) -> &'static str {
        match self {
            Endpoint::ChatCompletions => "/chat/completions",
            Endpoint::Completions => "/completions",
            Endpoint::Embeddings => "/embeddings",
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Endpoint::ChatCompletions => "chat.completions",
            Endpoint::Completions => "completions",
            Endpoint::Embeddings => "embeddings",
        }
    }
}

/// Calls `visit(text, score_injection)` for every text an agent sends. Instructions from the
/// agent's own developer (`system`, `developer`) and the model's earlier turns (`assistant`) are
/// scanned for sensitive data but not scored for injection; user input, tool results and
/// retrieved documents are.
pub fn request_texts(
    endpoint: Endpoint,
    body: &mut Value,
    visit: &mut dyn FnMut(&mut String, bool),
) {
    match endpoint {
        Endpoint::ChatCompletions => {
            let Some(messages) = body.get_mut("messages").and_then(Value::as_array_mut) else {
                return;
            };
            for message in messages {
                let role = message
                    .get("role")
                    .and_then(Value::as_str)
                    .unwrap_or_default();
                let score = !matches!(role, "system" | "developer" | "assistant");
                if let Some(content) = message.get_mut("content") {
                    content_texts(content, score, visit);
                }
                if let Some(calls) = message.get_mut("tool_calls").and_then(Value::as_array_mut) {
                    for call in calls {
                        if let Some(Value::String(arguments)) =
                            call.pointer_mut("/function/arguments")
                        {
                            visit(arguments, false);
                        }
                    }
                }
            }
        }
        Endpoint::Completions => {
            if let Some(prompt) = body.get_mut("prompt") {
                strings(prompt, true, visit);
            }
        }
        Endpoint::Embeddings => {
            if let Some(input) = body.get_mut("input") {
                strings(input, true, visit);
            }
        }
    }
}

/// A string, or an array whose string items are texts (token arrays are left alone).
fn strings(value: &mut Value, score: bool, visit: &mut dyn FnMut(&mut String, bool)) {
    match value {
        Value::String(text) => visit(text, score),
        Value::Array(items) => {
            for item in items {
                if let Value::String(text) = item {
                    visit(text, score);
                }
            }
        }
        _ => {}
    }
}

/// Message content: a string, or parts of which `{"type": "text", "text": …}` carry text.
fn content_texts(content: &mut Value, score: bool, visit: &mut dyn FnMut(&mut String, bool)) {
    match content {
        Value::String(text) => visit(text, score),
        Value::Array(parts) => {
            for part in parts {
                if let Some(Value::String(text)) = part.get_mut("text") {
                    visit(text, score);
                }
            }
        }
        _ => {}
    }
}

/// Calls `visit` for every text of a complete response; returns false when the response holds
/// content the firewall cannot inspect (e.g. audio or images).
pub fn response_texts(
    endpoint: Endpoint,
    body: &mut Value,
    visit: &mut dyn FnMut(&mut String),
) -> bool {
    let mut inspected = true;
    let Some(choices) = body.get_mut("choices").and_then(Value::as_array_mut) else {
        // Embeddings carry vectors only.
        return true;
    };
    for choice in choices {
        match endpoint {
            Endpoint::ChatCompletions => {
                let Some(message) = choice.get_mut("message") else {
                    continue;
                };
                if let Some(content) = message.get_mut("content") {
                    match content {
                        Value::String(text) => visit(text),
                        Value::Null => {}
                        Value::Array(parts) => {
                            for part in parts {
                                match part.get_mut("text") {
                                    Some(Value::String(text)) => visit(text),
                                    _ => inspected = false,
                                }
                            }
                        }
                        _ => inspected = false,
                    }
                }
                if let Some(Value::String(refusal)) = message.get_mut("refusal") {
                    visit(refusal);
                }
                if let Some(calls) = message.get_mut("tool_calls").and_then(Value::as_array_mut) {
                    for call in calls {
                        if let Some(Value::String(arguments)) =
                            call.pointer_mut("/function/arguments")
                        {
                            visit(arguments);
                        }
                    }
                }
                if message.get("audio").is_some_and(|audio| !audio.is_null()) {
                    inspected = false;
                }
            }
            Endpoint::Completions => {
                if let Some(Value::String(text)) = choice.get_mut("text") {
                    visit(text);
                }
            }
            Endpoint::Embeddings => {}
        }
    }
    inspected
}

/// The text deltas of one streamed chunk, by choice index. Returns false when the chunk carries
/// deltas the firewall does not inspect as a stream (tool-call argument fragments, audio).
pub fn stream_deltas(
    endpoint: Endpoint,
    chunk: &mut Value,
    visit: &mut dyn FnMut(u64, &mut String),
) -> bool {
    let mut inspected = true;
    let Some(choices) = chunk.get_mut("choices").and_then(Value::as_array_mut) else {
        return true;
    };
    for choice in choices {
        let index = choice.get("index").and_then(Value::as_u64).unwrap_or(0);
        match endpoint {
            Endpoint::ChatCompletions => {
                let Some(delta) = choice.get_mut("delta") else {
                    continue;
                };
                if let Some(Value::String(text)) = delta.get_mut("content") {
                    visit(index, text);
                }
                if let Some(Value::String(text)) = delta.get_mut("refusal") {
                    visit(index, text);
                }
                if delta
                    .get("tool_calls")
                    .is_some_and(|calls| !calls.is_null())
                    || delta.get("audio").is_some_and(|audio| !audio.is_null())
                {
                    inspected = false;
                }
            }
            Endpoint::Completions => {
                if let Some(Value::String(text)) = choice.get_mut("text") {
                    visit(index, text);
                }
            }
            Endpoint::Embeddings => {}
        }
    }
    inspected
}

/// Whether a chunk ends a choice (`finish_reason` set), by index.
pub fn finished_choices(chunk: &Value) -> Vec<u64> {
    chunk
        .get("choices")
        .and_then(Value::as_array)
        .map(|choices| {
            choices
                .iter()
                .filter(|choice| choice.get("finish_reason").is_some_and(|r| !r.is_null()))
                .map(|choice| choice.get("index").and_then(Value::as_u64).unwrap_or(0))
                .collect()
        })
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn finds_every_text_of_a_chat_request() {
        let mut body = json!({
            "model": "m",
            "messages": [
                {"role": "system", "content": "be nice"},
                {"role": "user", "content": [{"type": "text", "text": "hello"}, {"type": "image_url", "image_url": {"url": "x"}}]},
                {"role": "assistant", "content": null, "tool_calls": [{"id": "1", "type": "function", "function": {"name": "f", "arguments": "{\"q\":1}"}}]},
                {"role": "tool", "tool_call_id": "1", "content": "result"}
            ]
        });
        let mut seen = Vec::new();
        request_texts(Endpoint::ChatCompletions, &mut body, &mut |text, score| {
            seen.push((text.clone(), score));
            text.make_ascii_uppercase();
        });
        assert_eq!(
            seen,
            vec![
                ("be nice".to_owned(), false),
                ("hello".to_owned(), true),
                ("{\"q\":1}".to_owned(), false),
                ("result".to_owned(), true),
            ]
        );
        assert_eq!(body["messages"][3]["content"], "RESULT");
        assert_eq!(body["messages"][1]["content"][1]["image_url"]["url"], "x");
    }

    #[test]
    fn completions_and_embeddings_inputs() {
        let mut body = json!({"prompt": ["a", [1, 2], "b"]});
        let mut seen = Vec::new();
        request_texts(Endpoint::Completions, &mut body, &mut |text, _| {
            seen.push(text.clone())
        });
        let mut embedding = json!({"input": "c"});
        request_texts(Endpoint::Embeddings, &mut embedding, &mut |text, _| {
            seen.push(text.clone())
        });
        assert_eq!(seen, vec!["a", "b", "c"]);
    }

    #[test]
    fn stream_deltas_by_choice() {
        let mut chunk = json!({"choices": [
            {"index": 0, "delta": {"content": "he"}, "finish_reason": null},
            {"index": 1, "delta": {"content": "yo"}, "finish_reason": "stop"}
        ]});
        let mut seen = Vec::new();
        assert!(stream_deltas(
            Endpoint::ChatCompletions,
            &mut chunk,
            &mut |i, t| seen.push((i, t.clone()))
        ));
        assert_eq!(seen, vec![(0, "he".to_owned()), (1, "yo".to_owned())]);
        assert_eq!(finished_choices(&chunk), vec![1]);
        let mut tools = json!({"choices": [{"index": 0, "delta": {"tool_calls": [{"index": 0}]}}]});
        assert!(!stream_deltas(
            Endpoint::ChatCompletions,
            &mut tools,
            &mut |_, _| {}
        ));
    }
}
