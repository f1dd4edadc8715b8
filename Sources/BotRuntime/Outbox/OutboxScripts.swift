import RedisStore

/// The durable outbox's layout in Redis (every key under the sequencer's prefix):
///
/// - `out:<chat>` — the chat's replies not yet accepted by Telegram, oldest first. Written
///   by the sequencer's commit script together with the session, so a reply exists exactly
///   when the state that produced it does.
/// - `out-owner:<chat>` — the instance that sends them. One at a time, so a chat's messages
///   keep their order whichever instance handled the updates.
/// - `owned:<instance>` — the chats an instance sends for: what to take over when it stops.
/// - `instances` — each instance's last heartbeat, in Redis's own clock (milliseconds): an
///   instance silent for longer than `deadAfter` has stopped, whatever its own clock thinks.
///
/// Keys are built inside the scripts from the prefix, so this needs one Redis node (not a
/// cluster), as the sequencer does.
enum OutboxScripts {
    /// Redis's clock in milliseconds, as a Lua expression's preamble.
    static let now = "\n" + """
    local clock = redis.call('TIME')
    local now = tonumber(clock[1]) * 1000 + math.floor(tonumber(clock[2]) / 1000)

    """

    /// Appended to the sequencer's commit: records the replies and decides who sends them.
    /// KEYS[6] out, KEYS[7] owner, KEYS[8] owned by this instance, KEYS[9] instances.
    /// ARGV[8] this instance, ARGV[9] prefix, ARGV[10] dead after (ms), ARGV[11] chat,
    /// ARGV[12] how many entries a chat may have waiting, ARGV[13…] the entries: those past
    /// the cap are not recorded and counted in `dropped`. Sets `take` to 0 (someone alive sends them), 1 (this instance
    /// now does, from `first`) or 2 (it took the chat over from an instance that stopped
    /// without handing over, whose last message may have been in flight). An instance that takes a chat beats its heart
    /// too: it is alive, and no one may take the chat from it before its first heartbeat.
    static let record = "\n" + """
    local take, first, dropped = 0, false, 0
    if #ARGV >= 13 then
      local room = tonumber(ARGV[12]) - redis.call('LLEN', KEYS[6])
      for i = 13, #ARGV do
        if room > 0 then redis.call('RPUSH', KEYS[6], ARGV[i]); room = room - 1 else dropped = dropped + 1 end
      end
      local owner = redis.call('GET', KEYS[7])
      if owner ~= ARGV[8] then
    """ + now + """
        local alive, beat = false, false
        if owner then
          beat = redis.call('ZSCORE', KEYS[9], owner)
          alive = beat and now - tonumber(beat) < tonumber(ARGV[10])
        end
        if not alive then
          take = 1
          if owner then
            redis.call('SREM', ARGV[9] .. 'owned:' .. owner, ARGV[11])
            -- A heartbeat of 0 is an instance that handed over at shutdown, nothing in flight.
            if not beat or tonumber(beat) > 0 then take = 2 end
          end
          redis.call('SET', KEYS[7], ARGV[8])
          redis.call('SADD', KEYS[8], ARGV[11])
          redis.call('ZADD', KEYS[9], now, ARGV[8])
          first = redis.call('LINDEX', KEYS[6], 0)
        end
      end
    end

    """

    /// Marks sent entries and hands out each chat's next one, for many chats in one call.
    /// ARGV: this instance, prefix, then per chat: chat, the entry just sent, "1" to drop the
    /// chat's whole queue (the person blocked the bot) else "0".
    /// Returns per chat: the next entry; "" nothing left (the chat is let go); nil the chat
    /// belongs to another instance now (this one stops sending for it).
    static let acknowledge = RedisScript("""
    local me, prefix = ARGV[1], ARGV[2]
    local result = {}
    for i = 3, #ARGV, 3 do
      local chat = ARGV[i]
      local out, owner = prefix .. 'out:' .. chat, prefix .. 'out-owner:' .. chat
      if redis.call('GET', owner) ~= me then
        result[#result + 1] = false
      else
        if ARGV[i + 2] == '1' then
          redis.call('DEL', out)
        elseif redis.call('LINDEX', out, 0) == ARGV[i + 1] then
          redis.call('LPOP', out)
        end
        local head = redis.call('LINDEX', out, 0)
        if head then
          result[#result + 1] = head
        else
          redis.call('DEL', owner)
          redis.call('SREM', prefix .. 'owned:' .. me, chat)
          result[#result + 1] = ''
        end
      end
    end
    return result
    """)

    /// The heartbeat, and the rescue of one stopped instance's chats (up to a batch).
    /// ARGV: this instance, prefix, dead after (ms), batch size, "1" to leave (heartbeat 0: the
    /// others take over at once) else "0".
    /// Returns {taken, owned}: taken is {chat, first entry, 1 when its last message may have
    /// been in flight else 0, …} for the chats this instance took over; owned, up to a batch
    /// of the chats Redis counts as this instance's (to find one whose loop never started).
    static let heartbeat = RedisScript(now + """
    local me, prefix = ARGV[1], ARGV[2]
    local instances = prefix .. 'instances'
    if ARGV[5] == '1' then
      redis.call('ZADD', instances, 0, me)
      return {{}, {}}
    end
    redis.call('ZADD', instances, now, me)
    local taken = {}
    local owned = redis.call('SRANDMEMBER', prefix .. 'owned:' .. me, tonumber(ARGV[4]))
    local dead = redis.call('ZRANGEBYSCORE', instances, '-inf', now - tonumber(ARGV[3]), 'LIMIT', 0, 1)
    if #dead == 0 then return {taken, owned} end
    local gone = dead[1]
    local inFlight = tonumber(redis.call('ZSCORE', instances, gone)) > 0 and 1 or 0
    local chats = redis.call('SPOP', prefix .. 'owned:' .. gone, tonumber(ARGV[4]))
    for _, chat in ipairs(chats) do
      local owner = prefix .. 'out-owner:' .. chat
      if redis.call('GET', owner) == gone then
        local head = redis.call('LINDEX', prefix .. 'out:' .. chat, 0)
        if head then
          redis.call('SET', owner, me)
          redis.call('SADD', prefix .. 'owned:' .. me, chat)
          taken[#taken + 1] = chat
          taken[#taken + 1] = head
          taken[#taken + 1] = inFlight
        else
          redis.call('DEL', owner)
        end
      end
    end
    if redis.call('SCARD', prefix .. 'owned:' .. gone) == 0 then redis.call('ZREM', instances, gone) end
    return {taken, owned}
    """)
}
