/* The agent console's live parts: the queue and a ticket refresh themselves
 * every few seconds; actions post JSON with the session's CSRF token. Every
 * buyer-written string is put in the page with textContent, never as HTML. */
(function () {
  "use strict";
  const csrf = document.querySelector('meta[name="csrf-token"]').content;
  const page = document.body.dataset.page;
  const POLL_MS = 2500;

  function el(tag, text, className) {
    const node = document.createElement(tag);
    if (text !== undefined && text !== null) node.textContent = String(text);
    if (className) node.className = className;
    return node;
  }

  async function getJson(url) {
    const reply = await fetch(url, { credentials: "same-origin" });
    if (reply.status === 401) { window.location.href = "/login"; return null; }
    return reply.json();
  }

  async function post(url, body) {
    const reply = await fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRF-Token": csrf },
      body: JSON.stringify(body || {}),
    });
    const data = await reply.json().catch(() => ({}));
    return { ok: reply.ok, status: reply.status, data: data };
  }

  function waited(seconds) {
    if (seconds < 60) return seconds + " s";
    if (seconds < 3600) return Math.floor(seconds / 60) + " min";
    return Math.floor(seconds / 3600) + " h " + Math.floor((seconds % 3600) / 60) + " min";
  }

  // ---- the queue ----
  async function refreshQueue() {
    const data = await getJson("/api/queue");
    if (!data) return;
    const rows = document.getElementById("queue-rows");
    rows.replaceChildren();
    if (data.tickets.length === 0) {
      const row = el("tr"); const cell = el("td", "Nobody is waiting."); cell.colSpan = 8;
      row.append(cell); rows.append(row); return;
    }
    for (const t of data.tickets) {
      const row = el("tr", null, t.status === "waiting" ? "waiting" : "taken");
      row.dataset.testid = "queue-row";
      const link = el("a", "#" + t.id); link.href = "/tickets/" + t.id;
      const first = el("td"); first.append(link);
      row.append(first, el("td", waited(t.waiting_seconds)), el("td", t.trigger),
        el("td", t.order_id || "-"), el("td", t.language), el("td", t.channel),
        el("td", t.agent || "-"), el("td", t.last_message, "last"));
      rows.append(row);
    }
  }

  // ---- a ticket ----
  function ticketId() { return document.querySelector(".ticket").dataset.ticketId; }

  function notice(text, isError) {
    const box = document.getElementById("notice");
    box.textContent = text;
    box.className = "notice" + (isError ? " error" : "");
  }

  function renderTicket(data) {
    const t = data.ticket;
    document.getElementById("status").textContent = t.status;
    const mine = t.agent === data.me;
    const open = t.status === "waiting" || t.status === "taken";
    document.getElementById("holder").textContent =
      t.agent ? (mine ? "You have this ticket." : "Taken by " + t.agent + ".") : "Nobody has taken it yet.";
    document.getElementById("take").disabled = !(open && !t.agent);
    for (const id of ["hand-back", "close", "send", "reply"]) {
      const node = document.getElementById(id) || document.querySelector('[data-testid="' + id + '"]');
      if (node) node.disabled = !(open && mine);
    }
    for (const id of ["approve", "deny"]) {
      document.getElementById(id).disabled = !(open && mine && t.rma);
    }
    const list = document.getElementById("transcript");
    const atBottom = list.scrollHeight - list.scrollTop - list.clientHeight < 40;
    list.replaceChildren();
    if (data.transcript_error) list.append(el("li", data.transcript_error, "error"));
    for (const line of data.transcript) {
      const item = el("li", null, "line " + line.sender + (line.while_paused ? " paused" : ""));
      item.dataset.testid = "line-" + line.sender;
      const who = line.sender === "agent" ? "Agent " + line.agent : line.sender;
      const when = new Date(line.at * 1000).toLocaleTimeString();
      item.append(el("span", who + " · " + when + (line.while_paused ? " · while waiting" : ""), "who"),
        el("p", line.text, "text"));
      list.append(item);
    }
    if (atBottom) list.scrollTop = list.scrollHeight;
  }

  async function refreshTicket() {
    const data = await getJson("/api/tickets/" + ticketId());
    if (data && data.ticket) renderTicket(data);
  }

  async function act(path, body, done) {
    const result = await post("/api/tickets/" + ticketId() + "/" + path, body);
    if (!result.ok) notice(result.data.error || "HTTP " + result.status, true);
    else notice(done, false);
    await refreshTicket();
    return result.ok;
  }

  function wireTicket() {
    document.getElementById("take").addEventListener("click", () => act("take", {}, "You have this ticket."));
    document.getElementById("approve").addEventListener("click", () =>
      act("decide", { decision: "approve", note: document.getElementById("note").value }, "Return approved."));
    document.getElementById("deny").addEventListener("click", () =>
      act("decide", { decision: "deny", note: document.getElementById("note").value }, "Return denied."));
    document.getElementById("hand-back").addEventListener("click", () =>
      act("hand-back", {}, "Handed back to the assistant."));
    document.getElementById("close").addEventListener("click", () =>
      act("close", { note: document.getElementById("note").value }, "Ticket closed."));
    document.getElementById("reply-form").addEventListener("submit", async (event) => {
      event.preventDefault();
      const box = document.getElementById("reply");
      const text = box.value.trim();
      if (!text) return;
      const result = await post("/api/tickets/" + ticketId() + "/reply", { text: text });
      if (!result.ok) notice(result.data.error || "HTTP " + result.status, true);
      else {
        box.value = "";
        notice(result.data.delivered ? "Sent to the buyer." :
          "Saved in the conversation; this buyer's channel cannot receive messages.", !result.data.delivered);
      }
      await refreshTicket();
    });
  }

  function poll(refresh) {
    refresh();
    window.setInterval(refresh, POLL_MS);
  }

  if (page === "queue") poll(refreshQueue);
  if (page === "ticket") { wireTicket(); poll(refreshTicket); }
})();
