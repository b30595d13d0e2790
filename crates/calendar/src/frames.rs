//! The `timer_expired` frame (SPEC §5.2) a timer, an alarm or an event reminder is pushed as, in the
//! front end's exact shape. It is built when the push is scheduled: the outbox stores it as is.

use chrono::{DateTime, SubsecRound, Utc};
use pam_platform::push_frames::{Notification, NotificationAction, PushFrame, TimerExpired};
use uuid::Uuid;

/// What rang: a timer, an alarm, or a calendar event's reminder.
pub use pam_platform::push_frames::TimerKind as TimerType;

/// The words of a push: the short label, the notification's title, and the sentence shown.
pub struct Words {
    pub label: String,
    pub title: String,
    pub message: String,
}

/// `{type, timer_id, label, timer_type, message, timestamp, action, notification{title, body,
/// requireInteraction, tag}}`; `timestamp` is when it is due; `tag` lets the browser replace a repeat of
/// the same notification instead of stacking it.
pub fn timer_expired(timer_id: Uuid, kind: TimerType, words: &Words, due_at: DateTime<Utc>, tag: &str) -> PushFrame {
    PushFrame::TimerExpired(TimerExpired {
        timer_id,
        label: words.label.clone(),
        timer_type: kind,
        message: words.message.clone(),
        // Whole seconds, as the front end shows it.
        timestamp: due_at.trunc_subsecs(0),
        action: NotificationAction::ShowNotification,
        notification: Notification {
            title: words.title.clone(),
            body: words.message.clone(),
            require_interaction: true,
            tag: tag.to_string(),
        },
    })
}

/// "10 minutes", "1 hour 30 minutes", "2 days": a span as a person says it.
pub fn span_words(total_seconds: i64) -> String {
    let plural = |n: i64, unit: &str| if n == 1 { format!("1 {unit}") } else { format!("{n} {unit}s") };
    let (days, rest) = (total_seconds / 86_400, total_seconds % 86_400);
    let (hours, rest) = (rest / 3600, rest % 3600);
    let (minutes, seconds) = (rest / 60, rest % 60);
    let parts: Vec<String> = [(days, "day"), (hours, "hour"), (minutes, "minute"), (seconds, "second")]
        .into_iter()
        .filter(|(n, _)| *n > 0)
        .map(|(n, unit)| plural(n, unit))
        .collect();
    if parts.is_empty() { "0 seconds".into() } else { parts.join(" ") }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_frame_has_the_front_ends_shape() {
        let id = Uuid::nil();
        let words = Words { label: "Pasta".into(), title: "Timer done".into(), message: "Pasta is done".into() };
        let due: DateTime<Utc> = "2026-12-01T10:00:00.734Z".parse().unwrap();
        let frame = timer_expired(id, TimerType::Timer, &words, due, "timer-x").to_value();
        assert_eq!(frame["type"], "timer_expired");
        assert_eq!(frame["timer_type"], "timer");
        assert_eq!(frame["timestamp"], "2026-12-01T10:00:00Z");
        assert_eq!(frame["action"], "show_notification");
        assert_eq!(frame["notification"]["requireInteraction"], true);
        assert_eq!(frame["notification"]["body"], "Pasta is done");
        assert_eq!(frame["notification"]["tag"], "timer-x");
    }

    #[test]
    fn spans_read_as_spoken() {
        assert_eq!(span_words(600), "10 minutes");
        assert_eq!(span_words(5400), "1 hour 30 minutes");
        assert_eq!(span_words(45), "45 seconds");
        assert_eq!(span_words(2 * 86_400), "2 days");
    }
}
