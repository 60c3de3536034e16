// The kubechat protocol client of the browser page (docs/protocol.md, docs/browser.md).
// No DOM code here: ChatClient talks to the pods and emits events; chat-ui.js renders them.

/** Names (user, clientId, group) as the server checks them. */
export const NAME = /^[A-Za-z0-9._-]{1,64}$/;
const HOST = /^[A-Za-z0-9.-]+(:[0-9]{1,5})?$|^\[[0-9A-Fa-f:.]+\](:[0-9]{1,5})?$/;
/** Messages written and not answered yet, at most: well under the pods' default rate limit. */
const SEND_WINDOW = 32;

/** Delay before reconnect attempt {@code attempt} (1, 2, ...): exponential, capped, with "equal jitter". */
export function backoffDelay(attempt, { baseMs, maxMs }, random = Math.random) {
  const ceiling = Math.min(maxMs, baseMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(ceiling / 2 + random() * (ceiling / 2));
}

/** The endpoints to try, in rotation: the page's own host first, then valid extra "host:port" entries. */
export function endpointList(primary, extra = []) {
  const all = [primary, ...extra].map((e) => String(e || "").trim()).filter((e) => HOST.test(e));
  return [...new Set(all)];
}

/** A stable client id for this tab (sessionStorage survives a reload, not a new tab). */
export function stableClientId(storage, random = Math.random) {
  let id = storage.getItem("kubechat.clientId");
  if (!id || !NAME.test(id)) {
    id = "web-" + Math.floor(random() * 36 ** 10).toString(36).padStart(10, "0");
    storage.setItem("kubechat.clientId", id);
  }
  return id;
}

/**
 * Close codes of docs/protocol.md: 4000-4499 reconnect, 4500-4999 do not; 4001 SHUTDOWN, 4005
 * RESYNC, 4006 TOKEN_EXPIRED and 4007 MOVE reconnect at once (to the next server).
 */
export function closeAdvice(code) {
  if (code === 4001 || code === 4005 || code === 4006 || code === 4007) return "now"; // 4006: the token expired, hello again
  if (code >= 4500 && code <= 4999) return "never";
  return "backoff";
}

/** A set that forgets its oldest entries beyond {@code limit}. */
class BoundedSet {
  constructor(limit) { this.limit = limit; this.items = new Set(); }
  has(k) { return this.items.has(k); }
  add(k) {
    this.items.add(k);
    if (this.items.size > this.limit) this.items.delete(this.items.values().next().value);
  }
}

/**
 * Sent-but-unacknowledged messages, in send order, at most {@code limit} per group, kept in
 * sessionStorage so a reload resends them (a group left with messages pending gets them on the
 * next join of that group).
 * Ids are clientId:counter; the counter is stored too, so a reloaded page never reuses an id (the
 * server would take a reused id for a resend and drop the new message).
 */
export class Outbox {
  constructor(clientId, storage, limit = 200) {
    this.clientId = clientId;
    this.storage = storage;
    this.limit = limit;
    this.key = "kubechat.outbox." + clientId;
    const saved = safeJson(storage.getItem(this.key)) || {};
    this.next = Number.isInteger(saved.next) ? saved.next : 1;
    this.entries = Array.isArray(saved.entries) ? saved.entries : [];
  }
  add(group, text) {
    if (this.forGroup(group).length >= this.limit) {
      throw new Error(`${this.limit} messages are still waiting to be sent; wait for the connection to come back`);
    }
    const entry = { id: `${this.clientId}:${this.next++}`, group, text, ts: Date.now() };
    this.entries.push(entry);
    this.save();
    return entry;
  }
  get(id) { return this.entries.find((e) => e.id === id); }
  remove(id) {
    const entry = this.get(id);
    if (entry) {
      this.entries = this.entries.filter((e) => e !== entry);
      this.save();
    }
    return entry;
  }
  forGroup(group) { return this.entries.filter((e) => e.group === group); }
  get size() { return this.entries.length; }
  save() { this.storage.setItem(this.key, JSON.stringify({ next: this.next, entries: this.entries })); }
}

/**
 * What the page knows of one group: members, the epoch and last seq seen (for resuming with
 * since/epoch), and the keys of messages already shown (for display-once).
 */
export class GroupState {
  constructor(name) {
    this.name = name;
    this.joined = false;
    this.everJoined = false;
    this.epoch = null;
    this.lastSeq = 0;
    this.members = [];
    this.seen = new BoundedSet(5000);
    this.announcedEpoch = null;
  }

  /** Fields for join: since/epoch once the group has an epoch, to replay what was missed. */
  joinFrame() {
    const f = { type: "join", group: this.name };
    if (this.everJoined && this.epoch) {
      f.since = this.lastSeq;
      f.epoch = this.epoch;
    }
    return f;
  }

  /** Our own join was answered; returns true when the epoch changed under us (a reset). */
  joinedSelf(f) {
    this.joined = true;
    this.members = f.members || [];
    const first = !this.everJoined;
    this.everJoined = true;
    if (first || this.epoch === null) {
      this.epoch = f.epoch;
      this.lastSeq = Number(f.seq) || 0;
      return false;
    }
    if (f.epoch !== this.epoch) {
      this.resetTo(f.epoch);
      return true;
    }
    return false;
  }

  /** Returns true for a reset not announced yet. */
  resetTo(epoch) {
    if (this.epoch === epoch && this.announcedEpoch === epoch) return false;
    const fresh = this.announcedEpoch !== epoch;
    this.epoch = epoch;
    this.lastSeq = 0;
    this.announcedEpoch = epoch;
    return fresh;
  }

  /** True when this message is new: each (epoch, seq) of the group is shown once. */
  accept(m) {
    const seq = Number(m.seq) || 0;
    if (m.epoch === this.epoch && seq <= this.lastSeq) return false;
    const key = `${m.epoch}|${seq}`;
    if (this.seen.has(key)) return false;
    this.seen.add(key);
    if (m.epoch !== this.epoch) {
      this.epoch = m.epoch;
      this.lastSeq = 0;
    }
    this.lastSeq = Math.max(this.lastSeq, seq);
    return true;
  }
}

function safeJson(text) {
  try { return text ? JSON.parse(text) : null; } catch { return null; }
}

/** Polite text for the server's error codes (docs/protocol.md "Errors"). */
export function describeError(f, limits) {
  switch (f.code) {
    case "TOO_LARGE": return `That message is too long${limits ? ` (at most ${limits.maxTextBytes} bytes)` : ""}.`;
    case "INVALID_NAME": return "Names may use letters, digits, dot, underscore and dash (up to 64 characters).";
    case "RATE_LIMITED": return "You are sending very fast; the message will be retried in a moment.";
    case "UNAVAILABLE": return "The chat cluster cannot take messages right now; retrying.";
    case "TOO_MANY_GROUPS": return "You have joined too many groups.";
    case "NOT_JOINED": return "Not in the group on this server yet; joining again.";
    case "UNAUTHENTICATED": return `The server did not accept your token: ${f.message}`;
    case "FORBIDDEN": return "Your token does not allow this group.";
    default: return `The server refused a request (${f.code}${f.message ? ": " + f.message : ""}).`;
  }
}

const DEFAULTS = {
  pingIntervalMs: 5000,   // at most; a third of the server's idle timeout if that is shorter
  pongTimeoutMs: 4000,    // no pong this long after a ping: the connection is dead
  connectTimeoutMs: 5000, // no welcome this long after opening: try the next endpoint
  backoff: { baseMs: 500, maxMs: 15000 },
  retryMs: 1000,          // resend delay after a retryable error (UNAVAILABLE, RATE_LIMITED)
  outboxLimit: 200,
};

/**
 * One chat session: a WebSocket to one of {@code endpoints} at a time, one group, heartbeats,
 * reconnect with backoff, an outbox. Events (CustomEvent detail):
 *   state    {state: connecting|connected|reconnecting|offline, endpoint, node, attempt, retryAt, code, reason}
 *   welcome  the welcome frame
 *   members  {group, members}
 *   presence {group, user, joined, reason}
 *   message  the message frame plus {own}
 *   outbox   {pending: [entries], acked: id?, failed: id?}
 *   notice   {level: info|warn|error, text, kind}
 */
export class ChatClient extends EventTarget {
  /** The JWT for hello (null without one): only ever written into hello and auth frames. */
  #token;

  constructor({ user, group, clientId, endpoints, storage, token = null, secure = false,
    WebSocketImpl = WebSocket, random = Math.random, ...options }) {
    super();
    this.#token = token || null;
    if (!endpoints || endpoints.length === 0) throw new Error("no endpoint to connect to");
    this.user = user;
    this.clientId = clientId;
    this.endpoints = endpoints;
    this.secure = secure;
    this.WebSocketImpl = WebSocketImpl;
    this.random = random;
    this.opts = { ...DEFAULTS, ...options, backoff: { ...DEFAULTS.backoff, ...(options.backoff || {}) } };
    this.group = new GroupState(group);
    this.outbox = new Outbox(clientId, storage, this.opts.outboxLimit);
    this.index = 0;
    this.attempt = 0;
    this.ws = null;
    this.timers = new Set();
    this.pingTimer = null;
    this.pongTimer = null;
    this.pingRef = 0;
    this.limits = null;
    this.stopped = true;
    this.state = { state: "offline" };
  }

  start() {
    this.stopped = false;
    this.attempt = 0;
    this.connect();
  }

  /** Closes for good (the user left); pending messages stay in the outbox for the next start. */
  stop(reason = "disconnected") {
    if (this.group.joined) this.write({ type: "leave", group: this.group.name }); // others see "left", not a drop
    this.stopped = true;
    this.clearTimers();
    const ws = this.ws;
    this.ws = null;
    if (ws) this.detach(ws, 1000, "bye");
    this.group.joined = false;
    this.setState({ state: "offline", reason });
  }

  /** Queues {@code text} (throws when the outbox is full or the text too long); sends it when joined. */
  send(text) {
    const bytes = new TextEncoder().encode(text).length;
    if (this.limits && bytes > this.limits.maxTextBytes) {
      throw new Error(`That message is too long (${bytes} bytes; at most ${this.limits.maxTextBytes}).`);
    }
    const entry = this.outbox.add(this.group.name, text);
    this.emitOutbox();
    this.writeOutbox();
    return entry;
  }

  // --- connection -------------------------------------------------------------------------------

  connect() {
    if (this.stopped) return;
    const endpoint = this.endpoints[this.index % this.endpoints.length];
    this.setState({ state: "connecting", endpoint, attempt: this.attempt });
    this.welcomed = false;
    this.onWire = new Set();   // ids written on this socket and not answered yet
    this.resendDue = false;    // a refused message waits for its resend: nothing may overtake it
    let ws;
    try {
      ws = new this.WebSocketImpl(`${this.secure ? "wss" : "ws"}://${endpoint}/ws`);
    } catch (e) {
      this.dropped(null, 1006, String(e.message || e));
      return;
    }
    this.ws = ws;
    // the token goes in the hello frame only, never in the URL (docs/security.md)
    ws.onopen = () => this.write({ type: "hello", user: this.user, clientId: this.clientId,
      ...(this.#token ? { token: this.#token } : {}) });
    ws.onmessage = (ev) => this.onFrame(ws, ev.data);
    ws.onclose = (ev) => this.dropped(ws, ev.code, ev.reason);
    ws.onerror = () => { /* onclose follows */ };
    this.later(() => {
      if (this.ws === ws && !this.welcomed) this.dropped(ws, 4000, "no welcome in time");
    }, this.opts.connectTimeoutMs);
  }

  /** A new token: sent at once on a live connection (auth), and in every later hello. */
  reauth(token) {
    this.#token = token || null;
    if (this.ws && this.welcomed && this.#token) this.write({ type: "auth", token: this.#token });
  }

  /** Skips the rest of the backoff wait (the user pressed "retry now"), or restarts after offline. */
  retryNow() {
    if (this.stopped) {
      this.start();
    } else if (this.state.state === "reconnecting") {
      this.clearTimers();
      this.connect();
    }
  }

  /** The connection {@code ws} is gone (closed, failed or found dead): decide how to go on. */
  dropped(ws, code, reason) {
    if (ws !== this.ws) return; // a connection we already gave up on
    if (ws) this.detach(ws);
    this.ws = null;
    this.clearTimers();
    this.group.joined = false;
    if (this.stopped) return;
    const advice = closeAdvice(code);
    if (advice === "never") {
      this.stopped = true;
      this.notice("error", `The server closed the connection (${code}${reason ? " " + reason : ""}) and asked not to reconnect.`, "closed");
      this.setState({ state: "offline", code, reason });
      return;
    }
    this.index = (this.index + 1) % this.endpoints.length;
    this.attempt += 1;
    const delay = advice === "now" ? 0 : backoffDelay(this.attempt, this.opts.backoff, this.random);
    const next = this.endpoints[this.index];
    this.setState({ state: "reconnecting", endpoint: next, attempt: this.attempt, retryAt: Date.now() + delay, code, reason });
    this.later(() => this.connect(), delay);
  }

  /** Silences {@code ws} and closes it if it is still open ({@code close} arguments optional). */
  detach(ws, ...close) {
    ws.onopen = ws.onmessage = ws.onclose = ws.onerror = null;
    try { if (ws.readyState <= 1) ws.close(...close); } catch { /* already closed */ }
  }

  write(frame) {
    const ws = this.ws;
    if (ws && ws.readyState === 1) ws.send(JSON.stringify(frame));
  }

  // --- heartbeats -------------------------------------------------------------------------------

  startPings(idleTimeoutMs) {
    const every = Math.min(this.opts.pingIntervalMs, Math.max(500, (idleTimeoutMs || 30000) / 3));
    const ws = this.ws;
    this.pingTimer = setInterval(() => {
      if (this.ws !== ws || this.pongTimer) return;
      const ref = String(++this.pingRef);
      this.write({ type: "ping", ref });
      this.pongTimer = setTimeout(() => {
        this.pongTimer = null;
        this.dropped(ws, 4000, "no pong in time");
      }, this.opts.pongTimeoutMs);
    }, every);
  }

  // --- frames -----------------------------------------------------------------------------------

  onFrame(ws, data) {
    if (ws !== this.ws) return;
    const f = safeJson(data);
    if (!f || typeof f.type !== "string") return; // unknown or garbage: ignore, as the protocol asks
    switch (f.type) {
      case "welcome": return this.onWelcome(f);
      case "joined": return this.onJoined(f);
      case "left": return this.onLeft(f);
      case "message": return this.onMessage(f);
      case "ack": return this.onAck(f);
      case "gap": return this.onGap(f);
      case "reset": return this.onReset(f);
      case "error": return this.onError(f);
      case "reauth":
        return this.notice("warn", "Your token has expired: enter a new one to stay connected.", "reauth");
      case "authed": return this.notice("info", "Token renewed.", "authed");
      case "pong":
        clearTimeout(this.pongTimer);
        this.pongTimer = null;
        this.attempt = 0; // a connection that answers pings is healthy: the backoff starts over
        return undefined;
      default: return undefined;
    }
  }

  onWelcome(f) {
    this.welcomed = true;
    this.limits = f.limits || null;
    this.startPings(f.idleTimeoutMs);
    this.setState({ state: "connected", endpoint: this.endpoints[this.index], node: f.node });
    this.dispatch("welcome", f);
    this.write(this.group.joinFrame());
  }

  onJoined(f) {
    if (f.group !== this.group.name) return;
    if (f.self) {
      if (this.group.joinedSelf(f)) this.announceReset();
      if (f.local) {
        this.notice("warn", "The chat cluster has no quorum right now: the history and members shown come from this server alone, and messages are sent once it is back.", "local");
      }
      this.writeOutbox();
    } else {
      this.group.members = f.members || this.group.members;
      this.dispatch("presence", { group: f.group, user: f.user, joined: true });
    }
    this.dispatch("members", { group: f.group, members: this.group.members });
  }

  onLeft(f) {
    if (f.group !== this.group.name) return;
    this.group.members = f.members || this.group.members;
    if (!f.self) this.dispatch("presence", { group: f.group, user: f.user, joined: false, reason: f.reason });
    this.dispatch("members", { group: f.group, members: this.group.members });
  }

  onMessage(f) {
    if (f.group !== this.group.name || !this.group.accept(f)) return;
    const own = f.from === this.user && typeof f.id === "string" && f.id.startsWith(this.clientId + ":");
    this.dispatch("message", { ...f, own });
  }

  onAck(f) {
    this.onWire.delete(f.id);
    if (this.outbox.remove(f.id)) this.emitOutbox({ acked: f.id, seq: f.seq });
    this.writeOutbox(); // a place in the send window came free
  }

  onGap(f) {
    if (f.group !== this.group.name) return;
    const n = Number(f.to) - Number(f.from) + 1;
    this.notice("warn", `${n === 1 ? "1 message" : `${n} messages`} (#${f.from}${n > 1 ? `–${f.to}` : ""}) were missed while disconnected and are no longer in the history.`, "gap");
  }

  onReset(f) {
    if (f.group !== this.group.name) return;
    if (this.group.resetTo(f.epoch)) this.announceReset();
  }

  announceReset() {
    this.notice("warn", "The group's history was reset on the server: earlier messages cannot be replayed.", "reset");
  }

  onError(f) {
    const entry = typeof f.ref === "string" ? this.outbox.get(f.ref) : undefined;
    if (entry) this.onWire.delete(entry.id);
    if (entry && f.retryable === true) { // the server says which errors a resend can cure
      this.resendLater();
      this.notice("info", describeError(f, this.limits), "error");
      return;
    }
    if (entry && f.code === "NOT_JOINED") {
      this.group.joined = false;
      this.write(this.group.joinFrame()); // the outbox is flushed again on joined
      return;
    }
    if (entry) {
      this.outbox.remove(entry.id); // refused for good (too large, invalid): resending cannot help
      this.emitOutbox({ failed: entry.id });
      this.writeOutbox();
    }
    this.notice("error", describeError(f, this.limits), "error");
  }

  /**
   * Retryable refusal: the same id again after a pause (the server deduplicates), together with the
   * other refused messages and those typed meanwhile, oldest first: the server refuses whatever
   * comes before the refused message is sent again, so this keeps the order the user typed.
   */
  resendLater() {
    if (this.resendDue) return;
    this.resendDue = true;
    const ws = this.ws;
    this.later(() => {
      if (this.ws !== ws) return;
      this.resendDue = false;
      this.writeOutbox();
    }, this.opts.retryMs);
  }

  /**
   * Writes, oldest first, the pending messages not on their way on this socket yet, keeping at most
   * 32 unanswered (a full outbox in one burst would hit the server's rate limit).
   */
  writeOutbox() {
    if (!this.group.joined || this.resendDue) return;
    for (const e of this.outbox.forGroup(this.group.name)) {
      if (this.onWire.size >= SEND_WINDOW) return;
      if (this.onWire.has(e.id)) continue;
      this.onWire.add(e.id);
      this.write({ type: "send", group: e.group, id: e.id, text: e.text });
    }
  }

  // --- plumbing ---------------------------------------------------------------------------------

  emitOutbox(extra = {}) { this.dispatch("outbox", { pending: this.outbox.forGroup(this.group.name), ...extra }); }

  notice(level, text, kind) { this.dispatch("notice", { level, text, kind }); }

  setState(s) {
    this.state = s;
    this.dispatch("state", s);
  }

  dispatch(type, detail) { this.dispatchEvent(new CustomEvent(type, { detail })); }

  later(fn, ms) {
    const t = setTimeout(() => { this.timers.delete(t); fn(); }, ms);
    this.timers.add(t);
  }

  clearTimers() {
    this.timers.forEach(clearTimeout);
    this.timers.clear();
    clearInterval(this.pingTimer);
    clearTimeout(this.pongTimer);
    this.pingTimer = null;
    this.pongTimer = null;
  }
}
