//! The queue's Lua scripts, one per operation, each run as one atomic step (see the parent module for
//! the key layout and why the clock is Redis's).

use redis::Script;

/// Shared by every script. ARGV[1]: the key prefix; ARGV[2]: KEEP_FINISHED in µs; the script's own
/// arguments follow. Times stay below 2^53 µs, so Lua's doubles hold them exactly; they are written
/// with `%.0f` so a short number format never rounds them.
const PRELUDE: &str = r#"
local P = ARGV[1]
local KEEP = tonumber(ARGV[2])
local DUE = P .. 'jobs:due'
local LEASED = P .. 'jobs:leased'
local function job(id) return P .. 'job:' .. id end
local function index(status) return P .. 'jobs:status:' .. status end
local function once(key) return P .. 'jobs:once:' .. key end
local function fmt(n) return string.format('%.0f', n) end
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
local function moved(id, from, to)
  redis.call('ZREM', index(from), id)
  redis.call('ZADD', index(to), fmt(now), id)
end
-- A done or cancelled job and its dedupe key expire together; the index drops what has expired.
local function retire(id, status)
  local ms = math.floor(KEEP / 1000)
  redis.call('PEXPIRE', job(id), ms)
  local key = redis.call('HGET', job(id), 'dedupe')
  if key and key ~= '' then redis.call('PEXPIRE', once(key), ms) end
  redis.call('ZREMRANGEBYSCORE', index(status), '-inf', '(' .. fmt(now - KEEP))
end
"#;

/// ARGV[3..]: id, kind, dedupe key ('' for none), payload, run_at, max_attempts. Returns 1, or 0 when
/// the dedupe key was used already (SET NX decides, so two instances cannot both add it).
const ENQUEUE: &str = r#"
local id, dedupe, run_at = ARGV[3], ARGV[5], ARGV[7]
if dedupe ~= '' and not redis.call('SET', once(dedupe), id, 'NX') then return 0 end
redis.call('HSET', job(id), 'kind', ARGV[4], 'dedupe', dedupe, 'payload', ARGV[6], 'status', 'queued',
  'run_at', run_at, 'attempts', 0, 'max_attempts', ARGV[8], 'lease', '', 'created_at', fmt(now),
  'updated_at', fmt(now))
redis.call('ZADD', DUE, run_at, id)
redis.call('ZADD', index('queued'), fmt(now), id)
return 1
"#;

