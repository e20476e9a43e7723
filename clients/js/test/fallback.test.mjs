// Transport fallback, the remembered choice, token refresh and 429 backoff.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BlockedWebSocket, client, collect, devToken, edgeUrl, range, unique, waitFor } from './support.mjs';

/** fetch that refuses SSE, as a buffering proxy would break it. */
const fetchWithoutSse = (input, init) => String(input).includes('/connect/sse') ? Promise.reject(new TypeError('blocked')) : fetch(input, init);

async function chatsOver(t, options, expected) {
  const channel = `chat:${unique('fallback')}`;
  const memory = new Map();
  const storage = { getItem: k => memory.get(k) ?? null, setItem: (k, v) => memory.set(k, v) };
  const { rt, connected } = client(t, unique('fallback'), { ...options, storage });
  const state = await connected();
  assert.equal(state.transport, expected);
  assert.equal(memory.get('realtime-aspire:transport'), expected, 'remembered what worked');
  const { sub, seqs } = collect(rt, channel);
  await sub.ready;
  for (let i = 0; i < 5; i++) await rt.publish(channel, { i });
  await waitFor(() => seqs().length === 5, '5 messages');
  assert.deepEqual(seqs(), range(1, 5));
  return { rt, storage };
}

test('WebSocket refused: falls back to SSE and chatting works', async t => {
  await chatsOver(t, { WebSocket: BlockedWebSocket }, 'sse');
});

test('WebSocket and SSE refused: falls back to long polling and chatting works', async t => {
  await chatsOver(t, { WebSocket: BlockedWebSocket, fetch: fetchWithoutSse }, 'long-polling');
});

test('a remembered transport is tried first', async t => {
  const memory = new Map([['realtime-aspire:transport', 'long-polling']]);
  const storage = { getItem: k => memory.get(k) ?? null, setItem: (k, v) => memory.set(k, v) };
  const { connected } = client(t, unique('remembered'), { storage });
  assert.equal((await connected()).transport, 'long-polling');
});

test('from a worse transport the client upgrades to WebSocket in the background', async t => {
  const memory = new Map([['realtime-aspire:transport', 'sse']]);
  const storage = { getItem: k => memory.get(k) ?? null, setItem: (k, v) => memory.set(k, v) };
  const channel = `chat:${unique('upgrade')}`;
  const { rt, connected, states } = client(t, unique('upgrade'), { storage, upgradeAfterMs: 300 });
  assert.equal((await connected()).transport, 'sse');
  const { sub, seqs } = collect(rt, channel);
  await sub.ready;
  await rt.publish(channel, 1);
  await waitFor(() => rt.state.state === 'connected' && rt.state.transport === 'websocket', 'the upgrade');
  await rt.publish(channel, 2);
  await waitFor(() => seqs().length === 2, 'both messages');
  assert.deepEqual(seqs(), [1, 2]);
  assert.equal(memory.get('realtime-aspire:transport'), 'websocket');
  assert.ok(states.filter(s => s.state === 'connected').length >= 2);
});

/** A token the server refuses (bad signature) that the client cannot tell from a good one by its claims. */
const forged = user => {
  const part = o => Buffer.from(JSON.stringify(o)).toString('base64url');
  return `${part({ alg: 'HS256', typ: 'JWT' })}.${part({ sub: user, exp: Math.floor(Date.now() / 1000) + 3600 })}.${'A'.repeat(43)}`;
};

for (const transport of ['websocket', 'sse', 'long-polling']) {
  test(`${transport}: an invalid (expired) token is fetched again and the client connects`, async t => {
    const user = unique('refresh');
    let calls = 0;
    const token = async () => (++calls === 1 ? forged(user) : devToken(user));
    const { rt, connected } = client(t, user, { transports: [transport], token, backoff: { baseMs: 50, maxMs: 200 } });
    await connected();
    assert.ok(calls >= 2, `token asked ${calls} times`);
    const ack = await rt.publish(`chat:${unique('after-refresh')}`, 'hello');
    assert.equal(ack.seq, 1);
  });
}

test('429 from the edge: the client waits Retry-After (with backoff) and then connects', async t => {
  const user = unique('storm');
  const token = await devToken(user);
  // Empty the user's connect bucket, and keep it empty until the client has been refused once.
  let refusals = 0;
  let stop = false;
  const hammer = (async () => {
    while (!stop) {
      const statuses = await Promise.all(Array.from({ length: 20 }, () =>
        fetch(new URL('/connect/info', edgeUrl), { headers: { Authorization: `Bearer ${token}` } })
          .then(async r => { await r.arrayBuffer(); return r.status; }, () => 0)));
      refusals += statuses.filter(s => s === 429).length;
    }
  })();
  t.after(() => { stop = true; return hammer; });
  await waitFor(() => refusals > 0, 'the bucket empty');
  const { states, connected } = client(t, user, { transports: ['sse'], token: () => token });
  await waitFor(() => states.some(s => s.state === 'reconnecting' && /429/.test(s.reason)), 'a 429 refusal', 15000);
  stop = true;
  await hammer;
  const waited = states.find(s => s.state === 'reconnecting' && /429/.test(s.reason));
  assert.ok(waited.delayMs >= 1000, `waited ${waited.delayMs} ms, Retry-After is at least 1 s`);
  await connected();
});
