import { describe, expect, it } from 'vitest';
import { bodyErrorOf } from './body-errors.js';

const answer = (body: unknown) => ({ headers: new Headers(), body });
const slack = { okPath: '$response.body.ok', messagePath: '$response.body.error' };
const graphql = { errorsPath: '$response.body.errors', messagePath: '$response.body.errors[0].message' };

describe('bodyErrorOf', () => {
  it('Slack: ok false is a failure with the error code as message', () => {
    // https://docs.slack.dev/apis/web-api/#evaluating-responses
    expect(bodyErrorOf(slack, answer({ ok: false, error: 'invalid_auth' }))).toBe('invalid_auth');
    expect(bodyErrorOf(slack, answer({ ok: 'false' }))).toBe('the answer reports an error');
    expect(bodyErrorOf(slack, answer({ ok: true, warning: 'superfluous_charset' }))).toBeUndefined();
    // No `ok` at all is not read as a failure.
    expect(bodyErrorOf(slack, answer({ channels: [] }))).toBeUndefined();
  });

  it('GraphQL: a non-empty errors array is a failure, with the first message', () => {
    const failed = { data: null, errors: [{ message: 'Entity not found: Issue', path: ['issue'] }] };
    expect(bodyErrorOf(graphql, answer(failed))).toBe('Entity not found: Issue');
    expect(bodyErrorOf(graphql, answer({ data: { issues: [] } }))).toBeUndefined();
    expect(bodyErrorOf(graphql, answer({ data: {}, errors: [] }))).toBeUndefined();
    expect(bodyErrorOf(graphql, answer({ data: {}, errors: null }))).toBeUndefined();
    expect(bodyErrorOf({ errorsPath: '$response.body.errors' }, answer({ errors: [{ code: 1 }] }))).toBe(
      'the answer reports an error',
    );
  });

  it('does nothing without a declaration or on a body that is not an object', () => {
    expect(bodyErrorOf(undefined, answer({ ok: false }))).toBeUndefined();
    expect(bodyErrorOf(slack, answer('ok'))).toBeUndefined();
    expect(bodyErrorOf(graphql, answer(undefined))).toBeUndefined();
  });
});
