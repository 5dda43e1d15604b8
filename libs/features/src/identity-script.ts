// The Lua of the identity graph; kept as a module so it ships inside dist/ with no file lookups.
// prettier-ignore
export const IDENTIFY_LUA = `
-- Resolves an event's identifiers to one profile, linking and merging profiles in the graph as the event says
-- they are one person, in one atomic step (identity.ts has the rules; the merged profiles' features move after,
-- profile-merge.ts). KEYS[1]: the identity key of the event's best identifier (its slot is the tenant's; the
-- other keys are named from ARGV[1] in the same slot). ARGV: key prefix ("fs:v2:{t}:"), event id, event time
-- (ms), limits per kind (JSON), n, then the n identifiers, best first, then their n tombstone keys (named by
-- subject token: a tombstone holds no identifier).
-- Returns { 'ok', profile, refused links, profiles merged away by this event (now or when first delivered)... }
-- | { 'erased' }.
local P, event_id, at = ARGV[1], ARGV[2], tonumber(ARGV[3])
local limits = cjson.decode(ARGV[4])
local n = tonumber(ARGV[5])
local ids, tombs = {}, {}
for i = 1, n do
  ids[i] = ARGV[5 + i]
  tombs[i] = ARGV[5 + n + i]
end

local RANK = { user = 0, msisdn = 1, email = 2, device = 3, anon = 4 }
local function kind(x)
  local k = string.match(x, '^(%a+):')
  if k and RANK[k] and k ~= 'user' then return k end
  return 'user'
end
local function better(a, b)
  local ra, rb = RANK[kind(a)], RANK[kind(b)]
  if ra ~= rb then return ra < rb end
  return a < b
end

for _, tomb in ipairs(tombs) do
  if at <= tonumber(redis.call('GET', tomb) or '-1') then return { 'erased' } end
end

-- An identifier with no mapping is its own profile (most are: one key saved per subscriber).
local function profile_of(x) return redis.call('GET', P .. 'id:' .. x) or x end
local function members(p)
  local m = redis.call('SMEMBERS', P .. 'p:' .. p)
  if #m == 0 then return { p } end
  return m
end

-- The group: the best identifier's profile, then each other identifier's profile that fits the limits.
local base = profile_of(ids[1])
local in_group, order, all, count, refused = { [base] = true }, { base }, {}, {}, 0
for _, m in ipairs(members(base)) do
  all[#all + 1] = m
  count[kind(m)] = (count[kind(m)] or 0) + 1
end
for i = 2, #ids do
  local q = profile_of(ids[i])
  if not in_group[q] then
    local mq, add, fits = members(q), {}, true
    for _, m in ipairs(mq) do add[kind(m)] = (add[kind(m)] or 0) + 1 end
    for k, n in pairs(add) do
      if (count[k] or 0) + n > (limits[k] or 0) then fits = false end
    end
    if fits then
      in_group[q] = true
      order[#order + 1] = q
      for k, n in pairs(add) do count[k] = (count[k] or 0) + n end
      for _, m in ipairs(mq) do all[#all + 1] = m end
    else
      refused = refused + 1
    end
  end
end

local winner = all[1]
for _, m in ipairs(all) do
  if better(m, winner) then winner = m end
end

-- What this event merged away before (a redelivery), noted under the profile it merged into.
local noted = cjson.decode(redis.call('HGET', P .. 'mg:' .. base, event_id) or '[]')
if #order == 1 and winner == base then
  local reply = { 'ok', base, refused }
  for _, q in ipairs(noted) do reply[#reply + 1] = q end
  return reply
end
local merged = {}
for _, q in ipairs(order) do
  if q ~= winner then
    merged[#merged + 1] = q
    redis.call('DEL', P .. 'p:' .. q, P .. 'mg:' .. q)
  end
end
for _, m in ipairs(all) do
  if m == winner then redis.call('DEL', P .. 'id:' .. m) else redis.call('SET', P .. 'id:' .. m, winner) end
end
redis.call('SADD', P .. 'p:' .. winner, unpack(all))

for _, q in ipairs(merged) do noted[#noted + 1] = q end
redis.call('HSET', P .. 'mg:' .. winner, event_id, cjson.encode(noted))
redis.call('EXPIRE', P .. 'mg:' .. winner, 86400)
local reply = { 'ok', winner, refused }
for _, q in ipairs(noted) do reply[#reply + 1] = q end
return reply
`;

