/**
 * Google Drive contract: Google's web-server OAuth (offline access, consent prompt, PKCE), the
 * Drive v3 requests the definition sends and what it reads from Google's documented answers
 * (https://developers.google.com/workspace/drive/api/reference/rest/v3). No network.
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
  throttleOf,
  tokenExchange,
} from '../../test/support/contract.js';

const def = shippedDefinition('google-drive');
const account: ContractAccount = { credentials: { access_token: 'ya29.a0AfH6SMBx' } };
const headers = { accept: 'application/json', authorization: 'Bearer ya29.a0AfH6SMBx' };
const listFields =
  'nextPageToken%2CincompleteSearch%2Cfiles%28id%2Cname%2CmimeType%2CmodifiedTime%2Csize%2CwebViewLink%2Cparents%2Cowners%28emailAddress%29%29';

describe('google-drive OAuth', () => {
  it('asks for offline access with a consent prompt, Drive scopes and PKCE', async () => {
    // Step 1 of https://developers.google.com/identity/protocols/oauth2/web-server
    const url = await authorizeUrl(def);
    expect(url.origin + url.pathname).toBe('https://accounts.google.com/o/oauth2/v2/auth');
    expect(url.searchParams.get('scope')).toBe(
      'https://www.googleapis.com/auth/drive.readonly https://www.googleapis.com/auth/drive.file',
    );
    expect(url.searchParams.get('access_type')).toBe('offline');
    expect(url.searchParams.get('prompt')).toBe('consent');
    expect(url.searchParams.get('include_granted_scopes')).toBe('true');
    expect(url.searchParams.get('response_type')).toBe('code');
    expect(url.searchParams.get('code_challenge_method')).toBe('S256');
  });

  it('trades the code at oauth2.googleapis.com and keeps access and refresh tokens', async () => {
    // Step 5 answer of the same page (Google's example).
    const answer = {
      body: {
        access_token: '1/fFAGRNJru1FTz70BzhT3Zg',
        expires_in: 3920,
        token_type: 'Bearer',
        scope:
          'https://www.googleapis.com/auth/drive.metadata.readonly https://www.googleapis.com/auth/calendar.readonly',
        refresh_token: '1//xEoDL4iW3cxlI7yDbSRFYNG01kVKM2C-259HOF2aQbI',
      },
    };
    const { request, credentials } = await tokenExchange(def, answer);
    expect(request.url).toBe('https://oauth2.googleapis.com/token');
    expect(request.headers.authorization).toBeUndefined();
    expect(request.form).toEqual({
      grant_type: 'authorization_code',
      code: 'code-789',
      redirect_uri: 'https://connect.example.com/link/oauth/callback',
      code_verifier: 'v'.repeat(43),
      client_id: 'client-123',
      client_secret: 'secret-456',
    });
    expect(credentials).toEqual({
      access_token: '1/fFAGRNJru1FTz70BzhT3Zg',
      refresh_token: '1//xEoDL4iW3cxlI7yDbSRFYNG01kVKM2C-259HOF2aQbI',
      expires_in: 3920,
    });
  });
});

describe('google-drive post-install', () => {
  it('reads about?fields=user and keeps the email and permission id', () => {
    // about.get with fields=user, https://developers.google.com/workspace/drive/api/reference/rest/v3/about/get
    const sample = {
      user: {
        kind: 'drive#user',
        displayName: 'Jane Doe',
        photoLink: 'https://lh3.googleusercontent.com/a/photo',
        me: true,
        permissionId: '00112233445566778899',
        emailAddress: 'jane@example.com',
      },
    };
    const { requests, context } = postInstallRun(def, account, { about: { body: sample } });
    expect(requests.about).toEqual({
      method: 'GET',
      url: 'https://www.googleapis.com/drive/v3/about?fields=user',
      headers,
    });
    expect(context).toEqual({ email: 'jane@example.com', permission_id: '00112233445566778899' });
  });
});

describe('google-drive methods', () => {
  it('list_files searches with q and pages with pageToken', () => {
    expect(
      methodRequest(def, account, 'list_files', {
        q: "name contains 'budget' and trashed = false",
        pageSize: 50,
      }),
    ).toEqual({
      method: 'GET',
      url: `https://www.googleapis.com/drive/v3/files?q=name+contains+%27budget%27+and+trashed+%3D+false&pageSize=50&fields=${listFields}&includeItemsFromAllDrives=true&supportsAllDrives=true`,
      headers,
    });
    // FileList answer, https://developers.google.com/workspace/drive/api/reference/rest/v3/files/list
    const answer = {
      body: {
        kind: 'drive#fileList',
        nextPageToken: '~!!~AI9FV7RbPLaceHoLdEr',
        incompleteSearch: false,
        files: [
          {
            kind: 'drive#file',
            id: '1a2b3c',
            name: 'Budget 2026',
            mimeType: 'application/vnd.google-apps.spreadsheet',
          },
        ],
      },
    };
    const next = nextPage(def, 'list_files', answer);
    expect(next).toEqual({ pageToken: '~!!~AI9FV7RbPLaceHoLdEr' });
    expect(methodRequest(def, account, 'list_files', { pageSize: 50, ...next }).url).toBe(
      `https://www.googleapis.com/drive/v3/files?pageSize=50&pageToken=%7E%21%21%7EAI9FV7RbPLaceHoLdEr&fields=${listFields}&includeItemsFromAllDrives=true&supportsAllDrives=true`,
    );
    // The last page has no nextPageToken.
    const last = { body: { kind: 'drive#fileList', incompleteSearch: false, files: [] } };
    expect(nextPage(def, 'list_files', last)).toBeUndefined();
  });

  it('get_file asks for a fixed set of fields', () => {
    const request = methodRequest(def, account, 'get_file', { fileId: '1a2b3c' });
    expect(request.method).toBe('GET');
    const url = new URL(request.url);
    expect(url.origin + url.pathname).toBe('https://www.googleapis.com/drive/v3/files/1a2b3c');
    expect(url.searchParams.get('supportsAllDrives')).toBe('true');
    expect(url.searchParams.get('fields')?.split(',').slice(0, 3)).toEqual(['id', 'name', 'mimeType']);
  });

  it('export_file exports a Google Doc as plain text, accepting any content type', () => {
    // files.export, https://developers.google.com/workspace/drive/api/reference/rest/v3/files/export
    expect(methodRequest(def, account, 'export_file', { fileId: '1a2b3c', mimeType: 'text/plain' })).toEqual({
      method: 'GET',
      url: 'https://www.googleapis.com/drive/v3/files/1a2b3c/export?mimeType=text%2Fplain',
      headers: { ...headers, accept: '*/*' },
    });
  });

  it('create_file posts metadata only (a folder)', () => {
    // Create a folder, https://developers.google.com/workspace/drive/api/guides/folder
    expect(
      methodRequest(def, account, 'create_file', {
        name: 'Invoices',
        mimeType: 'application/vnd.google-apps.folder',
        parents: ['0BwwA4oUTeiV1TGRPeTVjaWRDY1E'],
      }),
    ).toEqual({
      method: 'POST',
      url: 'https://www.googleapis.com/drive/v3/files?supportsAllDrives=true',
      headers: { ...headers, 'content-type': 'application/json' },
      body: {
        name: 'Invoices',
        mimeType: 'application/vnd.google-apps.folder',
        parents: ['0BwwA4oUTeiV1TGRPeTVjaWRDY1E'],
      },
    });
  });
});

