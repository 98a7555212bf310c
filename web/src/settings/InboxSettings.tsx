// Inboxes for supervisors (read) and admins (edit): name, where an API inbox's replies go, and the
// rotation of its signing secret with a grace period. Reached at /inboxes. Secrets are never
// shown again after they were created; a rotation shows the new one once.

import { useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { Role } from '../api/types';
import { inboxesApi, type CreatedInbox, type InboxSettings as Inbox, type RotatedSecret } from '../api/inboxes';

/** Grace periods offered for a rotation, in seconds (the API takes 0 to 7 days). */
const GRACE_CHOICES = [0, 3600, 86_400, 604_800];

function Health({ inbox }: { inbox: Inbox }) {
  const { t } = useTranslation();
  if (!inbox.sync) return null;
  return (
    <span className={inbox.sync.healthy ? 'validation ok' : 'validation error'} data-testid="inbox-sync">
      {inbox.sync.healthy ? t('inboxes.syncOk') : t('inboxes.syncFailing', { error: inbox.sync.error ?? '' })}
    </span>
  );
}

/** The one tag a shop puts on its pages to show the web chat widget of `inbox`. */
function EmbedCode({ inbox }: { inbox: Inbox }) {
  const { t } = useTranslation();
  const code = `<script src="${location.origin}/widget.js" data-inbox="${inbox.id}" async></script>`;
  return (
    <div data-testid="inbox-embed">
      <p className="muted">{t('inboxes.embedHint')}</p>
      <code className="secret" data-testid="inbox-embed-code">
        {code}
      </code>
      <button type="button" className="link" onClick={() => void navigator.clipboard?.writeText(code)}>
        {t('inboxes.copy')}
      </button>
    </div>
  );
}

/** Admins add an API or web chat inbox (provider inboxes need credentials: `meridian inbox create`). */
function NewInbox({ onCreated }: { onCreated: (i: CreatedInbox) => void }) {
  const { t } = useTranslation();
  const [channel, setChannel] = useState<'api' | 'webchat'>('webchat');
  const [name, setName] = useState('');
  const [callback, setCallback] = useState('');
  const [error, setError] = useState<string | null>(null);
  const create = async (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    try {
      const config = channel === 'api' && callback.trim() ? { callback_url: callback.trim() } : {};
      onCreated(await inboxesApi.create(channel, name.trim(), config));
    } catch (err) {
      setError((err as Error).message);
    }
  };
  return (
    <form className="template-form" onSubmit={create} data-testid="inbox-new-form">
      <h2>{t('inboxes.newTitle')}</h2>
      <label>
        {t('inboxes.channel')}
        <select value={channel} onChange={(e) => setChannel(e.target.value as 'api' | 'webchat')} data-testid="inbox-new-channel">
          <option value="webchat">{t('channels.webchat')}</option>
          <option value="api">{t('channels.api')}</option>
        </select>
      </label>
      <label>
        {t('inboxes.name')}
        <input value={name} onChange={(e) => setName(e.target.value)} data-testid="inbox-new-name" required />
      </label>
      {channel === 'api' && (
        <label>
          {t('inboxes.callbackUrl')}
          <input type="url" value={callback} onChange={(e) => setCallback(e.target.value)} data-testid="inbox-new-callback" />
        </label>
      )}
      <p className="muted">{t('inboxes.providersHint')}</p>
      {error && (
        <div className="error" role="alert" data-testid="inbox-new-error">
          {error}
        </div>
      )}
      <div className="template-actions">
        <button type="submit" className="primary" data-testid="inbox-create">
          {t('inboxes.create')}
        </button>
      </div>
    </form>
  );
}

function InboxForm({ inbox, canEdit, onSaved }: { inbox: Inbox; canEdit: boolean; onSaved: (i: Inbox) => void }) {
  const { t, i18n } = useTranslation();
  const [name, setName] = useState(inbox.name);
  const [callback, setCallback] = useState(String(inbox.config.callback_url ?? ''));
  const [error, setError] = useState<string | null>(null);
  const [saved, setSaved] = useState(false);
  const [grace, setGrace] = useState(86_400);
  const [rotated, setRotated] = useState<RotatedSecret | null>(null);

  useEffect(() => {
    setName(inbox.name);
    setCallback(String(inbox.config.callback_url ?? ''));
    setError(null);
    setSaved(false);
    setRotated(null);
  }, [inbox.id]);

  const save = async (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    setSaved(false);
    try {
      const patch: { name: string; config?: Record<string, unknown> } = { name };
      if (inbox.channel === 'api') patch.config = { callback_url: callback.trim() || null };
      onSaved(await inboxesApi.update(inbox.id, patch));
      setSaved(true);
    } catch (err) {
      setError((err as Error).message);
    }
  };

  const rotate = async () => {
    setError(null);
    if (!window.confirm(t('inboxes.rotateConfirm'))) return;
    try {
      setRotated(await inboxesApi.rotateSecret(inbox.id, grace));
    } catch (err) {
      setError((err as Error).message);
    }
  };

  const when = (iso: string) => new Date(iso).toLocaleString(i18n.language);
  return (
    <form className="template-form" onSubmit={save} data-testid="inbox-form">
      <h2>
        {inbox.name} <span className="chip">{t('channels.' + inbox.channel, { defaultValue: inbox.channel })}</span>
      </h2>
      <Health inbox={inbox} />
      <label>
        {t('inboxes.name')}
        <input value={name} onChange={(e) => setName(e.target.value)} disabled={!canEdit} data-testid="inbox-name" required />
      </label>
      {inbox.channel === 'webchat' && <EmbedCode inbox={inbox} />}
      {inbox.webhook_url && inbox.channel !== 'email' && inbox.channel !== 'webchat' && (
        <p className="muted">
          {t('inboxes.inboundUrl')} <code data-testid="inbox-webhook">{inbox.channel === 'api' ? `/api/v1/inboxes/${inbox.id}/inbound` : inbox.webhook_url}</code>
        </p>
      )}
      {inbox.channel === 'api' && (
        <label>
          {t('inboxes.callbackUrl')}
          <input
            type="url"
            value={callback}
            onChange={(e) => setCallback(e.target.value)}
            disabled={!canEdit}
            data-testid="inbox-callback"
          />
        </label>
      )}
      {error && (
        <div className="error" role="alert" data-testid="inbox-error">
          {error}
        </div>
      )}
      {saved && <div className="validation ok" data-testid="inbox-saved">{t('inboxes.saved')}</div>}
      {canEdit && (
        <div className="template-actions">
          <button type="submit" className="primary" data-testid="inbox-save">
            {t('inboxes.save')}
          </button>
        </div>
      )}
      {inbox.channel === 'api' && canEdit && (
        <fieldset className="variant" data-testid="inbox-secret">
          <legend>{t('inboxes.secretTitle')}</legend>
          <p className="muted">{t('inboxes.secretHint')}</p>
          {inbox.previous_secret_valid_until && !rotated && (
            <p className="muted">{t('inboxes.previousValidUntil', { when: when(inbox.previous_secret_valid_until) })}</p>
          )}
          <label>
            {t('inboxes.grace')}
            <select value={grace} onChange={(e) => setGrace(Number(e.target.value))} data-testid="inbox-grace">
              {GRACE_CHOICES.map((s) => (
                <option key={s} value={s}>
                  {t('inboxes.graceChoice.' + s)}
                </option>
              ))}
            </select>
          </label>
          <button type="button" className="link" onClick={rotate} data-testid="inbox-rotate">
            {t('inboxes.rotate')}
          </button>
          {rotated && (
            <div className="validation ok" role="status">
              <p>{t('inboxes.newSecret')}</p>
              <code className="secret" data-testid="inbox-new-secret">
                {rotated.secret}
              </code>
              <p className="muted">
                {rotated.previous_secret_valid_until
                  ? t('inboxes.previousValidUntil', { when: when(rotated.previous_secret_valid_until) })
                  : t('inboxes.previousRevoked')}
              </p>
            </div>
          )}
        </fieldset>
      )}
    </form>
  );
}

export function InboxSettings({ role, onBack }: { role: Role; onBack: () => void }) {
  const { t } = useTranslation();
  const [items, setItems] = useState<Inbox[]>([]);
  const [selected, setSelected] = useState<number | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [adding, setAdding] = useState(false);
  // A just-created API inbox's secret: shown once, above its settings.
  const [created, setCreated] = useState<CreatedInbox | null>(null);

  useEffect(() => {
    inboxesApi.list().then(
      (page) => setItems(page.items),
      (e: Error) => setLoadError(e.message),
    );
  }, []);

  const inbox = items.find((i) => i.id === selected) ?? null;
  return (
    <div className="template-editor" data-testid="inbox-settings">
      <header className="topbar">
        <button className="link" onClick={onBack}>
          {t('templates.editor.back')}
        </button>
        <h1>{t('inboxes.title')}</h1>
      </header>
      <div className="template-editor-body">
        <aside className="template-index">
          {role === 'admin' && (
            <button
              className="primary"
              onClick={() => {
                setAdding(true);
                setSelected(null);
                setCreated(null);
              }}
              data-testid="inbox-new"
            >
              {t('inboxes.new')}
            </button>
          )}
          {loadError && <div className="error">{loadError}</div>}
          <ul>
            {items.map((it) => (
              <li key={it.id}>
                <button
                  className={selected === it.id ? 'link active' : 'link'}
                  onClick={() => {
                    setSelected(it.id);
                    setAdding(false);
                    setCreated(null); // a new secret is shown once, until the admin moves on
                  }}
                  data-testid="inbox-item"
                  data-inbox-id={it.id}
                >
                  {it.name} <span className="muted">{t('channels.' + it.channel, { defaultValue: it.channel })}</span>
                </button>
              </li>
            ))}
          </ul>
        </aside>
        {adding ? (
          <NewInbox
            onCreated={(i) => {
              const { secret: _secret, ...shown } = i;
              setItems((all) => [...all, shown]);
              setCreated(i.channel === 'api' ? i : null);
              setAdding(false);
              setSelected(i.id);
            }}
          />
        ) : inbox ? (
          <div>
            {created && created.id === inbox.id && (
              <div className="validation ok" role="status">
                <p>{t('inboxes.createdSecret')}</p>
                <code className="secret" data-testid="inbox-created-secret">
                  {created.secret}
                </code>
              </div>
            )}
            <InboxForm
              inbox={inbox}
              canEdit={role === 'admin'}
              onSaved={(i) => setItems((all) => all.map((x) => (x.id === i.id ? i : x)))}
            />
          </div>
        ) : (
          <div className="empty-state">
            <p className="muted">{t('inboxes.pick')}</p>
          </div>
        )}
      </div>
    </div>
  );
}
