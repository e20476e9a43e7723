/**
 * @realtime-aspire/client — the RealtimeAspire wire protocol v1 (docs/protocol.md) for browsers and Node ≥ 20.
 *
 * One dependency-free ES module. Over 400 lines because a reader should see the whole delivery guarantee in one
 * place; the step map:
 *   1. Public types (options, messages, states, errors).
 *   2. ChannelStream: per subscription, delivers each durable message once and in sequence order (buffer,
 *      de-duplicate, fill a gap from the history API).
 *   3. Transports, each behind {@link Transport}: WebSocketTransport, ServerSentEventsTransport (SSE parsed from a
 *      fetch stream), LongPollingTransport. They only move frames; ordering and resume live in 1–2 and 4.
 *   4. RealtimeClient: the connect loop (fallback WebSocket → SSE → long polling, remembered choice, background
 *      upgrade), full-jitter backoff, drain (`reconnect {afterMs}`) and Retry-After, token refresh, resume of every
 *      subscription from its last sequence on whatever transport and replica it lands on.
 */

// ───────────────────────────── 1. Public types ─────────────────────────────

export type TransportName = 'websocket' | 'sse' | 'long-polling';

/** Every transport, best first: the default order of {@link RealtimeClientOptions.transports}. */
export const ALL_TRANSPORTS: readonly TransportName[] = ['websocket', 'sse', 'long-polling'];

export interface BackoffOptions {
  /** First delay ceiling in ms (default 500). */
  baseMs?: number;
  /** Largest delay ceiling in ms (default 15000). */
  maxMs?: number;
}

export interface RealtimeClientOptions {
  /** A token, or a function returning one; called again when the server says the token is invalid or expired. */
  token: string | (() => string | Promise<string>);
  /** Transports to use, in order of preference. `['sse']` forces SSE. Default: all, WebSocket first. */
  transports?: TransportName[];
  /** Full-jitter exponential backoff: delay = random(0, min(maxMs, baseMs·2^attempt)). */
  backoff?: BackoffOptions;
  /** How long a transport may take to open and say welcome before the next is tried (default 5000 ms). */
  connectTimeoutMs?: number;
  /** Connected on a worse transport than the best allowed: try the better one again after this long (default 60000 ms; 0 = never). */
  upgradeAfterMs?: number;
  /** How long a gap in a channel's sequence may stay open before the history API is asked (default 500 ms). */
  gapFillAfterMs?: number;
  /** Where the transport that worked is remembered (default: sessionStorage in a browser, memory elsewhere; null = nowhere). */
  storage?: Pick<Storage, 'getItem' | 'setItem'> | null;
  /** WebSocket constructor (default: the global one; Node 20 needs `--experimental-websocket`). */
  WebSocket?: typeof WebSocket;
  /** fetch (default: the global one). */
  fetch?: typeof fetch;
  /** Random source in [0, 1) for the backoff (tests may pin it). */
  random?: () => number;
  /**
   * The edge's affinity key to start with (an opaque key learnt from the edge: a response's `X-Realtime-Affinity`
   * or a welcome's `affinity`): the first connection lands on the replica it names while that replica is in
   * rotation; after that the client carries the key the edge hands back. Default: none, the edge chooses.
   */
  affinity?: string;
}

export interface RealtimeMessage<T = unknown> {
  channel: string;
  /** The channel's sequence number; 0 on ephemeral channels. */
  seq: number;
  msgId: string;
  from: string;
  /** Publish time, unix ms. */
  ts: number;
  data: T;
}

export interface PresenceUser {
  user: string;
  name: string;
}

export interface PresenceEvent {
  channel: string;
  joined: PresenceUser[];
  left: PresenceUser[];
  /** Members of the channel after these changes. */
  count?: number;
  /** A large channel's summary: how many joined and left, naming nobody (`joined`/`left` are empty; ask `presence()` for the list). */
  summary?: { joined: number; left: number };
}

export interface TypingEvent {
  channel: string;
  user: string;
}

export interface PublishAck {
  seq: number;
  msgId: string;
}

export interface SubscribeOptions<T = unknown> {
  /** Deliver every message after this sequence number (resume); without it, from now. */
  since?: number;
  onMessage?: (message: RealtimeMessage<T>) => void;
  onPresence?: (event: PresenceEvent) => void;
  onTyping?: (event: TypingEvent) => void;
  /** A refusal of the subscription (`forbidden`, `unknown_namespace`, …) or `history_unavailable` on resume. */
  onError?: (error: RealtimeError) => void;
}

export interface Subscription {
  readonly channel: string;
  /** The last sequence number delivered to the application (undefined before the first, or on ephemeral channels). */
  readonly lastSeq: number | undefined;
  /** Resolves once the server accepted the subscription; rejects with its refusal. */
  readonly ready: Promise<void>;
  unsubscribe(): Promise<void>;
}

export type ConnectionState =
  | { state: 'connecting' }
  | { state: 'connected'; transport: TransportName; replica: string }
  | { state: 'reconnecting'; attempt: number; delayMs: number; reason: string }
  | { state: 'disconnected'; code: number; reason: string };

export interface HistoryQuery {
  after?: number;
  before?: number;
  limit?: number;
}

export interface HistoryPage {
  channel: string;
  messages: RealtimeMessage[];
  hasMore: boolean;
}

export interface PresenceMember {
  user: string;
  name: string;
  connections: number;
  since: string;
}

export interface ChannelPresence {
  channel: string;
  count: number;
  members?: PresenceMember[];
}

/** A refusal with the protocol's error code (`forbidden`, `rate_limited`, `message_too_large`, …). */
export class RealtimeError extends Error {
  readonly code: string;
  /** The HTTP status, when the refusal came over HTTP. */
  readonly status: number | undefined;
  /** From `Retry-After`, when the server sent one. */
  readonly retryAfterMs: number | undefined;

  constructor(code: string, message: string, status?: number, retryAfterMs?: number) {
    super(`${code}: ${message}`);
    this.name = 'RealtimeError';
    this.code = code;
    this.status = status;
    this.retryAfterMs = retryAfterMs;
  }
}

/** Codes of the client's own making, beside the protocol's. */
export const ClientErrorCodes = {
  connectionLost: 'connection_lost',
  closed: 'client_closed',
  timeout: 'timeout',
} as const;

// ───────────────────────────── 2. ChannelStream ─────────────────────────────

type ServerFrame = { type: string; [key: string]: unknown };

interface MessageFrame extends RealtimeMessage {
  type: 'message';
}

/** One subscription's delivery state: the exactly-once, in-order promise to the application is kept here. */
class ChannelStream {
  lastSeq: number | undefined;
  active = true;
  private readonly buffer = new Map<number, RealtimeMessage>();
  private gapTimer: ReturnType<typeof setTimeout> | undefined;
  private filling = false;

