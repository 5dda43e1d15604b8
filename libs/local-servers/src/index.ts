export { startNatsCluster, startRedisCluster, type LocalCluster } from './clusters';
export { checkHealth, waitServing } from './health';
export {
  binaryVersion,
  canListen,
  findBinary,
  freePort,
  startNatsServer,
  speaksProtocol,
  startRedisServer,
  type LocalServer,
  type NatsServerOptions,
  type RedisServerOptions,
} from './servers';
export {
  SERVICE_NAMES,
  startServiceProcess,
  type ServiceName,
  type ServiceProcess,
  type ServiceProcessOptions,
} from './service-process';
