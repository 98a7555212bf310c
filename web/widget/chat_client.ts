// The widget's conversation with the server (docs/api.md "Web chat widget"): session token
// kept per inbox, history, one WebSocket with backoff, acknowledged sends with re-send after
// reconnect. No DOM here: the UI renders whatever state this reports.

import { backoffDelay } from '../src/lib/backoff';
import { ReconnectingSocket, type SocketLike, type SocketState } from '../src/lib/reconnecting_socket';
import { Outbox, type OutgoingMessage, type StorageLike } from './outbox';

export interface WidgetMessage {
  id: number;
  direction: 'in' | 'out';
  sender_kind: 'customer' | 'agent' | 'bot' | 'system';
  sender: { id: number; name: string } | null;
  text: string;
  status: string;
  client_message_id: string | null;
  created_at: string;
  /** A reply the agent wrote in another language: `text` is the translation, this their words. */
  original?: { text: string; language: string };
}

/** What the UI shows: confirmed messages in order, then the ones still waiting for an ack. */
export interface ChatSnapshot {
  connection: SocketState | 'starting';
  messages: WidgetMessage[];
  pending: OutgoingMessage[];
}

export interface ChatClientOptions {
  origin: string;
  inboxId: string;
  locale?: string;
  storage: StorageLike | null;
  fetch?: typeof fetch;
  createSocket?: (url: string) => SocketLike;
  setTimer?: (fn: () => void, ms: number) => unknown;
  clearTimer?: (handle: unknown) => void;
  onChange: (snapshot: ChatSnapshot) => void;
  /** A new message from the agent or bot arrived (for the unread dot). */
  onIncoming?: (message: WidgetMessage) => void;
  onAgentTyping?: () => void;
}

const TYPING_THROTTLE_MS = 3000;

export class ChatClient {
  private token: string | null;
  private readonly outbox: Outbox;
  private readonly messages = new Map<number, WidgetMessage>();
  private socket: ReconnectingSocket | null = null;
  private started = false;
  private sessionAttempt = 0;
  private lastTypingSent = 0;
  private resendAttempt = 0;
  private resendTimer: unknown = null;
  private connection: ChatSnapshot['connection'] = 'starting';
  private readonly fetchFn: typeof fetch;
  private readonly tokenKey: string;

  constructor(private readonly options: ChatClientOptions) {
    this.tokenKey = `meridian.widget.${options.inboxId}.token`;
    this.token = this.read(this.tokenKey);
    this.outbox = new Outbox(options.storage, `meridian.widget.${options.inboxId}.outbox`);
    this.fetchFn = options.fetch ?? ((input, init) => fetch(input, init));
  }

  /** Whether this browser already talked to this inbox (then we connect without waiting). */
  get hasSession(): boolean {
    return this.token !== null;
  }

  snapshot(): ChatSnapshot {
    const messages = [...this.messages.values()].sort(
      (a, b) => (Date.parse(a.created_at) || 0) - (Date.parse(b.created_at) || 0) || a.id - b.id,
    );
    return { connection: this.connection, messages, pending: this.outbox.all() };
  }

  /** Creates or resumes the session, loads the history and opens the socket. Idempotent. */
  start(): void {
    if (this.started) return;
    this.started = true;
    void this.openSession();
  }

  stop(): void {
    this.started = false;
    this.socket?.stop();
    this.socket = null;
  }

  send(text: string): void {
    const trimmed = text.trim();
    if (!trimmed) return;
    const message = this.outbox.add(trimmed);
    this.emit();
    this.transmit(message);
    this.start();
  }

  /** Tells the agent the visitor is typing; at most once every few seconds. */
  typing(now: number = Date.now()): void {
    if (now - this.lastTypingSent < TYPING_THROTTLE_MS) return;
    if (this.socket?.send({ type: 'typing' })) this.lastTypingSent = now;
  }