  constructor(
    readonly channel: string,
    readonly handlers: SubscribeOptions,
    since: number | undefined,
    private readonly fillGap: (after: number, limit: number) => Promise<HistoryPage>,
    private readonly gapFillAfterMs: number,
  ) {
    this.lastSeq = since;
  }

  /** A position the server reported (subscribe ack, first poll's cursor): where "from now" starts. */
  startAt(seq: number): void {
    if (this.lastSeq === undefined) {
      this.lastSeq = seq;
      this.flush();
    }
  }

  accept(message: RealtimeMessage): void {
    if (!this.active) {
      return;
    }
    if (!message.seq) {
      this.emit(message); // ephemeral: no sequence, no resume
      return;
    }
    if (this.lastSeq === undefined) {
      this.lastSeq = message.seq - 1;
    }
    if (message.seq <= this.lastSeq || this.buffer.has(message.seq)) {
      return; // delivered already (resume overlap, transport switch)
    }
    this.buffer.set(message.seq, message);
    this.flush();
  }

  private flush(): void {
    if (this.lastSeq === undefined) {
      return;
    }
    for (const seq of [...this.buffer.keys()]) {
      if (seq <= this.lastSeq) {
        this.buffer.delete(seq);
      }
    }
    let next = this.buffer.get(this.lastSeq + 1);
    while (next && this.active) {
      this.buffer.delete(next.seq);
      this.lastSeq = next.seq;
      this.emit(next);
      next = this.buffer.get(this.lastSeq + 1);
    }
    if (this.buffer.size === 0) {
      clearTimeout(this.gapTimer);
      this.gapTimer = undefined;
    } else if (this.gapTimer === undefined && !this.filling) {
      this.gapTimer = setTimeout(() => void this.fill(), this.gapFillAfterMs);
    }
  }

  /** A gap stayed open: the server's resume did not bring the missing messages, so ask the history API. */
  private async fill(): Promise<void> {
    this.gapTimer = undefined;
    this.filling = true;
    try {
      while (this.active && this.buffer.size > 0 && this.lastSeq !== undefined) {
        const lowestBuffered = Math.min(...this.buffer.keys());
        const missing = lowestBuffered - this.lastSeq - 1;
        const page = await this.fillGap(this.lastSeq, Math.min(Math.max(missing, 1), 1000));
        const before = this.lastSeq;
        for (const message of page.messages) {
          if (message.seq > this.lastSeq && !this.buffer.has(message.seq)) {
            this.buffer.set(message.seq, message);
          }
        }
        this.flush();
        if (this.lastSeq === before) {
          break; // not persisted yet: try again after the wait
        }
      }
    } catch (error) {
      // The history API failed: the next attempt comes after the wait.
      void error;
    } finally {
      this.filling = false;
      if (this.active && this.buffer.size > 0 && this.gapTimer === undefined) {
        this.gapTimer = setTimeout(() => void this.fill(), Math.max(this.gapFillAfterMs, 1000));
      }
    }
  }

  private emit(message: RealtimeMessage): void {
    safely(() => this.handlers.onMessage?.(message));
  }

  stop(): void {
    this.active = false;
    clearTimeout(this.gapTimer);
    this.buffer.clear();
  }
}

// ───────────────────────────── 3. Transports ─────────────────────────────

/** Why a transport could not open: `transport` failures fall back to the next transport, `server` ones wait. */
class ConnectFailure extends Error {
  constructor(
    readonly kind: 'transport' | 'server' | 'unauthorized',
    message: string,
    readonly retryAfterMs?: number,
    readonly code?: string,
    readonly timedOut = false,
  ) {
    super(message);
  }
}

interface CloseInfo {
  code: number;
  reason: string;
  /** The server asked to come back after this long (drain). */
  afterMs?: number;
}

interface ChannelPosition {
  channel: string;
  seq: number | undefined;
}

/** What a transport needs from its client. */
interface TransportHost {
  readonly edgeUrl: URL;
  readonly fetch: typeof fetch;
  readonly WebSocket: typeof WebSocket | undefined;
  readonly connectTimeoutMs: number;
  affinity: string | null;
  token(refresh: boolean): Promise<string>;
  /** The subscriptions the server has accepted before (a new stream starts with these). */
  positions(): ChannelPosition[];
  /** The last sequence delivered on a channel. */
  seqOf(channel: string): number | undefined;
  frame(transport: Transport, frame: ServerFrame): void;
  closed(transport: Transport, info: CloseInfo): void;
}

interface Transport {
  readonly name: TransportName;
  readonly replica: string;
  /** Set once the connection is gone (by the server, the network or a drain). */
  readonly closedWith: CloseInfo | undefined;
  /** Resolves after the server's welcome; rejects with a {@link ConnectFailure}. */
  open(): Promise<void>;
  subscribe(channel: string, since: number | undefined): Promise<number | undefined>;
  unsubscribe(channel: string): Promise<void>;
  publish(channel: string, data: unknown): Promise<PublishAck>;
  typing(channel: string): Promise<void>;
  close(): void;
}

const AFFINITY_HEADER = 'X-Realtime-Affinity';
const REPLICA_HEADER = 'X-Realtime-Replica';
const SUBPROTOCOL = 'realtime.v1.json';
/** Refusals of one channel of an SSE or long-poll stream (400/403/404 before it starts): the others go on. */
const CHANNEL_REFUSALS = new Set(['forbidden', 'unknown_namespace', 'invalid_channel', 'too_many_subscriptions']);

/** The payload of a JWT, read without checking its signature (the server does that). */
function claimsOf(token: string): { exp?: unknown; sub?: unknown } | undefined {
  try {
    const payload = token.split('.')[1];
    if (!payload) {
      return undefined;
    }
    const base64 = payload.replace(/-/g, '+').replace(/_/g, '/');
    const bytes = Uint8Array.from(atob(base64 + '='.repeat((4 - (base64.length % 4)) % 4)), c => c.charCodeAt(0));
    return JSON.parse(new TextDecoder().decode(bytes)) as { exp?: unknown; sub?: unknown };
  } catch {
    return undefined;
  }
}

function subjectOf(token: string): string | undefined {
  const sub = claimsOf(token)?.sub;
  return typeof sub === 'string' && sub.length > 0 ? sub : undefined;
}

function retryAfterMs(response: Response): number | undefined {
  const value = response.headers.get('Retry-After');
  if (!value) {
    return undefined;
  }
  const seconds = Number(value);
  if (Number.isFinite(seconds)) {
    return Math.max(0, seconds * 1000);
  }
  const date = Date.parse(value);
  return Number.isFinite(date) ? Math.max(0, date - Date.now()) : undefined;
}

