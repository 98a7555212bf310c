// Splitting a message's text into plain runs and highlighted entity runs. The server reports
// spans as UTF-8 byte offsets (the same in every client language); JavaScript strings count
// UTF-16 code units, so offsets are converted here. Spans that overlap, run backwards or point
// past the text are skipped: the text itself is always shown whole.

export interface Span {
  start: number;
  end: number;
  type: string;
}

export interface Run {
  text: string;
  type?: string;
}

/** UTF-16 index of each UTF-8 byte offset that starts a code point (others map to -1). */
function byteToIndex(text: string): Int32Array {
  const map = new Int32Array(new TextEncoder().encode(text).length + 1).fill(-1);
  let bytes = 0;
  for (let i = 0; i < text.length; ) {
    map[bytes] = i;
    const cp = text.codePointAt(i)!;
    bytes += cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
    i += cp > 0xffff ? 2 : 1;
  }
  map[bytes] = text.length;
  return map;
}

export function highlight(text: string, spans: readonly Span[]): Run[] {
  if (spans.length === 0) return [{ text }];
  const map = byteToIndex(text);
  const runs: Run[] = [];
  let at = 0;
  for (const s of [...spans].sort((a, b) => a.start - b.start)) {
    if (s.start < 0 || s.end > map.length - 1 || s.end <= s.start) continue;
    const from = map[s.start];
    const to = map[s.end];
    if (from < 0 || to < 0 || from < at) continue;
    if (from > at) runs.push({ text: text.slice(at, from) });
    runs.push({ text: text.slice(from, to), type: s.type });
    at = to;
  }
  if (at < text.length) runs.push({ text: text.slice(at) });
  return runs;
}
