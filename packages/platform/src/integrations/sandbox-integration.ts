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
          description:
            "List the company's employees in id order (id, name, email, title, department), a page at a time; use it to find someone or to count people.",
          request: { method: 'GET', path: '/employees', query: { page: '{page}', limit: '{limit}' } },
          pagination: { style: 'cursor', param: 'page', cursorPath: '$response.body.nextPage' },
          input: {
            type: 'object',
            additionalProperties: false,
            properties: {
              page: { type: 'integer', minimum: 1, description: 'The page to read, from 1 (default 1).' },
              limit: {
                type: 'integer',
                minimum: 1,
                maximum: 100,
                description: 'Employees per page, 1 to 100 (default 20).',
              },
            },
          },
        },
        {
          name: 'get_employee',
          description: 'Get one employee by id, as list_employees gives it.',
          request: { method: 'GET', path: '/employees/{id}' },
          input: {
            type: 'object',
            additionalProperties: false,
            required: ['id'],
            properties: { id: { type: 'string', description: 'The employee id (from list_employees).' } },
          },
        },
        {
          name: 'create_employee',
          description:
            'Create an employee; answers the new employee with its id. Only when the user asked to add someone.',
          request: { method: 'POST', path: '/employees' },
          input: {
            type: 'object',
            additionalProperties: false,
            required: ['firstName', 'lastName'],
            properties: {
              firstName: { type: 'string', minLength: 1, description: 'Given name.' },
              lastName: { type: 'string', minLength: 1, description: 'Family name.' },
              email: { type: 'string', minLength: 1, description: 'Work email.' },
              title: { type: 'string', minLength: 1, description: 'Job title.' },
              department: { type: 'string', minLength: 1, description: 'Department name.' },
            },
          },
        },
        {
          name: 'get_company',
          description: 'Get the company the account belongs to: id, name and region.',
          request: { method: 'GET', path: '/company' },
          input: { type: 'object', additionalProperties: false, properties: {} },
        },
      ],
    },
    'acmehr (--sandbox-url)',
  );
}
