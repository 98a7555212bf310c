import { useTranslation } from 'react-i18next';
import { Dialog } from './Dialog';

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
  return (
    <Dialog id="shortcuts-title" title={t('shortcuts.title')} testId="shortcuts-help" onClose={onClose}>
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
    </Dialog>
  );
}
