import { trace } from '@opentelemetry/api';

import type { LogLevelName } from './config';

const LEVELS: Record<LogLevelName, number> = { debug: 10, info: 20, warn: 30, error: 40 };

export type LogFields = Record<string, unknown>;

export interface Logger {
  debug(msg: string, fields?: LogFields): void;
  info(msg: string, fields?: LogFields): void;
  warn(msg: string, fields?: LogFields): void;
  error(msg: string, fields?: LogFields): void;
  child(fields: LogFields): Logger;
}

/**
 * One JSON object per line on stdout, with the active trace and span ids so a log line leads to its trace.
 * Errors are serialised with their stack here, in our logs, and never sent to callers.
 */
export function createLogger(options: { service: string; level?: LogLevelName; fields?: LogFields }): Logger {
  const threshold = LEVELS[options.level ?? 'info'];
  const base: LogFields = { service: options.service, ...options.fields };

  const write = (level: LogLevelName, msg: string, fields?: LogFields): void => {
    if (LEVELS[level] < threshold) return;
    const line: LogFields = { time: new Date().toISOString(), level, msg, ...base };
    const span = trace.getActiveSpan()?.spanContext();
    if (span && span.traceId !== '00000000000000000000000000000000') {
      line['trace_id'] = span.traceId;
      line['span_id'] = span.spanId;
    }
    if (fields) for (const [key, value] of Object.entries(fields)) line[key] = serialise(value);
    process.stdout.write(JSON.stringify(line) + '\n');
  };

  const make = (extra: LogFields): Logger => {
    const withExtra = (fields?: LogFields): LogFields => ({ ...extra, ...fields });
    return {
      debug: (msg, fields) => write('debug', msg, withExtra(fields)),
      info: (msg, fields) => write('info', msg, withExtra(fields)),
      warn: (msg, fields) => write('warn', msg, withExtra(fields)),
      error: (msg, fields) => write('error', msg, withExtra(fields)),
      child: (fields) => make({ ...extra, ...fields }),
    };
  };
  return make({});
}

function serialise(value: unknown): unknown {
  if (value instanceof Error) return { name: value.name, message: value.message, stack: value.stack };
  return value;
}
