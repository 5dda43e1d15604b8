import { loadBaseConfig, type BaseConfig } from './config';
import { createLogger, type Logger } from './logger';
import { Readiness } from './readiness';

export interface App {
  readonly log: Logger;
  readonly readiness: Readiness;
  readonly base: BaseConfig;
  /**
   * Registers a step of graceful shutdown. Steps run in reverse order of registration, so a service
   * registers its clients first and its gRPC server last: on SIGTERM the server stops taking work and
   * finishes in-flight calls, then consumers ack and stop, then clients drain and close, then telemetry flushes.
   */
  onShutdown(name: string, step: () => Promise<void> | void): void;
  /** Ends the process after a failure it cannot recover from (e.g. NATS closed for good); the orchestrator restarts it. */
  fatal(reason: string, error?: unknown): void;
}

const SIGNALS = ['SIGTERM', 'SIGINT'] as const;

/**
 * The one way a service process starts and stops. `main` wires dependencies and returns once the service
 * is serving; a signal then runs the shutdown steps within SHUTDOWN_GRACE_MS plus a margin for closing
 * clients, and exits 0. A crash while starting, an unhandled rejection or a fatal() exits 1.
 */
export function runMain(service: string, main: (app: App) => Promise<void>): void {
  let base: BaseConfig;
  try {
    base = loadBaseConfig(process.env);
  } catch (error) {
    process.stderr.write(`${service}: ${(error as Error).message}\n`);
    process.exit(1);
  }
  const log = createLogger({ service, level: base.logLevel });
  const readiness = new Readiness();
  const steps: { name: string; step: () => Promise<void> | void }[] = [];
  let stopping: Promise<void> | undefined;

  const stop = (reason: string, exitCode: number): Promise<void> => {
    stopping ??= (async () => {
      log.info('shutting down', { reason });
      readiness.drain();
      // Past the grace for in-flight work plus time to close clients, stop waiting: exiting is better than hanging.
      const hardStop = setTimeout(() => {
        log.error('shutdown took too long, exiting', { pending: steps.map((s) => s.name) });
        process.exit(exitCode || 1);
      }, base.shutdownGraceMs + 5_000);
      hardStop.unref();
      for (const { name, step } of steps.reverse()) {
        try {
          await step();
          log.debug('shutdown step done', { step: name });
        } catch (error) {
          log.error('shutdown step failed', { step: name, error });
        }
      }
      clearTimeout(hardStop);
      log.info('stopped');
      process.exit(exitCode);
    })();
    return stopping;
  };

  const app: App = {
    log,
    readiness,
    base,
    onShutdown: (name, step) => void steps.push({ name, step }),
    fatal: (reason, error) => {
      log.error('fatal', { reason, error });
      void stop(reason, 1);
    },
  };

  for (const signal of SIGNALS) process.once(signal, () => void stop(signal, 0));
  process.on('unhandledRejection', (error) => app.fatal('unhandled rejection', error));

  main(app).then(
    () => log.info('serving', { ready: readiness.ready, waitingFor: readiness.down }),
    (error: unknown) => {
      log.error('failed to start', { error });
      void stop('start failed', 1);
    }
  );
}
