// How fast this disk makes a file durable, alone and with several fdatasyncs of the same file in
// flight at once (what the store's sync threads do; src/store/sqlite/writer.h).
// usage: node bench/store/fsync_probe.mjs [DIR] [SYNCS_PER_LOOP]   (default: var/, 100)
// Prints, per concurrency: syncs/s and the p50/p90/p99 latency of one pwrite(8 KiB)+fdatasync.
import { mkdirSync, openSync, closeSync, unlinkSync, writeSync, fsyncSync } from 'node:fs';
import { promisify } from 'node:util';
import * as fs from 'node:fs';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';

const dir = process.argv[2] ?? 'var';
const perLoop = Number(process.argv[3] ?? 100);
const size = 8192;
const pwrite = promisify(fs.write);
const datasync = promisify(fs.fdatasync);
mkdirSync(dir, { recursive: true });

async function probe(loops) {
  const path = join(dir, `fsync-probe-${process.pid}.tmp`);
  const fd = openSync(path, 'w+');
  writeSync(fd, Buffer.alloc(size * loops * perLoop));  // written in place: no size change
  fsyncSync(fd);
  const latencies = [];
  const buf = randomBytes(size);
  const start = process.hrtime.bigint();
  await Promise.all(Array.from({ length: loops }, async (_, k) => {
    for (let i = 0; i < perLoop; i++) {
      await pwrite(fd, buf, 0, size, (k * perLoop + i) * size);
      const t = process.hrtime.bigint();
      await datasync(fd);
      latencies.push(Number(process.hrtime.bigint() - t) / 1e6);
    }
  }));
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  closeSync(fd);
  unlinkSync(path);
  latencies.sort((a, b) => a - b);
  const q = (p) => latencies[Math.min(latencies.length - 1, Math.floor(latencies.length * p))].toFixed(2);
  console.log(`in_flight=${loops} syncs_per_s=${(latencies.length / seconds).toFixed(0)} ` +
              `p50_ms=${q(0.5)} p90_ms=${q(0.9)} p99_ms=${q(0.99)}`);
}

for (const loops of [1, 2, 4]) await probe(loops);
