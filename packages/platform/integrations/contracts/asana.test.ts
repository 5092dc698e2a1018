/**
 * Contract tests of the Asana definition against Asana's documented requests and answers
 * (OAuth with granular scopes or a personal access token, `data` envelopes, next_page.offset
 * paging). No network.
 * @module
 */
import { describe, expect, it } from 'vitest';
import {
  authorizeUrl,
  methodRequest,
  nextPage,
  postInstallRun,
  shippedDefinition,
  tokenExchange,
} from '../../test/support/contract.js';

const def = shippedDefinition('asana');
const pat = {
  format: 'api_key' as const,
  credentials: { api_key: '2/1200000000000000/1209999999999999:abc' },
};
const oauth = { format: 'oauth2' as const, credentials: { access_token: 'ACCESS_TOKEN' } };
const base = 'https://app.asana.com/api/1.0';
const headers = { accept: 'application/json', authorization: 'Bearer ACCESS_TOKEN' };

describe('asana contract', () => {
  it('sends the person to /-/oauth_authorize with space-separated granular scopes', async () => {
    // https://developers.asana.com/docs/oauth and https://developers.asana.com/docs/oauth-scopes
    const url = await authorizeUrl(def);
    expect(url.origin + url.pathname).toBe('https://app.asana.com/-/oauth_authorize');
    expect(url.searchParams.get('scope')).toBe(
      'tasks:read tasks:write projects:read users:read workspaces:read stories:write',
    );
    expect(url.searchParams.get('response_type')).toBe('code');
    expect(url.searchParams.get('client_id')).toBe('client-123');
  });

  it('exchanges the code at /-/oauth_token with the secret in the body', async () => {
    // Token answer: https://developers.asana.com/docs/oauth
    const { request, credentials } = await tokenExchange(def, {
      body: {
        access_token: 'f6ds7fdsa69ags7ag9sd5a',
        expires_in: 3600,
        token_type: 'bearer',
        data: { id: 4673218951, gid: '4673218951', name: 'Greg Sanchez', email: 'gsanchez@example.com' },
        refresh_token: 'hjkl325hjkl4325hj4kl32fjds',
      },
    });
    expect(request.url).toBe('https://app.asana.com/-/oauth_token');
    expect(request.headers.authorization).toBeUndefined();
    expect(request.form).toMatchObject({
      grant_type: 'authorization_code',
      code: 'code-789',
      client_id: 'client-123',
      client_secret: 'secret-456',
      redirect_uri: 'https://connect.example.com/link/oauth/callback',
    });
    expect(credentials).toEqual({
      access_token: 'f6ds7fdsa69ags7ag9sd5a',
      refresh_token: 'hjkl325hjkl4325hj4kl32fjds',
      expires_in: 3600,
    });
  });

  it('checks a personal access token with GET /users/me and keeps the user and first workspace', () => {
    // Sample answer: https://developers.asana.com/reference/getuser
    const { requests, context } = postInstallRun(def, pat, {
      me: {
        body: {
          data: {
            gid: '12345',
            resource_type: 'user',
            name: 'Greg Sanchez',
            email: 'gsanchez@example.com',
            workspaces: [{ gid: '12345', resource_type: 'workspace', name: 'My Company Workspace' }],
          },
        },
      },
    });
    expect(requests.me).toEqual({
      method: 'GET',
      url: `${base}/users/me?opt_fields=name%2Cemail%2Cworkspaces.name`,
      headers: {
        accept: 'application/json',
        authorization: 'Bearer 2/1200000000000000/1209999999999999:abc',
      },
    });
    expect(context).toEqual({
      user_gid: '12345',
      workspace_gid: '12345',
      workspace_name: 'My Company Workspace',
    });
  });

  it('lists a project’s tasks and reads next_page.offset, null on the last page', () => {
    // https://developers.asana.com/docs/pagination
    expect(
      methodRequest(def, oauth, 'list_tasks', {
        project: '1200000000000001',
        limit: 2,
        opt_fields: 'name,completed',
        offset: 'eyJ0eXAiOJiKV1iQLCJhbGciOiJIUzI1NiJ9',
      }),
    ).toEqual({
      method: 'GET',
      url: `${base}/tasks?project=1200000000000001&limit=2&offset=eyJ0eXAiOJiKV1iQLCJhbGciOiJIUzI1NiJ9&opt_fields=name%2Ccompleted`,
      headers,
    });
    const data = [
      { gid: '1', resource_type: 'task', name: 'Buy catnip' },
      { gid: '2', resource_type: 'task', name: 'Feed the cat' },
    ];
    const next = {
      offset: 'yJ0eXAiOiJKV1QiLCJhbGciOiJIUzI1NiJ9',
      path: '/tasks?project=1200000000000001&limit=2&offset=yJ0eXAiOiJKV1QiLCJhbGciOiJIUzI1NiJ9',
      uri: 'https://app.asana.com/api/1.0/tasks?project=1200000000000001&limit=2&offset=yJ0eXAiOiJKV1QiLCJhbGciOiJIUzI1NiJ9',
    };
    expect(nextPage(def, 'list_tasks', { body: { data, next_page: next } })).toEqual({
      offset: 'yJ0eXAiOiJKV1QiLCJhbGciOiJIUzI1NiJ9',
    });
    expect(nextPage(def, 'list_tasks', { body: { data, next_page: null } })).toBeUndefined();
  });

  it('lists workspaces and a workspace’s projects', () => {
    expect(methodRequest(def, oauth, 'list_workspaces', { limit: 50 }).url).toBe(
      `${base}/workspaces?limit=50`,
    );
    expect(methodRequest(def, oauth, 'list_projects', { workspace: '12345', archived: false }).url).toBe(
      `${base}/projects?workspace=12345&archived=false`,
    );
  });

  it('gets a task', () => {
    expect(methodRequest(def, oauth, 'get_task', { task_gid: '1204142426418372' })).toEqual({
      method: 'GET',
      url: `${base}/tasks/1204142426418372`,
      headers,
    });
  });

  it('creates a task inside a `data` envelope', () => {
    // https://developers.asana.com/reference/createtask
    expect(
      methodRequest(def, oauth, 'create_task', {
        name: 'Buy catnip',
        notes: 'Mittens really likes the stuff from Humboldt.',
        projects: ['1200000000000001'],
        assignee: 'me',
        due_on: '2026-12-05',
      }),
    ).toEqual({
      method: 'POST',
      url: `${base}/tasks`,
      headers: { ...headers, 'content-type': 'application/json' },
      body: {
        data: {
          name: 'Buy catnip',
          notes: 'Mittens really likes the stuff from Humboldt.',
          projects: ['1200000000000001'],
          assignee: 'me',
          due_on: '2026-12-05',
        },
      },
    });
  });

  it('comments on a task as a story', () => {
    expect(
      methodRequest(def, oauth, 'add_comment', { task_gid: '1204142426418372', text: 'This is a comment.' }),
    ).toEqual({
      method: 'POST',
      url: `${base}/tasks/1204142426418372/stories`,
      headers: { ...headers, 'content-type': 'application/json' },
      body: { data: { text: 'This is a comment.' } },
    });
  });
});
