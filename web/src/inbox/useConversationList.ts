// The conversation list's state: cursor pages from the server plus live updates from the
// tab's socket, kept in the server's order.

import { useCallback, useEffect, useRef, useState } from 'react';
import { api } from '../api/client';
import { live } from '../api/live';
import type { Conversation } from '../api/types';
import { appendPage, applyUpdate, compareConversations, type ListFilter } from './list_model';

const PAGE_SIZE = 50;

export interface ConversationListState {
  items: Conversation[];
  loading: boolean;
  loadingMore: boolean;
  error: string | null;
  hasMore: boolean;
  loadMore: () => void;
  reload: () => void;
  /** Applies a conversation the client got from an action (assign, resolve, read...). */
  update: (c: Conversation) => void;
}

export function useConversationList(filter: ListFilter, meId: number): ConversationListState {
  const [items, setItems] = useState<Conversation[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [loading, setLoading] = useState(true);
  const [loadingMore, setLoadingMore] = useState(false);
  const [error, setError] = useState<string | null>(null);
  // Bumped on every filter change so answers to an old filter are ignored.
  const generation = useRef(0);
  const cursorRef = useRef<string | null>(null);
  cursorRef.current = cursor;
  const busyRef = useRef(false);

  const reload = useCallback(() => {
    const gen = ++generation.current;
    setLoading(true);
    setError(null);
    busyRef.current = true;
    api.conversations({ ...filter, limit: PAGE_SIZE }).then(
      (page) => {
        if (gen !== generation.current) return;
        busyRef.current = false;
        setItems(page.items.slice().sort(compareConversations));
        setCursor(page.next_cursor);
        setLoading(false);
      },
      (e: Error) => {
        if (gen !== generation.current) return;
        busyRef.current = false;
        setError(e.message);
        setLoading(false);
      },
    );
  }, [filter]);

  useEffect(() => {
    setItems([]);
    setCursor(null);
    reload();
  }, [reload]);

  const loadMore = useCallback(() => {
    if (busyRef.current || !cursorRef.current) return;
    const gen = generation.current;
    busyRef.current = true;
    setLoadingMore(true);
    api.conversations({ ...filter, cursor: cursorRef.current, limit: PAGE_SIZE }).then(
      (page) => {
        if (gen !== generation.current) return;
        busyRef.current = false;
        setItems((list) => appendPage(list, page.items));
        setCursor(page.next_cursor);
        setLoadingMore(false);
      },
      (e: Error) => {
        if (gen !== generation.current) return;
        busyRef.current = false;
        setError(e.message);
        setLoadingMore(false);
      },
    );
  }, [filter]);

  const update = useCallback(
    (c: Conversation) => setItems((list) => applyUpdate(list, c, filter, meId, cursorRef.current === null)),
    [filter, meId],
  );

  useEffect(() => {
    const offEvents = live.subscribe((event) => {
      if (event.type === 'message.created' || event.type === 'conversation.updated') update(event.conversation);
    });
    // After a drop we may have missed events: refetch the first page and merge it in.
    const offState = live.onState((_state, reconnected) => {
      if (!reconnected) return;
      const gen = generation.current;
      api.conversations({ ...filter, limit: PAGE_SIZE }).then((page) => {
        if (gen !== generation.current) return;
        setItems((list) => page.items.reduce((acc, c) => applyUpdate(acc, c, filter, meId, true), list));
      }, () => undefined);
    });
    return () => {
      offEvents();
      offState();
    };
  }, [update, filter, meId]);

  return { items, loading, loadingMore, error, hasMore: cursor !== null, loadMore, reload, update };
}
