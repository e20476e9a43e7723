// Unsubscribing while a background upgrade moves the client to a better transport: the channel is left on every
// connection, wherever the unsubscribe lands. The witness is the server's presence list (the reader is a member
// while any of its connections holds the channel). The race points are reached through the transports the client
// is given (a WebSocket class, a fetch), never by sleeping.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BlockedWebSocket, client, unique, waitFor } from './support.mjs';

const remembering = transport => {
  const memory = new Map([['realtime-aspire:transport', transport]]);
  return { getItem: k => memory.get(k) ?? null, setItem: (k, v) => memory.set(k, v) };
};

/** A reader subscribed on its remembered (worse) transport and present in the channel; an observer on long polling. */
async function scene(t, transport, options) {
  const user = unique('leaving');
  const channel = `chat:${unique('left-during-upgrade')}`;
  const reader = client(t, user, { storage: remembering(transport), upgradeAfterMs: 300, ...options });
  assert.equal((await reader.connected()).transport, transport);
  const sub = reader.rt.subscribe(channel);
  await sub.ready;
  const observer = client(t, unique('observer'), { transports: ['long-polling'] });
  const present = async () => ((await observer.rt.presence(channel)).members ?? []).some(m => m.user === user);
  await waitFor(present, `${user} in the presence of ${channel}`, 15000);
  return { reader, sub, channel, present };
}

/**
 * A WebSocket that cannot connect (port 9, discard) until `gate.open`, and calls `gate.onSubscribeSent` once, just
 * after a subscribe frame went out: its ack is not read yet.
 */
function gatedWebSocket() {
  const gate = { open: false, onSubscribeSent: undefined };
  gate.WebSocket = class extends WebSocket {
    constructor(url, protocols) {
      super(gate.open ? url : 'ws://127.0.0.1:9/', protocols);
    }
    send(data) {
      super.send(data);
      const frame = JSON.parse(String(data));
      if (frame.type === 'subscribe' && gate.onSubscribeSent) {
        const hook = gate.onSubscribeSent;
        gate.onSubscribeSent = undefined;
        hook(frame.channel);
      }
    }
  };
  return gate;
}

test('unsubscribed while the WebSocket candidate\'s subscribe is on its way: the adopted WebSocket does not keep it', async t => {
  const gate = gatedWebSocket();
  const { reader, sub, channel, present } = await scene(t, 'sse', { WebSocket: gate.WebSocket });
  let left;
  gate.onSubscribeSent = subscribed => {
    assert.equal(subscribed, channel);
    left = sub.unsubscribe();
  };
  gate.open = true;
  await waitFor(() => reader.rt.state.transport === 'websocket', 'the move to WebSocket', 15000);
  assert.ok(left, 'unsubscribed while the candidate subscribed');
  await left;
  await waitFor(async () => !(await present()), 'the reader out of the channel\'s presence (no connection still subscribed)', 15000);
});

test('unsubscribed while an SSE candidate opens with the channel: the adopted stream does not keep it', async t => {
  const gate = { open: false, onSseOpening: undefined };
  const gatedFetch = (input, init) => {
    if (String(input).includes('/connect/sse')) {
      if (!gate.open) {
        return Promise.reject(new TypeError('SSE blocked by the test'));
      }
      if (gate.onSseOpening) {
        const hook = gate.onSseOpening;
        gate.onSseOpening = undefined;
        hook(String(input));
      }
    }
    return fetch(input, init);
  };
  // On long polling; the WebSocket stays blocked, so the upgrade goes to SSE, whose stream opens with every channel.
  const { reader, sub, channel, present } = await scene(t, 'long-polling', { WebSocket: BlockedWebSocket, fetch: gatedFetch });
  let left;
  gate.onSseOpening = url => {
    assert.ok(decodeURIComponent(url).includes(channel), `the candidate opens with ${channel}: ${url}`);
    left = sub.unsubscribe();
  };
  gate.open = true;
  await waitFor(() => reader.rt.state.transport === 'sse', 'the move to SSE', 15000);
  assert.ok(left, 'unsubscribed while the candidate opened');
  await left;
  await waitFor(async () => !(await present()), 'the reader out of the channel\'s presence (no connection still subscribed)', 15000);
});

test('unsubscribed from the state listener as the WebSocket candidate is adopted: neither connection keeps it', async t => {
  const gate = gatedWebSocket();
  const { reader, sub, present } = await scene(t, 'sse', { WebSocket: gate.WebSocket });
  let left;
  reader.rt.on('state', s => {
    if (s.state === 'connected' && s.transport === 'websocket' && !left) {
      left = sub.unsubscribe();
    }
  });
  gate.open = true;
  await waitFor(() => left !== undefined, 'the move to WebSocket', 15000); // (left itself resolves to undefined)
  await left;
  await waitFor(async () => !(await present()), 'the reader out of the channel\'s presence (no connection still subscribed)', 15000);
});
