/**
 * Contract tests of the Rippling definition against Rippling's REST API as its published
 * OpenAPI document describes it (https://developer.rippling.com/documentation/rest-api), with
 * no network. Samples follow that document's schemas (Company, Worker, Department and the
 * `{results, next_link}` list answer), trimmed.
 * @module
 */
import { describe, expect, it } from 'vitest';
import { methodRequest, nextPage, postInstallRun, shippedDefinition } from '../../test/support/contract.js';

const def = shippedDefinition('rippling');
const account = { credentials: { api_key: 'rpl-token' }, context: { companyId: '5f1a2b3c4d5e6f7a8b9c0d1e' } };
const headers = { accept: 'application/json', authorization: 'Bearer rpl-token' };
const BASE = 'https://rest.ripplingapis.com';

// GET /companies/ (schema Company in the list answer)
const companiesSample = {
  __meta: { redacted_fields: [] },
  results: [
    {
      id: '5f1a2b3c4d5e6f7a8b9c0d1e',
      created_at: '2024-01-02T10:00:00Z',
      updated_at: '2026-03-04T10:00:00Z',
      legal_name: 'Acme Widgets, Inc.',
      doing_business_as_name: 'Acme',
      name: 'Acme',
      primary_email: 'hr@acme.example',
    },
  ],
};

// GET /workers/ (schema Worker), with next_link to the next page
const worker = {
  id: '64b7f0e2a1c3d4e5f6a7b8c9',
  user_id: '64b7f0e2a1c3d4e5f6a7b8ca',
  work_email: 'ada@acme.example',
  status: 'ACTIVE',
  title: 'Engineer',
  start_date: '2024-02-01',
  department_id: '64b7f0e2a1c3d4e5f6a7b8cb',
};

describe('rippling contract', () => {
  it('post-install lists companies with the token and keeps the company', () => {
    const { requests, context } = postInstallRun(
      def,
      { credentials: account.credentials },
      { companies: { body: companiesSample } },
    );
    expect(requests.companies).toEqual({ method: 'GET', url: `${BASE}/companies/`, headers });
    expect(context).toEqual({ companyId: '5f1a2b3c4d5e6f7a8b9c0d1e', companyName: 'Acme' });
  });

  it('list_workers sends filter, expand and order_by as query parameters', () => {
    expect(
      methodRequest(def, account, 'list_workers', {
        filter: "status eq 'ACTIVE'",
        expand: 'user,department',
        order_by: 'created_at',
      }),
    ).toEqual({
      method: 'GET',
      url: `${BASE}/workers/?filter=status+eq+%27ACTIVE%27&expand=user%2Cdepartment&order_by=created_at`,
      headers,
    });
    expect(methodRequest(def, account, 'list_workers').url).toBe(`${BASE}/workers/`);
  });

  it('list_workers follows next_link, and fetches it as is when passed back', () => {
    const nextLink = `${BASE}/workers/?cursor=eyJpZCI6IjY0YjcifQ%3D%3D`;
    const next = nextPage(def, 'list_workers', {
      body: { __meta: { redacted_fields: [] }, results: [worker], next_link: nextLink },
    });
    expect(next).toEqual({ cursor: nextLink });
    expect(methodRequest(def, account, 'list_workers', { cursor: nextLink })).toEqual({
      method: 'GET',
      url: nextLink,
      headers,
    });
    expect(nextPage(def, 'list_workers', { body: { results: [worker], next_link: null } })).toBeUndefined();
  });

  it('a next-page URL on another host is refused, so the token stays on Rippling', () => {
    expect(() =>
      methodRequest(def, account, 'list_workers', { cursor: 'https://evil.test/workers/' }),
    ).toThrow(/must stay on https:\/\/rest\.ripplingapis\.com/);
  });

  it('get_worker reads one worker with its trailing-slash path and expand', () => {
    expect(methodRequest(def, account, 'get_worker', { id: worker.id, expand: 'user' })).toEqual({
      method: 'GET',
      url: `${BASE}/workers/${worker.id}/?expand=user`,
      headers,
    });
  });

  it('list_departments pages like workers', () => {
    expect(methodRequest(def, account, 'list_departments')).toEqual({
      method: 'GET',
      url: `${BASE}/departments/`,
      headers,
    });
    const nextLink = `${BASE}/departments/?cursor=abc`;
    expect(
      nextPage(def, 'list_departments', {
        body: { results: [{ id: 'd1', name: 'Engineering' }], next_link: nextLink },
      }),
    ).toEqual({ cursor: nextLink });
  });

  it('create_department posts the DepartmentRequest body', () => {
    expect(
      methodRequest(def, account, 'create_department', {
        name: 'Platform',
        parent_id: 'd1',
        reference_code: 'ENG-PL',
      }),
    ).toEqual({
      method: 'POST',
      url: `${BASE}/departments/`,
      headers: { ...headers, 'content-type': 'application/json' },
      body: { name: 'Platform', parent_id: 'd1', reference_code: 'ENG-PL' },
    });
    expect(methodRequest(def, account, 'create_department', { name: 'Sales' }).body).toEqual({
      name: 'Sales',
    });
  });
});
