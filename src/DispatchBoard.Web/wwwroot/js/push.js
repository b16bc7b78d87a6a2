// The installable app and alerts on this device: registers the service worker (/sw.js) and turns Web Push on and off.
// The server side is /api/push/*; the service worker shows what arrives.
window.dispatchPush = (() => {
  const enableHandlers = new WeakMap();

  const hasServiceWorker = () => "serviceWorker" in navigator;
  const supported = () => hasServiceWorker() && "PushManager" in window && "Notification" in window;
  const isIos = () => /iPhone|iPad|iPod/.test(navigator.userAgent) ||
    (/Macintosh/.test(navigator.userAgent) && navigator.maxTouchPoints > 1); // iPadOS asks for the desktop site
  const standalone = () => window.matchMedia("(display-mode: standalone)").matches || navigator.standalone === true;
  // iOS and iPadOS give Web Push only to a web app opened from the Home Screen.
  const iosNeedsInstall = () => isIos() && !standalone();

  let registering = null;
  function register() {
    if (!hasServiceWorker()) return Promise.resolve(null);
    registering ??= navigator.serviceWorker.register("/sw.js", { scope: "/" }).catch((error) => {
      console.warn("DispatchBoard: the service worker could not be registered.", error);
      registering = null;
      return null;
    });
    return registering;
  }

  if (hasServiceWorker()) {
    if (document.readyState === "complete") {
      register();
    } else {
      window.addEventListener("load", () => register(), { once: true });
    }
  }

  async function currentSubscription() {
    if (!supported()) return null;
    try {
      const registration = await navigator.serviceWorker.getRegistration("/");
      return registration ? await registration.pushManager.getSubscription() : null;
    } catch {
      return null;
    }
  }

  // Older Safari answers requestPermission through a callback instead of a promise.
  function requestPermission() {
    return new Promise((resolve) => {
      const answer = Notification.requestPermission(resolve);
      if (answer && typeof answer.then === "function") answer.then(resolve, () => resolve(Notification.permission));
    });
  }

  function withTimeout(promise, ms, message) {
    let timer;
    const timeout = new Promise((_, reject) => { timer = setTimeout(() => reject(new Error(message)), ms); });
    return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
  }

  function base64UrlToBytes(text) {
    const base64 = (text + "===".slice((text.length + 3) % 4)).replace(/-/g, "+").replace(/_/g, "/");
    return Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
  }

  function sameBytes(buffer, bytes) {
    if (!buffer) return false;
    const a = new Uint8Array(buffer);
    return a.length === bytes.length && a.every((b, i) => b === bytes[i]);
  }

  async function problemText(response, fallback) {
    try {
      const problem = await response.json();
      const fieldErrors = problem?.errors ? Object.values(problem.errors).flat().join(" ") : "";
      return problem?.detail || fieldErrors || problem?.title || fallback;
    } catch {
      return fallback;
    }
  }

  // A short name for the device list: "Chrome on Android", "Safari on iPhone", "Firefox on Windows".
  function deviceLabel() {
    const ua = navigator.userAgent;
    const browser =
      /Edg(e|A|iOS)?\//.test(ua) ? "Edge" :
      /OPR\/|Opera/.test(ua) ? "Opera" :
      /SamsungBrowser\//.test(ua) ? "Samsung Internet" :
      /Firefox\/|FxiOS\//.test(ua) ? "Firefox" :
      /Chrome\/|CriOS\/|Chromium\//.test(ua) ? "Chrome" :
      /Safari\/|iPhone|iPad|iPod|Macintosh/.test(ua) ? "Safari" : "Browser";
    const device =
      /iPhone|iPod/.test(ua) ? "iPhone" :
      /iPad/.test(ua) || (/Macintosh/.test(ua) && navigator.maxTouchPoints > 1) ? "iPad" :
      /Android/.test(ua) ? "Android" :
      /CrOS/.test(ua) ? "ChromeOS" :
      /Windows/.test(ua) ? "Windows" :
      /Macintosh|Mac OS X/.test(ua) ? "Mac" :
      /Linux/.test(ua) ? "Linux" : "this device";
    return `${browser} on ${device}`;
  }

  // Why it failed (the page words it in the reader's language) and the English words for it; "server" carries the
  // server's own refusal, already in the reader's language.
  const failed = (reason, message, status) => ({ ok: false, reason, message, status: status ?? null });

  async function enable() {
    if (iosNeedsInstall()) {
      return failed("ios-install", "On iPhone and iPad, alerts work in the installed app: tap Share, then \u201cAdd to Home Screen\u201d, " +
        "open DispatchBoard from the Home Screen and turn alerts on there.");
    }
    if (!supported()) {
      return failed("unsupported", "This browser cannot show alerts from DispatchBoard. Use a current Chrome, Edge, Firefox or Safari.");
    }
    // First, before anything is awaited: browsers grant the prompt only inside the click that asked for it.
    const permission = Notification.permission === "default" ? await requestPermission() : Notification.permission;
    if (permission === "denied") {
      return failed("blocked", "Alerts are blocked for this site in the browser settings. Allow notifications for this site there, then press the button again.");
    }
    if (permission !== "granted") {
      return failed("not-allowed", "Alerts were not turned on: press the button again and choose Allow.");
    }

    let registration;
    try {
      await register();
      registration = await withTimeout(navigator.serviceWorker.ready, 15000, "service worker not ready");
    } catch {
      return failed("no-worker", "The app could not start its background part in this browser. Reload the page and try again.");
    }

    let key;
    try {
      const response = await fetch("/api/push/key", { credentials: "same-origin", headers: { Accept: "application/json" } });
      if (!response.ok) {
        return failed("server", await problemText(response, `The server could not turn alerts on (${response.status}).`), response.status);
      }
      key = base64UrlToBytes((await response.json()).publicKey);
    } catch {
      return failed("offline", "No connection to the server: try again when the network is back.");
    }

    let subscription;
    try {
      subscription = await registration.pushManager.getSubscription();
      // A subscription made for another server key (the server's key was replaced) cannot be reused.
      if (subscription && !sameBytes(subscription.options?.applicationServerKey, key)) {
        await subscription.unsubscribe();
        subscription = null;
      }
      subscription ??= await registration.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: key });
    } catch (error) {
      return error?.name === "NotAllowedError"
        ? failed("blocked", "Alerts are blocked for this site in the browser settings. Allow notifications for this site there, then press the button again.")
        : failed("push-service", "This browser's push service could not be reached. Check the network and try again.");
    }

    const label = deviceLabel();
    const json = subscription.toJSON();
    try {
      const response = await fetch("/api/push/subscriptions", {
        method: "POST",
        credentials: "same-origin",
        headers: { "Content-Type": "application/json", Accept: "application/json" },
        body: JSON.stringify({ endpoint: json.endpoint, keys: json.keys, label }),
      });
      if (!response.ok) {
        const message = await problemText(response, `The server could not turn alerts on (${response.status}).`);
        const status = response.status;
        // The server does not know this device: keep the browser from believing otherwise.
        await subscription.unsubscribe().catch(() => {});
        return failed("server", message, status);
      }
    } catch {
      return failed("offline", "No connection to the server: try again when the network is back.");
    }
    return { ok: true, reason: "on", message: `Alerts are on for this device (${label}).`, label, endpoint: json.endpoint };
  }

  function detachEnableButton(element) {
    const handler = element && enableHandlers.get(element);
    if (handler) {
      element.removeEventListener("click", handler);
      enableHandlers.delete(element);
    }
  }

  return {
    register,

    state: async () => {
      const subscription = await currentSubscription();
      return {
        supported: supported(),
        permission: "Notification" in window ? Notification.permission : "unsupported",
        subscribed: subscription !== null,
        endpoint: subscription?.endpoint ?? null,
        standalone: standalone(),
        iosNeedsInstall: iosNeedsInstall(),
      };
    },

    // A native listener, not a Blazor @onclick: the permission prompt must run inside the click itself, which a
    // round trip over the circuit can lose (Safari). The answer goes back to OnEnableFinished({ ok, reason, message, … }).
    attachEnableButton: (element, dotNetRef) => {
      detachEnableButton(element);
      let busy = false;
      const handler = async () => {
        if (busy) return;
        busy = true;
        let result;
        try {
          result = await enable();
        } catch (error) {
          result = failed("error", `Alerts could not be turned on: ${error?.message ?? error}`);
        } finally {
          busy = false;
        }
        try {
          await dotNetRef.invokeMethodAsync("OnEnableFinished", result);
        } catch {
          // The component is gone (page left): nothing to tell.
        }
      };
      element.addEventListener("click", handler);
      enableHandlers.set(element, handler);
      return { dispose: () => detachEnableButton(element) };
    },

    detachEnableButton,

    // Unsubscribes this browser; returns the endpoint it had (for the server's list), or null.
    forgetThisDevice: async () => {
      const subscription = await currentSubscription();
      if (!subscription) return null;
      const endpoint = subscription.endpoint;
      try {
        await subscription.unsubscribe();
      } catch {
        // Already gone at the push service: the same result.
      }
      return endpoint;
    },

    currentEndpoint: async () => (await currentSubscription())?.endpoint ?? null,

    deviceLabel,
  };
})();
