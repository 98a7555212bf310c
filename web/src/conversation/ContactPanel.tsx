// The customer beside the conversation (CH8, RT6): every channel identity of the contact with its
// verified or claimed emails and phones, the contact's other conversations, possible duplicates
// (merge, supervisors), a split of selected identities (supervisors), and the whole history
// across channels in one time-ordered timeline. Reloads when contacts change live.

import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../api/client';
import { live } from '../api/live';
import type { Agent, Contact, DuplicateCandidate, TimelineMessage } from '../api/types';
import { formatTime } from '../lib/format';

interface Props {
  contactId: number;
  conversationId: number;
  me: Agent;
  onOpenConversation?: (id: number) => void;
}

/** Short marks for the channels we know; any other channel shows its name's first letters. */
const CHANNEL_MARKS: Record<string, string> = {
  whatsapp: 'WA',
  messenger: 'FB',
  instagram: 'IG',
  line: 'LN',
  telegram: 'TG',
  twilio: 'SMS',
  email: '@',
  webchat: 'WEB',
  api: 'API',
};

export function ChannelBadge({ channel }: { channel: string }) {
  const { t } = useTranslation();
  const name = t('channels.' + channel, { defaultValue: channel });
  return (
    <span className={'channel-badge channel-' + channel} title={name} data-testid="channel-badge">
      <span aria-hidden="true">{CHANNEL_MARKS[channel] ?? channel.slice(0, 3).toUpperCase()}</span>
      <span className="sr-only">{name}</span>
    </span>
  );
}

