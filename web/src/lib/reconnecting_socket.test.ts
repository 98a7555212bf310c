import { describe, expect, it } from 'vitest';
import { FakeSocket, ManualTimers } from './test_doubles';
import { ReconnectingSocket } from './reconnecting_socket';

function setup() {
  const timers = new ManualTimers();
  const sockets: FakeSocket[] = [];
  const frames: Record<string, unknown>[] = [];
  let opens = 0;
  const socket = new ReconnectingSocket({
    url: () => 'ws://test/api/v1/ws',
    createSocket: (url) => {
      const s = new FakeSocket(url);
      sockets.push(s);
      return s;
    },
    onMessage: (f) => frames.push(f),
    onOpen: () => opens++,
    backoff: { baseMs: 1000, maxMs: 8000, random: () => 0.999999 },
    pingIntervalMs: 10_000,
    setTimer: timers.set,
    clearTimer: timers.clear,
  });
  return { timers, sockets, frames, socket, opens: () => opens };
}

describe('ReconnectingSocket', () => {
  it('reconnects with growing delays and resets them after a successful open', () => {
    const { timers, sockets, socket, opens } = setup();
    socket.start();
    expect(sockets).toHaveLength(1);
    sockets[0].drop();
    timers.advance(1000);
    expect(sockets).toHaveLength(2); // first retry within the base delay
    sockets[1].drop();
    timers.advance(1000);
    expect(sockets).toHaveLength(2); // second retry waits up to 2 s
    timers.advance(1000);
    expect(sockets).toHaveLength(3);
    sockets[2].open();
    expect(opens()).toBe(1);
    expect(socket.currentState).toBe('open');
    sockets[2].drop();
    timers.advance(1000);
    expect(sockets).toHaveLength(4); // back to the short delay
  });

  it('delivers frames, swallows pongs and garbage', () => {
    const { sockets, frames, socket } = setup();
    socket.start();
    sockets[0].open();
    sockets[0].push({ type: 'message.created', id: 1 });
    sockets[0].push({ type: 'pong' });
    sockets[0].onmessage?.({ data: 'not json' });
    expect(frames).toEqual([{ type: 'message.created', id: 1 }]);
  });

  it('pings, and reconnects when a ping goes unanswered', () => {
    const { timers, sockets, socket } = setup();
    socket.start();
    sockets[0].open();
    timers.advance(10_000);
    expect(sockets[0].sent).toEqual([{ type: 'ping' }]);
    sockets[0].push({ type: 'pong' });
    timers.advance(10_000);
    expect(sockets[0].sent).toHaveLength(2);
    timers.advance(10_000); // no pong this time
    expect(sockets[0].closed).toBe(true);
    timers.advance(1000);
    expect(sockets).toHaveLength(2);
  });

  it('send() refuses while not open; stop() ends retries', () => {
    const { timers, sockets, socket } = setup();
    socket.start();
    expect(socket.send({ type: 'typing' })).toBe(false);
    sockets[0].drop();
    socket.stop();
    timers.advance(60_000);
    expect(sockets).toHaveLength(1);
    expect(timers.pending).toBe(0);
  });
});
