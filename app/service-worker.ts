/// <reference types="@sveltejs/kit" />
/// <reference no-default-lib="true"/>
/// <reference lib="esnext" />
/// <reference lib="webworker" />
// Offline app shell: after the first visit the app starts and drafts open with no network and no server.
import { base, build, files, version } from '$service-worker';

const sw = self as unknown as ServiceWorkerGlobalScope;
const CACHE = `inkan-shell-${version}`;
/** The SPA fallback is not in `$service-worker`'s lists: every navigation is answered with it when offline. */
const SHELL = `${base}/`;
/** Big assets only some pages need (the 5.7 MB signature font): cached on first use instead of at install. */
const onDemand = (path: string) => path.endsWith('.ttf') || path.endsWith('.otf') || path.endsWith('.woff2');
const PRECACHE = [SHELL, ...build.filter((f) => !onDemand(f)), ...files];
const precached = new Set(PRECACHE);
const lazy = new Set(build.filter(onDemand));
const NAVIGATION_WAIT_MS = 4000;

sw.addEventListener('install', (event) => {
  event.waitUntil(
    caches
      .open(CACHE)
      .then((cache) => cache.addAll(PRECACHE))
      .then(() => sw.skipWaiting())
  );
});

sw.addEventListener('activate', (event) => {
  event.waitUntil(
    (async () => {
      // Drop earlier versions of this shell only; other caches (if any) belong to someone else.
      for (const key of await caches.keys()) {
        if (key.startsWith('inkan-shell-') && key !== CACHE) await caches.delete(key);
      }
      await sw.clients.claim();
    })()
  );
});

sw.addEventListener('fetch', (event) => {
  const request = event.request;
  if (request.method !== 'GET') return;
  const url = new URL(request.url);
  if (url.origin !== sw.location.origin || url.pathname.startsWith(`${base}/api/`)) return;

  if (request.mode === 'navigate') {
    // Network first so a deployed update shows at once; the cached shell when offline, when the server is down,
    // or when the network hangs (captive portals, dead Wi-Fi) for longer than NAVIGATION_WAIT_MS.
    const shell = async () => (await caches.match(SHELL, { cacheName: CACHE })) ?? Response.error();
    const slow = new Promise<Response>((ok) => setTimeout(() => ok(shell()), NAVIGATION_WAIT_MS));
    event.respondWith(Promise.race([fetch(request).catch(shell), slow]));
    return;
  }
  if (precached.has(url.pathname)) {
    event.respondWith(caches.match(url.pathname, { cacheName: CACHE }).then((hit) => hit ?? fetch(request)));
  } else if (lazy.has(url.pathname)) {
    event.respondWith(
      (async () => {
        const cache = await caches.open(CACHE);
        const hit = await cache.match(url.pathname);
        if (hit) return hit;
        const response = await fetch(request);
        if (response.ok) await cache.put(url.pathname, response.clone());
        return response;
      })()
    );
  }
});