  private async openSession(): Promise<void> {
    while (this.started) {
      try {
        const body: Record<string, string> = {};
        if (this.token) body.token = this.token;
        if (this.options.locale) body.locale = this.options.locale;
        const response = await this.fetchFn(`${this.options.origin}/api/v1/widget/${encodeURIComponent(this.options.inboxId)}/session`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json' },
          body: JSON.stringify(body),
        });
        if (!response.ok) throw new Error('session ' + response.status);
        const session = (await response.json()) as { token: string };
        if (session.token !== this.token) {
          // A new visitor: anything we knew about the old one no longer applies.
          if (this.token) this.messages.clear();
          this.token = session.token;
          this.write(this.tokenKey, session.token);
        }
        this.sessionAttempt = 0;
        break;
      } catch {
        this.setConnection('closed');
        await this.sleep(backoffDelay(this.sessionAttempt++));
      }
    }
    if (!this.started) return;
    await this.loadHistory();
    this.openSocket();
  }

  private async loadHistory(): Promise<void> {
    if (!this.token) return;
    try {
      const response = await this.fetchFn(
        `${this.options.origin}/api/v1/widget/messages?token=${encodeURIComponent(this.token)}`,
      );
      if (!response.ok) return;
      const page = (await response.json()) as { items: WidgetMessage[] };
      this.merge(page.items ?? []);
      this.emit();
    } catch {
      /* the socket's reconnect will try again */
    }
  }

  private openSocket(): void {
    if (this.socket) return;
    const wsOrigin = this.options.origin.replace(/^http/, 'ws');
    this.socket = new ReconnectingSocket({
      url: () => `${wsOrigin}/api/v1/widget/ws?token=${encodeURIComponent(this.token ?? '')}`,
      createSocket: this.options.createSocket,
      setTimer: this.options.setTimer,
      clearTimer: this.options.clearTimer,
      onStateChange: (state) => this.setConnection(state),
      onOpen: () => this.onOpen(),
      onMessage: (frame) => this.onFrame(frame),
    });
    this.socket.start();
  }

  private onOpen(): void {
    // Re-send what was never acknowledged, oldest first, with the same client_message_id.
    for (const m of this.outbox.pending()) this.transmit(m);
    // Catch up on replies sent while we were away.
    void this.loadHistory();
  }

  private onFrame(frame: Record<string, unknown>): void {
    switch (frame.type) {
      case 'ack': {
        this.resendAttempt = 0;
        const message = frame.message as WidgetMessage | undefined;
        if (typeof frame.client_message_id === 'string') this.outbox.ack(frame.client_message_id);
        if (message && typeof message.id === 'number') this.merge([message]);
        this.emit();
        break;
      }
      case 'message':
      case 'message.updated': {
        const message = frame.message as WidgetMessage | undefined;
        if (!message || typeof message.id !== 'number') return;
        const isNew = !this.messages.has(message.id);
        this.merge([message]);
        this.emit();
        if (frame.type === 'message' && isNew && message.direction === 'out') this.options.onIncoming?.(message);
        break;
      }
      case 'typing':
        if (frame.sender_kind !== 'customer') this.options.onAgentTyping?.();
        break;
      case 'error':
        this.onError(frame);
        break;
    }
  }

  // The server refused a message. Rate limits and overload are temporary: send the queue again
  // after a backoff. Anything else (too long, invalid) will never succeed: show it as not sent.
  private onError(frame: Record<string, unknown>): void {
    const id = typeof frame.client_message_id === 'string' ? frame.client_message_id : null;
    const error = (frame.error ?? {}) as { code?: string };
    const status = typeof frame.status === 'number' ? frame.status : 0;
    const temporary = status === 429 || status >= 500 || error.code === 'rate_limited' || error.code === 'unavailable';
    if (!id || !this.outbox.has(id)) return;
    if (!temporary) {
      this.outbox.fail(id);
      this.emit();
      return;
    }
    if (this.resendTimer !== null) return;
    const schedule = this.options.setTimer ?? ((f, t) => setTimeout(f, t));
    this.resendTimer = schedule(() => {
      this.resendTimer = null;
      for (const m of this.outbox.pending()) this.transmit(m);
    }, backoffDelay(this.resendAttempt++, { baseMs: 1000 }));
  }

  private transmit(message: OutgoingMessage): void {
    this.socket?.send({ type: 'message', client_message_id: message.client_message_id, text: message.text });
  }

  private merge(items: WidgetMessage[]): void {
    for (const m of items) {
      this.messages.set(m.id, { ...this.messages.get(m.id), ...m });
      // Stored already (we learn it from history after a lost ack): nothing left to send.
      if (m.client_message_id) this.outbox.ack(m.client_message_id);
    }
  }

  private setConnection(state: ChatSnapshot['connection']): void {
    if (this.connection === state) return;
    this.connection = state;
    this.emit();
  }

  private emit(): void {
    this.options.onChange(this.snapshot());
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => (this.options.setTimer ?? ((f, t) => setTimeout(f, t)))(resolve, ms));
  }

  private read(key: string): string | null {
    try {
      return this.options.storage?.getItem(key) ?? null;
    } catch {
      return null;
    }
  }

  private write(key: string, value: string): void {
    try {
      this.options.storage?.setItem(key, value);
    } catch {
      /* private mode: the session lasts for this page only */
    }
  }
}
