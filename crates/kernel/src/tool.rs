//! The tool machinery: a typed input (the same type the REST API takes), its JSON Schema generated from
//! it, and a thin async function into the domain service. Each domain crate exposes its tools; the PAM
//! registry in the server gathers them. Tools always act as the authenticated user: the model never
//! supplies a user id.

use std::future::Future;
use std::sync::Arc;

use futures::future::BoxFuture;
use pam_store::Db;
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::{Map, Value};
use utoipa::ToSchema;
use uuid::Uuid;

use crate::error::{DomainError, FieldError};
use crate::locale::{Clock, Locale};

/// A tool that takes no arguments.
#[derive(Debug, Default, serde::Deserialize, ToSchema)]
pub struct NoArguments {}

/// Who a tool acts for, the turn it belongs to, and what it may use. Narrow on purpose: a tool gets its
/// domain's own state from the domain's `tools(state)`, not the whole application.
#[derive(Clone)]
pub struct ToolContext {
    pub db: Db,
    pub user_id: Uuid,
    pub turn_id: Option<Uuid>,
    /// The turn's locale: the chat context's zone when it gave one, else the profile's.
    pub locale: Locale,
    pub clock: Clock,
    /// Where the user is (latitude, longitude), when the chat context says so precisely: "from here".
    pub position: Option<(f64, f64)>,
}

/// An instruction the front end already understands (SPEC §5.5).
#[derive(Debug, Clone, Serialize, serde::Deserialize, PartialEq, ToSchema)]
pub struct UiAction {
    #[serde(rename = "type")]
    pub kind: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub entity_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub entity_type: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub entity_title: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<Object>)]
    pub metadata: Option<Value>,
}

impl UiAction {
    pub fn new(kind: &str) -> UiAction {
        UiAction { kind: kind.into(), entity_id: None, entity_type: None, entity_title: None, metadata: None }
    }

    pub fn reload_expenses() -> UiAction {
        UiAction::new("reload_expenses")
    }

    pub fn about(mut self, entity_type: &str, id: impl ToString, title: impl Into<String>) -> UiAction {
        self.entity_type = Some(entity_type.into());
        self.entity_id = Some(id.to_string());
        self.entity_title = Some(title.into());
        self
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct ToolOutput {
    pub data: Value,
    pub ui_actions: Vec<UiAction>,
}

impl ToolOutput {
    pub fn data(value: impl Serialize) -> Result<ToolOutput, DomainError> {
        Ok(ToolOutput { data: to_value(value)?, ui_actions: Vec::new() })
    }

    pub fn changed(value: impl Serialize, action: UiAction) -> Result<ToolOutput, DomainError> {
        Ok(ToolOutput { data: to_value(value)?, ui_actions: vec![action] })
    }
}

fn to_value(value: impl Serialize) -> Result<Value, DomainError> {
    serde_json::to_value(value).map_err(|e| DomainError::internal("tool output", e))
}

/// Why a tool call did not succeed, in words the model (and the user) can act on.
#[derive(Debug, Clone, PartialEq)]
pub enum ToolError {
    /// The arguments were wrong (each problem at its field: `["body", "amount"]`): the model should fix
    /// them and retry.
    InvalidArguments(Vec<FieldError>),
    /// The call was understood but refused or failed (not found, conflict, unavailable…).
    Failed(String),
}

impl std::fmt::Display for ToolError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ToolError::InvalidArguments(errors) => {
                let problems: Vec<String> = errors
                    .iter()
                    .map(|e| match e.field_path() {
                        path if path.is_empty() => e.msg.clone(),
                        path => format!("{path}: {}", e.msg),
                    })
                    .collect();
                write!(f, "invalid arguments: {}", problems.join("; "))
            }
            ToolError::Failed(m) => f.write_str(m),
        }
    }
}

impl From<DomainError> for ToolError {
    fn from(err: DomainError) -> ToolError {
        match err {
            DomainError::Invalid(errors) => ToolError::InvalidArguments(errors),
            DomainError::Internal(e) => {
                tracing::error!(error = ?e, "tool failed");
                ToolError::Failed("Something went wrong on our side; please try again".into())
            }
            other => ToolError::Failed(other.to_string()),
        }
    }
}