async function problemOf(response: Response): Promise<{ code: string; detail: string }> {
  try {
    const body = (await response.json()) as { title?: string; detail?: string };
    return { code: body.title ?? `http_${response.status}`, detail: body.detail ?? response.statusText };
  } catch {
    return { code: `http_${response.status}`, detail: response.statusText };
  }
}

function failureOf(response: Response, code: string, detail: string): ConnectFailure {
  if (response.status === 401) {
    return new ConnectFailure('unauthorized', detail, undefined, code);
  }
  if (response.status === 429 || response.status === 503) {
    return new ConnectFailure('server', `${response.status} ${code}: ${detail}`, retryAfterMs(response), code);
  }
  if (response.status >= 500) {
    return new ConnectFailure('server', `${response.status} ${code}: ${detail}`, undefined, code);
  }
  return new ConnectFailure('transport', `${response.status} ${code}: ${detail}`, undefined, code);
}

/** `chat:a@42|chat:b@7`: the positions of the durable channels (SSE Last-Event-ID, long-poll cursor). */
function positionToken(positions: ChannelPosition[]): string {
  return positions.filter(p => p.seq !== undefined).map(p => `${p.channel}@${p.seq}`).join('|');
}

/** `chat:a@42|chat:b@7` (a long-poll cursor, the SSE welcome's id) as the positions it names. */
function parsePositionToken(token: string | undefined): { channel: string; seq: number }[] {
  const positions: { channel: string; seq: number }[] = [];
  for (const part of (token ?? '').split('|')) {
    const at = part.lastIndexOf('@');
    const seq = Number(part.slice(at + 1));
    if (at > 0 && Number.isSafeInteger(seq) && seq >= 0) {
      positions.push({ channel: part.slice(0, at), seq });
    }
  }
  return positions;
}

/** HTTP calls every transport shares: publish and typing over POST (SSE and long polling send this way). */
class HttpCalls {
  constructor(private readonly host: TransportHost) {}

  async request(method: string, path: string, body?: unknown, signal?: AbortSignal): Promise<Response> {
    for (let attempt = 0; ; attempt++) {
      const token = await this.host.token(attempt > 0);
      const headers: Record<string, string> = { Authorization: `Bearer ${token}` };
      if (this.host.affinity) {
        headers[AFFINITY_HEADER] = this.host.affinity;
      }
      if (body !== undefined) {
        headers['Content-Type'] = 'application/json';
      }
      const response = await this.host.fetch(new URL(path, this.host.edgeUrl), {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
        signal,
        credentials: 'include',
      });
      const affinity = response.headers.get(AFFINITY_HEADER);
      if (affinity) {
        this.host.affinity = affinity;
      }
      if (response.status === 401 && attempt === 0) {
        await response.body?.cancel();
        continue; // the token expired: fetch a new one, once
      }
      return response;
    }
  }

  async json<T>(method: string, path: string, body?: unknown): Promise<T> {
    const response = await this.request(method, path, body);
    if (!response.ok) {
      const problem = await problemOf(response);
      throw new RealtimeError(problem.code, problem.detail, response.status, retryAfterMs(response));
    }
    return response.status === 204 ? (undefined as T) : ((await response.json()) as T);
  }

  publish(channel: string, data: unknown): Promise<PublishAck> {
    return this.json<PublishAck>('POST', `/api/channels/${encodeURIComponent(channel)}/messages`, { data });
  }

  typing(channel: string): Promise<void> {
    return this.json<void>('POST', `/api/channels/${encodeURIComponent(channel)}/typing`);
  }
}

interface PendingRequest {
  resolve(frame: ServerFrame): void;
  reject(error: RealtimeError): void;
}

class WebSocketTransport implements Transport {
  readonly name = 'websocket';
  replica = '';
  closedWith: CloseInfo | undefined;
  private socket: WebSocket | undefined;
  private nextId = 1;
  private readonly pending = new Map<number, PendingRequest>();
  private ended = false;

  constructor(private readonly host: TransportHost) {}

  async open(): Promise<void> {
    const WebSocketType = this.host.WebSocket;
    if (!WebSocketType) {
      throw new ConnectFailure('transport', 'No WebSocket in this runtime (Node 20: --experimental-websocket).');
    }
    const url = new URL('/connect/ws', this.host.edgeUrl);
    url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
    url.searchParams.set('access_token', await this.host.token(false));
    if (this.host.affinity) {
      url.searchParams.set('affinity', this.host.affinity);
    }
    const socket = new WebSocketType(url.toString(), SUBPROTOCOL);
    this.socket = socket;
    await new Promise<void>((resolve, reject) => {
      let welcomed = false;
      const timer = setTimeout(() => {
        reject(new ConnectFailure('transport', `No welcome within ${this.host.connectTimeoutMs} ms.`, undefined, undefined, true));
        socket.close();
      }, this.host.connectTimeoutMs);
      socket.onmessage = event => {
        let frame: ServerFrame;
        try {
          frame = JSON.parse(String(event.data)) as ServerFrame;
        } catch {
          return;
        }
        if (!welcomed && frame.type === 'welcome') {
          welcomed = true;
          clearTimeout(timer);
          this.replica = String(frame.replica ?? '');
          if (typeof frame.affinity === 'string' && frame.affinity) {
            this.host.affinity = frame.affinity;
          }
          resolve();
          return;
        }
        this.receive(frame);
      };
      socket.onclose = event => {
        clearTimeout(timer);
        if (!welcomed) {
          // A browser hides the HTTP status of a refused upgrade: the connect loop treats it as a transport failure.
          reject(new ConnectFailure('transport', `WebSocket closed before welcome (${event.code} ${event.reason || 'no reason'}).`));
          return;
        }
        this.end({ code: event.code, reason: event.reason || 'closed' });
      };
      socket.onerror = () => {
        // Browsers follow with onclose; Node 20's WebSocket does not after a refused upgrade, so settle here too.
        if (!welcomed) {
          clearTimeout(timer);
          reject(new ConnectFailure('transport', 'The WebSocket could not open (refused, blocked or not a 101).'));
        }
      };
    });
  }

  private receive(frame: ServerFrame): void {
    if ((frame.type === 'ack' || frame.type === 'error' || frame.type === 'pong') && typeof frame.id === 'number') {
      const request = this.pending.get(frame.id);
      if (request) {
        this.pending.delete(frame.id);
        if (frame.type === 'error') {
          request.reject(new RealtimeError(String(frame.code), String(frame.message ?? '')));
        } else {
          request.resolve(frame);
        }
        return;
      }
    }
    this.host.frame(this, frame);
  }

  private request(frame: Record<string, unknown>): Promise<ServerFrame> {
    const socket = this.socket;
    if (!socket || this.ended || socket.readyState !== 1) {
      return Promise.reject(new RealtimeError(ClientErrorCodes.connectionLost, 'The WebSocket is not open.'));
    }
    const id = this.nextId++;
    return new Promise<ServerFrame>((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      socket.send(JSON.stringify({ ...frame, id }));
    });
  }

