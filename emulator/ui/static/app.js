// The emulator's web page: every datum comes from the control API
// (/__emulator/...), fetched with the admin token the page was given.
"use strict";

const api = "/__emulator/";
let token = sessionStorage.getItem("emulator-admin-token") || "";
let view = "journal";
let timer = null;

// el builds an element: el("td", {class: "x"}, "text", child...). Text is
// always set as text, never parsed as HTML.
function el(tag, attrs, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (k === "class") e.className = v;
    else if (k.startsWith("on")) e.addEventListener(k.slice(2), v);
    else e.setAttribute(k, v);
  }
  for (const c of children) {
    if (c === null || c === undefined) continue;
    e.append(c instanceof Node ? c : String(c));
  }
  return e;
}

function setStatus(text, isError) {
  const s = document.getElementById("status");
  s.textContent = text;
  s.className = isError ? "error" : "";
}

// control sends one control request; a 401 shows the token form.
async function control(method, path, body) {
  const headers = {};
  if (token) headers["X-Emulator-Admin-Token"] = token;
  const init = {method, headers};
  if (body !== undefined) {
    headers["Content-Type"] = "application/json";
    init.body = JSON.stringify(body);
  }
  const resp = await fetch(api + path, init);
  if (resp.status === 401) {
    showLogin(token ? "that token was refused" : "");
    throw new Error("the admin token is needed");
  }
  const text = await resp.text();
  const data = text ? JSON.parse(text) : null;
  if (!resp.ok) {
    const msg = data && data.error ? data.error + (data.problems ? ": " + data.problems.join("; ") : "") : resp.statusText;
    throw new Error(resp.status + " " + msg);
  }
  return data;
}

function showLogin(problem) {
  document.getElementById("login").hidden = false;
  document.getElementById("login-error").textContent = problem || "";
  document.querySelector("main").hidden = true;
}

async function refresh() {
  try {
    if (view === "journal") await showJournal();
    if (view === "state") await showState();
    if (view === "faults") await showFaults();
    if (view === "clock") await showClock();
    if (view === "coverage") await showCoverage();
    setStatus("updated " + new Date().toLocaleTimeString());
  } catch (err) {
    setStatus(err.message, true);
  }
}

function show(name) {
  view = name;
  for (const b of document.querySelectorAll("#tabs button")) b.classList.toggle("active", b.dataset.view === name);
  for (const s of document.querySelectorAll(".view")) s.hidden = s.id !== "view-" + name;
  refresh();
}

// --- Journal ---------------------------------------------------------------

function journalQuery() {
  const q = new URLSearchParams();
  for (const input of document.querySelectorAll("#journal-filters input[name]")) {
    if (input.value.trim() !== "") q.set(input.name, input.value.trim());
  }
  const s = q.toString();
  return s ? "?" + s : "";
}

function pretty(body) {
  try { return JSON.stringify(JSON.parse(body), null, 2); } catch { return body; }
}

async function showJournal() {
  const j = await control("GET", "journal" + journalQuery());
  const tbody = document.querySelector("#journal tbody");
  const open = new Set([...tbody.querySelectorAll("tr.detail:not([hidden])")].map(r => r.dataset.seq));
  tbody.replaceChildren();
  const entries = j.entries.slice().reverse(); // newest first
  document.getElementById("journal-summary").textContent =
    entries.length + " requests shown (the journal keeps the last " + j.capacity + ")";
  for (const e of entries) {
    const notes = el("span");
    if (e.injected) notes.append(el("span", {class: "tag fault"}, "fault " + (e.fault_id || "")));
    if (e.spec_violation) notes.append(el("span", {class: "tag violation"}, "spec violation"));
    if (e.diagnostic) notes.append(el("span", {class: "diagnostic"}, e.diagnostic));
    const row = el("tr", {class: "entry status-" + Math.floor(e.status / 100), "data-seq": e.seq},
      el("td", {}, e.seq), el("td", {}, e.time.replace("T", " ").replace(/(\.\d+)?Z$/, "")), el("td", {}, e.method),
      el("td", {class: "path"}, e.path + (e.query ? "?" + e.query : "")), el("td", {class: "status"}, e.status || "closed"),
      el("td", {}, e.duration_ms.toFixed(2)), el("td", {}, e.operation || "(no route)"), el("td", {}, notes));
    const detail = el("tr", {class: "detail", "data-seq": e.seq},
      el("td", {colspan: 8},
        el("div", {class: "exchange"},
          el("div", {}, el("h4", {}, "Request"),
            el("pre", {}, e.method + " " + e.path + (e.query ? "?" + e.query : "") + "\n\n" +
              (e.request_body ? pretty(e.request_body) : "(no body)") + (e.request_body_truncated ? "\n… truncated" : ""))),
          el("div", {}, el("h4", {}, "Answer"),
            el("pre", {}, (e.status || "no answer (connection closed)") + (e.response_type ? "  " + e.response_type : "") + "\n\n" +
              (e.response_body ? pretty(e.response_body) : "(no body)") + (e.response_body_truncated ? "\n… truncated" : "")))),
        e.spec_violation ? el("p", {class: "violation"}, "Spec violation: " + e.spec_violation) : null,
        e.injected ? el("p", {class: "fault"}, "Answered by fault rule " + e.fault_id) : null,
        e.diagnostic ? el("p", {class: "diagnostic"}, "Why: " + e.diagnostic) : null));
    detail.hidden = !open.has(String(e.seq));
    row.addEventListener("click", () => { detail.hidden = !detail.hidden; });
    tbody.append(row, detail);
  }
}

