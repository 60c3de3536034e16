// The kubechat page: wires the protocol client (chat-core.js) to the view (chat-ui.js).
// URL parameters (docs/browser.md): user, group (join at once), servers (fallback host:port list),
// backoffMs (first reconnect delay).
import { ChatClient, NAME, endpointList, stableClientId } from "./chat-core.js";
import { ChatView } from "./chat-ui.js";

const $ = (id) => document.getElementById(id);
const params = new URLSearchParams(location.search);
const storage = sessionStorage;
const clientId = stableClientId(storage);
const endpoints = endpointList(location.host, (params.get("servers") || "").split(","));
const backoffMs = Number(params.get("backoffMs"));
const view = new ChatView();
let client = null;

/** The token is kept in memory only (never in storage, the URL or a log). */
function join(user, group, token) {
  if (client) client.stop();
  storage.setItem("kubechat.session", JSON.stringify({ user, group }));
  view.showChat(user, group);
  client = new ChatClient({
    user, group, clientId, endpoints, storage, token,
    secure: location.protocol === "https:",
    ...(backoffMs > 0 ? { backoff: { baseMs: backoffMs } } : {}),
  });
  let node = null; // the pod we are connected to, null while not connected
  let everConnected = false;
  client.addEventListener("state", (e) => {
    const s = e.detail;
    view.state(s);
    if (s.state === "connected") {
      view.connected(s, everConnected);
      node = s.node;
      everConnected = true;
    } else if (s.state === "reconnecting" && node) {
      view.connectionLost(s, node);
      node = null;
    }
  });
  client.addEventListener("members", (e) => view.members(e.detail));
  client.addEventListener("presence", (e) => view.presence(e.detail));
  client.addEventListener("message", (e) => view.message(e.detail));
  client.addEventListener("outbox", (e) => view.outbox(e.detail));
  client.addEventListener("notice", (e) => {
    view.notice(e.detail);
    if (e.detail.kind === "reauth") {
      $("reauth").hidden = false;
      $("newToken").focus();
    } else if (e.detail.kind === "authed") {
      $("reauth").hidden = true;
    }
  });
  client.start();
  client.emitOutbox(); // left over from before a reload
  window.kubechat = client; // for the console and the browser test
}

$("login").addEventListener("submit", (e) => {
  e.preventDefault();
  const user = $("user").value.trim();
  const group = $("group").value.trim();
  if (!NAME.test(user) || !NAME.test(group)) {
    $("loginError").textContent = "Use 1-64 letters, digits, dots, underscores or dashes.";
    return;
  }
  $("loginError").textContent = "";
  const token = $("token").value.trim();
  $("token").value = "";
  join(user, group, token || null);
});

$("reauth").addEventListener("submit", (e) => {
  e.preventDefault();
  const token = $("newToken").value.trim();
  $("newToken").value = "";
  if (client && token) client.reauth(token);
});

$("composer").addEventListener("submit", (e) => {
  e.preventDefault();
  const input = $("text");
  if (!client || !input.value) return;
  try {
    client.send(input.value);
    input.value = "";
    view.composerError("");
  } catch (err) {
    view.composerError(err.message);
  }
});

$("leave").addEventListener("click", () => {
  if (client) client.stop("left");
  client = null;
  storage.removeItem("kubechat.session");
  view.showLogin();
});

$("retry").addEventListener("click", () => client?.retryNow());

// ?user=ann&group=lobby joins at once (links, tests); otherwise a reload resumes this tab's session.
const saved = (() => { try { return JSON.parse(storage.getItem("kubechat.session")); } catch { return null; } })();
const user = params.get("user") || saved?.user || "";
const group = params.get("group") || saved?.group || "lobby";
$("user").value = user;
$("group").value = group;
if (NAME.test(user) && NAME.test(group) && (params.get("user") || saved)) {
  join(user, group);
} else {
  view.state({ state: "offline" });
  $("user").focus();
}
