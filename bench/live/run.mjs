// Live delivery latency: from POSTing a signed inbound API message to the agent WebSocket's
// `message.created` frame carrying it, (a) on an idle server and (b) while bench/load's wrk
// ingest load (64 connections, pre-signed bodies) runs against the same server.
// Run with `node --experimental-websocket` (Node 20's global WebSocket client).
const USAGE = `usage: node --experimental-websocket bench/live/run.mjs [BINARY] [RUNS]
  defaults: build/release/meridian 3; env LIVE_SECONDS (sampling seconds per phase, default 10),
  LIVE_INTERVAL_MS (one probe every N ms, default 5)`;
import { spawn, execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { REPO, tempDir, setupInboxAndAgent, startServer, postInbound, percentile, loadavg,
         sleep, parseArgs } from '../lib/meridian.mjs';

const [bin, runs] = parseArgs(USAGE, { websocket: true });
const seconds = Number(process.env.LIVE_SECONDS || 10);
const intervalMs = Number(process.env.LIVE_INTERVAL_MS || 5);
const CONNS = 64;

// Sends one probe every intervalMs for `seconds`; resolves the latencies of those delivered.
async function sample(base, inbox, socket, run, phase) {
  const pending = new Map();  // text -> send time
  const latencies = [];
  const acks = [];
  let failed = 0;
  socket.onProbe = (text, at) => {
    const sent = pending.get(text);
    if (sent === undefined) return;
    pending.delete(text);
    latencies.push(at - sent);
  };
  const inflight = [];
  const end = performance.now() + seconds * 1000;
  let n = 0;
  while (performance.now() < end) {
    const text = `live probe ${run} ${phase} ${n}`;
    const payload = { message_id: `probe-${run}-${phase}-${n}`, sender: { id: 'probe-contact', name: 'Probe' },
                      text, timestamp: 1764000000 };
    n++;
    const sent = performance.now();
    pending.set(text, sent);
    inflight.push(postInbound(base, inbox, payload).then((r) => {
      if (r.status !== 200) failed++;
      else acks.push(performance.now() - sent);
    }, () => { failed++; }));
    await sleep(intervalMs);
  }
  await Promise.all(inflight);
  const deadline = performance.now() + 5000;
  while (pending.size > 0 && performance.now() < deadline) await sleep(20);
  socket.onProbe = null;
  const f = (v) => v.toFixed(2);
  return `probes=${n} delivered=${latencies.length} post_failed=${failed} ` +
         `p50_ms=${f(percentile(latencies, 50))} p99_ms=${f(percentile(latencies, 99))} ` +
         `max_ms=${f(Math.max(...latencies))} ack_p50_ms=${f(percentile(acks, 50))} ack_p99_ms=${f(percentile(acks, 99))}`;
}

async function openAgentSocket(wsBase, token) {
  const ws = new WebSocket(`${wsBase}/api/v1/ws?token=${encodeURIComponent(token)}`);
  const socket = { ws, frames: 0, closed: null, onProbe: null };
  ws.addEventListener('message', (e) => {
    const at = performance.now();
    socket.frames++;
    // Only probes are parsed: under load the socket also carries every ingested message.
    if (socket.onProbe && e.data.includes('live probe ') && e.data.includes('"type":"message.created"')) {
      const f = JSON.parse(e.data);
      if (f.type === 'message.created') socket.onProbe(f.message.text, at);
    }
  });
  ws.addEventListener('close', (e) => { socket.closed = `code=${e.code}`; });
  await new Promise((res, rej) => {
    ws.addEventListener('open', res, { once: true });
    ws.addEventListener('error', () => rej(new Error('agent WebSocket failed to open')), { once: true });
  });
  return socket;
}

for (let run = 1; run <= runs; run++) {
  const work = tempDir('meridian-bench-live-');
  const data = join(work, 'data');
  const { inbox, token } = setupInboxAndAgent(bin, data);
  const requests = join(work, 'requests.tsv');
  execFileSync('node', [join(REPO, 'bench/load/gen_requests.mjs'), inbox.secret, String(Math.round(20000 * (seconds + 6))), requests]);
  const server = await startServer(bin, data);
  const socket = await openAgentSocket(server.wsBase, token);
  // A few probes first so that connections and statements are warm.
  for (let i = 0; i < 20; i++) {
    await postInbound(server.base, inbox, { message_id: `warm-${i}`, sender: { id: 'probe-contact', name: 'Probe' },
                                            text: `warm ${i}`, timestamp: 1764000000 });
  }
  const idle = await sample(server.base, inbox, socket, run, 'idle');
  console.log(`run=${run} phase=idle ${idle} socket_closed=${socket.closed ?? 'no'} load=${loadavg()}`);

  const framesBefore = socket.frames;
  const wrk = spawn('wrk', ['-t1', `-c${CONNS}`, `-d${seconds + 4}s`, '-s', join(REPO, 'bench/load/ingest.lua'), server.base],
                    { env: { ...process.env, MERIDIAN_INBOX: String(inbox.id), MERIDIAN_REQUESTS: requests },
                      stdio: ['ignore', 'pipe', 'inherit'] });
  let wrkOut = '';
  wrk.stdout.on('data', (d) => { wrkOut += d; });
  const wrkDone = new Promise((r) => wrk.on('exit', r));
  await sleep(2000);
  const loadAvgDuring = loadavg();
  const loaded = await sample(server.base, inbox, socket, run, 'load');
  await wrkDone;
  const summary = (wrkOut.split('\n').find((l) => l.startsWith('requests=')) || 'wrk=none').replace(/ /g, ' wrk_').replace(/^/, 'wrk_');
  console.log(`run=${run} phase=load ${loaded} ${summary} ws_frames=${socket.frames - framesBefore} ` +
              `socket_closed=${socket.closed ?? 'no'} load=${loadAvgDuring}`);
  socket.ws.close();
  const r = await server.stop();
  if (r.code !== 0) console.log(`# server exit code=${r.code} signal=${r.signal}: ${server.stderr().slice(-2000)}`);
}
