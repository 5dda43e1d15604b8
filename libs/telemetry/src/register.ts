// Preloaded with `node --require @dmp/telemetry/register`, so tracing is set up before application code.
import { startTracing } from './tracing';

startTracing();
