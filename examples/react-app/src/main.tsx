/** Entry of the React page: registers <truto-connect> once and renders the page. */
import '@truto-connect/widget/define';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { IntegrationsPage } from './IntegrationsPage.js';
import './styles.css';

createRoot(document.getElementById('root') as HTMLElement).render(
  <StrictMode>
    <IntegrationsPage />
  </StrictMode>,
);