  async subscribe(channel: string, since: number | undefined): Promise<number | undefined> {
    const ack = await this.request(since === undefined ? { type: 'subscribe', channel } : { type: 'subscribe', channel, since });
    return typeof ack.seq === 'number' ? ack.seq : undefined;
  }

  async unsubscribe(channel: string): Promise<void> {
    await this.request({ type: 'unsubscribe', channel });
  }

  async publish(channel: string, data: unknown): Promise<PublishAck> {
    const ack = await this.request({ type: 'publish', channel, data });
    return { seq: Number(ack.seq), msgId: String(ack.msgId) };
  }

  async typing(channel: string): Promise<void> {
    if (this.socket?.readyState === 1) {
      this.socket.send(JSON.stringify({ type: 'typing', channel }));
    }
  }

  private end(info: CloseInfo): void {
    if (this.ended) {
      return;
    }
    this.ended = true;
    this.closedWith = info;
    for (const request of this.pending.values()) {
      request.reject(new RealtimeError(ClientErrorCodes.connectionLost, `The connection closed (${info.code} ${info.reason}) before the reply.`));
    }
    this.pending.clear();
    this.host.closed(this, info);
  }

  close(): void {
    this.ended = true;
    for (const request of this.pending.values()) {
      request.reject(new RealtimeError(ClientErrorCodes.connectionLost, 'The connection was closed before the reply.'));
    }
    this.pending.clear();
    this.socket?.close(1000, 'bye');
  }
}

/**
 * Base of the two HTTP streaming transports: their channels are named in the URL, so a subscription change
 * restarts the request with every channel's position; sends go over POST.
 */
abstract class HttpStreamTransport implements Transport {
  abstract readonly name: TransportName;
  replica = '';
  closedWith: CloseInfo | undefined;
  protected readonly http: HttpCalls;
  protected abort = new AbortController();
  protected ended = false;
  /** The channels this stream carries, in the order they were added. */
  private readonly channels = new Set<string>();
  /** The subscription change in progress: the next one waits for it. */
  private restarting: Promise<void> = Promise.resolve();

  constructor(protected readonly host: TransportHost) {
    this.http = new HttpCalls(host);
  }

  async open(): Promise<void> {
    for (const position of this.host.positions()) {
      this.channels.add(position.channel);
    }
    if (this.channels.size === 0) {
      // Nothing subscribed yet: a stream of the user's own private channel proves the transport works (and
      // keeps the connection, so the state says connected honestly). Without a readable token: just ask the edge.
      const sub = subjectOf(await this.host.token(false));
      if (sub === undefined) {
        await this.openIdle();
        return;
      }
      this.idleChannel = `user:${sub}`;
    }
    await this.start(this.positions());
  }

  /** `user:{sub}`, streamed while no channel is subscribed; its messages go nowhere. */
  private idleChannel: string | undefined;

  protected idleChannelName(): string | undefined {
    return this.idleChannel;
  }

  /** Where the idle channel's stream stands (from the long-poll cursor): without it every poll would start over. */
  protected idlePosition: number | undefined;

  protected positions(): ChannelPosition[] {
    if (this.channels.size === 0 && this.idleChannel) {
      return [{ channel: this.idleChannel, seq: this.idlePosition }];
    }
    return [...this.channels].map(channel => ({ channel, seq: this.host.seqOf(channel) }));
  }

  /** No channel yet: nothing to stream, but the edge must answer (and say which replica). */
  private async openIdle(): Promise<void> {
    let response: Response;
    try {
      response = await this.http.request('GET', '/connect/info', undefined, AbortSignal.timeout(this.host.connectTimeoutMs));
    } catch (error) {
      throw new ConnectFailure('transport', `GET /connect/info failed: ${String(error)}`);
    }
    if (!response.ok) {
      const problem = await problemOf(response);
      throw failureOf(response, problem.code, problem.detail);
    }
    const info = (await response.json()) as { replica?: string };
    this.replica = info.replica ?? '';
  }

  /** Starts (or restarts) the stream for these channels; resolves on its welcome. */
  protected abstract start(positions: ChannelPosition[]): Promise<void>;

  async subscribe(channel: string): Promise<number | undefined> {
    this.channels.add(channel);
    try {
      await this.restart();
    } catch (error) {
      if (error instanceof RealtimeError && CHANNEL_REFUSALS.has(error.code)) {
        // Only this channel was refused: carry on with the others.
        this.channels.delete(channel);
        void this.restart().catch(() => undefined);
      }
      throw error;
    }
    return undefined;
  }

  async unsubscribe(channel: string): Promise<void> {
    if (this.channels.delete(channel)) {
      await this.restart();
    }
  }

  private restart(): Promise<void> {
    const next = this.restarting.catch(() => undefined).then(async () => {
      if (this.ended) {
        throw new RealtimeError(ClientErrorCodes.connectionLost, 'The stream ended.');
      }
      this.stopStream();
      if (this.channels.size === 0 && !this.idleChannel) {
        return;
      }
      try {
        await this.start(this.positions());
      } catch (error) {
        if (error instanceof ConnectFailure && error.code && CHANNEL_REFUSALS.has(error.code)) {
          throw new RealtimeError(error.code, error.message);
        }
        this.end({ code: 1006, reason: error instanceof Error ? error.message : String(error), afterMs: error instanceof ConnectFailure ? error.retryAfterMs : undefined });
        throw new RealtimeError(ClientErrorCodes.connectionLost, 'The stream could not be restarted.');
      }
    });
    this.restarting = next;
    return next;
  }

  protected stopStream(): void {
    this.abort.abort();
    this.abort = new AbortController();
  }

  publish(channel: string, data: unknown): Promise<PublishAck> {
    return this.http.publish(channel, data);
  }

  typing(channel: string): Promise<void> {
    return this.http.typing(channel);
  }

  protected end(info: CloseInfo): void {
    if (this.ended) {
      return;
    }
    this.ended = true;
    this.closedWith = info;
    this.abort.abort();
    this.host.closed(this, info);
  }

  close(): void {
    this.ended = true;
    this.abort.abort();
  }

  protected async connectRequest(path: string, signal: AbortSignal): Promise<Response> {
    let response: Response;
    try {
      response = await this.http.request('GET', path, undefined, signal);
    } catch (error) {
      throw new ConnectFailure('transport', `GET ${path.split('?')[0]} failed: ${String(error)}`);
    }
    if (!response.ok) {
      const problem = await problemOf(response);
      throw failureOf(response, problem.code, problem.detail);
    }
    this.replica = response.headers.get(REPLICA_HEADER) ?? this.replica;
    return response;
  }
}

class ServerSentEventsTransport extends HttpStreamTransport {
  readonly name = 'sse';

