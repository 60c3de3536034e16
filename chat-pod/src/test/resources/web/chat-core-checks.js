// Checks of chat-core.js run inside Chromium by BrowserChatTest: a scripted fake WebSocket plays
// the server, so the part-2 semantics (seq, epoch, gap, reset, UNAVAILABLE) are covered before the
// real server implements them. Resolves to [{name, error}] (error null when the check passed).
const done = arguments[arguments.length - 1];

class FakeSocket {
  static all = [];
  constructor(url) {
    this.url = url;
    this.readyState = 0;
    this.sent = [];
    FakeSocket.all.push(this);
  }
  send(text) { this.sent.push(JSON.parse(text)); }
  close() { this.readyState = 3; }
  // server side
  open() { this.readyState = 1; this.onopen?.(); }
  push(frame) { this.onmessage?.({ data: typeof frame === "string" ? frame : JSON.stringify(frame) }); }
  drop(code, reason = "") { this.readyState = 3; this.onclose?.({ code, reason }); }
  frames(type) { return this.sent.filter((f) => f.type === type); }
}

function memoryStorage() {
  const m = new Map();
  return { getItem: (k) => (m.has(k) ? m.get(k) : null), setItem: (k, v) => m.set(k, String(v)), removeItem: (k) => m.delete(k) };
}

function assert(cond, what) { if (!cond) throw new Error(what); }
function eq(actual, expected, what) {
  const a = JSON.stringify(actual), e = JSON.stringify(expected);
  if (a !== e) throw new Error(`${what}: expected ${e}, got ${a}`);
}
async function until(pred, what, ms = 3000) {
  const end = Date.now() + ms;
  while (!pred()) {
    if (Date.now() > end) throw new Error("timed out waiting for " + what);
    await new Promise((r) => setTimeout(r, 5));
  }
}
const tick = () => new Promise((r) => setTimeout(r, 0));

