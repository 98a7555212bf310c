// Top of the workspace: who is signed in decides between the login page and the workspace.

import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, onUnauthorized } from '../api/client';
import { live } from '../api/live';
import type { Agent, Language } from '../api/types';
import { LoginPage } from '../auth/LoginPage';
import { InboxSettings } from '../settings/InboxSettings';
import { TemplateEditor } from '../templates/TemplateEditor';
import { Workspace } from './Workspace';

export function App() {
  const { t, i18n } = useTranslation();
  // undefined: still asking the server; null: signed out.
  const [agent, setAgent] = useState<Agent | null | undefined>(undefined);

  useEffect(() => {
    // Any failure (401, or the server unreachable) shows the login page; signing in retries.
    api.me().then(setAgent, () => setAgent(null));
    return onUnauthorized(() => setAgent(null));
  }, []);

  useEffect(() => {
    if (!agent) return;
    if (agent.language && agent.language !== i18n.language) void i18n.changeLanguage(agent.language);
    live.start();
    return () => live.stop();
    // Once per signed-in agent (not on every profile change such as the language).
  }, [agent?.id]);

  const changeLanguage = useCallback(
    async (language: Language) => {
      await i18n.changeLanguage(language);
      setAgent((a) => (a ? { ...a, language } : a));
      try {
        await api.setLanguage(language);
      } catch {
        // The choice still applies to this tab; it is saved next time.
      }
    },
    [i18n],
  );

  const changeTranslationLanguage = useCallback(async (language: string | null) => {
    try {
      setAgent(await api.setTranslationLanguage(language));
    } catch {
      // Unchanged: the select shows the saved choice again.
      setAgent((a) => (a ? { ...a } : a));
    }
  }, []);

  const logout = useCallback(async () => {
    try {
      await api.logout();
    } finally {
      setAgent(null);
    }
  }, []);

  if (agent === undefined) return <div className="splash">{t('app.loading')}</div>;
  if (agent === null)
    return (
      <LoginPage
        onSignedIn={(a) => {
          setAgent(a);
          // The full profile (effective translation language, team language) comes with /me.
          api.me().then(setAgent, () => undefined);
        }}
      />
    );
  // Supervisors and admins edit reply templates at /templates (LG6).
  if (location.pathname === '/templates' && agent.role !== 'agent') {
    return <TemplateEditor onBack={() => location.assign('/')} />;
  }
  // Supervisors see inboxes at /inboxes; admins change them there.
  if (location.pathname === '/inboxes' && agent.role !== 'agent') {
    return <InboxSettings role={agent.role} onBack={() => location.assign('/')} />;
  }
  return <Workspace me={agent} onLanguage={changeLanguage} onTranslationLanguage={changeTranslationLanguage} onLogout={logout} />;
}
