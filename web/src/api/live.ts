// The tab's one WebSocket to /api/v1/ws. Components subscribe to its events; nothing else
// opens a socket (DESIGN.md: one WebSocket per browser tab).

import { ReconnectingSocket, type SocketState } from '../lib/reconnecting_socket';
import { api } from './client';
import type { AgentEvent } from './types';

type Listener = (event: AgentEvent) => void;
type StateListener = (state: SocketState, reconnected: boolean) => void;

class LiveConnection {
  private readonly listeners = new Set<Listener>();
  private readonly stateListeners = new Set<StateListener>();
  private opened = false;
  private readonly socket = new ReconnectingSocket({
    url: () => {
      const proto = location.protocol === 'https:' ? 'wss:' : 'ws:';
      return `${proto}//${location.host}/api/v1/ws`;
    },
    onMessage: (frame) => {
      if (typeof frame.type !== 'string') return;
      this.listeners.forEach((l) => l(frame as unknown as AgentEvent));
    },
    onStateChange: (state) => {
      // A socket that keeps failing may mean the session ended: ask, and a 401 shows the login.
      if (state === 'closed' && this.opened) api.me().catch(() => undefined);
      const reconnected = state === 'open' && this.opened;
      if (state === 'open') this.opened = true;
      this.stateListeners.forEach((l) => l(state, reconnected));
    },
  });

  start(): void {
    this.socket.start();
    window.addEventListener('online', this.onOnline);
  }

  stop(): void {
    this.opened = false;
    window.removeEventListener('online', this.onOnline);
    this.socket.stop();
  }

  get state(): SocketState {
    return this.socket.currentState;
  }

  subscribe(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** `reconnected` is true when the socket opens again after a drop: listeners refetch then. */
  onState(listener: StateListener): () => void {
    this.stateListeners.add(listener);
    return () => this.stateListeners.delete(listener);
  }

  sendTyping(conversationId: number): void {
    this.socket.send({ type: 'typing', conversation_id: conversationId });
  }

  private readonly onOnline = () => this.socket.reconnectNow();
}

export const live = new LiveConnection();
