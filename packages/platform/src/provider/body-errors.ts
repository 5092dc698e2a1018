/**
 * Failures a provider reports inside a 2xx answer: Slack's `{"ok": false, "error": "…"}`,
 * GraphQL's `{"errors": [{"message": "…"}]}`. A definition's `bodyErrors` says where to look;
 * post-install and MCP tools treat such an answer as the failure it is.
 * @module
 */
import type { BodyErrorsDefinition } from '../integrations/definition.js';
import { type Answer, readAnswer } from './answer-path.js';

function isEmpty(value: unknown): boolean {
  if (value === undefined || value === null || value === false || value === '') return true;
  if (Array.isArray(value)) return value.length === 0;
  if (typeof value === 'object') return Object.keys(value).length === 0;
  return false;
}

/**
 * The provider's message when a 2xx answer reports a failure (`okPath` false, or `errorsPath`
 * not empty); `undefined` when it reports none. The message is the raw value at `messagePath`
 * (callers shorten it), or a fixed sentence when there is none there.
 */
export function bodyErrorOf(spec: BodyErrorsDefinition | undefined, answer: Answer): string | undefined {
  if (!spec) return undefined;
  const ok = spec.okPath === undefined ? undefined : readAnswer(spec.okPath, answer);
  const failed =
    ok === false ||
    ok === 'false' ||
    (spec.errorsPath !== undefined && !isEmpty(readAnswer(spec.errorsPath, answer)));
  if (!failed) return undefined;
  const message = spec.messagePath === undefined ? undefined : readAnswer(spec.messagePath, answer);
  if (typeof message === 'string' && message.trim() !== '') return message;
  if (typeof message === 'number') return String(message);
  return 'the answer reports an error';
}
