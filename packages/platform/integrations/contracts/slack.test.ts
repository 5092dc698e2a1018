/**
 * Slack contract: OAuth v2 (comma-separated bot scopes, HTTP Basic at the token endpoint), the
 * Web API requests the definition sends and what it reads from Slack's documented answers
 * (https://docs.slack.dev/apis/web-api/). No network.
 * @module
 */
import { describe, expect, it } from 'vitest';
import {
  authorizeUrl,
  type ContractAccount,
  methodRequest,
  nextPage,
  postInstallRun,
  shippedDefinition,
  tokenExchange,
} from '../../test/support/contract.js';

const def = shippedDefinition('slack');
const account: ContractAccount = {
  credentials: {
    access_token: 'xoxb-17653672481-19874698323-pdFZKVeTuE8sk7oOcBrzbqgy',
    bot_user_id: 'U0KRQLJ9H',
  },
};
const headers = { authorization: 'Bearer xoxb-17653672481-19874698323-pdFZKVeTuE8sk7oOcBrzbqgy' };

// The oauth.v2.access example answer, https://docs.slack.dev/reference/methods/oauth.v2.access
const tokenAnswer = {
  ok: true,
  access_token: 'xoxb-17653672481-19874698323-pdFZKVeTuE8sk7oOcBrzbqgy',
  token_type: 'bot',
  scope: 'commands,incoming-webhook',
  bot_user_id: 'U0KRQLJ9H',
  app_id: 'A0KRD7HC3',
  team: { name: 'Slack Softball Team', id: 'T9TK3CUKW' },
  enterprise: { name: 'slack-sports', id: 'E12345678' },
  authed_user: { id: 'U1234', scope: 'chat:write', access_token: 'xoxp-1234', token_type: 'user' },
};
const slackClient = { clientId: '2141029472.691202649728', clientSecret: 'secret-456' };

describe('slack OAuth', () => {
  it('asks for bot scopes joined by commas, without PKCE', async () => {
    // https://docs.slack.dev/authentication/installing-with-oauth: scope is a comma-separated list.
    const url = await authorizeUrl(def);
    expect(url.origin + url.pathname).toBe('https://slack.com/oauth/v2/authorize');
    expect(url.searchParams.get('scope')).toBe(
      'channels:read,groups:read,channels:history,groups:history,chat:write,users:read,users:read.email',
    );
    expect(url.searchParams.get('code_challenge')).toBeNull();
    expect(url.searchParams.get('user_scope')).toBeNull();
  });

  it('sends the client id and secret with HTTP Basic to oauth.v2.access', async () => {
    // oauth.v2.access: "supply the Client ID and Client Secret using the HTTP Basic authentication scheme".
    const { request } = await tokenExchange(def, { body: tokenAnswer }, {}, slackClient);
    expect(request.url).toBe('https://slack.com/api/oauth.v2.access');
    expect(request.headers.authorization).toBe(
      `Basic ${Buffer.from('2141029472.691202649728:secret-456').toString('base64')}`,
    );
    expect(request.form).toEqual({
      grant_type: 'authorization_code',
      code: 'code-789',
      redirect_uri: 'https://connect.example.com/link/oauth/callback',
    });
  });

  it('accepts the bot token answer (token_type "bot") and keeps the bot token and bot_user_id', async () => {
    const { credentials } = await tokenExchange(def, { body: tokenAnswer }, {}, slackClient);
    expect(credentials).toEqual({
      access_token: 'xoxb-17653672481-19874698323-pdFZKVeTuE8sk7oOcBrzbqgy',
      bot_user_id: 'U0KRQLJ9H',
    });
  });

  it('refuses an ok:false token answer, which carries no token', async () => {
    await expect(
      tokenExchange(def, { body: { ok: false, error: 'invalid_code' } }, {}, slackClient),
    ).rejects.toThrow();
  });
});

describe('slack post-install', () => {
  it('calls auth.test and keeps team id, workspace URL and bot user', () => {
    // auth.test example answer, https://docs.slack.dev/reference/methods/auth.test
    const sample = {
      ok: true,
      url: 'https://subarachnoid.slack.com/',
      team: 'Subarachnoid Workspace',
      user: 'grace',
      team_id: 'T12345678',
      user_id: 'W12345678',
    };
    const { requests, context } = postInstallRun(def, account, { auth_test: { body: sample } });
    expect(requests.auth_test).toEqual({ method: 'GET', url: 'https://slack.com/api/auth.test', headers });
    expect(context).toEqual({
      team_id: 'T12345678',
      team_url: 'https://subarachnoid.slack.com/',
      bot_user_id: 'U0KRQLJ9H',
    });
  });

  it('declares ok:false answers as failures with the error code as message', () => {
    expect(def.bodyErrors).toEqual({ okPath: '$response.body.ok', messagePath: '$response.body.error' });
  });
});

