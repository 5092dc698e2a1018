/**
 * The platform's signing keys (ES256): generated once, the private half stored sealed with the
 * credentials key. The JWKS publishes every key that signs now and every retired key until the
 * results it signed have expired. Several processes converge on one key: each signs with the
 * oldest key that is not retired.
 * @module
 */
import { randomBytes } from 'node:crypto';
import { type CryptoKey, exportJWK, generateKeyPair, importJWK, type JSONWebKeySet, type JWK } from 'jose';
import type { Kysely } from 'kysely';
import type { CredentialCipher } from '../crypto/credential-cipher.js';
import type { DatabaseSchema } from '../db/schema.js';

export const SIGNING_ALG = 'ES256';

export interface SigningKey {
  kid: string;
  alg: string;
  privateKey: CryptoKey;
}

export class SigningKeys {
  #current: Promise<SigningKey> | undefined;

  constructor(
    private readonly db: Kysely<DatabaseSchema>,
    private readonly cipher: CredentialCipher,
    /** How long a signed result lives; retired keys stay published this long. */
    private readonly resultTtlSeconds: number,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** The key to sign with now, generating the first one when there is none. */
  current(): Promise<SigningKey> {
    this.#current ??= this.#load().catch((error: unknown) => {
      this.#current = undefined;
      throw error;
    });
    return this.#current;
  }

  async #load(): Promise<SigningKey> {
    let row = await this.#oldestActive();
    if (!row) {
      await this.#generate();
      row = await this.#oldestActive();
    }
    if (!row) throw new Error('no signing key could be stored');
    const jwk = this.cipher.openJson<JWK>(row.private_jwk, row.kid);
    return { kid: row.kid, alg: row.alg, privateKey: (await importJWK(jwk, row.alg)) as CryptoKey };
  }

  #oldestActive() {
    return this.db
      .selectFrom('signing_keys')
      .selectAll()
      .where('retired_at', 'is', null)
      .orderBy('created_at')
      .orderBy('kid')
      .executeTakeFirst();
  }

  async #generate(): Promise<string> {
    const { publicKey, privateKey } = await generateKeyPair(SIGNING_ALG, { extractable: true });
    const kid = randomBytes(12).toString('base64url');
    const publicJwk = { ...(await exportJWK(publicKey)), kid, alg: SIGNING_ALG, use: 'sig' };
    await this.db
      .insertInto('signing_keys')
      .values({
        kid,
        alg: SIGNING_ALG,
        public_jwk: JSON.stringify(publicJwk),
        private_jwk: this.cipher.sealJson(await exportJWK(privateKey), kid),
        created_at: this.now().toISOString(),
        retired_at: null,
      })
      .execute();
    return kid;
  }

  /** Starts signing with a new key; the old ones stay in the JWKS until their results expire. */
  async rotate(): Promise<string> {
    const retiredAt = this.now().toISOString();
    await this.db
      .updateTable('signing_keys')
      .set({ retired_at: retiredAt })
      .where('retired_at', 'is', null)
      .execute();
    const kid = await this.#generate();
    this.#current = undefined;
    return kid;
  }

  async jwks(): Promise<JSONWebKeySet> {
    const cutoff = new Date(this.now().getTime() - this.resultTtlSeconds * 1000).toISOString();
    const rows = await this.db
      .selectFrom('signing_keys')
      .select(['public_jwk'])
      .where((eb) => eb.or([eb('retired_at', 'is', null), eb('retired_at', '>', cutoff)]))
      .orderBy('created_at')
      .execute();
    return { keys: rows.map((r) => JSON.parse(r.public_jwk) as JWK) };
  }
}
