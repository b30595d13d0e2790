//! Alarms to be woken by, told from alarms that are things ("smoke alarm", "car alarm", "alarm system").

use crate::text::Token;

/// "alarm" at `k` is one to be woken by, not a thing bought or fitted ("smoke alarm", "car alarm",
/// "alarm system").
pub(crate) fn alarm_to_wake(tokens: &[Token], k: usize) -> bool {
    tokens[k].is_any(&["alarm", "alarms"])
        && !(k > 0 && tokens[k - 1].is_any(ALARM_THINGS))
        && !tokens
            .get(k + 1)
            .is_some_and(|n| n.is_any(&["system", "systems", "clock", "panel", "battery", "batteries"]))
}

/// What an alarm bought or fitted is named after.
const ALARM_THINGS: &[&str] =
    &["smoke", "car", "fire", "security", "burglar", "door", "fridge", "gas", "co", "reversing"];

/// An alarm named only as a thing ("need a smoke alarm battery, 12 bucks at Bunnings"), with no alarm to
/// be woken by and no word of a timer.
pub fn only_alarm_things(tokens: &[Token]) -> bool {
    let alarm_thing = (0..tokens.len()).any(|k| tokens[k].is_any(&["alarm", "alarms"]) && !alarm_to_wake(tokens, k));
    alarm_thing
        && !(0..tokens.len()).any(|k| alarm_to_wake(tokens, k))
        && !tokens.iter().any(|t| t.is_any(&["timer", "timers", "wake", "remind", "reminder", "countdown"]))
}
