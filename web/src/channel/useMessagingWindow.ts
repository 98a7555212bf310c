// The open conversation's messaging window: fetched from the server when the conversation opens
// and whenever the customer writes again (a new message reopens the window), counted down every
// second in between, and fetched again when a deadline passes.

import { useEffect, useState } from 'react';
import { api } from '../api/client';
import type { MessagingWindow } from '../api/types';
import { viewWindow, type WindowView } from './window_model';

export function useMessagingWindow(conversationId: number, lastInboundId: number | null) {
  const [current, setCurrent] = useState<MessagingWindow | null>(null);
  const [now, setNow] = useState(() => Date.now());

  useEffect(() => {
    let cancelled = false;
    api.conversation(conversationId).then(
      (c) => !cancelled && setCurrent(c.window ?? null),
      () => undefined,
    );
    return () => {
      cancelled = true;
    };
  }, [conversationId, lastInboundId]);

  const counting = current !== null && (current.state === 'open' || current.state === 'human_agent_only');
  useEffect(() => {
    if (!counting) return;
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, [counting]);

  const view: WindowView | null = viewWindow(current, now);
  return { window: current, view };
}
