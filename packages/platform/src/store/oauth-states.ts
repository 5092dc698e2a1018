/**
 * OAuth authorization requests in flight. The `state` is stored only as a hash; the flow (which
 * carries the raw link token the callback consumes) and the PKCE verifier only sealed, bound to
 * the state's hash, so a copy of the table yields neither. A state is taken once (the callback
 * deletes it as it reads it).
 * @module
 */
import type { Kysely } from 'kysely';
import type { CredentialCipher } from '../crypto/credential-cipher.js';
import { hashSecret } from '../crypto/tokens.js';
import type { DatabaseSchema } from '../db/schema.js';

export interface PendingAuthorization<Flow> {
  linkTokenHash: string;
  flow: Flow;
  codeVerifier: string;
}

export class OAuthStateStore {
  constructor(
    private readonly db: Kysely<DatabaseSchema>,
    private readonly cipher: CredentialCipher,
  ) {}

  async save<Flow>(state: string, pending: PendingAuthorization<Flow>, expiresAt: Date): Promise<void> {
    const stateHash = hashSecret(state);
    await this.db
      .insertInto('oauth_states')
      .values({
        state_hash: stateHash,
        link_token_hash: pending.linkTokenHash,
        sealed_flow: this.cipher.sealJson(pending.flow, `flow:${stateHash}`),
        code_verifier: this.cipher.seal(pending.codeVerifier, stateHash),
        expires_at: expiresAt.toISOString(),
      })
      .execute();
  }

  /** The pending authorization of this state, removed as it is read; undefined when unknown or expired. */
  async take<Flow>(state: string, now = new Date()): Promise<PendingAuthorization<Flow> | undefined> {
    const stateHash = hashSecret(state);
    const row = await this.db
      .deleteFrom('oauth_states')
      .where('state_hash', '=', stateHash)
      .returningAll()
      .executeTakeFirst();
    if (!row || row.expires_at <= now.toISOString()) return undefined;
    return {
      linkTokenHash: row.link_token_hash,
      flow: this.cipher.openJson<Flow>(row.sealed_flow, `flow:${stateHash}`),
      codeVerifier: this.cipher.open(row.code_verifier, stateHash),
    };
  }
}
