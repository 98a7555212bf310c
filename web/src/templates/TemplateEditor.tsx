// The template editor for supervisors and admins (LG6): list, create, edit variants per market
// with their style of address, live validation of each body by the server (ICU MessageFormat),
// save and delete. Reached at /templates.

import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../api/client';
import { templatesApi, type ReplyTemplate, type TemplateInput, type TemplateStyle, type TemplateVariant } from '../api/templates';

const STYLES: TemplateStyle[] = ['', 'formal', 'informal', 'honorific'];
const VALIDATE_DELAY_MS = 300;

const blank = (): TemplateInput => ({
  key: '',
  name: '',
  source_locale: 'en',
  variants: [{ locale: 'en', style: '', body: '' }],
});

function toInput(t: ReplyTemplate): TemplateInput {
  return { key: t.key, name: t.name, source_locale: t.source_locale, variants: t.variants.map((v) => ({ ...v })) };
}

/** The server's verdict on one body, refreshed while the supervisor types. */
function VariantCheck({ variant }: { variant: TemplateVariant }) {
  const { t } = useTranslation();
  const [state, setState] = useState<{ ok: boolean; text: string } | null>(null);
  useEffect(() => {
    if (!variant.body.trim()) {
      setState(null);
      return;
    }
    let cancelled = false;
    const timer = setTimeout(() => {
      templatesApi.preview({ body: variant.body, locale: variant.locale || 'en' }).then(
        (p) =>
          !cancelled &&
          setState({
            ok: true,
            text: t('templates.editor.valid', { args: Object.keys(p.arguments).join(', ') || '—' }),
          }),
        (e: Error) => !cancelled && setState({ ok: false, text: e.message }),
      );
    }, VALIDATE_DELAY_MS);
    return () => {
      cancelled = true;
      clearTimeout(timer);
    };
  }, [variant.body, variant.locale, t]);
  if (!state) return null;
  return (
    <div className={state.ok ? 'validation ok' : 'validation error'} data-testid="variant-validation" data-ok={state.ok}>
      {state.text}
    </div>
  );
}

export function TemplateEditor({ onBack }: { onBack: () => void }) {
  const { t } = useTranslation();
  const [items, setItems] = useState<ReplyTemplate[]>([]);
  const [editing, setEditing] = useState<{ id: number | null; input: TemplateInput } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [saved, setSaved] = useState(false);

  const reload = () => templatesApi.list().then((p) => setItems(p.items), (e: Error) => setError(e.message));
  useEffect(() => {
    void reload();
  }, []);

  function update(change: Partial<TemplateInput>) {
    setSaved(false);
    setEditing((e) => (e ? { ...e, input: { ...e.input, ...change } } : e));
  }
  function updateVariant(i: number, change: Partial<TemplateVariant>) {
    if (!editing) return;
    update({ variants: editing.input.variants.map((v, j) => (j === i ? { ...v, ...change } : v)) });
  }

  async function save() {
    if (!editing) return;
    setError(null);
    try {
      const result =
        editing.id === null ? await templatesApi.create(editing.input) : await templatesApi.update(editing.id, editing.input);
      setEditing({ id: result.id, input: toInput(result) });
      setSaved(true);
      await reload();
    } catch (e) {
      setError(e instanceof ApiError ? `${e.message} (${e.code})` : String(e));
    }
  }

  async function remove() {
    if (!editing || editing.id === null || !confirm(t('templates.editor.confirmDelete'))) return;
    try {
      await templatesApi.remove(editing.id);
      setEditing(null);
      await reload();
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    }
  }

  return (
    <div className="template-editor" data-testid="template-editor">
      <header className="topbar">
        <button className="link" onClick={onBack}>
          {t('templates.editor.back')}
        </button>
        <h1>{t('templates.editor.title')}</h1>
      </header>
      <div className="template-editor-body">
        <aside className="template-index">
          <button
            className="primary"
            onClick={() => {
              setEditing({ id: null, input: blank() });
              setSaved(false);
              setError(null);
            }}
            data-testid="template-new"
          >
            {t('templates.editor.new')}
          </button>
          <ul>
            {items.map((it) => (
              <li key={it.id}>
                <button
                  className={editing?.id === it.id ? 'link active' : 'link'}
                  onClick={() => {
                    setEditing({ id: it.id, input: toInput(it) });
                    setSaved(false);
                    setError(null);
                  }}
                >
                  <code>/{it.key}</code> {it.name}
                </button>
              </li>
            ))}
          </ul>
        </aside>
        {editing ? (
          <form
            className="template-form"
            onSubmit={(e) => {
              e.preventDefault();
              void save();
            }}
          >
            <label>
              {t('templates.editor.key')}
              <input value={editing.input.key} onChange={(e) => update({ key: e.target.value })} data-testid="template-key" />
            </label>
            <label>
              {t('templates.editor.name')}
              <input value={editing.input.name} onChange={(e) => update({ name: e.target.value })} data-testid="template-name" />
            </label>
            <label>
              {t('templates.editor.sourceLocale')}
              <input value={editing.input.source_locale} onChange={(e) => update({ source_locale: e.target.value })} />
            </label>
            <h2>{t('templates.editor.variants')}</h2>
            <p className="muted">{t('templates.editor.syntaxHint')}</p>
            {editing.input.variants.map((v, i) => (
              <fieldset key={i} className="variant">
                <label>
                  {t('templates.editor.locale')}
                  <input value={v.locale} onChange={(e) => updateVariant(i, { locale: e.target.value })} placeholder="de-CH" />
                </label>
                <label>
                  {t('templates.editor.style')}
                  <select value={v.style} onChange={(e) => updateVariant(i, { style: e.target.value as TemplateStyle })}>
                    {STYLES.map((s) => (
                      <option key={s} value={s}>
                        {t('templates.style.' + (s || 'none'))}
                      </option>
                    ))}
                  </select>
                </label>
                <textarea
                  rows={3}
                  value={v.body}
                  onChange={(e) => updateVariant(i, { body: e.target.value })}
                  aria-label={t('templates.editor.body')}
                  data-testid={'variant-body-' + i}
                />
                <VariantCheck variant={v} />
                <button
                  type="button"
                  className="link"
                  onClick={() => update({ variants: editing.input.variants.filter((_, j) => j !== i) })}
                >
                  {t('templates.editor.removeVariant')}
                </button>
              </fieldset>
            ))}
            <button
              type="button"
              onClick={() => update({ variants: [...editing.input.variants, { locale: '', style: '', body: '' }] })}
            >
              {t('templates.editor.addVariant')}
            </button>
            {error && (
              <div className="error" role="alert" data-testid="template-error">
                {error}
              </div>
            )}
            {saved && <div className="validation ok">{t('templates.editor.saved')}</div>}
            <div className="template-actions">
              <button type="submit" className="primary" data-testid="template-save">
                {t('templates.editor.save')}
              </button>
              {editing.id !== null && (
                <button type="button" onClick={() => void remove()}>
                  {t('templates.editor.delete')}
                </button>
              )}
            </div>
          </form>
        ) : (
          <div className="empty-state">
            <p className="muted">{t('templates.editor.pick')}</p>
          </div>
        )}
      </div>
    </div>
  );
}
