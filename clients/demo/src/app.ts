// The demo page the edge serves at `/`: chat rooms, presence, typing, scroll-back, a live feed, the transport badge.
import { RealtimeClient, RealtimeError, type RealtimeMessage, type Subscription, type TransportName } from '@realtime-aspire/client';

interface ChatData { text: string }
interface PriceData { symbol: string; price: number }

const rooms = ['room-1', 'room-2', 'room-3'];
const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
const params = new URLSearchParams(location.search);

const userInput = $<HTMLInputElement>('user');
userInput.value = params.get('user') ?? sessionStorage.getItem('demo:user') ?? `guest-${Math.random().toString(36).slice(2, 6)}`;
const transportSelect = $<HTMLSelectElement>('transport');
transportSelect.value = params.get('transport') ?? 'auto';
let room = params.get('room') ?? rooms[0];
if (!rooms.includes(room)) {
  rooms.push(room); // ?room=anything opens (and lists) that room
}

const transportLabels: Record<string, string> = { websocket: 'WebSocket', sse: 'SSE + POST', 'long-polling': 'Long polling' };
let client: RealtimeClient;
let chat: Subscription | undefined;
const feeds: Subscription[] = [];
const seen = new Map<string, Set<number>>();
const typingUsers = new Map<string, ReturnType<typeof setTimeout>>();
let oldestSeq: number | undefined;

async function token(): Promise<string> {
  const response = await fetch('/api/dev/token', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ user: userInput.value, name: userInput.value }),
  });
  if (!response.ok) {
    throw new Error(`The development token endpoint answered ${response.status}.`);
  }
  return ((await response.json()) as { token: string }).token;
}

function showError(error: unknown): void {
  $('error').textContent = error instanceof RealtimeError ? `${error.code}: ${error.message}` : String(error);
}

function renderRooms(): void {
  const nav = $('rooms');
  nav.replaceChildren(...rooms.map(name => {
    const button = document.createElement('button');
    button.textContent = `# ${name}`;
    button.title = name; // a long name is cut with an ellipsis: the whole name on hover
    button.dataset.testid = `room-${name}`;
    button.setAttribute('aria-current', String(name === room));
    button.onclick = () => void switchRoom(name);
    return button;
  }));
}

function messageItem(message: RealtimeMessage<ChatData>): HTMLLIElement {
  const item = document.createElement('li');
  item.dataset.seq = String(message.seq);
  item.dataset.msgId = message.msgId;
  item.dataset.from = message.from;
  item.className = message.from === userInput.value ? 'mine' : '';
  const from = document.createElement('span');
  from.className = 'from';
  from.textContent = message.from;
  from.title = message.from;
  const text = document.createElement('span');
  text.className = 'text';
  text.textContent = message.data?.text ?? JSON.stringify(message.data);
  const meta = document.createElement('span');
  meta.className = 'meta';
  meta.textContent = `#${message.seq} · ${new Date(message.ts).toLocaleTimeString([], { hour: 'numeric', minute: '2-digit', second: '2-digit' })}`;
  meta.title = `sequence ${message.seq} of the channel, message ${message.msgId}`;
  item.append(from, meta, text); // name and time on a line, the text under them: long names and texts stay readable
  return item;
}

function addMessage(message: RealtimeMessage<ChatData>, where: 'append' | 'prepend'): void {
  const list = $('messages');
  const ids = seen.get(message.channel) ?? new Set<number>();
  seen.set(message.channel, ids);
  if (ids.has(message.seq)) {
    return; // history and live overlap at the boundary
  }
  ids.add(message.seq);
  oldestSeq = oldestSeq === undefined ? message.seq : Math.min(oldestSeq, message.seq);
  const nearBottom = list.scrollHeight - list.scrollTop - list.clientHeight < 40;
  const item = messageItem(message);
  if (where === 'append') {
    list.append(item);
  } else {
    list.prepend(item);
  }
  regroup(item);
  regroup(item.nextElementSibling as HTMLLIElement | null);
  if (where === 'append' && (nearBottom || message.from === userInput.value)) {
    list.scrollTop = list.scrollHeight;
  }
}

/** A message right after one from the same sender goes without the name again, as chat apps show a run of them. */
function regroup(item: HTMLLIElement | null): void {
  const previous = item?.previousElementSibling as HTMLLIElement | null;
  item?.classList.toggle('continued', previous?.dataset.from === item.dataset.from);
}

function renderTyping(): void {
  const names = [...typingUsers.keys()];
  $('typing').textContent = names.length === 0 ? '' : `${names.join(', ')} ${names.length === 1 ? 'is' : 'are'} typing…`;
}

const members = new Set<string>();
function renderPresence(): void {
  $('presence').replaceChildren(...[...members].sort().map(user => {
    const item = document.createElement('li');
    item.textContent = user === userInput.value ? `${user} (you)` : user;
    item.title = user;
    item.dataset.user = user;
    return item;
  }));
  $('presence-count').textContent = members.size > 0 ? `(${members.size})` : '';
}

async function loadOlder(channel: string): Promise<void> {
  const page = await client.history(channel, oldestSeq === undefined ? { limit: 30 } : { before: oldestSeq, limit: 30 });
  if (oldestSeq === undefined && page.hasMore) {
    // The first page of an unknown channel comes from the start: jump to the newest instead.
    const last = await client.history(channel, { before: Number.MAX_SAFE_INTEGER, limit: 30 });
    last.messages.slice().reverse().forEach(m => addMessage(m as RealtimeMessage<ChatData>, 'prepend'));
    $('older').hidden = !last.hasMore;
    return;
  }
  page.messages.slice().reverse().forEach(m => addMessage(m as RealtimeMessage<ChatData>, 'prepend'));
  $('older').hidden = !page.hasMore;
}

