// Rendering of the chat page. User data only ever reaches the DOM through textContent.

const $ = (id) => document.getElementById(id);

function el(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

function clock(ts) {
  const d = new Date(Number(ts) || Date.now());
  return d.toLocaleTimeString([], { hour: "2-digit", minute: "2-digit", second: "2-digit" });
}

/** The page's elements and how each client event looks. */
export class ChatView {
  constructor() {
    this.status = $("status");
    this.statusText = $("statusText");
    this.retry = $("retry");
    this.scroller = $("scroller");
    this.log = $("log");
    this.pending = $("pending");
    this.memberList = $("members");
    this.countdown = null;
  }

  showChat(user, group) {
    $("login").hidden = true;
    $("chat").hidden = false;
    $("roomTitle").textContent = "#" + group;
    $("who").textContent = "as " + user;
    this.log.replaceChildren();
    this.pending.replaceChildren();
    this.memberList.replaceChildren();
    $("memberCount").textContent = "0";
    $("text").focus();
  }

  showLogin() {
    $("chat").hidden = true;
    $("login").hidden = false;
    this.state({ state: "offline" });
  }

  /** The connection indicator: a coloured dot and a sentence, plus "retry now" while waiting. */
  state(s) {
    clearInterval(this.countdown);
    this.status.dataset.state = s.state;
    this.status.dataset.node = s.node || "";
    this.status.dataset.attempt = String(s.attempt || 0);
    this.status.dataset.refused = s.state === "offline" && s.code ? "true" : "false";
    // "Retry now" while waiting, and after the server refused us (offline with a close code).
    this.retry.hidden = !(s.state === "reconnecting" || (s.state === "offline" && s.code));
    switch (s.state) {
      case "connecting":
        this.statusText.textContent = `Connecting to ${s.endpoint}…`;
        break;
      case "connected":
        this.statusText.textContent = `Connected to ${s.node}`;
        this.status.title = `via ${s.endpoint}`;
        break;
      case "reconnecting": {
        const tick = () => {
          const secs = Math.max(0, Math.ceil((s.retryAt - Date.now()) / 1000));
          this.statusText.textContent = `Reconnecting in ${secs} s (attempt ${s.attempt})`;
        };
        tick();
        this.countdown = setInterval(tick, 250);
        break;
      }
      default:
        this.statusText.textContent = s.code ? `Offline (closed by the server: ${s.code}${s.reason ? " " + s.reason : ""})` : "Offline";
    }
  }

  /** A line in the log when the connection drops, so the user can see what happened and when. */
  connectionLost(s, node) {
    const why = [s.code, s.reason].filter((x) => x !== undefined && x !== "").join(" ");
    this.notice({ level: "info", kind: "connection", text: `Lost the connection to ${node}${why ? ` (${why})` : ""}; reconnecting.` });
  }

  connected(s, again) {
    this.notice({ level: "info", kind: "connection", text: `${again ? "Reconnected" : "Connected"} to ${s.node}.` });
  }

  members(m) {
    const list = this.memberList;
    list.replaceChildren(...m.members.map((name) => el("li", "member", name)));
    $("memberCount").textContent = String(m.members.length);
  }

  presence(p) {
    const text = p.joined ? `${p.user} joined` : `${p.user} left${p.reason && p.reason !== "leave" ? ` (${p.reason})` : ""}`;
    this.append(el("li", "notice presence", text));
  }

  message(m) {
    const li = el("li", m.own ? "msg own" : "msg");
    li.dataset.id = m.id;
    li.dataset.from = m.from;
    li.dataset.seq = String(m.seq);
    const meta = el("div", "meta");
    meta.append(el("span", "from", m.from));
    const time = el("time", "time", clock(m.ts));
    time.dateTime = new Date(Number(m.ts) || Date.now()).toISOString();
    meta.append(time);
    if (m.node) meta.append(el("span", "via", "via " + m.node));
    li.append(meta, el("p", "text", m.text));
    if (m.own) this.pending.querySelector(`[data-id="${CSS.escape(m.id)}"]`)?.remove();
    this.append(li);
  }

  /** Own messages not yet shown in the log: "sending" until acked, then "sent" until delivered. */
  outbox(o) {
    const shown = new Set();
    for (const li of [...this.pending.children]) {
      if (li.dataset.id === o.failed) {
        li.remove();
        continue;
      }
      shown.add(li.dataset.id);
      if (li.dataset.id === o.acked) {
        li.classList.replace("pending", "sent");
        li.querySelector(".state").textContent = "sent";
      }
    }
    for (const e of o.pending) {
      if (!shown.has(e.id)) {
        const li = el("li", "msg own pending");
        li.dataset.id = e.id;
        const meta = el("div", "meta");
        meta.append(el("span", "from", "you"), el("span", "state", "sending…"));
        li.append(meta, el("p", "text", e.text));
        this.pending.append(li);
      }
    }
    this.scrollDown();
  }

  notice(n) {
    const li = el("li", `notice notice-${n.level}`, n.text);
    li.dataset.kind = n.kind || "";
    if (n.level === "warn" || n.level === "error") li.setAttribute("role", "alert");
    this.append(li);
  }

  composerError(text) {
    $("composerError").textContent = text || "";
  }

  append(li) {
    const atBottom = this.scroller.scrollHeight - this.scroller.scrollTop - this.scroller.clientHeight < 40;
    this.log.append(li);
    if (atBottom || li.classList.contains("own")) this.scrollDown();
  }

  scrollDown() {
    this.scroller.scrollTop = this.scroller.scrollHeight;
  }
}
