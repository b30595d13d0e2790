//! GCRA in Redis: the same rule as [`LocalRateLimiter`], run as one Lua script so reading the key's
//! theoretical arrival time, deciding and writing it back are one atomic step and one round trip
//! (EVALSHA; the script is loaded again by itself if Redis restarted and forgot it). The clock is
//! Redis's own (`TIME`), so instances whose clocks disagree still count against one budget.

use std::time::Duration;

use futures::future::BoxFuture;
use redis::Script;

use super::Redis;
use crate::rate_limit::{Decision, LocalRateLimiter, Quota, RateLimiter};

/// KEYS[1]: the key's theoretical arrival time, in microseconds of Redis's clock.
/// ARGV[1]: the emission interval (period / limit) and ARGV[2] the period, both in microseconds;
/// ARGV[3]: `1` to take a unit, `0` to only look.
/// Returns {allowed (1/0), remaining, retry_after µs, reset µs}, the fields of a `Decision`.
///
/// Times stay below 2^53 µs, so Lua's doubles hold them exactly; the stored value is written with
/// `%.0f` so it is never rounded by a short number format. The key expires when its arrival time
/// has passed (from then on it means "nothing used"), so idle keys do not stay in Redis.
const GCRA: &str = r#"
local interval = tonumber(ARGV[1])
local period = tonumber(ARGV[2])
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
local tat = tonumber(redis.call('GET', KEYS[1]))
if tat == nil or tat < now then
  tat = now
end
local ahead = tat + interval - now
if ahead > period then
  return {0, 0, ahead - period, tat - now}
end
local used = tat - now
if ARGV[3] == '1' then
  redis.call('SET', KEYS[1], string.format('%.0f', tat + interval), 'PX', math.ceil(ahead / 1000))
  used = ahead
end
return {1, math.floor((period - used) / interval), 0, used}
"#;

/// Rate limits shared by every instance on one Redis; the in-process limiter answers while Redis
/// does not (fail open: limits still apply, per instance).
pub struct RedisRateLimiter {
    redis: Redis,
    script: Script,
    local: LocalRateLimiter,
}

impl RedisRateLimiter {
    pub fn new(redis: Redis) -> RedisRateLimiter {
        RedisRateLimiter { redis, script: Script::new(GCRA), local: LocalRateLimiter::default() }
    }

    async fn decide(&self, key: &str, quota: Quota, consume: bool) -> Decision {
        let interval = micros(quota.interval()).max(1);
        let period = micros(quota.period);
        let mut conn = self.redis.connection();
        let mut invocation = self.script.key(self.redis.key(&format!("rl:{key}")));
        invocation.arg(interval).arg(period).arg(if consume { "1" } else { "0" });
        // A reply of the wrong shape is a parse error, so it falls back like any failure.
        let call = async move { invocation.invoke_async::<(i64, i64, i64, i64)>(&mut conn).await };
        match self.redis.attempt("rate_limit", call).await {
            Some(reply) => decision(quota, reply),
            None if consume => self.local.check_now(key, quota),
            None => self.local.peek_now(key, quota),
        }
    }
}

impl RateLimiter for RedisRateLimiter {
    fn check<'a>(&'a self, key: &'a str, quota: Quota) -> BoxFuture<'a, Decision> {
        Box::pin(self.decide(key, quota, true))
    }

    fn peek<'a>(&'a self, key: &'a str, quota: Quota) -> BoxFuture<'a, Decision> {
        Box::pin(self.decide(key, quota, false))
    }
}

fn micros(d: Duration) -> u64 {
    u64::try_from(d.as_micros()).unwrap_or(u64::MAX)
}

/// The script's reply as a decision, clamped so a surprising number cannot overflow or claim more
/// than the quota.
fn decision(quota: Quota, (allowed, remaining, retry_after, reset): (i64, i64, i64, i64)) -> Decision {
    let duration = |us: i64| Duration::from_micros(u64::try_from(us).unwrap_or(0));
    Decision {
        allowed: allowed == 1,
        limit: quota.limit,
        remaining: u32::try_from(remaining).unwrap_or(0).min(quota.limit),
        retry_after: duration(retry_after),
        reset: duration(reset),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replies_are_clamped_to_the_quota() {
        let quota = Quota::per_minute(5);
        let d = decision(quota, (1, 99, -4, 12_000_000));
        assert!(d.allowed);
        assert_eq!(d.remaining, 5);
        assert_eq!(d.retry_after, Duration::ZERO);
        assert_eq!(d.reset, Duration::from_secs(12));
        let refused = decision(quota, (0, -1, 1_500_000, 60_000_000));
        assert!(!refused.allowed);
        assert_eq!(refused.remaining, 0);
        assert_eq!(refused.retry_after, Duration::from_millis(1500));
    }
}
