// The sign-in page. Says why sign-in was refused, in the console's language.
import type { SessionInfo } from '../../../contracts/api.js';
import type { ApiRequestError, ApiClient } from '../api.js';
import { h, setText } from '../dom.js';
import { LOCALE_NAMES, LOCALES, getLocale, onLocaleChange, setLocale, t, type Locale } from '../i18n.js';

export interface LoginPage {
  element: HTMLElement;
  /** Show a message, e.g. why the previous session ended. */
  notice(text: () => string): void;
  destroy(): void;
}

/**
 * What to say when sign-in fails, in the console's language: the hub's known refusals are
 * translated; anything else is shown as the hub said it (it names what was wrong).
 */
export function loginErrorText(e: Pick<ApiRequestError, 'status' | 'code' | 'message'>): string {
  if (e.status === 0) return t('error.network', { message: e.message });
  if (e.code === 'invalid_credentials') return t('login.invalid');
  if (e.code === 'too_many_attempts') {
    const seconds = /(\d+)\s*s\b/.exec(e.message)?.[1];
    return seconds ? t('login.tooMany', { seconds }) : e.message;
  }
  return e.message;
}

export function createLoginPage(api: ApiClient, onSignedIn: (session: SessionInfo) => void): LoginPage {
  const title = h('div', { class: 'brand' });
  const heading = h('h1', {});
  const userLabel = h('span', {});
  const passLabel = h('span', {});
  const username = h('input', { name: 'username', autocomplete: 'username', required: true, autofocus: true });
  const password = h('input', { name: 'password', type: 'password', autocomplete: 'current-password', required: true });
  const submit = h('button', { type: 'submit', class: 'btn primary' });
  const error = h('div', { class: 'login-error', role: 'alert' });
  const language = h('select', { class: 'lang', 'aria-label': 'Language / 语言' },
    ...LOCALES.map((l) => h('option', { value: l }, LOCALE_NAMES[l])));
  language.value = getLocale();
  language.addEventListener('change', () => setLocale(language.value as Locale));

  let errorText: () => string = () => '';
  let busy = false;
  const draw = () => {
    document.title = t('app.title');
    setText(title, t('app.title'));
    setText(heading, t('login.heading'));
    setText(userLabel, t('login.username'));
    setText(passLabel, t('login.password'));
    setText(submit, busy ? t('login.busy') : t('login.submit'));
    setText(error, errorText());
    language.value = getLocale();
  };

  const form = h('form', { class: 'login-card', novalidate: true },
    title, heading,
    h('label', {}, userLabel, username),
    h('label', {}, passLabel, password),
    error, submit, language);

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    if (busy) return;
    if (!username.value.trim() || !password.value) {
      errorText = () => t('login.missing');
      draw();
      return;
    }
    busy = true;
    submit.disabled = true;
    errorText = () => '';
    draw();
    try {
      const session = await api.login(username.value.trim(), password.value);
      onSignedIn(session);
    } catch (err) {
      const e = err as ApiRequestError;
      errorText = () => loginErrorText(e);
      password.value = '';
    } finally {
      busy = false;
      submit.disabled = false;
      draw();
    }
  });

  const stopRelabel = onLocaleChange(draw);
  draw();
  return {
    element: h('main', { class: 'login-page' }, form),
    notice(text) {
      errorText = text;
      draw();
    },
    destroy: stopRelabel,
  };
}
