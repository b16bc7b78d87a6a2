// Small browser helpers for DispatchBoard. Everything else runs on the server over the Blazor circuit.
window.dispatchBoard = (() => {
  const soundKey = "dispatchboard.sound";
  let alertAudio = null;
  let lastPlayed = 0;
  let wakeLock = null;
  let keepAwake = false;

  async function requestWakeLock() {
    if (!("wakeLock" in navigator)) return false;
    try {
      wakeLock = await navigator.wakeLock.request("screen");
      return true;
    } catch {
      return false;
    }
  }

  document.addEventListener("visibilitychange", () => {
    if (keepAwake && document.visibilityState === "visible" && (wakeLock === null || wakeLock.released)) requestWakeLock();
  });

  async function post(url, body, extraHeaders) {
    const response = await fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "Accept": "application/json", ...(extraHeaders ?? {}) },
      body: JSON.stringify(body ?? {})
    });
    let problem = null;
    try { problem = await response.json(); } catch { /* no body */ }
    return { ok: response.ok, status: response.status, detail: problem?.detail ?? problem?.title ?? null, roles: problem?.roles ?? null,
      errors: problem?.errors ?? null };
  }

  return {
    // The auth cookie has to be set by an HTTP response, not over the circuit: sign in through the API.
    login: (email, password) => post("/api/auth/login", { email, password }),
    // The server drops this device's push subscription with the sign-out; then the browser forgets it too, so the
    // next person on this device gets no alerts meant for the last one.
    logout: async (everywhere) => {
      let pushEndpoint = null;
      try { pushEndpoint = await window.dispatchPush?.currentEndpoint() ?? null; } catch { /* no push here */ }
      const result = await post(everywhere === true ? "/api/auth/logout-everywhere" : "/api/auth/logout", { pushEndpoint });
      if (result.ok && pushEndpoint) {
        try { await window.dispatchPush.forgetThisDevice(); } catch { /* signed out all the same */ }
      }
      return result;
    },
    // Changes the signed-in person's password: this browser's new cookie comes with the answer (a circuit cannot set
    // one); the circuit named in the body stays signed in while every other session ends.
    changePassword: (body) => post("/api/account/password", body, { "X-Requested-With": "DispatchBoard" }),
    // Pairs this browser as an office display: the display's sign-in cookie comes with the response.
    pair: (code) => post("/api/displays/pair", { code }),

    soundEnabled: () => localStorage.getItem(soundKey) !== "off",
    setSoundEnabled: (on) => localStorage.setItem(soundKey, on ? "on" : "off"),

    // Returns false when the browser blocks sound until someone taps the page (autoplay policy). Options:
    // vibrate (a phone buzzes even when the sound is muted), force (the TV plays whatever this browser's mute says).
    // Two alerts in the same second (the bell and the phone's own alert for one report) sound once.
    playAlert: async (options) => {
      const { vibrate = false, force = false } = options ?? {};
      if (vibrate && navigator.vibrate) {
        try { navigator.vibrate([300, 120, 300]); } catch { /* not allowed before a tap */ }
      }
      if (!force && localStorage.getItem(soundKey) === "off") return true;
      const now = Date.now();
      if (now - lastPlayed < 1000) return true;
      try {
        alertAudio ??= new Audio("/sounds/new-ticket.wav");
        alertAudio.currentTime = 0;
        await alertAudio.play();
        lastPlayed = now;
        return true;
      } catch {
        return false;
      }
    },

    // The office TV: one tap on the start overlay is the gesture browsers want before they play sound. The tap plays
    // the alert once (the office hears that sound works), and asks for a screen wake lock, taken again whenever the
    // page is shown again (the browser drops it when the tab is hidden).
    // A TV's remote sends Enter or Space (a key press is a gesture too), so the overlay takes the focus and both keys.
    attachTvStart: (element, dotNetRef) => {
      let started = false;
      const start = async () => {
        if (started) return;
        started = true;
        alertAudio ??= new Audio("/sounds/new-ticket.wav");
        let sound = true;
        try { alertAudio.currentTime = 0; await alertAudio.play(); } catch { sound = false; }
        keepAwake = true;
        const awake = await requestWakeLock();
        await dotNetRef.invokeMethodAsync("Started", sound, awake);
      };
      element.addEventListener("click", start);
      element.addEventListener("keydown", (e) => {
        if (e.key === "Enter" || e.key === " ") { e.preventDefault(); start(); }
      });
      element.focus();
    },

    wakeLockHeld: () => wakeLock !== null && !wakeLock.released,

    markInteractive: () => { document.body.dataset.interactive = "true"; },

    copyText: async (text) => {
      try { await navigator.clipboard.writeText(text); return true; } catch { return false; }
    }
  };
})();

// "Your reports" on /report: the tracking codes of reports made in this browser, kept in its localStorage only (never
// sent anywhere but to the page that lists them). add() is for any component (a new report, a "me too").
window.dispatchBoard.yourReports = (() => {
  const key = "dispatchboard.yourReports";
  const max = 20;
  const watchers = new Set();
  const read = () => {
    try {
      const codes = JSON.parse(localStorage.getItem(key) || "[]");
      return Array.isArray(codes) ? codes.filter(c => typeof c === "string" && /^[0-9A-Z]{10}$/.test(c)).slice(0, max) : [];
    } catch { return []; }
  };
  const write = (codes) => {
    try { localStorage.setItem(key, JSON.stringify(codes.slice(0, max))); } catch { /* private mode: nothing kept */ }
    watchers.forEach(w => w.invokeMethodAsync("YourReportsChanged").catch(() => watchers.delete(w)));
  };
  const normal = (code) => String(code || "").toUpperCase().replace(/[\s-]/g, "");
  return {
    list: () => read(),
    add: (code) => {
      const c = normal(code);
      if (!/^[0-9A-Z]{10}$/.test(c)) return false;
      write([c, ...read().filter(x => x !== c)]);
      return true;
    },
    remove: (code) => { const c = normal(code); write(read().filter(x => x !== c)); },
    watch: (dotnet) => { watchers.add(dotnet); },
    unwatch: (dotnet) => { watchers.delete(dotnet); }
  };
})();
