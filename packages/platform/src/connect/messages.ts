/**
 * The connect pages' texts, in English and German, chosen from `lang` or Accept-Language.
 * @module
 */

export const MESSAGES = {
  en: {
    title: 'Connect {integration}',
    intro: 'Connect your {integration} account.',
    chooseMethod: 'How do you want to connect?',
    connect: 'Connect',
    next: 'Next',
    continueWith: 'Continue to {integration}',
    oauthHint: 'You will sign in on {integration} and come back here.',
    required: 'required',
    optional: 'optional',
    whereToFind: 'Where to find it',
    newTab: '(opens in a new tab)',
    choose: 'Choose…',
    fieldMissing: '{field} is required.',
    fieldInvalid: '{field} is not in the expected format.',
    rejected: '{integration} did not accept these credentials. Check them and try again.',
    unreachable: '{integration} could not be reached to check these credentials. Try again in a moment.',
    throttled:
      '{integration} is limiting how often it can be called, so these credentials could not be checked. Wait a moment and try again.',
    notConnected: '{integration} could not be connected: {reason}',
    connectedTitle: 'Connected',
    connected: 'Your {integration} account is connected. You can close this window.',
    failedTitle: 'Not connected',
    postInstallFailed: 'Your {integration} account was connected, but setting it up failed: {reason}',
    denied: 'Access to {integration} was not granted.',
    expiredTitle: 'This link has expired',
    expired: 'This connect link has expired or was already used. Go back to the app and start again.',
    close: 'You can close this window.',
    back: 'Back to the app',
    tooMany: 'Too many attempts. Wait a minute and try again.',
    popupBlocked: 'Your browser blocked the sign-in window. Allow pop-ups for this page and try again.',
    flowTaken: 'This connect window belongs to another link. Go back to the app and start again.',
  },
  de: {
    title: '{integration} verbinden',
    intro: 'Verbinden Sie Ihr {integration}-Konto.',
    chooseMethod: 'Wie möchten Sie sich verbinden?',
    connect: 'Verbinden',
    next: 'Weiter',
    continueWith: 'Weiter zu {integration}',
    oauthHint: 'Sie melden sich bei {integration} an und kehren dann hierher zurück.',
    required: 'erforderlich',
    optional: 'optional',
    whereToFind: 'Wo Sie das finden',
    newTab: '(öffnet in einem neuen Tab)',
    choose: 'Bitte wählen…',
    fieldMissing: '{field} ist erforderlich.',
    fieldInvalid: '{field} hat nicht das erwartete Format.',
    rejected:
      '{integration} hat diese Zugangsdaten nicht akzeptiert. Bitte prüfen Sie sie und versuchen Sie es erneut.',
    unreachable:
      '{integration} war nicht erreichbar, um die Zugangsdaten zu prüfen. Versuchen Sie es gleich noch einmal.',
    throttled:
      '{integration} begrenzt gerade, wie oft es aufgerufen werden kann; die Zugangsdaten konnten nicht geprüft werden. Warten Sie einen Moment und versuchen Sie es erneut.',
    notConnected: '{integration} konnte nicht verbunden werden: {reason}',
    connectedTitle: 'Verbunden',
    connected: 'Ihr {integration}-Konto ist verbunden. Sie können dieses Fenster schließen.',
    failedTitle: 'Nicht verbunden',
    postInstallFailed:
      'Ihr {integration}-Konto wurde verbunden, aber die Einrichtung ist fehlgeschlagen: {reason}',
    denied: 'Der Zugriff auf {integration} wurde nicht erteilt.',
    expiredTitle: 'Dieser Link ist abgelaufen',
    expired:
      'Dieser Verbindungslink ist abgelaufen oder wurde bereits verwendet. Kehren Sie zur App zurück und beginnen Sie erneut.',
    close: 'Sie können dieses Fenster schließen.',
    back: 'Zurück zur App',
    tooMany: 'Zu viele Versuche. Warten Sie eine Minute und versuchen Sie es erneut.',
    popupBlocked:
      'Ihr Browser hat das Anmeldefenster blockiert. Erlauben Sie Pop-ups für diese Seite und versuchen Sie es erneut.',
    flowTaken:
      'Dieses Verbindungsfenster gehört zu einem anderen Link. Kehren Sie zur App zurück und beginnen Sie erneut.',
  },
} as const;

export type Locale = keyof typeof MESSAGES;
export type MessageKey = keyof (typeof MESSAGES)['en'];
export type Translate = (key: MessageKey, values?: Record<string, string>) => string;

/** The locale from `lang` if we have it, else the best Accept-Language match, else English. */
export function pickLocale(lang: unknown, acceptLanguage: string | undefined): Locale {
  const candidates = [
    ...(typeof lang === 'string' ? [lang] : []),
    ...(acceptLanguage ?? '')
      .split(',')
      .map((part) => {
        const [tag, q] = part.trim().split(';q=');
        return { tag: tag ?? '', q: q === undefined ? 1 : Number(q) };
      })
      .sort((a, b) => b.q - a.q)
      .map((x) => x.tag),
  ];
  for (const candidate of candidates) {
    const base = candidate.toLowerCase().split('-')[0];
    // Own properties only: `constructor` or `__proto__` is not a locale.
    if (base && Object.hasOwn(MESSAGES, base)) return base as Locale;
  }
  return 'en';
}

export function translator(locale: Locale): Translate {
  return (key, values = {}) =>
    MESSAGES[locale][key].replace(/\{(\w+)\}/g, (_, name: string) =>
      Object.hasOwn(values, name) ? (values[name] as string) : `{${name}}`,
    );
}
