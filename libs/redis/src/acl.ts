/**
 * Redis ACL users per service: the key patterns each may read or write and the commands it may run (Redis 7
 * selectors: %R~ is read-only). Every service may run its Lua scripts and the commands ioredis sends on
 * connect (INFO for its ready check, CLIENT SETNAME); none may run administrative or dangerous ones
 * (FLUSHALL, CONFIG, KEYS, DEBUG …).
 *
 * Keys: fs: features, identity graph and catalog (feature store); sg: segment memberships (feature store);
 * dc: campaign caps, contact counters and spend; rp: campaign reports (decisioning); dlv: delivery's ledger.
 */
export type RedisServiceUser = 'feature-store' | 'decisioning' | 'delivery';

const COMMANDS = '+@all -@dangerous +info +client|setname +client|id +scan';

const KEYS: Record<RedisServiceUser, string> = {
  'feature-store': '~fs:* ~sg:*',
  // Reads features and memberships; writes only its counters and reports.
  decisioning: '%R~fs:* %R~sg:* ~dc:* ~rp:*',
  delivery: '~dlv:*',
};

export const REDIS_SERVICE_USERS = Object.keys(KEYS) as RedisServiceUser[];

/** The ACL rules of a service's user, as ACL SETUSER and a users.acl file take them (without the password). */
export function redisAclRules(service: RedisServiceUser): string {
  return `on resetchannels ${KEYS[service]} ${COMMANDS}`;
}

/** An aclfile: one line per service user, then the default user switched off. */
export function redisAclFile(passwords: Record<RedisServiceUser, string>): string {
  return (
    REDIS_SERVICE_USERS.map((service) => `user ${service} ${redisAclRules(service)} >${passwords[service]}`).join(
      '\n'
    ) + '\n'
  );
}