  protected async start(positions: ChannelPosition[]): Promise<void> {
    const controller = this.abort;
    const query = new URLSearchParams({ channels: positions.map(p => p.channel).join(',') });
    const resumeFrom = positionToken(positions);
    if (resumeFrom) {
      query.set('lastEventId', resumeFrom);
    }
    const timeout = setTimeout(() => controller.abort(), this.host.connectTimeoutMs);
    let response: Response;
    try {
      response = await this.connectRequest(`/connect/sse?${query}`, controller.signal);
    } catch (error) {
      clearTimeout(timeout);
      throw error;
    }
    const body = response.body;
    if (!body) {
      clearTimeout(timeout);
      throw new ConnectFailure('transport', 'The SSE response has no body.');
    }
    await new Promise<void>((resolve, reject) => {
      let welcomed = false;
      void this.read(body, (frame, id) => {
        if (!welcomed && frame.type === 'welcome') {
          welcomed = true;
          clearTimeout(timeout);
          this.replica = String(frame.replica ?? this.replica);
          if (typeof frame.affinity === 'string' && frame.affinity) {
            this.host.affinity = frame.affinity;
          }
          // The welcome's id holds the positions the stream starts from: where "from now" is for a channel
          // subscribed without one, so a reconnect before its first message resumes from there.
          for (const { channel, seq } of parsePositionToken(id)) {
            this.host.frame(this, { type: 'position', channel, seq });
          }
          resolve();
          return;
        }
        this.host.frame(this, frame);
      }).then(() => {
        clearTimeout(timeout);
        if (!welcomed) {
          reject(new ConnectFailure('transport', 'The SSE stream ended before its welcome.'));
        } else if (controller === this.abort && !controller.signal.aborted) {
          this.end({ code: 1006, reason: 'stream ended' });
        }
      });
    });
  }

  /** Parses `text/event-stream` from a fetch body: `event:`, `data:` (joined by newlines), `id:`, comments ignored. */
  private async read(body: ReadableStream<Uint8Array>, onFrame: (frame: ServerFrame, id: string | undefined) => void): Promise<void> {
    const reader = body.getReader();
    const decoder = new TextDecoder();
    let text = '';
    let eventName = 'message';
    let data: string[] = [];
    let id: string | undefined;
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) {
          return;
        }
        text += decoder.decode(value, { stream: true });
        let newline: number;
        while ((newline = text.search(/\r\n|\r|\n/)) >= 0) {
          const line = text.slice(0, newline);
          text = text.slice(newline + (text.startsWith('\r\n', newline) ? 2 : 1));
          if (line === '') {
            if (data.length > 0) {
              try {
                const frame = JSON.parse(data.join('\n')) as ServerFrame;
                frame.type ??= eventName;
                onFrame(frame, id);
              } catch {
                // Not JSON: not ours to deliver.
              }
            }
            eventName = 'message';
            data = [];
            id = undefined;
            continue;
          }
          if (line.startsWith(':')) {
            continue; // heartbeat
          }
          const colon = line.indexOf(':');
          const field = colon < 0 ? line : line.slice(0, colon);
          const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
          if (field === 'event') {
            eventName = value;
          } else if (field === 'data') {
            data.push(value);
          } else if (field === 'id') {
            // Read for the welcome's positions; later ids are the positions the client delivered, which it builds itself.
            id = value;
          }
        }
      }
    } catch {
      // Aborted or the connection broke: the caller decides.
    } finally {
      reader.releaseLock();
    }
  }
}

class LongPollingTransport extends HttpStreamTransport {
  readonly name = 'long-polling';
  private loop: Promise<void> | undefined;

  /**
   * The first poll answers at once when it must say where "from now" starts (a durable channel without a
   * position), or refuses at once; otherwise the server holds it like any other, which means it was accepted.
   */
  protected async start(positions: ChannelPosition[]): Promise<void> {
    const controller = this.abort;
    const first = this.poll(positions, controller.signal);
    first.catch(() => undefined); // observed by the race below or by the loop
    let timer: ReturnType<typeof setTimeout> | undefined;
    const held = new Promise<'held'>(resolve => (timer = setTimeout(() => resolve('held'), Math.min(1000, this.host.connectTimeoutMs))));
    try {
      const outcome = await Promise.race([first, held]);
      if (outcome === 'held') {
        this.loop = this.run(controller, first);
        return;
      }
      this.deliver(outcome, true);
    } finally {
      clearTimeout(timer);
    }
    this.loop = this.run(controller);
  }

  private async poll(positions: ChannelPosition[], signal: AbortSignal): Promise<{ events: ServerFrame[]; cursor: string }> {
    const query = new URLSearchParams({ channels: positions.map(p => p.channel).join(',') });
    const cursor = positionToken(positions);
    if (cursor) {
      query.set('cursor', cursor);
    }
    const response = await this.connectRequest(`/connect/poll?${query}`, signal);
    try {
      return (await response.json()) as { events: ServerFrame[]; cursor: string };
    } catch (error) {
      throw new ConnectFailure('transport', `A poll's answer could not be read: ${String(error)}`);
    }
  }

  private deliver(batch: { events: ServerFrame[]; cursor: string }, first: boolean): void {
    for (const frame of batch.events ?? []) {
      if (frame.type === 'welcome') {
        this.replica = String(frame.replica ?? this.replica);
        if (typeof frame.affinity === 'string' && frame.affinity) {
          this.host.affinity = frame.affinity;
        }
        continue;
      }
      this.host.frame(this, frame);
    }
    // The cursor names a start position for channels that had none ("from now").
    for (const { channel, seq } of parsePositionToken(batch.cursor)) {
      if (channel === this.idleChannelName()) {
        this.idlePosition = seq;
      }
      this.host.frame(this, { type: 'position', channel, seq });
    }
    void first;
  }

  private async run(controller: AbortController, pending?: Promise<{ events: ServerFrame[]; cursor: string }>): Promise<void> {
    while (!this.ended && controller === this.abort && !controller.signal.aborted) {
      try {
        const batch = await (pending ?? this.poll(this.positions(), controller.signal));
        pending = undefined;
        if (controller.signal.aborted) {
          return;
        }
        this.deliver(batch, false);
      } catch (error) {
        if (controller.signal.aborted || controller !== this.abort) {
          return; // a restart or a close
        }
        const failure = error instanceof ConnectFailure ? error : undefined;
        this.end({ code: 1006, reason: failure?.message ?? String(error), afterMs: failure?.retryAfterMs });
        return;
      }
    }
  }

  override close(): void {
    super.close();
    void this.loop;
  }
}

// ───────────────────────────── 4. RealtimeClient ─────────────────────────────

const STORAGE_KEY = 'realtime-aspire:transport';

