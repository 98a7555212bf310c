// The agent workspace: filters and the conversation list on the left, the open conversation
// on the right, keyboard shortcuts everywhere (RT6 keyboard-first).

import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { live } from '../api/live';
import type { Agent, AssigneeFilter, Conversation, Language, StatusFilter } from '../api/types';
import type { SocketState } from '../lib/reconnecting_socket';
import { ConversationView, type ConversationAction } from '../conversation/ConversationView';
import { TRANSLATION_LANGUAGES } from '../conversation/LanguagePicker';
import { ConversationList } from '../inbox/ConversationList';
import { stepSelection } from '../inbox/list_model';
import { useConversationList } from '../inbox/useConversationList';
import { LANGUAGES } from '../i18n';
import { ShortcutsHelp } from './ShortcutsHelp';
import { DeadLetterList } from '../channel/DeadLetterList';

interface Props {
  me: Agent;
  onLanguage: (language: Language) => void;
  /** The language the agent reads and writes messages in; null = the team's default. */
  onTranslationLanguage: (language: string | null) => void;
  onLogout: () => void;
}

/** Languages an agent may read and write messages in (any code the engines know is accepted). */

const ASSIGNEE_FILTERS: { value: AssigneeFilter; key: string }[] = [
  { value: 'me', key: 'filters.mine' },
  { value: 'none', key: 'filters.unassigned' },
  { value: 'any', key: 'filters.all' },
];
const STATUS_FILTERS: StatusFilter[] = ['open', 'pending', 'resolved', 'all'];

export function conversationFromPath(pathname: string): number | null {
  const m = /^\/conversations\/(\d+)\/?$/.exec(pathname);
  return m ? Number(m[1]) : null;
}

function isTextField(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  return target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName);
}

