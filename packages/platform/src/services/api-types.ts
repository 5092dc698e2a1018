/** Shapes of the Admin API, generated from the served spec (openapi-typescript). */
import type { components, operations } from '../generated/admin-api.js';

type Schemas = components['schemas'];
export type IntegratedAccount = Schemas['IntegratedAccount'];
export type IntegratedAccountListResponse = Schemas['IntegratedAccountListResponse'];
export type CreateIntegratedAccountRequest = Schemas['CreateIntegratedAccountRequest'];
export type CreateLinkTokenRequest = Schemas['CreateLinkTokenRequest'];
export type LinkToken = Schemas['LinkToken'];
export type CreateMcpServerRequest = Schemas['CreateMcpServerRequest'];
export type McpServer = Schemas['McpServer'];
export type ListIntegratedAccountsQuery = NonNullable<
  operations['listIntegratedAccounts']['parameters']['query']
>;
export type McpServerList = Schemas['McpServerList'];
export type McpServerSummary = McpServerList['data'][number];
export type McpToolCallList = Schemas['McpToolCallList'];
export type ListMcpToolCallsQuery = NonNullable<operations['listMcpToolCalls']['parameters']['query']>;
export type IntegrationList = Schemas['IntegrationList'];
export type IntegrationSummary = Schemas['Integration'];
export type IntegrationAuthMethodSummary = Schemas['IntegrationAuthMethod'];
export type IntegrationFieldSummary = Schemas['IntegrationField'];
export type IntegrationCategory = Schemas['IntegrationCategory'];
export type ListIntegrationsQuery = NonNullable<operations['listIntegrations']['parameters']['query']>;
