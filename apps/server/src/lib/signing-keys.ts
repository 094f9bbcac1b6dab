import {
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  type KeyObject,
  sign,
  verify,
} from 'node:crypto';
import type { Kysely } from 'kysely';
import type { DB } from '../db/tables';

/**
 * The server's Ed25519 key for what devices must verify offline: offline login grants and licence
 * leases. Devices get the public key at login. The private key comes from OFFLINE_SIGNING_KEY (PEM)
 * when set (required in production); otherwise one is generated once and kept in the database so
 * every replica and restart signs with the same key.
 */
export type SigningKey = { id: string; privateKey: KeyObject; publicKeyPem: string };

/** Loads the configured key, or the stored one, creating it on first use (non-production only). */
export async function loadSigningKey(
  owner: Kysely<DB>,
  configuredPem: string | undefined,
): Promise<SigningKey> {
  if (configuredPem) {
    const privateKey = createPrivateKey(configuredPem);
    return { id: 'configured', privateKey, publicKeyPem: exportPublic(createPublicKey(privateKey)) };
  }
  const existing = await owner
    .selectFrom('server_keys')
    .selectAll()
    .where('id', '=', 'offline-grant')
    .executeTakeFirst();
  if (existing) {
    return {
      id: existing.id,
      privateKey: createPrivateKey(existing.private_pem),
      publicKeyPem: existing.public_pem,
    };
  }
  const pair = generateKeyPairSync('ed25519');
  const privatePem = pair.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  const publicPem = exportPublic(pair.publicKey);
  await owner
    .insertInto('server_keys')
    .values({ id: 'offline-grant', algorithm: 'Ed25519', private_pem: privatePem, public_pem: publicPem })
    .onConflict((oc) => oc.column('id').doNothing())
    .execute();
  return loadSigningKey(owner, undefined);
}

function exportPublic(key: KeyObject): string {
  return key.export({ type: 'spki', format: 'pem' }).toString();
}

/** Signs a JSON payload as `base64url(payload).base64url(signature)`. */
export function signPayload(key: SigningKey, payload: unknown): string {
  const body = Buffer.from(JSON.stringify(payload)).toString('base64url');
  const signature = sign(null, Buffer.from(body), key.privateKey).toString('base64url');
  return `${body}.${signature}`;
}

/** Verifies a token made by `signPayload` with a public key; returns the payload or null. */
export function verifyPayload(publicKeyPem: string, token: string): unknown {
  const [body, signature] = token.split('.');
  if (!body || !signature) return null;
  const ok = verify(
    null,
    Buffer.from(body),
    createPublicKey(publicKeyPem),
    Buffer.from(signature, 'base64url'),
  );
  return ok ? JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) : null;
}
