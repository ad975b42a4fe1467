// What the three upstream parts are called on screen.
import type { ErrorComponent } from '../../relay/contract/api-types.js';

export const COMPONENT_LABELS: Record<ErrorComponent, string> = {
  xapi: '3CX XAPI',
  callcontrol: 'Call Control',
  database: 'Call records DB',
  relay: 'Relay',
  store: 'Store',
  api: 'Local API',
};
