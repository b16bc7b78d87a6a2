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
    // The server drops this device's push subscription with the sign-out; then the browser forgets it too, so the
    // next person on this device gets no alerts meant for the last one.
    logout: async () => {
      let pushEndpoint = null;
      try { pushEndpoint = await window.dispatchPush?.currentEndpoint() ?? null; } catch { /* no push here */ }
      const result = await post("/api/auth/logout", { pushEndpoint });
      if (result.ok && pushEndpoint) {
        try { await window.dispatchPush.forgetThisDevice(); } catch { /* signed out all the same */ }
      }
      return result;
    },

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
