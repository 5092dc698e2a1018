/**
 * Microsoft Graph contract: the identity platform's auth-code flow on the organizations tenant
 * (work or school accounts only), the Graph v1.0 requests the definition sends and what it reads
 * from Microsoft's documented answers (https://learn.microsoft.com/en-us/graph/api/overview). No network.
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

const def = shippedDefinition('microsoft-graph');
const account: ContractAccount = {
  credentials: { access_token: 'eyJ0eXAiOiJKV1QiLCJub25jZSI6IkFRQUJBQUFB' },
};
const headers = {
  accept: 'application/json',
  authorization: 'Bearer eyJ0eXAiOiJKV1QiLCJub25jZSI6IkFRQUJBQUFB',
};
const graph = 'https://graph.microsoft.com/v1.0';

describe('microsoft-graph OAuth', () => {
  it('sends a person to the work-or-school (organizations) tenant with named delegated scopes, query response mode and PKCE', async () => {
    // Request an authorization code, https://learn.microsoft.com/en-us/entra/identity-platform/v2-oauth2-auth-code-flow
    const url = await authorizeUrl(def);
    expect(url.origin + url.pathname).toBe(
      'https://login.microsoftonline.com/organizations/oauth2/v2.0/authorize',
    );
    expect(url.searchParams.get('scope')).toBe(
      'offline_access User.Read User.ReadBasic.All Mail.Read Mail.Send Calendars.Read',
    );
    expect(url.searchParams.get('response_mode')).toBe('query');
    expect(url.searchParams.get('code_challenge_method')).toBe('S256');
  });

  it('redeems the code at the organizations token endpoint and keeps the refresh token', async () => {
    // Successful token answer (same page), without id_token since openid is not requested.
    const answer = {
      body: {
        access_token: 'eyJ0eXAiOiJKV1QiLCJub25jZSI6IkFRQUJBQUFB',
        token_type: 'Bearer',
        expires_in: 3599,
        scope: 'https%3A%2F%2Fgraph.microsoft.com%2Fmail.read',
        refresh_token: 'AwABAAAAvPM1KaPlrEqdFSBzjqfTGAMxZGUTdM0t4B4',
      },
    };
    const { request, credentials } = await tokenExchange(def, answer);
    expect(request.url).toBe('https://login.microsoftonline.com/organizations/oauth2/v2.0/token');
    expect(request.form).toEqual({
      grant_type: 'authorization_code',
      code: 'code-789',
      redirect_uri: 'https://connect.example.com/link/oauth/callback',
      code_verifier: 'v'.repeat(43),
      client_id: 'client-123',
      client_secret: 'secret-456',
    });
    expect(credentials).toEqual({
      access_token: 'eyJ0eXAiOiJKV1QiLCJub25jZSI6IkFRQUJBQUFB',
      refresh_token: 'AwABAAAAvPM1KaPlrEqdFSBzjqfTGAMxZGUTdM0t4B4',
      expires_in: 3599,
    });
  });
});

describe('microsoft-graph post-install', () => {
  it('reads /me then /organization and keeps the user and the tenant id', () => {
    // Get user (/me), https://learn.microsoft.com/en-us/graph/api/user-get?view=graph-rest-1.0 (trimmed).
    const me = {
      '@odata.context': 'https://graph.microsoft.com/v1.0/$metadata#users/$entity',
      displayName: 'Adele Vance',
      mail: 'AdeleV@contoso.com',
      userPrincipalName: 'AdeleV@contoso.com',
      id: '87d349ed-44d7-43e1-9a83-5f2406dee5bd',
    };
    // Get organization, https://learn.microsoft.com/en-us/graph/api/organization-get?view=graph-rest-1.0 (trimmed).
    const organization = {
      '@odata.context': 'https://graph.microsoft.com/v1.0/$metadata#organization',
      value: [{ id: '84841066-274d-4ec0-a5c1-276be684bdd3', displayName: 'Contoso' }],
    };
    const { requests, context } = postInstallRun(def, account, {
      me: { body: me },
      organization: { body: organization },
    });
    expect(requests.me).toEqual({
      method: 'GET',
      url: `${graph}/me?%24select=id%2CdisplayName%2Cmail%2CuserPrincipalName`,
      headers,
    });
    expect(requests.organization).toEqual({
      method: 'GET',
      url: `${graph}/organization?%24select=id%2CdisplayName`,
      headers,
    });
    expect(context).toEqual({
      user_id: '87d349ed-44d7-43e1-9a83-5f2406dee5bd',
      user_principal_name: 'AdeleV@contoso.com',
      tenant_id: '84841066-274d-4ec0-a5c1-276be684bdd3',
      tenant_name: 'Contoso',
    });
  });
});

describe('microsoft-graph methods', () => {
  // Paging, https://learn.microsoft.com/en-us/graph/paging: the next page's whole URL.
  const nextLink = 'https://graph.microsoft.com/v1.0/users?$top=5&$skiptoken=RFNwdAIAAQAAAD8...AAAAAAAA';

  it('list_users filters and hands back @odata.nextLink, which is fetched as is', () => {
    expect(
      methodRequest(def, account, 'list_users', { filter: "startswith(displayName,'Ad')", top: 5 }),
    ).toEqual({
      method: 'GET',
      url: `${graph}/users?%24select=id%2CdisplayName%2Cmail%2CuserPrincipalName%2CjobTitle&%24filter=startswith%28displayName%2C%27Ad%27%29&%24top=5`,
      headers,
    });
    const answer = {
      body: {
        '@odata.context': 'https://graph.microsoft.com/v1.0/$metadata#users',
        '@odata.nextLink': nextLink,
        value: [{ id: '87d349ed-44d7-43e1-9a83-5f2406dee5bd', displayName: 'Adele Vance' }],
      },
    };
    const next = nextPage(def, 'list_users', answer);
    expect(next).toEqual({ next_link: nextLink });
    expect(methodRequest(def, account, 'list_users', { ...next }).url).toBe(new URL(nextLink).href);
    expect(nextPage(def, 'list_users', { body: { value: [] } })).toBeUndefined();
  });

  it('refuses a next_link on another host', () => {
    expect(() =>
      methodRequest(def, account, 'list_users', {
        next_link: 'https://evil.example.com/v1.0/users?$skiptoken=x',
      }),
    ).toThrow(/must stay on https:\/\/graph\.microsoft\.com/);
  });

  it('list_messages reads the mailbox newest first', () => {
    expect(methodRequest(def, account, 'list_messages', { filter: 'isRead eq false', top: 10 }).url).toBe(
      `${graph}/me/messages?%24select=id%2Csubject%2Cfrom%2CtoRecipients%2CreceivedDateTime%2CisRead%2CbodyPreview%2CwebLink&%24filter=isRead+eq+false&%24orderby=receivedDateTime+desc&%24top=10`,
    );
  });

  it('get_message reads one message by id', () => {
    expect(
      methodRequest(def, account, 'get_message', {
        id: 'AAMkAGVmMDEzMTM4LTZmYWUtNDdkNC1hMDZiLTU1OGY5OTZhYmY4OABGAAA=',
      }),
    ).toEqual({
      method: 'GET',
      url: `${graph}/me/messages/AAMkAGVmMDEzMTM4LTZmYWUtNDdkNC1hMDZiLTU1OGY5OTZhYmY4OABGAAA%3D`,
      headers,
    });
  });

  it('send_mail posts the documented message shape', () => {
    // sendMail example, https://learn.microsoft.com/en-us/graph/api/user-sendmail?view=graph-rest-1.0
    const message = {
      subject: 'Meet for lunch?',
      body: { contentType: 'Text', content: 'The new cafeteria is open.' },
      toRecipients: [{ emailAddress: { address: 'frannis@contoso.com' } }],
      ccRecipients: [{ emailAddress: { address: 'danas@contoso.com' } }],
    };
    expect(methodRequest(def, account, 'send_mail', { message, save_to_sent_items: false })).toEqual({
      method: 'POST',
      url: `${graph}/me/sendMail`,
      headers: { ...headers, 'content-type': 'application/json' },
      body: { message, saveToSentItems: false },
    });
  });

  it('list_calendar_view asks for a time window', () => {
    expect(
      methodRequest(def, account, 'list_calendar_view', {
        start: '2026-11-30T00:00:00Z',
        end: '2026-12-07T00:00:00Z',
      }).url,
    ).toBe(
      `${graph}/me/calendarView?startDateTime=2026-11-30T00%3A00%3A00Z&endDateTime=2026-12-07T00%3A00%3A00Z&%24select=id%2Csubject%2Cstart%2Cend%2Clocation%2Corganizer%2Cattendees%2CisOnlineMeeting%2CwebLink`,
    );
  });
});
