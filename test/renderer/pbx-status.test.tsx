// The overview shows the PBX version and licence from /relay/health, with its
// notices; the connections page shows the Call Control coverage line and
// where an admin adds the missing extensions.
import { cleanup, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import type { AdminUser, Health } from '../../relay/contract/api-types.js';
import { ConnectionsPage } from '../../renderer/pages/connections-page.js';
import { OverviewPage } from '../../renderer/pages/overview-page.js';
import { InMemoryRelayClient } from './support/in-memory-relay-client.js';
import { renderWithClient } from './support/render-with-client.js';

const admin: AdminUser = { username: 'admin', role: 'admin' };

class ClientWithPbx extends InMemoryRelayClient {
  constructor(private readonly extra: Partial<Health>) {
    super(admin);
    // The snapshot from /relay/health, as a relay without the live PBX overview shows it.
    this.supervisor = null;
  }
  override async health(): Promise<Health> {
    return { ...(await super.health()), ...this.extra };
  }
}

afterEach(() => cleanup());

describe('PBX status on the overview', () => {
  it('shows version, licence, extensions and trunks, and the version notice', async () => {
    const client = new ClientWithPbx({
      pbx: {
        version: '20.0.5.917', licenseActive: true, productCode: '3CXPSENT', maxSimCalls: 16,
        extensions: { registered: 12, total: 40 }, trunks: { registered: 1, total: 2 },
        callRecordsAvailable: false,
        notices: [{ code: 'pbx_version_without_cdroutput', message: '3CX 20.0.5.917 is older than 20.0.6: call records are unavailable' }],
        asOf: new Date().toISOString(),
      },
    });
    renderWithClient(<OverviewPage />, client, admin);
    expect(await screen.findByText('20.0.5.917')).toBeTruthy();
    expect(screen.getByText('active (3CXPSENT)')).toBeTruthy();
    expect(screen.getByText('12 of 40 registered')).toBeTruthy();
    expect(screen.getByText('1 of 2 registered')).toBeTruthy();
    expect(screen.getByRole('note').textContent).toMatch(/call records are unavailable/);
  });

  it('says when the PBX has not reported yet', async () => {
    renderWithClient(<OverviewPage />, new ClientWithPbx({ pbx: null }), admin);
    expect(await screen.findByText('The PBX has not reported its version yet.')).toBeTruthy();
  });
});

describe('Call Control coverage on the connections page', () => {
  it('shows "monitors N of M" and where to add the rest', async () => {
    const client = new ClientWithPbx({
      callControlCoverage: {
        monitoredExtensions: 3, totalExtensions: 40, summary: 'Call Control monitors 3 of 40 extensions',
        hint: 'Add the other extensions in the 3CX Admin Console → Integrations → API → this client → monitored extensions.',
      },
    });
    renderWithClient(<ConnectionsPage />, client, admin);
    expect(await screen.findByText('Call Control monitors 3 of 40 extensions')).toBeTruthy();
    expect(screen.getByLabelText('Call Control coverage').textContent).toMatch(/Integrations → API → this client → monitored extensions/);
  });
});
