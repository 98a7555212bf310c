// The messaging window above the reply box: the time left for free text (live countdown),
// a warning in its last hour, and what is still allowed once it has closed.

import { useTranslation } from 'react-i18next';
import { formatRemaining, type WindowView } from './window_model';

export function WindowBanner({ view, hasTemplates }: { view: WindowView | null; hasTemplates: boolean }) {
  const { t } = useTranslation();
  if (!view || view.state === 'none') return null;
  const time = view.remainingMs === null ? '' : formatRemaining(view.remainingMs);
  let text: string;
  if (view.state === 'open') text = t('window.open', { time });
  else if (view.state === 'human_agent_only') text = t('window.humanAgentOnly', { time });
  else text = hasTemplates ? t('window.closedTemplates') : t('window.closed');
  return (
    <div
      className={'window-banner state-' + view.state + (view.warn ? ' warn' : '')}
      role={view.warn || view.state === 'closed' ? 'alert' : 'status'}
      data-testid="window-banner"
      data-state={view.state}
    >
      <span className="window-label">{t('window.state.' + view.state)}</span> {text}
      {view.warn && <strong className="window-warn"> · {t('window.endsSoon')}</strong>}
    </div>
  );
}
