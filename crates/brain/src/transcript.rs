//! The provider-neutral transcript: what is stored per conversation and rendered per provider on each call.

use serde::{Deserialize, Serialize};
use serde_json::Value;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    User,
    Assistant,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Block {
    Text {
        text: String,
    },
    ToolUse {
        id: String,
        name: String,
        input: Value,
        /// Gemini's `thoughtSignature` for this call, echoed back on the next request.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        signature: Option<String>,
    },
    ToolResult {
        tool_use_id: String,
        content: String,
        #[serde(default)]
        is_error: bool,
    },
    Thinking {
        text: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        signature: Option<String>,
    },
}

impl Block {
    pub fn text(text: impl Into<String>) -> Block {
        Block::Text { text: text.into() }
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Message {
    pub role: Role,
    pub blocks: Vec<Block>,
}

impl Message {
    pub fn user_text(text: impl Into<String>) -> Message {
        Message { role: Role::User, blocks: vec![Block::text(text)] }
    }

    pub fn assistant_text(text: impl Into<String>) -> Message {
        Message { role: Role::Assistant, blocks: vec![Block::text(text)] }
    }

    /// All the text blocks, joined.
    pub fn text(&self) -> String {
        self.blocks
            .iter()
            .filter_map(|b| match b {
                Block::Text { text } => Some(text.as_str()),
                _ => None,
            })
            .collect::<Vec<_>>()
            .join("")
    }

    pub fn tool_uses(&self) -> impl Iterator<Item = (&str, &str, &Value)> {
        self.blocks.iter().filter_map(|b| match b {
            Block::ToolUse { id, name, input, .. } => Some((id.as_str(), name.as_str(), input)),
            _ => None,
        })
    }

    /// A rough token count (four characters a token), for trimming.
    pub fn approx_tokens(&self) -> usize {
        let chars: usize = self
            .blocks
            .iter()
            .map(|b| match b {
                Block::Text { text } | Block::Thinking { text, .. } => text.len(),
                Block::ToolUse { name, input, .. } => name.len() + input.to_string().len(),
                Block::ToolResult { content, .. } => content.len(),
            })
            .sum();
        chars / 4 + 4
    }
}

/// Keeps the newest messages that fit `budget` tokens, never separating a tool_use from its tool_result:
/// the kept history starts at a user message that carries no tool results.
pub fn trim_to_budget(messages: &[Message], budget: usize) -> &[Message] {
    let mut used = 0;
    let mut start = messages.len();
    for (i, m) in messages.iter().enumerate().rev() {
        used += m.approx_tokens();
        if used > budget && start < messages.len() {
            break;
        }
        start = i;
    }
    // Move forward to a clean boundary: a user message with no tool results.
    while start < messages.len() {
        let m = &messages[start];
        let clean = m.role == Role::User && !m.blocks.iter().any(|b| matches!(b, Block::ToolResult { .. }));
        if clean {
            break;
        }
        start += 1;
    }
    if start == messages.len() && !messages.is_empty() {
        // Nothing clean fits: keep at least the last user message.
        start = messages.iter().rposition(|m| m.role == Role::User).unwrap_or(messages.len() - 1);
    }
    &messages[start..]
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn tool_pair(n: usize) -> [Message; 2] {
        [
            Message {
                role: Role::Assistant,
                blocks: vec![Block::ToolUse {
                    id: format!("t{n}"),
                    name: "x".into(),
                    input: json!({"n": n}),
                    signature: None,
                }],
            },
            Message {
                role: Role::User,
                blocks: vec![Block::ToolResult {
                    tool_use_id: format!("t{n}"),
                    content: "ok".repeat(50),
                    is_error: false,
                }],
            },
        ]
    }

    #[test]
    fn blocks_round_trip_through_serde() {
        let m = Message {
            role: Role::Assistant,
            blocks: vec![
                Block::Thinking { text: "hmm".into(), signature: Some("sig".into()) },
                Block::ToolUse {
                    id: "a".into(),
                    name: "create_expense".into(),
                    input: json!({}),
                    signature: Some("g".into()),
                },
            ],
        };
        let v = serde_json::to_value(&m).unwrap();
        assert_eq!(v["blocks"][1]["type"], "tool_use");
        assert_eq!(serde_json::from_value::<Message>(v).unwrap(), m);
    }

    #[test]
    fn trimming_never_splits_a_tool_pair() {
        let mut history = vec![Message::user_text("first question ".repeat(40))];
        for n in 0..5 {
            history.extend(tool_pair(n));
        }
        history.push(Message::assistant_text("answer"));
        history.push(Message::user_text("second question"));
        for budget in [1, 30, 60, 90, 200, 10_000] {
            let kept = trim_to_budget(&history, budget);
            assert_eq!(kept[0].role, Role::User, "budget {budget}");
            assert!(!kept[0].blocks.iter().any(|b| matches!(b, Block::ToolResult { .. })), "budget {budget}");
            assert_eq!(kept.last(), history.last());
        }
        assert_eq!(trim_to_budget(&history, 10_000).len(), history.len());
    }
}
