namespace Coldmod.Server.Internal.Store;

// The Redis store's server-side scripts. Each runs atomically in Redis, so several server instances on one Redis see
// one order of changes. Every key a script touches is one app's, under the app's hash tag (KEYS[1] is the app's
// prefix key, "coldmod:{app}:meta"); the per-version key sets are named from the prefix, in the same slot, so the
// scripts also run on Redis Cluster. The version semantics are VersionRules', as WriterSession implements them.
internal static class RedisScripts
{
    // Shared helpers; P is the key prefix "coldmod:{app}:".
    private const string Common = """
        local P = ARGV[1]
        local META, SRCS, HEAT, EST, VAR, FIRST, LAST, TRACKED = P..'meta', P..'srcs', P..'heat', P..'est', P..'var', P..'first', P..'last', P..'tracked'
        local SEQ, SEQAT, VERS, VLABEL, VFIRST, VLAST, VPROCS = P..'seq', P..'seqat', P..'versions', P..'vlabel', P..'vfirst', P..'vlast', P..'vprocs'
        local function vsrcs(v) return P..'vsrcs:'..v end
        local function current()
          local all = redis.call('HGETALL', VERS)
          local best, bestId = false, -1
          for i = 1, #all, 2 do
            local id = tonumber(all[i + 1])
            if id > bestId then best, bestId = all[i], id end
          end
          return best
        end
        local function inAny(key)
          local all = redis.call('HKEYS', VERS)
          for _, v in ipairs(all) do
            if redis.call('SISMEMBER', vsrcs(v), key) == 1 then return true end
          end
          return false
        end
        local function deleteOrphans(keys)
          local removed = 0
          for _, k in ipairs(keys) do
            if redis.call('HEXISTS', SRCS, k) == 1 and not inAny(k) then
              redis.call('HDEL', SRCS, k)
              redis.call('HDEL', HEAT, k) redis.call('HDEL', EST, k) redis.call('HDEL', VAR, k)
              redis.call('HDEL', FIRST, k) redis.call('ZREM', LAST, k) redis.call('ZREM', TRACKED, k)
              removed = removed + 1
            end
          end
          return removed
        end
        local function dropVersion(v)
          local keys = redis.call('SMEMBERS', vsrcs(v))
          redis.call('DEL', vsrcs(v))
          for _, h in ipairs({VERS, VLABEL, VFIRST, VLAST, VPROCS}) do redis.call('HDEL', h, v) end
          return deleteOrphans(keys)
        end
        local function dropSilent(now, retention)
          local cur = current()
          local dropped = {}
          local all = redis.call('HGETALL', VLAST)
          for i = 1, #all, 2 do
            if all[i] ~= cur and tonumber(all[i + 1]) < now - retention then
              dropVersion(all[i])
              dropped[#dropped + 1] = all[i]
            end
          end
          return dropped
        end

        """;