async function switchRoom(name: string): Promise<void> {
  room = name;
  renderRooms();
  await chat?.unsubscribe();
  $('messages').replaceChildren();
  $('older').hidden = true;
  seen.clear();
  oldestSeq = undefined;
  members.clear();
  typingUsers.clear();
  renderTyping();
  renderPresence();
  const channel = `chat:${room}`;
  // Recent history first, then live from the newest persisted message on (the client fills any gap between them).
  let since: number | undefined;
  try {
    const page = await client.history(channel, { before: Number.MAX_SAFE_INTEGER, limit: 30 });
    page.messages.forEach(m => addMessage(m as RealtimeMessage<ChatData>, 'append'));
    $('older').hidden = !page.hasMore;
    since = page.messages.at(-1)?.seq ?? 0;
  } catch (error) {
    showError(error);
  }
  chat = client.subscribe<ChatData>(channel, {
    since,
    onMessage: m => addMessage(m, 'append'),
    onPresence: e => {
      e.joined.forEach(u => members.add(u.user));
      e.left.forEach(u => members.delete(u.user));
      renderPresence();
    },
    onTyping: e => {
      if (e.user === userInput.value) {
        return;
      }
      clearTimeout(typingUsers.get(e.user));
      typingUsers.set(e.user, setTimeout(() => {
        typingUsers.delete(e.user);
        renderTyping();
      }, 3000));
      renderTyping();
    },
    onError: showError,
  });
  await chat.ready.catch(showError);
  try {
    const presence = await client.presence(channel);
    presence.members?.forEach(m => members.add(m.user));
    renderPresence();
  } catch (error) {
    showError(error);
  }
}

function renderPrice(message: RealtimeMessage<PriceData>): void {
  const body = $('prices');
  const symbol = message.data.symbol;
  let row = body.querySelector<HTMLTableRowElement>(`tr[data-symbol="${CSS.escape(symbol)}"]`);
  if (!row) {
    row = document.createElement('tr');
    row.dataset.symbol = symbol;
    row.append(document.createElement('td'), document.createElement('td'), document.createElement('td'));
    body.append(row);
  }
  const [name, price, seq] = row.cells;
  name.textContent = symbol;
  price.textContent = message.data.price.toFixed(2);
  seq.textContent = String(message.seq);
}

function connect(): void {
  client?.close();
  const forced = transportSelect.value === 'auto' ? undefined : [transportSelect.value as TransportName];
  client = new RealtimeClient(location.origin, { token, transports: forced });
  const badge = $('badge');
  client.on('state', state => {
    badge.className = `badge badge-${state.state}`;
    badge.dataset.state = state.state;
    switch (state.state) {
      case 'connected':
        badge.textContent = `${transportLabels[state.transport] ?? state.transport} · ${state.replica}`;
        badge.title = `Connected over ${transportLabels[state.transport] ?? state.transport} to the replica ${state.replica} (through the edge)`;
        badge.dataset.transport = state.transport;
        badge.dataset.replica = state.replica;
        $('error').textContent = '';
        break;
      case 'reconnecting':
        badge.textContent = `Reconnecting in ${(state.delayMs / 1000).toFixed(1)} s (attempt ${state.attempt})`;
        badge.title = `Connection lost: ${state.reason}`;
        break;
      case 'disconnected':
        badge.textContent = `Disconnected: ${state.reason}`;
        badge.title = badge.textContent;
        break;
      default:
        badge.textContent = 'Connecting…';
        badge.title = 'Opening a connection (WebSocket first, then SSE, then long polling)';
    }
  });
  feeds.length = 0;
  feeds.push(client.subscribe<PriceData>('feed:prices', { onMessage: renderPrice, onError: showError }));
  let ticks = 0;
  feeds.push(client.subscribe<{ value: number }>('live:ticks', {
    onMessage: m => {
      $('ticks').textContent = String(++ticks);
      $('tick-value').textContent = `· last ${Number(m.data.value).toFixed(3)}`;
    },
    onError: showError,
  }));
  void switchRoom(room);
}

let simulation: ReturnType<typeof setInterval> | undefined;
$<HTMLInputElement>('simulate').onchange = event => {
  clearInterval(simulation);
  if (!(event.target as HTMLInputElement).checked) {
    return;
  }
  const prices: Record<string, number> = { ACME: 101.5, GLOBX: 42.1, INITECH: 7.75 };
  let round = 0;
  simulation = setInterval(() => {
    const symbols = Object.keys(prices);
    const symbol = symbols[round % symbols.length];
    prices[symbol] = Math.max(1, prices[symbol] * (1 + (Math.random() - 0.5) / 50));
    void client.publish('live:ticks', { value: Math.random() }).catch(showError);
    if (round++ % 4 === 0) {
      void client.publish('feed:prices', { symbol, price: prices[symbol] }).catch(showError);
    }
  }, 250);
};

$<HTMLFormElement>('composer').onsubmit = async event => {
  event.preventDefault();
  const input = $<HTMLInputElement>('text');
  const text = input.value.trim();
  if (!text) {
    return;
  }
  input.value = '';
  try {
    await client.publish<ChatData>(`chat:${room}`, { text });
    $('error').textContent = '';
  } catch (error) {
    input.value = text;
    showError(error);
  }
};

let lastTyping = 0;
$<HTMLInputElement>('text').oninput = () => {
  if (Date.now() - lastTyping > 1000) {
    lastTyping = Date.now();
    void client.typing(`chat:${room}`).catch(() => undefined);
  }
};

$('older').onclick = () => void loadOlder(`chat:${room}`).catch(showError);
transportSelect.onchange = () => connect();
userInput.onchange = () => {
  sessionStorage.setItem('demo:user', userInput.value);
  connect();
};

renderRooms();
connect();
