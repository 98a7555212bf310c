// The reply box's template picker (LG6): type "/" or click "Templates", search by key or name,
// fill the template's arguments, preview it in the customer's language with the fallback the
// server chose (market variant, language, machine translation or the untranslated source), and
// insert it into the reply box.

import { useEffect, useMemo, useState, type KeyboardEvent, type MutableRefObject } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../api/client';
import { templatesApi, type Rendered, type ReplyTemplate } from '../api/templates';
import { initialValues, searchTemplates, toParams } from './template_model';

/** The reply box forwards its keys here while the picker is open; true when the picker used the key. */
export type PickerKeys = (e: KeyboardEvent<HTMLElement>) => boolean;

interface Props {
  conversationId: number;
  contactName: string;
  /** The slash query typed in the reply box ("/where" -> "where"); null when none. */
  slash: string | null;
  /** Opened with the button (no slash query). */
  open: boolean;
  keysRef: MutableRefObject<PickerKeys | null>;
  onInsert: (text: string) => void;
  onClose: () => void;
}

const PREVIEW_DELAY_MS = 250;

export function TemplatePicker({ conversationId, contactName, slash, open, keysRef, onInsert, onClose }: Props) {
  const { t } = useTranslation();
  const visible = open || slash !== null;
  const [templates, setTemplates] = useState<ReplyTemplate[] | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [search, setSearch] = useState('');
  const [highlight, setHighlight] = useState(0);
  const [chosen, setChosen] = useState<ReplyTemplate | null>(null);
  const [values, setValues] = useState<Record<string, string>>({});
  const [rendered, setRendered] = useState<Rendered | null>(null);
  const [renderError, setRenderError] = useState<string | null>(null);

  useEffect(() => {
    if (!visible || templates) return;
    templatesApi.list().then(
      (page) => setTemplates(page.items),
      (e: Error) => setLoadError(e.message),
    );
  }, [visible, templates]);

  useEffect(() => {
    if (!visible) {
      setChosen(null);
      setSearch('');
      setHighlight(0);
    }
  }, [visible]);

  const matches = useMemo(() => searchTemplates(templates ?? [], slash ?? search), [templates, slash, search]);
  useEffect(() => setHighlight(0), [slash, search]);

  function choose(tmpl: ReplyTemplate | undefined) {
    if (!tmpl) return;
    setChosen(tmpl);
    setValues(initialValues(tmpl.arguments, contactName));
    setRendered(null);
    setRenderError(null);
  }

  // Preview in the customer's language whenever the arguments change.
  useEffect(() => {
    if (!chosen) return;
    let cancelled = false;
    const timer = setTimeout(() => {
      templatesApi
        .render(chosen.id, { conversation_id: conversationId, params: toParams(chosen.arguments, values) })
        .then(
          (r) => {
            if (cancelled) return;
            setRendered(r);
            setRenderError(null);
          },
          (e: Error) => {
            if (cancelled) return;
            setRendered(null);
            setRenderError(e instanceof ApiError && e.code === 'missing_param' ? t('templates.missingParam', { message: e.message }) : e.message);
          },
        );
    }, PREVIEW_DELAY_MS);
    return () => {
      cancelled = true;
      clearTimeout(timer);
    };
  }, [chosen, values, conversationId, t]);

  function insert() {
    if (!rendered) return;
    onInsert(rendered.text);
  }

  keysRef.current = visible
    ? (e) => {
        if (e.key === 'Escape') {
          onClose();
          return true;
        }
        if (chosen) {
          // Enter inserts once the preview is there; never sends the "/key" text meanwhile.
          if (e.key === 'Enter' && !e.shiftKey) {
            e.preventDefault();
            insert();
            return true;
          }
          return false;
        }
        if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
          e.preventDefault();
          const step = e.key === 'ArrowDown' ? 1 : -1;
          setHighlight((h) => Math.max(0, Math.min(matches.length - 1, h + step)));
          return true;
        }
        if (e.key === 'Enter' || e.key === 'Tab') {
          e.preventDefault();
          choose(matches[highlight]);
          return true;
        }
        return false;
      }
    : null;

  if (!visible) return null;

  return (
    <div className="template-picker" role="dialog" aria-label={t('templates.pickerTitle')} data-testid="template-picker">
      {!chosen && (
        <>
          {slash === null && (
            <input
              autoFocus
              className="template-search"
              placeholder={t('templates.search')}
              aria-label={t('templates.search')}
              value={search}
              onChange={(e) => setSearch(e.target.value)}
              onKeyDown={(e) => keysRef.current?.(e)}
              data-testid="template-search"
            />
          )}
          {loadError && <div className="error">{loadError}</div>}
          {templates && matches.length === 0 && <div className="muted">{t('templates.none')}</div>}
          <ul className="template-list" role="listbox">
            {matches.map((m, i) => (
              <li
                key={m.id}
                role="option"
                aria-selected={i === highlight}
                className={i === highlight ? 'active' : ''}
                onMouseDown={(e) => {
                  e.preventDefault();
                  choose(m);
                }}
                data-testid={'template-option-' + m.key}
              >
                <code>/{m.key}</code> {m.name}
                <span className="muted"> · {m.variants.map((v) => v.locale).join(', ')}</span>
              </li>
            ))}
          </ul>
        </>
      )}
      {chosen && (
        <div className="template-fill">
          <div className="template-fill-head">
            <code>/{chosen.key}</code> {chosen.name}
            <button type="button" className="link" onClick={() => setChosen(null)}>
              {t('templates.back')}
            </button>
          </div>
          {Object.entries(chosen.arguments).map(([name, kind], i) => (
            <label key={name} className="template-param">
              <span>{name}</span>
              <input
                autoFocus={i === 0}
                type={kind === 'number' ? 'number' : 'text'}
                placeholder={t('templates.argKind.' + kind)}
                value={values[name] ?? ''}
                onChange={(e) => setValues((v) => ({ ...v, [name]: e.target.value }))}
                onKeyDown={(e) => {
                  if (e.key === 'Enter' || e.key === 'Escape') keysRef.current?.(e);
                }}
                data-testid={'template-param-' + name}
              />
            </label>
          ))}
          <div className="template-preview" data-testid="template-preview" aria-live="polite">
            {rendered && (
              <>
                <span className={'chip fallback-' + rendered.fallback} data-testid="template-fallback" data-fallback={rendered.fallback}>
                  {t('templates.fallback.' + rendered.fallback, { locale: rendered.locale, variant: rendered.variant })}
                </span>
                {rendered.machine_translated && (
                  <span className="chip">{t('templates.machineTranslated', { engine: rendered.engine ?? '' })}</span>
                )}
                <p dir="auto">{rendered.text}</p>
              </>
            )}
            {renderError && <div className="error">{renderError}</div>}
          </div>
          <button type="button" className="primary" disabled={!rendered} onClick={insert} data-testid="template-insert">
            {t('templates.insert')}
          </button>
        </div>
      )}
    </div>
  );
}
