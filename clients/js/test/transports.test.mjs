// Each transport: connect, subscribe, publish, receive once and in order; errors with their codes; history, presence, typing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RealtimeError } from '../dist/realtime.js';
import { client, collect, devToken, range, unique, waitFor, edgeUrl } from './support.mjs';
import { RealtimeClient } from '../dist/realtime.js';

for (const transport of ['websocket', 'sse', 'long-polling']) {
  test(`${transport}: publishes are acked durably and every subscriber gets them once, in order`, async t => {
    const channel = `chat:${unique(transport)}`;
    const { rt, connected } = client(t, unique('reader'), { transports: [transport] });
    const state = await connected();
    assert.equal(state.transport, transport);
    assert.match(state.replica, /^connection-service-\d+$/);
    const { sub, seqs, messages } = collect(rt, channel);
    await sub.ready;
    const writer = client(t, unique('writer'), { transports: [transport] });
    const acks = [];
    for (let i = 1; i <= 20; i++) acks.push(await writer.rt.publish(channel, { i }));
    assert.deepEqual(acks.map(a => a.seq), range(1, 20));
    assert.ok(acks.every(a => typeof a.msgId === 'string' && a.msgId.length > 0));
    await waitFor(() => messages.length >= 20, '20 messages');
    assert.deepEqual(seqs(), range(1, 20));
    assert.deepEqual(messages.map(m => m.data.i), range(1, 20));
    assert.equal(sub.lastSeq, 20);
  });

  test(`${transport}: publish errors carry the protocol's codes`, async t => {
    const user = unique('limited');
    const { rt, connected } = client(t, user, {
      transports: [transport],
      token: () => devToken(user, { subscribe: ['chat:*'], publish: ['chat:*'] }),
    });
    await connected();
    const code = async promise => {
      const error = await promise.then(() => assert.fail('expected a refusal'), e => e);
      assert.ok(error instanceof RealtimeError, String(error));
      return error.code;
    };
    assert.equal(await code(rt.publish('nope:x', 1)), 'unknown_namespace');
    assert.equal(await code(rt.publish('feed:prices-of-others', 1)), 'forbidden');
    assert.equal(await code(rt.publish(`chat:${unique('big')}`, 'x'.repeat(70 * 1024))), 'message_too_large');
    assert.equal(await code(rt.publish('not a channel', 1)), 'invalid_channel');
    const refused = rt.subscribe('feed:not-mine');
    assert.equal(await code(refused.ready), 'forbidden');
  });
}

test('history pages forward and backward, presence lists the subscriber, typing reaches the others', async t => {
  const channel = `chat:${unique('room')}`;
  const alice = client(t, unique('alice'));
  const bob = client(t, unique('bob'), { transports: ['sse'] });
  await Promise.all([alice.connected(), bob.connected()]);
  const typing = [];
  const presence = [];
  const bobSub = bob.rt.subscribe(channel, { onTyping: e => typing.push(e.user), onPresence: e => presence.push(e) });
  await bobSub.ready;
  const aliceSub = alice.rt.subscribe(channel);
  await aliceSub.ready;
  for (let i = 1; i <= 5; i++) await alice.rt.publish(channel, { i });
  // History is what Message.Service has persisted, which trails the acks: page only once all five are there, or the
  // first page is the whole (three-row) history and rightly says hasMore = false.
  await waitFor(async () => (await alice.rt.history(channel, { after: 0, limit: 10 })).messages.length === 5, 'persisted history');
  const page = await alice.rt.history(channel, { after: 0, limit: 3 });
  assert.deepEqual(page.messages.map(m => m.seq), [1, 2, 3]);
  assert.equal(page.hasMore, true);
  const older = await alice.rt.history(channel, { before: 6, limit: 2 });
  assert.deepEqual(older.messages.map(m => m.seq), [4, 5]);
  const members = await waitFor(async () => {
    const p = await bob.rt.presence(channel);
    return p.count >= 2 && p;
  }, 'both present');
  assert.equal(members.count, 2);
  await waitFor(async () => {
    await alice.rt.typing(channel);
    return typing.length > 0;
  }, 'typing at bob', 5000);
  assert.ok(typing.every(u => u.startsWith('alice')));
  await waitFor(() => presence.some(e => e.joined.some(u => u.user.startsWith('alice'))), `alice's join in ${JSON.stringify(presence)}`);
});

test('live: (ephemeral) messages arrive with seq 0 and feed: (durable) with sequence numbers', async t => {
  const { rt, connected } = client(t, unique('feed'));
  await connected();
  const live = collect(rt, `live:${unique('ticks')}`);
  const feed = collect(rt, `feed:${unique('prices')}`);
  await Promise.all([live.sub.ready, feed.sub.ready]);
  await waitFor(async () => {
    await rt.publish(live.sub.channel, { v: 1 });
    return live.messages.length > 0;
  }, 'an ephemeral tick');
  assert.equal(live.messages[0].seq, 0);
  const ack = await rt.publish(feed.sub.channel, { p: 1 });
  assert.equal(ack.seq, 1);
  await waitFor(() => feed.messages.length === 1, 'the feed message');
});

test('the edge serves the client module, its declarations and source map', async () => {
  for (const [path, type] of [['/client/realtime.js', /javascript/], ['/client/realtime.d.ts', /text/], ['/client/realtime.js.map', /json/], ['/', /html/]]) {
    const response = await fetch(new URL(path, edgeUrl));
    assert.equal(response.status, 200, path);
    assert.match(response.headers.get('content-type'), type, path);
    const body = await response.text();
    if (path === '/client/realtime.js') assert.match(body, /export class RealtimeClient/);
  }
  assert.ok(RealtimeClient);
});