    // ARGV: prefix, now, batch count, then per batch: stream, process, sequence, version, hit count, then per hit:
    // key, count, estimated, variance. Returns one outcome per batch: 0 applied, 1 duplicate, 2 unknown app,
    // 3 unknown version, 4 skipped (an earlier batch of its stream failed in this call).
    public const string ApplyBatches = Common + """
        local now = ARGV[2]
        local n = tonumber(ARGV[3])
        local out = {}
        local failed = {}
        local known = redis.call('EXISTS', META) == 1
        local i = 4
        local hits, unknown, batches, duplicates = 0, 0, 0, 0
        for b = 1, n do
          local stream, process, sequence, version, count = ARGV[i], ARGV[i + 1], tonumber(ARGV[i + 2]), ARGV[i + 3], tonumber(ARGV[i + 4])
          i = i + 5
          local first = i
          i = i + 4 * count
          if failed[stream] then
            out[b] = 4
          elseif not known then
            out[b] = 2
            failed[stream] = true
          elseif sequence <= tonumber(redis.call('HGET', SEQ, process) or '0') then
            duplicates = duplicates + 1
            out[b] = 1
          elseif version ~= '' and redis.call('HEXISTS', VERS, version) == 0 then
            out[b] = 3
            failed[stream] = true
          else
            if version ~= '' and tonumber(redis.call('HGET', VLAST, version)) < tonumber(now) then
              redis.call('HSET', VLAST, version, now)
            end
            redis.call('HSET', SEQ, process, ARGV[first - 3])
            redis.call('HSET', SEQAT, process, now)
            batches = batches + 1
            for h = first, i - 1, 4 do
              local key, c = ARGV[h], ARGV[h + 1]
              if c ~= '0' then
                if redis.call('HEXISTS', SRCS, key) == 1 then
                  redis.call('HINCRBY', HEAT, key, c)
                  if ARGV[h + 2] ~= '0' then redis.call('HINCRBY', EST, key, ARGV[h + 2]) end
                  if ARGV[h + 3] ~= '0' then redis.call('HINCRBYFLOAT', VAR, key, ARGV[h + 3]) end
                  redis.call('HSETNX', FIRST, key, now)
                  redis.call('ZADD', LAST, now, key)
                  hits = hits + tonumber(c)
                else
                  unknown = unknown + tonumber(c)
                end
              end
            end
            out[b] = 0
          end
        end
        if known then
          redis.call('HINCRBY', META, 'hits_total', hits)
          redis.call('HINCRBY', META, 'unknown_key_hits', unknown)
          redis.call('HINCRBY', META, 'batches_applied', batches)
          redis.call('HINCRBY', META, 'duplicate_batches', duplicates)
        end
        return out
        """;

    // ARGV: prefix, now, retention ms, version, label, version only (1/0), then per src: key, file, line, label.
    // A src's location is "file\0line\0label" (none of them holds a control character); its tracked-since time is
    // set when a Set first lists it and kept while any version has it.
    // Returns {added, removed, kept, current (1/0), version unknown (1/0), dropped versions...}.
    public const string Set = Common + """
        local now, retention, version, label, only = tonumber(ARGV[2]), tonumber(ARGV[3]), ARGV[4], ARGV[5], ARGV[6] == '1'
        if only then
          if redis.call('EXISTS', META) == 0 or redis.call('HEXISTS', VERS, version) == 0 then
            return {0, 0, 0, 0, 1}
          end
          redis.call('HSET', VLAST, version, now)
          redis.call('HINCRBY', VPROCS, version, 1)
          if label ~= '' then redis.call('HSET', VLABEL, version, label) end
          local dropped = dropSilent(now, retention)
          local result = {0, 0, redis.call('SCARD', vsrcs(version)), current() == version and 1 or 0, 0}
          for _, v in ipairs(dropped) do result[#result + 1] = v end
          return result
        end
        if redis.call('EXISTS', META) == 0 then
          redis.call('HSET', META, 'hits_total', 0, 'unknown_key_hits', 0, 'batches_applied', 0, 'duplicate_batches', 0, 'next_version', 0)
        end
        local previous = current()
        local old = {}
        local reSet = redis.call('HEXISTS', VERS, version) == 1
        if reSet then
          redis.call('HSET', VLAST, version, now)
          redis.call('HINCRBY', VPROCS, version, 1)
          if label ~= '' then redis.call('HSET', VLABEL, version, label) end
          old = redis.call('SMEMBERS', vsrcs(version))
          redis.call('DEL', vsrcs(version))
        else
          redis.call('HSET', VERS, version, redis.call('HINCRBY', META, 'next_version', 1))
          redis.call('HSET', VLABEL, version, label)
          redis.call('HSET', VFIRST, version, now)
          redis.call('HSET', VLAST, version, now)
          redis.call('HSET', VPROCS, version, 1)
        end
        local isCurrent = current() == version
        local added, kept = 0, 0
        local seen = {}
        for s = 7, #ARGV, 4 do
          local key = ARGV[s]
          if not seen[key] then
            seen[key] = true
            local location = ARGV[s + 1]..'\0'..ARGV[s + 2]..'\0'..ARGV[s + 3]
            local known = redis.call('HGET', SRCS, key)
            if known then
              kept = kept + 1
              if isCurrent and known ~= location then redis.call('HSET', SRCS, key, location) end
            else
              redis.call('HSET', SRCS, key, location)
              redis.call('ZADD', TRACKED, now, key)
              added = added + 1
            end
            redis.call('SADD', vsrcs(version), key)
          end
        end
        local removed = 0
        if isCurrent and previous and previous ~= version then
          local diff = redis.call('SDIFF', vsrcs(previous), vsrcs(version))
          removed = #diff
        end
        if reSet then deleteOrphans(old) end
        local dropped = dropSilent(now, retention)
        local result = {added, removed, kept, isCurrent and 1 or 0, 0}
        for _, v in ipairs(dropped) do result[#result + 1] = v end
        return result
        """;