// --- State -----------------------------------------------------------------

function isScalar(v) { return v === null || typeof v !== "object"; }

// table renders an array of objects: scalar fields as columns, nested arrays
// and objects as sub-tables below their row.
function table(items, cls) {
  const cols = [];
  for (const it of items) for (const [k, v] of Object.entries(it)) if (isScalar(v) && !cols.includes(k)) cols.push(k);
  const t = el("table", {class: "grid " + (cls || "")}, el("thead", {}, el("tr", {}, ...cols.map(c => el("th", {}, c)))));
  const tb = el("tbody");
  for (const it of items) {
    tb.append(el("tr", {}, ...cols.map(c => el("td", {}, it[c] === undefined ? "" : String(it[c])))));
    const nested = Object.entries(it).filter(([, v]) => !isScalar(v));
    if (nested.length) {
      const cell = el("td", {colspan: Math.max(cols.length, 1), class: "nested"});
      for (const [k, v] of nested) cell.append(block(k, v));
      tb.append(el("tr", {}, cell));
    }
  }
  t.append(tb);
  return t;
}

function block(name, v) {
  const wrap = el("div", {class: "block", "data-key": name}, el("h4", {}, name));
  if (Array.isArray(v)) {
    if (v.length === 0) wrap.append(el("span", {class: "empty"}, "none"));
    else if (v.every(isScalar)) wrap.append(el("span", {}, v.join(", ")));
    else wrap.append(table(v));
  } else {
    const fields = Object.entries(v).map(([k, x]) => isScalar(x) ? k + ": " + x : k + ": " + JSON.stringify(x));
    wrap.append(el("span", {}, fields.join(", ")));
  }
  return wrap;
}

async function showState() {
  const doc = await control("GET", "state");
  const out = document.getElementById("state");
  out.replaceChildren();
  for (const p of doc.partners || []) {
    const sec = el("section", {class: "partner", "data-partner": p.id},
      el("h3", {}, "Partner " + p.id + ": " + p.name), el("p", {}, "API keys: " + (p.api_keys || []).join(", ")));
    for (const [k, v] of Object.entries(p)) {
      if (!isScalar(v) && k !== "api_keys") sec.append(block(k, v));
    }
    out.append(sec);
  }
}

// --- Faults ----------------------------------------------------------------

async function showFaults() {
  const {faults} = await control("GET", "faults");
  const tbody = document.querySelector("#faults tbody");
  tbody.replaceChildren();
  for (const f of faults) {
    const answer = [f.status ? "status " + f.status : "", f.latency_ms ? f.latency_ms + " ms" : "", f.close_connection ? "close" : ""].filter(Boolean).join(", ");
    tbody.append(el("tr", {"data-fault": f.id}, el("td", {}, f.id), el("td", {}, f.method || "any"),
      el("td", {}, f.path || (f.path_prefix + "*")), el("td", {}, answer),
      el("td", {}, f.times ? f.remaining + " of " + f.times + " left" : (f.probability ? "p=" + f.probability : "always")),
      el("td", {}, f.matched),
      el("td", {}, el("button", {type: "button", class: "remove", onclick: async () => {
        try { await control("DELETE", "faults/" + f.id); } catch (err) { setStatus(err.message, true); }
        refresh();
      }}, "Remove"))));
  }
}