export function ContactPanel({ contactId, conversationId, me, onOpenConversation }: Props) {
  const { t, i18n } = useTranslation();
  const [contact, setContact] = useState<Contact | null>(null);
  const [duplicates, setDuplicates] = useState<DuplicateCandidate[]>([]);
  const [selected, setSelected] = useState<Set<number>>(new Set());
  const [timeline, setTimeline] = useState<TimelineMessage[] | null>(null);
  const [timelineCursor, setTimelineCursor] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const canMerge = me.role === 'supervisor' || me.role === 'admin';

  const load = useCallback(() => {
    api.contact(contactId).then(
      (c) => {
        setContact(c);
        setError(null);
      },
      (e: Error) => setError(e.message),
    );
    api.duplicates(contactId).then(
      (page) => setDuplicates(page.items),
      () => setDuplicates([]),
    );
  }, [contactId]);

  useEffect(() => {
    setContact(null);
    setSelected(new Set());
    setTimeline(null);
    load();
  }, [load]);

  useEffect(
    () =>
      live.subscribe((event) => {
        if (event.type !== 'contact.updated') return;
        if (event.contact_id === contactId || event.other_contact_ids.includes(contactId)) load();
        else if (duplicates.some((d) => event.other_contact_ids.includes(d.contact.id))) load();
      }),
    [contactId, duplicates, load],
  );

  const showTimeline = useCallback(
    (cursor: string | null) => {
      api.contactMessages(contactId, cursor).then(
        (page) => {
          setTimeline((list) => (cursor && list ? [...page.items, ...list] : page.items));
          setTimelineCursor(page.next_cursor);
        },
        (e: Error) => setError(e.message),
      );
    },
    [contactId],
  );

  const run = (call: Promise<unknown>) => {
    setBusy(true);
    setError(null);
    call.then(
      () => {
        setBusy(false);
        setSelected(new Set());
        load();
        if (timeline) showTimeline(null);
      },
      (e: Error) => {
        setBusy(false);
        setError(e.message);
      },
    );
  };

  const toggle = (id: number) =>
    setSelected((s) => {
      const next = new Set(s);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });

  const others = contact?.conversations.filter((c) => c.id !== conversationId) ?? [];
  return (
    <aside className="contact-panel" data-testid="contact-panel" data-contact-id={contactId} aria-label={t('contact.title')}>
      <h3>{contact?.name ?? '…'}</h3>
      {contact && (contact.email || contact.phone) && (
        <div className="muted small" data-testid="contact-reach">
          {[contact.email, contact.phone].filter(Boolean).join(' · ')}
        </div>
      )}
      {contact && (contact.country || contact.time_zone) && (
        <div className="muted small" data-testid="contact-locale">
          {t('contact.locale', {
            country: contact.country ?? t('contact.unknown'),
            zone: contact.time_zone ?? t('contact.unknown'),
          })}
        </div>
      )}
      {error && (
        <div className="banner error" role="alert" data-testid="contact-error">
          {t('contact.error', { message: error })}
        </div>
      )}

      <h4>{t('contact.identities', { n: contact?.identities.length ?? 0 })}</h4>
      <ul className="identities">
        {contact?.identities.map((i) => (
          <li key={i.id} data-testid="contact-identity" data-channel={i.channel}>
            {canMerge && contact.identities.length > 1 && (
              <input
                type="checkbox"
                checked={selected.has(i.id)}
                onChange={() => toggle(i.id)}
                aria-label={t('contact.selectForSplit', { name: i.inbox_name })}
                data-testid="split-select"
              />
            )}
            <ChannelBadge channel={i.channel} />
            <span className="identity-text">
              <span>{i.inbox_name}</span>
              <span className="muted small"> {i.external_id}</span>
              {i.attributes.map((a) => (
                <span key={a.kind + a.value} className={'attr' + (a.verified ? ' verified' : '')}>
                  {a.value} {a.verified ? t('contact.verified') : t('contact.unverified')}
                </span>
              ))}
            </span>
          </li>
        ))}
      </ul>
      {canMerge && selected.size > 0 && (
        <button
          disabled={busy || selected.size >= (contact?.identities.length ?? 0)}
          onClick={() => run(api.splitContact(contactId, [...selected]))}
          data-testid="split-button"
        >
          {t('contact.split', { n: selected.size })}
        </button>
      )}

      <h4>{t('contact.otherConversations', { n: others.length })}</h4>
      {others.length === 0 ? (
        <p className="muted small">{t('contact.none')}</p>
      ) : (
        <ul className="other-conversations">
          {others.map((c) => (
            <li key={c.id} data-testid="contact-conversation">
              <button className="link" onClick={() => onOpenConversation?.(c.id)}>
                <ChannelBadge channel={c.inbox.channel} /> {c.last_message?.text ?? c.inbox.name}
              </button>
              <span className="muted small">
                {' '}
                {t('status.' + c.status)} · {formatTime(c.last_activity_at, i18n.language)}
              </span>
            </li>
          ))}
        </ul>
      )}

      {duplicates.length > 0 && (
        <>
          <h4>{t('contact.duplicates')}</h4>
          <ul className="duplicates">
            {duplicates.map((d) => (
              <li key={d.contact.id} data-testid="duplicate">
                <span>{d.contact.name}</span>{' '}
                <span className="muted small">
                  {d.shared.map((a) => a.value + (a.verified ? ' ✓' : '')).join(', ')}
                </span>{' '}
                {canMerge && (
                  <button disabled={busy} onClick={() => run(api.mergeContact(contactId, d.contact.id))} data-testid="merge-button">
                    {t('contact.merge')}
                  </button>
                )}
              </li>
            ))}
          </ul>
          {!canMerge && <p className="muted small">{t('contact.askSupervisor')}</p>}
        </>
      )}

      <h4>{t('contact.timeline')}</h4>
      {timeline === null ? (
        <button className="link" onClick={() => showTimeline(null)} data-testid="timeline-button">
          {t('contact.showTimeline')}
        </button>
      ) : (
        <ol className="timeline" data-testid="timeline">
          {timelineCursor && (
            <li>
              <button className="link" onClick={() => showTimeline(timelineCursor)}>
                {t('contact.olderTimeline')}
              </button>
            </li>
          )}
          {timeline.map((m) => (
            <li key={m.id} className={'timeline-item ' + m.direction} data-testid="timeline-message" data-channel={m.channel}>
              {m.channel && <ChannelBadge channel={m.channel} />}{' '}
              <span className="muted small">{formatTime(m.created_at, i18n.language)}</span> <span>{m.text}</span>
            </li>
          ))}
        </ol>
      )}
    </aside>
  );
}
