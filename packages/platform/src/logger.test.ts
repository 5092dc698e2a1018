import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger, redactUrl } from './logger.js';

describe('logging', () => {
  it('redacts secrets by path', () => {
    const lines: string[] = [];
    const destination = new Writable({
      write(chunk: Buffer, _e, done) {
        lines.push(chunk.toString());
        done();
      },
    });
    const logger = createLogger({ level: 'info', destination });
    logger.info(
      {
        req: { headers: { authorization: 'Bearer tc_api_secret' } },
        body: { credentials: { api_key: 'k1' } },
        apiToken: 'tc_api_2',
      },
      'x',
    );
    const out = lines.join('');
    expect(out).not.toMatch(/tc_api_secret|k1|tc_api_2/);
    expect(out).toContain('[redacted]');
  });

  it('cuts secrets out of URLs', () => {
    expect(redactUrl('/mcp/tc_mcp_abc?x=1')).toBe('/mcp/[redacted]?x=1');
    expect(redactUrl('/link/connect?link_token=tc_link_x&lang=fr')).toBe(
      '/link/connect?link_token=[redacted]&lang=fr',
    );
  });
});
