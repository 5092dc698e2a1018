/**
 * Contract tests of the Ashby definition: Basic auth with the key as user name, every call a
 * POST of JSON to /{resource}.{method}, cursor paging in the body. Samples are trimmed from
 * Ashby's docs: https://developers.ashbyhq.com/docs/pagination-and-incremental-sync,
 * https://developers.ashbyhq.com/reference/api-key, https://developers.ashbyhq.com/docs/responses.
 * @module
 */
import { describe, expect, it } from 'vitest';
import { methodRequest, nextPage, postInstallRun, shippedDefinition } from '../../test/support/contract.js';

const def = shippedDefinition('ashby');
const account = { credentials: { api_key: 'ashby-key-1' } };
// The key as Basic user name, empty password: base64("ashby-key-1:").
const basic = `Basic ${Buffer.from('ashby-key-1:').toString('base64')}`;

describe('ashby contract', () => {
  it('checks the key with POST /apiKey.info and keeps the key name', () => {
    // Answer shape of apiKey.info (https://developers.ashbyhq.com/reference/api-key).
    const { requests, context } = postInstallRun(def, account, {
      api_key_info: {
        body: {
          success: true,
          results: {
            title: 'Custom Job Board API key',
            createdAt: '2022-07-21T17:32:28Z',
            scopes: ['jobs:read', 'candidates:read'],
          },
        },
      },
    });
    expect(requests.api_key_info).toEqual({
      method: 'POST',
      url: 'https://api.ashbyhq.com/apiKey.info',
      headers: {
        accept: 'application/json; version=1',
        authorization: basic,
        'content-type': 'application/json',
      },
      body: {},
    });
    expect(context).toEqual({ apiKeyTitle: 'Custom Job Board API key' });
  });

  it('lists candidates with limit and cursor in the JSON body', () => {
    const req = methodRequest(def, account, 'list_candidates', { limit: 100, cursor: 'some-token-value' });
    expect(req).toEqual({
      method: 'POST',
      url: 'https://api.ashbyhq.com/candidate.list',
      headers: {
        accept: 'application/json; version=1',
        authorization: basic,
        'content-type': 'application/json',
      },
      body: { limit: 100, cursor: 'some-token-value' },
    });
    expect(def.methods?.find((m) => m.name === 'list_candidates')?.readOnly).toBe(true);
  });

  it('starts a full sync with an empty body', () => {
    expect(methodRequest(def, account, 'list_candidates').body).toEqual({});
  });

  it('reads the next cursor while moreDataAvailable is true, and stops when it is false', () => {
    // The guide's page answers (https://developers.ashbyhq.com/docs/pagination-and-incremental-sync).
    expect(
      nextPage(def, 'list_candidates', {
        body: {
          success: true,
          results: [{ id: 'c1' }],
          moreDataAvailable: true,
          nextCursor: 'some-token-value',
        },
      }),
    ).toEqual({ cursor: 'some-token-value' });
    expect(
      nextPage(def, 'list_candidates', {
        body: {
          success: true,
          results: [{ id: 'c2' }],
          moreDataAvailable: false,
          nextCursor: 'ignored',
          syncToken: 'sync-token-value',
        },
      }),
    ).toBeUndefined();
  });

  it('gets one candidate by id', () => {
    const req = methodRequest(def, account, 'get_candidate', { id: 'f9e52a51-a075-4116-a7b8-484deba69004' });
    expect(req.method).toBe('POST');
    expect(req.url).toBe('https://api.ashbyhq.com/candidate.info');
    expect(req.body).toEqual({ id: 'f9e52a51-a075-4116-a7b8-484deba69004' });
  });

  it('searches candidates by email', () => {
    const req = methodRequest(def, account, 'search_candidates', { email: 'test@ashbyhq.com' });
    expect(req.url).toBe('https://api.ashbyhq.com/candidate.search');
    expect(req.body).toEqual({ email: 'test@ashbyhq.com' });
  });

  it('creates a candidate with the documented fields', () => {
    // candidate.create's example values (https://developers.ashbyhq.com/reference/candidatecreate).
    const req = methodRequest(def, account, 'create_candidate', {
      name: 'Adam Hart',
      email: 'test@ashbyhq.com',
      phoneNumber: '555-555-5555',
      linkedInUrl: 'https://linkedin.com/in/user',
    });
    expect(req).toEqual({
      method: 'POST',
      url: 'https://api.ashbyhq.com/candidate.create',
      headers: {
        accept: 'application/json; version=1',
        authorization: basic,
        'content-type': 'application/json',
      },
      body: {
        name: 'Adam Hart',
        email: 'test@ashbyhq.com',
        phoneNumber: '555-555-5555',
        linkedInUrl: 'https://linkedin.com/in/user',
      },
    });
    expect(def.methods?.find((m) => m.name === 'create_candidate')?.readOnly).toBeUndefined();
  });

  it('lists applications for a job, then the next page', () => {
    const first = methodRequest(def, account, 'list_applications', {
      jobId: 'job-1',
      status: 'Active',
      limit: 50,
    });
    expect(first.url).toBe('https://api.ashbyhq.com/application.list');
    expect(first.body).toEqual({ limit: 50, jobId: 'job-1', status: 'Active' });
    const next = nextPage(def, 'list_applications', {
      body: { success: true, results: [{ id: 'a1' }], moreDataAvailable: true, nextCursor: 'app-cursor' },
    });
    expect(next).toEqual({ cursor: 'app-cursor' });
    const second = methodRequest(def, account, 'list_applications', { jobId: 'job-1', limit: 50, ...next });
    expect(second.body).toEqual({ limit: 50, cursor: 'app-cursor', jobId: 'job-1' });
  });

  it('considers a candidate for a job', () => {
    // application.create's example body (https://developers.ashbyhq.com/reference/applicationcreate).
    const req = methodRequest(def, account, 'create_application', {
      candidateId: '3ae2b801-19f6-41ef-ad28-214bd731948f',
      jobId: '2c6991c5-c9e2-4af8-879e-29c5a9d26509',
    });
    expect(req.url).toBe('https://api.ashbyhq.com/application.create');
    expect(req.body).toEqual({
      candidateId: '3ae2b801-19f6-41ef-ad28-214bd731948f',
      jobId: '2c6991c5-c9e2-4af8-879e-29c5a9d26509',
    });
  });

  it('lists jobs', () => {
    const req = methodRequest(def, account, 'list_jobs', { limit: 25 });
    expect(req.url).toBe('https://api.ashbyhq.com/job.list');
    expect(req.body).toEqual({ limit: 25 });
  });

  it('declares the 200-with-success:false failures of the docs', () => {
    // https://developers.ashbyhq.com/docs/responses
    expect(def.bodyErrors).toEqual({
      okPath: '$response.body.success',
      messagePath: '$response.body.errorInfo.message',
    });
  });
});
