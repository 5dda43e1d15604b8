import { describe, expect, it } from 'vitest';

import { ConfigError, enumEnv, intEnv, loadBaseConfig, stringEnv, urlEnv, urlListEnv } from './config';

describe('config from env', () => {
  it('reads typed values and falls back to defaults', () => {
    expect(loadBaseConfig({ GRPC_PORT: '7000', LOG_LEVEL: 'debug' })).toEqual({
      grpcPort: 7000,
      metricsPort: 9464,
      logLevel: 'debug',
      shutdownGraceMs: 10_000,
    });
  });

  it('fails loudly, naming the variable and the problem', () => {
    expect(() => intEnv({ GRPC_PORT: '12ms' }, 'GRPC_PORT', 1)).toThrow(/GRPC_PORT must be an integer, got "12ms"/);
    expect(() => intEnv({ GRPC_PORT: '70000' }, 'GRPC_PORT', 1, { max: 65535 })).toThrow(/GRPC_PORT must be between/);
    expect(() => stringEnv({}, 'MODEL_PATH')).toThrow(/MODEL_PATH is required/);
    expect(() => stringEnv({ MODEL_PATH: '   ' }, 'MODEL_PATH')).toThrow(ConfigError);
    expect(() => urlEnv({ NATS_URL: 'localhost:4222' }, 'NATS_URL', ['nats'])).toThrow(
      /NATS_URL must use one of nats:\/\//
    );
    expect(() => urlEnv({ NATS_URL: '::' }, 'NATS_URL', ['nats'])).toThrow(/NATS_URL must be a URL/);
    expect(() => enumEnv({ LOG_LEVEL: 'loud' }, 'LOG_LEVEL', ['info', 'warn'], 'info')).toThrow(
      /LOG_LEVEL must be one of info, warn/
    );
  });

  it('reads a list of URLs and names the variable when one of them is wrong', () => {
    expect(urlListEnv({ NATS_URL: 'nats://a:4222, nats://b:4222' }, 'NATS_URL', ['nats'])).toBe(
      'nats://a:4222,nats://b:4222'
    );
    expect(() => urlListEnv({ NATS_URL: 'nats://a:4222,http://b' }, 'NATS_URL', ['nats'])).toThrow(
      /NATS_URL must use one of nats/
    );
  });

  it('accepts a URL with an allowed scheme', () => {
    expect(urlEnv({ REDIS_URL: 'rediss://cache:6380' }, 'REDIS_URL', ['redis', 'rediss'])).toBe('rediss://cache:6380');
  });
});
