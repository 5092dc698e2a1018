/**
 * The `acmehr` integration for a running Acme HR sandbox (`--sandbox-url`): API key or OAuth 2.0
 * with the sandbox's default client, post-install reading the company into context.
 * @module
 */
import { parseDefinition } from './catalogue.js';
import type { IntegrationDefinition } from './definition.js';

export function sandboxIntegration(sandboxUrl: string): IntegrationDefinition {
  const base = sandboxUrl.replace(/\/+$/, '');
  return parseDefinition(
    {
      name: 'acmehr',
      label: 'Acme HR (sandbox)',
      category: 'hris',
      docsUrl: `${base}/`,
      baseUrl: `${base}/api`,
      headers: { Accept: 'application/json' },
      authMethods: [
        {
          format: 'api_key',
          label: 'API key',
          help: 'The sandbox accepts sandbox-demo-key unless it was started with another SANDBOX_API_KEY.',
          fields: [{ name: 'api_key', label: 'API key', secret: true, placeholder: 'sandbox-demo-key' }],
          apply: { headers: { 'X-API-Key': '{api_key}' } },
        },
        {
          format: 'oauth2',
          label: 'Sign in with Acme HR',
          oauth2: {
            grant: 'authorization_code',
            authorizeUrl: `${base}/oauth/authorize`,
            tokenUrl: `${base}/oauth/token`,
            scopes: ['employees:read', 'employees:write', 'company:read', 'offline_access'],
            pkce: true,
            clientAuth: 'body',
            authorizeParams: { prompt: 'consent' },
          },
          apply: { headers: { Authorization: 'Bearer {access_token}' } },
        },
      ],
      postInstall: [
        {
          id: 'company',
          description: 'Checks the credentials and keeps the company.',
          request: { method: 'GET', path: '/company' },
          context: {
            companyId: '$response.body.id',
            companyName: '$response.body.name',
            region: '$response.body.region',
          },
        },
      ],
      methods: [
        {
          name: 'list_employees',
          description: 'List employees, a page at a time.',
          request: { method: 'GET', path: '/employees', query: { page: '{page}', limit: '{limit}' } },
          input: {
            type: 'object',
            properties: {
              page: { type: 'integer', minimum: 1 },
              limit: { type: 'integer', minimum: 1, maximum: 100 },
            },
          },
        },
        {
          name: 'get_employee',
          description: 'Get one employee by id.',
          request: { method: 'GET', path: '/employees/{id}' },
          input: { type: 'object', required: ['id'], properties: { id: { type: 'string' } } },
        },
        {
          name: 'create_employee',
          description: 'Create an employee.',
          request: { method: 'POST', path: '/employees' },
          input: {
            type: 'object',
            required: ['firstName', 'lastName'],
            properties: {
              firstName: { type: 'string' },
              lastName: { type: 'string' },
              email: { type: 'string' },
              title: { type: 'string' },
              department: { type: 'string' },
            },
          },
        },
        {
          name: 'get_company',
          description: 'Get the company: id, name and region.',
          request: { method: 'GET', path: '/company' },
          input: { type: 'object', properties: {} },
        },
      ],
    },
    'acmehr (--sandbox-url)',
  );
}