    // ARGV: prefix, version. Returns false when the app is unknown, else {found, srcs deleted, was current, current}.
    public const string DropVersion = Common + """
        if redis.call('EXISTS', META) == 0 then return false end
        local v = ARGV[2]
        if redis.call('HEXISTS', VERS, v) == 0 then return {0, 0, 0, ''} end
        local wasCurrent = current() == v
        local srcs = dropVersion(v)
        return {1, srcs, wasCurrent and 1 or 0, current() or ''}
        """;

    // ARGV: prefix, now, retention ms, sequences older than (ms). Returns {pruned sequences, dropped versions...}.
    public const string Sweep = Common + """
        if redis.call('EXISTS', META) == 0 then return {0} end
        local before = tonumber(ARGV[4])
        local all = redis.call('HGETALL', SEQAT)
        local pruned = 0
        for i = 1, #all, 2 do
          if tonumber(all[i + 1]) < before then
            redis.call('HDEL', SEQ, all[i]) redis.call('HDEL', SEQAT, all[i])
            pruned = pruned + 1
          end
        end
        local result = {pruned}
        for _, v in ipairs(dropSilent(tonumber(ARGV[2]), tonumber(ARGV[3]))) do result[#result + 1] = v end
        return result
        """;

    // ARGV: prefix. Returns false when the app is unknown, else the number of srcs whose counts were zeroed.
    public const string ResetHeatmap = Common + """
        if redis.call('EXISTS', META) == 0 then return false end
        redis.call('DEL', HEAT, EST, VAR, FIRST, LAST)
        redis.call('HSET', META, 'hits_total', 0, 'unknown_key_hits', 0, 'batches_applied', 0, 'duplicate_batches', 0)
        return redis.call('HLEN', SRCS)
        """;

    // ARGV: prefix. Deletes every key of the app; returns false when it had none, else its number of srcs.
    public const string DeleteApp = Common + """
        if redis.call('EXISTS', META) == 0 then return false end
        local srcs = redis.call('HLEN', SRCS)
        for _, v in ipairs(redis.call('HKEYS', VERS)) do redis.call('DEL', vsrcs(v)) end
        redis.call('DEL', META, SRCS, HEAT, EST, VAR, FIRST, LAST, TRACKED, SEQ, SEQAT, VERS, VLABEL, VFIRST, VLAST, VPROCS)
        return srcs
        """;

    // ARGV: prefix. Returns false when the app is unknown, else
    // {current, label, srcs (key, location)..., heat..., est..., var..., first..., last..., current members...,
    // tracked since...} as flat arrays after the first two (last and tracked since as member, score pairs).
    public const string Fetch = Common + """
        if redis.call('EXISTS', META) == 0 then return false end
        local cur = current()
        local members = {}
        if cur then members = redis.call('SMEMBERS', vsrcs(cur)) end
        return {cur or '', cur and redis.call('HGET', VLABEL, cur) or '', redis.call('HGETALL', SRCS), redis.call('HGETALL', HEAT),
          redis.call('HGETALL', EST), redis.call('HGETALL', VAR), redis.call('HGETALL', FIRST), redis.call('ZRANGE', LAST, 0, -1, 'WITHSCORES'),
          members, redis.call('ZRANGE', TRACKED, 0, -1, 'WITHSCORES')}
        """;