export function Workspace({ me, onLanguage, onTranslationLanguage, onLogout }: Props) {
  const { t, i18n } = useTranslation();
  const [assignee, setAssignee] = useState<AssigneeFilter>('any');
  const [status, setStatus] = useState<StatusFilter>('open');
  const filter = useMemo(() => ({ status, assignee }), [status, assignee]);
  const list = useConversationList(filter, me.id);
  // The open conversation lives in the URL (/conversations/ID), so a reload keeps it open.
  const [selectedId, setSelectedId] = useState<number | null>(conversationFromPath(location.pathname));
  const [showHelp, setShowHelp] = useState(false);
  const [showDeadLetters, setShowDeadLetters] = useState(false);
  const [connection, setConnection] = useState<SocketState>(live.state);
  const replyRef = useRef<HTMLTextAreaElement>(null);
  const actionRef = useRef<((a: ConversationAction) => void) | null>(null);

  useEffect(() => live.onState((s) => setConnection(s)), []);

  // Unread conversations in the tab title, so a background tab shows there is work waiting.
  const unreadConversations = list.items.reduce((n, c) => n + (c.unread_count > 0 ? 1 : 0), 0);
  useEffect(() => {
    document.title = (unreadConversations > 0 ? `(${unreadConversations}) ` : '') + t('app.name');
  }, [unreadConversations, t]);

  useEffect(() => {
    const path = selectedId === null ? '/' : `/conversations/${selectedId}`;
    if (location.pathname !== path) history.replaceState(null, '', path);
  }, [selectedId]);

  const onConversationChanged = useCallback((c: Conversation) => list.update(c), [list.update]);

  const move = useCallback(
    (step: number) => {
      const next = stepSelection(list.items, selectedId, step);
      if (next !== null) setSelectedId(next);
    },
    [list.items, selectedId],
  );

  useEffect(() => {
    function onKey(e: KeyboardEvent) {
      if (e.defaultPrevented || e.ctrlKey || e.metaKey || e.altKey) return;
      if (isTextField(e.target)) {
        if (e.key === 'Escape') (e.target as HTMLElement).blur();
        return;
      }
      switch (e.key) {
        case 'j':
        case 'ArrowDown':
          move(1);
          break;
        case 'k':
        case 'ArrowUp':
          move(-1);
          break;
        case 'r':
          if (!replyRef.current) return;
          replyRef.current.focus();
          break;
        case 'e':
          actionRef.current?.('resolve');
          break;
        case '?':
          setShowHelp((v) => !v);
          break;
        case 'Escape':
          setShowHelp(false);
          break;
        default:
          return;
      }
      e.preventDefault();
    }
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, [move]);

  return (
    <div className={'workspace' + (selectedId !== null ? ' has-selection' : '')}>
      <header className="topbar">
        <div className="brand">
          <span className="brand-mark small" aria-hidden="true">M</span>
          {t('app.name')}
        </div>
        <span className={'connection ' + connection} data-testid="connection-state" data-state={connection}>
          {t('app.connection.' + connection)}
        </span>
        <div className="topbar-right">
          {me.role !== 'agent' && (
            <>
            <a className="link" href="/templates" data-testid="templates-link">
              {t('templates.editor.title')}
            </a>
            <a className="link" href="/inboxes" data-testid="inboxes-link">
              {t('inboxes.link')}
            </a>
            <button className="link" onClick={() => setShowDeadLetters(true)} data-testid="dead-letters-button">
              {t('deadLetters.button')}
            </button>
            </>
          )}
          <button className="link" onClick={() => setShowHelp(true)} data-testid="shortcuts-button">
            {t('app.shortcutsButton')}
          </button>
          <label className="lang">
            <span className="sr-only">{t('app.language')}</span>
            <select
              value={i18n.language}
              onChange={(e) => onLanguage(e.target.value as Language)}
              data-testid="language-select"
              aria-label={t('app.language')}
            >
              {LANGUAGES.map((l) => (
                <option key={l} value={l}>
                  {t('languages.' + l)}
                </option>
              ))}
            </select>
          </label>
          <label className="lang">
            <span className="sr-only">{t('app.translationLanguage')}</span>
            <select
              value={me.translation_language ?? ''}
              onChange={(e) => onTranslationLanguage(e.target.value || null)}
              data-testid="translation-language-select"
              aria-label={t('app.translationLanguage')}
              title={t('app.translationLanguage')}
            >
              <option value="">
                {t('app.translationDefault', {
                  language: t('langName.' + (me.working_language ?? 'en'), { defaultValue: me.working_language ?? 'en' }),
                })}
              </option>
              {me.translation_language && !TRANSLATION_LANGUAGES.includes(me.translation_language) && (
                <option value={me.translation_language}>{me.translation_language}</option>
              )}
              {TRANSLATION_LANGUAGES.map((l) => (
                <option key={l} value={l}>
                  {t('app.readsIn', { language: t('langName.' + l, { defaultValue: l }) })}
                </option>
              ))}
            </select>
          </label>
          <span className="me" title={me.email}>
            {t('app.signedInAs', { name: me.name })}
          </span>
          <button className="link" onClick={onLogout} data-testid="logout-button">
            {t('app.logout')}
          </button>
        </div>
      </header>

      <aside className="sidebar">
        <div className="filters" role="group" aria-label={t('filters.label')}>
          <div className="segmented">
            {ASSIGNEE_FILTERS.map((f) => (
              <button
                key={f.value}
                className={assignee === f.value ? 'active' : ''}
                aria-pressed={assignee === f.value}
                onClick={() => setAssignee(f.value)}
                data-testid={'filter-' + f.value}
              >
                {t(f.key)}
              </button>
            ))}
          </div>
          <select
            value={status}
            onChange={(e) => setStatus(e.target.value as StatusFilter)}
            aria-label={t('filters.status')}
            data-testid="filter-status"
          >
            {STATUS_FILTERS.map((s) => (
              <option key={s} value={s}>
                {t('status.' + s)}
              </option>
            ))}
          </select>
        </div>
        <ConversationList list={list} selectedId={selectedId} onSelect={setSelectedId} />
        <footer className="list-footer">
          {t('list.loaded', { count: list.items.length })}
          {list.hasMore ? '+' : ''} · <kbd>j</kbd>/<kbd>k</kbd> <kbd>r</kbd> <kbd>e</kbd> <kbd>?</kbd>
        </footer>
      </aside>

      <main className="main">
        {selectedId === null ? (
          <div className="empty-state">
            <h2>{t('conversation.select')}</h2>
            <p className="muted">{t('conversation.selectHint')}</p>
          </div>
        ) : (
          <ConversationView
            key={selectedId}
            conversationId={selectedId}
            initial={list.items.find((c) => c.id === selectedId) ?? null}
            me={me}
            replyRef={replyRef}
            actionRef={actionRef}
            onChanged={onConversationChanged}
            onBack={() => setSelectedId(null)}
            onOpenConversation={setSelectedId}
          />
        )}
      </main>

      {showHelp && <ShortcutsHelp onClose={() => setShowHelp(false)} />}
      {showDeadLetters && (
        <DeadLetterList
          onClose={() => setShowDeadLetters(false)}
          onOpenConversation={(id) => {
            setShowDeadLetters(false);
            setSelectedId(id);
          }}
        />
      )}
    </div>
  );
}
