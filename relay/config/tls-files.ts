// --tls-cert / --tls-key: read and checked at start, so a wrong file is one
// clear line before anything listens, never a stack trace from deep inside
// the TLS stack on the first connection.
import crypto from 'node:crypto';
import tls from 'node:tls';
import type { TlsCredentials } from '../http/security/listen-security.js';
import { ConfigError, type FileAccess } from './config-sources.js';

export interface LoadedTls {
  credentials: TlsCredentials;
  /** The certificate's subject and expiry, for the start-up line. */
  subject: string;
  validTo: Date;
  warnings: string[];
}

const PEM = /-----BEGIN [A-Z0-9 ]+-----/;

/** `where` names the setting (`--tls-cert`, `RELAY_TLS_CERT`, `"tlsCert" in FILE`) for the message. */
export function loadTlsFiles(
  files: { cert: string; key: string },
  where: { cert: string; key: string },
  access: FileAccess,
  now: Date,
): LoadedTls {
  const read = (which: 'cert' | 'key') => {
    try {
      return access.readFile(files[which]);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      const why = code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : code ?? (e as Error).message;
      throw new ConfigError(`${where[which]}: cannot read ${files[which]}: ${why}`);
    }
  };
  const cert = read('cert');
  const key = read('key');
  if (!PEM.test(cert)) throw new ConfigError(`${where.cert}: ${files.cert} is not a PEM certificate (expected -----BEGIN CERTIFICATE-----)`);
  if (!PEM.test(key)) throw new ConfigError(`${where.key}: ${files.key} is not a PEM private key (expected -----BEGIN PRIVATE KEY-----)`);
  let x509: crypto.X509Certificate;
  try {
    x509 = new crypto.X509Certificate(cert);
  } catch {
    throw new ConfigError(`${where.cert}: ${files.cert} holds no readable X.509 certificate`);
  }
  let privateKey: crypto.KeyObject;
  try {
    privateKey = crypto.createPrivateKey(key);
  } catch {
    throw new ConfigError(`${where.key}: ${files.key} holds no readable private key (an encrypted key is not supported; decrypt it with openssl)`);
  }
  if (!x509.checkPrivateKey(privateKey)) {
    throw new ConfigError(`${where.key}: ${files.key} is not the private key of the certificate in ${files.cert}`);
  }
  // What the server will do with them, so a combination Node refuses fails here too.
  try {
    tls.createSecureContext({ cert, key });
  } catch (e) {
    throw new ConfigError(`${where.cert}: the certificate and key cannot be used for TLS: ${(e as Error).message}`);
  }
  const warnings: string[] = [];
  const validTo = new Date(x509.validTo);
  if (validTo.getTime() < now.getTime()) warnings.push(`the TLS certificate in ${files.cert} expired on ${validTo.toISOString()}: clients will refuse it`);
  if (new Date(x509.validFrom).getTime() > now.getTime()) warnings.push(`the TLS certificate in ${files.cert} is not valid before ${new Date(x509.validFrom).toISOString()}`);
  const mode = access.mode(files.key);
  if (mode !== null && (mode & 0o077) !== 0) {
    warnings.push(`the TLS key ${files.key} can be read by other users (mode ${mode.toString(8)}); run \`chmod 600 ${files.key}\``);
  }
  return { credentials: { cert, key }, subject: x509.subject.replace(/\n/g, ', '), validTo, warnings };
}
