/**
 * OneDrive contract: the Microsoft identity platform flow with Files scopes, the Graph drive
 * requests the definition sends and what it reads from Microsoft's documented answers
 * (https://learn.microsoft.com/en-us/onedrive/developer/rest-api/). No network.
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

const def = shippedDefinition('one-drive');
const account: ContractAccount = { credentials: { access_token: 'EwBwA8l6BAAU7p9QDpi' } };
const headers = { accept: 'application/json', authorization: 'Bearer EwBwA8l6BAAU7p9QDpi' };
const graph = 'https://graph.microsoft.com/v1.0';

describe('one-drive OAuth', () => {
  it('asks the common tenant for Files.ReadWrite with offline access and PKCE', async () => {
    const url = await authorizeUrl(def);
    expect(url.origin + url.pathname).toBe('https://login.microsoftonline.com/common/oauth2/v2.0/authorize');
    expect(url.searchParams.get('scope')).toBe('offline_access User.Read Files.ReadWrite');
    expect(url.searchParams.get('response_mode')).toBe('query');
    expect(url.searchParams.get('code_challenge_method')).toBe('S256');
  });

  it('redeems the code at the common token endpoint', async () => {
    const answer = {
      body: {
        access_token: 'EwBwA8l6BAAU7p9QDpi',
        token_type: 'Bearer',
        expires_in: 3600,
        scope: 'Files.ReadWrite User.Read',
        refresh_token: 'MCTrMmd1DxzUkqfMr4yz',
      },
    };
    const { request, credentials } = await tokenExchange(def, answer);
    expect(request.url).toBe('https://login.microsoftonline.com/common/oauth2/v2.0/token');
    expect(request.form.client_secret).toBe('secret-456');
    expect(credentials).toEqual({
      access_token: 'EwBwA8l6BAAU7p9QDpi',
      refresh_token: 'MCTrMmd1DxzUkqfMr4yz',
      expires_in: 3600,
    });
  });
});

describe('one-drive post-install', () => {
  it('reads /me/drive and keeps the drive id, type and owner', () => {
    // Get Drive example answer, https://learn.microsoft.com/en-us/graph/api/drive-get?view=graph-rest-1.0 (trimmed).
    const sample = {
      id: 'b!t18F8ybsHUq1z3LTz8xvZqP8zaSWjkFNhsME-Fepo75dTf9vQKfeRblBZjoSQrd7',
      driveType: 'business',
      owner: { user: { id: 'efee1b77-fb3b-4f65-99d6-274c11914d12', displayName: 'Ryan Gregg' } },
      quota: { deleted: 256938, remaining: 1099447353539, state: 'normal', total: 1099511627776 },
    };
    const { requests, context } = postInstallRun(def, account, { drive: { body: sample } });
    expect(requests.drive).toEqual({ method: 'GET', url: `${graph}/me/drive`, headers });
    expect(context).toEqual({
      drive_id: 'b!t18F8ybsHUq1z3LTz8xvZqP8zaSWjkFNhsME-Fepo75dTf9vQKfeRblBZjoSQrd7',
      drive_type: 'business',
      owner_id: 'efee1b77-fb3b-4f65-99d6-274c11914d12',
    });
  });
});

describe('one-drive methods', () => {
  it('list_root lists the root children and pages with @odata.nextLink', () => {
    expect(methodRequest(def, account, 'list_root', { top: 100 })).toEqual({
      method: 'GET',
      url: `${graph}/me/drive/root/children?%24top=100`,
      headers,
    });
    // List children example answer, https://learn.microsoft.com/en-us/graph/api/driveitem-list-children?view=graph-rest-1.0
    const nextLink = 'https://graph.microsoft.com/v1.0/me/drive/root/children?$skiptoken=ABCDEFG';
    const answer = {
      body: {
        value: [
          { name: 'myfile.jpg', size: 2048, file: {} },
          { name: 'Documents', folder: { childCount: 4 } },
        ],
        '@odata.nextLink': nextLink,
      },
    };
    const next = nextPage(def, 'list_root', answer);
    expect(next).toEqual({ next_link: nextLink });
    expect(methodRequest(def, account, 'list_root', { ...next }).url).toBe(nextLink);
    expect(nextPage(def, 'list_root', { body: { value: [{ name: 'last.txt', file: {} }] } })).toBeUndefined();
  });

  it('list_folder lists one folder by item id', () => {
    expect(methodRequest(def, account, 'list_folder', { id: '01BYE5RZ6QN3ZWBTUFOFD3GSPGOHDJD36K' }).url).toBe(
      `${graph}/me/drive/items/01BYE5RZ6QN3ZWBTUFOFD3GSPGOHDJD36K/children`,
    );
  });

  it('search_files puts the URL-encoded text inside root/search(q=...)', () => {
    // Search example, https://learn.microsoft.com/en-us/graph/api/driveitem-search?view=graph-rest-1.0
    expect(methodRequest(def, account, 'search_files', { q: 'Contoso Project' })).toEqual({
      method: 'GET',
      url: `${graph}/me/drive/root/search(q='Contoso%20Project')`,
      headers,
    });
    expect(methodRequest(def, account, 'search_files', { q: 'a/b?c#d', top: 5 }).url).toBe(
      `${graph}/me/drive/root/search(q='a%2Fb%3Fc%23d')?%24top=5`,
    );
  });

  it('get_file_content asks for the content of one item, any content type', () => {
    expect(
      methodRequest(def, account, 'get_file_content', { id: '01BYE5RZ6QN3ZWBTUFOFD3GSPGOHDJD36K' }),
    ).toEqual({
      method: 'GET',
      url: `${graph}/me/drive/items/01BYE5RZ6QN3ZWBTUFOFD3GSPGOHDJD36K/content`,
      headers: { ...headers, accept: '*/*' },
    });
  });

  it('create_folder posts the documented body', () => {
    // Create a folder example, https://learn.microsoft.com/en-us/graph/api/driveitem-post-children?view=graph-rest-1.0
    expect(
      methodRequest(def, account, 'create_folder', {
        parent_id: 'root',
        name: 'New Folder',
        conflict_behavior: 'rename',
      }),
    ).toEqual({
      method: 'POST',
      url: `${graph}/me/drive/items/root/children`,
      headers: { ...headers, 'content-type': 'application/json' },
      body: { name: 'New Folder', folder: {}, '@microsoft.graph.conflictBehavior': 'rename' },
    });
  });
});
