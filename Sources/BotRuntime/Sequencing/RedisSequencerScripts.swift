import RedisStore

/// The Lua scripts behind `RedisSequencer`. Each runs atomically in Redis, so an update is
/// admitted, queued, rate-limited and its chat claimed in one round trip, and committed (session,
/// "done" mark, next update) in another. Every stored session bumps the chat's revision, so an
/// instance can tell whether the copy it holds is still the stored one.
enum RedisSequencerScripts {
    /// KEYS: done, queue, lock, rate, session, session revision, blocked chats.
    /// ARGV: update id, payload, token, lock ms, limit, rate window s, reclaimable token ("" none),
    /// the session revision the caller has cached ("" none), chat.
    /// Returns {0} done already; {2} another holds the chat; {3, excess, session} over the limit;
    /// {1, score, payload, session, revision, cached} this caller now holds the chat and handles
    /// the queue's head; with cached = 1 the session is left out: the caller's copy is current.
    /// A person who writes has unblocked the bot: the chat leaves the blocked set.
    static let admit = RedisScript("""
    if redis.call('EXISTS', KEYS[1]) == 1 then return {0} end
    redis.call('SREM', KEYS[7], ARGV[9])
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
    """ + claimHead)

    /// KEYS: done, queue, lock, blocked chats, session, session revision.
    /// ARGV: payload, chat, token, lock ms, "", "", reclaimable token ("" none), cached revision.
    /// Like `admit` for an input the bot gives itself: no rate limit, and {4} when the person
    /// blocked the bot. It joins the queue after what is there (a fraction above the last score:
    /// update ids are whole numbers, so it goes before the next update), once: the same payload
    /// is the same input.
    static let admitSystem = RedisScript("""
    if redis.call('EXISTS', KEYS[1]) == 1 then return {0} end
    if redis.call('SISMEMBER', KEYS[4], ARGV[2]) == 1 then return {4} end
    if not redis.call('ZSCORE', KEYS[2], ARGV[1]) then
      local score = 0
      local tail = redis.call('ZRANGE', KEYS[2], -1, -1, 'WITHSCORES')
      if #tail > 0 then score = tonumber(tail[2]) end
      score = score + 1 / 4096
      while redis.call('ZCOUNT', KEYS[2], score, score) > 0 do score = score + 1 / 4096 end
      redis.call('ZADD', KEYS[2], score, ARGV[1])
      redis.call('EXPIRE', KEYS[2], 86400)
    end
    """ + claimHead)

    /// The end of both admits: claim the chat unless another holds it, and hand out the head.
    /// KEYS[3] lock, KEYS[5] session, KEYS[6] revision; ARGV[3] token, ARGV[4] lock ms,
    /// ARGV[7] reclaimable token, ARGV[8] cached revision.
    private static let claimHead = """

    local holder = redis.call('GET', KEYS[3])
    if holder and holder ~= ARGV[7] then return {2} end
    local head = redis.call('ZRANGE', KEYS[2], 0, 0, 'WITHSCORES')
    if #head == 0 then return {0} end
    redis.call('SET', KEYS[3], ARGV[3], 'PX', ARGV[4])
    local rev = redis.call('GET', KEYS[6]) or '0'
    if ARGV[8] ~= '' and rev == ARGV[8] then return {1, head[2], head[1], false, rev, 1} end
    return {1, head[2], head[1], redis.call('GET', KEYS[5]), rev, 0}
    """

    /// KEYS: done (of the handled input), queue, lock, session, session revision; then, when
    /// the input produced replies, the durable outbox's four (`OutboxScripts.record`).
    /// ARGV: the input's score in the queue, token, session JSON ("" keep), session ttl s, lock
    /// ms, "1" when the caller keeps the session it holds now, how long the done mark lasts (s);
    /// then the outbox's arguments and the replies.
    /// Returns {-1} the chat was lost (nothing written); {0, revision, take, first, dropped} queue
    /// empty, chat released; {1, id, payload, session, revision, cached, take, first, dropped} the
    /// next update to handle (as `admit`). `take`, `first` and `dropped`: who sends the replies,
    /// and how many did not fit (`OutboxScripts.record`).
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
    redis.call('SET', KEYS[1], '1', 'EX', ARGV[7])
    redis.call('ZREMRANGEBYSCORE', KEYS[2], ARGV[1], ARGV[1])
    """ + OutboxScripts.record + """
    local head = redis.call('ZRANGE', KEYS[2], 0, 0, 'WITHSCORES')
    if #head == 0 then redis.call('DEL', KEYS[3]); return {0, rev, take, first, dropped} end
    redis.call('PEXPIRE', KEYS[3], ARGV[5])
    if ARGV[6] == '1' then return {1, head[2], head[1], false, rev, 1, take, first, dropped} end
    return {1, head[2], head[1], redis.call('GET', KEYS[4]), rev, 0, take, first, dropped}
    """)

    /// KEYS: lock. ARGV: token, lock ms. Extends the claim if this caller still holds it; 0 if not.
    static let renew = RedisScript("""
    if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
    return 0
    """)

    /// KEYS: lock. ARGV: token. Lets go of the chat if this caller still holds it.
    static let release = RedisScript("""
    if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
    return 0
    """)
}
