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

/**
 * The key the counterparty typed or pasted: the bare 43-character secret, or any text holding a link with `#k=…`
 * (a copied signing link, a chat message). Surrounding spaces and line breaks are ignored; anything else → null.
 */
export function parseKeyInput(text: string): string | null {
  const trimmed = text.trim();
  if (SECRET.test(trimmed)) return trimmed;
  const k = /#(?:[^\s#]*&)?k=([A-Za-z0-9_-]+)/.exec(trimmed)?.[1];
  return k && SECRET.test(k) ? k : null;
}

/** Keeps a secret entered by hand for this tab, like one that came in the link. */
export function rememberSecret(envelopeId: string, secret: string | null, storage: Storage = sessionStorage): void {
  const key = `inkan.sign.${envelopeId}`;
  const saved = JSON.parse(storage.getItem(key) ?? '{}') as Partial<SigningLink>;
  storage.setItem(key, JSON.stringify({ ...saved, envelopeId, secret }));
}
