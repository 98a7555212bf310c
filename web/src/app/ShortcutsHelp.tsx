import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';

export const SHORTCUTS: { keys: string[]; label: string }[] = [
  { keys: ['j', '↓'], label: 'shortcuts.next' },
  { keys: ['k', '↑'], label: 'shortcuts.prev' },
  { keys: ['r'], label: 'shortcuts.reply' },
  { keys: ['e'], label: 'shortcuts.resolve' },
  { keys: ['Enter'], label: 'shortcuts.send' },
  { keys: ['Shift', 'Enter'], label: 'shortcuts.newline' },
  { keys: ['Esc'], label: 'shortcuts.leave' },
  { keys: ['?'], label: 'shortcuts.help' },
];

export function ShortcutsHelp({ onClose }: { onClose: () => void }) {
  const { t } = useTranslation();
  const closeRef = useRef<HTMLButtonElement>(null);
  useEffect(() => closeRef.current?.focus(), []);
  return (
    <div className="overlay" onClick={onClose}>
      <div
        className="dialog"
        role="dialog"
        aria-modal="true"
        aria-labelledby="shortcuts-title"
        onClick={(e) => e.stopPropagation()}
        data-testid="shortcuts-help"
      >
        <h2 id="shortcuts-title">{t('shortcuts.title')}</h2>
        <table className="shortcuts">
          <tbody>
            {SHORTCUTS.map((s) => (
              <tr key={s.label}>
                <td>
                  {s.keys.map((k, i) => (
                    <span key={k}>
                      {i > 0 && (k === 'Enter' ? ' + ' : ' / ')}
                      <kbd>{k}</kbd>
                    </span>
                  ))}
                </td>
                <td>{t(s.label)}</td>
              </tr>
            ))}
          </tbody>
        </table>
        <button ref={closeRef} className="primary" onClick={onClose}>
          {t('shortcuts.close')}
        </button>
      </div>
    </div>
  );
}