/// ARGV[3..]: limit, lease (µs), token. Takes up to `limit` jobs that are due or whose lease ended,
/// earliest run_at first, as the database does. Returns {id, kind, payload, attempts, max_attempts,
/// run_at} per job, all strings.
const CLAIM: &str = r#"
local limit, lease, token = tonumber(ARGV[3]), tonumber(ARGV[4]), ARGV[5]
local candidates = redis.call('ZRANGEBYSCORE', DUE, '-inf', fmt(now), 'LIMIT', 0, limit)
for _, id in ipairs(redis.call('ZRANGEBYSCORE', LEASED, '-inf', '(' .. fmt(now), 'LIMIT', 0, limit)) do
  candidates[#candidates + 1] = id
end
local run_at, live = {}, {}
for _, id in ipairs(candidates) do
  local at = tonumber(redis.call('HGET', job(id), 'run_at'))
  if at then
    run_at[id] = at
    live[#live + 1] = id
  else
    -- An index entry whose job is gone (deleted by hand) would otherwise come back on every claim.
    redis.call('ZREM', DUE, id)
    redis.call('ZREM', LEASED, id)
  end
end
table.sort(live, function(a, b) return run_at[a] < run_at[b] end)
local ends = fmt(now + lease)
local claimed = {}
for i = 1, math.min(limit, #live) do
  local id = live[i]
  local h = job(id)
  local from = redis.call('HGET', h, 'status')
  local attempts = redis.call('HINCRBY', h, 'attempts', 1)
  redis.call('HSET', h, 'status', 'running', 'lease', token, 'locked_until', ends, 'updated_at', fmt(now))
  redis.call('ZREM', DUE, id)
  redis.call('ZADD', LEASED, ends, id)
  moved(id, from, 'running')
  local f = redis.call('HMGET', h, 'kind', 'payload', 'max_attempts', 'run_at')
  claimed[#claimed + 1] = {id, f[1], f[2], tostring(attempts), f[3], f[4]}
end
return claimed
"#;

/// ARGV[3..]: id, token, new status (done, queued or parked), run_at, '1' when an error follows, error.
/// Returns 0, changing nothing, when the claim lost its lease.
const FINISH: &str = r#"
local id, status, run_at = ARGV[3], ARGV[5], ARGV[6]
local h = job(id)
local held = redis.call('HMGET', h, 'status', 'lease')
if held[1] ~= 'running' or held[2] ~= ARGV[4] then return 0 end
redis.call('HSET', h, 'status', status, 'run_at', run_at, 'lease', '', 'locked_until', '', 'updated_at', fmt(now))
if ARGV[7] == '1' then redis.call('HSET', h, 'last_error', ARGV[8]) end
redis.call('ZREM', LEASED, id)
moved(id, 'running', status)
if status == 'queued' then redis.call('ZADD', DUE, run_at, id) end
if status == 'done' then retire(id, 'done') end
return 1
"#;

/// ARGV[3..]: id, token. Due again at its run_at (already past), the attempt not counted.
const RELEASE: &str = r#"
local id = ARGV[3]
local h = job(id)
local held = redis.call('HMGET', h, 'status', 'lease', 'run_at')
if held[1] ~= 'running' or held[2] ~= ARGV[4] then return 0 end
redis.call('HINCRBY', h, 'attempts', -1)
redis.call('HSET', h, 'status', 'queued', 'lease', '', 'locked_until', '', 'updated_at', fmt(now))
redis.call('ZREM', LEASED, id)
redis.call('ZADD', DUE, held[3], id)
moved(id, 'running', 'queued')
return 1
"#;

/// ARGV[3]: the dedupe key. Only a queued job is cancelled; the key stays used until it expires.
const CANCEL: &str = r#"
local id = redis.call('GET', once(ARGV[3]))
if not id or redis.call('HGET', job(id), 'status') ~= 'queued' then return 0 end
redis.call('HSET', job(id), 'status', 'cancelled', 'updated_at', fmt(now))
redis.call('ZREM', DUE, id)
moved(id, 'queued', 'cancelled')
retire(id, 'cancelled')
return 1
"#;

/// ARGV[3..]: status, offset, limit. Returns {total, rows}, newest first; a row is {id, kind, payload,
/// status, attempts, max_attempts, run_at, created_at, updated_at, has_error, last_error}. (A missing
/// field would end a Lua array early, hence the flag.)
const LIST: &str = r#"
local status, offset, limit = ARGV[3], tonumber(ARGV[4]), tonumber(ARGV[5])
if status == 'done' or status == 'cancelled' then
  redis.call('ZREMRANGEBYSCORE', index(status), '-inf', '(' .. fmt(now - KEEP))
end
local rows = {}
if limit > 0 then
  for _, id in ipairs(redis.call('ZREVRANGE', index(status), offset, offset + limit - 1)) do
    local f = redis.call('HMGET', job(id), 'kind', 'payload', 'status', 'attempts', 'max_attempts', 'run_at',
      'created_at', 'updated_at', 'last_error')
    if f[1] then
      rows[#rows + 1] = {id, f[1], f[2], f[3], f[4], f[5], f[6], f[7], f[8], f[9] and '1' or '0', f[9] or ''}
    end
  end
end
return {redis.call('ZCARD', index(status)), rows}
"#;

pub(super) struct Scripts {
    pub(super) enqueue: Script,
    pub(super) claim: Script,
    pub(super) finish: Script,
    pub(super) release: Script,
    pub(super) cancel: Script,
    pub(super) list: Script,
}

impl Scripts {
    pub(super) fn new() -> Scripts {
        let script = |body: &str| Script::new(&format!("{PRELUDE}{body}"));
        Scripts {
            enqueue: script(ENQUEUE),
            claim: script(CLAIM),
            finish: script(FINISH),
            release: script(RELEASE),
            cancel: script(CANCEL),
            list: script(LIST),
        }
    }
}
