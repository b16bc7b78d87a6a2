// Small browser helpers for DispatchBoard. Everything else runs on the server over the Blazor circuit.
window.dispatchBoard = (() => {
  const soundKey = "dispatchboard.sound";
  let alertAudio = null;

  async function post(url, body) {
    const response = await fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "Accept": "application/json" },
      body: JSON.stringify(body ?? {})
    });
    let problem = null;
    try { problem = await response.json(); } catch { /* no body */ }
    return { ok: response.ok, status: response.status, detail: problem?.detail ?? problem?.title ?? null };
  }

  return {
    // The auth cookie has to be set by an HTTP response, not over the circuit: sign in through the API.
    login: (email, password) => post("/api/auth/login", { email, password }),
    logout: () => post("/api/auth/logout", {}),
    // Pairs this browser as an office display: the display's sign-in cookie comes with the response.
    pair: (code) => post("/api/displays/pair", { code }),

    soundEnabled: () => localStorage.getItem(soundKey) !== "off",
    setSoundEnabled: (on) => localStorage.setItem(soundKey, on ? "on" : "off"),

    // Returns false when the browser blocks sound until someone clicks the page (autoplay policy).
    playAlert: async () => {
      if (localStorage.getItem(soundKey) === "off") return true;
      try {
        alertAudio ??= new Audio("/sounds/new-ticket.wav");
        alertAudio.currentTime = 0;
        await alertAudio.play();
        return true;
      } catch {
        return false;
      }
    },

    markInteractive: () => { document.body.dataset.interactive = "true"; },

    copyText: async (text) => {
      try { await navigator.clipboard.writeText(text); return true; } catch { return false; }
    }
  };
})();
