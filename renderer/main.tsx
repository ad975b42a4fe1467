// Entry point: pick the transport (desktop bridge or HTTP) and render.
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { createRelayClient } from './client/create-client.js';
import { App } from './app/app.js';
import './styles/app.css';

const root = document.getElementById('root');
if (!root) throw new Error('index.html lacks #root');
createRoot(root).render(
  <StrictMode>
    <App client={createRelayClient(window)} />
  </StrictMode>,
);
