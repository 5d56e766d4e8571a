/* returnbot website chat widget: one tag on a store page,
 *   <script src="http://RASA-HOST:5005/webhooks/socketio/widget.js" defer></script>
 * (optional data-language="es", data-title="..."), loads widget.css and the official
 * socket.io client from the same folder and speaks Rasa's socket.io protocol, plus
 * `bot_typing` and the history endpoint. Plain ES2017, no build step.
 * Server and buyer text only ever reaches the page through textContent.
 */
(function () {
  "use strict";

  // document.currentScript is only set while this file is first executed: read it now.
  const SCRIPT = document.currentScript ||
    document.querySelector('script[src*="/webhooks/socketio/widget.js"]');
  if (!SCRIPT || window.ReturnbotWidget) return; // no way to find the server, or loaded twice

  const SCRIPT_URL = new URL(SCRIPT.src, location.href);
  const BASE = new URL(".", SCRIPT_URL).href; // e.g. http://rasa:5005/webhooks/socketio/
  const RASA_ORIGIN = SCRIPT_URL.origin;
  const MAX_LENGTH = 2000;
  const TYPING_TIMEOUT_MS = 20000;
  const KEYS = { session: "returnbot:session", open: "returnbot:open", seen: "returnbot:seen" };

  const STRINGS = {
    en: ["Returns & refunds", "Type your message…", "Send", "Close", "Open chat", "Connecting…",
      "Reconnecting…", "The assistant is typing", "Image",
      "Hi! Tell me your order number and what went wrong, and I'll help with your return."],
    es: ["Devoluciones y reembolsos", "Escribe tu mensaje…", "Enviar", "Cerrar", "Abrir chat",
      "Conectando…", "Reconectando…", "El asistente está escribiendo", "Imagen",
      "¡Hola! Dime tu número de pedido y qué ha fallado, y te ayudaré con la devolución."],
    fr: ["Retours et remboursements", "Écrivez votre message…", "Envoyer", "Fermer",
      "Ouvrir le chat", "Connexion…", "Reconnexion…", "L’assistant est en train d’écrire", "Image",
      "Bonjour ! Donnez-moi votre numéro de commande et dites-moi ce qui ne va pas : je vous aide pour votre retour."],
    de: ["Rücksendungen & Erstattungen", "Nachricht eingeben…", "Senden", "Schließen",
      "Chat öffnen", "Verbinde…", "Verbindung wird wiederhergestellt…", "Der Assistent schreibt", "Bild",
      "Hallo! Nennen Sie mir Ihre Bestellnummer und was schiefgelaufen ist, dann helfe ich Ihnen bei der Rücksendung."],
    it: ["Resi e rimborsi", "Scrivi il tuo messaggio…", "Invia", "Chiudi", "Apri la chat",
      "Connessione…", "Riconnessione…", "L’assistente sta scrivendo", "Immagine",
      "Ciao! Dimmi il numero dell’ordine e cosa è andato storto, e ti aiuterò con il reso."],
    pt: ["Devoluções e reembolsos", "Escreva sua mensagem…", "Enviar", "Fechar", "Abrir chat",
      "Conectando…", "Reconectando…", "O assistente está digitando", "Imagem",
      "Olá! Diga-me o número do seu pedido e o que deu errado, e eu ajudo com a sua devolução."],
    nl: ["Retouren & terugbetalingen", "Typ je bericht…", "Versturen", "Sluiten", "Chat openen",
      "Verbinden…", "Opnieuw verbinden…", "De assistent is aan het typen", "Afbeelding",
      "Hallo! Geef me je bestelnummer en vertel wat er misging, dan help ik je met je retour."],
    zh: ["退货与退款", "输入您的消息…", "发送", "关闭", "打开聊天", "正在连接…", "正在重新连接…",
      "助手正在输入", "图片", "您好！请告诉我您的订单号和遇到的问题，我来帮您办理退货。"],
  };
  const STRING_NAMES = ["title", "placeholder", "send", "close", "open", "connecting",
    "reconnecting", "typing", "image", "hint"];

  // The full locale ("es-ES") goes to the bot as metadata; the UI only needs the language.
  const LOCALE = SCRIPT.getAttribute("data-language") || navigator.language || "en";
  const UI_LANG = STRINGS[LOCALE.slice(0, 2).toLowerCase()] ? LOCALE.slice(0, 2).toLowerCase() : "en";
  const T = {};
  STRING_NAMES.forEach((name, i) => { T[name] = STRINGS[UI_LANG][i]; });
  const TITLE = SCRIPT.getAttribute("data-title") || T.title;

  // ---- storage: localStorage throws in some privacy modes and sandboxed frames ----
  const memoryStore = {};
  function storageGet(key) {
    try {
      return window.localStorage.getItem(key);
    } catch (e) {
      return Object.prototype.hasOwnProperty.call(memoryStore, key) ? memoryStore[key] : null;
    }
  }
  function storageSet(key, value) {
    try {
      window.localStorage.setItem(key, value);
    } catch (e) {
      memoryStore[key] = String(value);
    }
  }

  // crypto.randomUUID only exists on secure pages; store pages may be plain http.
  function newSessionId() {
    const bytes = crypto.getRandomValues(new Uint8Array(16));
    return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
  }
  function loadSessionId() {
    const stored = storageGet(KEYS.session);
    if (stored && /^[0-9a-f]{32}$/.test(stored)) return stored;
    const id = newSessionId();
    storageSet(KEYS.session, id);
    return id;
  }

  const state = {
    sessionId: loadSessionId(),
    socket: null,
    connected: false, // socket up and session confirmed
    everConnected: false, // picks "Connecting…" vs "Reconnecting…"
    historyRequested: false,
    historyDone: false, // the buyer can send only once the old conversation is in place
    pending: [], // bot messages that arrived while the history was loading
    open: storageGet(KEYS.open) === "1",
    unread: 0,
    rendered: 0, // messages in the log; "seen" remembers how many the buyer has seen
    typingTimer: 0,
  };
  const ui = {}; // DOM nodes, filled by buildUi()

  // ---- DOM helpers ----
  function el(tag, className, attrs) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    Object.entries(attrs || {}).forEach(([name, value]) => node.setAttribute(name, value));
    return node;
  }

  const ICONS = {
    chat: "M7.9 20A9 9 0 1 0 4 16.1L2 22Z",
    close: "M18 6 6 18M6 6l12 12",
    send: "M12 19V5M5 12l7-7 7 7",
  };
  function icon(name) {
    const ns = "http://www.w3.org/2000/svg";
    const svg = document.createElementNS(ns, "svg");
    svg.setAttribute("viewBox", "0 0 24 24");
    svg.setAttribute("aria-hidden", "true");
    svg.setAttribute("focusable", "false");
    svg.setAttribute("class", "rb-icon rb-icon-" + name);
    const path = document.createElementNS(ns, "path");
    path.setAttribute("d", ICONS[name]);
    svg.appendChild(path);
    return svg;
  }

  function buildUi() {
    ui.root = el("div", "rb-root", { lang: UI_LANG });
    ui.root.style.display = "none"; // until widget.css is in, to avoid a flash of raw HTML

    ui.launcher = el("button", "rb-launcher", {
      type: "button", "data-testid": "rb-launcher", "aria-controls": "rb-panel",
    });
    ui.badge = el("span", "rb-unread", { "data-testid": "rb-unread", "aria-hidden": "true" });
    ui.badge.hidden = true;
    ui.launcher.append(icon("chat"), icon("close"), ui.badge);
    ui.launcher.addEventListener("click", () => setOpen(!state.open, true));

    ui.panel = el("section", "rb-panel", {
      id: "rb-panel", role: "dialog", "aria-label": TITLE, "data-testid": "rb-panel",
    });
    ui.panel.addEventListener("keydown", (event) => {
      if (event.key === "Escape") {
        setOpen(false);
        ui.launcher.focus();
      }
    });

    const header = el("div", "rb-header");
    const title = el("div", "rb-title", { role: "heading", "aria-level": "2" });
    title.textContent = TITLE;
    const closeButton = el("button", "rb-close", { type: "button", "aria-label": T.close, title: T.close });
    closeButton.append(icon("close"));
    closeButton.addEventListener("click", () => setOpen(false));
    header.append(title, closeButton);

    ui.status = el("div", "rb-status", { role: "status" });
    ui.log = el("div", "rb-log", {
      role: "log", "aria-live": "polite", "data-testid": "rb-log", tabindex: "0",
    });
    ui.hint = el("p", "rb-hint");
    ui.hint.textContent = T.hint;
    ui.log.append(ui.hint);

    ui.typing = el("div", "rb-bubble rb-typing", {
      role: "status", "aria-label": T.typing, "data-testid": "rb-typing",
    });
    ui.typing.append(el("span", "rb-dot"), el("span", "rb-dot"), el("span", "rb-dot"));

    ui.panel.append(header, ui.status, ui.log, buildComposer());
    ui.root.append(ui.panel, ui.launcher);
  }

  function buildComposer() {
    const form = el("form", "rb-composer");
    ui.input = el("textarea", "rb-input", {
      rows: "1", maxlength: String(MAX_LENGTH), placeholder: T.placeholder,
      "aria-label": T.placeholder, "data-testid": "rb-input",
    });
    ui.send = el("button", "rb-send", {
      type: "submit", "aria-label": T.send, title: T.send, "data-testid": "rb-send",
    });
    ui.send.append(icon("send"));
    form.append(ui.input, ui.send);

    form.addEventListener("submit", (event) => {
      event.preventDefault();
      sendFromInput();
    });
    ui.input.addEventListener("keydown", (event) => {
      // Enter sends, Shift+Enter is a newline, and an Enter that ends an IME
      // composition (Chinese, Japanese input) is neither.
      if (event.key === "Enter" && !event.shiftKey && !event.isComposing && event.keyCode !== 229) {
        event.preventDefault();
        sendFromInput();
      }
    });
    ui.input.addEventListener("input", autosizeInput);
    return form;
  }

  function autosizeInput() {
    ui.input.style.height = "auto";
    ui.input.style.height = Math.min(ui.input.scrollHeight + 2, 120) + "px";
  }

  // ---- rendering ----
  // Accepts Rasa's shapes: {text}, {text, quick_replies}, {text, buttons}, {attachment}, ...
  function normalizeMessage(data) {
    if (typeof data === "string") data = { text: data };
    data = data || {};
    const raw = Array.isArray(data.quick_replies) ? data.quick_replies
      : Array.isArray(data.buttons) ? data.buttons : [];
    const choices = raw.filter((b) => b && (b.title || b.payload)).map((b) => ({
      title: String(b.title || b.payload), payload: String(b.payload || b.title),
    }));
    let image = typeof data.image === "string" ? data.image : null;
    const attachment = data.attachment;
    if (!image && typeof attachment === "string") image = attachment;
    if (!image && attachment && attachment.payload && (!attachment.type || attachment.type === "image")) {
      image = attachment.payload.src || attachment.payload.url || null;
    }
    const alt = attachment && attachment.payload && (attachment.payload.alt || attachment.payload.title);
    return {
      text: data.text == null ? "" : String(data.text),
      choices, image: safeImageUrl(image), alt: alt ? String(alt) : "",
    };
  }

  // Relative image paths belong to the Rasa server, not the store page; only http(s) and
  // data:image URLs are shown.
  function safeImageUrl(src) {
    if (!src) return null;
    try {
      const url = new URL(String(src), RASA_ORIGIN);
      const ok = /^https?:$/.test(url.protocol) || /^data:image\//.test(url.href);
      return ok ? url.href : null;
    } catch (e) {
      return null;
    }
  }

  function isEmpty(msg) {
    return !msg.text && !msg.image && !msg.choices.length;
  }

  function addMessage(sender, msg, interactive) {
    const row = el("div", "rb-row rb-row-" + sender);
    const bubble = el("div", "rb-bubble rb-msg " + (sender === "user" ? "rb-user" : "rb-bot"));
    if (msg.text) {
      const text = el("div", "rb-text");
      text.textContent = msg.text;
      bubble.append(text);
    }
    if (msg.image) {
      const img = el("img", "rb-image", { alt: msg.alt || msg.text || T.image, src: msg.image });
      img.addEventListener("load", scrollToBottom);
      bubble.append(img);
      if (!msg.text) bubble.classList.add("rb-image-only");
    }
    if (bubble.childNodes.length) row.append(bubble); // a message may be only buttons
    if (interactive && msg.choices.length) row.append(buildChoices(msg.choices));
    // The typing indicator, when shown, stays the last element of the log.
    ui.log.insertBefore(row, ui.typing.isConnected ? ui.typing : null);
    state.rendered += 1;
    ui.hint.hidden = true;
    if (state.open) markSeen();
    scrollToBottom();
  }

  // Only one set of choices is clickable at a time: the latest bot message's.
  function buildChoices(choices) {
    removeChoices();
    const group = el("div", "rb-choices");
    choices.forEach((choice) => {
      const button = el("button", "rb-choice", { type: "button", "data-testid": "rb-choice" });
      button.textContent = choice.title;
      button.addEventListener("click", () => sendText(choice.payload, choice.title));
      group.append(button);
    });
    ui.choices = group;
    return group;
  }

  function removeChoices() {
    if (ui.choices) ui.choices.remove();
    ui.choices = null;
  }

  function scrollToBottom() {
    ui.log.scrollTop = ui.log.scrollHeight;
  }

  function showTyping() {
    ui.log.append(ui.typing); // appending an attached node moves it to the end
    restartTypingTimer();
    scrollToBottom();
  }

  // The server may never say typing:false (crash, lost packet): give up after a while.
  function restartTypingTimer() {
    clearTimeout(state.typingTimer);
    state.typingTimer = setTimeout(hideTyping, TYPING_TIMEOUT_MS);
  }

  function hideTyping() {
    clearTimeout(state.typingTimer);
    ui.typing.remove();
  }

  function renderStatus() {
    const text = state.connected ? "" : state.everConnected ? T.reconnecting : T.connecting;
    // The status line takes room from the log: keep the newest message in view.
    const atBottom = ui.log.scrollHeight - ui.log.scrollTop - ui.log.clientHeight < 8;
    ui.status.textContent = text;
    ui.status.hidden = !text;
    ui.send.disabled = !canSend();
    if (atBottom) scrollToBottom();
  }

  function setUnread(count) {
    state.unread = count;
    ui.badge.textContent = count > 9 ? "9+" : String(count);
    ui.badge.hidden = count === 0;
    updateLauncherLabel();
  }

  function updateLauncherLabel() {
    const label = state.open ? T.close : T.open;
    ui.launcher.setAttribute("aria-label", state.unread ? label + " (" + state.unread + ")" : label);
    ui.launcher.setAttribute("aria-expanded", String(state.open));
  }

  // Remembered across reloads so messages pushed while the page was closed count as unread.
  function markSeen() {
    storageSet(KEYS.seen, String(state.rendered));
  }

  function setOpen(open, focus) {
    state.open = open;
    storageSet(KEYS.open, open ? "1" : "0");
    if (!ui.root) return; // applied by mount()
    ui.root.classList.toggle("rb-animate", Boolean(focus)); // no pop-in when restored on load
    ui.root.classList.toggle("rb-is-open", open);
    updateLauncherLabel();
    if (!open) return;
    setUnread(0);
    markSeen();
    scrollToBottom();
    // Focusing on touch screens would pop the keyboard over the conversation.
    if (focus && window.matchMedia("(pointer: fine)").matches) ui.input.focus();
  }

  // ---- sending ----
  function canSend() {
    return state.connected && state.historyDone;
  }

  function sendText(text, shownText) {
    const message = String(text == null ? "" : text).trim().slice(0, MAX_LENGTH);
    if (!message || !canSend()) return false;
    state.socket.emit("user_uttered", {
      message, session_id: state.sessionId, metadata: { language: LOCALE },
    });
    removeChoices(); // the buyer has answered: older choices no longer apply
    addMessage("user", { text: shownText || message, choices: [], image: null });
    showTyping(); // optimistic: the reply usually takes a moment
    return true;
  }

  function sendFromInput() {
    if (!sendText(ui.input.value)) return;
    ui.input.value = "";
    autosizeInput();
  }

  // ---- server events ----
  function onBotUttered(data) {
    const msg = normalizeMessage(data);
    if (isEmpty(msg)) return;
    if (!state.historyDone) {
      state.pending.push(msg);
      return;
    }
    showBotMessage(msg);
  }

  function showBotMessage(msg) {
    if (ui.typing.isConnected) restartTypingTimer(); // news: more may follow
    addMessage("bot", msg, true);
    if (!state.open) setUnread(state.unread + 1);
  }

  function onBotTyping(data) {
    if (data && data.typing) showTyping();
    else hideTyping();
  }

  function onSessionConfirm() {
    state.connected = true;
    state.everConnected = true;
    renderStatus();
    if (!state.historyRequested) {
      state.historyRequested = true;
      loadHistory();
    }
  }

  async function loadHistory() {
    let messages = [];
    try {
      const url = BASE + "history?session_id=" + encodeURIComponent(state.sessionId);
      const response = await fetch(url, { credentials: "omit" });
      const body = response.ok ? await response.json() : null;
      if (body && Array.isArray(body.messages)) messages = body.messages;
    } catch (e) {
      // No history (server error, offline): start with an empty conversation.
    }
    renderHistory(messages);
    flushPending(messages);
    state.historyDone = true;
    renderStatus();
  }

  function renderHistory(messages) {
    const seen = Number(storageGet(KEYS.seen)) || 0;
    const items = messages.map((m) => ({
      sender: m && m.sender === "user" ? "user" : "bot", msg: normalizeMessage(m),
    })).filter((item) => !isEmpty(item.msg));
    let unread = 0;
    items.forEach((item, i) => {
      if (item.sender === "bot" && state.rendered >= seen) unread += 1;
      // Only the last message's buttons still make sense, and only if the bot sent it.
      addMessage(item.sender, item.msg, item.sender === "bot" && i === items.length - 1);
    });
    if (!state.open) setUnread(unread);
  }

  // A message pushed while the history request was in flight may already be in it.
  function flushPending(messages) {
    const recent = messages.slice(-10).filter((m) => m && m.sender !== "user")
      .map((m) => normalizeMessage(m).text);
    state.pending.forEach((msg) => {
      const index = recent.indexOf(msg.text);
      if (index >= 0) recent.splice(index, 1);
      else showBotMessage(msg);
    });
    state.pending = [];
  }

  function connect(io) {
    const socket = io(RASA_ORIGIN, { path: "/socket.io", transports: ["websocket", "polling"] });
    state.socket = socket;
    // Also on every reconnect: the server needs our session id again for the new socket.
    socket.on("connect", () => socket.emit("session_request", { session_id: state.sessionId }));
    socket.on("session_confirm", onSessionConfirm);
    socket.on("bot_uttered", onBotUttered);
    socket.on("bot_typing", onBotTyping);
    socket.on("disconnect", (reason) => {
      state.connected = false;
      hideTyping();
      renderStatus();
      // After a server-side disconnect socket.io does not retry by itself.
      if (reason === "io server disconnect") socket.connect();
    });
  }

  // ---- loading ----
  // Adds a <link> or <script> to the page; resolves once it has loaded
  // (a script added this way runs asynchronously).
  function loadAsset(tag, attrs) {
    return new Promise((resolve, reject) => {
      const node = el(tag, "", attrs);
      node.onload = resolve;
      node.onerror = reject;
      document.head.appendChild(node);
    });
  }

  // The client sets a global `io`; leave the page's own socket.io client, if any, in place.
  function loadSocketIo() {
    const previous = window.io;
    return loadAsset("script", { src: BASE + "socket.io.min.js" }).then(() => {
      const io = window.io;
      if (previous) window.io = previous;
      if (typeof io !== "function") throw new Error("returnbot: socket.io client did not load");
      return io;
    });
  }

  function mount() {
    buildUi();
    document.body.appendChild(ui.root);
    setOpen(state.open, false); // restore the last state without stealing the page's focus
    setUnread(0);
    renderStatus();
  }

  window.ReturnbotWidget = {
    open: () => setOpen(true, true),
    close: () => setOpen(false),
    send: (text) => (ui.root ? sendText(text) : false),
    sessionId: () => state.sessionId,
  };

  // Start both downloads now, build the UI as soon as there is a body.
  const cssLoaded = loadAsset("link", { rel: "stylesheet", href: BASE + "widget.css" });
  const ioLoaded = loadSocketIo();
  function start() {
    mount();
    cssLoaded.then(() => { ui.root.style.display = ""; }, () => {});
    ioLoaded.then(connect, () => {}); // without the client the status stays "Connecting…"
  }
  if (document.body) start();
  else document.addEventListener("DOMContentLoaded", start);
})();