type Runner = Arc<dyn Fn(ToolContext, Value) -> BoxFuture<'static, Result<ToolOutput, ToolError>> + Send + Sync>;
type Checker = Arc<dyn Fn(&Value) -> Result<(), ToolError> + Send + Sync>;
type Describer = Arc<dyn Fn(ToolContext, Value) -> BoxFuture<'static, Result<String, ToolError>> + Send + Sync>;

#[derive(Clone)]
pub struct Tool {
    pub name: &'static str,
    pub description: &'static str,
    /// Whether a call changes the user's data (replays of a turn must not run it twice).
    pub changes_data: bool,
    /// Whether it speaks for the user or deletes, and so needs their confirmation first.
    pub needs_confirmation: bool,
    /// JSON Schema of the arguments, generated from the input type, with no `$ref`s.
    pub parameters: Value,
    run: Runner,
    check: Checker,
    /// Whether an amount said in another currency is refused ([`Tool::amounts_in_users_currency`]).
    users_currency_only: bool,
    /// The question put to the user before a confirmed tool runs ("Delete the $42.50 fuel expense of 3 March?").
    describe: Option<Describer>,
}

impl std::fmt::Debug for Tool {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Tool").field("name", &self.name).finish()
    }
}

impl Tool {
    /// A tool from a typed input and a function into the service.
    pub fn new<I, F, Fut>(name: &'static str, description: &'static str, changes_data: bool, f: F) -> Tool
    where
        I: DeserializeOwned + ToSchema + Send + 'static,
        F: Fn(ToolContext, I) -> Fut + Send + Sync + 'static,
        Fut: Future<Output = Result<ToolOutput, DomainError>> + Send + 'static,
    {
        let f = Arc::new(f);
        Tool {
            name,
            description,
            changes_data,
            needs_confirmation: false,
            users_currency_only: false,
            describe: None,
            parameters: schema_of::<I>(),
            check: Arc::new(|args| parse_arguments::<I>(args.clone()).map(|_| ())),
            run: Arc::new(move |ctx, args| {
                let f = f.clone();
                Box::pin(async move {
                    let input = parse_arguments::<I>(args)?;
                    f(ctx, input).await.map_err(ToolError::from)
                })
            }),
        }
    }

    /// A tool whose function also takes the domain's state (cloned per call: states are handles).
    pub fn with_state<S, I, F, Fut>(
        state: S,
        name: &'static str,
        description: &'static str,
        changes_data: bool,
        f: F,
    ) -> Tool
    where
        S: Clone + Send + Sync + 'static,
        I: DeserializeOwned + ToSchema + Send + 'static,
        F: Fn(S, ToolContext, I) -> Fut + Send + Sync + 'static,
        Fut: Future<Output = Result<ToolOutput, DomainError>> + Send + 'static,
    {
        Tool::new(name, description, changes_data, move |ctx, input: I| f(state.clone(), ctx, input))
    }

    pub fn confirmed_first(mut self) -> Tool {
        self.needs_confirmation = true;
        self
    }

    /// Needs the user's yes first, asked with the sentence `describe` makes from the arguments.
    pub fn confirmed_with<S, I, F, Fut>(mut self, state: S, describe: F) -> Tool
    where
        S: Clone + Send + Sync + 'static,
        I: DeserializeOwned + Send + 'static,
        F: Fn(S, ToolContext, I) -> Fut + Send + Sync + 'static,
        Fut: Future<Output = Result<String, DomainError>> + Send + 'static,
    {
        let describe = Arc::new(describe);
        self.needs_confirmation = true;
        self.describe = Some(Arc::new(move |ctx, args| {
            let (describe, state) = (describe.clone(), state.clone());
            Box::pin(async move {
                let input = parse_arguments::<I>(args)?;
                describe(state, ctx, input).await.map_err(ToolError::from)
            })
        }));
        self
    }

