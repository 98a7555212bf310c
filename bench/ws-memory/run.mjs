// Memory per idle agent WebSocket: the server's VmRSS before and after opening N sockets on
// /api/v1/ws, then one inbound message whose `message.created` frame every socket must get.
// Started by run.sh, which raises the fd limit (Node 20 needs --experimental-websocket).
const USAGE = `usage: bench/ws-memory/run.sh [BINARY] [RUNS] [SOCKETS]
  (node --experimental-websocket bench/ws-memory/run.mjs BINARY RUNS SOCKETS, fd limit raised)
  env WS_SERVER_NOFILE=N starts the server with \`ulimit -n N\` (what happens at the fd limit)`;
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { tempDir, setupInboxAndAgent, startServer, postInbound, rssBytes, cpuTicks, loadavg, request,
         sleep, parseArgs } from '../lib/meridian.mjs';

const [bin, runs] = parseArgs(USAGE, { websocket: true });
const total = Number(process.argv[4] || 5000);
const BATCH = 100;
const MARK = 'ws-memory broadcast';
const stuck = [];  // sockets never accepted, closed at the end of the run

function open(url, sockets) {
  return new Promise((res) => {
    const ws = new WebSocket(url);
    const s = { ws, got: null, closed: false };
    ws.addEventListener('message', (e) => {
      if (s.got === null && e.data.includes(MARK) && e.data.includes('"type":"message.created"')) s.got = performance.now();
    });
    ws.addEventListener('close', () => { s.closed = true; });
    // A connection the server never accepts (fd limit) stays in the listen backlog: give up.
    const timer = setTimeout(() => { stuck.push(ws); res(false); }, 10000);
    ws.addEventListener('open', () => { clearTimeout(timer); sockets.push(s); res(true); }, { once: true });
    ws.addEventListener('error', () => { clearTimeout(timer); res(false); }, { once: true });
  });
}

async function gauge(base) {
  const r = await request(base, 'GET', '/metrics', { timeoutMs: 5000 }).catch(() => ({ body: '' }));
  const m = r.body.match(/^meridian_websocket_connections(?:\{[^}]*\})? (\d+)/m);
  return m ? Number(m[1]) : NaN;
}

for (let run = 1; run <= runs; run++) {
  const data = join(tempDir('meridian-bench-ws-'), 'data');
  const { inbox, token } = setupInboxAndAgent(bin, data);
  const server = await startServer(bin, data, [], { nofile: process.env.WS_SERVER_NOFILE });
  const pid = server.proc.pid;
  const url = `${server.wsBase}/api/v1/ws?token=${encodeURIComponent(token)}`;
  // Warm-up: one socket and one message through every path, so one-time allocations are excluded.
  const warm = [];
  await open(url, warm);
  await postInbound(server.base, inbox, { message_id: 'warm', sender: { id: 'c', name: 'C' }, text: 'warm', timestamp: 1764000000 });
  await sleep(500);
  warm[0].ws.close();
  await sleep(1000);
  const before = rssBytes(pid);

  const sockets = [];
  let failed = 0;
  let at1000 = null;
  const t0 = performance.now();
  for (let i = 0; i < total; i += BATCH) {
    const ok = await Promise.all(Array.from({ length: Math.min(BATCH, total - i) }, () => open(url, sockets)));
    failed += ok.filter((x) => !x).length;
    if (at1000 === null && sockets.length >= Math.min(1000, total)) at1000 = { n: sockets.length, rss: rssBytes(pid) };
  }
  const openSeconds = (performance.now() - t0) / 1000;
  await sleep(2000);
  const after = rssBytes(pid);
  const serverCount = await gauge(server.base);
  // Idle cost: server CPU over 5 s with every socket open and silent.
  const ticks0 = cpuTicks(pid);
  await sleep(5000);
  const idleCpuPct = (cpuTicks(pid) - ticks0) / 5;  // 100 ticks/s: ticks per 5 s / 5 = % of a core

  const sent = performance.now();
  const clientCpu0 = process.cpuUsage();
  const serverTicks0 = cpuTicks(pid);
  const r = await postInbound(server.base, inbox, { message_id: 'broadcast', sender: { id: 'c', name: 'C' },
                                                    text: MARK, timestamp: 1764000000 })
    .catch((e) => ({ status: `failed(${e.message})`.replace(/ /g, '_') }));
  const deadline = sent + 10000;
  while (performance.now() < deadline && sockets.some((s) => s.got === null && !s.closed)) await sleep(10);
  // CPU both sides spent on the fan-out (until the last socket got it or the deadline), to tell
  // which side the spread between the first and the last socket comes from.
  const clientCpu = process.cpuUsage(clientCpu0);
  const serverCpuMs = (cpuTicks(pid) - serverTicks0) * 10;
  const got = sockets.filter((s) => s.got !== null);
  const firstMs = got.length ? Math.min(...got.map((s) => s.got - sent)) : NaN;
  const lastMs = got.length ? Math.max(...got.map((s) => s.got - sent)) : NaN;
  const closedEarly = sockets.filter((s) => s.closed).length;

  for (const s of sockets) s.ws.close();
  for (const ws of stuck.splice(0)) ws.close();
  await sleep(3000);
  const afterClose = rssBytes(pid);
  const kb = (b) => Math.round(b / 1024);
  console.log(`run=${run} sockets=${sockets.length} open_failed=${failed} open_s=${openSeconds.toFixed(1)} ` +
              `server_ws_gauge=${serverCount} rss_before_kb=${kb(before)} rss_after_kb=${kb(after)} ` +
              `bytes_per_conn=${Math.round((after - before) / sockets.length)} ` +
              `slope_bytes_per_conn=${at1000 && sockets.length > at1000.n ? Math.round((after - at1000.rss) / (sockets.length - at1000.n)) : 'na'} ` +
              `idle_cpu_pct=${idleCpuPct.toFixed(1)} post_status=${r.status} ` +
              `broadcast_received=${got.length}/${sockets.length} broadcast_first_ms=${firstMs.toFixed(1)} ` +
              `broadcast_last_ms=${lastMs.toFixed(1)} broadcast_cpu_ms_server=${serverCpuMs} ` +
              `broadcast_cpu_ms_client=${Math.round((clientCpu.user + clientCpu.system) / 1000)} ` +
              `closed_by_server=${closedEarly} rss_after_close_kb=${kb(afterClose)} load=${loadavg()}`);
  const x = await server.stop();
  if (x.code !== 0) console.log(`# server exit code=${x.code} signal=${x.signal}: ${server.stderr().slice(-2000)}`);
}
