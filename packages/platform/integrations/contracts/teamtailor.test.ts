/**
 * Contract tests of the Teamtailor definition: `Authorization: Token token=…` and a dated
 * `X-Api-Version` on the chosen region's host, JSON:API bodies, `links.next` paging. Samples
 * follow Teamtailor's docs: https://docs.teamtailor.com/ (authentication, versioning, JSON:API
 * answers) and https://support.teamtailor.com/en/articles/5963369-use-our-teamtailor-api (regions).
 * @module
 */
import { describe, expect, it } from 'vitest';
import { methodRequest, nextPage, postInstallRun, shippedDefinition } from '../../test/support/contract.js';

const def = shippedDefinition('teamtailor');
const eu = { credentials: { region: 'api', api_key: 'abc123abc123' } };
const na = { credentials: { region: 'api.na', api_key: 'abc123abc123' } };
const headers = { authorization: 'Token token=abc123abc123', 'x-api-version': '20210218' };

describe('teamtailor contract', () => {
  it('checks the key with GET /v1/users on the EU host and keeps the region', () => {
    const { requests, context } = postInstallRun(def, eu, {
      users: {
        body: {
          data: [
            { id: '1', type: 'users', attributes: { name: 'Jane Recruiter', email: 'jane@example.com' } },
          ],
          links: { next: null },
        },
      },
    });
    expect(requests.users).toEqual({
      method: 'GET',
      url: 'https://api.teamtailor.com/v1/users?page%5Bsize%5D=1',
      headers,
    });
    expect(context).toEqual({ region: 'api' });
  });

  it('talks to api.na.teamtailor.com for US West accounts', () => {
    expect(methodRequest(def, na, 'list_jobs').url).toBe('https://api.na.teamtailor.com/v1/jobs');
  });

  it('offers exactly the two documented regions and refuses any other host', () => {
    const field = def.authMethods[0]?.fields?.find((f) => f.name === 'region');
    expect(field?.options?.map((o) => o.value)).toEqual(['api', 'api.na']);
    const pattern = new RegExp(field?.pattern ?? '');
    expect(['api', 'api.na'].every((v) => pattern.test(v))).toBe(true);
    expect(['evil.example.com#', 'api.evil', 'api.na.example.com/'].some((v) => pattern.test(v))).toBe(false);
  });

  it('lists candidates with the JSON:API page and filter parameters', () => {
    const req = methodRequest(def, eu, 'list_candidates', { page_size: 30, email: 'john@example.com' });
    expect(req).toEqual({
      method: 'GET',
      url: 'https://api.teamtailor.com/v1/candidates?page%5Bsize%5D=30&filter%5Bemail%5D=john%40example.com',
      headers,
    });
  });

  it('follows links.next as it is, and stops when it is null', () => {
    const nextUrl = 'https://api.teamtailor.com/v1/candidates?page%5Bnumber%5D=2&page%5Bsize%5D=30';
    const next = nextPage(def, 'list_candidates', {
      body: {
        data: [{ id: '7', type: 'candidates', attributes: { 'first-name': 'John', 'last-name': 'Doe' } }],
        links: {
          first: 'https://api.teamtailor.com/v1/candidates?page%5Bnumber%5D=1&page%5Bsize%5D=30',
          next: nextUrl,
        },
        meta: { 'record-count': 31, 'page-count': 2 },
      },
    });
    expect(next).toEqual({ page_url: nextUrl });
    expect(methodRequest(def, eu, 'list_candidates', { ...next }).url).toBe(nextUrl);
    expect(nextPage(def, 'list_candidates', { body: { data: [], links: { next: null } } })).toBeUndefined();
  });

  it('refuses a next-page URL on the other region or another host', () => {
    expect(() =>
      methodRequest(def, eu, 'list_candidates', { page_url: 'https://api.na.teamtailor.com/v1/candidates' }),
    ).toThrow(/must stay on https:\/\/api\.teamtailor\.com/);
  });

  it('gets one candidate by id', () => {
    expect(methodRequest(def, eu, 'get_candidate', { id: '7' }).url).toBe(
      'https://api.teamtailor.com/v1/candidates/7',
    );
  });

  it('creates a candidate as a JSON:API document', () => {
    const req = methodRequest(def, eu, 'create_candidate', {
      attributes: { 'first-name': 'John', 'last-name': 'Doe', email: 'john@example.com', sourced: true },
    });
    expect(req.method).toBe('POST');
    expect(req.url).toBe('https://api.teamtailor.com/v1/candidates');
    expect(req.headers.authorization).toBe('Token token=abc123abc123');
    expect(req.body).toEqual({
      data: {
        type: 'candidates',
        attributes: { 'first-name': 'John', 'last-name': 'Doe', email: 'john@example.com', sourced: true },
      },
    });
  });

  it('lists jobs by status and job applications', () => {
    expect(methodRequest(def, eu, 'list_jobs', { status: 'open', page_size: 10 }).url).toBe(
      'https://api.teamtailor.com/v1/jobs?page%5Bsize%5D=10&filter%5Bstatus%5D=open',
    );
    expect(methodRequest(def, eu, 'list_job_applications', { page_size: 5 }).url).toBe(
      'https://api.teamtailor.com/v1/job-applications?page%5Bsize%5D=5',
    );
  });
});
