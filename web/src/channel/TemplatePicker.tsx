// When the messaging window is closed: the inbox's approved WhatsApp templates instead of free
// text. The agent picks a template and one of its approved languages, fills its parameters and
// sees the text the customer will read before sending.

import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { MessageTemplate } from '../api/types';
import { parameterProblem, parameterSlots, renderTemplate } from './window_model';

interface Props {
  templates: MessageTemplate[];
  onSend: (template: { name: string; language: string; parameters: string[] }) => Promise<void>;
}

export function TemplatePicker({ templates, onSend }: Props) {
  const { t } = useTranslation();
  const [name, setName] = useState(templates[0]?.name ?? '');
  const chosen = useMemo(() => templates.find((x) => x.name === name) ?? null, [templates, name]);
  const [language, setLanguage] = useState(templates[0]?.languages[0] ?? '');
  const [parameters, setParameters] = useState<string[]>([]);
  const [sending, setSending] = useState(false);
  const [error, setError] = useState<string | null>(null);

  if (templates.length === 0) {
    return (
      <div className="wa-template-picker empty muted" data-testid="wa-template-picker">
        {t('templates.none')}
      </div>
    );
  }
  const slots = chosen ? parameterSlots(chosen) : 0;
  const values = Array.from({ length: slots }, (_, i) => parameters[i] ?? '');
  const problems = values.map(parameterProblem);
  const ready = chosen !== null && chosen.languages.includes(language) && problems.every((p) => p === null);

  async function submit() {
    if (!chosen || !ready) return;
    setSending(true);
    setError(null);
    try {
      await onSend({ name: chosen.name, language, parameters: values });
      setParameters([]);
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    } finally {
      setSending(false);
    }
  }

  return (
    <form
      className="wa-template-picker"
      data-testid="wa-template-picker"
      onSubmit={(e) => {
        e.preventDefault();
        void submit();
      }}
    >
      <div className="wa-template-row">
        <label>
          {t('templates.template')}{' '}
          <select
            value={name}
            data-testid="template-name"
            onChange={(e) => {
              const next = templates.find((x) => x.name === e.target.value);
              setName(e.target.value);
              setLanguage(next?.languages[0] ?? '');
              setParameters([]);
            }}
          >
            {templates.map((x) => (
              <option key={x.name} value={x.name}>
                {x.name}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('templates.language')}{' '}
          <select value={language} onChange={(e) => setLanguage(e.target.value)} data-testid="template-language">
            {(chosen?.languages ?? []).map((l) => (
              <option key={l} value={l}>
                {l}
              </option>
            ))}
          </select>
        </label>
      </div>
      {values.map((v, i) => (
        <label key={i} className="wa-template-param">
          {t('templates.parameter', { n: i + 1 })}{' '}
          <input
            value={v}
            data-testid={'template-param-' + (i + 1)}
            aria-invalid={v !== '' && problems[i] !== null}
            onChange={(e) => {
              const next = [...values];
              next[i] = e.target.value;
              setParameters(next);
            }}
          />
          {v !== '' && problems[i] === 'newline' && <span className="error small"> {t('templates.noNewlines')}</span>}
        </label>
      ))}
      {chosen?.body && (
        <div className="wa-template-preview" data-testid="wa-template-preview">
          <span className="muted small">{t('templates.preview')}</span>
          <div>{renderTemplate(chosen.body, values)}</div>
        </div>
      )}
      {error && (
        <div className="error small" role="alert">
          {t('templates.sendFailed', { message: error })}
        </div>
      )}
      <button type="submit" className="primary" disabled={!ready || sending} data-testid="template-send">
        {t('templates.send')}
      </button>
    </form>
  );
}
