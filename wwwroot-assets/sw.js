// DispatchBoard's service worker, served at /sw.js (scope "/") with Cache-Control: no-cache so a change here reaches
// phones at their next visit. It does two things only:
//  - a page opened while the network is gone gets /offline.html, which brings the app back by itself;
//  - the alerts Web Push brings are shown as notifications (payload: see "The push payload contract"), and their
//    "Claim" action claims the ticket without opening the app.
// It never caches pages or API answers, and never touches Blazor's circuit, the API, the hub or the framework files:
// the board must always be live or plainly offline, never a stale copy.

// Bump when offline.html or its headers change (its CSP is cached with it): the new worker precaches it under the new
// name and drops the old cache.
const OFFLINE_CACHE = "dispatchboard-offline-v2";
const OFFLINE_URL = "/offline.html";
// offline.html carries its CSS and logo inline; it needs nothing else.
const PRECACHE = [OFFLINE_URL];
const NEVER_ANSWERED = ["/_blazor", "/_framework", "/_content", "/api/", "/hubs/", "/hangfire"];

self.addEventListener("install", (event) => {
  event.waitUntil((async () => {
    const cache = await caches.open(OFFLINE_CACHE);
    // "reload": the copy comes from the server, not from the HTTP cache.
    await cache.addAll(PRECACHE.map((url) => new Request(url, { cache: "reload" })));
    await self.skipWaiting();
  })());
});

self.addEventListener("activate", (event) => {
  event.waitUntil((async () => {
    const names = await caches.keys();
    await Promise.all(names.filter((name) => name.startsWith("dispatchboard-") && name !== OFFLINE_CACHE)
      .map((name) => caches.delete(name)));
    // The worker starts while a navigation waits for it; preloading lets the request go out meanwhile.
    if (self.registration.navigationPreload) {
      await self.registration.navigationPreload.enable();
    }
    await self.clients.claim();
  })());
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET" || request.mode !== "navigate") {
    return;
  }
  const url = new URL(request.url);
  if (url.origin !== self.location.origin || NEVER_ANSWERED.some((prefix) => url.pathname.startsWith(prefix))) {
    return;
  }
  event.respondWith((async () => {
    try {
      const preloaded = await event.preloadResponse;
      return preloaded ?? await fetch(request);
    } catch {
      // Only a network failure lands here: an error page from the server is still the server's answer.
      const offline = await caches.match(OFFLINE_URL, { cacheName: OFFLINE_CACHE });
      return offline ?? Response.error();
    }
  })());
});

self.addEventListener("push", (event) => {
  let payload = null;
  try {
    payload = event.data ? event.data.json() : null;
  } catch {
    payload = null;
  }
  // Chrome counts a push without a notification against the site: always show something.
  payload ??= { title: "DispatchBoard", body: event.data ? event.data.text() : null, url: "/my", tag: "dispatchboard" };
  event.waitUntil(showAlert(payload));
});

self.addEventListener("notificationclick", (event) => {
  const notification = event.notification;
  const payload = notification.data ?? {};
  if (event.action === "claim") {
    // The answer replaces this notification (same tag), so it is not closed first.
    event.waitUntil(claimFromNotification(payload));
    return;
  }
  notification.close();
  event.waitUntil(openApp(payload.url || "/my"));
});

function showAlert(payload) {
  return self.registration.showNotification(payload.title || "DispatchBoard", {
    body: payload.body ?? "",
    // renotify needs a tag: an alert without one still gets its own.
    tag: payload.tag || `alert-${payload.alertId ?? Date.now()}`,
    renotify: true,
    icon: "/icons/icon-192.png",
    badge: "/icons/badge-96.png",
    data: payload,
    actions: payload.claim ? [{ action: "claim", title: words(payload).claim }] : [],
  });
}

async function openApp(url) {
  // Only pages of this site: a payload naming another site opens the app's start page instead.
  let target = new URL(url || "/", self.location.origin);
  if (target.origin !== self.location.origin) target = new URL("/", self.location.origin);
  const windows = await self.clients.matchAll({ type: "window", includeUncontrolled: true });
  // A window this worker controls can be navigated: the one already showing that page first, then the one the person
  // looked at last. Never the office TV's board (a screen on the wall is not where a person reads their alert).
  const path = (client) => new URL(client.url).pathname;
  const ordered = [...windows]
    .filter((client) => path(client) !== "/board/tv")
    .sort((a, b) => Number(path(b) === target.pathname) - Number(path(a) === target.pathname) || Number(b.focused) - Number(a.focused));
  target = target.href;
  for (const client of ordered) {
    let navigated = null;
    try {
      navigated = await client.navigate(target);
    } catch {
      continue; // not controlled by this worker (e.g. opened before it was installed)
    }
    const shown = navigated ?? client;
    try {
      await shown.focus();
    } catch {
      // Focus is allowed only inside the click's window of time; the page has navigated all the same.
    }
    return;
  }
  await self.clients.openWindow(target);
}

// What is said around a claim, in the recipient's language: the payload carries the words (PushWords on the server);
// English when it has none (a payload from before they were sent).
const englishWords = {
  claim: "Claim",
  noConnection: "No connection: open the app to claim",
  signIn: "Sign in to claim",
  signInBody: "Open DispatchBoard, sign in, then claim the job there.",
  claimed: "Claimed — go to {0}",
  couldNotClaim: "Could not claim",
  serverAnswered: "The server answered {0}. Open the app to claim.",
};

function words(payload) {
  return { ...englishWords, ...(payload.words ?? {}) };
}

async function claimFromNotification(payload) {
  const next = await claimTicket(payload.ticketId, words(payload));
  await showAlert({ ...payload, ...next, claim: false });
}

async function claimTicket(ticketId, said) {
  let response;
  try {
    response = await fetch(`/api/tickets/${encodeURIComponent(ticketId)}/claim`, {
      method: "POST",
      credentials: "same-origin",
      headers: { Accept: "application/json" },
    });
  } catch {
    return { title: said.noConnection, body: null };
  }
  if (response.status === 401) {
    return { title: said.signIn, body: said.signInBody };
  }
  let answer = null;
  try {
    answer = await response.json();
  } catch {
    answer = null;
  }
  if (response.ok && answer) {
    const place = answer.locationDetail ? `${answer.areaName}, ${answer.locationDetail}` : answer.areaName;
    return { title: said.claimed.replace("{0}", place), body: answer.description ?? null, url: `/my?ticket=${answer.id}` };
  }
  return {
    title: said.couldNotClaim,
    body: answer?.detail ?? answer?.title ?? said.serverAnswered.replace("{0}", String(response.status)),
  };
}
