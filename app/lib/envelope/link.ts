/**
 * The signing link: `{origin}/sign/{envelopeId}?t={accessToken}#k={linkSecret}`. The fragment never reaches the
 * server (browsers do not send it); the page moves it to sessionStorage and removes it from the address bar, so
 * it is not left in history or shared by a copied URL.
 */
export interface SigningLink {
  envelopeId: string;
  accessToken: string | null;
  secret: string | null;
}

const SECRET = /^[A-Za-z0-9_-]{43}$/;

export function parseSigningLink(url: URL, envelopeId: string): SigningLink {
  const k = new URLSearchParams(url.hash.replace(/^#/, '')).get('k');
  return {
    envelopeId,
    accessToken: url.searchParams.get('t'),
    secret: k && SECRET.test(k) ? k : null
  };
}

export function signingLink(origin: string, envelopeId: string, accessToken: string, secret: string): string {
  return `${origin}/sign/${encodeURIComponent(envelopeId)}?t=${encodeURIComponent(accessToken)}#k=${secret}`;
}

/** Keeps the link's parts for this tab (reloads keep working) and strips the secret from the visible URL. */
export function rememberLink(link: SigningLink, storage: Storage = sessionStorage): SigningLink {
  const key = `inkan.sign.${link.envelopeId}`;
  const saved = JSON.parse(storage.getItem(key) ?? '{}') as Partial<SigningLink>;
  const merged: SigningLink = {
    envelopeId: link.envelopeId,
    accessToken: link.accessToken ?? saved.accessToken ?? null,
    secret: link.secret ?? saved.secret ?? null
  };
  storage.setItem(key, JSON.stringify(merged));
  return merged;
}
