// The widget's conversation with the server (docs/api.md "Web chat widget"): session token
// kept per inbox, history, one WebSocket with backoff, acknowledged sends with re-send after
// reconnect. No DOM here: the UI renders whatever state this reports.

import { backoffDelay } from '../src/lib/backoff';
import { ReconnectingSocket, type SocketLike, type SocketState } from '../src/lib/reconnecting_socket';
import { newClientMessageId, Outbox, type OutgoingMessage, type StorageLike } from './outbox';

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
  /** Files sent with the message; `url` is signed for this visitor and relative to the origin. */
  attachments?: WidgetAttachment[];
}

export interface WidgetAttachment {
  id: number;
  name: string;
  content_type: string;
  size: number;
  url: string;
}

/** A file the visitor is sending: shown with its progress until the server stored it. */
export interface PendingUpload {
  client_message_id: string;
  name: string;
  size: number;
  /** 0..1 of the bytes sent. */
  progress: number;
  /** Why it was refused; the upload is over and stays shown until dismissed. */
  error?: UploadError;
  created_at: string;
}

export type UploadError = 'too_large' | 'unsupported_type' | 'failed';

/** The types the server accepts (sniffed from the bytes there; this only spares a round trip). */
export const UPLOAD_TYPES = ['image/jpeg', 'image/png', 'image/gif', 'image/webp', 'application/pdf', 'text/plain'];

/** The part of XMLHttpRequest an upload needs (a fake in tests). */
export interface UploadRequest {
  open(method: string, url: string): void;
  setRequestHeader(name: string, value: string): void;
  send(body: Blob): void;
  abort(): void;
  readonly status: number;
  readonly responseText: string;
  onload: (() => void) | null;
  onerror: (() => void) | null;
  upload: { onprogress: ((e: { loaded: number; total: number; lengthComputable: boolean }) => void) | null };
}

/** What the UI shows: confirmed messages in order, then the ones still waiting for an ack. */
export interface ChatSnapshot {
  connection: SocketState | 'starting';
  messages: WidgetMessage[];
  pending: OutgoingMessage[];
  uploads: PendingUpload[];
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
  createUploadRequest?: () => UploadRequest;
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
  private readonly uploads = new Map<string, PendingUpload>();
  /** The largest file the server takes (from the session); 0 until known. */
  private maxUploadBytes = 0;

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
    return { connection: this.connection, messages, pending: this.outbox.all(), uploads: [...this.uploads.values()] };
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

  /**
   * Sends a file (CH9) over HTTP with the visitor's token, with an optional caption. Shown with
   * its progress until stored; a type or size the server would refuse is refused here at once.
   */
  sendFile(file: Blob & { name?: string }, caption = '', id: string = newClientMessageId()): void {
    const upload: PendingUpload = { client_message_id: id, name: file.name || 'file', size: file.size, progress: 0, created_at: new Date().toISOString() };
    this.uploads.set(id, upload);
    if (file.type && !UPLOAD_TYPES.includes(file.type)) upload.error = 'unsupported_type';
    else if (this.maxUploadBytes > 0 && file.size > this.maxUploadBytes) upload.error = 'too_large';
    this.emit();
    if (upload.error) return;
    this.start();
    void this.transmitFile(upload, file, caption);
  }

  /** Removes a refused upload from view. */
  dismissUpload(id: string): void {
    if (this.uploads.delete(id)) this.emit();
  }

  /** The largest file the server accepts, once the session told it (0 before). */
  get uploadLimit(): number {
    return this.maxUploadBytes;
  }

  private async transmitFile(upload: PendingUpload, file: Blob, caption: string): Promise<void> {
    // The token comes with the session; wait for it (the session retries on its own).
    while (!this.token && this.started) await this.sleep(200);
    if (!this.token) return;
    const request = this.options.createUploadRequest?.() ?? (new XMLHttpRequest() as unknown as UploadRequest);
    request.open('POST', `${this.options.origin}/api/v1/widget/uploads`);
    request.setRequestHeader('Authorization', `Bearer ${this.token}`);
    request.setRequestHeader('Content-Type', file.type || 'application/octet-stream');
    request.setRequestHeader('X-Filename', encodeURIComponent(upload.name));
    request.setRequestHeader('X-Client-Message-Id', upload.client_message_id);
    if (caption.trim()) request.setRequestHeader('X-Caption', encodeURIComponent(caption.trim()));
    request.upload.onprogress = (e) => {
      if (!e.lengthComputable || e.total <= 0) return;
      upload.progress = Math.min(1, e.loaded / e.total);
      this.emit();
    };
    request.onerror = () => this.uploadFailed(upload, 'failed');
    request.onload = () => {
      if (request.status === 200 || request.status === 201) {
        try {
          const message = JSON.parse(request.responseText) as WidgetMessage;
          this.uploads.delete(upload.client_message_id);
          if (typeof message.id === 'number') this.merge([message]);
          this.emit();
          return;
        } catch {
          /* fall through: shown as failed */
        }
      }
      this.uploadFailed(upload, request.status === 413 ? 'too_large' : request.status === 415 ? 'unsupported_type' : 'failed');
    };
    request.send(file);
  }

  private uploadFailed(upload: PendingUpload, error: UploadError): void {
    if (!this.uploads.has(upload.client_message_id)) return;
    upload.error = error;
    this.emit();
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
        const session = (await response.json()) as { token: string; uploads?: { max_bytes?: number } };
        this.maxUploadBytes = session.uploads?.max_bytes ?? 0;
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
      if (m.client_message_id) {
        this.outbox.ack(m.client_message_id);
        this.uploads.delete(m.client_message_id);
      }
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
