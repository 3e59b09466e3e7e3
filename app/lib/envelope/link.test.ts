import { describe, expect, it } from 'vitest';
import { parseKeyInput, parseSigningLink, rememberLink, rememberSecret } from './link.ts';

const KEY = 'A'.repeat(20) + '_-' + 'b9'.repeat(10) + 'z';

describe('parseKeyInput', () => {
  it.each([
    [KEY, KEY],
    [`  ${KEY}\n`, KEY],
    [`https://inkan.test/sign/env_1?t=abc#k=${KEY}`, KEY],
    [`鍵付きのリンクです: https://inkan.test/sign/env_1#x=1&k=${KEY} よろしく`, KEY],
    [KEY.slice(1), null],
    [`${KEY}x`, null],
    [`https://inkan.test/sign/env_1?k=${KEY}`, null],
    ['', null]
  ])('%s → %s', (text, key) => expect(parseKeyInput(text)).toBe(key));
});

describe('rememberSecret', () => {
  it('keeps a typed key for this tab next to the token from the link, and forgets it again', () => {
    const storage = window.sessionStorage;
    const link = parseSigningLink(new URL('https://inkan.test/sign/env_9?t=tok'), 'env_9');
    rememberLink(link, storage);
    rememberSecret('env_9', KEY, storage);
    expect(rememberLink(parseSigningLink(new URL('https://inkan.test/sign/env_9'), 'env_9'), storage)).toEqual({
      envelopeId: 'env_9',
      accessToken: 'tok',
      secret: KEY
    });
    rememberSecret('env_9', null, storage);
    expect(rememberLink({ envelopeId: 'env_9', accessToken: null, secret: null }, storage).secret).toBeNull();
  });
});
