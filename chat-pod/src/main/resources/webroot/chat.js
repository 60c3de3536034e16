// Minimal kubechat page: one WebSocket to the pod that served this page (docs/protocol.md).
const $ = (id) => document.getElementById(id);
const clientId = sessionStorage.getItem("kubechat.clientId") ||
  "web-" + Math.random().toString(36).slice(2, 12);
sessionStorage.setItem("kubechat.clientId", clientId);

let ws = null;
let group = null;
let counter = 0;
let pingTimer = null;

function log(text, cls) {
  const line = document.createElement("div");
  if (cls) line.className = cls;
  line.textContent = text;
  $("log").appendChild(line);
  $("log").scrollTop = $("log").scrollHeight;
}

function send(frame) {
  if (ws && ws.readyState === WebSocket.OPEN) ws.send(JSON.stringify(frame));
}

function connect(user) {
  const url = (location.protocol === "https:" ? "wss://" : "ws://") + location.host + "/ws";
  ws = new WebSocket(url);
  ws.onopen = () => send({ type: "hello", user, clientId });
  ws.onmessage = (ev) => onFrame(JSON.parse(ev.data));
  ws.onclose = (ev) => {
    clearInterval(pingTimer);
    $("status").textContent = `disconnected (${ev.code} ${ev.reason || ""})`;
    $("text").disabled = $("sendButton").disabled = true;
    if (ev.code >= 4000 && ev.code < 4500) log("the pod asked us to reconnect: reload to connect again", "sys");
  };
}

function onFrame(f) {
  switch (f.type) {
    case "welcome":
      $("status").textContent = `connected to ${f.node} as ${f.user}`;
      pingTimer = setInterval(() => send({ type: "ping" }), Math.max(1000, f.idleTimeoutMs / 3));
      send({ type: "join", group });
      break;
    case "joined":
      $("members").textContent = `members of ${f.group}: ${f.members.join(", ")}`;
      if (f.self) {
        $("text").disabled = $("sendButton").disabled = false;
        log(`joined ${f.group}`, "sys");
      } else {
        log(`${f.user} joined`, "sys");
      }
      break;
    case "left":
      $("members").textContent = `members of ${f.group}: ${f.members.join(", ")}`;
      log(`${f.user} left (${f.reason})`, "sys");
      break;
    case "message":
      log(`[${new Date(f.ts).toLocaleTimeString()}] ${f.from}@${f.node}: ${f.text}`);
      break;
    case "error":
      log(`error ${f.code}: ${f.message}`, "err");
      break;
    default:
      break; // ack, pong
  }
}

$("login").addEventListener("submit", (e) => {
  e.preventDefault();
  if (ws) ws.close();
  group = $("group").value;
  connect($("user").value);
});

// ?user=ann&group=lobby fills the form and connects at once (handy for links and browser tests).
const params = new URLSearchParams(location.search);
if (params.get("user")) {
  $("user").value = params.get("user");
  if (params.get("group")) $("group").value = params.get("group");
  group = $("group").value;
  connect($("user").value);
}

$("send").addEventListener("submit", (e) => {
  e.preventDefault();
  const text = $("text").value;
  if (!text) return;
  send({ type: "send", group, id: clientId + "-" + (++counter), text });
  $("text").value = "";
});
