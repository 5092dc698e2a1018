import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { publint } from 'publint';
import { describe, expect, it } from 'vitest';

const pkgDir = fileURLToPath(new URL('..', import.meta.url));

describe('the published package', () => {
  it('imports in Node without a DOM and registers nothing (SSR-safe)', async () => {
    expect(typeof (globalThis as { document?: unknown }).document).toBe('undefined');
    const mod = await import('@truto-connect/widget');
    expect(typeof mod.TrutoConnectElement).toBe('function');
    expect(typeof mod.TrutoConnectSuccessEvent).toBe('function');
    const registry = (globalThis as { customElements?: CustomElementRegistry }).customElements;
    expect(registry?.get('truto-connect')).toBeUndefined();
    expect(typeof (globalThis as { document?: unknown }).document).toBe('undefined');
  });

  it('registers the tag through ./define', async () => {
    const { TrutoConnectElement } = await import('@truto-connect/widget/define');
    const registry = (globalThis as { customElements?: CustomElementRegistry }).customElements;
    expect(registry?.get('truto-connect')).toBe(TrutoConnectElement);
  });

  it('exports the wire protocol as ./protocol: constants and types only, no Lit, no DOM', async () => {
    const protocol = await import('@truto-connect/widget/protocol');
    expect(protocol.MESSAGE_SOURCE).toBe('truto-connect');
    expect(protocol.ERROR_CODES).toContain('invalid_token');
    const source = readFileSync(`${pkgDir}dist/protocol.js`, 'utf8');
    // No import of any kind outside comments (the module docblock shows one in its example).
    const code = source.replace(/\/\*[\s\S]*?\*\//g, '');
    expect(code).not.toMatch(/\bfrom\s*['"]|\bimport\s*[('"]/);
  });

  it('passes publint', async () => {
    const { messages } = await publint({ pkgDir, strict: true });
    expect(messages.filter((m) => m.type !== 'suggestion')).toEqual([]);
  });

  it('describes its public API in custom-elements.json', () => {
    const manifest = JSON.parse(readFileSync(`${pkgDir}custom-elements.json`, 'utf8'));
    const declarations = manifest.modules.flatMap((m: { declarations?: unknown[] }) => m.declarations ?? []);
    const element = declarations.find((d: { tagName?: string }) => d.tagName === 'truto-connect');
    expect(element?.name).toBe('TrutoConnectElement');
    const names = (list: Array<{ name: string }> | undefined) => (list ?? []).map((x) => x.name).sort();
    expect(names(element.attributes)).toEqual(
      expect.arrayContaining([
        'disabled',
        'integration',
        'link-token',
        'mode',
        'platform-url',
        'popup-fallback',
        'token-url',
      ]),
    );
    expect(names(element.events)).toEqual([
      'truto-connect-close',
      'truto-connect-error',
      'truto-connect-success',
    ]);
    expect(names(element.cssParts)).toEqual(['button', 'close-button', 'dialog', 'frame', 'status']);
    expect(names(element.cssProperties)).toContain('--truto-connect-accent');
    expect(names(element.slots)).toEqual(['']);
    const methods = (element.members ?? []).filter(
      (m: { kind: string; privacy?: string }) => m.kind === 'method' && m.privacy !== 'private',
    );
    expect(names(methods)).toEqual(expect.arrayContaining(['close', 'open']));
  });
});
