//! Reminders that find the user rather than wait to be asked: budget alerts (hourly sweep; most are
//! pushed the moment the expense is recorded) and maintenance coming due (daily: overdue, or due within
//! 7 days), each as a `proactive_alert` through the push outbox — keyed so each is said once a day at
//! most, however many workers run the job.

use chrono::Utc;
use pam_kernel::DomainError;
use pam_platform::jobs::JobOutcome;
use pam_platform::outbox::{self, NewPush};
use pam_platform::push_frames::{
    AlertAction, AlertContent, AlertContentKind, AlertPriority, ProactiveAlert, PushFrame,
};
use pam_store::with_db;
use uuid::Uuid;

use super::outcome;
use crate::state::AppState;

/// Maintenance this close to due is worth a reminder.
const REMIND_WITHIN_DAYS: i64 = 7;

pub async fn budget_alerts(state: &AppState) -> JobOutcome {
    outcome(pam_wins::alerts::sweep(&state.domains.wins).await)
}

pub async fn maintenance(state: &AppState) -> JobOutcome {
    outcome(maintenance_reminders(state).await)
}

async fn maintenance_reminders(state: &AppState) -> Result<usize, DomainError> {
    let users: Vec<Uuid> = with_db!(&state.db, |pool| {
        sqlx::query_scalar(
            "SELECT DISTINCT user_id FROM maintenance_records WHERE next_due_date IS NOT NULL OR next_due_km IS NOT NULL",
        )
        .fetch_all(pool)
        .await
    })?;
    let mut scheduled = 0;
    for user_id in users {
        let schedule = match pam_wheels::maintenance::schedule(&state.domains.wheels, user_id).await {
            Ok(s) => s,
            Err(e) => {
                tracing::warn!(%user_id, error = %e, "maintenance schedule unavailable for a reminder");
                continue;
            }
        };
        let soon = schedule.upcoming.iter().filter(|i| i.days_until_due.is_none_or(|d| d <= REMIND_WITHIN_DAYS));
        for (item, overdue) in schedule.overdue.iter().map(|i| (i, true)).chain(soon.map(|i| (i, false))) {
            let task = &item.record.task;
            let message = match (overdue, item.days_until_due) {
                (true, _) => format!("{task} is overdue."),
                (false, Some(0)) => format!("{task} is due today."),
                (false, Some(d)) => format!("{task} is due in {d} day{}.", if d == 1 { "" } else { "s" }),
                (false, None) => format!("{task} is due soon by the odometer."),
            };
            let frame = PushFrame::ProactiveAlert(ProactiveAlert {
                id: Uuid::now_v7(),
                timestamp: Utc::now(),
                content: AlertContent {
                    kind: AlertContentKind::ProactiveSuggestion,
                    category: "maintenance".into(),
                    message,
                    priority: if overdue { AlertPriority::High } else { AlertPriority::Medium },
                    alert_type: if overdue { "maintenance_overdue" } else { "maintenance_due" }.into(),
                    actions: vec![
                        AlertAction {
                            label: "Show maintenance".into(),
                            action: "open_maintenance".into(),
                            message: None,
                        },
                        AlertAction {
                            label: "Log it as done".into(),
                            action: "ask_pam".into(),
                            message: Some(format!("I've done the {task}")),
                        },
                    ],
                },
            });
            let push = NewPush {
                user_id,
                kind: "alert",
                frame,
                due_at: Utc::now(),
                valid_for: chrono::Duration::days(1),
                // Once a day per record, whichever worker gets there first.
                dedupe_key: format!("maintenance:{}:{}", item.record.id, schedule.today),
            };
            if outbox::schedule(&state.db, push).await? {
                scheduled += 1;
            }
        }
    }
    Ok(scheduled)
}