function defaultStorage(): Pick<Storage, 'getItem' | 'setItem'> {
  try {
    const session = (globalThis as { sessionStorage?: Storage }).sessionStorage;
    if (session) {
      return session;
    }
  } catch {
    // sessionStorage refused (privacy mode): fall back to memory.
  }
  const memory = new Map<string, string>();
  return { getItem: key => memory.get(key) ?? null, setItem: (key, value) => void memory.set(key, value) };
}

function safely(action: () => void): void {
  try {
    action();
  } catch (error) {
    // An application handler threw: report it without breaking delivery to the others.
    setTimeout(() => {
      throw error;
    });
  }
}

/** Seconds until a JWT's `exp`, or undefined when the token is not a readable JWT. */
function secondsLeft(token: string): number | undefined {
  const exp = claimsOf(token)?.exp;
  return typeof exp === 'number' ? exp - Date.now() / 1000 : undefined;
}

type StateListener = (state: ConnectionState) => void;

interface SubscriptionEntry {
  stream: ChannelStream;
  ready: Promise<void>;
  settle: { resolve(): void; reject(error: RealtimeError): void };
  settled: boolean;
  /** The connection this subscription was (or is being) subscribed on: each connection subscribes it once. */
  subscribedOn?: Transport;
  /**
   * The connections the server holds it on (subscribe answered, or the stream opened with it): during a background
   * upgrade the candidate as well as the current one. Unsubscribing gives it up on each.
   */
  heldOn: Set<Transport>;
  /** The application unsubscribed: a subscribe answered after this is undone by the code that awaited it. */
  stopped: boolean;
}

export class RealtimeClient {
  readonly edgeUrl: URL;
  private readonly options: Required<Omit<RealtimeClientOptions, 'token' | 'WebSocket' | 'storage' | 'affinity'>> & Pick<RealtimeClientOptions, 'WebSocket'>;
  private readonly tokenSource: RealtimeClientOptions['token'];
  private readonly storage: Pick<Storage, 'getItem' | 'setItem'> | null;
  private readonly subscriptions = new Map<string, SubscriptionEntry>();
  private readonly listeners = new Set<StateListener>();
  private readonly http: HttpCalls;
  private readonly host: TransportHost;
  private cachedToken: string | undefined;
  private transport: Transport | undefined;
  private currentState: ConnectionState = { state: 'connecting' };
  private closedByUser = false;
  private lost: ((info: CloseInfo) => void) | undefined;
  private wake: (() => void) | undefined;
  private upgradeTimer: ReturnType<typeof setTimeout> | undefined;
  private connectedWaiters: Array<{ resolve(): void; reject(error: RealtimeError): void }> = [];

  constructor(edgeUrl: string | URL, options: RealtimeClientOptions) {
    if (!options || (typeof options.token !== 'string' && typeof options.token !== 'function')) {
      throw new TypeError('options.token is required: a token or a function returning one.');
    }
    const transports = options.transports ?? [...ALL_TRANSPORTS];
    if (transports.length === 0 || transports.some(t => !ALL_TRANSPORTS.includes(t))) {
      throw new TypeError(`options.transports must name some of ${ALL_TRANSPORTS.join(', ')}.`);
    }
    const base = typeof globalThis.location === 'object' ? globalThis.location.href : undefined;
    this.edgeUrl = new URL(edgeUrl, base);
    this.tokenSource = options.token;
    this.storage = options.storage === undefined ? defaultStorage() : options.storage;
    this.options = {
      transports,
      backoff: { baseMs: options.backoff?.baseMs ?? 500, maxMs: options.backoff?.maxMs ?? 15000 },
      connectTimeoutMs: options.connectTimeoutMs ?? 5000,
      upgradeAfterMs: options.upgradeAfterMs ?? 60000,
      gapFillAfterMs: options.gapFillAfterMs ?? 500,
      fetch: options.fetch ?? globalThis.fetch.bind(globalThis),
      random: options.random ?? Math.random,
      WebSocket: options.WebSocket ?? (globalThis as { WebSocket?: typeof WebSocket }).WebSocket,
    };
    const client = this;
    this.host = {
      edgeUrl: this.edgeUrl,
      fetch: this.options.fetch,
      WebSocket: this.options.WebSocket,
      connectTimeoutMs: this.options.connectTimeoutMs,
      affinity: options.affinity || null,
      token: refresh => client.token(refresh),
      positions: () => client.positions(),
      seqOf: channel => client.subscriptions.get(channel)?.stream.lastSeq,
      frame: (transport, frame) => client.onFrame(transport, frame),
      closed: (transport, info) => {
        if (transport === client.transport) {
          client.lost?.(info);
        }
      },
    };
    this.http = new HttpCalls(this.host);
    void this.run();
  }

  /** The current connection state; {@link on} reports every change. */
  get state(): ConnectionState {
    return this.currentState;
  }