describe('google-drive rate limits', () => {
  // https://developers.google.com/workspace/drive/api/guides/limits: 403 "User rate limit
  // exceeded" or 429, to be retried with exponential backoff; the body follows Google's JSON
  // error format (https://developers.google.com/workspace/drive/api/guides/handle-errors).
  const limited = (reason: string) => ({
    error: {
      code: 403,
      message: 'User Rate Limit Exceeded',
      errors: [{ domain: 'usageLimits', reason, message: 'User Rate Limit Exceeded' }],
    },
  });

  it('backs off from a 403 whose reason is a rate limit, and from a 429', () => {
    expect(throttleOf(def, { status: 403, body: limited('userRateLimitExceeded') })).toEqual({
      waitMs: 1000,
      retry: true,
    });
    expect(throttleOf(def, { status: 403, body: limited('rateLimitExceeded') })).toEqual({
      waitMs: 1000,
      retry: true,
    });
    expect(throttleOf(def, { status: 429 })).toEqual({ waitMs: 1000, retry: true });
  });

  it('leaves a 403 for a missing permission or the daily sharing limit alone', () => {
    const denied = {
      error: {
        code: 403,
        message: 'The user does not have sufficient permissions for file abc.',
        errors: [{ domain: 'global', reason: 'insufficientFilePermissions' }],
      },
    };
    expect(throttleOf(def, { status: 403, body: denied })).toBeUndefined();
    expect(throttleOf(def, { status: 403, body: limited('sharingRateLimitExceeded') })).toBeUndefined();
  });
});
