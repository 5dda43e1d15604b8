/**
 * `node dist/fake-gateway-main.js`: the fake gateway as a process, for `dmp up` and demos. PORT (50090),
 * WEBHOOK_SECRET (verify signatures when set), FAIL_FIRST (answer 503 to the first N attempts of each offer).
 */
import { FakeGateway } from './fake-gateway';

void (async () => {
  const secret = process.env['WEBHOOK_SECRET'];
  const gateway = await FakeGateway.start(Number(process.env['PORT'] ?? 50090), {
    ...(secret && { secret }),
    failFirst: Number(process.env['FAIL_FIRST'] ?? 0),
  });
  process.stdout.write(`fake gateway listening on ${gateway.url} (GET it to list what it received)\n`);
  const stop = (): void => void gateway.close().then(() => process.exit(0));
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
})();
