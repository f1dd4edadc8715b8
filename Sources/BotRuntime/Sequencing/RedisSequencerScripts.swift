import RedisStore

/// The Lua scripts behind `RedisSequencer`. Each runs atomically in Redis, so an update is
/// admitted, queued, rate-limited and its chat claimed in one round trip, and committed (session,
/// "done" mark, next update) in another. Every stored session bumps the chat's revision, so an
/// instance can tell whether the copy it holds is still the stored one.
enum RedisSequencerScripts {
    /// KEYS: done, queue, lock, rate, session, session revision.
    /// ARGV: update id, payload, token, lock ms, limit, rate window s, reclaimable token ("" none),
    /// the session revision the caller has cached ("" none).
    /// Returns {0} done already; {2} another holds the chat; {3, excess, session} over the limit;
    /// {1, id, payload, session, revision, cached} this caller now holds the chat and handles the
    /// queue's head; with cached = 1 the session is left out: the caller's copy is current.
    static let admit = RedisScript("""
    if redis.call('EXISTS', KEYS[1]) == 1 then return {0} end
    if redis.call('ZCOUNT', KEYS[2], ARGV[1], ARGV[1]) == 0 then
      local n = redis.call('INCR', KEYS[4])
      if n == 1 then redis.call('EXPIRE', KEYS[4], ARGV[6]) end
      if n > tonumber(ARGV[5]) then
        redis.call('SET', KEYS[1], '1', 'EX', 86400)
        return {3, n - tonumber(ARGV[5]), redis.call('GET', KEYS[5])}
      end
      redis.call('ZADD', KEYS[2], ARGV[1], ARGV[2])
      redis.call('EXPIRE', KEYS[2], 86400)
    end
    local holder = redis.call('GET', KEYS[3])
    if holder and holder ~= ARGV[7] then return {2} end
    local head = redis.call('ZRANGE', KEYS[2], 0, 0, 'WITHSCORES')
    if #head == 0 then return {0} end
    redis.call('SET', KEYS[3], ARGV[3], 'PX', ARGV[4])
    local rev = redis.call('GET', KEYS[6]) or '0'
    if ARGV[8] ~= '' and rev == ARGV[8] then return {1, head[2], head[1], false, rev, 1} end
    return {1, head[2], head[1], redis.call('GET', KEYS[5]), rev, 0}
    """)

    /// KEYS: done (of the handled update), queue, lock, session, session revision.
    /// ARGV: update id, token, session JSON ("" keep), session ttl s, lock ms, "1" when the
    /// caller keeps the session it holds now.
    /// Returns {-1} the chat was lost (nothing written); {0, revision} queue empty, chat released;
    /// {1, id, payload, session, revision, cached} the next update to handle (as `admit`).
    static let commit = RedisScript("""
    if redis.call('GET', KEYS[3]) ~= ARGV[2] then return {-1} end
    local rev
    if ARGV[3] ~= '' then
      redis.call('SET', KEYS[4], ARGV[3], 'EX', ARGV[4])
      rev = redis.call('INCR', KEYS[5])
      redis.call('EXPIRE', KEYS[5], ARGV[4])
    else
      rev = redis.call('GET', KEYS[5]) or '0'
    end
    redis.call('SET', KEYS[1], '1', 'EX', 86400)
    redis.call('ZREMRANGEBYSCORE', KEYS[2], ARGV[1], ARGV[1])
    local head = redis.call('ZRANGE', KEYS[2], 0, 0, 'WITHSCORES')
    if #head == 0 then redis.call('DEL', KEYS[3]); return {0, rev} end
    redis.call('PEXPIRE', KEYS[3], ARGV[5])
    if ARGV[6] == '1' then return {1, head[2], head[1], false, rev, 1} end
    return {1, head[2], head[1], redis.call('GET', KEYS[4]), rev, 0}
    """)

    /// KEYS: lock. ARGV: token. Lets go of the chat if this caller still holds it.
    static let release = RedisScript("""
    if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
    return 0
    """)
}
