//! Streaming: the events a streamed model call produces, and the deadlines that guard it.

use std::time::Duration;

use futures::stream::BoxStream;
use serde_json::Value;

use crate::provider::ModelResponse;
use crate::usage::Usage;

#[derive(Clone, Debug, PartialEq)]
pub enum StreamEvent {
    TextDelta(String),
    ToolCallStarted {
        id: String,
        name: String,
    },
    ToolCallFinished {
        id: String,
        name: String,
        input: Value,
    },
    Usage(Usage),
    /// The assembled response; always the last event of a successful stream.
    Done(ModelResponse),
    /// The stream failed after it had started; `retryable` tells the client it may ask again.
    Error {
        message: String,
        retryable: bool,
    },
}

pub type EventStream<'a> = BoxStream<'a, StreamEvent>;

/// Deadlines of one streamed call.
#[derive(Clone, Copy, Debug)]
pub struct Deadlines {
    /// From sending the request to the first event.
    pub first_token: Duration,
    /// Between two events once streaming.
    pub idle: Duration,
}

impl Default for Deadlines {
    fn default() -> Self {
        Deadlines { first_token: Duration::from_secs(15), idle: Duration::from_secs(10) }
    }
}
