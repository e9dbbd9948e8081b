"use strict";
// The Smart Embed simulator page.
//
// The phone lives in the dialdesk-sim process. This page follows it over Server-Sent Events:
// `state` events re-render the page, `post` events are posted to the parent window, `burst`
// events make this page post many events to its parent in a tight loop. Every message the
// parent window posts to this page is forwarded, in order, to POST /__sim/command.
// Tests drive the page through `window.sim`; people through the Scenarios section.
(() => {
  const FLAG_NAMES = [
    "enableSavingLog",
    "enableAutoLog",
    "enableContactSearching",
    "enableContactMatching",
  ];

  const framed = window.parent !== window;
  const targetOrigin = parentOrigin();
  const byId = (id) => document.getElementById(id);

  // How many finished bursts to remember for `window.sim.burst` callers not yet waiting.
  const BURST_MEMORY = 16;

  let latest = null;
  let renderedCount = 0;
  let renderedLastKey = null;
  let timerHandle = null;

  // Resolves on the first `state` event, i.e. once the server has subscribed this page, so a
  // command forwarded before that cannot trigger events this page would miss.
  let markSubscribed = () => {};
  const subscribed = new Promise((resolve) => {
    markSubscribed = resolve;
  });
  let forwarding = subscribed;

  // Burst results by burst id, and the `window.sim.burst` callers waiting for one.
  const burstResults = new Map();
  const burstWaiters = new Map();

  function parentOrigin() {
    const ancestors = location.ancestorOrigins;
    if (ancestors && ancestors.length > 0 && ancestors[0] !== "null") {
      return ancestors[0];
    }
    return "*";
  }

  function postToParent(message) {
    window.parent.postMessage(message, targetOrigin);
  }

  async function request(method, path, body) {
    const init = { method, headers: {} };
    if (body !== undefined) {
      init.headers["content-type"] = "application/json";
      init.body = JSON.stringify(body);
    }
    const response = await fetch(path, init);
    const text = await response.text();
    let parsed = null;
    if (text) {
      try {
        parsed = JSON.parse(text);
      } catch {
        parsed = text;
      }
    }
    if (!response.ok) {
      const reason = parsed && typeof parsed === "object" && parsed.error ? parsed.error : text;
      throw new Error(`${method} ${path}: ${response.status} ${reason}`);
    }
    return parsed;
  }

  // ---- Messages from the parent window ------------------------------------------------------

  function forward(data) {
    let body;
    try {
      body = JSON.stringify(data);
    } catch (error) {
      console.warn("dialdesk-sim: a message from the parent is not JSON; not forwarded", error);
      return;
    }
    if (body === undefined) {
      console.warn("dialdesk-sim: a message from the parent is not JSON; not forwarded");
      return;
    }
    forwarding = forwarding.then(async () => {
      try {
        const response = await fetch("/__sim/command", {
          method: "POST",
          headers: { "content-type": "application/json" },
          body,
        });
        if (!response.ok) {
          console.warn("dialdesk-sim: command refused:", response.status, await response.text());
        }
      } catch (error) {
        console.warn("dialdesk-sim: cannot forward a command", error);
      }
    });
  }

  window.addEventListener("message", (event) => {
    if (!framed || event.source !== window.parent) {
      return;
    }
    forward(event.data);
  });

  // ---- The event stream ----------------------------------------------------------------------

  function subscribe() {
    const source = new EventSource("/__sim/stream");
    source.addEventListener("post", (event) => {
      let message;
      try {
        message = JSON.parse(event.data);
      } catch {
        return;
      }
      postToParent(message);
    });
    source.addEventListener("state", (event) => {
      let state;
      try {
        state = JSON.parse(event.data);
      } catch {
        return;
      }
      latest = state;
      render(state);
      markSubscribed();
    });
    source.addEventListener("burst", (event) => {
      let message;
      try {
        message = JSON.parse(event.data);
      } catch {
        return;
      }
      if (message && message.burst) {
        runBurst(message.burst);
      }
    });
    source.addEventListener("open", () => setLink(true));
    source.addEventListener("error", () => setLink(false));
  }

  function setLink(connected) {
    const link = byId("sim-link");
    link.dataset.connected = String(connected);
    link.textContent = connected ? "Connected to the simulator" : "Reconnecting to the simulator…";
  }

  // ---- Bursts ---------------------------------------------------------------------------------

  // Posts `count` copies of the template, call ids `<template callId>-<index>`, as fast as the
  // browser allows, then reports how long the loop took.
  function runBurst(burst) {
    const count = Number(burst.count) || 0;
    const template = burst.template || {};
    const type = template.type;
    const data = template.data && typeof template.data === "object" ? template.data : {};
    const prefix = String(data.callId);
    const started = performance.now();
    for (let index = 0; index < count; index += 1) {
      window.parent.postMessage({ type, data: { ...data, callId: `${prefix}-${index}` } }, targetOrigin);
    }
    const result = { posted: count, ms: performance.now() - started };
    settleBurst(burst.id, result);
    request("POST", "/__sim/burst-done", { id: burst.id, ...result }).catch((error) =>
      console.warn("dialdesk-sim: cannot report a burst", error),
    );
  }

  function settleBurst(id, result) {
    const waiter = burstWaiters.get(id);
    if (waiter) {
      burstWaiters.delete(id);
      waiter(result);
      return;
    }
    burstResults.set(id, result);
    while (burstResults.size > BURST_MEMORY) {
      burstResults.delete(burstResults.keys().next().value);
    }
  }

  // Starts a burst and resolves with this page's {posted, ms} once its loop is done.
  async function burst(count) {
    await subscribed;
    const started = await request(
      "POST",
      "/__sim/scenario/burst",
      count === undefined ? undefined : { count },
    );
    const id = started.id;
    if (burstResults.has(id)) {
      const result = burstResults.get(id);
      burstResults.delete(id);
      return result;
    }
    return new Promise((resolve) => burstWaiters.set(id, resolve));
  }

  // ---- Rendering -----------------------------------------------------------------------------

  function render(state) {
    renderSignIn(state.signedIn !== false);
    renderFlags(state.flags);
    renderCall(state);
    renderNotes(state);
    renderScenarios(state);
    renderReceived(Array.isArray(state.received) ? state.received : []);
  }

  function renderSignIn(signedIn) {
    const user = byId("sim-user");
    user.dataset.signedIn = String(signedIn);
    user.textContent = signedIn ? "Signed in as Riley Agent (ext. 800)" : "Signed out";
    byId("sim-signed-out").hidden = signedIn;
  }

  function renderScenarios(state) {
    const running = byId("sim-scenario-running");
    running.hidden = !state.scenario;
    running.textContent = state.scenario ? `Running: ${state.scenario}` : "";

    const match = state.contactMatch;
    const line = byId("sim-match");
    line.hidden = !match;
    line.dataset.matchStatus = match ? match.status : "";
    line.dataset.matchName = match && match.name ? match.name : "";
    if (match) {
      line.textContent =
        match.status === "matched"
          ? `Matched: ${match.name}`
          : match.status === "waiting"
            ? `Waiting for a contact match of ${match.number}…`
            : match.status === "timed-out"
              ? `No match: no answer from the host in time for ${match.number}`
              : "No match";
    }

    const search = state.search;
    byId("sim-search").hidden = !search;
    const results = byId("sim-search-results");
    results.replaceChildren();
    if (search) {
      const answered = Array.isArray(search.results);
      byId("sim-search-title").textContent = answered
        ? `Search "${search.searchString}": ${search.results.length} contact${search.results.length === 1 ? "" : "s"}`
        : `Search "${search.searchString}": waiting for zp-contact-search-response`;
      for (const label of answered ? search.results : []) {
        const item = document.createElement("li");
        item.textContent = String(label);
        results.append(item);
      }
    }

    const last = state.lastBurst;
    const report = byId("sim-burst");
    report.hidden = !last;
    report.textContent = last
      ? `Last burst: ${last.posted} events posted in ${Number(last.ms).toFixed(1)} ms`
      : "";
  }

  function renderFlags(flags) {
    const received = Boolean(flags);
    byId("sim-flags").dataset.flagsReceived = String(received);
    byId("sim-flags-waiting").hidden = received;
    const list = byId("sim-flags-list");
    list.hidden = !received;
    list.replaceChildren();
    if (!received) {
      return;
    }
    for (const name of FLAG_NAMES) {
      const value = flags[name];
      const text = value === true ? "on" : value === false ? "off" : "not sent";
      list.append(flagItem(name, text));
    }
    const notes = flags.notePageConfiguration;
    const notesText = Array.isArray(notes)
      ? `${notes.length} field${notes.length === 1 ? "" : "s"}`
      : "not sent";
    list.append(flagItem("notePageConfiguration", notesText));
  }

  function flagItem(name, text) {
    const item = document.createElement("li");
    item.dataset.flag = name;
    item.dataset.value = text;
    const label = document.createElement("span");
    label.className = "flag-name";
    label.textContent = name;
    const value = document.createElement("span");
    value.className = "flag-value";
    value.textContent = text;
    item.append(label, value);
    return item;
  }

  function renderCall(state) {
    const call = state.call;
    const box = byId("sim-call");
    box.dataset.phase = call ? call.phase : "idle";
    box.dataset.callId = call ? call.callId : "";
    box.dataset.direction = call ? call.direction : "";
    if (call) {
      const who = call.name ? `${call.name} ${call.number}` : call.number;
      byId("sim-call-party").textContent = `${call.direction === "inbound" ? "From" : "To"} ${who}`;
      byId("sim-call-phase").textContent =
        call.phase === "ended"
          ? `ended: ${call.result}, ${formatDuration(call.duration || 0)}`
          : call.phase;
    } else {
      byId("sim-call-party").textContent = "No call";
      byId("sim-call-phase").textContent = "idle";
    }
    const ringing = Boolean(call) && call.phase === "ringing";
    const connected = Boolean(call) && call.phase === "connected";
    // A running scenario owns its call: its own events answer and end it.
    const scripted = Boolean(state.scenario);
    byId("sim-answer").hidden =
      scripted || !(ringing && (state.stepMode || call.direction === "inbound"));
    byId("sim-hangup").disabled = scripted || !(ringing || connected);
    if (connected && timerHandle === null) {
      timerHandle = window.setInterval(updateTimer, 1000);
    } else if (!connected && timerHandle !== null) {
      window.clearInterval(timerHandle);
      timerHandle = null;
    }
    updateTimer();
  }

  function updateTimer() {
    const call = latest && latest.call;
    const timer = byId("sim-call-timer");
    if (!call || call.phase !== "connected") {
      timer.hidden = true;
      return;
    }
    const seconds = Math.max(0, Math.floor((Date.now() - call.connectedAt) / 1000));
    timer.textContent = formatDuration(seconds);
    timer.hidden = false;
  }

  function formatDuration(totalSeconds) {
    const minutes = Math.floor(totalSeconds / 60);
    const seconds = totalSeconds % 60;
    return `${minutes}:${String(seconds).padStart(2, "0")}`;
  }

  function renderNotes(state) {
    const dialpad = byId("sim-dialpad");
    dialpad.hidden = !state.dialpad;
    dialpad.textContent = state.dialpad ? `Dial pad: ${state.dialpad}` : "";
    const sms = byId("sim-sms");
    sms.hidden = !state.sms;
    sms.textContent = state.sms ? `SMS composer: ${state.sms}` : "";
    byId("sim-script").textContent = state.stepMode
      ? "Step mode: calls wait for Answer"
      : `Outbound calls connect after ${state.connectDelayMs} ms`;
  }

  function entryKey(entry) {
    return `${entry.type}|${entry.receivedAt}`;
  }

  function renderReceived(list) {
    const holder = byId("sim-received");
    const stale =
      list.length < renderedCount ||
      (renderedCount > 0 && entryKey(list[renderedCount - 1]) !== renderedLastKey);
    if (stale) {
      holder.replaceChildren();
      renderedCount = 0;
    }
    for (let index = renderedCount; index < list.length; index += 1) {
      holder.append(receivedItem(list[index]));
    }
    if (list.length > renderedCount) {
      holder.scrollTop = holder.scrollHeight;
    }
    renderedCount = list.length;
    renderedLastKey = list.length > 0 ? entryKey(list[list.length - 1]) : null;
    byId("sim-received-count").textContent = String(list.length);
  }

  function receivedItem(entry) {
    const item = document.createElement("li");
    item.dataset.type = String(entry.type);
    if (entry.dropped) {
      item.dataset.dropped = "true";
    }
    const type = document.createElement("span");
    type.className = "received-type";
    type.textContent = String(entry.type);
    const data = document.createElement("code");
    data.className = "received-data";
    data.textContent = JSON.stringify(entry.data);
    item.append(type, data);
    return item;
  }

  function showError(message) {
    const error = byId("sim-error");
    error.hidden = !message;
    error.textContent = message || "";
  }

  // ---- Test API --------------------------------------------------------------------------------

  function spawnFrame(origin, message) {
    const base = String(origin || location.origin).replace(/\/+$/, "");
    let src = `${base}/__sim/frame`;
    if (message !== undefined) {
      src += `?msg=${encodeURIComponent(JSON.stringify(message))}`;
    }
    return new Promise((resolve, reject) => {
      const frame = document.createElement("iframe");
      frame.className = "hostile-frame";
      frame.title = "Hostile frame";
      frame.addEventListener("load", () => resolve(), { once: true });
      frame.addEventListener("error", () => reject(new Error(`cannot load ${src}`)), {
        once: true,
      });
      frame.src = src;
      byId("sim-frames").append(frame);
    });
  }

  function inbound(number, name) {
    const body = {};
    if (number !== undefined) {
      body.number = number;
    }
    if (name !== undefined) {
      body.name = name;
    }
    return request("POST", "/__sim/scenario/inbound", body);
  }

  window.sim = Object.freeze({
    received: () => request("GET", "/__sim/received"),
    state: () => request("GET", "/__sim/state"),
    emit: (message) => request("POST", "/__sim/emit", message),
    post: (message) => {
      postToParent(message);
      return Promise.resolve();
    },
    answer: () => request("POST", "/__sim/scenario/answer"),
    hangup: () => request("POST", "/__sim/scenario/hangup"),
    inbound,
    reset: () => request("POST", "/__sim/reset"),
    config: (options) => request("POST", "/__sim/config", options || {}),
    scenario: (name, options) =>
      request("POST", `/__sim/scenario/${encodeURIComponent(String(name))}`, options),
    burst,
    spawnFrame,
  });

  async function act(step) {
    showError(null);
    try {
      await step();
    } catch (error) {
      showError(error.message);
    }
  }

  byId("sim-answer").addEventListener("click", () => act(window.sim.answer));
  byId("sim-hangup").addEventListener("click", () => act(window.sim.hangup));
  byId("sim-scenario-run").addEventListener("click", () =>
    act(() => window.sim.scenario(byId("sim-scenario").value)),
  );
  subscribe();
})();
