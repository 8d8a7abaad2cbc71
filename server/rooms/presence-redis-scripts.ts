// Lua scripts of the Redis presence tracker. Each runs atomically in Redis, so
// "first connection", "last connection" and "who a dead node's connections
// were" are decided once, whoever asks at the same time.
//
// Keys (P = keyPrefix; room names and user ids contain no newline, node ids
// are checked to contain none):
//   P node:<nodeId>           liveness, expires nodeTtlMs after the last heartbeat
//   P nodes                   set of node ids that have connections
//   P conns:<nodeId>          set of JSON [room, userId, connectionId] on that node
//   P members:<room>          hash userId -> name
//   P user:<room>\n<userId>   set of "<nodeId>\n<connectionId>", the user's connections there
// Empty sets and hashes vanish by themselves in Redis. The scripts touch keys
// they compute, so they need a standalone Redis (not Redis Cluster).

/** One script and the number of KEYS it takes. */
export interface ScriptDef {
  numberOfKeys: number
  lua: string
}

/**
 * Sets the node alive for ttlMs and returns 1 if it was alive already, 0 if
 * its key had expired (or never existed).
 * KEYS: node  ARGV: ttlMs
 */
export const heartbeat: ScriptDef = {
  numberOfKeys: 1,
  lua: String.raw`
    local was = redis.call('EXISTS', KEYS[1])
    redis.call('SET', KEYS[1], '1', 'PX', ARGV[1])
    return was`,
}

/**
 * Adds a connection; returns { first (1 when it is the user's first connection
 * in the room, cluster-wide), alive (0 when the node key had expired) }.
 * KEYS: members, user, conns, nodes, node
 * ARGV: userId, name, "<nodeId>\n<connectionId>", entry JSON, nodeId, ttlMs
 */
export const add: ScriptDef = {
  numberOfKeys: 5,
  lua: String.raw`
    local alive = redis.call('EXISTS', KEYS[5])
    redis.call('SET', KEYS[5], '1', 'PX', ARGV[6])
    redis.call('SADD', KEYS[4], ARGV[5])
    redis.call('SADD', KEYS[3], ARGV[4])
    if redis.call('SADD', KEYS[2], ARGV[3]) == 0 then return { 0, alive } end
    if redis.call('SCARD', KEYS[2]) == 1 then
      redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
      return { 1, alive }
    end
    return { 0, alive }`,
}

/**
 * Removes a connection; returns 1 when it was the user's last one in the room
 * (and removes the member), 0 otherwise, including when it was not there.
 * KEYS: members, user, conns  ARGV: userId, "<nodeId>\n<connectionId>", entry JSON
 */
export const remove: ScriptDef = {
  numberOfKeys: 3,
  lua: String.raw`
    redis.call('SREM', KEYS[3], ARGV[3])
    if redis.call('SREM', KEYS[2], ARGV[2]) == 0 then return 0 end
    if redis.call('SCARD', KEYS[2]) == 0 then
      redis.call('HDEL', KEYS[1], ARGV[1])
      return 1
    end
    return 0`,
}

/**
 * Renames a member that is present; adds nobody.
 * KEYS: members  ARGV: userId, name
 */
export const rename: ScriptDef = {
  numberOfKeys: 1,
  lua: String.raw`
    if redis.call('HEXISTS', KEYS[1], ARGV[1]) == 1 then redis.call('HSET', KEYS[1], ARGV[1], ARGV[2]) end
    return 0`,
}

/**
 * Removes every connection of a node whose key has expired (or of any node when
 * ARGV[3] is "1": graceful close) and returns the users who thereby left a
 * room, flat: { room, userId, name, room, userId, name, … }. The node's index
 * is deleted in the same step, so a second sweeper finds nothing to report.
 * KEYS: node, conns, nodes  ARGV: keyPrefix, nodeId, force
 */
export const sweep: ScriptDef = {
  numberOfKeys: 3,
  lua: String.raw`
    if ARGV[3] ~= '1' and redis.call('EXISTS', KEYS[1]) == 1 then return {} end
    local left = {}
    for _, entry in ipairs(redis.call('SMEMBERS', KEYS[2])) do
      local e = cjson.decode(entry)
      local room, userId, connectionId = e[1], e[2], e[3]
      local user = ARGV[1] .. 'user:' .. room .. '\n' .. userId
      if redis.call('SREM', user, ARGV[2] .. '\n' .. connectionId) == 1 and redis.call('SCARD', user) == 0 then
        local members = ARGV[1] .. 'members:' .. room
        local name = redis.call('HGET', members, userId)
        redis.call('HDEL', members, userId)
        if name then
          left[#left + 1] = room
          left[#left + 1] = userId
          left[#left + 1] = name
        end
      end
    end
    redis.call('DEL', KEYS[2])
    redis.call('SREM', KEYS[3], ARGV[2])
    return left`,
}
