import { existsSync } from 'node:fs';

import * as grpc from '@grpc/grpc-js';

import { ConfigError } from '@dmp/runtime';

/**
 * TLS for gRPC servers and clients, from PEM files: this process's certificate and key, and the CA that signs
 * its peers. Files are re-read every minute, so certificates cert-manager renews in a mounted Secret are
 * picked up without a restart. Servers require client certificates when `requireClientCert` (mTLS between
 * services); clients then present theirs.
 */
export interface TlsFiles {
  certFile: string;
  keyFile: string;
  caFile: string;
  requireClientCert: boolean;
}

const REFRESH_MS = 60_000;

/** TLS_CERT_FILE, TLS_KEY_FILE and TLS_CA_FILE (all three, or none: plaintext), TLS_REQUIRE_CLIENT_CERT. */
export function tlsFilesFromEnv(env: NodeJS.ProcessEnv): TlsFiles | undefined {
  const names = ['TLS_CERT_FILE', 'TLS_KEY_FILE', 'TLS_CA_FILE'] as const;
  const [certFile, keyFile, caFile] = names.map((name) => env[name]?.trim() || undefined);
  if (!certFile && !keyFile && !caFile) return undefined;
  for (const [i, file] of [certFile, keyFile, caFile].entries()) {
    if (!file) throw new ConfigError(names[i]!, `is required with ${names.filter((_, j) => j !== i).join(' and ')}`);
    if (!existsSync(file)) throw new ConfigError(names[i]!, `names ${file}, which does not exist`);
  }
  const require = env['TLS_REQUIRE_CLIENT_CERT']?.trim() ?? 'false';
  if (require !== 'true' && require !== 'false') {
    throw new ConfigError('TLS_REQUIRE_CLIENT_CERT', `must be true or false, got "${require}"`);
  }
  return { certFile: certFile!, keyFile: keyFile!, caFile: caFile!, requireClientCert: require === 'true' };
}

function provider(tls: TlsFiles, identity: boolean): grpc.experimental.CertificateProvider {
  return new grpc.experimental.FileWatcherCertificateProvider({
    caCertificateFile: tls.caFile,
    ...(identity && { certificateFile: tls.certFile, privateKeyFile: tls.keyFile }),
    refreshIntervalMs: REFRESH_MS,
  });
}

/**
 * A server's credentials, once its files are loaded: until then grpc-js would drop every connection (clients,
 * by contrast, wait for theirs).
 */
export async function serverCredentials(tls: TlsFiles | undefined): Promise<grpc.ServerCredentials> {
  if (!tls) return grpc.ServerCredentials.createInsecure();
  const files = provider(tls, true);
  await Promise.all([
    new Promise<void>((resolve, reject) =>
      files.addCaCertificateListener((update) =>
        update ? resolve() : reject(new Error(`TLS_CA_FILE: ${tls.caFile} could not be read as PEM`))
      )
    ),
    new Promise<void>((resolve, reject) =>
      files.addIdentityCertificateListener((update) =>
        update ? resolve() : reject(new Error(`TLS_CERT_FILE/TLS_KEY_FILE: ${tls.certFile} could not be read as PEM`))
      )
    ),
  ]);
  return grpc.experimental.createCertificateProviderServerCredentials(files, files, tls.requireClientCert);
}

/** A client's credentials: the CA to trust, and its own certificate (for servers that require one). */
export function channelCredentials(tls: TlsFiles | undefined): grpc.ChannelCredentials {
  if (!tls) return grpc.credentials.createInsecure();
  const files = provider(tls, true);
  return grpc.experimental.createCertificateProviderChannelCredentials(files, files);
}
