// Resume: after a drain, after a replica is killed, and beyond what Redis still holds. Run on a topology of their own.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { client, collect, range, replicas, requestKill, unique, waitFor } from './support.mjs';

/** Publishes in order; `rate_limited` (feed: 50/s per connection) is the server's pace, so wait and send again. */
async function publishMany(rt, channel, count, from) {
  for (let i = 0; i < count; i++) {
    for (let attempt = 0; ; attempt++) {
      try {
        await rt.publish(channel, { n: from + i });
        break;
      } catch (error) {
        if (error.code !== 'rate_limited' || attempt > 50) throw error;
        await new Promise(resolve => setTimeout(resolve, 100));
      }
    }
  }
}

for (const transport of ['websocket', 'sse', 'long-polling']) {
  test(`${transport}: beyond Redis history (feed keeps 200) every message comes once, in order`, async t => {
    const channel = `feed:${unique('deep')}`;
    const writer = client(t, unique('writer'));
    await writer.connected();
    await publishMany(writer.rt, channel, 230, 1);
    await waitFor(async () => (await writer.rt.history(channel, { after: 229, limit: 1 })).messages.length === 1, 'all 230 persisted', 20000);
    const reader = client(t, unique('reader'), { transports: [transport] });
    await reader.connected();
    const { sub, seqs } = collect(reader.rt, channel, { since: 0 });
    await sub.ready;
    await waitFor(() => seqs().length >= 230, '230 messages', 20000);
    assert.deepEqual(seqs(), range(1, 230));
  });
}

test('drain: reconnect {afterMs} moves the client to another replica, nothing lost or repeated', async t => {
  const channel = `chat:${unique('drain')}`;
  const reader = client(t, unique('reader'), { transports: ['websocket'] });
  const first = await reader.connected();
  const { sub, seqs } = collect(reader.rt, channel);
  await sub.ready;
  const writer = client(t, unique('writer'), { transports: ['sse'] });
  await writer.connected();
  await publishMany(writer.rt, channel, 5, 1);
  const url = replicas[first.replica];
  assert.ok(url, `the replica ${first.replica} is known: ${JSON.stringify(replicas)}`);
  const drained = await fetch(new URL('/admin/drain', url), { method: 'POST' });
  assert.equal(drained.status, 202);
  const publishing = publishMany(writer.rt, channel, 10, 6);
  await waitFor(() => reader.states.some(s => s.state === 'reconnecting' && s.reason === 'drain'), 'the drain notice', 15000);
  await waitFor(() => reader.rt.state.state === 'connected' && reader.rt.state.replica !== first.replica, 'another replica', 20000);
  await publishing;
  await waitFor(() => seqs().length >= 15, '15 messages', 15000);
  assert.deepEqual(seqs(), range(1, 15));
  await requestKill(first.replica); // a drained replica stays drained: the test host restarts it
});

for (const transport of ['websocket', 'sse']) {
  test(`${transport}: a killed replica: the client reconnects elsewhere and gets every message sent meanwhile, once, in order`, async t => {
    const channel = `chat:${unique('kill')}`;
    const reader = client(t, unique('reader'), { transports: [transport], backoff: { baseMs: 200, maxMs: 2000 } });
    const first = await reader.connected();
    const { sub, seqs } = collect(reader.rt, channel);
    await sub.ready;
    const writer = client(t, unique('writer'), { transports: ['long-polling'] });
    await writer.connected();
    await publishMany(writer.rt, channel, 5, 1);
    await waitFor(() => seqs().length === 5, 'the first 5');
    await requestKill(first.replica);
    await waitFor(() => reader.states.some(s => s.state === 'reconnecting'), 'the loss', 15000);
    // The writer polls statelessly and publishes over POST: any replica serves it.
    let sent = 5;
    await waitFor(async () => {
      try {
        await writer.rt.publish(channel, { n: sent + 1 });
        sent++;
      } catch {
        // the writer's own replica may be the dead one: the edge fails over on the next try
      }
      return sent >= 15;
    }, '10 more published', 30000);
    await waitFor(() => reader.rt.state.state === 'connected' && reader.rt.state.replica !== first.replica, 'another replica', 30000);
    await waitFor(() => seqs().length >= sent, `${sent} messages`, 15000);
    assert.deepEqual(seqs(), range(1, sent));
  });
}

/** fetch whose connect requests (SSE streams, polls) the test can cut, as a dropped network, and refuse until restored. */
function severableFetch() {
  let cut = new AbortController();
  let down = false;
  return {
    fetch: (input, init = {}) => {
      if (!new URL(String(input)).pathname.startsWith('/connect/')) return fetch(input, init);
      if (down) return Promise.reject(new TypeError('the network is down (test)'));
      return fetch(input, { ...init, signal: init.signal ? AbortSignal.any([init.signal, cut.signal]) : cut.signal });
    },
    sever() {
      down = true;
      cut.abort(new TypeError('the connection was reset (test)'));
      cut = new AbortController();
    },
    restore() {
      down = false;
    },
  };
}

for (const transport of ['sse', 'long-polling']) {
  test(`${transport}: subscribed without since and dropped before the first message, it gets everything published meanwhile, once, in order`, async t => {
    const channel = `chat:${unique('early-drop')}`;
    const writer = client(t, unique('writer'), { transports: ['websocket'] });
    await writer.connected();
    await writer.rt.publish(channel, { n: 0 }); // the channel is at 1 before the reader comes
    const network = severableFetch();
    const reader = client(t, unique('reader'), { transports: [transport], fetch: network.fetch, backoff: { baseMs: 100, maxMs: 1000 } });
    await reader.connected();
    const { sub, seqs } = collect(reader.rt, channel);
    await sub.ready;
    network.sever();
    await waitFor(() => reader.rt.state.state === 'reconnecting', 'the drop', 15000);
    for (let n = 1; n <= 5; n++) await writer.rt.publish(channel, { n });
    network.restore();
    await waitFor(() => reader.rt.state.state === 'connected', 'the reconnect', 15000);
    await writer.rt.publish(channel, { n: 6 });
    await waitFor(() => seqs().length >= 6, `6 messages (got ${seqs()})`, 15000);
    assert.deepEqual(seqs(), range(2, 7));
  });
}
