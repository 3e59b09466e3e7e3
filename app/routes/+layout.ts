// The app is a client-rendered PWA: documents never reach the server in plaintext, so nothing renders there.
export const ssr = false;
export const prerender = false;