describe('slack methods', () => {
  it('list_conversations sends types, limit and cursor as query parameters', () => {
    expect(
      methodRequest(def, account, 'list_conversations', {
        types: 'public_channel,private_channel',
        exclude_archived: true,
        limit: 200,
      }),
    ).toEqual({
      method: 'GET',
      url: 'https://slack.com/api/conversations.list?types=public_channel%2Cprivate_channel&exclude_archived=true&limit=200',
      headers,
    });
  });

  it('list_conversations pages with response_metadata.next_cursor', () => {
    // conversations.list example answer, https://docs.slack.dev/reference/methods/conversations.list (trimmed).
    const answer = {
      body: {
        ok: true,
        channels: [{ id: 'C012AB3CD', name: 'general', is_channel: true }],
        response_metadata: { next_cursor: 'dGVhbTpDMDYxRkE1UEI=' },
      },
    };
    const next = nextPage(def, 'list_conversations', answer);
    expect(next).toEqual({ cursor: 'dGVhbTpDMDYxRkE1UEI=' });
    expect(methodRequest(def, account, 'list_conversations', { limit: 200, ...next }).url).toBe(
      'https://slack.com/api/conversations.list?limit=200&cursor=dGVhbTpDMDYxRkE1UEI%3D',
    );
    // The last page carries an empty next_cursor.
    const last = { body: { ok: true, channels: [], response_metadata: { next_cursor: '' } } };
    expect(nextPage(def, 'list_conversations', last)).toBeUndefined();
  });

  it('get_conversation_history reads a channel and stops when has_more is false', () => {
    expect(
      methodRequest(def, account, 'get_conversation_history', { channel: 'C123ABC456', limit: 50 }),
    ).toEqual({
      method: 'GET',
      url: 'https://slack.com/api/conversations.history?channel=C123ABC456&limit=50',
      headers,
    });
    // conversations.history example answer, https://docs.slack.dev/reference/methods/conversations.history (trimmed).
    const more = {
      body: {
        ok: true,
        messages: [
          {
            type: 'message',
            user: 'U123ABC456',
            text: 'I find you punny and would like to smell your nose letter',
            ts: '1512085950.000216',
          },
        ],
        has_more: true,
        pin_count: 0,
        response_metadata: { next_cursor: 'bmV4dF90czoxNTEyMDg1ODYxMDAwNTQz' },
      },
    };
    expect(nextPage(def, 'get_conversation_history', more)).toEqual({
      cursor: 'bmV4dF90czoxNTEyMDg1ODYxMDAwNTQz',
    });
    const done = { body: { ...more.body, has_more: false } };
    expect(nextPage(def, 'get_conversation_history', done)).toBeUndefined();
  });

  it('post_message posts JSON to chat.postMessage', () => {
    // chat.postMessage JSON example, https://docs.slack.dev/reference/methods/chat.postMessage
    expect(
      methodRequest(def, account, 'post_message', {
        channel: 'C123ABC456',
        text: 'Hello world',
        thread_ts: '1512085950.000216',
      }),
    ).toEqual({
      method: 'POST',
      url: 'https://slack.com/api/chat.postMessage',
      headers: { ...headers, 'content-type': 'application/json' },
      body: { channel: 'C123ABC456', text: 'Hello world', thread_ts: '1512085950.000216' },
    });
  });

  it('lookup_user_by_email sends the email as a query parameter', () => {
    expect(
      methodRequest(def, account, 'lookup_user_by_email', { email: 'spengler@ghostbusters.example.com' }),
    ).toEqual({
      method: 'GET',
      url: 'https://slack.com/api/users.lookupByEmail?email=spengler%40ghostbusters.example.com',
      headers,
    });
  });

  it('declares 429 with Retry-After', () => {
    expect(def.rateLimit).toMatchObject({ statuses: [429], retryAfterHeader: 'Retry-After' });
  });
});