// prettier-ignore
export const ABSORB_LUA = `
-- Merges a profile's state, staged in the group of the profile it was merged into (profile-merge.ts), into that
-- profile's keys. KEYS[1]: the profile's merge mark (set: it was merged on, the staged keys are dropped and its
-- new profile returned), KEYS[2]: its absorbed merges (a merge already done: the staged keys are dropped), then
-- pairs of keys: a staged key and the key it merges into. ARGV[1]: this merge's name in KEYS[2], ARGV[2]: how hash
-- fields add up (JSON: { user = { field = { code, params... } }, user_category = ... }, identity.ts), then per pair:
-- its kind (u user hash, uc user×category hash, cs consent, x category index, l HyperLogLog, s item set) and a
-- parameter (an item set's size). Returns { 'merged' } | { 'done' } | { 'moved', profile }.
local function drop_staged()
  for j = 3, #KEYS, 2 do redis.call('DEL', KEYS[j]) end
end
if redis.call('EXISTS', KEYS[1]) == 1 then
  drop_staged()
  return { 'moved', redis.call('GET', KEYS[1]) }
end
if redis.call('HEXISTS', KEYS[2], ARGV[1]) == 1 then
  drop_staged()
  return { 'done' }
end
local plan = cjson.decode(ARGV[2])

local function keep_longest(src, dst)
  local a, b = redis.call('PTTL', src), redis.call('PTTL', dst)
  if b == -1 or a == -2 then return end
  if a == -1 then redis.call('PERSIST', dst) elseif a > b then redis.call('PEXPIRE', dst, a) end
end
local function decayed(value, from, to, half_life) return value * math.pow(2, -(to - from) / half_life) end
local function json(s, empty)
  local ok, v = pcall(cjson.decode, s)
  if ok and type(v) == 'table' then return v end
  return empty
end

-- How two states of one feature add up, by the feature's kind (compile.ts writes them).
local MERGE = {}
MERGE.R = function(b, a)
  if #a ~= #b then return b end
  local out = {}
  for off = 1, #a - 11, 12 do
    local ba, va = struct.unpack('<i4d', a, off)
    local bb, vb = struct.unpack('<i4d', b, off)
    if ba == bb then out[#out + 1] = struct.pack('<i4d', bb, va + vb)
    elseif ba > bb then out[#out + 1] = struct.pack('<i4d', ba, va)
    else out[#out + 1] = string.sub(b, off, off + 11) end
  end
  return table.concat(out)
end
MERGE.T = function(b, a)
  if #a ~= 16 or #b ~= 16 then return b end
  local va, ta = struct.unpack('<dd', a)
  local vb, tb = struct.unpack('<dd', b)
  return struct.pack('<dd', va + vb, math.max(ta, tb))
end
MERGE.S = function(b, a)
  if (tonumber(a) or 0) > (tonumber(b) or 0) then return a end
  return b
end
MERGE.N = function(b, a, n)
  local latest = {}
  for _, list in ipairs({ json(b, {}), json(a, {}) }) do
    for _, e in ipairs(list) do
      if not latest[e[1]] or e[2] > latest[e[1]] then latest[e[1]] = e[2] end
    end
  end
  local out = {}
  for item, ts in pairs(latest) do out[#out + 1] = { item, ts } end
  table.sort(out, function(x, y)
    if x[2] ~= y[2] then return x[2] > y[2] end
    return x[1] < y[1]
  end)
  while #out > n do out[#out] = nil end
  if #out == 0 then return b end
  return cjson.encode(out)
end
MERGE.D = function(b, a, half_life, top)
  local map = json(b, {})
  for m, x in pairs(json(a, {})) do
    local y = map[m]
    if not y then map[m] = x
    elseif x[2] >= y[2] then map[m] = { decayed(y[1], y[2], x[2], half_life) + x[1], x[2] }
    else map[m] = { y[1] + decayed(x[1], x[2], y[2], half_life), y[2] } end
  end
  local ranked, newest = {}, 0
  for _, x in pairs(map) do newest = math.max(newest, x[2]) end
  for m, x in pairs(map) do ranked[#ranked + 1] = { m, decayed(x[1], x[2], newest, half_life) } end
  if #ranked > 2 * top then
    table.sort(ranked, function(x, y)
      if x[2] ~= y[2] then return x[2] > y[2] end
      return x[1] < y[1]
    end)
    local kept = {}
    for j = 1, top do kept[ranked[j][1]] = map[ranked[j][1]] end
    map = kept
  end
  return cjson.encode(map)
end
MERGE.C = function(b, a, recent)
  local out, has = json(b, {}), {}
  for _, item in ipairs(out) do has[item] = true end
  for _, item in ipairs(json(a, {})) do
    if not has[item] then out[#out + 1] = item end
  end
  while #out > recent do out[#out] = nil end
  if #out == 0 then return b end
  return cjson.encode(out)
end

local function merge_hash(src, dst, fields)
  local pairs_ = redis.call('HGETALL', src)
  if #pairs_ == 0 then return end
  for j = 1, #pairs_, 2 do
    local name, a = pairs_[j], pairs_[j + 1]
    local b = redis.call('HGET', dst, name)
    local v = a
    local how = fields[name]
    if b then
      if how and MERGE[how[1]] then v = MERGE[how[1]](b, a, how[2], how[3]) else v = b end
    end
    redis.call('HSET', dst, name, v)
  end
  keep_longest(src, dst)
  redis.call('DEL', src)
end

-- Consent: per purpose, the later statement wins (as consent.ts applies them).
local function merge_consent(src, dst)
  local s = redis.call('HGETALL', src)
  local fields = {}
  for j = 1, #s, 2 do fields[s[j]] = s[j + 1] end
  for name, value in pairs(fields) do
    if not string.find(name, '#', 1, true) then
      local when = tonumber(fields[name .. '#at'] or '0')
      if when >= tonumber(redis.call('HGET', dst, name .. '#at') or '-1') then
        redis.call('HSET', dst, name, value, name .. '#at', fields[name .. '#at'] or '0')
        if fields[name .. '#src'] then redis.call('HSET', dst, name .. '#src', fields[name .. '#src']) end
      end
    end
  end
  redis.call('DEL', src)
end


for j = 3, #KEYS, 2 do
  local src, dst = KEYS[j], KEYS[j + 1]
  local kind, param = ARGV[3 + (j - 3)], ARGV[4 + (j - 3)]
  if kind == 'u' then merge_hash(src, dst, plan.user)
  elseif kind == 'uc' then merge_hash(src, dst, plan.user_category)
  elseif kind == 'cs' then merge_consent(src, dst)
  elseif kind == 'x' then
    redis.call('SUNIONSTORE', dst, dst, src)
    keep_longest(src, dst)
    redis.call('DEL', src)
  elseif kind == 'l' then
    redis.call('PFMERGE', dst, src)
    keep_longest(src, dst)
    redis.call('DEL', src)
  elseif kind == 's' then
    -- A union stored anew has no TTL: a set that moves as a whole keeps its own.
    if redis.call('EXISTS', dst) == 0 then
      redis.call('RENAME', src, dst)
    else
      redis.call('ZUNIONSTORE', dst, 2, dst, src, 'AGGREGATE', 'MAX')
      local size, max = redis.call('ZCARD', dst), tonumber(param)
      if size > max then redis.call('ZREMRANGEBYRANK', dst, 0, size - max - 1) end
      keep_longest(src, dst)
      redis.call('DEL', src)
    end
  end
end
redis.call('HSET', KEYS[2], ARGV[1], '1')
redis.call('EXPIRE', KEYS[2], 86400)
return { 'merged' }
`;
