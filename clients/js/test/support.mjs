// Shared by the Node tests: the edge under test, development tokens, bounded waits on conditions (no fixed sleeps).
import { RealtimeClient } from '../dist/realtime.js';

export const edgeUrl = process.env.REALTIME_EDGE_URL ?? 'http://localhost:5000';
/** Replica name → its own URL (not through the edge), for drain; given by the xunit host. */
export const replicas = JSON.parse(process.env.REALTIME_REPLICAS ?? '{}');

/** A WebSocket that never opens, as behind a proxy that blocks upgrades. */
export class BlockedWebSocket {
  constructor() {
    this.readyState = 0;
    setTimeout(() => {
      this.readyState = 3;
      this.onerror?.({});
      this.onclose?.({ code: 1006, reason: '' });
    }, 5);
  }
  send() { throw new Error('not open'); }
  close() {}
}

let counter = 0;
export const unique = prefix => `${prefix}-${process.pid}-${Date.now().toString(36)}-${++counter}`;

export async function devToken(user, claims = {}) {
  const response = await fetch(new URL('/api/dev/token', edgeUrl), {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ user, ...claims }),
  });
  if (!response.ok) throw new Error(`dev token: ${response.status} ${await response.text()}`);
  return (await response.json()).token;
}

/** Polls a condition every 20 ms until it holds or the bound passes. */
export async function waitFor(condition, what, timeoutMs = 10000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await condition();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise(resolve => setTimeout(resolve, 20));
  }
}

/** A client that records its states; closed by the test's `after`. */
export function client(t, user, options = {}) {
  const states = [];
  const rt = new RealtimeClient(edgeUrl, { token: () => devToken(user), storage: null, ...options });
  rt.on('state', s => states.push(s));
  t.after(() => rt.close());
  return { rt, states, connected: () => waitFor(() => rt.state.state === 'connected' && rt.state, `${user} connected`) };
}

/** Subscribes and collects messages. */
export function collect(rt, channel, options = {}) {
  const messages = [];
  const sub = rt.subscribe(channel, { ...options, onMessage: m => messages.push(m) });
  return { sub, messages, seqs: () => messages.map(m => m.seq) };
}

export const range = (from, to) => Array.from({ length: to - from + 1 }, (_, i) => from + i);

/**
 * Asks the xunit host (which reads this process's output) to SIGKILL a replica, once every other replica is healthy:
 * a replica killed by an earlier test is restarted by the AppHost with backoff, and a client whose replica dies must
 * have somewhere to go.
 */
export async function requestKill(name) {
  const others = Object.entries(replicas).filter(([replica]) => replica !== name);
  await waitFor(async () => (await Promise.all(others.map(([, url]) => healthy(url)))).every(Boolean),
    `every replica but ${name} healthy before killing it`, 90000);
  process.stdout.write(`##realtime-test kill ${name}\n`);
}

async function healthy(url) {
  try {
    const response = await fetch(new URL('/health', url), { signal: AbortSignal.timeout(2000) });
    return response.ok;
  } catch {
    return false;
  }
}
