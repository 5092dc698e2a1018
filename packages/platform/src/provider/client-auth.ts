/**
 * OAuth 2.0 client authentication at a token endpoint. HTTP Basic (`client_secret_basic`)
 * encodes the client id and secret with application/x-www-form-urlencoded before joining them
 * (RFC 6749 §2.3.1): letters, digits and `*-._` stay as they are, a space becomes `+`, all else
 * is percent-encoded. oauth4webapi's own `ClientSecretBasic` also escapes `-_.!~*'()`, which a
 * server that does not decode Basic credentials (many do not) reads as another client id:
 * `interop%2Dclient` instead of `interop-client`. For a decoding server both are the same.
 * @module
 */
import * as oauth from 'oauth4webapi';

/** application/x-www-form-urlencoded, as the URL Standard's serializer writes one value. */
export function formUrlEncode(value: string): string {
  return new URLSearchParams([['', value]]).toString().slice(1);
}

export function clientSecretBasic(clientSecret: string): oauth.ClientAuth {
  if (typeof clientSecret !== 'string') throw new TypeError('clientSecret must be a string');
  return function clientSecretBasicAuth(_as, client, _body, headers) {
    const credentials = `${formUrlEncode(client.client_id)}:${formUrlEncode(clientSecret)}`;
    headers.set('authorization', `Basic ${Buffer.from(credentials).toString('base64')}`);
  };
}

/** `client_secret_post`: id and secret in the form body (oauth4webapi's, which is correct). */
export const clientSecretPost = oauth.ClientSecretPost;
