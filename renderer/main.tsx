// Entry point: pick the transport (desktop bridge, team relay or HTTP) and render.
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { createRelayClient } from './client/create-client.js';
import { App } from './app/app.js';
import './styles/app.css';

const root = document.getElementById('root');
if (!root) throw new Error('index.html lacks #root');
// No top-level await: the build targets browsers that lack it.
void createRelayClient(window).then((client) => {
  createRoot(root).render(
    <StrictMode>
      <App client={client} />
    </StrictMode>,
  );
});
