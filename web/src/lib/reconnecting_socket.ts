// A WebSocket that reconnects by itself with backoff and keeps the connection alive with
// pings. Used for the agent's one socket per tab and for the widget's socket.

import { backoffDelay, type BackoffOptions } from './backoff';

export type SocketState = 'connecting' | 'open' | 'closed';

export interface SocketLike {
  readyState: number;
  send(data: string): void;
  close(code?: number, reason?: string): void;
  onopen: ((ev: unknown) => void) | null;
  onclose: ((ev: unknown) => void) | null;
  onerror: ((ev: unknown) => void) | null;
  onmessage: ((ev: { data: unknown }) => void) | null;
}

export interface ReconnectingSocketOptions {
  /** Returns the URL to connect to (called before every attempt; may change, e.g. a token). */
  url: () => string;
  onMessage: (frame: Record<string, unknown>) => void;
  onOpen?: () => void;
  onStateChange?: (state: SocketState) => void;
  /** Defaults to the global WebSocket; tests pass a fake. */
  createSocket?: (url: string) => SocketLike;
  backoff?: BackoffOptions;
  /** How often to ping an open socket, ms. A missing pong within the same time reconnects. */
  pingIntervalMs?: number;
  setTimer?: (fn: () => void, ms: number) => unknown;
  clearTimer?: (handle: unknown) => void;
}

const OPEN = 1;

export class ReconnectingSocket {
  private socket: SocketLike | null = null;
  private attempt = 0;
  private retryTimer: unknown = null;
  private pingTimer: unknown = null;
  private awaitingPong = false;
  private stopped = true;
  private state: SocketState = 'closed';
  private readonly options: ReconnectingSocketOptions;

  constructor(options: ReconnectingSocketOptions) {
    this.options = options;
  }

  get currentState(): SocketState {
    return this.state;
  }

  get isOpen(): boolean {
    return this.socket !== null && this.socket.readyState === OPEN;
  }

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.connect();
  }

  stop(): void {
    this.stopped = true;
    this.clear(this.retryTimer);
    this.clear(this.pingTimer);
    this.retryTimer = this.pingTimer = null;
    const socket = this.socket;
    this.socket = null;
    if (socket) {
      socket.onclose = socket.onmessage = socket.onerror = socket.onopen = null;
      socket.close(1000, 'bye');
    }
    this.setState('closed');
  }

  /** Sends a JSON frame; returns false (and sends nothing) when the socket is not open. */
  send(frame: Record<string, unknown>): boolean {
    if (!this.isOpen) return false;
    this.socket!.send(JSON.stringify(frame));
    return true;
  }

  /** Drops the current connection and reconnects at once (e.g. the browser came back online). */
  reconnectNow(): void {
    if (this.stopped) return;
    this.attempt = 0;
    this.clear(this.retryTimer);
    this.retryTimer = null;
    this.dropSocket();
    this.connect();
  }

  private connect(): void {
    if (this.stopped) return;
    this.setState('connecting');
    let socket: SocketLike;
    try {
      const create = this.options.createSocket ?? ((url: string) => new WebSocket(url) as unknown as SocketLike);
      socket = create(this.options.url());
    } catch {
      this.scheduleRetry();
      return;
    }
    this.socket = socket;
    socket.onopen = () => {
      this.attempt = 0;
      this.awaitingPong = false;
      this.setState('open');
      this.schedulePing();
      this.options.onOpen?.();
    };
    socket.onmessage = (ev) => {
      if (typeof ev.data !== 'string') return;
      let frame: unknown;
      try {
        frame = JSON.parse(ev.data);
      } catch {
        return;
      }
      if (!frame || typeof frame !== 'object') return;
      const typed = frame as Record<string, unknown>;
      if (typed.type === 'pong') {
        this.awaitingPong = false;
        return;
      }
      this.options.onMessage(typed);
    };
    socket.onerror = () => {
      // onclose follows; it schedules the retry.
    };
    socket.onclose = () => {
      if (this.socket !== socket) return;
      this.socket = null;
      this.clear(this.pingTimer);
      this.pingTimer = null;
      this.scheduleRetry();
    };
  }

  private dropSocket(): void {
    const socket = this.socket;
    this.socket = null;
    this.clear(this.pingTimer);
    this.pingTimer = null;
    if (socket) {
      socket.onclose = socket.onmessage = socket.onerror = socket.onopen = null;
      try {
        socket.close(4000, 'reconnect');
      } catch {
        /* already closed */
      }
    }
  }

  private scheduleRetry(): void {
    if (this.stopped) return;
    this.setState('closed');
    const delay = backoffDelay(this.attempt++, this.options.backoff);
    this.retryTimer = this.timer(() => {
      this.retryTimer = null;
      this.connect();
    }, delay);
  }

  private schedulePing(): void {
    const interval = this.options.pingIntervalMs ?? 25_000;
    this.pingTimer = this.timer(() => {
      this.pingTimer = null;
      if (!this.isOpen) return;
      if (this.awaitingPong) {
        // The last ping went unanswered: the connection is dead even if the browser hasn't noticed.
        this.dropSocket();
        this.scheduleRetry();
        return;
      }
      this.awaitingPong = true;
      this.send({ type: 'ping' });
      this.schedulePing();
    }, interval);
  }

  private setState(state: SocketState): void {
    if (this.state === state) return;
    this.state = state;
    this.options.onStateChange?.(state);
  }

  private timer(fn: () => void, ms: number): unknown {
    return (this.options.setTimer ?? ((f, t) => setTimeout(f, t)))(fn, ms);
  }

  private clear(handle: unknown): void {
    if (handle === null || handle === undefined) return;
    (this.options.clearTimer ?? ((h) => clearTimeout(h as ReturnType<typeof setTimeout>)))(handle);
  }
}
