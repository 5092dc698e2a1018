/**
 * Contract tests of the HiBob definition against Bob's documented requests and answers
 * (apidocs.hibob.com), with no network.
 * @module
 */
import { describe, expect, it } from 'vitest';
import { methodRequest, postInstallRun, shippedDefinition } from '../../test/support/contract.js';

const def = shippedDefinition('hibob');
const credentials = { service_user_id: 'SERVICE-USER-ID', service_user_token: 'Qe8q89RwbzeS7m' };
const account = { credentials };
// https://apidocs.hibob.com/reference/authorization: Basic base64(SERVICE-USER-ID:TOKEN)
const basic = `Basic ${Buffer.from('SERVICE-USER-ID:Qe8q89RwbzeS7m').toString('base64')}`;
const headers = { accept: 'application/json', authorization: basic };
const jsonHeaders = { ...headers, 'content-type': 'application/json' };

// https://apidocs.hibob.com/reference/get_company-people-fields (trimmed to two fields)
const fieldsSample = [
  {
    id: 'root.email',
    categoryId: 'about',
    categoryDisplayName: 'About',
    category: 'about',
    name: 'Email',
    description: null,
    jsonPath: 'email',
    type: 'text',
    typeData: {},
    historical: false,
  },
  {
    id: 'home.mobilePhone',
    categoryId: 'personalContact',
    categoryDisplayName: 'Personal contact details',
    category: 'personalContact',
    name: 'Personal mobile',
    description: null,
    jsonPath: 'home.mobilePhone',
    type: 'text',
    typeData: {},
    historical: false,
  },
];

describe('hibob contract', () => {
  it('post-install checks the service user with Basic auth and keeps its ID, never the token', () => {
    const { requests, context } = postInstallRun(def, account, { people_fields: { body: fieldsSample } });
    expect(requests.people_fields).toEqual({
      method: 'GET',
      url: 'https://api.hibob.com/v1/company/people/fields',
      headers,
    });
    expect(context).toEqual({ serviceUserId: 'SERVICE-USER-ID', fieldCount: 2 });
  });

  it('search_people posts fields, the one filter, showInactive and humanReadable as documented', () => {
    // Body of https://apidocs.hibob.com/docs/people-read-api-contract (search by email)
    const args = {
      fields: ['root.id', 'root.fullName', 'root.email', 'work.title', 'work.department'],
      filters: [{ fieldPath: 'root.email', operator: 'equals', values: ['ada@acme.example'] }],
      showInactive: true,
      humanReadable: 'REPLACE',
    };
    expect(methodRequest(def, account, 'search_people', args)).toEqual({
      method: 'POST',
      url: 'https://api.hibob.com/v1/people/search',
      headers: jsonHeaders,
      body: args,
    });
    expect(methodRequest(def, account, 'search_people').body).toEqual({});
    expect(def.methods?.find((m) => m.name === 'search_people')?.readOnly).toBe(true);
  });

  it('search_people declares no paging: Bob answers every match at once', () => {
    expect(def.methods?.find((m) => m.name === 'search_people')?.pagination).toBeUndefined();
  });

  it('get_person reads one employee by ID or email (encoded into the path)', () => {
    expect(
      methodRequest(def, account, 'get_person', {
        identifier: '3332883884017713238',
        fields: ['root.fullName'],
      }),
    ).toEqual({
      method: 'POST',
      url: 'https://api.hibob.com/v1/people/3332883884017713238',
      headers: jsonHeaders,
      body: { fields: ['root.fullName'] },
    });
    expect(methodRequest(def, account, 'get_person', { identifier: 'ada@acme.example' }).url).toBe(
      'https://api.hibob.com/v1/people/ada%40acme.example',
    );
  });

  it('create_employee posts the documented minimum body', () => {
    // https://apidocs.hibob.com/docs/create-employee (request body example)
    const args = {
      firstName: 'John',
      surname: 'Doe',
      email: 'john.doe@acme.example',
      work: { site: 'New-York', startDate: '2026-12-01', department: 'R&D', title: 'Engineer' },
    };
    expect(methodRequest(def, account, 'create_employee', args)).toEqual({
      method: 'POST',
      url: 'https://api.hibob.com/v1/people',
      headers: jsonHeaders,
      body: args,
    });
  });

  it('list_named_lists reads the company lists, optionally with archived items', () => {
    expect(methodRequest(def, account, 'list_named_lists', { includeArchived: true })).toEqual({
      method: 'GET',
      url: 'https://api.hibob.com/v1/company/named-lists?includeArchived=true',
      headers,
    });
    expect(methodRequest(def, account, 'list_named_lists').url).toBe(
      'https://api.hibob.com/v1/company/named-lists',
    );
  });
});
