/**
 * Typed configuration from environment variables. Each service has one `loadConfig(env)` built from these
 * helpers; it runs before any socket opens and fails loudly, naming the variable.
 */
export class ConfigError extends Error {
  constructor(variable: string, problem: string) {
    super(`invalid configuration: ${variable} ${problem}`);
    this.name = 'ConfigError';
  }
}

type Env = NodeJS.ProcessEnv;

function raw(env: Env, name: string): string | undefined {
  const value = env[name];
  return value === undefined || value.trim() === '' ? undefined : value.trim();
}

/** A string variable; without a default it is required. */
export function stringEnv(env: Env, name: string, fallback?: string): string {
  const value = raw(env, name) ?? fallback;
  if (value === undefined) throw new ConfigError(name, 'is required');
  return value;
}

/** An integer variable within [min, max]. */
export function intEnv(env: Env, name: string, fallback: number, range: { min?: number; max?: number } = {}): number {
  const text = raw(env, name);
  if (text === undefined) return fallback;
  // Whole decimal integers only: "1e3", "12ms" and "0x10" are mistakes, not numbers.
  if (!/^-?\d+$/.test(text)) throw new ConfigError(name, `must be an integer, got "${text}"`);
  const value = Number(text);
  const { min = Number.MIN_SAFE_INTEGER, max = Number.MAX_SAFE_INTEGER } = range;
  if (value < min || value > max) throw new ConfigError(name, `must be between ${min} and ${max}, got ${value}`);
  return value;
}

/** A URL variable whose scheme is one of `schemes`. */
export function urlEnv(env: Env, name: string, schemes: readonly string[], fallback?: string): string {
  const text = stringEnv(env, name, fallback);
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new ConfigError(name, `must be a URL, got "${text}"`);
  }
  if (!schemes.includes(url.protocol.replace(/:$/, ''))) {
    throw new ConfigError(name, `must use one of ${schemes.join(', ')}://, got "${url.protocol}//"`);
  }
  return text;
}

/** One or more comma-separated URLs, each with an allowed scheme (e.g. NATS_URL listing a cluster's servers). */
export function urlListEnv(env: Env, name: string, schemes: readonly string[], fallback?: string): string {
  const text = stringEnv(env, name, fallback);
  return text
    .split(',')
    .map((url) => urlEnv({ [name]: url }, name, schemes))
    .join(',');
}

/** One of a fixed set of values. */
export function enumEnv<T extends string>(env: Env, name: string, values: readonly T[], fallback: T): T {
  const text = raw(env, name) ?? fallback;
  if (!(values as readonly string[]).includes(text)) {
    throw new ConfigError(name, `must be one of ${values.join(', ')}, got "${text}"`);
  }
  return text as T;
}

/** Settings every service shares. */
export interface BaseConfig {
  /** gRPC listen port; 0 picks a free one (tests). */
  grpcPort: number;
  /** Prometheus /metrics port; 0 picks a free one. */
  metricsPort: number;
  logLevel: LogLevelName;
  /** How long in-flight work may take to finish after SIGTERM before it is cut off. */
  shutdownGraceMs: number;
}

export type LogLevelName = 'debug' | 'info' | 'warn' | 'error';

export function loadBaseConfig(env: Env): BaseConfig {
  return {
    grpcPort: intEnv(env, 'GRPC_PORT', 50051, { min: 0, max: 65535 }),
    metricsPort: intEnv(env, 'METRICS_PORT', 9464, { min: 0, max: 65535 }),
    logLevel: enumEnv(env, 'LOG_LEVEL', ['debug', 'info', 'warn', 'error'], 'info'),
    shutdownGraceMs: intEnv(env, 'SHUTDOWN_GRACE_MS', 10_000, { min: 0, max: 600_000 }),
  };
}
