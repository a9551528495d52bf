/*
 * The resident's side of the web chat (served at /chat/ by bot/channels/webchat.py).
 *
 * - Talks to the assistant over socket.io (Rasa's events: session_request /
 *   session_confirm, user_uttered / bot_uttered). Every message is acknowledged
 *   by the server once the assistant has answered; messages go out one at a
 *   time, in order, and wait in a queue while the connection is down.
 * - The conversation (session id, messages, what is being typed, language,
 *   text size) is kept in localStorage, so a reload or a dropped connection
 *   continues the same conversation and loses nothing.
 * - Everything a message says is put on the page as text nodes, never parsed
 *   as markup; only http(s) addresses become links.
 */
(function () {
  "use strict";

  var STORE_KEY = "city-assistant.chat.v1";
  var MAX_KEPT = 200;
  var ACK_TIMEOUT_MS = 30000;
  var URL_PATTERN = /https?:\/\/[^\s<>"'，。、；：！？）】」》]+/g;
  var TRAILING_PUNCTUATION = /[.,;:!?)\]]+$/;

  var TEXT = {
    zh: {
      title: "{city}市民服务助手",
      largeText: "大字",
      switchLanguage: "Switch to English",
      switchLanguageText: "English",
      conversation: "与助手的对话",
      typing: "助手正在输入",
      shareLocation: "发送我的位置",
      messageLabel: "输入您的问题",
      placeholder: "请输入您的问题",
      send: "发送",
      hint: "按 Enter 发送，Shift+Enter 换行",
      reconnecting: "连接已断开，正在重新连接……您输入的内容会保留，恢复后自动发送。",
      connectError: "暂时连不上服务器，正在重试……您输入的内容会保留。",
      queued: "连接恢复后发送",
      unconfirmed: "未能确认送达",
      retry: "重新发送",
      languageNote: "助手将用中文回复。",
      locationShared: "📍 我的位置（{lat}, {long}）",
      locationPending: "正在获取您的位置……",
      locationDenied: "未能获取您的位置（未获授权）。您也可以直接输入地址。",
      locationFailed: "未能获取您的位置。您也可以直接输入地址。",
      locationUnsupported: "此浏览器不支持定位。请直接输入地址。",
      tooLong: "消息过长（最多 {limit} 个字符），请精简后再发送。",
      newConversation: "已开始新的对话。",
      image: "图片",
    },
    en: {
      title: "{city} Citizen Services",
      largeText: "Large text",
      switchLanguage: "切换为中文",
      switchLanguageText: "中文",
      conversation: "Conversation with the assistant",
      typing: "The assistant is typing",
      shareLocation: "Share my location",
      messageLabel: "Type your question",
      placeholder: "Type your question",
      send: "Send",
      hint: "Enter sends, Shift+Enter starts a new line",
      reconnecting:
        "Connection lost, reconnecting… What you type is kept and sent when the connection is back.",
      connectError: "Can't reach the server, retrying… What you type is kept.",
      queued: "Will be sent when the connection is back",
      unconfirmed: "Not confirmed as delivered",
      retry: "Send again",
      languageNote: "The assistant will answer in English.",
      locationShared: "📍 My location ({lat}, {long})",
      locationPending: "Getting your location…",
      locationDenied: "Couldn't get your location (permission denied). You can type the address instead.",
      locationFailed: "Couldn't get your location. You can type the address instead.",
      locationUnsupported: "This browser can't share a location. Please type the address.",
      tooLong: "The message is too long ({limit} characters at most). Please shorten it.",
      newConversation: "A new conversation has started.",
      image: "Image",
    },
  };

  var config = readConfig();
  var state = loadState();
  var elements = {
    log: byId("log"),
    input: byId("message"),
    form: byId("composer"),
    language: byId("language"),
    largeText: byId("large-text"),
    location: byId("share-location"),
    connection: byId("connection"),
    typing: byId("typing"),
  };
  var confirmed = false;
  var inFlight = null;
  var composing = false;
  var socket = null;

  // ---- state --------------------------------------------------------------

  function readConfig() {
    var defaults = { socketioPath: "/socket.io", maxMessageChars: 2000, cityName: { zh: "", en: "" } };
    var block = document.getElementById("page-config");
    if (!block) return defaults;
    try {
      var parsed = JSON.parse(block.textContent || "{}");
      return {
        socketioPath: typeof parsed.socketioPath === "string" ? parsed.socketioPath : defaults.socketioPath,
        maxMessageChars: Number(parsed.maxMessageChars) > 0 ? Number(parsed.maxMessageChars) : defaults.maxMessageChars,
        cityName: {
          zh: parsed.cityName && typeof parsed.cityName.zh === "string" ? parsed.cityName.zh : "",
          en: parsed.cityName && typeof parsed.cityName.en === "string" ? parsed.cityName.en : "",
        },
      };
    } catch (error) {
      return defaults;
    }
  }

  function initialLanguage() {
    var asked = new URLSearchParams(window.location.search).get("lang");
    if (asked === "en" || asked === "zh") return asked;
    var preferred = (navigator.languages && navigator.languages[0]) || navigator.language || "zh";
    return /^en\b/i.test(preferred) ? "en" : "zh";
  }

  function loadState() {
    var fresh = { sessionId: null, language: initialLanguage(), largeText: false, messages: [], draft: "" };
    try {
      var saved = JSON.parse(window.localStorage.getItem(STORE_KEY) || "null");
      if (!saved || typeof saved !== "object" || !Array.isArray(saved.messages)) return fresh;
      var asked = new URLSearchParams(window.location.search).get("lang");
      return {
        sessionId: typeof saved.sessionId === "string" ? saved.sessionId : null,
        language: asked === "en" || asked === "zh" ? asked : saved.language === "en" ? "en" : "zh",
        largeText: saved.largeText === true,
        messages: saved.messages.filter(isValidEntry).map(recoverEntry),
        draft: typeof saved.draft === "string" ? saved.draft : "",
      };
    } catch (error) {
      return fresh;
    }
  }

  function isValidEntry(entry) {
    return entry && typeof entry === "object" && typeof entry.text === "string" &&
      (entry.from === "user" || entry.from === "bot" || entry.from === "note");
  }

  function recoverEntry(entry) {
    // A message that was on its way when the page closed may or may not have
    // arrived: say so, and let the resident send it again.
    if (entry.status === "sending") entry.status = "unconfirmed";
    return entry;
  }

  function save() {
    state.messages = state.messages.slice(-MAX_KEPT);
    try {
      window.localStorage.setItem(STORE_KEY, JSON.stringify(state));
    } catch (error) {
      // Private browsing or a full quota: the chat still works, it just won't survive a reload.
    }
  }

  function t(key, params, language) {
    var lang = language || state.language;
    var text = (TEXT[lang] || TEXT.zh)[key] || key;
    // The city's name comes from the server's settings (city: in endpoints.yml).
    params = Object.assign({ city: config.cityName[lang === "en" ? "en" : "zh"] }, params || {});
    Object.keys(params).forEach(function (name) {
      text = text.replace("{" + name + "}", String(params[name]));
    });
    return text;
  }

  function byId(id) {
    return document.getElementById(id);
  }

  function newId() {
    return Date.now().toString(36) + Math.random().toString(36).slice(2, 8);
  }

  // ---- rendering ----------------------------------------------------------

  function appendText(container, text) {
    // Text with http(s) addresses as links; everything else stays text.
    var last = 0;
    String(text).replace(URL_PATTERN, function (match, offset) {
      var url = match.replace(TRAILING_PUNCTUATION, "");
      container.appendChild(document.createTextNode(text.slice(last, offset)));
      container.appendChild(link(url));
      last = offset + url.length;
      return match;
    });
    container.appendChild(document.createTextNode(text.slice(last)));
  }

  function link(url) {
    var parsed;
    try {
      parsed = new URL(url);
    } catch (error) {
      return document.createTextNode(url);
    }
    if (parsed.protocol !== "http:" && parsed.protocol !== "https:") return document.createTextNode(url);
    var anchor = document.createElement("a");
    anchor.href = parsed.href;
    anchor.textContent = url;
    anchor.target = "_blank";
    anchor.rel = "noopener noreferrer";
    return anchor;
  }

  function render(entry) {
    if (entry.hidden) return;
    var node = document.createElement(entry.from === "note" ? "p" : "div");
    node.className = entry.from === "note" ? "note" : "message " + entry.from;
    node.dataset.id = entry.id;
    if (entry.error) node.classList.add("error");
    if (entry.from !== "note") {
      var who = document.createElement("span");
      who.className = "sr-only";
      who.textContent = entry.from === "user" ? (state.language === "en" ? "You: " : "您：") :
        (state.language === "en" ? "Assistant: " : "助手：");
      node.appendChild(who);
    }
    appendText(node, entry.text);
    if (entry.image) {
      var image = safeImage(entry.image);
      if (image) node.appendChild(image);
    }
    elements.log.appendChild(node);
    renderStatus(entry);
    if (entry.quickReplies && entry.quickReplies.length) renderQuickReplies(entry);
    elements.log.scrollTop = elements.log.scrollHeight;
  }

  function safeImage(src) {
    try {
      var parsed = new URL(src, window.location.href);
      if (parsed.protocol !== "http:" && parsed.protocol !== "https:") return null;
      var image = document.createElement("img");
      image.src = parsed.href;
      image.alt = t("image");
      image.loading = "lazy";
      return image;
    } catch (error) {
      return null;
    }
  }

  function renderQuickReplies(entry) {
    var group = document.createElement("div");
    group.className = "quick-replies";
    group.dataset.for = entry.id;
    var answered = entry.answered || !isLastBotMessage(entry);
    entry.quickReplies.forEach(function (reply) {
      var button = document.createElement("button");
      button.type = "button";
      button.textContent = reply.title;
      button.disabled = answered;
      button.addEventListener("click", function () {
        entry.answered = true;
        disableQuickReplies();
        send(reply.payload, reply.title, {});
        elements.input.focus();
      });
      group.appendChild(button);
    });
    elements.log.appendChild(group);
  }

  function isLastBotMessage(entry) {
    for (var i = state.messages.length - 1; i >= 0; i--) {
      var other = state.messages[i];
      if (other.hidden || other.from === "note") continue;
      return other === entry;
    }
    return false;
  }

  function disableQuickReplies() {
    var buttons = elements.log.querySelectorAll(".quick-replies button");
    for (var i = 0; i < buttons.length; i++) buttons[i].disabled = true;
  }

  function renderStatus(entry) {
    var node = elements.log.querySelector('[data-id="' + entry.id + '"]');
    if (!node) return;
    var old = node.querySelector(".status");
    if (old) node.removeChild(old);
    node.classList.toggle("pending", entry.status === "queued" || entry.status === "sending");
    if (entry.status !== "queued" && entry.status !== "unconfirmed") return;
    var status = document.createElement("span");
    status.className = "status";
    status.textContent = entry.status === "queued" ? t("queued") : t("unconfirmed") + " ";
    if (entry.status === "unconfirmed") {
      var retry = document.createElement("button");
      retry.type = "button";
      retry.className = "retry";
      retry.textContent = t("retry");
      retry.addEventListener("click", function () {
        entry.status = "queued";
        save();
        renderStatus(entry);
        pump();
      });
      status.appendChild(retry);
    }
    node.appendChild(status);
  }

  function renderAll() {
    elements.log.textContent = "";
    state.messages.forEach(render);
    // Fonts and the large-text size settle after the first layout: scroll again then.
    window.requestAnimationFrame(function () {
      elements.log.scrollTop = elements.log.scrollHeight;
    });
  }

  function note(text) {
    var entry = { id: newId(), from: "note", text: text };
    state.messages.push(entry);
    save();
    render(entry);
  }

  // ---- page language and text size ---------------------------------------

  function applyLanguage() {
    document.documentElement.lang = state.language === "en" ? "en" : "zh-CN";
    document.title = t("title") + " · " + t("title", null, state.language === "en" ? "zh" : "en");
    each("[data-text]", function (node) { node.textContent = t(node.dataset.text); });
    each("[data-label]", function (node) { node.setAttribute("aria-label", t(node.dataset.label)); });
    each("[data-placeholder]", function (node) { node.placeholder = t(node.dataset.placeholder); });
    elements.location.title = t("shareLocation");
    elements.language.textContent = t("switchLanguageText");
    elements.language.lang = state.language === "en" ? "zh-CN" : "en";
  }

  function applyLargeText() {
    document.documentElement.classList.toggle("large-text", state.largeText);
    elements.largeText.setAttribute("aria-pressed", state.largeText ? "true" : "false");
  }

  function each(selector, action) {
    var nodes = document.querySelectorAll(selector);
    for (var i = 0; i < nodes.length; i++) action(nodes[i]);
  }

  // ---- sending ------------------------------------------------------------

  function send(payload, shown, metadata, hidden) {
    var entry = {
      id: newId(), from: "user", text: shown, payload: payload,
      metadata: metadata || {}, status: "queued", hidden: !!hidden,
    };
    state.messages.push(entry);
    save();
    render(entry);
    pump();
    return entry;
  }

  function nextQueued() {
    for (var i = 0; i < state.messages.length; i++) {
      if (state.messages[i].status === "queued") return state.messages[i];
    }
    return null;
  }

  function pump() {
    // One message at a time, in order, only over a confirmed session.
    if (inFlight || !confirmed || !socket || !socket.connected) return;
    var entry = nextQueued();
    if (!entry) return;
    inFlight = entry;
    entry.status = "sending";
    save();
    renderStatus(entry);
    showTyping(true);
    var metadata = Object.assign({}, entry.metadata, { language: state.language });
    socket.timeout(ACK_TIMEOUT_MS).emit(
      "user_uttered",
      { message: entry.payload, session_id: state.sessionId, metadata: metadata },
      function (error, ack) {
        if (inFlight !== entry) return;
        inFlight = null;
        entry.status = error ? "unconfirmed" : "sent";
        if (ack && ack.ok === false) entry.error = ack.error || "error";
        save();
        renderStatus(entry);
        showTyping(false);
        pump();
      }
    );
  }

  function submit() {
    var text = elements.input.value.trim();
    if (!text) return;
    if (text.length > config.maxMessageChars) {
      note(t("tooLong", { limit: config.maxMessageChars }));
      return;
    }
    disableQuickReplies();
    send(text, text, {});
    elements.input.value = "";
    state.draft = "";
    save();
    resizeInput();
  }

  function showTyping(visible) {
    elements.typing.hidden = !visible;
    if (visible) elements.log.scrollTop = elements.log.scrollHeight;
  }

  function resizeInput() {
    elements.input.style.height = "auto";
    elements.input.style.height = Math.min(elements.input.scrollHeight + 2, 8 * 16) + "px";
  }

  // ---- location -----------------------------------------------------------

  function shareLocation() {
    if (!navigator.geolocation) {
      note(t("locationUnsupported"));
      return;
    }
    elements.location.setAttribute("aria-busy", "true");
    navigator.geolocation.getCurrentPosition(
      function (position) {
        elements.location.removeAttribute("aria-busy");
        var lat = Number(position.coords.latitude.toFixed(6));
        var long = Number(position.coords.longitude.toFixed(6));
        disableQuickReplies();
        send("/inform", t("locationShared", { lat: lat, long: long }), {
          location: { lat: lat, long: long, accuracy: Math.round(position.coords.accuracy || 0) },
        });
      },
      function (error) {
        elements.location.removeAttribute("aria-busy");
        note(error && error.code === 1 ? t("locationDenied") : t("locationFailed"));
      },
      { enableHighAccuracy: true, timeout: 15000, maximumAge: 60000 }
    );
  }

  // ---- connection -----------------------------------------------------------

  function showConnection(message) {
    elements.connection.hidden = !message;
    elements.connection.textContent = message || "";
  }

  function onBotMessage(message) {
    if (!message || typeof message !== "object") return;
    var text = typeof message.text === "string" ? message.text : "";
    var replies = Array.isArray(message.quick_replies) ? message.quick_replies : [];
    var image = message.attachment && message.attachment.payload && message.attachment.payload.src;
    if (!text && !image && !replies.length) return;
    var entry = {
      id: newId(), from: "bot", text: text,
      quickReplies: replies
        .filter(function (reply) { return reply && typeof reply.title === "string" && typeof reply.payload === "string"; })
        .map(function (reply) { return { title: reply.title, payload: reply.payload }; }),
      image: typeof image === "string" ? image : undefined,
      error: message.error ? String(message.error) : undefined,
    };
    disableQuickReplies();
    state.messages.push(entry);
    save();
    render(entry);
    if (inFlight) showTyping(true);
  }

  function connect() {
    if (typeof window.io !== "function") return;
    socket = window.io({ path: config.socketioPath, reconnectionDelayMax: 5000 });
    window.__chatSocket = socket;
    socket.on("connect", function () {
      showConnection("");
      socket.emit("session_request", { session_id: state.sessionId });
    });
    socket.on("session_confirm", function (sessionId) {
      if (typeof sessionId !== "string") return;
      if (state.sessionId && sessionId !== state.sessionId) note(t("newConversation"));
      state.sessionId = sessionId;
      confirmed = true;
      save();
      if (!state.messages.length) send("/greet", "", {}, true);
      pump();
    });
    socket.on("bot_uttered", onBotMessage);
    socket.on("disconnect", function (reason) {
      confirmed = false;
      if (inFlight) {
        inFlight.status = "unconfirmed";
        renderStatus(inFlight);
        inFlight = null;
        save();
      }
      showTyping(false);
      if (reason !== "io client disconnect") showConnection(t("reconnecting"));
    });
    socket.on("connect_error", function () {
      showConnection(t("connectError"));
    });
  }

  // ---- start ----------------------------------------------------------------

  elements.log.setAttribute("aria-label", t("conversation"));
  applyLanguage();
  applyLargeText();
  renderAll();
  elements.input.value = state.draft;
  resizeInput();

  elements.form.addEventListener("submit", function (event) {
    event.preventDefault();
    submit();
  });
  elements.input.addEventListener("compositionstart", function () { composing = true; });
  elements.input.addEventListener("compositionend", function () { composing = false; });
  elements.input.addEventListener("keydown", function (event) {
    if (event.key !== "Enter" || event.shiftKey) return;
    // Enter while an input method is composing picks the candidate; it must not send
    // half-typed pinyin. keyCode 229 covers browsers that end composition first.
    if (event.isComposing || composing || event.keyCode === 229) return;
    event.preventDefault();
    submit();
  });
  elements.input.addEventListener("input", function () {
    state.draft = elements.input.value;
    save();
    resizeInput();
  });
  elements.language.addEventListener("click", function () {
    state.language = state.language === "en" ? "zh" : "en";
    save();
    applyLanguage();
    note(t("languageNote"));
  });
  elements.largeText.addEventListener("click", function () {
    state.largeText = !state.largeText;
    save();
    applyLargeText();
  });
  elements.location.addEventListener("click", shareLocation);

  connect();
})();