    // ARGV: prefix. Returns false when the app is unknown, else
    // {hits, unknown, batches, duplicates, all srcs, current srcs, versions, current srcs never called}.
    public const string Status = Common + """
        if redis.call('EXISTS', META) == 0 then return false end
        local cur = current()
        local m = redis.call('HMGET', META, 'hits_total', 'unknown_key_hits', 'batches_applied', 'duplicate_batches')
        local currentSrcs, cold = 0, 0
        if cur then
          -- The heat hash holds only keys that were called, so a member missing from it is cold.
          for _, k in ipairs(redis.call('SMEMBERS', vsrcs(cur))) do
            currentSrcs = currentSrcs + 1
            if redis.call('HEXISTS', HEAT, k) == 0 then cold = cold + 1 end
          end
        end
        return {m[1], m[2], m[3], m[4], redis.call('HLEN', SRCS), currentSrcs, redis.call('HLEN', VERS), cold}
        """;

    // ARGV: prefix. Returns false when the app is unknown, else per version, oldest first:
    // id, label, first seen, last seen, processes, srcs.
    public const string Versions = Common + """
        if redis.call('EXISTS', META) == 0 then return false end
        local all = redis.call('HGETALL', VERS)
        local order = {}
        for i = 1, #all, 2 do order[#order + 1] = {all[i], tonumber(all[i + 1])} end
        table.sort(order, function(a, b) return a[2] < b[2] end)
        local out = {}
        for _, e in ipairs(order) do
          local v = e[1]
          out[#out + 1] = {v, redis.call('HGET', VLABEL, v) or '', redis.call('HGET', VFIRST, v), redis.call('HGET', VLAST, v),
            redis.call('HGET', VPROCS, v), redis.call('SCARD', vsrcs(v))}
        end
        return out
        """;

    // The web view's app line. ARGV: prefix, an hour ago (ms). Returns false when the app is unknown, else
    // {hits, current srcs, current srcs never called, processes that sent in the last hour, earliest tracked since or false}.
    public const string ViewApp = Common + """
        if redis.call('EXISTS', META) == 0 then return false end
        local hour = tonumber(ARGV[2])
        local processes = 0
        local at = redis.call('HVALS', SEQAT)
        for _, t in ipairs(at) do
          if tonumber(t) >= hour then processes = processes + 1 end
        end
        -- Srcs and cold of the current version, as Status counts them.
        local cur = current()
        local srcs, cold = 0, 0
        if cur then
          for _, k in ipairs(redis.call('SMEMBERS', vsrcs(cur))) do
            srcs = srcs + 1
            if redis.call('HEXISTS', HEAT, k) == 0 then cold = cold + 1 end
          end
        end
        local earliest = redis.call('ZRANGE', TRACKED, 0, 0, 'WITHSCORES')
        return {redis.call('HGET', META, 'hits_total'), srcs, cold, processes, earliest[2] or false}
        """;

    // The web view's refresh: the srcs called at or after a moment. ARGV: prefix, since (ms). Returns per src
    // key, count, first seen, last seen, flat.
    public const string ChangedSince = Common + """
        local changed = redis.call('ZRANGEBYSCORE', LAST, ARGV[2], '+inf', 'WITHSCORES')
        local out = {}
        for i = 1, #changed, 2 do
          local k = changed[i]
          out[#out + 1] = k
          out[#out + 1] = redis.call('HGET', HEAT, k) or '0'
          out[#out + 1] = redis.call('HGET', FIRST, k) or ''
          out[#out + 1] = changed[i + 1]
        end
        return out
        """;
}
