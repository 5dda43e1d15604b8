// The Lua of the apply script; kept as a module so it ships inside dist/ with no file lookups.
// prettier-ignore
export const APPLY_LUA = `#!lua flags=allow-cross-slot-keys
-- Applies one event to groups of one build of a tenant's features (keys.ts), all served by this Redis: in each
-- group, every update the event makes to its keys and the watermark that says it was applied, in one atomic step.
-- KEYS are the first group's keys (a script's declared keys must share a slot; the other groups' are reached through
-- the allow-cross-slot-keys flag). ARGV[1] is the event's partition, or '' for a caller outside the stream (nothing
-- checked), ARGV[2] its stream sequence, ARGV[3] its time (ms) if the first group is the profile's it was resolved
-- to, else '', ARGV[4] the number of groups; then per group its operations as one MessagePack array (msgpack.ts),
-- the watermark the caller expects ('' unknown: the last event it applied to the group from the partition), and,
-- but for the first, the number of its keys and its keys.
-- In a group, the first key is its watermarks (partition -> stream sequence of the last event applied from it) and
-- the others are what the operations name (by index). With a time, the first group's second key says whether the
-- profile was merged into another (resolve again: 2) and its third when it was erased (an event from before: 3),
-- checked in the same step that would have written; then no group is written.
--
-- A partition's events reach a build in order (partition-worker.ts; a rebuild's catch-up is the same partition
-- read from its start), so one number per group and partition says which were applied: those at or below it.
-- Each operation is an opcode and its arguments (see compile.ts):
--   R ring bucket   key field bucket buckets value          T total    key field value event-ms
--   S last seen     key field event-ms                      N last n   key field item event-ms n
--   Q item set      key item event-ms max (a zset: item -> time of its latest event, the newest max kept)
--   H distinct      key element                             D decayed  key field member value event-s half-life-s top
--   Z top items     key landmarks-key landmark-field member value event-s half-life-s top
--   C co-occurrence user-key pending-key field recent feature directed top ttl pair-prefix count items...: the
--                   pairs of items new to the user's recent items, each counted in its item's zset (keys.ts, pair
--                   groups: pair-prefix, the item's group, '}:co:', feature, ':', item) here if this Redis serves
--                   its slot, else returned for the writer to count (K) on the primary that does
--   K pair count    key member top ttl                      E expire   key ttl
--   I item catalog  item-key event-ms n [field value]... (item-catalog.ts; the last update by event time wins)
--   Y ranked member key member score max (max 0: no cap)
--   P profile field key field value event-ms: last writer by event time wins, per field (consent.ts)
--   A add to set    key member (the categories a user has user×category features in, for merges)
-- Returns { outcome, pairs... }: outcome 1 applied, 0 applied before (nothing changed), 2 / 3 above, or 4 and the
-- watermark when it is below the expected one; pairs (feature, item, member triples: count the member in the item's
-- zset) that C operations left to the writer, also for an event applied before whose pairs may not have been counted
-- yet (the group keeps its partitions' last ones).

local ARITY = { R = 6, T = 5, S = 4, N = 6, Q = 5, H = 3, D = 8, Z = 9, E = 3, P = 5, A = 3, K = 5, Y = 5 }

local function decode(s, empty)
  if not s then return empty end
  local ok, value = pcall(cjson.decode, s)
  if ok and type(value) == 'table' then return value end
  return empty
end

local function decayed(value, from, to, half_life)
  return value * math.pow(2, -(to - from) / half_life)
end

-- keys.ts entityGroup: FNV-1a (32 bits) of the id's bytes, mod 16,384. Exact in doubles: the product is split
-- (16777619 = 2^24 + 403) so that nothing passes 2^53.
local function group_of(id)
  local h = 2166136261
  for c = 1, #id do
    local low = h % 256
    h = h - low + bit.bxor(low, string.byte(id, c))
    h = (h * 403 + (h % 256) * 16777216) % 4294967296
  end
  return h % 16384
end

local function cap(key, top, ttl)
  local size = redis.call('ZCARD', key)
  if size > top then redis.call('ZREMRANGEBYRANK', key, 0, size - top - 1) end
  redis.call('EXPIRE', key, ttl)
end

local function apply(KEYS, ARGV)
  local A = cmsgpack.unpack(ARGV[3])

  -- Check every operation before writing anything: Redis does not roll back a script that fails halfway.
  local i = 1
  local pending = nil
  while i <= #A do
    local op = A[i]
    if op == 'C' then
      pending = KEYS[tonumber(A[i + 2])]
      i = i + 11 + tonumber(A[i + 10])
    elseif op == 'I' then
      i = i + 4 + 2 * tonumber(A[i + 3])
    elseif ARITY[op] then
      i = i + ARITY[op]
    else
      return redis.error_reply('unknown operation ' .. tostring(op))
    end
  end
  if i ~= #A + 1 then return redis.error_reply('malformed operations') end

  if ARGV[4] ~= '' then
    if redis.call('EXISTS', KEYS[2]) == 1 then return { 2 } end
    if tonumber(ARGV[4]) <= tonumber(redis.call('GET', KEYS[3]) or '-1') then return { 3 } end
  end

  if ARGV[1] ~= '' then
    local watermark = tonumber(redis.call('HGET', KEYS[1], ARGV[1])) or 0
    -- Below what this reader applied here itself: Redis lost writes (a primary failed over before its replica had
    -- them). Nothing is written; the reader reads the partition again from the watermark.
    if ARGV[5] ~= '' and watermark < tonumber(ARGV[5]) then return { 4, watermark } end
    if tonumber(ARGV[2]) <= watermark then
      local reply = { 0 }
      local last = pending and redis.call('HGET', pending, ARGV[1])
      if last and string.sub(last, 1, #ARGV[2] + 1) == ARGV[2] .. '|' then
        for _, x in ipairs(cjson.decode(string.sub(last, #ARGV[2] + 2))) do reply[#reply + 1] = x end
      end
      return reply
    end
    redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
  end

  local pairs_out = {}
  i = 1
  while i <= #A do
    local op = A[i]
    local arity = ARITY[op]
    if op == 'C' then arity = 11 + tonumber(A[i + 10]) elseif op == 'I' then arity = 4 + 2 * tonumber(A[i + 3]) end
    if op == 'R' then
      local k, f = KEYS[tonumber(A[i + 1])], A[i + 2]
      local bucket, slots, value = tonumber(A[i + 3]), tonumber(A[i + 4]), tonumber(A[i + 5])
      local s = redis.call('HGET', k, f)
      if not s or #s ~= slots * 12 then s = string.rep(string.char(0), slots * 12) end
      local offset = (bucket % slots) * 12
      local held, v = struct.unpack('<i4d', s, offset + 1)
      -- A slot holding a later bucket means this event is older than the window: it no longer counts.
      if held <= bucket then
        if held < bucket then v = 0 end
        redis.call('HSET', k, f, string.sub(s, 1, offset) .. struct.pack('<i4d', bucket, v + value) .. string.sub(s, offset + 13))
      end
    elseif op == 'T' then
      local k, f, value, ts = KEYS[tonumber(A[i + 1])], A[i + 2], tonumber(A[i + 3]), tonumber(A[i + 4])
      local s = redis.call('HGET', k, f)
      local v, t = 0, 0
      if s and #s == 16 then v, t = struct.unpack('<dd', s) end
      redis.call('HSET', k, f, struct.pack('<dd', v + value, math.max(t, ts)))
    elseif op == 'S' then
      local k, f = KEYS[tonumber(A[i + 1])], A[i + 2]
      if tonumber(A[i + 3]) > (tonumber(redis.call('HGET', k, f)) or 0) then redis.call('HSET', k, f, A[i + 3]) end
    elseif op == 'N' then
      -- Distinct items, newest event first, each with the time of its latest event.
      local k, f, item, ts, keep = KEYS[tonumber(A[i + 1])], A[i + 2], A[i + 3], tonumber(A[i + 4]), tonumber(A[i + 5])
      local list = decode(redis.call('HGET', k, f), {})
      local newer = false
      for _, entry in ipairs(list) do
        if entry[1] == item and entry[2] >= ts then newer = true end
      end
      if not newer then
        -- Among equal times the later arrival goes first.
        local out, placed = {}, false
        for _, entry in ipairs(list) do
          if not placed and entry[2] <= ts then
            out[#out + 1] = { item, ts }
            placed = true
          end
          if entry[1] ~= item then out[#out + 1] = entry end
        end
        if not placed then out[#out + 1] = { item, ts } end
        while #out > keep do out[#out] = nil end
        redis.call('HSET', k, f, cjson.encode(out))
      end
    elseif op == 'Q' then
      -- GT: a late event never moves an item back in time (Redis 6.2+). ZADD answers 1 only for a new item:
      -- only then can the set have outgrown its size.
      local k, keep = KEYS[tonumber(A[i + 1])], tonumber(A[i + 4])
      if redis.call('ZADD', k, 'GT', A[i + 3], A[i + 2]) == 1 and redis.call('ZCARD', k) > keep then
        redis.call('ZREMRANGEBYRANK', k, 0, -keep - 1)
      end
    elseif op == 'H' then
      redis.call('PFADD', KEYS[tonumber(A[i + 1])], A[i + 2])
    elseif op == 'A' then
      redis.call('SADD', KEYS[tonumber(A[i + 1])], A[i + 2])
    elseif op == 'D' then
      local k, f, member = KEYS[tonumber(A[i + 1])], A[i + 2], A[i + 3]
      local value, ts, half_life, top = tonumber(A[i + 4]), tonumber(A[i + 5]), tonumber(A[i + 6]), tonumber(A[i + 7])
      local map = decode(redis.call('HGET', k, f), {})
      local entry = map[member]
      if not entry then
        map[member] = { value, ts }
      elseif ts >= entry[2] then
        map[member] = { decayed(entry[1], entry[2], ts, half_life) + value, ts }
      else
        map[member] = { entry[1] + decayed(value, ts, entry[2], half_life), entry[2] }
      end
      -- Bounded: past 2 × top members, keep the top by value as of the newest update.
      local count, newest = 0, 0
      for _, x in pairs(map) do
        count = count + 1
        if x[2] > newest then newest = x[2] end
      end
      if count > 2 * top then
        local ranked = {}
        for m, x in pairs(map) do ranked[#ranked + 1] = { m, decayed(x[1], x[2], newest, half_life) } end
        table.sort(ranked, function(a, b) return a[2] > b[2] end)
        local kept = {}
        for j = 1, top do kept[ranked[j][1]] = map[ranked[j][1]] end
        map = kept
      end
      redis.call('HSET', k, f, cjson.encode(map))
    elseif op == 'Z' then
      local k, lk, lf, member = KEYS[tonumber(A[i + 1])], KEYS[tonumber(A[i + 2])], A[i + 3], A[i + 4]
      local value, ts, half_life, top = tonumber(A[i + 5]), tonumber(A[i + 6]), tonumber(A[i + 7]), tonumber(A[i + 8])
      local weight = A[i + 5] -- as given (a string), unless decayed below
      if half_life > 0 then
        -- Forward decay: scores are value x 2^((t - landmark) / half-life), ordered as decayed values.
        local landmark = tonumber(redis.call('HGET', lk, lf))
        if not landmark then
          landmark = ts
          redis.call('HSET', lk, lf, A[i + 6])
        end
        local exponent = (ts - landmark) / half_life
        if exponent > 512 then
          -- Move the landmark before scores overflow a double.
          local all = redis.call('ZRANGE', k, 0, -1, 'WITHSCORES')
          for j = 1, #all, 2 do redis.call('ZADD', k, tonumber(all[j + 1]) * math.pow(2, -exponent), all[j]) end
          redis.call('HSET', lk, lf, A[i + 6])
          exponent = 0
        end
        weight = value * math.pow(2, exponent)
      end
      redis.call('ZINCRBY', k, weight, member)
      local size = redis.call('ZCARD', k)
      if size > top then redis.call('ZREMRANGEBYRANK', k, 0, size - top - 1) end
    elseif op == 'C' then
      -- Items used by the same user within their recent history: a pair counts once per user, when the item is new
      -- to that history. Undirected, each item counts the other; directed, only "the partner was followed by the
      -- item" (what was watched next).
      local uk, f = KEYS[tonumber(A[i + 1])], A[i + 3]
      local recent, feature, directed = tonumber(A[i + 4]), A[i + 5], tonumber(A[i + 6]) == 1
      local top, ttl, pair_prefix, count = tonumber(A[i + 7]), A[i + 8], A[i + 9], tonumber(A[i + 10])
      local function count_in(owner, member)
        local key = pair_prefix .. group_of(owner) .. '}:co:' .. feature .. ':' .. owner
        -- Another primary's slot (a cluster): the writer counts it there.
        local counted = redis.pcall('ZINCRBY', key, '1', member)
        if type(counted) == 'table' and counted.err then
          pairs_out[#pairs_out + 1] = feature
          pairs_out[#pairs_out + 1] = owner
          pairs_out[#pairs_out + 1] = member
        else
          cap(key, top, ttl)
        end
      end
      local partners = decode(redis.call('HGET', uk, f), {})
      for j = 1, count do
        local item = A[i + 10 + j]
        local at = nil
        for p = 1, #partners do
          if partners[p] == item then at = p end
        end
        if at then
          table.remove(partners, at)
        else
          for _, partner in ipairs(partners) do
            count_in(partner, item)
            if not directed then count_in(item, partner) end
          end
        end
        table.insert(partners, 1, item)
        while #partners > recent do partners[#partners] = nil end
      end
      redis.call('HSET', uk, f, cjson.encode(partners))
    elseif op == 'K' then
      local k = KEYS[tonumber(A[i + 1])]
      redis.call('ZINCRBY', k, '1', A[i + 2])
      cap(k, tonumber(A[i + 3]), A[i + 4])
    elseif op == 'Y' then
      local k, max = KEYS[tonumber(A[i + 1])], tonumber(A[i + 4])
      redis.call('ZADD', k, A[i + 3], A[i + 2])
      if max > 0 then
        local size = redis.call('ZCARD', k)
        if size > max then redis.call('ZREMRANGEBYRANK', k, 0, size - max - 1) end
      end
    elseif op == 'I' then
      -- Catalog state, not a feature: no TTL. Last writer (by event time) wins, the whole update at once.
      local k, at, n = KEYS[tonumber(A[i + 1])], tonumber(A[i + 2]), tonumber(A[i + 3])
      if at >= (tonumber(redis.call('HGET', k, '_at')) or 0) then
        local fields = { '_at', A[i + 2] }
        for j = 1, 2 * n do fields[#fields + 1] = A[i + 3 + j] end
        redis.call('HSET', k, unpack(fields))
      end
    elseif op == 'P' then
      local k, f, at = KEYS[tonumber(A[i + 1])], A[i + 2], tonumber(A[i + 4])
      if at >= (tonumber(redis.call('HGET', k, f .. '#at')) or 0) then
        redis.call('HSET', k, f, A[i + 3], f .. '#at', A[i + 4])
      end
    elseif op == 'E' then
      -- A key's TTL is the longest of the features it holds (compile.ts), so it is simply renewed.
      redis.call('EXPIRE', KEYS[tonumber(A[i + 1])], A[i + 2])
    end
    i = i + arity
  end
  if pending and ARGV[1] ~= '' and #pairs_out > 0 then
    redis.call('HSET', pending, ARGV[1], ARGV[2] .. '|' .. cjson.encode(pairs_out))
  end
  local reply = { 1 }
  for _, x in ipairs(pairs_out) do reply[#reply + 1] = x end
  return reply
end

local replies, a = {}, 5
for g = 1, tonumber(ARGV[4]) do
  local ops, expected, keys, fence = ARGV[a], ARGV[a + 1], KEYS, ''
  a = a + 2
  if g == 1 then
    fence = ARGV[3]
  else
    local n = tonumber(ARGV[a])
    keys = {}
    for j = 1, n do keys[j] = ARGV[a + j] end
    a = a + n + 1
  end
  replies[g] = apply(keys, { ARGV[1], ARGV[2], ops, fence, expected })
  if g == 1 and (replies[1][1] == 2 or replies[1][1] == 3) then return replies end
end
return replies
`;
