// The page of `verify serve`: sends the input to /api/stream and shows each step as it is decided.
// The input lives in the address (#input=...), so a result can be shared as a link.
"use strict";
const $ = (id) => document.getElementById(id);
let fileName = "";
let running = null;

function rows(id) {
  return $(id).value.split("\n").map((s) => s.trim()).filter((s) => s);
}

function input() {
  const body = { text: $("text").value, definitions: rows("definitions"), assume: rows("assume") };
  if (fileName) body.name = fileName;
  return body;
}

function saveToAddress(body) {
  const bytes = new TextEncoder().encode(JSON.stringify(body));
  let s = "";
  bytes.forEach((b) => { s += String.fromCharCode(b); });
  history.replaceState(null, "", "#input=" + btoa(s).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, ""));
}

function loadFromAddress() {
  const m = location.hash.match(/^#input=([A-Za-z0-9_-]+)$/);
  if (!m) return false;
  try {
    const b64 = m[1].replace(/-/g, "+").replace(/_/g, "/");
    const bin = atob(b64 + "===".slice((b64.length + 3) % 4));
    const body = JSON.parse(new TextDecoder().decode(Uint8Array.from(bin, (c) => c.charCodeAt(0))));
    $("text").value = body.text || "";
    $("definitions").value = (body.definitions || []).join("\n");
    $("assume").value = (body.assume || []).join("\n");
    fileName = body.name || "";
    return true;
  } catch (e) {
    return false;
  }
}

function fragment(html) {
  const t = document.createElement("template");
  t.innerHTML = html;
  return t.content;
}

async function check() {
  if (running) running.abort();
  const controller = new AbortController();
  running = controller;
  const body = input();
  saveToAddress(body);
  $("results").textContent = "";
  $("summary").textContent = "";
  $("status").textContent = "reading…";
  let done = 0, total = 0;
  try {
    const resp = await fetch("/api/stream", {
      method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body),
      signal: controller.signal,
    });
    if (!resp.ok) {
      const report = await resp.json().catch(() => ({ errors: [{ message: resp.statusText }] }));
      const list = document.createElement("ul");
      list.className = "errors";
      for (const e of report.errors || []) {
        const li = document.createElement("li");
        li.className = "error";
        li.textContent = (e.file ? `${e.file}:${e.line}:${e.col}: ` : "") + e.message;
        list.appendChild(li);
      }
      $("summary").appendChild(list);
      $("status").textContent = `not checked (${resp.status})`;
      return;
    }
    const reader = resp.body.getReader();
    const decoder = new TextDecoder();
    let buffer = "";
    for (;;) {
      const { value, done: finished } = await reader.read();
      if (finished) break;
      buffer += decoder.decode(value, { stream: true });
      let nl;
      while ((nl = buffer.indexOf("\n")) >= 0) {
        const event = JSON.parse(buffer.slice(0, nl));
        buffer = buffer.slice(nl + 1);
        if (event.event === "start") {
          total = event.steps;
          if (event.errors) $("summary").appendChild(fragment(event.errors));
        } else if (event.event === "step") {
          done += 1;
          if (event.section) {
            $("results").appendChild(fragment(event.section));
          } else {
            const chains = $("results").querySelectorAll("ol.chain");
            chains[chains.length - 1].appendChild(fragment(event.html));
          }
        } else if (event.event === "done") {
          $("summary").textContent = "";
          $("summary").appendChild(fragment(event.summary));
        } else if (event.event === "error") {
          $("summary").textContent = "verify failed: " + event.message;
        }
        $("status").textContent = event.event === "done" ? `${total} steps checked` : `${done} of ${total} steps checked…`;
      }
    }
  } catch (e) {
    if (e.name !== "AbortError") $("status").textContent = "the server did not answer: " + e.message;
  } finally {
    if (running === controller) running = null;
  }
}

$("form").addEventListener("submit", (e) => { e.preventDefault(); check(); });
$("text").addEventListener("input", () => { fileName = ""; });
$("link").addEventListener("click", () => {
  saveToAddress(input());
  if (navigator.clipboard) navigator.clipboard.writeText(location.href).catch(() => {});
  $("status").textContent = "the link to this input is in the address bar";
});
for (const kind of ["dragenter", "dragover"]) {
  $("text").addEventListener(kind, (e) => { e.preventDefault(); $("text").classList.add("dragging"); });
}
$("text").addEventListener("dragleave", () => $("text").classList.remove("dragging"));
$("text").addEventListener("drop", async (e) => {
  e.preventDefault();
  $("text").classList.remove("dragging");
  const file = e.dataTransfer.files[0];
  if (!file) return;
  $("text").value = await file.text();
  fileName = file.name;
  check();
});
if (loadFromAddress()) check();