  on(event: 'state', listener: StateListener): () => void {
    if (event !== 'state') {
      throw new TypeError(`Unknown event '${String(event)}'.`);
    }
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  subscribe<T = unknown>(channel: string, options: SubscribeOptions<T> = {}): Subscription {
    if (this.closedByUser) {
      throw new RealtimeError(ClientErrorCodes.closed, 'The client is closed.');
    }
    if (this.subscriptions.has(channel)) {
      throw new RealtimeError('already_subscribed', `Already subscribed to ${channel}.`);
    }
    let settle!: SubscriptionEntry['settle'];
    const ready = new Promise<void>((resolve, reject) => (settle = { resolve, reject }));
    ready.catch(() => undefined); // observed through the subscription
    const stream = new ChannelStream(channel, options as SubscribeOptions, options.since,
      (after, limit) => this.history(channel, { after, limit }), this.options.gapFillAfterMs);
    const entry: SubscriptionEntry = { stream, ready, settle, settled: false, heldOn: new Set(), stopped: false };
    this.subscriptions.set(channel, entry);
    const transport = this.currentState.state === 'connected' ? this.transport : undefined;
    if (transport) {
      void this.subscribeOn(transport, entry);
    }
    const client = this;
    return {
      channel,
      get lastSeq() {
        return stream.lastSeq;
      },
      ready,
      unsubscribe: () => client.unsubscribe(channel),
    };
  }

  private async subscribeOn(transport: Transport, entry: SubscriptionEntry): Promise<void> {
    if (entry.subscribedOn === transport || entry.stopped) {
      return;
    }
    entry.subscribedOn = transport;
    try {
      const seq = await transport.subscribe(entry.stream.channel, entry.stream.lastSeq);
      if (await this.giveBackIfStopped(transport, entry)) {
        return;
      }
      if (seq !== undefined) {
        entry.stream.startAt(seq);
      }
      this.settle(entry);
    } catch (error) {
      if (error instanceof RealtimeError && error.code !== ClientErrorCodes.connectionLost) {
        this.refuse(entry, error);
      }
      // connection_lost: the next connection subscribes again.
    }
  }

  private settle(entry: SubscriptionEntry): void {
    if (!entry.settled) {
      entry.settled = true;
      entry.settle.resolve();
    }
  }

  private refuse(entry: SubscriptionEntry, error: RealtimeError): void {
    entry.stopped = true;
    entry.stream.stop();
    if (this.subscriptions.get(entry.stream.channel) === entry) {
      this.subscriptions.delete(entry.stream.channel);
    }
    // Refused here, it may still be held on the connection it came from: it ends there too.
    for (const held of entry.heldOn) {
      if (!held.closedWith) {
        void held.unsubscribe(entry.stream.channel).catch(() => undefined);
      }
    }
    entry.heldOn.clear();
    safely(() => entry.stream.handlers.onError?.(error));
    if (!entry.settled) {
      entry.settled = true;
      entry.settle.reject(error);
    }
  }

  /**
   * Records that the server holds the subscription on this connection; when the application unsubscribed meanwhile
   * (so {@link unsubscribe} could not know this connection yet), unsubscribes it there instead. True when given back.
   */
  private async giveBackIfStopped(transport: Transport, entry: SubscriptionEntry): Promise<boolean> {
    if (!entry.stopped) {
      for (const held of entry.heldOn) {
        if (held.closedWith) {
          entry.heldOn.delete(held); // a closed connection holds nothing on the server
        }
      }
      entry.heldOn.add(transport);
      return false;
    }
    await transport.unsubscribe(entry.stream.channel).catch(() => undefined);
    return true;
  }

  /**
   * Gives the subscription up on every live connection that holds it: the current one and, during a background
   * upgrade, the candidate that subscribed it (adopted, it would keep the channel subscribed on the server). A
   * subscribe still on its way is undone where it completes ({@link giveBackIfStopped}).
   */
  async unsubscribe(channel: string): Promise<void> {
    const entry = this.subscriptions.get(channel);
    if (!entry) {
      return;
    }
    entry.stopped = true;
    entry.stream.stop();
    this.subscriptions.delete(channel);
    const held = [...entry.heldOn].filter(transport => !transport.closedWith);
    entry.heldOn.clear();
    await Promise.all(held.map(transport => transport.unsubscribe(channel).catch(() => undefined)));
  }

  /** Publishes and resolves on the durable ack; rejects with a {@link RealtimeError} carrying the protocol's code. */
  async publish<T = unknown>(channel: string, data: T): Promise<PublishAck> {
    const transport = await this.connected();
    return transport.publish(channel, data);
  }

  /** A typing hint (at most one per user and channel per interval goes out; extra ones are dropped by the server). */
  async typing(channel: string): Promise<void> {
    const transport = await this.connected();
    await transport.typing(channel);
  }

  /** The presence API: who is in the channel. */
  presence(channel: string, options: { countOnly?: boolean; limit?: number } = {}): Promise<ChannelPresence> {
    const query = new URLSearchParams();
    if (options.countOnly) {
      query.set('countOnly', 'true');
    }
    if (options.limit !== undefined) {
      query.set('limit', String(options.limit));
    }
    return this.http.json<ChannelPresence>('GET', `/api/channels/${encodeURIComponent(channel)}/presence${query.size ? `?${query}` : ''}`);
  }

  /** The history API: persisted messages in ascending order, `after` (forward) or `before` (scroll-back). */
  history(channel: string, query: HistoryQuery = {}): Promise<HistoryPage> {
    const params = new URLSearchParams();
    if (query.after !== undefined) {
      params.set('after', String(query.after));
    }
    if (query.before !== undefined) {
      params.set('before', String(query.before));
    }
    if (query.limit !== undefined) {
      params.set('limit', String(query.limit));
    }
    return this.http.json<HistoryPage>('GET', `/api/channels/${encodeURIComponent(channel)}/messages${params.size ? `?${params}` : ''}`);
  }

  close(): void {
    if (this.closedByUser) {
      return;
    }
    this.closedByUser = true;
    clearTimeout(this.upgradeTimer);
    for (const entry of this.subscriptions.values()) {
      entry.stream.stop();
    }
    this.transport?.close();
    this.lost?.({ code: 1000, reason: 'closed by the application' });
    this.wake?.();
    this.setState({ state: 'disconnected', code: 1000, reason: 'closed by the application' });
    for (const waiter of this.connectedWaiters.splice(0)) {
      waiter.reject(new RealtimeError(ClientErrorCodes.closed, 'The client is closed.'));
    }
  }

  // The connect loop: one connection at a time; when it is lost, wait (drain delay, Retry-After or backoff) and go again.
  private async run(): Promise<void> {
    let attempt = 0;
    let reason = 'connect';
    while (!this.closedByUser) {
      let delayMs: number;
      try {
        const transport = await this.connect();
        attempt = 0;
        const info = transport.closedWith ?? (await new Promise<CloseInfo>(resolve => {
          this.lost = resolve;
        }));
        this.lost = undefined;
        clearTimeout(this.upgradeTimer);
        transport.close();
        this.transport?.close(); // a background upgrade may have replaced it
        if (this.closedByUser) {
          return;
        }
        reason = info.reason;
        delayMs = info.afterMs ?? this.backoff(attempt);
      } catch (error) {
        if (this.closedByUser) {
          return;
        }
        const failure = error instanceof ConnectFailure ? error : undefined;
        reason = failure?.message ?? String(error);
        delayMs = Math.max(failure?.retryAfterMs ?? 0, this.backoff(attempt));
      }
      attempt++;
      this.setState({ state: 'reconnecting', attempt, delayMs, reason });
      await new Promise<void>(resolve => {
        const timer = setTimeout(resolve, delayMs);
        this.wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.wake = undefined;
    }
  }

  private backoff(attempt: number): number {
    const { baseMs = 500, maxMs = 15000 } = this.options.backoff;
    return Math.floor(this.options.random() * Math.min(maxMs, baseMs * 2 ** attempt));
  }

  /** Tries the remembered transport, then the others best first; a server refusal (429, 503) ends the round. */
  private async connect(): Promise<Transport> {
    if (this.currentState.state !== 'reconnecting') {
      this.setState({ state: 'connecting' });
    }
    const allowed = this.options.transports;
    const remembered = this.storage?.getItem(STORAGE_KEY) as TransportName | null;
    const order = remembered && allowed.includes(remembered) ? [remembered, ...allowed.filter(t => t !== remembered)] : [...allowed];
    let last: unknown;
    for (const name of order) {
      try {
        const transport = await this.open(name);
        await this.resubscribe(transport);
        this.storage?.setItem(STORAGE_KEY, name);
        this.adopt(transport);
        return transport;
      } catch (error) {
        last = error;
        if (this.closedByUser) {
          throw error;
        }
        if (error instanceof ConnectFailure && error.kind === 'server') {
          throw error; // the server asked us to wait: another transport would be refused the same way
        }
      }
    }
    throw last instanceof ConnectFailure ? last : new ConnectFailure('transport', String(last));
  }

  private async open(name: TransportName): Promise<Transport> {
    for (let attempt = 0; ; attempt++) {
      const transport = this.create(name);
      // The transport's own frames reach the client only once it is the current one; until then they are held.
      this.opening = transport;
      // A stream opens with the subscriptions accepted before (read as open() starts): held there once it is open.
      const opensWith = name === 'websocket' ? [] : [...this.subscriptions.values()].filter(e => e.settled);
      try {
        await transport.open();
        for (const entry of opensWith) {
          // Unsubscribed while the stream opened with it: given back; else it is subscribed there already.
          if (!(await this.giveBackIfStopped(transport, entry))) {
            entry.subscribedOn = transport;
          }
        }
        return transport;
      } catch (error) {
        transport.close();
        if (error instanceof ConnectFailure && error.kind === 'unauthorized' && attempt === 0) {
          await this.token(true);
          continue;
        }
        if (name === 'websocket' && attempt === 0 && typeof this.tokenSource === 'function'
          && error instanceof ConnectFailure && error.kind === 'transport' && !error.timedOut) {
          // A WebSocket hides the 401 of a refused upgrade: refused at once, it may be the token. Try once with a fresh one.
          await this.token(true);
          continue;
        }
        throw error instanceof ConnectFailure ? error : new ConnectFailure('transport', String(error));
      } finally {
        if (this.opening === transport) {
          this.opening = undefined;
        }
      }
    }
  }

  private opening: Transport | undefined;

  /**
   * Subscribes on a new connection before it becomes the current one: on a WebSocket every channel, resumed from
   * its last sequence; a stream already carries the ones accepted before, so only the new ones.
   */
  private async resubscribe(transport: Transport): Promise<void> {
    this.opening = transport;
    try {
      // A stream is already subscribed to those it opened with (open()): only the others, accepted since, go now.
      const entries = [...this.subscriptions.values()].filter(e => e.subscribedOn !== transport);
      if (transport.name === 'websocket') {
        await Promise.all(entries.map(entry => this.subscribeOn(transport, entry)));
      } else {
        for (const entry of entries) {
          await this.subscribeOn(transport, entry);
        }
      }
    } finally {
      if (this.opening === transport) {
        this.opening = undefined;
      }
    }
  }

  private create(name: TransportName): Transport {
    switch (name) {
      case 'websocket':
        return new WebSocketTransport(this.host);
      case 'sse':
        return new ServerSentEventsTransport(this.host);
      case 'long-polling':
        return new LongPollingTransport(this.host);
    }
  }

  private adopt(transport: Transport): void {
    const previous = this.transport;
    this.transport = transport;
    if (previous && previous !== transport) {
      previous.close();
    }
    this.setState({ state: 'connected', transport: transport.name, replica: transport.replica });
    // Subscriptions made while this connection was opening.
    for (const entry of this.subscriptions.values()) {
      if (entry.subscribedOn !== transport) {
        void this.subscribeOn(transport, entry);
      }
    }
    for (const waiter of this.connectedWaiters.splice(0)) {
      waiter.resolve();
    }
    this.scheduleUpgrade(transport);
  }

  /** On a worse transport than the best allowed: after a while, try the better ones again without dropping this one. */
  private scheduleUpgrade(transport: Transport): void {
    clearTimeout(this.upgradeTimer);
    const better = this.options.transports.slice(0, this.options.transports.indexOf(transport.name));
    if (better.length === 0 || this.options.upgradeAfterMs <= 0) {
      return;
    }
    this.upgradeTimer = setTimeout(async () => {
      for (const name of better) {
        if (this.transport !== transport || this.closedByUser) {
          return;
        }
        try {
          const candidate = await this.open(name);
          await this.resubscribe(candidate);
          if (this.transport !== transport || this.closedByUser || candidate.closedWith) {
            candidate.close();
            return;
          }
          this.storage?.setItem(STORAGE_KEY, name);
          this.adopt(candidate); // de-duplication makes the overlap harmless
          return;
        } catch {
          // still blocked: stay where we are
        }
      }
      this.scheduleUpgrade(transport);
    }, this.options.upgradeAfterMs);
  }

  private connected(): Promise<Transport> {
    if (this.closedByUser) {
      return Promise.reject(new RealtimeError(ClientErrorCodes.closed, 'The client is closed.'));
    }
    if (this.currentState.state === 'connected' && this.transport) {
      return Promise.resolve(this.transport);
    }
    return new Promise<void>((resolve, reject) => this.connectedWaiters.push({ resolve, reject })).then(() => this.transport!);
  }

  private async token(refresh: boolean): Promise<string> {
    if (!refresh && this.cachedToken !== undefined && (secondsLeft(this.cachedToken) ?? 1) > 0) {
      return this.cachedToken;
    }
    const source = this.tokenSource;
    this.cachedToken = typeof source === 'function' ? await source() : source;
    return this.cachedToken;
  }

  private positions(): ChannelPosition[] {
    return [...this.subscriptions.values()].filter(e => e.settled).map(e => ({ channel: e.stream.channel, seq: e.stream.lastSeq }));
  }

  private onFrame(transport: Transport, frame: ServerFrame): void {
    if (transport !== this.transport && transport !== this.opening) {
      return; // a replaced connection's last words
    }
    const channel = typeof frame.channel === 'string' ? frame.channel : '';
    const entry = this.subscriptions.get(channel);
    switch (frame.type) {
      case 'message':
        entry?.stream.accept(frame as unknown as MessageFrame);
        break;
      case 'position':
        entry?.stream.startAt(Number(frame.seq));
        break;
      case 'presence':
        if (entry) {
          safely(() => entry.stream.handlers.onPresence?.({
            channel,
            joined: (frame.joined as PresenceUser[]) ?? [],
            left: (frame.left as PresenceUser[]) ?? [],
            count: frame.count as number | undefined,
            summary: frame.summary as PresenceEvent['summary'],
          }));
        }
        break;
      case 'typing':
        if (entry) {
          safely(() => entry.stream.handlers.onTyping?.({ channel, user: String(frame.user) }));
        }
        break;
      case 'reconnect':
        this.host.closed(transport, { code: 1012, reason: String(frame.reason ?? 'reconnect'), afterMs: Number(frame.afterMs ?? 0) });
        break;
      case 'error':
        if (entry) {
          safely(() => entry.stream.handlers.onError?.(new RealtimeError(String(frame.code), String(frame.message ?? ''))));
        }
        break;
      default:
        break;
    }
  }

  private setState(state: ConnectionState): void {
    this.currentState = state;
    for (const listener of [...this.listeners]) {
      safely(() => listener(state));
    }
  }
}
