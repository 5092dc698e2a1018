import { css } from 'lit';

export const styles = css`
  :host {
    display: inline-block;
    color-scheme: light dark;
    --truto-connect-accent: #4338ca;
    --truto-connect-accent-text: #fff;
    --truto-connect-focus: #1d4ed8;
    --truto-connect-radius: 8px;
    --truto-connect-surface: #fff;
    --truto-connect-text: #111827;
    --truto-connect-backdrop: rgb(17 24 39 / 0.55);
  }
  @media (prefers-color-scheme: dark) {
    :host {
      --truto-connect-accent: #a5b4fc;
      --truto-connect-accent-text: #111827;
      --truto-connect-focus: #93c5fd;
      --truto-connect-surface: #1f2937;
      --truto-connect-text: #f9fafb;
    }
  }
  :host([hidden]) {
    display: none;
  }
  button {
    font: inherit;
    cursor: pointer;
    border: 0;
    border-radius: var(--truto-connect-radius);
  }
  [part='button'] {
    padding: 0.6em 1.1em;
    background: var(--truto-connect-accent);
    color: var(--truto-connect-accent-text);
    font-weight: 600;
  }
  button:focus-visible {
    outline: 3px solid var(--truto-connect-focus);
    outline-offset: 2px;
  }
  [part='button']:disabled {
    opacity: 0.6;
    cursor: not-allowed;
  }
  [part='button'][aria-busy='true'] {
    cursor: progress;
  }
  [part='status'] {
    margin: 0.5em 0 0;
  }
  [part='status'] button {
    background: none;
    color: inherit;
    text-decoration: underline;
    padding: 0 0.25em;
  }
  dialog {
    width: min(480px, calc(100vw - 2rem));
    height: min(720px, calc(100vh - 2rem));
    padding: 0;
    border: 0;
    border-radius: var(--truto-connect-radius);
    background: var(--truto-connect-surface);
    color: var(--truto-connect-text);
    overflow: hidden;
  }
  dialog::backdrop {
    background: var(--truto-connect-backdrop);
  }
  [part='close-button'] {
    position: absolute;
    top: 0.5rem;
    right: 0.5rem;
    width: 2.25rem;
    height: 2.25rem;
    background: var(--truto-connect-surface);
    color: var(--truto-connect-text);
    font-size: 1.25rem;
    line-height: 1;
  }
  iframe {
    width: 100%;
    height: 100%;
    border: 0;
    display: block;
  }
`;