(async () => {
  const core = await import("/chat-core.js");
  const results = [];
  const check = async (name, fn) => {
    FakeSocket.all = [];
    try { await fn(); results.push({ name, error: null }); } catch (e) { results.push({ name, error: String(e.message || e) }); }
  };

  /** A client on endpoints a:1, b:2 with fast timings; records its events. */
  function newClient(extra = {}) {
    const events = [];
    const client = new core.ChatClient({
      user: "ann", group: "g", clientId: "web-test", endpoints: ["a:1", "b:2"], storage: memoryStorage(),
      WebSocketImpl: FakeSocket, random: () => 0, backoff: { baseMs: 20, maxMs: 80 }, retryMs: 20,
      pingIntervalMs: 60000, pongTimeoutMs: 60000, connectTimeoutMs: 60000, ...extra,
    });
    for (const t of ["state", "message", "notice", "outbox", "members", "presence"]) {
      client.addEventListener(t, (e) => events.push({ type: t, ...e.detail }));
    }
    return { client, events, messages: () => events.filter((e) => e.type === "message").map((e) => e.text) };
  }
  /** Opens the newest socket, answers hello and join (joined self with epoch/seq). */
  async function serve(epoch = "e1", seq = 0, members = ["ann"]) {
    const ws = FakeSocket.all[FakeSocket.all.length - 1];
    ws.open();
    ws.push({ type: "welcome", node: "pod-" + FakeSocket.all.length, incarnation: "i", user: "ann", clientId: "web-test",
      limits: { maxFrameBytes: 65536, maxTextBytes: 100, maxGroups: 10 }, idleTimeoutMs: 30000 });
    await until(() => ws.frames("join").length > 0, "join");
    ws.push({ type: "joined", group: "g", user: "ann", clientId: "web-test", members, epoch, seq, self: true });
    return ws;
  }
  const msg = (seq, text, extra = {}) => ({ type: "message", group: "g", from: "bob", text, id: "b" + seq, ts: 1, node: "p", seq, epoch: "e1", ...extra });

  await check("backoff grows exponentially with jitter and is capped", async () => {
    const b = { baseMs: 500, maxMs: 15000 };
    eq([1, 2, 5, 10].map((n) => core.backoffDelay(n, b, () => 0)), [250, 500, 4000, 7500], "lowest delays");
    eq([1, 2, 5, 10].map((n) => core.backoffDelay(n, b, () => 1)), [500, 1000, 8000, 15000], "highest delays");
  });

  await check("endpoint list: own host first, invalid and repeated entries dropped", async () => {
    eq(core.endpointList("a:8080", ["b:8080", "a:8080", "", "evil/x", "c", "x y"]), ["a:8080", "b:8080", "c"], "endpoints");
  });

  await check("hello with the stable clientId, join, then resume with since/epoch on the next endpoint", async () => {
    const { client, messages } = newClient();
    client.start();
    const ws1 = FakeSocket.all[0];
    eq(ws1.url, "ws://a:1/ws", "first endpoint");
    await serve("e1", 5);
    eq(ws1.frames("hello")[0], { type: "hello", user: "ann", clientId: "web-test" }, "hello");
    eq(ws1.frames("join")[0], { type: "join", group: "g" }, "first join has no since");
    ws1.push(msg(6, "six"));
    ws1.push(msg(7, "seven"));
    ws1.drop(1006);
    eq(client.state.state, "reconnecting", "state after a drop");
    await until(() => FakeSocket.all.length === 2, "a second connection");
    const ws2 = FakeSocket.all[1];
    eq(ws2.url, "ws://b:2/ws", "next endpoint in rotation");
    await serve("e1", 8);
    eq(ws2.frames("hello")[0].clientId, "web-test", "same clientId");
    eq(ws2.frames("join")[0], { type: "join", group: "g", since: 7, epoch: "e1" }, "resume join");
    ws2.push(msg(7, "seven"));
    ws2.push(msg(8, "eight"));
    ws2.push(msg(8, "eight"));
    eq(messages(), ["six", "seven", "eight"], "each seq shown once");
    client.stop();
  });

  await check("two clients of one user may reuse a message id: both messages are shown", async () => {
    const { client, messages } = newClient();
    client.start();
    const ws = await serve("e1", 0);
    ws.push(msg(1, "from the phone", { id: "x1", clientId: "bob-phone" }));
    ws.push(msg(2, "from the laptop", { id: "x1", clientId: "bob-laptop" }));
    ws.push(msg(2, "from the laptop", { id: "x1", clientId: "bob-laptop" }));
    eq(messages(), ["from the phone", "from the laptop"], "each seq once, whatever the id");
    client.stop();
  });

  await check("outbox: queued until joined, acked ones dropped, the rest resent with the same ids", async () => {
    const { client } = newClient();
    client.start();
    client.send("one");
    client.send("two");
    const ws1 = FakeSocket.all[0];
    ws1.open();
    ws1.push({ type: "welcome", node: "pod-1", user: "ann", clientId: "web-test", limits: { maxTextBytes: 100 }, idleTimeoutMs: 30000 });
    eq(ws1.sent.map((f) => f.type), ["hello", "join"], "nothing sent before joined");
    ws1.push({ type: "joined", group: "g", user: "ann", clientId: "web-test", members: ["ann"], epoch: "e1", seq: 0, self: true });
    eq(ws1.frames("send").map((f) => [f.id, f.text]), [["web-test:1", "one"], ["web-test:2", "two"]], "sent on join");
    ws1.push({ type: "ack", id: "web-test:1", group: "g", seq: 1, epoch: "e1", ts: 1 });
    eq(client.outbox.size, 1, "one acked");
    ws1.drop(4002, "SLOW_CONSUMER");
    await until(() => FakeSocket.all.length === 2, "reconnect");
    client.send("three");
    const ws2 = await serve("e1", 1);
    eq(ws2.frames("send").map((f) => f.id), ["web-test:2", "web-test:3"], "resent with the same ids, in order");
    client.stop();
  });

  await check("a reloaded page keeps its outbox and never reuses a message id", async () => {
    const storage = memoryStorage();
    const first = new core.Outbox("web-test", storage);
    first.add("g", "a");
    first.add("g", "b");
    first.remove("web-test:1");
    const reloaded = new core.Outbox("web-test", storage);
    eq(reloaded.entries.map((e) => e.id), ["web-test:2"], "kept entries");
    eq(reloaded.add("g", "c").id, "web-test:3", "next id");
  });

  await check("a full outbox refuses with a clear error", async () => {
    const { client } = newClient({ outboxLimit: 2 });
    client.send("1");
    client.send("2");
    let error = null;
    try { client.send("3"); } catch (e) { error = e.message; }
    assert(error && error.includes("waiting to be sent"), "error: " + error);
  });

  await check("UNAVAILABLE: the same message is resent after a pause; a refused one leaves the outbox", async () => {
    const { client, events } = newClient();
    client.start();
    const ws = await serve("e1", 0);
    client.send("retry me");
    client.send("x".repeat(50));
    ws.push({ type: "error", code: "UNAVAILABLE", message: "no quorum", ref: "web-test:1", retryable: true });
    await until(() => ws.frames("send").filter((f) => f.id === "web-test:1").length === 2, "a resend");
    ws.push({ type: "error", code: "TOO_LARGE", message: "too large", ref: "web-test:2", retryable: false });
    eq(client.outbox.entries.map((e) => e.id), ["web-test:1"], "outbox");
    assert(events.some((e) => e.type === "outbox" && e.failed === "web-test:2"), "failed event");
    assert(events.some((e) => e.type === "notice" && e.level === "error" && e.text.includes("too long")), "polite error");
    let tooLong = null;
    try { client.send("y".repeat(101)); } catch (e) { tooLong = e.message; }
    assert(tooLong && tooLong.includes("at most 100"), "checked against maxTextBytes: " + tooLong);
    client.stop();
  });

  await check("refused messages and those sent meanwhile are resent together, oldest first", async () => {
    const { client } = newClient();
    client.start();
    const ws = await serve("e1", 0);
    client.send("one");
    client.send("two");
    ws.push({ type: "error", code: "UNAVAILABLE", message: "no quorum", ref: "web-test:1", retryable: true });
    ws.push({ type: "error", code: "UNAVAILABLE", message: "behind", ref: "web-test:2", retryable: true });
    client.send("three"); // waits behind the refused ones
    eq(ws.frames("send").map((f) => f.id), ["web-test:1", "web-test:2"], "nothing overtakes");
    await until(() => ws.frames("send").length === 5, "the resend");
    eq(ws.frames("send").map((f) => f.id).slice(2), ["web-test:1", "web-test:2", "web-test:3"], "resent in order");
    client.stop();
  });

  await check("at most 32 messages are on the wire unanswered; an ack lets the next one go", async () => {
    const { client } = newClient({ outboxLimit: 100 });
    client.start();
    const ws = await serve("e1", 0);
    for (let i = 1; i <= 40; i++) client.send("m" + i);
    eq(ws.frames("send").length, 32, "the window");
    ws.push({ type: "ack", id: "web-test:1", group: "g", seq: 1, epoch: "e1", ts: 1 });
    eq(ws.frames("send").map((f) => f.id).slice(-1), ["web-test:33"], "the next one");
    client.stop();
  });

  await check("gap and reset are announced; after a reset numbering restarts", async () => {
    const { client, events, messages } = newClient();
    client.start();
    const ws = await serve("e1", 3);
    ws.push({ type: "gap", group: "g", from: 4, to: 9 });
    ws.push(msg(10, "ten"));
    ws.push({ type: "reset", group: "g", epoch: "e2" });
    ws.push(msg(1, "new one", { epoch: "e2" }));
    ws.push(msg(1, "new one", { epoch: "e2" }));
    const notices = events.filter((e) => e.type === "notice");
    eq(notices.map((n) => n.kind), ["gap", "reset"], "notices");
    assert(notices[0].text.includes("6 messages"), notices[0].text);
    eq(messages(), ["ten", "new one"], "messages");
    eq(client.group.joinFrame(), { type: "join", group: "g", since: 1, epoch: "e2" }, "resume point");
    client.stop();
  });

  await check("a new epoch in joined (history lost) is announced once even when reset follows", async () => {
    const { client, events } = newClient();
    client.start();
    const ws = await serve("e1", 3);
    ws.drop(1001);
    await until(() => FakeSocket.all.length === 2, "reconnect");
    const ws2 = await serve("e9", 0);
    ws2.push({ type: "reset", group: "g", epoch: "e9" });
    eq(events.filter((e) => e.type === "notice").map((n) => n.kind), ["reset"], "one reset notice");
    client.stop();
  });

  await check("a join answered without quorum (local) is announced with its members", async () => {
    const { client, events } = newClient();
    client.start();
    const ws = FakeSocket.all[0];
    ws.open();
    ws.push({ type: "welcome", node: "pod-1", incarnation: "i", user: "ann", clientId: "web-test",
      limits: { maxFrameBytes: 65536, maxTextBytes: 100, maxGroups: 10 }, idleTimeoutMs: 30000 });
    await until(() => ws.frames("join").length > 0, "join");
    ws.push({ type: "joined", group: "g", user: "ann", clientId: "web-test", members: ["ann", "bob"], epoch: "e1", seq: 4, self: true, local: true });
    const notices = events.filter((e) => e.type === "notice");
    eq(notices.map((n) => n.kind), ["local"], "notices");
    assert(notices[0].text.includes("no quorum"), notices[0].text);
    eq(events.filter((e) => e.type === "members").pop().members, ["ann", "bob"], "members");
    client.stop();
  });

  await check("close 4001 reconnects at once, 4500 not at all", async () => {
    const { client } = newClient({ backoff: { baseMs: 5000, maxMs: 5000 } });
    client.start();
    const ws = await serve();
    const t0 = Date.now();
    ws.drop(4001, "SHUTDOWN");
    await until(() => FakeSocket.all.length === 2, "an immediate reconnect", 1000);
    assert(Date.now() - t0 < 1000, "reconnected at once");
    const ws2 = await serve();
    ws2.drop(4500, "PROTOCOL_VIOLATION");
    eq(client.state.state, "offline", "state after 4500");
    await new Promise((r) => setTimeout(r, 100));
    eq(FakeSocket.all.length, 2, "no reconnect after 4500");
  });

  await check("close 4007 MOVE reconnects at once", async () => {
    const { client } = newClient({ backoff: { baseMs: 5000, maxMs: 5000 } });
    client.start();
    const ws = await serve();
    const t0 = Date.now();
    ws.drop(4007, "MOVE");
    await until(() => FakeSocket.all.length === 2, "an immediate reconnect", 1000);
    assert(Date.now() - t0 < 1000, "reconnected at once");
    client.stop();
  });

  await check("the token goes in hello and auth only; 4006 reconnects with the latest, 4501 stops", async () => {
    const { client, events } = newClient({ token: "t1.p.s", backoff: { baseMs: 5000, maxMs: 5000 } });
    client.start();
    const ws = await serve();
    eq(ws.frames("hello")[0].token, "t1.p.s", "token in hello");
    assert(!ws.url.includes("t1"), "no token in the URL " + ws.url);
    assert(!Object.values(client).includes("t1.p.s"), "the token is not a visible property");
    ws.push({ type: "reauth", graceMs: 30000 });
    await until(() => events.some((e) => e.type === "notice" && e.kind === "reauth"), "a reauth notice");
    client.reauth("t2.p.s");
    eq(ws.frames("auth"), [{ type: "auth", token: "t2.p.s" }], "auth with the new token");
    ws.drop(4006, "TOKEN_EXPIRED");
    await until(() => FakeSocket.all.length === 2, "an immediate reconnect after 4006", 1000);
    const ws2 = await serve();
    eq(ws2.frames("hello")[0].token, "t2.p.s", "the reconnect uses the new token");
    ws2.drop(4501, "UNAUTHENTICATED");
    eq(client.state.state, "offline", "state after 4501");
    await new Promise((r) => setTimeout(r, 100));
    eq(FakeSocket.all.length, 2, "no reconnect after 4501");
  });

  await check("no pong within the timeout: the connection is given up and replaced", async () => {
    const { client } = newClient({ pingIntervalMs: 20, pongTimeoutMs: 40 });
    client.start();
    const ws = await serve();
    await until(() => ws.frames("ping").length === 1, "a ping");
    ws.push({ type: "pong", ref: ws.frames("ping")[0].ref });
    await until(() => ws.frames("ping").length === 2, "a second ping");
    await until(() => client.state.state === "reconnecting", "reconnecting after a missing pong");
    eq(client.state.reason, "no pong in time", "reason");
    await until(() => FakeSocket.all.length === 2, "a new connection");
    client.stop();
  });

  await check("backoff keeps growing while connections die before answering a ping, and restarts after a pong", async () => {
    const { client } = newClient({ pingIntervalMs: 20 });
    client.start();
    (await serve()).drop(1006);
    eq(client.state.attempt, 1, "first drop");
    await until(() => FakeSocket.all.length === 2, "second connection");
    (await serve()).drop(1006);
    eq(client.state.attempt, 2, "a drop right after welcome still counts");
    await until(() => FakeSocket.all.length === 3, "third connection");
    const ws = await serve();
    await until(() => ws.frames("ping").length === 1, "a ping");
    ws.push({ type: "pong", ref: ws.frames("ping")[0].ref });
    ws.drop(1006);
    eq(client.state.attempt, 1, "after a healthy connection");
    client.stop();
  });

  await check("garbage and unknown frames are ignored", async () => {
    const { client, messages } = newClient();
    client.start();
    const ws = await serve();
    ws.push("not json");
    ws.push({ type: "surprise" });
    ws.push(msg(1, "still fine"));
    eq(client.state.state, "connected", "state");
    eq(messages(), ["still fine"], "messages");
    client.stop();
  });

  await tick();
  return results;
})().then(done, (e) => done([{ name: "loading chat-core.js", error: String(e && e.stack || e) }]));