async function addFault(ev) {
  ev.preventDefault();
  const form = ev.target;
  const rule = {};
  const v = name => form.elements[name].value.trim();
  if (v("method")) rule.method = v("method").toUpperCase();
  rule.path = v("path");
  for (const n of ["status", "latency_ms", "times"]) if (v(n)) rule[n] = Number(v(n));
  if (v("body")) { try { rule.body = JSON.parse(v("body")); } catch { rule.body = v("body"); } }
  if (form.elements.close_connection.checked) rule.close_connection = true;
  const errBox = document.getElementById("fault-error");
  try {
    await control("POST", "faults", rule);
    errBox.textContent = "";
    form.reset();
  } catch (err) {
    errBox.textContent = err.message;
  }
  refresh();
}

// --- Clock -----------------------------------------------------------------

async function showClock(clock) {
  const c = clock || await control("GET", "clock");
  document.getElementById("clock-time").textContent = c.time;
  document.getElementById("clock-mode").textContent = c.fixed ? "(stopped)" : "(running" + (c.offset_seconds ? ", shifted " + c.offset_seconds + " s" : "") + ")";
}

async function clockAction(method, path, body) {
  const errBox = document.getElementById("clock-error");
  try {
    await showClock(await control(method, path, body));
    errBox.textContent = "";
  } catch (err) {
    errBox.textContent = err.message;
  }
}

// --- Coverage --------------------------------------------------------------

async function showCoverage() {
  const c = await control("GET", "coverage");
  document.getElementById("coverage-summary").textContent =
    c.reached + " of " + c.statuses + " documented statuses reached; " +
    (c.operations.length - c.never_called.length) + " of " + c.operations.length + " operations called; " +
    c.unmatched + " requests matched no route (since the last reset or journal clear)";
  const tbody = document.querySelector("#coverage tbody");
  tbody.replaceChildren();
  for (const o of c.operations) {
    const chips = el("span");
    for (const s of o.statuses) chips.append(el("span", {class: "chip " + (s.count ? "reached" : "missed"), title: s.count + " answers"}, s.status + (s.count ? " ×" + s.count : "")));
    for (const s of o.undocumented || []) chips.append(el("span", {class: "chip undocumented", title: "not documented"}, s.status + " ×" + s.count));
    tbody.append(el("tr", {class: o.requests ? "called" : "never", "data-operation": o.operation},
      el("td", {}, o.operation), el("td", {}, o.method), el("td", {}, o.path), el("td", {class: "requests"}, o.requests), el("td", {}, chips)));
  }
  document.getElementById("coverage-never").textContent = c.never_called.join(", ") || "none";
}

// --- Wiring ----------------------------------------------------------------

document.addEventListener("DOMContentLoaded", () => {
  for (const b of document.querySelectorAll("#tabs button")) b.addEventListener("click", () => show(b.dataset.view));
  document.getElementById("login").addEventListener("submit", ev => {
    ev.preventDefault();
    token = document.getElementById("token").value;
    sessionStorage.setItem("emulator-admin-token", token);
    document.getElementById("login").hidden = true;
    document.querySelector("main").hidden = false;
    refresh();
  });
  document.getElementById("journal-filters").addEventListener("submit", ev => { ev.preventDefault(); refresh(); });
  document.getElementById("journal-clear").addEventListener("click", async () => {
    try { await control("DELETE", "journal"); } catch (err) { setStatus(err.message, true); }
    refresh();
  });
  document.getElementById("state-refresh").addEventListener("click", refresh);
  document.getElementById("state-reset").addEventListener("click", async () => {
    try { await control("POST", "reset"); } catch (err) { setStatus(err.message, true); }
    refresh();
  });
  document.getElementById("fault-form").addEventListener("submit", addFault);
  document.getElementById("faults-clear").addEventListener("click", async () => {
    try { await control("DELETE", "faults"); } catch (err) { setStatus(err.message, true); }
    refresh();
  });
  document.getElementById("clock-set").addEventListener("submit", ev => {
    ev.preventDefault();
    clockAction("PUT", "clock", {time: ev.target.elements.time.value.trim()});
  });
  document.getElementById("clock-advance").addEventListener("submit", ev => {
    ev.preventDefault();
    clockAction("POST", "clock/advance", {duration: ev.target.elements.duration.value.trim()});
  });
  document.getElementById("clock-release").addEventListener("click", () => clockAction("DELETE", "clock"));
  // The journal is live: it refreshes every two seconds while shown.
  timer = setInterval(() => {
    if (view === "journal" && document.getElementById("journal-live").checked && document.getElementById("login").hidden) refresh();
  }, 2000);
  show("journal");
});