    /// The question to ask before running it: the tool's own sentence, or one built from its name and
    /// arguments.
    pub async fn confirmation_question(&self, ctx: ToolContext, args: &Value) -> Result<String, ToolError> {
        match &self.describe {
            Some(describe) => describe(ctx, args.clone()).await,
            None => Ok(generic_question(self.name, args)),
        }
    }

    /// Whether the arguments parse, without running anything (a proposal must be runnable as shown).
    pub fn check(&self, args: &Value) -> Result<(), ToolError> {
        (self.check)(args)
    }

    /// Marks a tool whose amounts are money kept in the user's own currency (an expense, income): an
    /// amount said in another currency ("€30 for the ferry", which the offline brain passes on as
    /// `currency`) is refused rather than stored as 30 of the user's own, since nothing converts it.
    pub fn amounts_in_users_currency(mut self) -> Tool {
        self.users_currency_only = true;
        self
    }

    pub async fn run(&self, ctx: ToolContext, args: Value) -> Result<ToolOutput, ToolError> {
        if self.users_currency_only {
            ctx.locale.check_currency(args.get("currency").and_then(Value::as_str))?;
        }
        (self.run)(ctx, args).await
    }
}

/// "Shall I send message friend: to Jo, text "See you at Bourke"?" — for tools without a sentence of their own.
fn generic_question(name: &str, args: &Value) -> String {
    let details: Vec<String> = match args {
        Value::Object(map) => map
            .iter()
            .filter(|(k, v)| k.as_str() != "user_id" && !v.is_null())
            .map(|(k, v)| match v {
                Value::String(s) => format!("{} \"{s}\"", k.replace('_', " ")),
                other => format!("{} {other}", k.replace('_', " ")),
            })
            .collect(),
        _ => Vec::new(),
    };
    let action = name.replace('_', " ");
    if details.is_empty() { format!("Shall I {action}?") } else { format!("Shall I {action}: {}?", details.join(", ")) }
}

/// Parses a model's arguments. A `user_id` is dropped: tools act only as the authenticated user.
pub fn parse_arguments<I: DeserializeOwned>(args: Value) -> Result<I, ToolError> {
    let args = match args {
        Value::Null => Value::Object(Map::new()),
        Value::Object(mut map) => {
            map.remove("user_id");
            Value::Object(map)
        }
        other => {
            let msg = format!(
                "arguments must be a JSON object, got {}",
                other.to_string().chars().take(80).collect::<String>()
            );
            return Err(ToolError::InvalidArguments(vec![FieldError::new(&["body"], msg, "type_error")]));
        }
    };
    serde_path_to_error::deserialize::<_, I>(args).map_err(|err| {
        let path = err.path().clone();
        ToolError::InvalidArguments(vec![crate::error::field_error("body", &path, &err.into_inner().to_string())])
    })
}

/// The JSON Schema of a type with every `$ref` inlined (providers want self-contained schemas).
pub fn schema_of<T: ToSchema>() -> Value {
    let mut components = Vec::new();
    T::schemas(&mut components);
    let named: Map<String, Value> = components
        .into_iter()
        .filter_map(|(name, schema)| serde_json::to_value(schema).ok().map(|v| (name, v)))
        .collect();
    let root = serde_json::to_value(T::schema()).unwrap_or(Value::Null);
    inline_refs(root, &named, 0)
}

fn inline_refs(value: Value, named: &Map<String, Value>, depth: usize) -> Value {
    match value {
        Value::Object(map) => {
            if let Some(Value::String(r)) = map.get("$ref")
                && depth < 16
            {
                let name = r.rsplit('/').next().unwrap_or_default();
                if let Some(target) = named.get(name) {
                    return inline_refs(target.clone(), named, depth + 1);
                }
            }
            Value::Object(map.into_iter().map(|(k, v)| (k, inline_refs(v, named, depth))).collect())
        }
        Value::Array(items) => Value::Array(items.into_iter().map(|v| inline_refs(v, named, depth)).collect()),
        other => other,
    }
}
