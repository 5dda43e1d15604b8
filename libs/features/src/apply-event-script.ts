// The Lua source of the apply-event script; kept as a module so it ships inside dist/ with no file lookups.
// prettier-ignore
export const APPLY_EVENT_LUA = `
-- Applies one event's feature updates atomically, exactly once.
--
-- KEYS[1] applied mark of the event     KEYS[2] tenant popularity zset
-- KEYS[3] user recent list              KEYS[4] user meta hash
-- KEYS[3+2i] counts hash of item i      KEYS[4+2i] co-occurrence zset of item i   (i = 1..n)
-- ARGV: key prefix, dedupe ttl (s), event time (ms), event type, recent max, co-occurrence window,
--       co-occurrence cap, item ids...
--
-- The co-occurrence zsets of the user's earlier items are found only here, by reading the recent list, so
-- their names are built from the prefix. They share the tenant's hash tag, hence the slot of KEYS, which
-- keeps the script valid on Redis Cluster.
--
-- Returns 1 when applied, 0 when the event had been applied before (nothing changed).
if not redis.call('SET', KEYS[1], '1', 'NX', 'EX', tonumber(ARGV[2])) then
  return 0
end

local prefix = ARGV[1]
local event_time = tonumber(ARGV[3])
local event_type = ARGV[4]
local recent_max = tonumber(ARGV[5])
local cooc_window = tonumber(ARGV[6])
local cooc_cap = tonumber(ARGV[7])
local first_item = 8

-- Keeps the cooc_cap strongest pairs so a zset's memory stays bounded.
local function cap(key)
  local size = redis.call('ZCARD', key)
  if size > cooc_cap then
    redis.call('ZREMRANGEBYRANK', key, 0, size - cooc_cap - 1)
  end
end

local function raise_time(key, field)
  local last = tonumber(redis.call('HGET', key, field) or '0')
  if event_time > last then
    redis.call('HSET', key, field, event_time)
  end
end

local recent_key = KEYS[3]
local partners = redis.call('LRANGE', recent_key, 0, cooc_window - 1)

for i = 1, #ARGV - first_item + 1 do
  local item = ARGV[first_item + i - 1]
  local counts_key = KEYS[3 + 2 * i]
  local cooc_key = KEYS[4 + 2 * i]
  redis.call('ZINCRBY', KEYS[2], 1, item)
  redis.call('HINCRBY', counts_key, event_type, 1)
  raise_time(counts_key, '@t')
  -- A pair counts once per user: only when the item is new to the user's recent history.
  if redis.call('LREM', recent_key, 0, item) == 0 then
    for _, partner in ipairs(partners) do
      if partner ~= item then
        redis.call('ZINCRBY', cooc_key, 1, partner)
        local partner_key = prefix .. 'item:' .. partner .. ':cooc'
        redis.call('ZINCRBY', partner_key, 1, item)
        cap(partner_key)
      end
    end
    cap(cooc_key)
    -- Later items of the same event (a basket) co-occur with this one.
    table.insert(partners, 1, item)
  end
  redis.call('LPUSH', recent_key, item)
end

redis.call('LTRIM', recent_key, 0, recent_max - 1)
raise_time(KEYS[4], 'last_event_ms')
return 1
`;
